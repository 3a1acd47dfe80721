"""The web edge (issue 12, findings 6 and 10): login throttling per (account, source), trusted
proxies, security headers, bounded integers, the chat cookie, webhook shapes."""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from bot.config import Settings
from bot.store import admin as admin_store
from bot.web.admin import security
from bot.web.proxies import forwarded_client
from tests.fakes import FakeTelegramAPI
from tests.test_admin import CSRF_RE, PASSWORD, Admin, open_admin

PROXY = "10.0.0.1"


@pytest.fixture
def admin(tmp_path: Path) -> Iterator[Admin]:
    settings = Settings(db=tmp_path / "loa.db", secret_key="k", trusted_proxies=PROXY, _env_file=None)  # type: ignore[call-arg]
    yield from open_admin(settings)


def _client(admin: Admin, peer: str, *, base_url: str = "http://testserver") -> TestClient:
    """Another browser on the same running app, connecting from ``peer``."""
    other = TestClient(admin.client.app, base_url=base_url, client=(peer, 40000))
    # Same event loop as the running app: its store belongs to that loop's thread.
    other.portal = admin.client.portal
    return other


def _try(client: TestClient, name: str, password: str, headers: dict[str, str] | None = None) -> int:
    page = client.get("/admin/login", headers=headers)
    token = CSRF_RE.search(page.text).group(1)  # type: ignore[union-attr]
    r = client.post(
        "/admin/login",
        data={"name": name, "password": password, "csrf": token},
        headers=headers,
        follow_redirects=False,
    )
    return r.status_code


# --- throttling ---------------------------------------------------------------------------------
def test_failures_from_one_source_never_lock_the_account_for_others(admin: Admin) -> None:
    admin.add("admin", "admin")
    attacker, officer = _client(admin, "198.51.100.7"), _client(admin, "203.0.113.20")
    for _ in range(security.FREE_FAILURES_PER_NAME + 3):
        assert _try(attacker, "admin", "guess-guess") in (401, 429)
    assert _try(attacker, "admin", PASSWORD) == 429
    # The real admin, elsewhere, signs in at once.
    assert _try(officer, "admin", PASSWORD) == 303


def test_waits_grow_from_one_second_and_are_capped(admin: Admin) -> None:
    admin.add("lan", "editor")
    attacker = _client(admin, "198.51.100.7")
    for _ in range(security.FREE_FAILURES_PER_NAME):
        assert _try(attacker, "lan", "wrong-one") == 401
    waits = []
    for _ in range(3):
        r_page = attacker.get("/admin/login")
        token = CSRF_RE.search(r_page.text).group(1)  # type: ignore[union-attr]
        r = attacker.post("/admin/login", data={"name": "lan", "password": "x-wrong", "csrf": token})
        assert r.status_code == 429 and "Vui lòng đợi" in r.text
        waits.append(int(r.headers["retry-after"]))
        admin.clock.at += timedelta(seconds=waits[-1])
        assert _try(attacker, "lan", "wrong-again") == 401  # the wait is over: one more try
    assert waits == [1, 2, 4]
    assert security.backoff(100, security.FREE_FAILURES_PER_NAME) == security.MAX_WAIT
    # Once the wait is over the right password works from the same source.
    admin.clock.at += security.MAX_WAIT
    assert _try(attacker, "lan", PASSWORD) == 303


def test_officers_behind_a_trusted_proxy_are_told_apart(admin: Admin) -> None:
    admin.add("lan", "editor")
    names = [f"u{i}" for i in range(security.FREE_FAILURES_PER_ADDRESS // security.FREE_FAILURES_PER_NAME)]
    proxy = _client(admin, PROXY)
    sprayer = {"X-Forwarded-For": "198.51.100.7"}
    for name in names:
        admin.add(name, "editor")
        for _ in range(security.FREE_FAILURES_PER_NAME):
            assert _try(proxy, name, "wrong-one", sprayer) == 401
    assert _try(proxy, "lan", PASSWORD, sprayer) == 429  # the spraying address waits
    assert _try(proxy, "lan", PASSWORD, {"X-Forwarded-For": "203.0.113.20"}) == 303  # a colleague does not


def test_forwarded_for_is_ignored_from_an_untrusted_peer(admin: Admin) -> None:
    admin.add("lan", "editor")
    direct = _client(admin, "198.51.100.7")
    for i in range(security.FREE_FAILURES_PER_NAME):
        # A fresh forged address each time: it must not reset the count.
        assert _try(direct, "lan", "wrong-one", {"X-Forwarded-For": f"192.0.2.{i}"}) == 401
    assert _try(direct, "lan", PASSWORD, {"X-Forwarded-For": "192.0.2.99"}) == 429
    ips = {e["ip"] for e in admin_store.list_audit(admin.store, limit=100)}
    assert ips == {"198.51.100.7"}


def test_rightmost_untrusted_forwarded_address_is_the_client() -> None:
    nets = Settings(trusted_proxies="10.0.0.0/8, 2001:db8::/32", _env_file=None).trusted_networks()  # type: ignore[call-arg]
    assert forwarded_client("10.0.0.1", ["1.1.1.1, 203.0.113.5"], nets) == "203.0.113.5"
    assert forwarded_client("10.0.0.1", ["203.0.113.5, 10.2.2.2"], nets) == "203.0.113.5"
    assert forwarded_client("10.0.0.1", ["203.0.113.5", "10.2.2.2"], nets) == "203.0.113.5"
    assert forwarded_client("10.0.0.1", ["garbage, 10.2.2.2"], nets) == "10.2.2.2"
    assert forwarded_client("10.0.0.1", [], nets) == "10.0.0.1"
    assert forwarded_client("198.51.100.7", ["203.0.113.5"], nets) == "198.51.100.7"
    assert forwarded_client("2001:db8::1", ["[2001:db9::7]:443"], nets) == "2001:db9::7"


def test_a_bad_trusted_proxies_setting_is_refused() -> None:
    with pytest.raises(ValidationError, match="not an IP address or network"):
        Settings(trusted_proxies="10.0.0.1, proxy.local", _env_file=None)  # type: ignore[call-arg]


# --- headers ------------------------------------------------------------------------------------
def test_admin_and_chat_pages_carry_a_content_security_policy(admin: Admin) -> None:
    login = admin.client.get("/admin/login")
    csp = login.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert login.headers["x-content-type-options"] == "nosniff"
    assert login.headers["cache-control"] == "no-store"
    chat = admin.client.get("/chat")
    assert "script-src 'self'" in chat.headers["content-security-policy"]
    assert "frame-ancestors" not in chat.headers["content-security-policy"]  # embeddable
    # Every script the pages load is a static file: no inline script for the CSP to block.
    for html in (login.text, chat.text):
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
        assert not re.search(r"\son[a-z]+=", html)
    api = admin.client.post("/api/chat", json={"text": "xin chào"})
    assert api.headers["cache-control"] == "no-store" and api.headers["x-content-type-options"] == "nosniff"


def test_report_downloads_are_not_cached_or_sniffed(admin: Admin) -> None:
    admin.add("ha", "reporter")
    admin.login("ha")
    r = admin.client.get("/admin/reports/download?period=quarter&quarter=2026-Q4&format=md")
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    assert r.headers["cache-control"] == "no-store"
    assert r.headers["x-content-type-options"] == "nosniff"


# --- integers -----------------------------------------------------------------------------------
HUGE = "99999999999999999999999"


def test_huge_integers_in_admin_urls_are_clean(admin: Admin) -> None:
    admin.add("root", "admin", "editor", "approver")
    admin.login("root")
    for path in (
        f"/admin/audit?page={HUGE}",
        f"/admin/audit?page=-{HUGE}",
        f"/admin/chats?page={HUGE}",
        "/admin/chats?page=abc",
        f"/admin/broadcasts/new?message={HUGE}",
    ):
        r = admin.client.get(path)
        assert r.status_code == 200, (path, r.status_code)
    for path in (f"/admin/messages/{HUGE}", f"/admin/broadcasts/{HUGE}", f"/admin/broadcasts/{HUGE}/progress"):
        assert admin.client.get(path).status_code == 404, path
    csrf = admin.csrf()
    r = admin.client.post("/admin/chats/bulk", data={"csrf": csrf, "id": HUGE, "new_tags": "x"})
    assert r.status_code == 400 and "Chưa chọn nhóm" in r.text
    r = admin.client.post(f"/admin/messages/{HUGE}/approve", data={"csrf": csrf})
    assert r.status_code == 404
    r = admin.client.post(f"/admin/schedules/{HUGE}/enabled", data={"csrf": csrf, "enabled": "1"})
    assert r.status_code == 404
    r = admin.client.post(
        "/admin/broadcasts/new", data={"csrf": csrf, "message": HUGE, "when": "now"}
    )
    assert r.status_code == 400


# --- the chat cookie ----------------------------------------------------------------------------
def _chat_cookie(client: TestClient, headers: dict[str, str] | None = None) -> str:
    r = client.get("/chat", headers=headers)
    return next(h for h in r.headers.get_list("set-cookie") if h.startswith("loa_chat="))


def test_chat_cookie_is_secure_over_https_only(admin: Admin) -> None:
    assert "secure" not in _chat_cookie(_client(admin, "198.51.100.7")).lower()
    assert "secure" in _chat_cookie(_client(admin, "198.51.100.7", base_url="https://testserver")).lower()
    # Behind the trusted proxy, its X-Forwarded-Proto counts; from anyone else it does not.
    https = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.5"}
    assert "secure" in _chat_cookie(_client(admin, PROXY), https).lower()
    assert "secure" not in _chat_cookie(_client(admin, "198.51.100.7"), https).lower()


# --- webhook shapes -----------------------------------------------------------------------------
SECRET = "shape-secret"


@pytest.fixture
def telegram_client(tmp_path: Path) -> Iterator[tuple[TestClient, FakeTelegramAPI]]:
    with FakeTelegramAPI() as tg:
        settings = Settings(  # type: ignore[call-arg]
            db=tmp_path / "tg.db", secret_key="k", public_url="https://loa.example.vn",
            telegram_token=tg.token, telegram_base_url=tg.base_url, telegram_mode="webhook",
            telegram_webhook_secret=SECRET, _env_file=None,
        )
        from bot.web.app import create_app

        with TestClient(create_app(settings)) as client:
            adapter = client.app.state.runtime.channels["telegram"]  # type: ignore[attr-defined]
            deadline = time.monotonic() + 10
            while not adapter.ready.is_set():
                assert time.monotonic() < deadline
                time.sleep(0.01)
            yield client, tg


def _msg(**fields: object) -> dict[str, object]:
    base: dict[str, object] = {"message_id": 1, "date": 1, "chat": {"id": 77, "type": "private"}, "text": "/start"}
    return {**base, **fields}


WRONG_SHAPES = [
    _msg(chat={"id": "abc", "type": "private"}),
    _msg(chat={"id": 5.5, "type": "private"}),
    _msg(chat={"id": True, "type": "private"}),
    _msg(chat={"id": 7, "type": "nonsense"}),
    {k: v for k, v in _msg().items() if k != "chat"},
    _msg(text=12345),
    _msg(location={"latitude": "a", "longitude": None}),
    _msg(**{"from": "bob"}),
]


def test_wrong_webhook_shapes_are_refused_quietly(
    telegram_client: tuple[TestClient, FakeTelegramAPI], caplog: pytest.LogCaptureFixture
) -> None:
    client, tg = telegram_client
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}
    with caplog.at_level(logging.WARNING):
        for i, message in enumerate(WRONG_SHAPES):
            body = {"update_id": 5000 + i, "message": message}
            r = client.post("/webhook/telegram", content=json.dumps(body), headers=headers)
            assert r.status_code == 400, (message, r.text)
        r = client.post(
            "/webhook/telegram", content=json.dumps({"update_id": 6000, "my_chat_member": {"chat": {"id": "zz"}}}),
            headers=headers,
        )
        assert r.status_code == 400
        # A kind Loa does not subscribe to is acknowledged and dropped.
        r = client.post("/webhook/telegram", content=json.dumps({"update_id": 6001, "poll": {"id": "x"}}), headers=headers)
        assert r.status_code == 200
        time.sleep(0.5)
    assert tg.sent == []
    assert not [rec for rec in caplog.records if rec.exc_info]
    # A well-formed update is still answered, to an integer chat id.
    r = client.post("/webhook/telegram", content=json.dumps({"update_id": 6002, "message": _msg()}), headers=headers)
    assert r.status_code == 200
    assert tg.wait_for_sent(1)[0]["chat_id"] == "77"


def test_no_admin_route_fails_on_huge_or_malformed_numbers(admin: Admin) -> None:
    """Every admin route, with a huge or malformed value in every path, query and form field."""
    from bot.web.admin import route_permissions

    admin.add("root", "admin", "editor", "approver", "reporter")
    admin.login("root")
    csrf = admin.csrf()
    fields = ("page", "message", "year", "quarter", "start", "end", "id", "count", "participants", "at", "date")
    for value in (HUGE, "-" + HUGE, "1e999", "NaN", "0x10"):
        query = "&".join(f"{f}={value}" for f in fields)
        for (method, path) in route_permissions():
            url = re.sub(r"\{(\w+)(:\w+)?\}", value if "int" in path else "x", path)
            url = re.sub(r"\{[^}]+\}", value, url)
            if method == "GET":
                r = admin.client.get(f"{url}?{query}", follow_redirects=False)
            else:
                if path.endswith(("/logout", "/login")):
                    continue
                r = admin.client.post(url, data={"csrf": csrf, **dict.fromkeys(fields, value)}, follow_redirects=False)
            assert r.status_code < 500, (method, url, value, r.status_code)
