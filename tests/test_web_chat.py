"""The web chat page and its JSON endpoint, through the real app and lifespan."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from bot.config import Settings
from bot.web.app import create_app


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings, start_channels=False)) as c:
        yield c


def test_healthz(client: TestClient) -> None:
    r = client.get("/healthz")
    assert r.status_code == 200 and r.json()["db"] is True


def test_chat_page_is_vietnamese_and_sets_cookie(client: TestClient) -> None:
    r = client.get("/chat")
    assert r.status_code == 200
    assert 'lang="vi"' in r.text and "Hỏi đáp khám sức khỏe miễn phí" in r.text
    assert "loa_chat" in r.cookies
    assert client.get("/static/chat.js").status_code == 200


def test_help_answers_menu(client: TestClient) -> None:
    r = client.post("/api/chat", json={"text": "/help"})
    assert r.status_code == 200
    replies = r.json()["replies"]
    assert "Loa có thể giúp bạn" in replies[0]["text"]
    assert replies[0]["choices"][0]["label"]


def test_choice_number_follows_session_cookie(client: TestClient) -> None:
    client.get("/chat")
    first = client.post("/api/chat", json={"text": "/help"}).json()["replies"][0]
    payload = first["choices"][-1]["payload"]
    assert payload == "/dangky"
    r = client.post("/api/chat", json={"text": str(len(first["choices"]))})
    assert "Zalo" in r.json()["replies"][0]["text"]  # /dangky on the web explains where to subscribe


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"\xff\xfe\xfa not utf8", 400),
        (b"{not json", 400),
        (b"[1, 2, 3]", 400),
        (json.dumps({"text": 123}).encode(), 400),
        (json.dumps({"location": {"latitude": "x"}}).encode(), 400),
        (json.dumps({"location": {"latitude": 500, "longitude": 0}}).encode(), 400),
        (b"{" + b'"text": "' + b"a" * (300 * 1024) + b'"}', 413),
    ],
)
def test_bad_bodies_get_clear_vietnamese_errors(client: TestClient, body: bytes, status: int) -> None:
    r = client.post("/api/chat", content=body, headers={"content-type": "application/json"})
    assert r.status_code == status
    assert r.json()["error"]
    assert client.post("/api/chat", json={"text": "/help"}).status_code == 200  # still serving


def test_large_message_is_answered(client: TestClient) -> None:
    r = client.post("/api/chat", json={"text": "kham " * 20_000})  # 100 kB
    assert r.status_code == 200 and r.json()["replies"]


def test_random_bodies_never_500(client: TestClient) -> None:
    rng = random.Random(7)
    for _ in range(200):
        size = rng.randint(0, 300)
        body = bytes(rng.randrange(256) for _ in range(size))
        r = client.post("/api/chat", content=body)
        assert r.status_code < 500
    assert client.get("/healthz").status_code == 200
