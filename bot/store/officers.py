"""Officers (the ``users`` table): names, roles, password hashes. SQL only; rules live in bot/users.py."""

from __future__ import annotations

import sqlite3
from typing import Any

from bot.store.db import Store, utcnow_iso


def _row(row: sqlite3.Row | dict[str, Any] | None) -> dict[str, Any] | None:
    if row is None:
        return None
    out = dict(row)
    out["roles"] = [r for r in (out.get("roles") or "").split(",") if r]
    out["active"] = bool(out.get("active"))
    return out


def insert_user(store: Store, name: str, roles: list[str], password_hash: str | None) -> int:
    """Insert a user; raise ``sqlite3.IntegrityError`` if the name is taken."""
    cur = store.conn.execute(
        "INSERT INTO users (name, roles, password_hash, active, created_at) VALUES (?, ?, ?, 1, ?)",
        (name, ",".join(roles), password_hash, utcnow_iso()),
    )
    return int(cur.lastrowid or 0)


def find_user(store: Store, name: str) -> dict[str, Any] | None:
    """The user named ``name`` (case-insensitive), roles as a list, or None."""
    rows = list(store.db.query("SELECT * FROM users WHERE name = ? COLLATE NOCASE", [name]))
    return _row(rows[0]) if rows else None


def all_users(store: Store) -> list[dict[str, Any]]:
    """Every user, by name."""
    return [u for u in (_row(r) for r in store.db.query("SELECT * FROM users ORDER BY name")) if u]


def update_user(store: Store, user_id: int, **fields: Any) -> None:
    """Set columns of one user (roles given as a list are joined)."""
    if "roles" in fields and isinstance(fields["roles"], list):
        fields["roles"] = ",".join(fields["roles"])
    if "active" in fields:
        fields["active"] = 1 if fields["active"] else 0
    sets = ", ".join(f"{k} = ?" for k in fields)
    store.conn.execute(f"UPDATE users SET {sets} WHERE id = ?", (*fields.values(), user_id))


# --- invitations (only the token's hash is stored) ----------------------------------------------


def insert_invite(
    store: Store, *, token_hash: str, user: str, purpose: str, created_by: str, created_at: str, expires_at: str
) -> int:
    """Store a new invitation and close the user's earlier open ones (one live link per officer)."""
    with store.transaction() as conn:
        conn.execute(
            "UPDATE user_invites SET revoked_at = ? WHERE user = ? COLLATE NOCASE AND used_at IS NULL"
            " AND revoked_at IS NULL",
            (created_at, user),
        )
        cur = conn.execute(
            "INSERT INTO user_invites (token_hash, user, purpose, created_by, created_at, expires_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (token_hash, user, purpose, created_by, created_at, expires_at),
        )
    return int(cur.lastrowid or 0)


def find_invite(store: Store, token_hash: str) -> dict[str, Any] | None:
    """The invitation with this token hash (used or not), or None."""
    rows = list(store.db.query("SELECT * FROM user_invites WHERE token_hash = ?", [token_hash]))
    return dict(rows[0]) if rows else None


def use_invite(store: Store, invite_id: int, *, at: str) -> bool:
    """Mark an open, unexpired invitation used; False if it was used or expired meanwhile."""
    cur = store.conn.execute(
        "UPDATE user_invites SET used_at = ? WHERE id = ? AND used_at IS NULL AND revoked_at IS NULL"
        " AND expires_at > ?",
        (at, invite_id, at),
    )
    return cur.rowcount == 1


def open_invites(store: Store, *, now: str) -> dict[str, str]:
    """Officer name (lower case) → expiry of their live invitation."""
    rows = store.conn.execute(
        "SELECT user, max(expires_at) FROM user_invites WHERE used_at IS NULL AND revoked_at IS NULL"
        " AND expires_at > ? GROUP BY user",
        (now,),
    ).fetchall()
    return {str(r[0]).casefold(): str(r[1]) for r in rows}
