"""Mistakes caught where they are made, on the command line (issue 17, point 3).

Each case runs ``loa`` as a real subprocess and checks the one-line error and that nothing
was created or started.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path


def _loa(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("LOA_")}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args], capture_output=True, text=True, env=full_env, cwd=cwd, timeout=120
    )


def test_mistyped_database_path_creates_nothing(tmp_path: Path) -> None:
    wrong = tmp_path / "typo" / "folder" / "loa.db"
    r = _loa("users", "list", env={"LOA_DB": str(wrong)}, cwd=tmp_path)
    assert r.returncode == 1
    assert "Không có cơ sở dữ liệu tại" in r.stderr and "loa db migrate" in r.stderr
    assert "Traceback" not in r.stderr
    assert not (tmp_path / "typo").exists()


def test_run_on_a_missing_database_says_so_unless_init(tmp_path: Path) -> None:
    r = _loa("run", env={"LOA_DB": str(tmp_path / "none.db"), "LOA_PORT": "1"}, cwd=tmp_path)
    assert r.returncode == 1 and "Không có cơ sở dữ liệu" in r.stderr
    assert not (tmp_path / "none.db").exists()


def test_db_migrate_still_creates_the_database(tmp_path: Path) -> None:
    db = tmp_path / "new" / "loa.db"
    r = _loa("db", "migrate", env={"LOA_DB": str(db)}, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert db.exists()
    r = _loa("users", "list", env={"LOA_DB": str(db)}, cwd=tmp_path)
    assert r.returncode == 0, r.stderr


def test_unknown_time_zone_fails_when_settings_load(tmp_path: Path) -> None:
    r = _loa("config", "show", env={"LOA_TIMEZONE": "Mars/Base"}, cwd=tmp_path)
    assert r.returncode == 1
    assert "LOA_TIMEZONE" in r.stderr and "Mars/Base" in r.stderr and "Traceback" not in r.stderr


def test_broadcast_in_the_past_is_refused(tmp_path: Path) -> None:
    env = {"LOA_DB": str(tmp_path / "loa.db")}
    assert _loa("db", "migrate", env=env, cwd=tmp_path).returncode == 0
    r = _loa("broadcast", "create", "--message", "1", "--to", "all", "--at", "2020-01-01 08:00", env=env, cwd=tmp_path)
    assert r.returncode == 1
    assert "already passed" in r.stderr and "Traceback" not in r.stderr


def test_demo_on_a_busy_port_says_so_before_the_banner(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        r = _loa("demo", "--port", str(port), "--db", str(tmp_path / "demo.db"), env={}, cwd=tmp_path)
    assert r.returncode == 1
    assert f"Cổng {port} đang bận, dùng --port" in r.stderr
    assert "Loa demo" not in r.stdout and "Mật khẩu" not in r.stdout
