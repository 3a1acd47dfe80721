"""Telegram webhook mode through the real FastAPI app: secret check, bad bodies, replies."""

from __future__ import annotations

import json
import random
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.channels.telegram import TelegramAdapter
from bot.config import Settings
from bot.web.app import create_app
from tests.fakes import FakeTelegramAPI

SECRET = "s3cret-Webhook_token"
HEADER = "X-Telegram-Bot-Api-Secret-Token"


@pytest.fixture(scope="module")
def tg() -> Iterator[FakeTelegramAPI]:
    with FakeTelegramAPI() as server:
        yield server


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, tg: FakeTelegramAPI) -> Iterator[TestClient]:
    tmp: Path = tmp_path_factory.mktemp("webhook")
    app_settings = Settings(
        db=tmp / "loa.db",
        secret_key="test-secret-key",
        public_url="https://loa.example.vn",
        telegram_token=tg.token,
        telegram_base_url=tg.base_url,
        telegram_mode="webhook",
        telegram_webhook_secret=SECRET,
        _env_file=None,
    )  # type: ignore[call-arg]
    with TestClient(create_app(app_settings)) as c:
        adapter = c.app.state.runtime.channels["telegram"]  # type: ignore[attr-defined]
        assert isinstance(adapter, TelegramAdapter)
        deadline = time.monotonic() + 10
        while not adapter.ready.is_set():
            assert time.monotonic() < deadline, "adapter did not start"
            time.sleep(0.01)
        yield c


@pytest.fixture(autouse=True)
def _clean(tg: FakeTelegramAPI) -> None:
    tg.sent.clear()


def _post(client: TestClient, body: bytes | dict, secret: str | None = SECRET) -> int:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers[HEADER] = secret
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    return client.post("/webhook/telegram", content=content, headers=headers).status_code


_ids = iter(range(10_000, 10**9))


def _update(tg: FakeTelegramAPI, chat_id: int, text: str) -> dict:
    return {"update_id": next(_ids), "message": tg.make_message(chat_id, text)}


def test_webhook_registered_with_secret(client: TestClient, tg: FakeTelegramAPI) -> None:
    assert tg.webhook == {"url": "https://loa.example.vn/webhook/telegram", "secret_token": SECRET}
    assert client.get("/healthz").json()["channels"] == ["telegram"]


def test_update_is_answered(client: TestClient, tg: FakeTelegramAPI) -> None:
    assert _post(client, _update(tg, 901, "/start")) == 200
    sent = tg.wait_for_sent(1)
    assert sent[0]["chat_id"] == "901" and "Xin chào" in sent[0]["text"]


def test_redelivered_update_is_answered_once(client: TestClient, tg: FakeTelegramAPI) -> None:
    update = _update(tg, 902, "/help")
    assert _post(client, update) == 200
    assert _post(client, update) == 200
    tg.wait_for_sent(1)
    time.sleep(0.2)
    assert len(tg.sent) == 1


@pytest.mark.parametrize(("secret", "status"), [(None, 401), ("wrong", 403), ("", 403), (SECRET + "x", 403)])
def test_wrong_or_missing_secret_is_refused(client: TestClient, tg: FakeTelegramAPI, secret: str | None, status: int) -> None:
    assert _post(client, _update(tg, 903, "/start"), secret=secret) == status
    time.sleep(0.1)
    assert tg.sent == []


def test_oversized_body_is_refused(client: TestClient) -> None:
    assert _post(client, b'{"update_id": 1, "x": "' + b"a" * 1_100_000 + b'"}') == 413


def _random_body(rng: random.Random) -> bytes:
    choice = rng.randrange(8)
    if choice == 0:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 200)))  # invalid UTF-8 / garbage
    if choice == 1:
        return json.dumps(rng.choice([None, 1, "x", [1, 2], True, 3.5])).encode()
    if choice == 2:
        return json.dumps({"update_id": rng.choice(["1", None, 1.5, [], {}, True])}).encode()
    if choice == 3:
        return json.dumps({"update_id": rng.randrange(-5, 10**12), "message": rng.choice(["x", 5, [], {"chat": 1}])}).encode()
    if choice == 4:
        return json.dumps({"update_id": 7, "message": {"message_id": "a", "date": "b", "chat": {"id": "c"}}}).encode()
    if choice == 5:
        return b"[" * rng.randrange(1, 5000)
    if choice == 6:
        return json.dumps({"update_id": 8, "message": {"text": "x" * rng.randrange(10_000, 200_000)}}).encode()
    return b'{"update_id": 9, "message": {"message_id": 1, "date": 1, "chat": {"id": 1, "type": "private"}, "text": "\xff\xfe"}}'


def test_a_thousand_malformed_bodies_never_5xx(client: TestClient, tg: FakeTelegramAPI) -> None:
    rng = random.Random(3)
    statuses = [_post(client, _random_body(rng)) for _ in range(1000)]
    assert all(400 <= s < 500 for s in statuses), sorted(set(statuses))
    # The app keeps serving.
    assert _post(client, _update(tg, 904, "/help")) == 200
    assert tg.wait_for_sent(1)[0]["chat_id"] == "904"


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(["update_id", "message", "chat", "text", "from", "id", "date", "type"]), inner, max_size=5),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=_json)
def test_fuzzed_json_never_5xx(client: TestClient, body: object) -> None:
    status = _post(client, json.dumps(body).encode())
    assert status < 500


def test_polling_app_has_no_webhook(settings: Settings) -> None:
    with TestClient(create_app(settings, start_channels=False)) as c:
        assert _post(c, {"update_id": 1}) == 404
