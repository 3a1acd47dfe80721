"""The outbox: one delivery row per (broadcast, channel, chat), claimed and settled by the sender.

Also the audience query over ``chats`` (SQL lives only in bot/store/).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from bot.store.db import Store

#: Channels that can receive pushed messages (the web chat and the console cannot).
PUSH_CHANNELS: tuple[str, ...] = ("telegram", "zalo")


def select_chats(
    store: Store,
    *,
    channels: Sequence[str] = (),
    units: Sequence[str] = (),
    tags: Sequence[str] = (),
    kinds: Sequence[str] = (),
) -> list[dict[str, Any]]:
    """Active, subscribed chats matching every given filter (each filter is an OR of its values)."""
    sql = "SELECT channel, chat_id, kind, unit, tags, member_count FROM chats WHERE status = 'active' AND opted_out = 0"
    args: list[Any] = []
    push = [c for c in (channels or PUSH_CHANNELS) if c in PUSH_CHANNELS]
    if not push:
        return []
    sql += f" AND channel IN ({', '.join('?' for _ in push)})"
    args += push
    if units:
        sql += f" AND unit IN ({', '.join('?' for _ in units)})"
        args += list(units)
    if kinds:
        sql += f" AND kind IN ({', '.join('?' for _ in kinds)})"
        args += list(kinds)
    if tags:
        sql += f" AND EXISTS (SELECT 1 FROM json_each(chats.tags) t WHERE t.value IN ({', '.join('?' for _ in tags)}))"
        args += list(tags)
    sql += " ORDER BY id"
    return [dict(r) for r in store.db.query(sql, args)]


def units_below_average(store: Store, province: str | None = None) -> list[str]:
    """Units whose health-book integration rate is below the average of the known rates."""
    where = "health_book_rate_pct IS NOT NULL" + (" AND province = ?" if province else "")
    args = [province] if province else []
    sql = (
        f"SELECT name FROM admin_units WHERE {where} AND health_book_rate_pct <"
        f" (SELECT AVG(health_book_rate_pct) FROM admin_units WHERE {where}) ORDER BY name"
    )
    return [r[0] for r in store.conn.execute(sql, args + args)]


def expand(store: Store, broadcast_id: int, chats: Iterable[dict[str, Any]]) -> int:
    """Insert one queued delivery per chat (idempotent thanks to the unique key); return rows added."""
    rows = [
        (
            broadcast_id,
            c["channel"],
            str(c["chat_id"]),
            c.get("kind"),
            c.get("unit") or "",
            c["tags"] if isinstance(c.get("tags"), str) else json.dumps(c.get("tags") or [], ensure_ascii=False),
            c.get("member_count"),
        )
        for c in chats
    ]
    before = store.conn.total_changes
    store.conn.executemany(
        "INSERT OR IGNORE INTO deliveries (broadcast_id, channel, chat_id, chat_kind, unit, tags, member_count,"
        " status, attempts) VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', 0)",
        rows,
    )
    return store.conn.total_changes - before


def requeue_in_flight(store: Store) -> int:
    """After a crash: rows left 'sending' go back to the queue (they may have been delivered)."""
    cur = store.conn.execute("UPDATE deliveries SET status = 'queued', claimed_at = NULL WHERE status = 'sending'")
    return cur.rowcount


def claim(store: Store, broadcast_ids: Sequence[int], limit: int, now_iso: str) -> list[dict[str, Any]]:
    """Mark up to ``limit`` due queued rows of the given broadcasts 'sending' and return them."""
    if not broadcast_ids or limit <= 0:
        return []
    marks = ", ".join("?" for _ in broadcast_ids)
    with store.transaction() as conn:
        rows = conn.execute(
            "SELECT id, broadcast_id, channel, chat_id, chat_kind, attempts, moved_from FROM deliveries"
            f" WHERE status = 'queued' AND broadcast_id IN ({marks})"
            " AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY broadcast_id, id LIMIT ?",
            (*broadcast_ids, now_iso, limit),
        ).fetchall()
        if not rows:
            return []
        ids = [r[0] for r in rows]
        conn.executemany(
            "UPDATE deliveries SET status = 'sending', claimed_at = ?, attempts = attempts + 1 WHERE id = ?",
            [(now_iso, i) for i in ids],
        )
    keys = ("id", "broadcast_id", "channel", "chat_id", "chat_kind", "attempts", "moved_from")
    out = [dict(zip(keys, r, strict=True)) for r in rows]
    for row in out:
        row["attempts"] += 1
    return out


def settle(store: Store, outcomes: Sequence[dict[str, Any]]) -> None:
    """Record a batch of outcomes in one transaction.

    Each outcome has ``id`` and ``status`` plus optional ``reason``, ``sent_at``,
    ``next_attempt_at``, ``chat_id`` (moved chat), ``moved_from``, ``attempts``.
    """
    if not outcomes:
        return
    with store.transaction() as conn:
        for o in outcomes:
            fields = {k: v for k, v in o.items() if k != "id"}
            if fields.get("status") == "queued":
                fields["claimed_at"] = None
            sets = ", ".join(f"{k} = ?" for k in fields)
            conn.execute(f"UPDATE deliveries SET {sets} WHERE id = ?", (*fields.values(), o["id"]))


def mark_sent(store: Store, sent: Sequence[tuple[str, int]]) -> None:
    """Record deliveries the platform accepted: ``(sent_at, delivery id)`` pairs."""
    if sent:
        store.conn.executemany(
            "UPDATE deliveries SET status = 'sent', sent_at = ?, reason = NULL, claimed_at = NULL WHERE id = ?",
            sent,
        )


def chat_taken(store: Store, broadcast_id: int, channel: str, chat_id: str) -> bool:
    """True if the broadcast already has a delivery for this chat (after a group moved)."""
    row = store.conn.execute(
        "SELECT 1 FROM deliveries WHERE broadcast_id = ? AND channel = ? AND chat_id = ?",
        (broadcast_id, channel, chat_id),
    ).fetchone()
    return row is not None


def skip_queued(store: Store, broadcast_id: int, reason: str) -> int:
    """Mark every queued row of a broadcast skipped (cancel)."""
    cur = store.conn.execute(
        "UPDATE deliveries SET status = 'skipped', reason = ? WHERE broadcast_id = ? AND status = 'queued'",
        (reason, broadcast_id),
    )
    return cur.rowcount


def requeue_failed(store: Store, broadcast_id: int) -> int:
    """Put a broadcast's failed rows back in the queue, except chats that are gone (blocked,
    kicked, not found) or moved twice: sending to them again cannot succeed."""
    cur = store.conn.execute(
        "UPDATE deliveries SET status = 'queued', reason = NULL, attempts = 0, next_attempt_at = NULL,"
        " claimed_at = NULL WHERE broadcast_id = ? AND status = 'failed'"
        " AND COALESCE(reason, '') NOT IN ('chat_gone', 'moved_twice')",
        (broadcast_id,),
    )
    return cur.rowcount


def open_count(store: Store, broadcast_id: int) -> int:
    """Rows still queued or sending."""
    row = store.conn.execute(
        "SELECT count(*) FROM deliveries WHERE broadcast_id = ? AND status IN ('queued', 'sending')", (broadcast_id,)
    ).fetchone()
    return int(row[0])


def next_retry_at(store: Store, broadcast_ids: Sequence[int]) -> str | None:
    """The earliest ``next_attempt_at`` among queued rows of these broadcasts."""
    if not broadcast_ids:
        return None
    marks = ", ".join("?" for _ in broadcast_ids)
    row = store.conn.execute(
        f"SELECT MIN(COALESCE(next_attempt_at, '')) FROM deliveries WHERE status = 'queued' AND broadcast_id IN ({marks})",
        tuple(broadcast_ids),
    ).fetchone()
    return row[0] if row and row[0] is not None else None


def status_counts(store: Store, broadcast_id: int) -> dict[str, Any]:
    """Counts per status, per (status, reason) and per channel for one broadcast."""
    by_status = {s: 0 for s in ("queued", "sending", "sent", "failed", "skipped")}
    for status, n in store.conn.execute(
        "SELECT status, count(*) FROM deliveries WHERE broadcast_id = ? GROUP BY status", (broadcast_id,)
    ):
        by_status[status] = n
    reasons: dict[str, int] = {}
    for status, reason, n in store.conn.execute(
        "SELECT status, reason, count(*) FROM deliveries WHERE broadcast_id = ? AND status IN ('failed', 'skipped')"
        " GROUP BY status, reason",
        (broadcast_id,),
    ):
        reasons[f"{status}:{reason or 'unknown'}"] = n
    channels: dict[str, dict[str, int]] = {}
    for channel, status, n in store.conn.execute(
        "SELECT channel, status, count(*) FROM deliveries WHERE broadcast_id = ? GROUP BY channel, status",
        (broadcast_id,),
    ):
        channels.setdefault(channel, {})[status] = n
    return {"total": sum(by_status.values()), **by_status, "reasons": reasons, "channels": channels}
