"""The neutral send path against the fake Bot API servers: splitting and error mapping."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot.channels.errors import BadMessage, ChatGone, ChatMoved, RetryAfter, Transient
from bot.channels.outbound import (
    TelegramChannel,
    ZaloChannel,
    close_outbound,
    make_telegram_bot,
    make_zalo_client,
    open_outbound,
)
from bot.channels.split import utf16_len
from bot.config import Settings
from bot.conversation import Reply
from tests.fakes import FakeTelegramAPI, FakeZaloAPI


@pytest.fixture(scope="module")
def tg() -> Iterator[FakeTelegramAPI]:
    with FakeTelegramAPI() as server:
        yield server


@pytest.fixture(scope="module")
def zl() -> Iterator[FakeZaloAPI]:
    with FakeZaloAPI() as server:
        yield server


@pytest.fixture(autouse=True)
def _clean(tg: FakeTelegramAPI, zl: FakeZaloAPI) -> None:
    tg.reset()
    zl.reset()


def _settings(tmp_path: Path, tg: FakeTelegramAPI | None = None, zl: FakeZaloAPI | None = None) -> Settings:
    kwargs: dict = {"db": tmp_path / "loa.db", "secret_key": "k", "_env_file": None}
    if tg:
        kwargs |= {"telegram_token": tg.token, "telegram_base_url": tg.base_url}
    if zl:
        kwargs |= {"zalo_token": zl.token, "zalo_base_url": zl.base_url}
    return Settings(**kwargs)


def _send_tg(settings: Settings, chat_id: str, reply: Reply, *, parse_mode: str | None = None) -> None:
    async def go() -> None:
        channel = TelegramChannel(make_telegram_bot(settings), parse_mode=parse_mode)
        await channel.start()
        try:
            await channel.send(chat_id, reply)
        finally:
            await channel.stop()

    asyncio.run(go())


def _send_zalo(settings: Settings, chat_id: str, reply: Reply) -> None:
    async def go() -> None:
        channel = ZaloChannel(make_zalo_client(settings))
        try:
            await channel.send(chat_id, reply)
        finally:
            await channel.stop()

    asyncio.run(go())


# --- Telegram -----------------------------------------------------------------------------------
def test_telegram_send_plain_text(tmp_path: Path, tg: FakeTelegramAPI) -> None:
    _send_tg(_settings(tmp_path, tg), "42", Reply("Xin chào! Loa đây."))
    assert tg.texts("42") == ["Xin chào! Loa đây."]
    assert tg.sent[0]["parse_mode"] is None


def test_telegram_long_text_split_on_paragraphs(tmp_path: Path, tg: FakeTelegramAPI) -> None:
    para = "Khám sức khỏe miễn phí 🩺 cho mọi người dân. " * 40  # emoji = 2 UTF-16 units
    text = "\n\n".join([para.strip()] * 5)
    _send_tg(_settings(tmp_path, tg), "42", Reply(text))
    parts = tg.texts("42")
    assert len(parts) >= 2
    assert all(utf16_len(p) <= 4096 for p in parts)
    assert "".join("".join(parts).split()) == "".join(text.split())


def test_telegram_reply_to_in_groups(tmp_path: Path, tg: FakeTelegramAPI) -> None:
    _send_tg(_settings(tmp_path, tg), "-100", Reply("Trả lời", reply_to="77"))
    assert tg.sent[0]["reply_to"] == "77"


@pytest.mark.parametrize(
    ("knob", "error"),
    [
        ("block", ChatGone),
        ("kick", ChatGone),
        ("not_found", ChatGone),
    ],
)
def test_telegram_unreachable_chats_are_gone(tmp_path: Path, tg: FakeTelegramAPI, knob: str, error: type) -> None:
    getattr(tg, knob)("55")
    with pytest.raises(error):
        _send_tg(_settings(tmp_path, tg), "55", Reply("x"))


def test_telegram_migration_gives_new_id(tmp_path: Path, tg: FakeTelegramAPI) -> None:
    tg.migrate("-5", "-1009")
    with pytest.raises(ChatMoved) as info:
        _send_tg(_settings(tmp_path, tg), "-5", Reply("x"))
    assert info.value.new_id == "-1009"


def test_telegram_429_is_retry_after(tmp_path: Path, tg: FakeTelegramAPI) -> None:
    tg.retry_after = 7
    tg.fail_next("429", method="sendMessage")
    with pytest.raises(RetryAfter) as info:
        _send_tg(_settings(tmp_path, tg), "42", Reply("x"))
    assert info.value.seconds == 7
    tg.retry_after = 1


@pytest.mark.parametrize("kind", ["500", "502", "malformed"])
def test_telegram_server_errors_are_transient(tmp_path: Path, tg: FakeTelegramAPI, kind: str) -> None:
    tg.fail_next(kind, method="sendMessage")
    with pytest.raises(Transient):
        _send_tg(_settings(tmp_path, tg), "42", Reply("x"))
    assert tg.sent == []


def test_telegram_timeout_is_transient(tmp_path: Path, tg: FakeTelegramAPI) -> None:
    settings = _settings(tmp_path, tg)

    async def go() -> None:
        from telegram import Bot
        from telegram.request import HTTPXRequest

        from bot.channels.outbound import telegram_base_urls

        base, files = telegram_base_urls(settings)
        bot = Bot(tg.token, base_url=base, base_file_url=files, request=HTTPXRequest(read_timeout=0.2))
        channel = TelegramChannel(bot)
        await channel.start()
        tg.slow_seconds = 1.0
        tg.fail_next("slow", method="sendMessage")
        try:
            with pytest.raises(Transient):
                await channel.send("42", Reply("x"))
            # The server still delivers it: a timeout means "unknown", hence at-least-once.
            await tg.async_wait_for_sent(1, timeout=3)
        finally:
            await channel.stop()

    asyncio.run(go())


def test_telegram_other_bad_request_is_bad_message(tmp_path: Path, tg: FakeTelegramAPI) -> None:
    with pytest.raises(BadMessage):
        _send_tg(_settings(tmp_path, tg), "", Reply("x"))


def test_telegram_entity_error_falls_back_to_plain(tmp_path: Path, tg: FakeTelegramAPI) -> None:
    tg.reject_entities = True
    try:
        _send_tg(_settings(tmp_path, tg), "42", Reply("*đậm"), parse_mode="MarkdownV2")
    finally:
        tg.reject_entities = False
    assert tg.texts("42") == ["*đậm"]
    assert tg.sent[0]["parse_mode"] is None


def test_telegram_wrong_token_is_transient(tmp_path: Path, tg: FakeTelegramAPI) -> None:
    settings = Settings(
        db=tmp_path / "x.db", telegram_token="1:wrong", telegram_base_url=tg.base_url, _env_file=None
    )  # type: ignore[call-arg]
    with pytest.raises(Transient):
        _send_tg(settings, "42", Reply("x"))


def test_empty_reply_sends_nothing(tmp_path: Path, tg: FakeTelegramAPI) -> None:
    _send_tg(_settings(tmp_path, tg), "42", Reply("   \n "))
    assert tg.sent == []


def test_telegram_unreachable_server_is_transient_without_the_token(tmp_path: Path) -> None:
    token = "1:secret-token"
    settings = Settings(db=tmp_path / "x.db", telegram_token=token, telegram_base_url="http://127.0.0.1:9", _env_file=None)  # type: ignore[call-arg]
    with pytest.raises(Transient) as info:
        _send_tg(settings, "42", Reply("x"))
    assert token not in str(info.value)


@pytest.mark.parametrize(
    ("description", "error"),
    [
        ("Bad Request: PEER_ID_INVALID", ChatGone),
        ("Bad Request: chat not found", ChatGone),
        ("Bad Request: message text is empty", BadMessage),
    ],
)
def test_telegram_bad_requests_are_told_apart(description: str, error: type) -> None:
    from telegram.error import BadRequest

    from bot.channels.outbound import translate_telegram_error

    assert isinstance(translate_telegram_error(BadRequest(description)), error)


def test_telegram_connection_closed_by_the_server_between_sends(tmp_path: Path) -> None:
    """A keep-alive connection the server closed while idle is dropped, not written to."""
    connections: list[int] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(1)
        head = await reader.readuntil(b"\r\n\r\n")
        length = int(next(h for h in head.split(b"\r\n") if h.lower().startswith(b"content-length")).split(b":")[1])
        await reader.readexactly(length)
        body = b'{"ok": true, "result": {"message_id": 1, "date": 0, "chat": {"id": 42, "type": "private"}}}'
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n%s" % (len(body), body))
        await writer.drain()
        writer.close()  # no "Connection: close": the client learns it from the EOF

    async def go() -> None:
        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        settings = Settings(db=tmp_path / "x.db", telegram_token="1:t", telegram_base_url=f"http://127.0.0.1:{port}", _env_file=None)  # type: ignore[call-arg]
        channel = TelegramChannel(make_telegram_bot(settings, pool_size=1))
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


# --- Zalo ---------------------------------------------------------------------------------------
def test_zalo_send_and_split(tmp_path: Path, zl: FakeZaloAPI) -> None:
    text = "\n".join(f"Dòng {i}: điểm khám tại trạm y tế phường." for i in range(120))
    _send_zalo(_settings(tmp_path, zl=zl), "u1", Reply(text))
    parts = zl.texts("u1")
    assert len(parts) >= 3 and all(len(p) <= 2000 for p in parts)
    assert all(p.startswith("Dòng") for p in parts)  # cut at line boundaries


@pytest.mark.parametrize("as_200", [False, True])
def test_zalo_error_mapping(tmp_path: Path, zl: FakeZaloAPI, as_200: bool) -> None:
    settings = _settings(tmp_path, zl=zl)
    zl.errors_as_http_200 = as_200
    try:
        zl.block("b")
        with pytest.raises(ChatGone):
            _send_zalo(settings, "b", Reply("x"))
        zl.not_found("n")
        with pytest.raises(ChatGone):
            _send_zalo(settings, "n", Reply("x"))
        zl.retry_after = 3
        zl.fail_next("429")
        with pytest.raises(RetryAfter) as info:
            _send_zalo(settings, "u", Reply("x"))
        assert info.value.seconds == 3
        zl.fail_next("500")
        with pytest.raises(Transient):
            _send_zalo(settings, "u", Reply("x"))
        zl.fail_next("malformed")
        with pytest.raises(Transient):
            _send_zalo(settings, "u", Reply("x"))
    finally:
        zl.errors_as_http_200 = False
        zl.retry_after = 1
    assert zl.sent == []


def test_zalo_bad_message(tmp_path: Path, zl: FakeZaloAPI) -> None:
    with pytest.raises(BadMessage):
        _send_zalo(_settings(tmp_path, zl=zl), "", Reply("x"))


def test_zalo_unreachable_server_is_transient(tmp_path: Path) -> None:
    settings = Settings(db=tmp_path / "x.db", zalo_token="t", zalo_base_url="http://127.0.0.1:9", _env_file=None)  # type: ignore[call-arg]
    with pytest.raises(Transient):
        _send_zalo(settings, "u", Reply("x"))


# --- open_outbound --------------------------------------------------------------------------------
def test_open_outbound_gives_configured_channels(tmp_path: Path, tg: FakeTelegramAPI, zl: FakeZaloAPI) -> None:
    async def go() -> None:
        none = await open_outbound(_settings(tmp_path))
        assert none == {}
        channels = await open_outbound(_settings(tmp_path, tg, zl), concurrency=2)
        try:
            assert sorted(channels) == ["telegram", "zalo"]  # 50 concurrent sends share 2 connections
            await asyncio.gather(*(channels["telegram"].send(str(i), Reply(f"tin {i}")) for i in range(1, 51)))
            await channels["zalo"].send("z1", Reply("chào"))
        finally:
            await close_outbound(channels)

    asyncio.run(go())
    assert len(tg.sent) == 50 and zl.texts("z1") == ["chào"]
    assert not any(r["method"] == "getUpdates" for r in tg.requests)


def test_fake_counts_limit_violations(tmp_path: Path, tg: FakeTelegramAPI) -> None:
    async def go() -> None:
        channel = TelegramChannel(make_telegram_bot(_settings(tmp_path, tg)))
        await channel.start()
        tg.enforce_limits = True
        try:
            await channel.send("42", Reply("a"))
            await channel.send("42", Reply("b"))  # same chat within a second
        finally:
            tg.enforce_limits = False
            await channel.stop()

    asyncio.run(go())
    assert len(tg.violations) == 1 and "per_chat_per_second" in tg.violations[0]["limits"]


def test_fake_control_endpoints(tg: FakeTelegramAPI) -> None:
    with httpx.Client(base_url=tg.base_url) as http:
        assert http.post("/_fake/block", json={"chat_id": 9}).status_code == 200
        assert http.post("/_fake/configure", json={"failure_rate": 0.0}).status_code == 200
        assert http.post("/_fake/configure", json={"nope": 1}).status_code == 400
        assert http.get("/_fake/stats").json()["sent"] == 0
        r = http.post(f"/bot{tg.token}/sendMessage", data={"chat_id": "9", "text": "x"})
        assert r.status_code == 403
        assert http.post("/botWRONG/getMe").status_code == 401
        assert http.post(f"/bot{tg.token}/noSuchMethod").status_code == 404


def test_token_never_logged_even_at_debug(tmp_path: Path, tg: FakeTelegramAPI, zl: FakeZaloAPI, caplog: pytest.LogCaptureFixture) -> None:
    import logging

    caplog.set_level(logging.DEBUG)
    logging.getLogger("telegram").setLevel(logging.NOTSET)
    _send_tg(_settings(tmp_path, tg), "42", Reply("x"))
    _send_zalo(_settings(tmp_path, zl=zl), "u", Reply("x"))
    tg.block("43")
    with pytest.raises(ChatGone):
        _send_tg(_settings(tmp_path, tg), "43", Reply("x"))
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert logged and tg.token not in logged and zl.token not in logged
