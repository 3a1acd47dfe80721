"""The officer flow end to end through the ``loa`` CLI and a local Telegram server.

Most commands run in-process through Typer's runner (fast); ``broadcast run`` and the
one-line error output run as real subprocesses.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from bot.cli import app
from tests.conftest import make_db
from tests.fakes.telegram_api import FakeTelegramAPI

ROOT = Path(__file__).resolve().parent.parent


def _subprocess(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("LOA_")}
    full_env.update({"LOA_DB": str(tmp_path / "cli.db"), "LOA_SECRET_KEY": "cli-secret"})
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args], capture_output=True, text=True, env=full_env, cwd=tmp_path, timeout=60
    )


@pytest.fixture
def loa(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("LOA_DB", str(make_db(tmp_path / "cli.db")))
    monkeypatch.setenv("LOA_SECRET_KEY", "cli-secret")
    runner = CliRunner()

    def run(*args: str) -> Any:
        return runner.invoke(app, list(args))

    return run


def _last_id(r: Any) -> str:
    assert r.exit_code == 0, (r.stdout, r.exception)
    last = r.stdout.strip().splitlines()[-1]
    assert last.isdigit(), r.stdout
    return last


def test_draft_approve_broadcast_run_status(tmp_path: Path, loa: Any) -> None:
    _last_id(loa("users", "add", "bien_tap", "--role", "editor"))
    r = loa("users", "add", "lanh_dao", "--role", "approver")
    assert "/admin/invite/" in r.stdout and _last_id(r) == "2"
    mid = _last_id(loa("messages", "add", str(ROOT / "messages/campaigns/screening_dates.yaml"), "--author", "bien_tap"))
    assert loa("messages", "submit", mid).exit_code == 0
    r = loa("messages", "approve", mid, "--by", "bien_tap", "--hash", "0" * 12)
    assert r.exit_code != 0 and "approver role" in str(r.exception)
    shown = loa("messages", "show", mid).stdout
    text_hash = shown.split("text hash: ")[1].split()[0]
    assert loa("messages", "approve", mid, "--by", "lanh_dao", "--hash", text_hash).exit_code == 0
    assert "approved" in loa("messages", "list").stdout
    csv = tmp_path / "chats.csv"
    csv.write_text(
        "channel,chat_id,kind,title,unit,tags\n"
        + "".join(f"telegram,-10{i},group,Nhóm {i},Lê Chân,người cao tuổi\n" for i in range(5))
        + "telegram,777,private,,,\n",
        encoding="utf-8",
    )
    r = loa("chats", "import", str(csv))
    assert r.exit_code == 0 and "6 chat(s) added" in r.stdout
    r = loa("broadcast", "preview", "--to", "tag:nguoi_cao_tuoi", "--to", "groups")
    assert r.stdout.startswith("5 chat(s)")
    r = loa("broadcast", "preview", "--to", "unit:Lê Chân", "--message", mid, "--var", "dates=01/12")
    assert r.exit_code == 0 and "Người dân Lê Chân" in r.stdout and "Mã xác thực: HP-XXXXXX" in r.stdout
    r = loa("broadcast", "create", "--message", mid, "--to", "unit:le chan", "--now", "--var", "dates=01/12–20/12")
    bid = _last_id(r)
    assert "for 5 chat(s)" in r.stdout
    with FakeTelegramAPI() as tg:
        env = {"LOA_TELEGRAM_TOKEN": tg.token, "LOA_TELEGRAM_BASE_URL": tg.base_url}
        r = _subprocess(tmp_path, "broadcast", "run", "--until-done", "--quiet", env=env)
        assert r.returncode == 0, r.stderr
        assert "sent 5" in r.stdout
        assert len(tg.sent) == 5 and all("01/12–20/12" in s["text"] and "Lê Chân" in s["text"] for s in tg.sent)
    status = json.loads(loa("broadcast", "status", bid, "--json").stdout)
    assert status["state"] == "done" and status["counts"]["sent"] == 5 and status["code"].startswith("HP-")
    assert "sent 5" in loa("broadcast", "status", bid).stdout
    assert "sent 5/5" in loa("broadcast", "list").stdout


def test_cli_errors_are_one_line(tmp_path: Path, loa: Any) -> None:
    r = _subprocess(tmp_path, "broadcast", "create", "--message", "9", "--to", "all", "--now")
    assert r.returncode == 1 and "no message with id 9" in r.stderr and "Traceback" not in r.stderr
    r = _subprocess(tmp_path, "broadcast", "run", "--until-done")
    assert r.returncode == 1 and "LOA_TELEGRAM_TOKEN" in r.stderr and "Traceback" not in r.stderr
    for args, message in [
        (("broadcast", "create", "--message", "1", "--to", "all"), "--now or --at"),
        (("broadcast", "preview", "--to", "planet:mars"), "unknown selector"),
        (("broadcast", "preview", "--to", "unit:Atlantis"), "unit 'Atlantis'"),
        (("messages", "add", "nope.yaml", "--author", "x"), "not found"),
        (("broadcast", "status", "3"), "no broadcast with id 3"),
        (("broadcast", "pause", "3"), "no broadcast with id 3"),
        (("users", "add", "x y", "--role", "editor"), "bad user name"),
        (("chats", "tag", "telegram:42", "--tag", "phu_huynh"), "no chat telegram:42"),
        (("schedules", "disable", "nope"), "no schedule"),
    ]:
        r = loa(*args)
        assert r.exit_code != 0 and message in str(r.exception), (args, r.exception)


def test_messages_load_library_and_schedules(loa: Any) -> None:
    assert loa("users", "add", "bien_tap", "--role", "editor").exit_code == 0
    r = loa("messages", "load", "--author", "bien_tap")
    assert r.exit_code == 0 and "scam_warnings/fake_calls.yaml: new draft" in r.stdout
    r = loa("messages", "load", "--author", "bien_tap")
    assert "new draft" not in r.stdout
    r = loa("schedules", "list")
    assert r.exit_code == 0 and "weekly_scam_warning" in r.stdout and "enabled" in r.stdout
    assert loa("schedules", "disable", "weekly_scam_warning").exit_code == 0
    assert "disabled" in loa("schedules", "list").stdout
    r = loa("schedules", "add", "vneid-once", "--message", "campaigns/vneid_level2", "--to", "private", "--at", "2026-12-01 09:00")
    assert r.exit_code == 0 and r.stdout.strip().splitlines()[-1].isdigit()
    r = loa("schedules", "add", "bad", "--message", "campaigns/vneid_level2", "--to", "all", "--cron", "x y")
    assert r.exit_code != 0 and "bad cron" in str(r.exception)
    r = loa("messages", "show", "1")
    assert r.exit_code == 0 and "v1 draft" in r.stdout
