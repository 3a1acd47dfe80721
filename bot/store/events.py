"""The append-only events log: every interaction and outreach step, for the reports."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, overload

from bot.store.db import Store


def to_db_time(at: datetime) -> str:
    """A datetime as stored: UTC, ISO 8601, seconds precision (naive values are taken as UTC)."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


@overload
def from_db_time(value: str) -> datetime: ...
@overload
def from_db_time(value: str | None) -> datetime | None: ...
def from_db_time(value: str | None) -> datetime | None:
    """A stored time (UTC ISO 8601, see :func:`to_db_time`) as an aware datetime; None for empty."""
    if not value:
        return None
    parsed = datetime.fromisoformat(value)
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def log_event(
    store: Store,
    type: str,
    *,
    at: datetime | None = None,
    channel: str | None = None,
    chat_kind: str | None = None,
    chat_ref: str | None = None,
    resident: str | None = None,
    unit: str | None = None,
    topic: str | None = None,
    value: str | None = None,
    latency_ms: int | None = None,
    data: dict[str, Any] | None = None,
) -> int:
    """Append one event and return its id. Never store raw resident text here."""
    cur = store.conn.execute(
        "INSERT INTO events (at, type, channel, chat_kind, chat_ref, resident, unit, topic, value, latency_ms, data)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            to_db_time(at or datetime.now(UTC)),
            type,
            channel,
            chat_kind,
            chat_ref,
            resident,
            unit,
            topic,
            value,
            latency_ms,
            json.dumps(data, ensure_ascii=False) if data else None,
        ),
    )
    return int(cur.lastrowid or 0)


def recent_events(store: Store, *, type: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
    """The newest events, optionally of one type (newest first)."""
    sql = "SELECT * FROM events"
    args: list[Any] = []
    if type:
        sql += " WHERE type = ?"
        args.append(type)
    sql += " ORDER BY id DESC LIMIT ?"
    args.append(limit)
    return [dict(r) for r in store.db.query(sql, args)]


def count_events(store: Store, type: str) -> int:
    """How many events of ``type`` exist."""
    return int(store.conn.execute("SELECT count(*) FROM events WHERE type = ?", (type,)).fetchone()[0])
