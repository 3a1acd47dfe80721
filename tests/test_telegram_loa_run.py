"""``loa run`` with both tokens set: Telegram and Zalo answer by polling; Ctrl-C stops cleanly."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from tests.conftest import make_db
from tests.fakes import FakeTelegramAPI, FakeZaloAPI


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_loa_run_serves_both_channels(tmp_path: Path, seed_faq_model: Callable[[Path], None]) -> None:
    seed_faq_model(tmp_path / "loa.db")
    port = _free_port()
    with FakeTelegramAPI() as tg, FakeZaloAPI() as zl:
        env = {k: v for k, v in os.environ.items() if not k.startswith("LOA_")}
        env |= {
            "LOA_DB": str(make_db(tmp_path / "loa.db")),
            "LOA_PORT": str(port),
            "LOA_TELEGRAM_TOKEN": tg.token,
            "LOA_TELEGRAM_BASE_URL": tg.base_url,
            "LOA_ZALO_TOKEN": zl.token,
            "LOA_ZALO_BASE_URL": zl.base_url,
        }
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "run"],
            env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        try:
            tg.push_message(42, "/start")
            zl.push_message("z42", "/start")
            tg.wait_for_sent(1, timeout=30)
            zl.wait_for_sent(1, timeout=30)
            deadline = time.monotonic() + 10
            while True:
                try:
                    health = httpx.get(f"http://127.0.0.1:{port}/healthz").json()
                    break
                except httpx.HTTPError:
                    assert time.monotonic() < deadline
                    time.sleep(0.1)
            assert health["channels"] == ["telegram", "zalo"]
        finally:
            proc.send_signal(signal.SIGINT)
            out, err = proc.communicate(timeout=30)
    assert "Xin chào" in tg.texts("42")[0] and "Xin chào" in zl.texts("z42")[0]
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    assert tg.token not in out + err and zl.token not in out + err
