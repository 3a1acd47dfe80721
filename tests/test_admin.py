"""The web admin's security: login, sessions, CSRF, throttling, audit (real app, real store)."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bot import users
from bot.config import Settings
from bot.store import Store, officers
from bot.store import admin as admin_store
from bot.web.admin import security
from bot.web.app import create_app
from tests.conftest import FIXED_NOW

PASSWORD = "correct-horse-battery"
CSRF_RE = re.compile(r'name="csrf" value="([^"]+)"')


@functools.cache
def fast_hash(password: str) -> str:
    """An argon2id hash with test-light parameters."""
    from argon2 import PasswordHasher

    return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(password)


@dataclass
class Clock:
    """A settable clock for the admin (sessions, throttling, audit)."""

    at: datetime

    def __call__(self) -> datetime:
        return self.at


@dataclass
class Admin:
    """A running app with its client, store and clock."""

    client: TestClient
    store: Store
    clock: Clock
    settings: Settings

    def add(self, name: str, *roles: str, password: str = PASSWORD) -> None:
        """Create an officer. The hash is real argon2 with light parameters (they travel in the
        hash, so ``users.verify_password`` checks it as usual) to keep the suite fast."""
        users.add_user(self.store, name, list(roles))
        officers.update_user(
            self.store, users.get_user(self.store, name)["id"], password_hash=fast_hash(password)
        )  # type: ignore[index]

    def login(self, name: str, password: str = PASSWORD, *, client: TestClient | None = None) -> TestClient:
        c = client or self.client
        page = c.get("/admin/login")
        token = CSRF_RE.search(page.text).group(1)  # type: ignore[union-attr]
        r = c.post(
            "/admin/login", data={"name": name, "password": password, "csrf": token}, follow_redirects=False
        )
        assert r.status_code == 303, r.text
        return c

    def csrf(self, path: str = "/admin") -> str:
        """The session's CSRF token, read from a page's forms."""
        return CSRF_RE.search(self.client.get(path).text).group(1)  # type: ignore[union-attr]

    def audit(self) -> list[dict]:
        return admin_store.list_audit(self.store, limit=1000)


def open_admin(settings: Settings, base_url: str = "http://testserver") -> Iterator[Admin]:
    """Start the app (lifespan) with a fixed, settable admin clock."""
    app = create_app(settings, start_channels=False)
    clock = Clock(FIXED_NOW)
    app.state.admin_clock = clock
    with TestClient(app, base_url=base_url) as client:
        # The app's store belongs to its event loop's thread: the test reads and writes the
        # same database through a connection of its own.
        store = Store.open(settings.db, migrate=False)
        try:
            yield Admin(client, store, clock, settings)
        finally:
            store.close()


@pytest.fixture
def admin(settings: Settings) -> Iterator[Admin]:
    yield from open_admin(settings)


def test_anonymous_is_sent_to_login_with_next(admin: Admin) -> None:
    r = admin.client.get("/admin/audit?user=x", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/admin/login?next=/admin/audit%3Fuser%3Dx"
    page = admin.client.get(r.headers["location"])
    assert page.status_code == 200 and 'lang="vi"' in page.text and "Đăng nhập" in page.text
    assert 'name="next" value="/admin/audit?user=x"' in page.text


def test_login_sets_a_hardened_session_cookie_and_audits(admin: Admin) -> None:
    admin.add("lan", "editor")
    admin.login("lan")
    cookie = next(c for c in admin.client.cookies.jar if c.name == security.SESSION_COOKIE)
    assert cookie.path == "/admin" and not cookie.secure
    assert cookie.has_nonstandard_attr("HttpOnly")
    r = admin.client.get("/admin")
    assert r.status_code == 200 and "Tổng quan" in r.text and "lan" in r.text
    # The token is stored only as a hash.
    rows = admin.store.conn.execute("SELECT id FROM admin_sessions").fetchall()
    assert rows and rows[0][0] == security.hash_token(cookie.value)
    assert [e["action"] for e in admin.audit()] == ["login"]
    assert admin.audit()[0]["user"] == "lan"


def test_set_cookie_header_flags(admin: Admin) -> None:
    admin.add("lan", "editor")
    page = admin.client.get("/admin/login")
    token = CSRF_RE.search(page.text).group(1)  # type: ignore[union-attr]
    r = admin.client.post(
        "/admin/login", data={"name": "lan", "password": PASSWORD, "csrf": token}, follow_redirects=False
    )
    header = next(h for h in r.headers.get_list("set-cookie") if h.startswith(security.SESSION_COOKIE + "="))
    assert "HttpOnly" in header and "SameSite=lax" in header and "Path=/admin" in header
    assert "Secure" not in header


def test_cookie_is_secure_behind_https(tmp_path) -> None:
    settings = Settings(db=tmp_path / "s.db", secret_key="k", cookie_secure=True, _env_file=None)  # type: ignore[call-arg]
    for adm in open_admin(settings, base_url="https://testserver"):
        adm.add("lan", "editor")
        page = adm.client.get("/admin/login")
        assert "Secure" in page.headers["set-cookie"]
        token = CSRF_RE.search(page.text).group(1)  # type: ignore[union-attr]
        r = adm.client.post(
            "/admin/login", data={"name": "lan", "password": PASSWORD, "csrf": token}, follow_redirects=False
        )
        header = next(
            h for h in r.headers.get_list("set-cookie") if h.startswith(security.SESSION_COOKIE + "=")
        )
        assert "Secure" in header and "HttpOnly" in header


def test_wrong_password_is_refused_and_audited(admin: Admin) -> None:
    admin.add("lan", "editor")
    page = admin.client.get("/admin/login")
    token = CSRF_RE.search(page.text).group(1)  # type: ignore[union-attr]
    r = admin.client.post("/admin/login", data={"name": "lan", "password": "nope-nope", "csrf": token})
    assert r.status_code == 401 and "không đúng" in r.text
    assert security.SESSION_COOKIE not in admin.client.cookies
    assert admin.audit()[0]["action"] == "login.failed" and admin.audit()[0]["target"] == "user:lan"
    r = admin.client.post("/admin/login", data={"name": "ghost", "password": "whatever1", "csrf": token})
    assert r.status_code == 401


def test_login_without_csrf_cookie_is_rejected(admin: Admin) -> None:
    admin.add("lan", "editor")
    r = admin.client.post("/admin/login", data={"name": "lan", "password": PASSWORD, "csrf": "forged"})
    assert r.status_code == 403
    assert security.SESSION_COOKIE not in admin.client.cookies


@pytest.mark.parametrize("data", [{"name": "", "password": ""}, {"name": "lan"}, {"password": "x"}])
def test_login_missing_fields(admin: Admin, data: dict) -> None:
    page = admin.client.get("/admin/login")
    token = CSRF_RE.search(page.text).group(1)  # type: ignore[union-attr]
    r = admin.client.post("/admin/login", data={**data, "csrf": token})
    assert r.status_code == 400 and "Vui lòng nhập" in r.text


def test_login_throttled_per_name_then_released(admin: Admin) -> None:
    admin.add("lan", "editor")
    page = admin.client.get("/admin/login")
    token = CSRF_RE.search(page.text).group(1)  # type: ignore[union-attr]
    for _ in range(security.FREE_FAILURES_PER_NAME):
        r = admin.client.post("/admin/login", data={"name": "LAN", "password": "wrong-one", "csrf": token})
        assert r.status_code == 401
    # This source must wait a moment, even with the right password.
    r = admin.client.post("/admin/login", data={"name": "lan", "password": PASSWORD, "csrf": token})
    assert r.status_code == 429 and "đợi 1 giây" in r.text and r.headers["retry-after"] == "1"
    assert admin.audit()[0]["action"] == "login.throttled"
    admin.clock.at += security.FIRST_WAIT
    admin.login("lan")
    assert admin.client.get("/admin").status_code == 200


def test_login_throttled_per_address(admin: Admin) -> None:
    admin.add("lan", "editor")
    page = admin.client.get("/admin/login")
    token = CSRF_RE.search(page.text).group(1)  # type: ignore[union-attr]
    # Known names (their light test hashes keep this fast), each failing up to its own limit.
    names = [f"u{i}" for i in range(security.FREE_FAILURES_PER_ADDRESS // security.FREE_FAILURES_PER_NAME)]
    for name in names:
        admin.add(name, "editor")
        for _ in range(security.FREE_FAILURES_PER_NAME):
            r = admin.client.post("/admin/login", data={"name": name, "password": "wrong-one", "csrf": token})
            assert r.status_code == 401
    r = admin.client.post("/admin/login", data={"name": "lan", "password": PASSWORD, "csrf": token})
    assert r.status_code == 429


def test_success_resets_the_name_counter(admin: Admin) -> None:
    admin.add("lan", "editor")
    for _ in range(security.FREE_FAILURES_PER_NAME - 1):
        page = admin.client.get("/admin/login")
        token = CSRF_RE.search(page.text).group(1)  # type: ignore[union-attr]
        admin.client.post("/admin/login", data={"name": "lan", "password": "wrong-one", "csrf": token})
    admin.clock.at += timedelta(seconds=1)
    admin.login("lan")
    admin.client.cookies.clear()
    admin.clock.at += timedelta(seconds=1)
    page = admin.client.get("/admin/login")
    token = CSRF_RE.search(page.text).group(1)  # type: ignore[union-attr]
    r = admin.client.post("/admin/login", data={"name": "lan", "password": "wrong-one", "csrf": token})
    assert r.status_code == 401  # counted afresh, not locked


def test_open_redirect_is_refused(admin: Admin) -> None:
    admin.add("lan", "editor")
    page = admin.client.get("/admin/login?next=//evil.example/x")
    assert 'name="next" value="/admin"' in page.text
    token = CSRF_RE.search(page.text).group(1)  # type: ignore[union-attr]
    r = admin.client.post(
        "/admin/login",
        data={"name": "lan", "password": PASSWORD, "csrf": token, "next": "https://evil.example/"},
        follow_redirects=False,
    )
    assert r.headers["location"] == "/admin"


def test_logout_needs_csrf_and_ends_the_session(admin: Admin) -> None:
    admin.add("lan", "editor")
    admin.login("lan")
    token = admin.client.cookies.get(security.SESSION_COOKIE)
    r = admin.client.post("/admin/logout", data={"csrf": "forged"})
    assert r.status_code == 403 and "Biểu mẫu" in r.text
    assert admin.client.get("/admin").status_code == 200  # still signed in
    r = admin.client.post("/admin/logout", data={"csrf": admin.csrf()}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/admin/login?ok=logged_out"
    # The old token is dead even if a copy of the cookie survived.
    admin.client.cookies.set(security.SESSION_COOKIE, token, path="/admin")
    assert admin.client.get("/admin", follow_redirects=False).status_code == 303
    assert [e["action"] for e in admin.audit()][:2] == ["logout", "login"]


def test_session_expires_when_idle_and_at_the_absolute_cap(admin: Admin) -> None:
    admin.add("lan", "editor")
    admin.login("lan")
    admin.clock.at += security.IDLE_TIMEOUT - timedelta(minutes=5)
    assert admin.client.get("/admin").status_code == 200  # slides the idle expiry
    admin.clock.at += security.IDLE_TIMEOUT - timedelta(minutes=5)
    assert admin.client.get("/admin").status_code == 200
    admin.clock.at += security.IDLE_TIMEOUT + timedelta(minutes=1)
    assert admin.client.get("/admin", follow_redirects=False).status_code == 303
    admin.login("lan")
    for _ in range(4):
        admin.clock.at += timedelta(hours=7)
        r = admin.client.get("/admin", follow_redirects=False)
    assert r.status_code == 303  # 28 h after login, active or not


def test_deactivated_officer_is_signed_out(admin: Admin) -> None:
    admin.add("lan", "editor")
    admin.login("lan")
    users.set_active(admin.store, "lan", False)
    assert admin.client.get("/admin", follow_redirects=False).status_code == 303
    assert admin.store.conn.execute("SELECT count(*) FROM admin_sessions").fetchone()[0] == 0


def test_garbage_cookie_is_just_anonymous(admin: Admin) -> None:
    admin.client.cookies.set(security.SESSION_COOKIE, "x" * 5000, path="/admin")
    assert admin.client.get("/admin", follow_redirects=False).status_code == 303


def test_audit_page_is_for_admins_and_lists_entries(admin: Admin) -> None:
    admin.add("lan", "editor")
    admin.add("boss", "admin")
    admin.login("lan")
    assert admin.client.get("/admin/audit").status_code == 403
    admin.client.cookies.clear()
    admin.login("boss")
    page = admin.client.get("/admin/audit")
    assert page.status_code == 200 and "Đăng nhập" in page.text and "lan" in page.text
    assert "Nhật ký" in admin.client.get("/admin").text  # in the menu for admins
    filtered = admin.client.get("/admin/audit?user=nobody")
    assert "Chưa có thao tác nào khớp bộ lọc" in filtered.text
    assert admin.client.get("/admin/audit?page=abc").status_code == 200


def test_dashboard_counts_events(admin: Admin) -> None:
    from bot.store.events import log_event

    admin.add("lan", "reporter")
    for i in range(3):
        log_event(admin.store, "interaction", at=FIXED_NOW, resident=f"r{i}")
    log_event(admin.store, "faq_answered", at=FIXED_NOW, resident="r1", topic="screening.where")
    log_event(admin.store, "scam_checked", at=FIXED_NOW - timedelta(days=30), value="scam")
    admin.login("lan")
    page = admin.client.get("/admin").text
    assert "— 1 lượt</li>" in page and "Người dân được phục vụ" in page  # the topic, labelled by bot.reports
    assert re.search(r'Người dân được phục vụ</div>\s*<div class="num">3</div>', page)
    assert 'class="chart"' in page
    assert "Nhật ký" not in page  # not an admin


def test_flash_keys_only(admin: Admin) -> None:
    page = admin.client.get("/admin/login?ok=<script>alert(1)</script>")
    assert "<script>alert" not in page.text
    assert "Bạn đã đăng xuất." in admin.client.get("/admin/login?ok=logged_out").text


def test_demo_officers_get_random_passwords_printed_once_per_database(
    settings: Settings, store: Store, tmp_path: Path
) -> None:
    from bot.features.admin import Admin

    feature = Admin()
    assert users.list_users(store) == []  # nothing exists (and nothing has a known password) outside demo
    banner = "\n".join(feature.load_demo(store, settings)).format(base="http://127.0.0.1:8080")
    assert "http://127.0.0.1:8080/admin" in banner
    logins = dict(re.findall(r"^\s+(editor|approver|reporter|admin)\s+(\S+)", banner, re.M))
    assert set(logins) == {"editor", "approver", "reporter", "admin"}
    assert users.verify_password(store, "editor", logins["editor"])  # argon2 is slow: check one
    for name, password in logins.items():
        row = users.get_user(store, name) or {}
        assert row["roles"] == [name] and row["password_hash"].startswith("$argon2")
        assert password not in row["password_hash"]
    assert len(set(logins.values())) == 4
    # Idempotent: the lifespan loads the demo again; the printed passwords stay valid.
    again = dict(
        re.findall(r"^\s+(editor|approver|reporter|admin)\s+(\S+)", "\n".join(feature.load_demo(store, settings)), re.M)
    )
    assert again == logins
    # Another demo database gets other passwords.
    other = Store.open(tmp_path / "other.db")
    try:
        assert "\n".join(feature.load_demo(other, settings)).format(base="http://127.0.0.1:8080") != banner
    finally:
        other.close()


def test_expired_sessions_are_purged_at_the_next_login(admin: Admin) -> None:
    admin.add("lan", "editor")
    admin.login("lan")
    admin.client.cookies.clear()
    admin.clock.at += security.IDLE_TIMEOUT + timedelta(minutes=1)
    admin.login("lan")
    assert admin.store.conn.execute("SELECT count(*) FROM admin_sessions").fetchone()[0] == 1
