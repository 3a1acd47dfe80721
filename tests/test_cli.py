"""The ``loa`` command line, run as a real subprocess: help, errors as one line, chat."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def _loa(*args: str, env: dict[str, str] | None = None, input: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("LOA_")}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        capture_output=True,
        text=True,
        env=full_env,
        input=input,
        cwd=cwd,
        timeout=60,
    )


def test_help_lists_commands(tmp_path: Path) -> None:
    r = _loa("--help", cwd=tmp_path)
    assert r.returncode == 0
    for cmd in ("demo", "run", "chat", "db", "config"):
        assert cmd in r.stdout


def test_chat_answers_help_in_vietnamese(tmp_path: Path) -> None:
    r = _loa("chat", env={"LOA_DB": str(tmp_path / "c.db")}, input="/help\n/thoat\n", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "Loa có thể giúp bạn" in r.stdout
    assert "Tạm biệt" in r.stdout


def test_db_migrate_and_status(tmp_path: Path) -> None:
    env = {"LOA_DB": str(tmp_path / "m.db")}
    r = _loa("db", "migrate", env=env, cwd=tmp_path)
    assert r.returncode == 0 and "applied" in r.stdout and "0001_core" in r.stdout
    r = _loa("db", "migrate", env=env, cwd=tmp_path)
    assert "up to date" in r.stdout
    r = _loa("db", "status", env=env, cwd=tmp_path)
    assert "applied  0001_core" in r.stdout and "pending" not in r.stdout


def test_config_show_masks_secrets(tmp_path: Path) -> None:
    r = _loa("config", "show", env={"LOA_TELEGRAM_TOKEN": "123:SECRET-TOKEN", "LOA_SECRET_KEY": "s3cr3t"}, cwd=tmp_path)
    assert r.returncode == 0
    assert "SECRET-TOKEN" not in r.stdout and "s3cr3t" not in r.stdout
    assert "LOA_TELEGRAM_TOKEN=****" in r.stdout
    assert "LOA_PORT=8080" in r.stdout


def test_invalid_setting_is_one_clear_line(tmp_path: Path) -> None:
    r = _loa("config", "show", env={"LOA_PORT": "not-a-port"}, cwd=tmp_path)
    assert r.returncode == 1
    assert "LOA_PORT" in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_broken_database_is_one_clear_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"garbage" * 1000)
    r = _loa("db", "migrate", env={"LOA_DB": str(bad)}, cwd=tmp_path)
    assert r.returncode == 1
    assert "not a Loa database" in r.stderr and "Traceback" not in r.stderr


def test_missing_data_file_is_one_clear_line(tmp_path: Path) -> None:
    r = _loa("chat", env={"LOA_DB": str(tmp_path / "x.db"), "LOA_CONTENT_DIR": str(tmp_path / "empty")}, input="", cwd=tmp_path)
    assert r.returncode == 1
    assert "admin units file not found" in r.stderr and "Traceback" not in r.stderr


def test_unknown_command_is_usage_error(tmp_path: Path) -> None:
    r = _loa("nope", cwd=tmp_path)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
