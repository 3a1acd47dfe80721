"""HTTPS in front, for real: Debian's caddy (internal CA) in front of ``loa run``, set up the
way README's "Chạy thật trên máy chủ" and deploy/ say; Telegram and Zalo webhooks over TLS;
the client address Loa logs is the real one only through the trusted proxy (issue 19).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.config import Settings
from tests.fakes import FakeTelegramAPI, FakeZaloAPI

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
CADDY = shutil.which("caddy")
needs_caddy = pytest.mark.skipif(CADDY is None, reason="caddy is not installed (apt install caddy; .ci/run does)")
LOA = f"{sys.executable} -m bot.cli"
CLIENT_IP, STRANGER_IP = "127.0.0.2", "127.0.0.3"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def readme_env_file() -> str:
    """The settings file exactly as README's deploy section writes it."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Chạy thật trên máy chủ") :]
    match = re.search(r"cat > /etc/loa/loa.env <<'CFG'\n(.*?)\nCFG\n", section, re.S)
    assert match, "README's deploy section lost its settings file"
    return match.group(1)


def _parse_env(text: str) -> dict[str, str]:
    """KEY=VALUE lines as systemd's EnvironmentFile (and the shell) read them."""
    env = {}
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            env[key] = value.strip().strip('"')
    return env


def service_environment(home: Path) -> tuple[dict[str, str], list[str], list[str]]:
    """Environment=, ExecStartPre= and ExecStart= of deploy/loa.service, paths moved to ``home``."""
    env: dict[str, str] = {}
    pre: list[str] = []
    start: list[str] = []
    for line in (DEPLOY / "loa.service").read_text(encoding="utf-8").splitlines():
        line = line.replace("/var/lib/loa", str(home))
        if line.startswith("Environment="):
            key, value = line.removeprefix("Environment=").split("=", 1)
            env[key] = value
        elif line.startswith("ExecStartPre="):
            pre = line.removeprefix("ExecStartPre=").replace("/opt/loa/venv/bin/loa", LOA).split()
        elif line.startswith("ExecStart="):
            start = line.removeprefix("ExecStart=").replace("/opt/loa/venv/bin/loa", LOA).split()
    return env, pre, start


@dataclass
class Deployment:
    """A running install: Caddy's https URL, Loa's own URL, the fakes, Loa's log file."""

    https: str
    direct: str
    ca: Path
    log: Path
    tg: FakeTelegramAPI
    zl: FakeZaloAPI
    metrics_token: str

    def client(self, source: str) -> httpx.Client:
        """An https client calling from ``source`` (another loopback address than Caddy's)."""
        transport = httpx.HTTPTransport(local_address=source, verify=ssl.create_default_context(cafile=self.ca))
        return httpx.Client(transport=transport, timeout=10)

    def log_lines(self) -> list[dict[str, Any]]:
        """Loa's stderr, one JSON object per line (LOA_LOG_FORMAT=json)."""
        return [json.loads(line) for line in self.log.read_text(encoding="utf-8").splitlines() if line.strip()]


def _caddyfile(tmp: Path, https_port: int) -> Path:
    """deploy/Caddyfile with the domain replaced (README step 4), after a test-only global
    block: Caddy's internal CA instead of Let's Encrypt, no system trust store, no port 80."""
    site = (DEPLOY / "Caddyfile").read_text(encoding="utf-8").replace("loa.example.gov.vn", f"https://127.0.0.1:{https_port}")
    head = (
        "{\n\tadmin off\n\tlocal_certs\n\tskip_install_trust\n\tauto_https disable_redirects\n"
        f"\thttp_port {_free_port()}\n\thttps_port {https_port}\n\tstorage file_system {tmp / 'caddy'}\n}}\n\n"
    )
    path = tmp / "Caddyfile"
    path.write_text(head + site, encoding="utf-8")
    return path


def _wait_ready(url: str, ca: Path | None, deadline: float, procs: list[subprocess.Popen[bytes]]) -> None:
    """Poll ``url`` until it answers 200 (over TLS trusting ``ca`` when given)."""
    while True:
        assert all(p.poll() is None for p in procs), "caddy or loa exited at start (see caddy.log / loa.log)"
        try:
            if ca is None:
                if httpx.get(url, timeout=2).status_code == 200:
                    return
            elif ca.exists() and httpx.get(url, verify=ssl.create_default_context(cafile=ca), timeout=2).status_code == 200:
                return
        except (httpx.HTTPError, OSError):
            pass
        assert time.monotonic() < deadline, f"{url} never answered"
        time.sleep(0.1)


@contextmanager
def deployed(tmp: Path, seed_faq_model: Callable[[Path], None], **settings: str) -> Iterator[Deployment]:
    """README's steps 2-4 on 127.0.0.1: settings file, migrate, `loa run`, Caddy in front.
    The FAQ model is already in the data folder's cache, as after the service's first start."""
    home = tmp / "var-lib-loa"
    home.mkdir()
    seed_faq_model(home / "loa.db")  # deploy/loa.service: LOA_DB=/var/lib/loa/loa.db
    https_port, loa_port = _free_port(), _free_port()
    metrics_token = "metrics-" + os.urandom(8).hex()
    with FakeTelegramAPI() as tg, FakeZaloAPI() as zl:
        env_text = readme_env_file()
        replace = {
            "LOA_CONTENT_DIR": str(ROOT),
            "LOA_PUBLIC_URL": f"https://127.0.0.1:{https_port}",
            "LOA_TELEGRAM_TOKEN": tg.token,
            "LOA_ZALO_TOKEN": zl.token,
            "LOA_METRICS_TOKEN": metrics_token,
            **settings,
        }
        lines = [f"{k}={replace[k]}" if (k := line.split("=", 1)[0]) in replace else line for line in env_text.splitlines()]
        lines += [f"LOA_TELEGRAM_BASE_URL={tg.base_url}", f"LOA_ZALO_BASE_URL={zl.base_url}", "LOA_LOG_FORMAT=json"]
        lines += [f"{k}={v}" for k, v in settings.items() if k not in env_text]
        env_file = tmp / "loa.env"
        env_file.write_text("\n".join(lines) + "\n", encoding="utf-8")

        service_env, pre, start = service_environment(home)
        service_env["LOA_PORT"] = str(loa_port)
        base = {k: v for k, v in os.environ.items() if not k.startswith("LOA_")}
        base["PYTHONPATH"] = str(ROOT)
        admin_env = {**base, "LOA_ENV_FILE": str(env_file), "LOA_HOME": str(home), "LOA_BIN": LOA}
        r = subprocess.run([str(DEPLOY / "loa-admin"), *pre[len(LOA.split()):]], env=admin_env, capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stderr
        run_env = {**base, **_parse_env(env_file.read_text(encoding="utf-8")), **service_env}
        log = tmp / "loa.log"
        with log.open("w") as err:
            loa = subprocess.Popen(start, env=run_env, cwd=home, stdout=subprocess.DEVNULL, stderr=err)
        # Caddy checks /healthz at start, then every health_interval (30 s): started before
        # Loa answers, it would keep the upstream down for that long.
        try:
            _wait_ready(f"http://127.0.0.1:{loa_port}/healthz", None, time.monotonic() + 60, [loa])
        except BaseException:
            loa.kill()
            loa.wait()
            raise
        caddy_env = {**base, "LOA_UPSTREAM": f"127.0.0.1:{loa_port}", "XDG_DATA_HOME": str(tmp / "xdg"), "XDG_CONFIG_HOME": str(tmp / "xdg")}
        caddy = subprocess.Popen(
            [str(CADDY), "run", "--config", str(_caddyfile(tmp, https_port)), "--adapter", "caddyfile"],
            env=caddy_env, stdout=subprocess.DEVNULL, stderr=(tmp / "caddy.log").open("w"),
        )
        ca = tmp / "caddy" / "pki" / "authorities" / "local" / "root.crt"
        try:
            _wait_ready(f"https://127.0.0.1:{https_port}/healthz", ca, time.monotonic() + 60, [loa, caddy])
            yield Deployment(f"https://127.0.0.1:{https_port}", f"http://127.0.0.1:{loa_port}", ca, log, tg, zl, metrics_token)
        finally:
            caddy.terminate()
            loa.send_signal(signal.SIGINT)
            for proc in (loa, caddy):
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()


def _access(lines: list[dict[str, Any]], path: str) -> list[dict[str, Any]]:
    return [line for line in lines if line.get("logger") == "bot.web.access" and line.get("path") == path]


@needs_caddy
def test_webhooks_over_tls_through_caddy_and_the_real_client_address(
    tmp_path: Path, seed_faq_model: Callable[[Path], None]
) -> None:
    with deployed(tmp_path, seed_faq_model, LOA_TRUSTED_PROXIES="127.0.0.1") as d:
        tg_secret = d.tg.webhook["secret_token"]
        zl_secret = d.zl.webhook["secret_token"]
        assert d.tg.webhook["url"] == f"{d.https}/webhook/telegram"
        with d.client(CLIENT_IP) as web:
            update = {"update_id": 1, "message": d.tg.make_message(42, "/start")}
            r = web.post(f"{d.https}/webhook/telegram", json=update, headers={"X-Telegram-Bot-Api-Secret-Token": tg_secret})
            assert r.status_code == 200, r.text
            assert r.headers["strict-transport-security"].startswith("max-age=")
            r = web.post(f"{d.https}/webhook/zalo", json=d.zl.make_update("z42", "/start"), headers={"X-Bot-Api-Secret-Token": zl_secret})
            assert r.status_code == 200, r.text
            assert "Xin chào" in d.tg.wait_for_sent(1, timeout=30)[0]["text"]
            assert "Xin chào" in d.zl.wait_for_sent(1, timeout=30)[0]["text"]
            # A client cannot pass itself off as someone else through Caddy...
            assert web.get(f"{d.https}/chat", headers={"X-Forwarded-For": "203.0.113.9"}).status_code == 200
            # ...and /metrics from outside needs the token.
            assert web.get(f"{d.https}/metrics").status_code == 401
            scrape = web.get(f"{d.https}/metrics", headers={"Authorization": f"Bearer {d.metrics_token}"})
            assert scrape.status_code == 200
            assert 'loa_updates_in_total{channel="telegram"} 1.0' in scrape.text
            assert 'loa_updates_in_total{channel="zalo"} 1.0' in scrape.text
        # Straight to Loa from an address that is not the proxy: forwarded headers are ignored.
        stranger = httpx.Client(transport=httpx.HTTPTransport(local_address=STRANGER_IP), timeout=10)
        with stranger:
            assert stranger.get(f"{d.direct}/", headers={"X-Forwarded-For": "203.0.113.9"}).status_code == 307
        # A scrape from the server itself (Prometheus on localhost) needs no token.
        assert httpx.get(f"{d.direct}/metrics", timeout=10).status_code == 200
        time.sleep(0.3)
        lines = d.log_lines()
        tokens = (d.tg.token, d.zl.token, tg_secret, zl_secret, d.metrics_token)
    hooks = _access(lines, "/webhook/telegram") + _access(lines, "/webhook/zalo")
    assert len(hooks) == 2 and all(h["client"] == CLIENT_IP and h["status"] == 200 for h in hooks), hooks
    assert all(h["scheme"] == "https" for h in hooks), hooks
    chats = _access(lines, "/chat")
    assert [c["client"] for c in chats] == [CLIENT_IP], chats
    direct = _access(lines, "/")
    assert [c["client"] for c in direct] == [STRANGER_IP], direct
    text = d.log.read_text(encoding="utf-8")
    assert not [t for t in tokens if t in text], "a token or secret reached the log"
    assert "203.0.113.9" not in json.dumps(hooks + chats + direct)


@needs_caddy
@pytest.mark.skipif(
    "trusted_proxies" not in Settings.model_fields, reason="LOA_TRUSTED_PROXIES (web security work) is not merged yet"
)
def test_forwarded_address_is_ignored_when_caddy_is_not_trusted(tmp_path: Path, seed_faq_model: Callable[[Path], None]) -> None:
    with deployed(tmp_path, seed_faq_model, LOA_TRUSTED_PROXIES="10.9.8.7") as d, d.client(CLIENT_IP) as web:
        assert web.get(f"{d.https}/chat").status_code == 200
        assert web.get(f"{d.https}/metrics").status_code == 401  # Caddy's 127.0.0.1 is not trusted either
        time.sleep(0.3)
        lines = d.log_lines()
    assert [c["client"] for c in _access(lines, "/chat")] == ["127.0.0.1"]


def test_systemd_unit_is_hardened_and_valid(tmp_path: Path) -> None:
    unit = (DEPLOY / "loa.service").read_text(encoding="utf-8")
    for directive in (
        "User=loa", "Restart=on-failure", "NoNewPrivileges=yes", "ProtectSystem=strict",
        "ReadWritePaths=/var/lib/loa", "PrivateTmp=yes", "ProtectHome=yes", "CapabilityBoundingSet=",
    ):
        assert re.search(rf"^{re.escape(directive)}$", unit, re.M), directive
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed; the directives above were checked")
    copy = tmp_path / "loa.service"
    copy.write_text(unit.replace("/opt/loa/venv/bin/loa", shutil.which("true") or "/bin/true"), encoding="utf-8")
    r = subprocess.run([analyze, "verify", str(copy)], capture_output=True, text=True, timeout=60)
    problems = [line for line in (r.stdout + r.stderr).splitlines() if "loa.service" in line]
    assert problems == [], problems


@needs_caddy
def test_caddyfile_is_valid_and_formatted() -> None:
    r = subprocess.run([str(CADDY), "adapt", "--config", str(DEPLOY / "Caddyfile"), "--adapter", "caddyfile"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    config = json.loads(r.stdout)
    assert "reverse_proxy" in json.dumps(config) and "127.0.0.1:8080" in json.dumps(config)
    assert "Formatted" not in r.stderr and "not formatted" not in r.stderr
