"""Storage for the scam check: the group guard switch, its rate limit, flagged messages.

Also a cheap fingerprint of the broadcasts table (owned by the broadcasts feature, read
only here) so the checker knows when to reload the sent messages.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot.store.db import Store
from bot.store.events import to_db_time


def has_broadcasts(store: Store) -> bool:
    """True when the broadcasts table exists (the broadcasts migration is applied)."""
    return "broadcasts" in store.db.table_names()


def broadcasts_fingerprint(store: Store) -> tuple[Any, ...]:
    """Changes whenever a broadcast is created, cancelled or starts sending."""
    if not has_broadcasts(store):
        return ()
    row = store.conn.execute(
        "SELECT count(*), max(id), sum(state = 'cancelled'), max(started_at) FROM broadcasts"
    ).fetchone()
    return tuple(row)


def guard_enabled(store: Store, chat_ref: str) -> bool:
    """Is the scam guard on in this group? Off unless an admin switched it on."""
    row = store.conn.execute("SELECT enabled FROM scam_guard WHERE chat_ref = ?", (chat_ref,)).fetchone()
    return bool(row and row[0])


def set_guard(store: Store, chat_ref: str, channel: str, enabled: bool, *, by: str, at: datetime) -> None:
    """Switch the guard on or off for a group."""
    store.conn.execute(
        "INSERT INTO scam_guard (chat_ref, channel, enabled, changed_by, changed_at) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT(chat_ref) DO UPDATE SET enabled = excluded.enabled, changed_by = excluded.changed_by,"
        " changed_at = excluded.changed_at",
        (chat_ref, channel, 1 if enabled else 0, by, to_db_time(at)),
    )


def guarded_groups(store: Store) -> int:
    """How many groups have the guard on."""
    return int(store.conn.execute("SELECT count(*) FROM scam_guard WHERE enabled = 1").fetchone()[0])


def claim_flag(
    store: Store,
    chat_ref: str,
    message_key: str,
    *,
    at: datetime,
    score: float,
    window: timedelta,
    max_per_window: int,
    min_gap: timedelta,
) -> bool:
    """Record a warning for this message if allowed; False when already warned or rate-limited.

    Allowed means: this message was not warned about before, fewer than ``max_per_window``
    warnings in the current window, and at least ``min_gap`` since the last one. The check
    and the record happen in one transaction, so two workers never both warn.
    """
    now = to_db_time(at)
    with store.transaction():
        seen = store.conn.execute(
            "SELECT 1 FROM scam_flags WHERE chat_ref = ? AND message_key = ?", (chat_ref, message_key)
        ).fetchone()
        if seen:
            return False
        row = store.conn.execute(
            "SELECT window_start, window_count, last_flag_at FROM scam_guard WHERE chat_ref = ?", (chat_ref,)
        ).fetchone()
        start, count, last = (row[0], row[1] or 0, row[2]) if row else (None, 0, None)
        if last and to_db_time(at - min_gap) < last:
            return False
        if not start or start <= to_db_time(at - window):
            start, count = now, 0
        if count >= max_per_window:
            return False
        store.conn.execute(
            "UPDATE scam_guard SET window_start = ?, window_count = ?, last_flag_at = ? WHERE chat_ref = ?",
            (start, count + 1, now, chat_ref),
        )
        store.conn.execute(
            "INSERT INTO scam_flags (chat_ref, message_key, at, score) VALUES (?, ?, ?, ?)",
            (chat_ref, message_key, now, score),
        )
    return True


def purge_flags(store: Store, before: datetime) -> int:
    """Delete flagged-message keys older than ``before`` (retention); return how many."""
    cur = store.conn.execute("DELETE FROM scam_flags WHERE at < ?", (to_db_time(before),))
    return int(cur.rowcount or 0)
