"""Messages, message versions and broadcasts: SQL only (rules live in bot/broadcast/)."""

from __future__ import annotations

import json
from typing import Any

from bot.store.db import Store, utcnow_iso


def _one(store: Store, sql: str, args: list[Any]) -> dict[str, Any] | None:
    rows = list(store.db.query(sql, args))
    return dict(rows[0]) if rows else None


# --- messages -------------------------------------------------------------------------------
def insert_message(
    store: Store, kind: str, theme: str, title: str, *, slug: str | None = None, issuer: str | None = None
) -> int:
    """Insert a message (without versions) and return its id."""
    cur = store.conn.execute(
        "INSERT INTO messages (kind, theme, title, slug, issuer, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        (kind, theme, title, slug, issuer, utcnow_iso()),
    )
    return int(cur.lastrowid or 0)


def update_message(store: Store, message_id: int, **fields: Any) -> None:
    """Set columns of a message (title, theme, kind, issuer)."""
    if fields:
        sets = ", ".join(f"{k} = ?" for k in fields)
        store.conn.execute(f"UPDATE messages SET {sets} WHERE id = ?", (*fields.values(), message_id))


def get_message(store: Store, message_id: int) -> dict[str, Any] | None:
    """One message row or None."""
    return _one(store, "SELECT * FROM messages WHERE id = ?", [message_id])


def get_message_by_slug(store: Store, slug: str) -> dict[str, Any] | None:
    """The message loaded from library file ``slug`` (e.g. ``campaigns/screening_dates``)."""
    return _one(store, "SELECT * FROM messages WHERE slug = ?", [slug])


def list_messages(store: Store) -> list[dict[str, Any]]:
    """Every message with its latest version number and state."""
    sql = (
        "SELECT m.*, v.id AS version_id, v.version, v.state, v.author, v.approver FROM messages m"
        " LEFT JOIN message_versions v ON v.id = (SELECT id FROM message_versions WHERE message_id = m.id"
        " ORDER BY version DESC LIMIT 1) ORDER BY m.id"
    )
    return [dict(r) for r in store.db.query(sql)]


# --- versions -------------------------------------------------------------------------------
def insert_version(
    store: Store, message_id: int, body: str, author: str, *, vars: dict[str, Any] | None = None, state: str = "draft"
) -> int:
    """Add the next version of a message and return the version row id."""
    with store.transaction() as conn:
        row = conn.execute("SELECT COALESCE(MAX(version), 0) FROM message_versions WHERE message_id = ?", (message_id,))
        number = int(row.fetchone()[0]) + 1
        cur = conn.execute(
            "INSERT INTO message_versions (message_id, version, body, state, author, vars, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (message_id, number, body, state, author, json.dumps(vars or {}, ensure_ascii=False), utcnow_iso()),
        )
        return int(cur.lastrowid or 0)


def get_version(store: Store, version_id: int) -> dict[str, Any] | None:
    """One version row (``vars`` decoded) joined with its message's kind, theme, title, issuer."""
    row = _one(
        store,
        "SELECT v.*, m.kind, m.theme, m.title, m.slug, m.issuer FROM message_versions v"
        " JOIN messages m ON m.id = v.message_id WHERE v.id = ?",
        [version_id],
    )
    if row is not None:
        row["vars"] = json.loads(row.get("vars") or "{}")
    return row


def versions_of(store: Store, message_id: int) -> list[dict[str, Any]]:
    """All versions of a message, oldest first."""
    rows = store.db.query("SELECT * FROM message_versions WHERE message_id = ? ORDER BY version", [message_id])
    return [dict(r) for r in rows]


def latest_version_id(store: Store, message_id: int, state: str | None = None) -> int | None:
    """Id of the newest version of a message (in ``state`` if given)."""
    sql = "SELECT id FROM message_versions WHERE message_id = ?"
    args: list[Any] = [message_id]
    if state:
        sql += " AND state = ?"
        args.append(state)
    row = store.conn.execute(sql + " ORDER BY version DESC LIMIT 1", args).fetchone()
    return int(row[0]) if row else None


def set_version_state(store: Store, version_id: int, state: str, **fields: Any) -> None:
    """Move a version to ``state`` and set other columns (approver, reason, decided_at...)."""
    fields["state"] = state
    sets = ", ".join(f"{k} = ?" for k in fields)
    store.conn.execute(f"UPDATE message_versions SET {sets} WHERE id = ?", (*fields.values(), version_id))


def retire_other_approved(store: Store, message_id: int, keep_version_id: int) -> None:
    """Retire every other approved version of a message (one approved version at a time)."""
    store.conn.execute(
        "UPDATE message_versions SET state = 'retired' WHERE message_id = ? AND state = 'approved' AND id != ?",
        (message_id, keep_version_id),
    )


# --- broadcasts -----------------------------------------------------------------------------
def insert_broadcast(store: Store, **fields: Any) -> int:
    """Insert a broadcast row (``selectors`` given as a list) and return its id."""
    if isinstance(fields.get("selectors"), list):
        fields["selectors"] = json.dumps(fields["selectors"], ensure_ascii=False)
    fields.setdefault("created_at", utcnow_iso())
    cols = ", ".join(fields)
    marks = ", ".join("?" for _ in fields)
    cur = store.conn.execute(f"INSERT INTO broadcasts ({cols}) VALUES ({marks})", tuple(fields.values()))
    return int(cur.lastrowid or 0)


def update_broadcast(store: Store, broadcast_id: int, **fields: Any) -> None:
    """Set columns of a broadcast."""
    if fields:
        sets = ", ".join(f"{k} = ?" for k in fields)
        store.conn.execute(f"UPDATE broadcasts SET {sets} WHERE id = ?", (*fields.values(), broadcast_id))


def code_taken(store: Store, code: str) -> bool:
    """True if a broadcast already uses ``code``."""
    return store.conn.execute("SELECT 1 FROM broadcasts WHERE code = ?", (code,)).fetchone() is not None


def _decode(row: dict[str, Any] | None) -> dict[str, Any] | None:
    if row is not None:
        row["selectors"] = json.loads(row.get("selectors") or "[]")
    return row


def get_broadcast(store: Store, broadcast_id: int) -> dict[str, Any] | None:
    """One broadcast row (``selectors`` decoded) or None."""
    return _decode(_one(store, "SELECT * FROM broadcasts WHERE id = ?", [broadcast_id]))


def get_broadcast_by_code(store: Store, code: str) -> dict[str, Any] | None:
    """The broadcast carrying ``code`` (exact, canonical form) or None."""
    return _decode(_one(store, "SELECT * FROM broadcasts WHERE code = ?", [code]))


def list_broadcasts(store: Store, *, state: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
    """Newest broadcasts first."""
    sql = "SELECT * FROM broadcasts"
    args: list[Any] = []
    if state:
        sql += " WHERE state = ?"
        args.append(state)
    sql += " ORDER BY id DESC LIMIT ?"
    args.append(limit)
    return [r for r in (_decode(dict(x)) for x in store.db.query(sql, args)) if r]


def due_broadcast_ids(store: Store, now_iso: str) -> list[int]:
    """Broadcasts to work on now: scheduled and due, or already sending."""
    rows = store.conn.execute(
        "SELECT id FROM broadcasts WHERE (state = 'scheduled' AND scheduled_at <= ?) OR state = 'sending' ORDER BY id",
        (now_iso,),
    )
    return [int(r[0]) for r in rows]


def next_scheduled_at(store: Store) -> str | None:
    """The earliest ``scheduled_at`` of a broadcast still waiting, or None."""
    row = store.conn.execute("SELECT MIN(scheduled_at) FROM broadcasts WHERE state = 'scheduled'").fetchone()
    return row[0] if row and row[0] else None


def genuine_broadcasts(store: Store, *, since_iso: str | None = None, code: str | None = None) -> list[dict[str, Any]]:
    """Broadcasts residents may have received (not cancelled before sending), with first send time."""
    sql = (
        "SELECT b.*, (SELECT MIN(sent_at) FROM deliveries d WHERE d.broadcast_id = b.id AND d.sent_at IS NOT NULL)"
        " AS first_sent_at FROM broadcasts b WHERE b.code IS NOT NULL AND b.text IS NOT NULL"
        " AND (b.state != 'cancelled' OR b.started_at IS NOT NULL)"
    )
    args: list[Any] = []
    if code:
        sql += " AND b.code = ?"
        args.append(code)
    if since_iso:
        sql += " AND COALESCE(b.started_at, b.scheduled_at) >= ?"
        args.append(since_iso)
    sql += " ORDER BY b.id"
    return [r for r in (_decode(dict(x)) for x in store.db.query(sql, args)) if r]
