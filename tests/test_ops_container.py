"""The container image: builds, runs as a non-root user, answers /healthz, keeps data in
/data (issue 19). Runs only where a container engine answers (``docker info``)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import uuid
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent


def _engine() -> str | None:
    for name in ("docker", "podman"):
        exe = shutil.which(name)
        if exe and subprocess.run([exe, "info"], capture_output=True, timeout=60).returncode == 0:
            return exe
    return None


ENGINE = _engine()
pytestmark = pytest.mark.skipif(ENGINE is None, reason="no container engine running (`docker info` fails)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run(*args: str, timeout: int = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(ENGINE), *args], capture_output=True, text=True, timeout=timeout)


def test_image_builds_runs_unprivileged_and_is_healthy() -> None:
    tag = f"loa-test:{uuid.uuid4().hex[:8]}"
    name = f"loa-test-{uuid.uuid4().hex[:8]}"
    volume = f"{name}-data"
    r = _run("build", "-t", tag, str(ROOT))
    assert r.returncode == 0, r.stderr[-2000:]
    port = _free_port()
    try:
        r = _run("run", "-d", "--name", name, "-v", f"{volume}:/data", "-p", f"127.0.0.1:{port}:8080", tag)
        assert r.returncode == 0, r.stderr
        deadline = time.monotonic() + 120
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=3)
                if health.status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, _run("logs", name).stderr[-2000:]
            time.sleep(1)
        assert health.json()["db"] is True
        assert _run("exec", name, "id", "-u").stdout.strip() != "0"
        backup = _run("exec", name, "loa", "backup")
        assert backup.returncode == 0 and "/data/backups/" in backup.stdout, backup.stderr
        doctor = _run("exec", name, "loa", "doctor")
        assert "✓ Cơ sở dữ liệu" in doctor.stdout
        inspect = _run("inspect", "--format", "{{json .Config.Healthcheck}}", tag)
        assert "/healthz" in inspect.stdout
    finally:
        _run("rm", "-f", name)
        _run("volume", "rm", "-f", volume)
        _run("rmi", "-f", tag)
