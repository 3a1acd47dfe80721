"""The Zalo client against the fake Zalo Bot API, and lenient update parsing."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.channels.zalo import BadRequest, NetworkError, RateLimited, TimedOut, Unauthorized, ZaloClient
from bot.channels.zalo.updates import has_events, parse_updates, to_incoming
from tests.fakes import FakeZaloAPI


@pytest.fixture(scope="module")
def zl() -> Iterator[FakeZaloAPI]:
    with FakeZaloAPI() as server:
        yield server


@pytest.fixture(autouse=True)
def _clean(zl: FakeZaloAPI) -> None:
    zl.reset()
    zl.errors_as_http_200 = False
    zl.updates_as_list = False


def test_methods(zl: FakeZaloAPI) -> None:
    async def go() -> None:
        async with ZaloClient(zl.token, zl.base_url) as client:
            me = await client.get_me()
            assert me["id"]
            assert await client.get_updates(timeout=0) == []  # 408 = empty poll
            zl.push_message("u1", "xin chào")
            updates = parse_updates(await client.get_updates(timeout=1))
            assert [u.text for u in updates] == ["xin chào"]
            await client.set_webhook("https://loa.example.vn/webhook/zalo", "secret-123456")
            assert (await client.get_webhook_info())["url"] == "https://loa.example.vn/webhook/zalo"
            with pytest.raises(BadRequest):
                await client.get_updates(timeout=0)  # 409 while a webhook is set
            await client.delete_webhook()
            assert (await client.get_webhook_info())["url"] == ""
            sent = await client.send_message("u1", "Chào bạn")
            assert sent["message_id"]
            await client.send_photo("u1", "https://example.vn/a.png", caption="Ảnh")
            await client.send_chat_action("u1")

    asyncio.run(go())
    assert [s["text"] for s in zl.sent] == ["Chào bạn", "Ảnh"]
    assert zl.sent[1]["photo"] == "https://example.vn/a.png"


def test_updates_as_list(zl: FakeZaloAPI) -> None:
    zl.updates_as_list = True
    zl.push_message("u1", "một")
    zl.push_message("u2", "hai")

    async def go() -> list:
        async with ZaloClient(zl.token, zl.base_url) as client:
            return parse_updates(await client.get_updates(timeout=1))

    assert [u.chat_id for u in asyncio.run(go())] == ["u1", "u2"]


@pytest.mark.parametrize("as_200", [False, True])
def test_errors_are_typed(zl: FakeZaloAPI, as_200: bool) -> None:
    zl.errors_as_http_200 = as_200

    async def go() -> None:
        async with ZaloClient("wrong", zl.base_url) as bad:
            with pytest.raises(Unauthorized):
                await bad.get_me()
        async with ZaloClient(zl.token, zl.base_url) as client:
            zl.retry_after = 4
            zl.fail_next("429")
            with pytest.raises(RateLimited) as info:
                await client.send_message("u", "x")
            assert info.value.retry_after == 4
            zl.fail_next("502")
            with pytest.raises(NetworkError):
                await client.send_message("u", "x")
            zl.fail_next("malformed")
            with pytest.raises(NetworkError):
                await client.get_me()
            with pytest.raises(BadRequest) as bad_info:
                await client.send_message("u", "x" * 2001)
            assert bad_info.value.error_code == 400
            with pytest.raises(BadRequest):
                await client.call("noSuchMethod")

    asyncio.run(go())
    zl.retry_after = 1


def test_timeouts_and_unreachable(zl: FakeZaloAPI) -> None:
    async def go() -> None:
        async with ZaloClient(zl.token, zl.base_url, timeout=httpx.Timeout(0.2)) as client:
            zl.slow_seconds = 1.0
            zl.fail_next("slow")
            with pytest.raises(TimedOut):
                await client.get_me()
        async with ZaloClient("t", "http://127.0.0.1:9") as client:
            with pytest.raises(NetworkError) as info:
                await client.get_me()
            assert "t/" not in str(info.value) and "127.0.0.1" not in str(info.value)

    asyncio.run(go())


def test_token_is_required() -> None:
    with pytest.raises(ValueError):
        ZaloClient("")


# --- parsing ------------------------------------------------------------------------------------
_MSG = {
    "from": {"id": "u9", "display_name": "Lan"},
    "chat": {"id": "c9", "chat_type": "GROUP"},
    "message_id": "m1",
    "date": 1764043200000,
    "text": "@Loa khám ở đâu",
}


def test_wrapped_bare_and_list_shapes() -> None:
    bare = {"event_name": "message.text.received", "message": _MSG}
    wrapped = {"ok": True, "result": bare}
    for payload in (bare, wrapped, [bare], {"ok": True, "result": [bare, bare]}, [wrapped]):
        updates = parse_updates(payload)
        assert updates and all(u.chat_id == "c9" and u.is_group and u.user_id == "u9" for u in updates)
    u = parse_updates(bare)[0]
    assert u.date == datetime(2025, 11, 25, 4, 0, tzinfo=UTC)
    incoming = to_incoming(u)
    assert incoming.chat_kind == "group" and incoming.addressed and incoming.message_id == "m1"


def test_photo_or_photo_url_and_numeric_ids() -> None:
    msg = {"from": {"id": 5}, "chat": {"id": 6}, "message_id": 7, "date": 1764043200, "photo": "https://x/p.jpg"}
    u = parse_updates({"event_name": "message.image.received", "message": msg})[0]
    assert (u.chat_id, u.user_id, u.message_id, u.photo_url, u.chat_type) == ("6", "5", "7", "https://x/p.jpg", "PRIVATE")
    assert u.date == datetime(2025, 11, 25, 4, 0, tzinfo=UTC)
    msg2 = dict(msg, photo_url="https://x/q.jpg")
    assert parse_updates({"event_name": "message.image.received", "message": msg2})[0].photo_url == "https://x/q.jpg"


def test_non_updates_are_skipped() -> None:
    for payload in (None, 1, "x", [], {}, {"ok": False}, {"event_name": 5}, {"event_name": "a", "message": "b"},
                    {"event_name": "a", "message": {"chat": {"id": None}}}):
        assert parse_updates(payload) == []
    assert has_events({"event_name": "bot.added"}) and not has_events({"x": 1})


_any_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(
        st.sampled_from(["ok", "result", "event_name", "message", "chat", "from", "id", "text", "date", "photo", "chat_type"]),
        inner,
        max_size=6,
    ),
    max_leaves=25,
)


@settings(max_examples=120, deadline=None)
@given(payload=_any_json)
def test_parser_never_raises(payload: object) -> None:
    for update in parse_updates(payload):
        assert update.chat_id and isinstance(update.text, str)
        to_incoming(update)
