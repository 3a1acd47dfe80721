"""Officer accounts (issue 12, finding 7): nobody but the officer knows their password.

New and reset accounts get a single-use, expiring invitation link; officers change their own
password; every account change is on the dashboard and in the audit log with who made it.
Real app, real SQLite file, real argon2.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot import users
from bot.config import Settings
from bot.store import Store
from bot.store import admin as admin_store
from tests.conftest import make_db
from tests.test_admin import PASSWORD, Admin, open_admin

LINK_RE = re.compile(r'<code id="invite-link">([^<]+)</code>')
NEW_PASSWORD = "mua-xuan-2026-moi"


@pytest.fixture
def admin(settings: Settings) -> Iterator[Admin]:
    yield from open_admin(settings)


def _as(admin: Admin, name: str, password: str = PASSWORD) -> None:
    admin.client.cookies.clear()
    admin.login(name, password)


def _invite(admin: Admin, name: str, *roles: str) -> str:
    """The admin creates ``name`` in the web admin; returns the token of the link shown."""
    r = admin.client.post("/admin/users", data={"csrf": admin.csrf(), "name": name, "role": list(roles)})
    assert r.status_code == 200, r.text
    return LINK_RE.search(r.text).group(1).rsplit("/", 1)[1]  # type: ignore[union-attr]


def _accept(admin: Admin, token: str, password: str = NEW_PASSWORD, repeat: str | None = None) -> int:
    r = admin.client.post(
        f"/admin/invite/{token}",
        data={"password": password, "password2": password if repeat is None else repeat},
        follow_redirects=False,
    )
    return r.status_code


def _login_status(admin: Admin, name: str, password: str) -> int:
    admin.client.cookies.clear()
    page = admin.client.get("/admin/login").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    r = admin.client.post(
        "/admin/login", data={"name": name, "password": password, "csrf": csrf}, follow_redirects=False
    )
    return r.status_code


def test_invitation_link_works_once(admin: Admin) -> None:
    admin.add("boss", "admin")
    _as(admin, "boss")
    token = _invite(admin, "hung", "approver")
    admin.client.cookies.clear()
    page = admin.client.get(f"/admin/invite/{token}")
    assert page.status_code == 200 and "hung" in page.text and "Đặt mật khẩu" in page.text
    assert page.headers["cache-control"] == "no-store"
    assert _accept(admin, token) == 303
    # A second use (the admin trying the link later, or a replay) is refused, password kept.
    assert _accept(admin, token, "ke-gian-doi-2026") == 410
    assert admin.client.get(f"/admin/invite/{token}").status_code == 410
    assert _login_status(admin, "hung", "ke-gian-doi-2026") == 401
    assert _login_status(admin, "hung", NEW_PASSWORD) == 303
    # Only the token's hash is stored.
    rows = admin.store.conn.execute("SELECT token_hash FROM user_invites").fetchall()
    assert rows and all(token not in r[0] for r in rows)
    accepted = [e for e in admin.audit() if e["action"] == "user.invite_accepted"]
    assert accepted and accepted[0]["user"] == "hung"


def test_invitation_link_expires_after_72_hours(admin: Admin) -> None:
    admin.add("boss", "admin")
    _as(admin, "boss")
    token = _invite(admin, "hung", "approver")
    admin.client.cookies.clear()
    admin.clock.at += timedelta(hours=72, seconds=1)
    r = admin.client.get(f"/admin/invite/{token}")
    assert r.status_code == 410 and "hết hạn" in r.text
    assert _accept(admin, token) == 410
    assert users.get_user(admin.store, "hung")["password_hash"] is None  # type: ignore[index]
    assert admin.client.get("/admin/invite/not-a-real-token").status_code == 404


def test_weak_or_mismatched_passwords_are_refused_in_vietnamese(admin: Admin) -> None:
    admin.add("boss", "admin")
    _as(admin, "boss")
    token = _invite(admin, "hung", "approver")
    admin.client.cookies.clear()
    for password, repeat in (("12345678", None), ("hung-2026-abc", None), (NEW_PASSWORD, "khac-hoan-toan-1")):
        r = admin.client.post(
            f"/admin/invite/{token}", data={"password": password, "password2": repeat or password}
        )
        assert r.status_code == 400
        assert "ít nhất 10 ký tự" in r.text or "không khớp" in r.text
    assert _accept(admin, token) == 303  # the link still works after refusals


def test_admin_cannot_log_in_as_the_new_officer(admin: Admin) -> None:
    admin.add("boss", "admin")
    admin.add("lan", "approver", password="lan-cu-1234567")
    _as(admin, "boss")
    r = admin.client.post("/admin/users", data={"csrf": admin.csrf(), "name": "hung", "role": ["approver"]})
    # The page shows a link, never a password, and the account has none until the officer sets it.
    assert 'id="otp"' not in r.text and "Mật khẩu dùng một lần" not in r.text
    assert users.get_user(admin.store, "hung")["password_hash"] is None  # type: ignore[index]
    candidates = set(re.findall(r"<code[^>]*>([^<]+)</code>", r.text))
    candidates |= {c.rsplit("/", 1)[-1] for c in candidates}
    # A reset takes the old password away: the admin gets a link for lan, not her password.
    _as(admin, "boss")
    reset = admin.client.post("/admin/users/lan/password", data={"csrf": admin.csrf()})
    candidates |= set(re.findall(r"<code[^>]*>([^<]+)</code>", reset.text))
    for guess in candidates | {"", "hung"}:
        assert _login_status(admin, "hung", guess) in (400, 401), guess
    assert _login_status(admin, "lan", "lan-cu-1234567") == 401


def test_officer_changes_own_password(admin: Admin) -> None:
    admin.add("lan", "editor")
    _as(admin, "lan")
    other = admin.client.cookies.get("loa_admin")
    admin.client.cookies.clear()
    admin.login("lan")
    page = admin.client.get("/admin/account")
    assert page.status_code == 200 and "ít nhất 10 ký tự" in page.text
    wrong = admin.client.post(
        "/admin/account",
        data={"csrf": admin.csrf(), "current": "not-mine-at-all", "password": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert wrong.status_code == 400 and "Mật khẩu hiện tại không đúng" in wrong.text
    weak = admin.client.post(
        "/admin/account", data={"csrf": admin.csrf(), "current": PASSWORD, "password": "lan12345", "password2": "lan12345"}
    )
    assert weak.status_code == 400 and "ít nhất 10 ký tự" in weak.text
    ok = admin.client.post(
        "/admin/account",
        data={"csrf": admin.csrf(), "current": PASSWORD, "password": NEW_PASSWORD, "password2": NEW_PASSWORD},
        follow_redirects=False,
    )
    assert ok.status_code == 303
    assert admin.client.get("/admin/account").status_code == 200  # this session stays
    # The other session ended; the old password no longer works, the new one does.
    mine = admin.client.cookies.get("loa_admin")
    admin.client.cookies.set("loa_admin", other, path="/admin")  # type: ignore[arg-type]
    assert admin.client.get("/admin", follow_redirects=False).status_code == 303
    admin.client.cookies.set("loa_admin", mine, path="/admin")  # type: ignore[arg-type]
    assert _login_status(admin, "lan", PASSWORD) == 401
    assert _login_status(admin, "lan", NEW_PASSWORD) == 303
    change = [e for e in admin.audit() if e["action"] == "user.password_change"]
    assert change and change[0]["user"] == "lan" and NEW_PASSWORD not in str(admin.audit())


def test_role_change_is_audited_and_shown_on_every_officers_dashboard(admin: Admin) -> None:
    admin.add("boss", "admin")
    admin.add("lan", "editor")
    admin.add("minh", "approver")
    _as(admin, "boss")
    _invite(admin, "hung", "reporter")
    r = admin.client.post(
        "/admin/users/hung/roles", data={"csrf": admin.csrf(), "role": ["approver"]}, follow_redirects=False
    )
    assert r.status_code == 303
    entry = next(e for e in admin.audit() if e["action"] == "user.roles")
    assert entry["user"] == "boss" and entry["target"] == "user:hung"
    assert entry["detail"] == {"roles": "approver", "before": "reporter"}
    added = next(e for e in admin.audit() if e["action"] == "user.add")
    assert added["user"] == "boss" and added["target"] == "user:hung"
    # The approver whose four-eyes rule a second approver could bypass sees both changes.
    _as(admin, "minh")
    box = admin.client.get("/admin").text.split('id="account-changes"')[1]
    assert "boss" in box and "đổi vai trò của hung: Duyệt tin (trước đó: Báo cáo)" in box
    assert "tạo tài khoản hung: Báo cáo" in box


def _cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("LOA_")}
    env.update(
        {"LOA_DB": str(make_db(tmp_path / "cli.db")), "LOA_SECRET_KEY": "cli-secret", "LOA_PUBLIC_URL": "https://loa.example.vn/"}
    )
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60
    )


def test_cli_prints_an_invitation_link_not_a_password(tmp_path: Path) -> None:
    r = _cli(tmp_path, "users", "add", "hung", "--role", "approver")
    assert r.returncode == 0, r.stderr
    links = re.findall(r"https://loa\.example\.vn/admin/invite/([\w-]+)", r.stdout)
    assert len(links) == 1 and "password:" not in r.stdout.lower()
    assert r.stdout.strip().splitlines()[-1] == "1"
    store = Store.open(tmp_path / "cli.db")
    try:
        assert users.get_user(store, "hung")["password_hash"] is None  # type: ignore[index]
        added = admin_store.list_audit(store, action="user.add")
        assert added and added[0]["user"].startswith("cli") and added[0]["target"] == "user:hung"
    finally:
        store.close()
    reset = _cli(tmp_path, "users", "reset", "hung")
    assert reset.returncode == 0, reset.stderr
    new_links = re.findall(r"https://loa\.example\.vn/admin/invite/([\w-]+)", reset.stdout)
    assert len(new_links) == 1 and new_links != links
    assert "reset" in _cli(tmp_path, "users", "--help").stdout
    # The reset closed the first link; the new one sets the password in the web admin.
    settings = Settings(db=tmp_path / "cli.db", secret_key="cli-secret", _env_file=None)  # type: ignore[call-arg]
    for running in open_admin(settings):
        assert _accept(running, links[0]) == 410
        assert _accept(running, new_links[0]) == 303
        assert _login_status(running, "hung", NEW_PASSWORD) == 303
