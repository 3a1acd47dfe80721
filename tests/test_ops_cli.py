"""``loa doctor``, log lines and the dashboard's backup card (issue 19)."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from datetime import UTC, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.ops.backup import BackupResult, backup_database, record_backup
from bot.ops.logs import JsonFormatter, KeyValueFormatter
from bot.store import Store
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.test_admin import open_admin

ROOT = Path(__file__).resolve().parent.parent


def _loa(*args: str, cwd: Path, **env_extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOA_")}
    env.update({"PYTHONPATH": str(ROOT), **env_extra})
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], capture_output=True, text=True, env=env, timeout=120, cwd=cwd)


def test_doctor_passes_on_a_healthy_install(tmp_path: Path) -> None:
    db = tmp_path / "loa.db"
    Store.open(db).close()
    (tmp_path / "backups").mkdir()
    record_backup(db, backup_database(db, tmp_path / "backups"))
    with FakeTelegramAPI() as tg:
        r = _loa("doctor", cwd=tmp_path, LOA_DB=str(db), LOA_TELEGRAM_TOKEN=tg.token, LOA_TELEGRAM_BASE_URL=tg.base_url)
    assert r.returncode == 0, r.stdout + r.stderr
    lines = r.stdout.strip().splitlines()
    assert all(line.startswith("✓ ") for line in lines), r.stdout
    text = r.stdout
    assert "Cơ sở dữ liệu: toàn vẹn, ghi được" in text and "Phiên bản CSDL: mới nhất" in text
    assert "Telegram: bot @" in text and "Bản sao lưu: bản gần nhất" in text
    assert tg.token not in text


def test_doctor_fails_with_one_line_per_problem(tmp_path: Path) -> None:
    db = tmp_path / "loa.db"
    Store.open(db, migrate=False).close()  # an empty file: migrations pending, no backup
    with FakeTelegramAPI() as tg:
        r = _loa(
            "doctor", cwd=tmp_path, LOA_DB=str(db), LOA_TELEGRAM_TOKEN="999:wrong-token-for-the-fake",
            LOA_TELEGRAM_BASE_URL=tg.base_url, LOA_TELEGRAM_MODE="webhook",
        )
    assert r.returncode == 1 and "Traceback" not in r.stderr
    failed = [line for line in r.stdout.splitlines() if line.startswith("✗ ")]
    names = {line[2:].split(":")[0] for line in failed}
    assert {"Địa chỉ công khai", "Phiên bản CSDL", "Telegram", "Bản sao lưu"} <= names, r.stdout
    assert "wrong-token" not in r.stdout


def _record(msg: str, *args: object, **extra: object) -> logging.LogRecord:
    record = logging.LogRecord("bot.test", logging.INFO, __file__, 1, msg, args, None)
    for key, value in extra.items():
        setattr(record, key, value)
    return record


def test_log_lines_are_one_line_key_value_or_json_and_masked() -> None:
    rec = _record(
        "send failed for %s: %s", "https://api.telegram.org/bot123456:AAFakeTokenValue-abcdefghijklmnop/sendMessage",
        "gọi 0912345678\nCCCD 001203004567", kv={"status": 429, "path": "/webhook/telegram"},
    )
    line = KeyValueFormatter().format(rec)
    assert "\n" not in line and line.startswith("ts=") and " level=info logger=bot.test " in line
    assert "status=429 path=/webhook/telegram" in line
    for secret in ("AAFakeTokenValue", "0912345678", "001203004567"):
        assert secret not in line
    data = json.loads(JsonFormatter().format(rec))
    assert data["status"] == 429 and data["logger"] == "bot.test" and "[token]" in data["msg"]
    try:
        raise ValueError("boom")
    except ValueError:
        rec = _record("crashed", exc_info=sys.exc_info())
    assert "\n" not in KeyValueFormatter().format(rec) and "ValueError: boom" in KeyValueFormatter().format(rec)


def test_dashboard_shows_last_backup_and_warns_when_old(settings: Settings) -> None:
    for adm in open_admin(settings):
        adm.add("quan_tri", "admin")
        adm.login("quan_tri")
        page = adm.client.get("/admin").text
        assert "chưa có bản sao lưu nào" in page
        taken = adm.clock() - timedelta(hours=5)  # type: ignore[operator]
        record_backup(settings.db, BackupResult(Path("b.db.gz"), 5 * (1 << 20), 1.0, taken.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")))
        page = adm.client.get("/admin").text
        local = taken.astimezone(ZoneInfo(settings.timezone))
        assert f"Bản sao lưu gần nhất: {local:%H:%M %d/%m/%Y} (5.0 MB)" in page and "Cảnh báo" not in page
        old = adm.clock() - timedelta(days=3)  # type: ignore[operator]
        record_backup(settings.db, BackupResult(Path("b.db.gz"), 1 << 20, 1.0, old.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")))
        page = adm.client.get("/admin").text
        assert "bản sao lưu đã cũ hơn 2 ngày (3 ngày)" in page
