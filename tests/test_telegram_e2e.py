"""End to end with the independent ``telegram-test-api`` emulator (npm).

A simulated resident sends ``/start`` and a question, in a private chat and in a group; the
real Telegram polling adapter answers through the emulator and the Vietnamese replies
arrive. The emulator deviates from Telegram (getMe lacks ``is_bot``, ``date`` of sent
messages is in milliseconds, no long polling, unknown methods answer 500), so a test-only
request class adapts those answers here — never in product code.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from telegram import Bot
from telegram.request import HTTPXRequest

from bot.channels.telegram import TelegramAdapter
from bot.config import Settings
from bot.features import build_dialog
from bot.store import Store

E2E_DIR = Path(__file__).parent / "e2e"
TOKEN = "777000:emulator-token"
BOT_USERNAME = "TestNameBot"  # what the emulator's getMe answers

pytestmark = pytest.mark.emulator


class EmulatorRequest(HTTPXRequest):
    """Adapts the emulator's answers to what the real Bot API returns."""

    _LOCAL_OK = (
        "setMyCommands",
        "deleteMyCommands",
        "getChatMemberCount",
        "getChatMember",
        "getChatAdministrators",
        "sendChatAction",
    )

    async def do_request(self, url: str, method: str, request_data: Any = None, **kwargs: Any) -> tuple[int, bytes]:
        endpoint = url.rsplit("/", 1)[-1]
        if endpoint in self._LOCAL_OK:  # not implemented by the emulator
            result: Any = {"getChatMemberCount": 3, "getChatAdministrators": []}.get(endpoint, True)
            return 200, json.dumps({"ok": True, "result": result}).encode()
        code, payload = await super().do_request(url, method, request_data, **kwargs)
        try:
            data = json.loads(payload)
        except ValueError:
            return code, payload
        result = data.get("result") if isinstance(data, dict) else None
        if endpoint == "getMe" and isinstance(result, dict):
            result.setdefault("is_bot", True)
        if endpoint == "sendMessage" and isinstance(result, dict) and result.get("date", 0) > 10**11:
            result["date"] //= 1000
        if endpoint == "getUpdates" and result == []:
            await asyncio.sleep(0.05)  # the emulator does not long-poll
        return code, json.dumps(data).encode()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def emulator() -> Iterator[str]:
    if shutil.which("node") is None:
        pytest.skip("node is not installed (needed for the telegram-test-api emulator)")
    if not (E2E_DIR / "node_modules" / "telegram-test-api").is_dir():
        pytest.skip("telegram-test-api missing: run `npm install --prefix tests/e2e telegram-test-api@4` (done by .ci/run)")
    port = _free_port()
    proc = subprocess.Popen(
        ["node", str(E2E_DIR / "emulator.js"), str(port)],
        cwd=E2E_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.strip() == "ready", f"emulator did not start: {line!r}"
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()


class Resident:
    """A simulated Telegram user talking to the bot through the emulator's client API."""

    def __init__(self, api: str, chat_id: int, *, chat_type: str = "private", user_id: int = 501) -> None:
        self.api, self.chat_id, self.chat_type, self.user_id = api, chat_id, chat_type, user_id

    async def say(self, http: httpx.AsyncClient, text: str) -> None:
        chat: dict[str, Any] = {"id": self.chat_id, "type": self.chat_type}
        chat |= {"first_name": "Lan"} if self.chat_type == "private" else {"title": "Tổ dân phố 3"}
        message: dict[str, Any] = {
            "botToken": TOKEN,
            "from": {"id": self.user_id, "is_bot": False, "first_name": "Lan", "username": "lan"},
            "chat": chat,
            "date": int(time.time()),
            "text": text,
        }
        route = "/sendMessage"
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
            route = "/sendCommand"
        elif f"@{BOT_USERNAME}" in text:
            message["entities"] = [{"type": "mention", "offset": text.index("@"), "length": len(BOT_USERNAME) + 1}]
        r = await http.post(self.api + route, json=message)
        r.raise_for_status()

    async def replies(self, http: httpx.AsyncClient, *, timeout: float = 10.0) -> list[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            r = await http.post(self.api + "/getUpdates", json={"token": TOKEN, "chatId": self.chat_id})
            result = r.json().get("result") or []
            if result:
                return [item["message"]["text"] for item in result]
            await asyncio.sleep(0.05)
        raise TimeoutError(f"no reply in chat {self.chat_id}")


def test_conversation_through_the_emulator(emulator: str, tmp_path: Path) -> None:
    settings = Settings(
        db=tmp_path / "loa.db",
        secret_key="test-secret-key",
        telegram_token=TOKEN,
        telegram_base_url=emulator,
        _env_file=None,
    )  # type: ignore[call-arg]

    async def go() -> None:
        store = Store.open(settings.db)
        bot = Bot(
            TOKEN,
            base_url=f"{emulator}/bot",
            base_file_url=f"{emulator}/file/bot",
            request=EmulatorRequest(connection_pool_size=8),
            get_updates_request=EmulatorRequest(),
        )
        adapter = TelegramAdapter(settings, build_dialog(store, settings), bot=bot, poll_timeout=1)
        await adapter.start()
        try:
            await asyncio.wait_for(adapter.ready.wait(), 10)
            async with httpx.AsyncClient() as http:
                lan = Resident(emulator, 501)
                await lan.say(http, "/start")
                first = await lan.replies(http)
                assert "Xin chào! Loa là trợ lý" in first[0]
                await lan.say(http, "khám sức khỏe miễn phí ở đâu?")
                answer = await lan.replies(http)
                assert answer and answer[0].strip()
                assert any(ch in answer[0] for ch in "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")

                group = Resident(emulator, -4001, chat_type="group", user_id=502)
                await group.say(http, "chào cả nhà")  # chatter: the bot stays silent
                await group.say(http, "/start")
                in_group = await group.replies(http)
                assert len(in_group) == 1 and "Xin chào" in in_group[0]
                await group.say(http, f"@{BOT_USERNAME} menu")
                menu = await group.replies(http)
                assert len(menu) == 1 and "Loa có thể giúp bạn" in menu[0]
        finally:
            await adapter.stop()
            store.close()

    asyncio.run(go())
