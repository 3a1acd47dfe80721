"""Chats (groups and private subscribers) and residents (keyed hashes only).

The one writer of the chat registry: the channels (``upsert_chat``), the officers' import
(``upsert_chats``) and the switches all change ``chats`` through this module.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from bot.store.db import Store, utcnow_iso


def upsert_chat(
    store: Store,
    channel: str,
    chat_id: str,
    kind: str,
    *,
    title: str | None = None,
    member_count: int | None = None,
    status: str | None = None,
) -> dict[str, Any]:
    """Record a chat we talk in (created on first sight) and return its row."""
    now = utcnow_iso()
    with store.transaction() as conn:
        row = conn.execute("SELECT id FROM chats WHERE channel = ? AND chat_id = ?", (channel, chat_id)).fetchone()
        if row is None:
            conn.execute(
                "INSERT INTO chats (channel, chat_id, kind, title, unit, tags, status, opted_out, member_count,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, '', '[]', ?, 0, ?, ?, ?)",
                (channel, chat_id, kind, title or "", status or "active", member_count, now, now),
            )
        else:
            sets: list[str] = ["updated_at = ?", "kind = ?"]
            args: list[object] = [now, kind]
            if title is not None:
                sets.append("title = ?")
                args.append(title)
            if member_count is not None:
                sets.append("member_count = ?")
                args.append(member_count)
            if status is not None:
                sets.append("status = ?")
                args.append(status)
            conn.execute(f"UPDATE chats SET {', '.join(sets)} WHERE id = ?", (*args, row[0]))
    return get_chat(store, channel, chat_id) or {}


def get_chat(store: Store, channel: str, chat_id: str) -> dict[str, Any] | None:
    """The chat row, with ``tags`` decoded to a list, or None."""
    rows = list(store.db.query("SELECT * FROM chats WHERE channel = ? AND chat_id = ?", [channel, chat_id]))
    if not rows:
        return None
    row = dict(rows[0])
    row["tags"] = json.loads(row.get("tags") or "[]")
    return row


def set_opted_out(store: Store, channel: str, chat_id: str, opted_out: bool) -> None:
    """Subscribe (False) or unsubscribe (True) a chat from broadcasts."""
    store.conn.execute(
        "UPDATE chats SET opted_out = ?, updated_at = ? WHERE channel = ? AND chat_id = ?",
        (1 if opted_out else 0, utcnow_iso(), channel, chat_id),
    )


def set_status(store: Store, channel: str, chat_id: str, status: str) -> None:
    """Mark a chat active, inactive (blocked / kicked) or left."""
    store.conn.execute(
        "UPDATE chats SET status = ?, updated_at = ? WHERE channel = ? AND chat_id = ?",
        (status, utcnow_iso(), channel, chat_id),
    )


def set_unit_and_tags(
    store: Store, channel: str, chat_id: str, *, unit: str | None = None, tags: list[str] | None = None
) -> None:
    """Assign a chat to an admin unit and/or replace its tags."""
    if unit is not None:
        store.conn.execute("UPDATE chats SET unit = ? WHERE channel = ? AND chat_id = ?", (unit, channel, chat_id))
    if tags is not None:
        store.conn.execute(
            "UPDATE chats SET tags = ? WHERE channel = ? AND chat_id = ?",
            (json.dumps(sorted(set(tags)), ensure_ascii=False), channel, chat_id),
        )


def move_chat(store: Store, channel: str, old_id: str, new_id: str) -> None:
    """Move a chat to a new id (Telegram group → supergroup migration), keeping unit and tags."""
    with store.transaction() as conn:
        clash = conn.execute("SELECT id FROM chats WHERE channel = ? AND chat_id = ?", (channel, new_id)).fetchone()
        if clash:
            conn.execute("DELETE FROM chats WHERE id = ?", (clash[0],))
        conn.execute(
            "UPDATE chats SET chat_id = ?, kind = 'group', updated_at = ? WHERE channel = ? AND chat_id = ?",
            (new_id, utcnow_iso(), channel, old_id),
        )


def touch_resident(store: Store, ref: str, channel: str) -> None:
    """Record that a resident (keyed hash) was seen now."""
    now = utcnow_iso()
    store.conn.execute(
        "INSERT INTO residents (ref, channel, first_seen, last_seen) VALUES (?, ?, ?, ?)"
        " ON CONFLICT(ref) DO UPDATE SET last_seen = excluded.last_seen",
        (ref, channel, now, now),
    )


def upsert_chats(store: Store, rows: Sequence[dict[str, Any]]) -> tuple[int, int]:
    """Create or update chats (channel, chat_id, kind, title, unit, tags list) in one transaction."""
    created = updated = 0
    now = utcnow_iso()
    with store.transaction() as conn:
        for r in rows:
            tags = json.dumps(r["tags"], ensure_ascii=False)
            cur = conn.execute(
                "UPDATE chats SET kind = ?, title = ?, unit = ?, tags = ?, updated_at = ? WHERE channel = ? AND chat_id = ?",
                (r["kind"], r["title"], r["unit"], tags, now, r["channel"], r["chat_id"]),
            )
            if cur.rowcount:
                updated += 1
                continue
            conn.execute(
                "INSERT INTO chats (channel, chat_id, kind, title, unit, tags, status, opted_out, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, 'active', 0, ?, ?)",
                (r["channel"], r["chat_id"], r["kind"], r["title"], r["unit"], tags, now, now),
            )
            created += 1
    return created, updated


def list_chats(
    store: Store, *, channel: str | None = None, unit: str | None = None, tag: str | None = None, limit: int = 200
) -> list[dict[str, Any]]:
    """Chats for officers (any status), filtered, newest first; ``tags`` decoded."""
    sql = "SELECT * FROM chats WHERE 1 = 1"
    args: list[Any] = []
    if channel:
        sql += " AND channel = ?"
        args.append(channel)
    if unit:
        sql += " AND unit = ?"
        args.append(unit)
    if tag:
        sql += " AND EXISTS (SELECT 1 FROM json_each(chats.tags) t WHERE t.value = ?)"
        args.append(tag)
    sql += " ORDER BY id DESC LIMIT ?"
    args.append(limit)
    out = []
    for r in store.db.query(sql, args):
        row = dict(r)
        row["tags"] = json.loads(row.get("tags") or "[]")
        out.append(row)
    return out
