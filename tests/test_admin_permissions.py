"""Every admin route's permission matrix, checked on the server: anonymous and each role.

The test walks the app's real routes, so a new page without an entry here (or with a
different permission than listed) fails the suite.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from bot.config import Settings
from bot.web.admin import route_permissions
from bot.web.admin.permissions import PERMISSIONS
from tests.test_admin import Admin, open_admin

ROLES = ("editor", "approver", "reporter", "admin")

#: (method, path) → permission; None = public (the login page, invitation links).
MATRIX: dict[tuple[str, str], str | None] = {
    ("GET", "/admin/login"): None,
    ("POST", "/admin/login"): None,
    ("POST", "/admin/logout"): "dashboard",
    ("GET", "/admin/invite/{token}"): None,
    ("POST", "/admin/invite/{token}"): None,
    ("GET", "/admin/account"): "dashboard",
    ("POST", "/admin/account"): "dashboard",
    ("GET", "/admin"): "dashboard",
    ("GET", "/admin/"): "dashboard",
    ("GET", "/admin/audit"): "audit",
    ("GET", "/admin/messages"): "messages.view",
    ("POST", "/admin/messages/preview"): "messages.view",
    ("GET", "/admin/messages/new"): "messages.edit",
    ("POST", "/admin/messages/new"): "messages.edit",
    ("GET", "/admin/messages/{message_id}"): "messages.view",
    ("GET", "/admin/messages/{message_id}/edit"): "messages.edit",
    ("POST", "/admin/messages/{message_id}/edit"): "messages.edit",
    ("POST", "/admin/messages/{message_id}/submit"): "messages.edit",
    ("POST", "/admin/messages/{message_id}/approve"): "messages.decide",
    ("POST", "/admin/messages/{message_id}/reject"): "messages.decide",
    ("POST", "/admin/messages/{message_id}/retire"): "messages.edit",
    ("GET", "/admin/broadcasts"): "broadcasts.view",
    ("GET", "/admin/broadcasts/count"): "broadcasts.manage",
    ("GET", "/admin/broadcasts/new"): "broadcasts.manage",
    ("POST", "/admin/broadcasts/new"): "broadcasts.manage",
    ("GET", "/admin/broadcasts/{broadcast_id}"): "broadcasts.view",
    ("GET", "/admin/broadcasts/{broadcast_id}/progress"): "broadcasts.view",
    ("POST", "/admin/broadcasts/{broadcast_id}/pause"): "broadcasts.manage",
    ("POST", "/admin/broadcasts/{broadcast_id}/resume"): "broadcasts.manage",
    ("POST", "/admin/broadcasts/{broadcast_id}/cancel"): "broadcasts.manage",
    ("POST", "/admin/broadcasts/{broadcast_id}/resend"): "broadcasts.manage",
    ("GET", "/admin/chats"): "chats.view",
    ("POST", "/admin/chats/bulk"): "chats.edit",
    ("POST", "/admin/chats/{row_id}/guard"): "chats.edit",
    ("GET", "/admin/schedules"): "schedules.view",
    ("POST", "/admin/schedules"): "schedules.manage",
    ("POST", "/admin/schedules/{schedule_id}/enabled"): "schedules.manage",
    ("GET", "/admin/sites"): "sites.view",
    ("POST", "/admin/sites/upload"): "sites.manage",
    ("GET", "/admin/sites/sessions/{session_id}/edit"): "sites.manage",
    ("POST", "/admin/sites/sessions/{session_id}/edit"): "sites.manage",
    ("GET", "/admin/unanswered"): "unanswered",
    ("POST", "/admin/unanswered/{question_id}/handled"): "unanswered.review",
    ("POST", "/admin/unanswered/{question_id}/reopen"): "unanswered.review",
    ("POST", "/admin/unanswered/{question_id}/sample"): "unanswered.review",
    ("GET", "/admin/activities"): "activities.view",
    ("POST", "/admin/activities"): "activities.edit",
    ("POST", "/admin/activities/import"): "activities.edit",
    ("GET", "/admin/broadcasts/{broadcast_id}/share"): "broadcasts.view",
    ("POST", "/admin/broadcasts/{broadcast_id}/share/links"): "reach.manage",
    ("POST", "/admin/share-links/{link_id}/revoke"): "reach.manage",
    ("GET", "/admin/posters"): "posters",
    ("POST", "/admin/posters"): "posters",
    ("GET", "/admin/reports"): "reports",
    ("GET", "/admin/reports/download"): "reports",
    ("GET", "/admin/users"): "users",
    ("POST", "/admin/users"): "users",
    ("POST", "/admin/users/{name}/roles"): "users",
    ("POST", "/admin/users/{name}/password"): "users",
    ("POST", "/admin/users/{name}/active"): "users",
}

#: Optional pages, listed by the module that provides them (present once their library landed).
OPTIONAL: dict[tuple[str, str], str] = {}


def _admin_routes(admin: Admin) -> dict[tuple[str, str], str | None]:
    """The admin's routes with their permission; checked against the app's own route table."""
    # Path convertors ("{message_id:int}") are not part of the public path.
    routes = {(m, re.sub(r":\w+}", "}", p)): perm for (m, p), perm in route_permissions().items()}
    schema = admin.client.app.openapi()  # type: ignore[attr-defined]
    mounted = {
        (method.upper(), path)
        for path, ops in schema["paths"].items()
        if path.startswith("/admin")
        for method in ops
    }
    assert mounted == set(routes)
    return routes


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


@pytest.fixture
def admin(settings: Settings) -> Iterator[Admin]:
    yield from open_admin(settings)


def test_every_route_is_in_the_matrix(admin: Admin) -> None:
    found = _admin_routes(admin)
    expected = {**MATRIX, **{k: v for k, v in OPTIONAL.items() if k in found}}
    assert found == expected
    for perm in found.values():
        assert perm is None or perm in PERMISSIONS


def test_anonymous_gets_the_login_page_everywhere(admin: Admin) -> None:
    for (method, path), perm in _admin_routes(admin).items():
        if perm is None:
            continue
        r = admin.client.request(method, _concrete(path), follow_redirects=False)
        assert r.status_code == 303, (method, path)
        assert r.headers["location"].startswith("/admin/login"), (method, path)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_its_pages(admin: Admin, role: str) -> None:
    from bot.web.admin import security

    admin.add(f"u_{role}", role)
    routes = _admin_routes(admin)
    for (method, path), perm in sorted(routes.items(), key=lambda kv: kv[0][1] == "/admin/logout"):
        if perm is None:
            continue
        if security.SESSION_COOKIE not in admin.client.cookies:
            admin.login(f"u_{role}")
        url = _concrete(path)
        if method == "GET":
            r = admin.client.get(url, follow_redirects=False)
        else:
            r = admin.client.post(url, data={"csrf": admin.csrf()}, follow_redirects=False)
        allowed = role in PERMISSIONS[perm]
        if allowed:
            assert r.status_code != 403, (role, method, path)
            assert not r.headers.get("location", "").startswith("/admin/login?next"), (role, method, path)
        else:
            assert r.status_code == 403, (role, method, path, r.status_code)
            assert "không có quyền" in r.text


@pytest.mark.parametrize("role", ROLES)
def test_post_without_csrf_is_rejected_everywhere(admin: Admin, role: str) -> None:
    admin.add(f"u_{role}", role)
    admin.login(f"u_{role}")
    before = admin.store.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    for (method, path), perm in _admin_routes(admin).items():
        if method != "POST" or perm is None or role not in PERMISSIONS[perm]:
            continue
        r = admin.client.post(_concrete(path), data={"csrf": "forged"}, follow_redirects=False)
        assert r.status_code == 403, (method, path)
        r = admin.client.post(_concrete(path), data={}, follow_redirects=False)
        assert r.status_code == 403, (method, path)
    # A rejected form changes nothing (no audit entries either).
    assert admin.store.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0] == before
