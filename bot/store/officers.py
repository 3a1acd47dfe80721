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
