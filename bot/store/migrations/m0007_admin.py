"""Web admin tables: officer sessions, the audit log and login attempts (for throttling)."""

from __future__ import annotations

import sqlite_utils

ID = "0007_admin"


def up(db: sqlite_utils.Database) -> None:
    """Create the admin tables and their indexes."""
    # The cookie carries a random token; only its SHA-256 is stored, so a leaked
    # database does not hand out live sessions.
    db["admin_sessions"].create(
        {
            "id": str,  # sha256 hex of the cookie token
            "user": str,
            "csrf": str,  # per-session CSRF token embedded in every form
            "created_at": str,
            "last_seen": str,
            "expires_at": str,
            "ip": str,
        },
        pk="id",
        not_null={"user", "csrf", "created_at", "last_seen", "expires_at"},
        if_not_exists=True,
    )
    db["admin_sessions"].create_index(["user"], if_not_exists=True)
    db["admin_sessions"].create_index(["expires_at"], if_not_exists=True)

    # Append-only: who did what, when (viewable by admins).
    db["audit_log"].create(
        {
            "id": int,
            "at": str,  # UTC ISO "YYYY-MM-DDTHH:MM:SS"
            "user": str,
            "action": str,  # e.g. login, message.approve, broadcast.create
            "target": str,  # e.g. "message:3", "broadcast:7"
            "detail": str,  # small JSON
            "ip": str,
        },
        pk="id",
        not_null={"at", "action"},
        if_not_exists=True,
    )
    db["audit_log"].create_index(["at"], if_not_exists=True)
    db["audit_log"].create_index(["user", "at"], if_not_exists=True)

    db["login_attempts"].create(
        {"id": int, "at": str, "name": str, "ip": str, "ok": int},
        pk="id",
        not_null={"at", "ok"},
        if_not_exists=True,
    )
    db["login_attempts"].create_index(["name", "at"], if_not_exists=True)
    db["login_attempts"].create_index(["ip", "at"], if_not_exists=True)
