"""The newcomer's first command: ``loa demo`` starts, serves, prints working hints, and
Ctrl-C stops it cleanly (exit code 0), as a real subprocess of the installed ``loa``."""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from tests.fakes.telegram_api import FakeTelegramAPI


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _loa() -> list[str]:
    exe = shutil.which("loa")
    return [exe] if exe else [sys.executable, "-m", "bot.cli"]


def test_loa_demo_serves_and_stops_on_ctrl_c(tmp_path: Path, seed_faq_model: Callable[[Path], None]) -> None:
    seed_faq_model(tmp_path / "first try.db")
    with FakeTelegramAPI() as tg:
        _demo_serves_and_stops(tmp_path, tg)
    # "no tokens": a bot token already in the environment (.env) is not used by the demo,
    # so real residents never meet demo content and invented chats are never messaged.
    assert tg.requests == [] and tg.sent == []


def _demo_serves_and_stops(tmp_path: Path, tg: FakeTelegramAPI) -> None:
    port = _free_port()
    db = tmp_path / "first try.db"  # a path with a space, as on many office PCs
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOA_")}
    env["COLUMNS"] = "200"  # one banner line per hint, whatever the terminal
    env.update({"LOA_TELEGRAM_TOKEN": tg.token, "LOA_TELEGRAM_BASE_URL": tg.base_url})
    proc = subprocess.Popen(
        [*_loa(), "demo", "--port", str(port), "--db", str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert proc.poll() is None, proc.communicate()
            try:
                health = httpx.get(f"{base}/healthz", timeout=1)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "loa demo did not start within 30 s"
                time.sleep(0.1)
        body = health.json()
        assert health.status_code == 200 and (body["status"], body["db"], body["channels"]) == ("ok", True, [])
        assert body["checks"]["scheduler"]["status"] == "ok"
        chat = httpx.get(f"{base}/chat", timeout=5)
        assert chat.status_code == 200 and "Hỏi đáp khám sức khỏe miễn phí" in chat.text
        login = httpx.get(f"{base}/admin/login", timeout=5)
        assert login.status_code == 200 and "Đăng nhập" in login.text
        answer = httpx.post(f"{base}/api/chat", json={"text": "cài vneid ntn"}, timeout=10)
        assert answer.status_code == 200 and "VNeID" in answer.json()["replies"][0]["text"]
        assert db.exists() and not (tmp_path / "loa-demo.db").exists()
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
        try:
            out, err = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    assert f"{base}/chat" in out and "Loa stopped." in out
    # Every hint the banner prints must work on THIS database, not the default one.
    report_hint = next(line for line in out.splitlines() if "loa report" in line)
    assert "loa-demo.db" not in report_hint and str(db) in report_hint
    # ... and the command it prints writes the sample report.
    assignment, *command = shlex.split(report_hint.split(":", 1)[1])
    name, value = assignment.split("=", 1)
    assert name == "LOA_DB" and command[0] == "loa"
    r = subprocess.run([*_loa(), *command[1:]], capture_output=True, text=True, env={**env, name: value}, cwd=tmp_path, timeout=60)
    assert r.returncode == 0, r.stderr
    (docx,) = tmp_path.glob("*.docx")
    assert docx.stat().st_size > 10_000


def test_loa_demo_refuses_the_real_database_from_env(tmp_path: Path) -> None:
    """With LOA_DB=loa.db in .env (as .env.example has it), `loa demo` must not pour demo
    officers, invented chats and a made-up quarter into the office's real database."""
    from bot.store import Store
    from bot.users import add_user, list_users

    real = tmp_path / "loa.db"
    store = Store.open(real)
    add_user(store, "lan", ["admin"])
    store.close()
    (tmp_path / ".env").write_text(f"LOA_DB={real}\nLOA_SECRET_KEY=real-secret\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOA_")}
    r = subprocess.run(
        [*_loa(), "demo", "--port", str(_free_port())], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60
    )
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "not a demo one" in r.stderr and "--db loa-demo.db" in r.stderr
    store = Store.open(real)
    try:
        assert [u["name"] for u in list_users(store)] == ["lan"]
    finally:
        store.close()


def test_loa_chat_demo_refuses_the_real_database(tmp_path: Path) -> None:
    from bot.store import Store

    real = tmp_path / "loa.db"
    Store.open(real).close()
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOA_")}
    env["LOA_DB"] = str(real)
    r = subprocess.run([*_loa(), "chat", "--demo"], input="/thoat\n", capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60)
    assert r.returncode == 1 and "not a demo one" in r.stderr and "Traceback" not in r.stderr
    env.pop("LOA_DB")
    r = subprocess.run([*_loa(), "chat", "--demo"], input="/thoat\n", capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60)
    assert r.returncode == 0 and (tmp_path / "loa-demo.db").exists()
