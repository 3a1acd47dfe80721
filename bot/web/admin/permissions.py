"""Which roles may do what in the web admin — one table, checked on the server for every route.

``admin`` is not a super-user for content: an administrator manages users, imports and the
audit log; to draft or approve messages they give themselves those roles (and that change
is audited). Least privilege keeps the four-eyes rule meaningful.
"""

from __future__ import annotations

from collections.abc import Iterable

ALL_ROLES = frozenset({"editor", "approver", "reporter", "admin"})

PERMISSIONS: dict[str, frozenset[str]] = {
    "dashboard": ALL_ROLES,
    "messages.view": frozenset({"editor", "approver", "admin"}),
    "messages.edit": frozenset({"editor"}),
    "messages.decide": frozenset({"approver"}),
    "broadcasts.view": frozenset({"editor", "approver", "reporter", "admin"}),
    "broadcasts.manage": frozenset({"editor"}),
    "schedules.view": frozenset({"editor", "approver", "admin"}),
    "schedules.manage": frozenset({"editor"}),
    "chats.view": frozenset({"editor", "admin"}),
    "chats.edit": frozenset({"editor", "admin"}),
    "sites.view": frozenset({"editor", "reporter", "admin"}),
    "sites.manage": frozenset({"editor", "admin"}),
    "unanswered": frozenset({"editor"}),
    "activities.view": frozenset({"reporter", "editor", "admin"}),
    "activities.edit": frozenset({"reporter", "editor"}),
    "reports": frozenset({"reporter", "admin"}),
    "reach.manage": frozenset({"editor", "admin"}),
    "posters": frozenset({"editor", "reporter", "admin"}),
    "users": frozenset({"admin"}),
    "audit": frozenset({"admin"}),
}


def allowed(roles: Iterable[str], permission: str) -> bool:
    """True if any of ``roles`` grants ``permission`` (unknown permissions grant nothing)."""
    granted = PERMISSIONS.get(permission, frozenset())
    return any(r in granted for r in roles)
