"""The send-only Telegram channel (plain httpx) behaves like the PTB one: splitting, errors."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from bot.channels.errors import BadMessage, ChatGone, ChatMoved, RetryAfter, Transient
from bot.channels.outbound import TelegramSendChannel, telegram_result
from bot.channels.split import utf16_len
from bot.dialog import Reply
from tests.fakes import FakeTelegramAPI


@pytest.fixture(scope="module")
def tg() -> Iterator[FakeTelegramAPI]:
    with FakeTelegramAPI() as server:
        yield server


@pytest.fixture(autouse=True)
def _clean(tg: FakeTelegramAPI) -> None:
    tg.reset()


def _send(tg: FakeTelegramAPI, chat_id: str, reply: Reply, **kwargs: object) -> None:
    async def go() -> None:
        channel = TelegramSendChannel(tg.token, tg.base_url, **kwargs)  # type: ignore[arg-type]
        await channel.start()
        try:
            await channel.send(chat_id, reply)
        finally:
            await channel.stop()

    asyncio.run(go())


def test_plain_text_reply_to_and_split(tg: FakeTelegramAPI) -> None:
    _send(tg, "-100", Reply("Trả lời", reply_to="77"))
    assert tg.sent[0]["reply_to"] == "77" and tg.sent[0]["parse_mode"] is None
    para = "Khám sức khỏe miễn phí 🩺 cho mọi người dân. " * 40
    text = "\n\n".join([para.strip()] * 5)
    _send(tg, "42", Reply(text, reply_to="5"))
    parts = tg.texts("42")
    assert len(parts) >= 2 and all(utf16_len(p) <= 4096 for p in parts)
    assert "".join("".join(parts).split()) == "".join(text.split())
    assert [s["reply_to"] for s in tg.sent[1:]] == ["5"] + [None] * (len(parts) - 1)


def test_empty_reply_sends_nothing(tg: FakeTelegramAPI) -> None:
    _send(tg, "42", Reply("  \n "))
    assert tg.sent == []


@pytest.mark.parametrize("knob", ["block", "kick", "not_found"])
def test_unreachable_chats_are_gone(tg: FakeTelegramAPI, knob: str) -> None:
    getattr(tg, knob)("55")
    with pytest.raises(ChatGone):
        _send(tg, "55", Reply("x"))


def test_migration_gives_new_id(tg: FakeTelegramAPI) -> None:
    tg.migrate("-5", "-1009")
    with pytest.raises(ChatMoved) as info:
        _send(tg, "-5", Reply("x"))
    assert info.value.new_id == "-1009"


def test_429_is_retry_after(tg: FakeTelegramAPI) -> None:
    tg.retry_after = 7
    tg.fail_next("429", method="sendMessage")
    try:
        with pytest.raises(RetryAfter) as info:
            _send(tg, "42", Reply("x"))
    finally:
        tg.retry_after = 1
    assert info.value.seconds == 7


@pytest.mark.parametrize("kind", ["500", "502", "malformed"])
def test_server_errors_are_transient(tg: FakeTelegramAPI, kind: str) -> None:
    tg.fail_next(kind, method="sendMessage")
    with pytest.raises(Transient):
        _send(tg, "42", Reply("x"))
    assert tg.sent == []


def test_timeout_is_transient_and_at_least_once(tg: FakeTelegramAPI) -> None:
    async def go() -> None:
        channel = TelegramSendChannel(tg.token, tg.base_url, read_timeout=0.2)
        tg.slow_seconds = 1.0
        tg.fail_next("slow", method="sendMessage")
        try:
            with pytest.raises(Transient):
                await channel.send("42", Reply("x"))
            await tg.async_wait_for_sent(1, timeout=3)
        finally:
            await channel.stop()

    asyncio.run(go())


def test_unreachable_server_and_wrong_token_are_transient(tg: FakeTelegramAPI) -> None:
    async def go() -> None:
        for token, base in (("1:wrong", tg.base_url), (tg.token, "http://127.0.0.1:9")):
            channel = TelegramSendChannel(token, base)
            try:
                with pytest.raises(Transient) as info:
                    await channel.send("42", Reply("x"))
                assert token not in str(info.value)
            finally:
                await channel.stop()

    asyncio.run(go())


def test_other_bad_request_is_bad_message(tg: FakeTelegramAPI) -> None:
    with pytest.raises(BadMessage):
        _send(tg, "", Reply("x"))


def test_entity_error_falls_back_to_plain(tg: FakeTelegramAPI) -> None:
    tg.reject_entities = True
    try:
        _send(tg, "42", Reply("*đậm"), parse_mode="MarkdownV2")
    finally:
        tg.reject_entities = False
    assert tg.texts("42") == ["*đậm"] and tg.sent[0]["parse_mode"] is None


def test_many_concurrent_sends_share_a_small_pool(tg: FakeTelegramAPI) -> None:
    async def go() -> None:
        channel = TelegramSendChannel(tg.token, tg.base_url, connections=2)
        try:
            await asyncio.gather(*(channel.send(str(i), Reply(f"tin {i}")) for i in range(1, 41)))
        finally:
            await channel.stop()

    asyncio.run(go())
    assert sorted(int(s["chat_id"]) for s in tg.sent) == list(range(1, 41))


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (200, b'{"ok": true, "result": {"message_id": 1}}', None),
        (200, b'{"ok": true}', Transient),
        (200, b"<html>", Transient),
        (400, b"[1]", Transient),
        (429, b'{"ok": false, "error_code": 429, "description": "x", "parameters": {"retry_after": 3}}', RetryAfter),
        (403, b'{"ok": false, "error_code": 403, "description": "Forbidden: user is deactivated"}', ChatGone),
        (400, b'{"ok": false, "description": "Bad Request: PEER_ID_INVALID"}', ChatGone),
        (400, b'{"ok": false, "description": "Bad Request: message text is empty"}', BadMessage),
        (401, b'{"ok": false, "description": "Unauthorized"}', Transient),
        (404, b'{"ok": false, "description": "Not Found"}', Transient),
        (409, b'{"ok": false, "description": "Conflict"}', Transient),
        (502, b'{"ok": false, "description": "Bad Gateway"}', Transient),
        (200, b'{"ok": false, "error_code": 403, "description": "Forbidden: bot was blocked by the user"}', ChatGone),
    ],
)
def test_result_mapping(status: int, body: bytes, error: type | None) -> None:
    if error is None:
        assert telegram_result(status, body) == {"message_id": 1}
    else:
        with pytest.raises(error):
            telegram_result(status, body)


def test_environment_proxy_keeps_httpx_transports(tg: FakeTelegramAPI, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")

    async def go() -> None:
        channel = TelegramSendChannel(tg.token, tg.base_url)
        try:
            assert channel._client._mounts  # httpx built its proxy transports from the environment
            await channel.send("42", Reply("qua proxy"))
        finally:
            await channel.stop()

    asyncio.run(go())
    assert tg.texts("42") == ["qua proxy"]


def test_connection_closed_by_the_server_between_sends_is_not_reused() -> None:
    """A keep-alive connection the server closed while idle is dropped, not written to."""
    connections: list[int] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(1)
        head = await reader.readuntil(b"\r\n\r\n")
        length = int(next(h for h in head.split(b"\r\n") if h.lower().startswith(b"content-length")).split(b":")[1])
        await reader.readexactly(length)
        body = b'{"ok": true, "result": {"message_id": 1}}'
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n%s" % (len(body), body))
        await writer.drain()
        writer.close()  # no "Connection: close": the client learns it from the EOF

    async def go() -> None:
        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        channel = TelegramSendChannel("1:t", f"http://127.0.0.1:{port}", connections=1)
        try:
            for i in range(3):
                await channel.send("42", Reply(f"tin {i}"))
                await asyncio.sleep(0.05)
        finally:
            await channel.stop()
            server.close()
            await server.wait_closed()

    asyncio.run(go())
    assert len(connections) == 3
