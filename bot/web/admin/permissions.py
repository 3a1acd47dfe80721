"""Which roles may do what in the web admin — one table, checked on the server for every route.

``admin`` is not a super-user for content: an administrator manages users, imports and the
audit log; to draft or approve messages they give themselves those roles (and that change
is audited). Least privilege keeps the four-eyes rule meaningful.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.roles import ADMIN, APPROVER, EDITOR, REPORTER, ROLES

ALL_ROLES = frozenset(ROLES)

PERMISSIONS: dict[str, frozenset[str]] = {
    "dashboard": ALL_ROLES,
    "messages.view": frozenset({EDITOR, APPROVER, ADMIN}),
    "messages.edit": frozenset({EDITOR}),
    "messages.decide": frozenset({APPROVER}),
    "broadcasts.view": frozenset({EDITOR, APPROVER, REPORTER, ADMIN}),
    "broadcasts.manage": frozenset({EDITOR}),
    "schedules.view": frozenset({EDITOR, APPROVER, ADMIN}),
    "schedules.manage": frozenset({EDITOR}),
    "chats.view": frozenset({EDITOR, ADMIN}),
    "chats.edit": frozenset({EDITOR, ADMIN}),
    "sites.view": frozenset({EDITOR, REPORTER, ADMIN}),
    "sites.manage": frozenset({EDITOR, ADMIN}),
    "unanswered": frozenset({EDITOR}),
    "unanswered.review": frozenset({EDITOR}),
    "activities.view": frozenset({REPORTER, EDITOR, ADMIN}),
    "activities.edit": frozenset({REPORTER, EDITOR}),
    "reports": frozenset({REPORTER, ADMIN}),
    "reach.manage": frozenset({EDITOR, ADMIN}),
    "posters": frozenset({EDITOR, REPORTER, ADMIN}),
    "users": frozenset({ADMIN}),
    "audit": frozenset({ADMIN}),
}


def allowed(roles: Iterable[str], permission: str) -> bool:
    """True if any of ``roles`` grants ``permission`` (unknown permissions grant nothing)."""
    granted = PERMISSIONS.get(permission, frozenset())
    return any(r in granted for r in roles)
