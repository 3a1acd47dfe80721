"""``loa channels check`` against the fake Telegram and Zalo servers."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

from bot.channels.check import check_channels
from bot.config import Settings
from tests.fakes import FakeTelegramAPI, FakeZaloAPI


def test_channels_check_command(tmp_path: Path) -> None:
    with FakeTelegramAPI() as tg, FakeZaloAPI() as zl:
        env = {k: v for k, v in os.environ.items() if not k.startswith("LOA_")}
        env |= {
            "LOA_DB": str(tmp_path / "loa.db"),
            "LOA_TELEGRAM_TOKEN": tg.token,
            "LOA_TELEGRAM_BASE_URL": tg.base_url,
            "LOA_TELEGRAM_MODE": "webhook",
            "LOA_PUBLIC_URL": "https://loa.example.vn",
            "LOA_ZALO_TOKEN": "1:wrong",
            "LOA_ZALO_BASE_URL": zl.base_url,
        }
        r = subprocess.run(
            [sys.executable, "-m", "bot.cli", "channels", "check"],
            capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60,
        )
    assert "Telegram: OK — bot @loa_test_bot" in r.stdout
    assert "privacy mode is on" in r.stdout
    assert "will set the webhook to https://loa.example.vn/webhook/telegram" in r.stdout
    assert "Zalo: NOT OK — getMe failed" in r.stdout
    assert r.returncode == 1 and "Zalo not working" in r.stderr and "Traceback" not in r.stderr
    assert tg.token not in r.stdout + r.stderr


def _check(tmp_path: Path, **kwargs: object) -> list[str]:
    settings = Settings(db=tmp_path / "loa.db", secret_key="k", _env_file=None, **kwargs)  # type: ignore[arg-type]
    return asyncio.run(check_channels(settings))


def test_check_lines(tmp_path: Path) -> None:
    assert _check(tmp_path) == ["Telegram: off (LOA_TELEGRAM_TOKEN not set)", "Zalo: off (LOA_ZALO_TOKEN not set)"]
    with FakeTelegramAPI() as tg, FakeZaloAPI() as zl:
        tg.webhook = {"url": "https://old.example.vn/hook"}
        zl.webhook = {"url": "https://old.example.vn/zalo"}
        lines = _check(
            tmp_path,
            telegram_token=tg.token,
            telegram_base_url=tg.base_url,
            zalo_token=zl.token,
            zalo_base_url=zl.base_url,
        )
    text = "\n".join(lines)
    assert "webhook set to https://old.example.vn/hook" in text and "polling mode deletes this webhook" in text
    assert "Zalo: OK" in text and "webhook set to https://old.example.vn/zalo" in text
    down = _check(tmp_path, telegram_token="1:x", telegram_base_url="http://127.0.0.1:9")
    assert down[0].startswith("Telegram: NOT OK")
