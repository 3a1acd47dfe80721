"""The Zalo adapter: long polling and webhook against the fake Zalo Bot API."""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bot.channels.zalo.receive import PHOTO_REPLY, UNSUPPORTED_REPLY, ZaloAdapter
from bot.config import Settings
from bot.features import build_dialog
from bot.store import Store
from bot.store import chats as chat_store
from bot.web.app import create_app
from tests.fakes import FakeZaloAPI

SECRET = "zalo-webhook-secret"
HEADER = "X-Bot-Api-Secret-Token"


@pytest.fixture(scope="module")
def zl() -> Iterator[FakeZaloAPI]:
    with FakeZaloAPI() as server:
        yield server


@pytest.fixture
def z_settings(tmp_path: Path, zl: FakeZaloAPI) -> Settings:
    zl.reset()
    zl.webhook = {}
    return Settings(
        db=tmp_path / "loa.db", secret_key="k", zalo_token=zl.token, zalo_base_url=zl.base_url, _env_file=None
    )  # type: ignore[call-arg]


def run_bot(settings: Settings, body: Callable[[ZaloAdapter, Store], Awaitable[None]], **kwargs: object) -> None:
    async def go() -> None:
        store = Store.open(settings.db)
        adapter = ZaloAdapter(settings, build_dialog(store, settings), poll_timeout=1, **kwargs)  # type: ignore[arg-type]
        await adapter.start()
        try:
            await asyncio.wait_for(adapter.ready.wait(), 10)
            await body(adapter, store)
        finally:
            await adapter.stop()
            store.close()

    asyncio.run(go())


async def until(predicate: Callable[[], object], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met")
        await asyncio.sleep(0.01)


def test_polling_conversation(z_settings: Settings, zl: FakeZaloAPI) -> None:
    async def body(adapter: ZaloAdapter, store: Store) -> None:
        zl.push_message("u1", "/start")
        sent = await zl.async_wait_for_sent(1)
        assert sent[0]["chat_id"] == "u1" and "Xin chào" in sent[0]["text"]
        zl.push_message("u1", "menu")
        sent = await zl.async_wait_for_sent(2)
        assert "Loa có thể giúp bạn" in sent[1]["text"]
        zl.push_message("g1", "@Loa menu", chat_type="GROUP", user_id="u2")
        await zl.async_wait_for_sent(3)
        zl.push_message("u3", None, event_name="message.unsupported.received")
        zl.push_message("u4", None, photo_url="https://example.vn/a.jpg")
        zl.push_message("u5", None, event_name="message.sticker.received")
        await zl.async_wait_for_sent(5)

    run_bot(z_settings, body)
    assert zl.texts("u3") == [UNSUPPORTED_REPLY]
    assert zl.texts("u4") == [PHOTO_REPLY]
    assert zl.texts("u5") == []
    assert zl.calls("deleteWebhook"), "polling clears any webhook first"
    store = Store.open(z_settings.db)
    try:
        assert chat_store.get_chat(store, "zalo", "g1")["kind"] == "group"  # type: ignore[index]
        assert chat_store.get_chat(store, "zalo", "u1")["opted_out"] == 0  # type: ignore[index]
    finally:
        store.close()


def test_duplicates_dropped_for_five_minutes(z_settings: Settings, zl: FakeZaloAPI) -> None:
    now = [1000.0]

    async def body(adapter: ZaloAdapter, store: Store) -> None:
        update = zl.make_update("u7", "/help")
        zl.push_update(update)
        zl.push_update(update)
        await zl.async_wait_for_sent(1)
        await asyncio.sleep(0.3)
        assert len(zl.sent) == 1
        now[0] += 301
        zl.push_update(update)
        await zl.async_wait_for_sent(2)

    run_bot(z_settings, body, clock=lambda: now[0])


def test_polling_backs_off_and_recovers(z_settings: Settings, zl: FakeZaloAPI) -> None:
    async def body(adapter: ZaloAdapter, store: Store) -> None:
        zl.fail_next("500", method="getUpdates")
        zl.fail_next("malformed", method="getUpdates")
        zl.push_message("u8", "/help")
        await zl.async_wait_for_sent(1, timeout=10)

    run_bot(z_settings, body, backoff_start=0.05)


def test_blocked_resident_marked_inactive(z_settings: Settings, zl: FakeZaloAPI) -> None:
    async def body(adapter: ZaloAdapter, store: Store) -> None:
        zl.push_message("u9", "/dangky")
        await zl.async_wait_for_sent(1)
        zl.block("u9")
        zl.push_message("u9", "/help")
        await until(lambda: (chat_store.get_chat(store, "zalo", "u9") or {}).get("status") == "inactive")

    run_bot(z_settings, body)


def test_wrong_token_fails_clearly(tmp_path: Path, zl: FakeZaloAPI) -> None:
    settings = Settings(db=tmp_path / "x.db", secret_key="k", zalo_token="bad", zalo_base_url=zl.base_url, _env_file=None)  # type: ignore[call-arg]

    async def go() -> None:
        store = Store.open(settings.db)
        adapter = ZaloAdapter(settings, build_dialog(store, settings))
        await adapter.start()
        await until(lambda: adapter.failed)
        await adapter.stop()
        store.close()
        assert "LOA_ZALO_TOKEN" in (adapter.failed or "")

    asyncio.run(go())


# --- webhook ------------------------------------------------------------------------------------
@pytest.fixture
def client(tmp_path: Path, zl: FakeZaloAPI) -> Iterator[TestClient]:
    zl.reset()
    settings = Settings(
        db=tmp_path / "loa.db",
        secret_key="k",
        public_url="https://loa.example.vn",
        zalo_token=zl.token,
        zalo_base_url=zl.base_url,
        zalo_mode="webhook",
        zalo_webhook_secret=SECRET,
        _env_file=None,
    )  # type: ignore[call-arg]
    with TestClient(create_app(settings)) as c:
        adapter = c.app.state.runtime.channels["zalo"]  # type: ignore[attr-defined]
        deadline = time.monotonic() + 10
        while not adapter.ready.is_set():
            assert time.monotonic() < deadline
            time.sleep(0.01)
        yield c
    zl.webhook = {}


def _post(client: TestClient, body: bytes | object, secret: str | None = SECRET) -> int:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers[HEADER] = secret
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    return client.post("/webhook/zalo", content=content, headers=headers).status_code


def test_webhook_flow(client: TestClient, zl: FakeZaloAPI) -> None:
    assert zl.webhook["url"] == "https://loa.example.vn/webhook/zalo" and zl.webhook["secret_token"] == SECRET
    wrapped = {"ok": True, "result": zl.make_update("w1", "/start")}
    assert _post(client, wrapped) == 200
    assert "Xin chào" in zl.wait_for_sent(1)[0]["text"]
    assert _post(client, zl.make_update("w2", "/help")) == 200  # bare body
    zl.wait_for_sent(2)
    assert _post(client, {"event_name": "user.joined"}) == 200  # an event we ignore
    assert _post(client, zl.make_update("w3", "/help"), secret=None) == 401
    assert _post(client, zl.make_update("w3", "/help"), secret="nope") == 403
    assert _post(client, b"{" + b" " * 1_100_000 + b"}") == 413
    time.sleep(0.2)
    assert zl.texts("w3") == []


def test_webhook_malformed_bodies_are_4xx(client: TestClient, zl: FakeZaloAPI) -> None:
    rng = random.Random(5)
    bodies: list[bytes] = []
    for _ in range(300):
        kind = rng.randrange(5)
        if kind == 0:
            bodies.append(bytes(rng.randrange(256) for _ in range(rng.randrange(1, 100))))
        elif kind == 1:
            bodies.append(json.dumps(rng.choice([None, 3, "x", [], {}, [1, {"a": 2}]])).encode())
        elif kind == 2:
            bodies.append(json.dumps({"event_name": 5, "message": {"chat": {"id": None}}}).encode())
        elif kind == 3:
            bodies.append(b"[" * rng.randrange(1, 3000))
        else:
            bodies.append(json.dumps({"message": {"text": "x" * 50_000}}).encode())
    statuses = {_post(client, b) for b in bodies}
    assert all(400 <= s < 500 for s in statuses), statuses
    assert _post(client, zl.make_update("w9", "/help")) == 200
    assert zl.wait_for_sent(1)[0]["chat_id"] == "w9"


def test_reply_retried_after_transient_error(z_settings: Settings, zl: FakeZaloAPI) -> None:
    async def body(adapter: ZaloAdapter, store: Store) -> None:
        zl.fail_next("502", method="sendMessage")
        zl.push_message("u10", "/help")
        await zl.async_wait_for_sent(1, timeout=8)

    run_bot(z_settings, body)
