"""Daily aggregates of the broadcast outbox (``rollup_deliveries``, migration 0010).

Deliveries change state while a broadcast runs, so only *settled* days are rolled up: days
at least two days old on which no delivery of a broadcast is still queued or sending. A
report reads the settled days from the rollup and the rest from the outbox itself; rows
added later for a settled day (an import, a test) make that day roll again.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from bot.store import metrics as sql
from bot.store.db import Store
from bot.store.metrics import Scope

SETTLE_DAYS = 2


def _state(conn: sqlite3.Connection, key: str, default: str = "") -> str:
    row = conn.execute("SELECT value FROM rollup_state WHERE key = ?", (key,)).fetchone()
    return default if row is None or row[0] is None else str(row[0])


def _set(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute("INSERT OR REPLACE INTO rollup_state (key, value) VALUES (?, ?)", (key, value))


def _when(store: Store) -> str:
    return "b.scheduled_at" if "scheduled_at" in sql.table_columns(store, "broadcasts") else "b.created_at"


def _utc(day: date, tz_minutes: int) -> str:
    at = datetime.combine(day, time(0), UTC) - timedelta(minutes=tz_minutes)
    return at.strftime("%Y-%m-%dT%H:%M:%S")


def day_scope(scope: Scope, first: date, last: date) -> Scope:
    """``scope`` narrowed to the local days ``first``…``last``."""
    return Scope(
        _utc(first, scope.tz_minutes),
        _utc(last + timedelta(days=1), scope.tz_minutes),
        first.isoformat(),
        last.isoformat(),
        scope.unit,
        scope.tz_minutes,
    )


def _roll(store: Store, conn: sqlite3.Connection, first: date, last: date, tz_minutes: int) -> None:
    """(Re)compute the rollup rows of the local days ``first``…``last`` from the outbox."""
    mod = f"'{tz_minutes:+d} minutes'"
    when = _when(store)
    lo, hi = _utc(first, tz_minutes), _utc(last + timedelta(days=1), tz_minutes)
    conn.execute(
        "DELETE FROM rollup_deliveries WHERE day >= ? AND day <= ?", (first.isoformat(), last.isoformat())
    )
    conn.execute(
        "INSERT INTO rollup_deliveries (day, broadcast_id, channel, unit, sent, failed)"
        " SELECT day, broadcast_id, channel, unit, sum(sent), sum(failed) FROM ("
        f" SELECT date(d.sent_at, {mod}) AS day, d.broadcast_id, d.channel, coalesce(d.unit, '') AS unit,"
        " d.status = 'sent' AS sent, d.status = 'failed' AS failed FROM deliveries d WHERE d.sent_at >= ? AND d.sent_at < ?"
        f" UNION ALL SELECT date({when}, {mod}), d.broadcast_id, d.channel, coalesce(d.unit, ''), d.status = 'sent',"
        f" d.status = 'failed' FROM deliveries d JOIN broadcasts b ON b.id = d.broadcast_id"
        f" WHERE d.sent_at IS NULL AND {when} >= ? AND {when} < ?) GROUP BY 1, 2, 3, 4",
        (lo, hi, lo, hi),
    )


def _month_end(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1) - timedelta(days=1)


def _roll_months(store: Store, conn: sqlite3.Connection, first: date, last: date, tz_minutes: int) -> None:
    """(Re)compute the per-chat rows of the calendar months containing ``first``…``last``
    that are wholly settled (their last day is at most ``last``)."""
    when = _when(store)
    month = date(first.year, first.month, 1)
    while month <= last:
        end = _month_end(month)
        if end <= last:
            lo, hi = _utc(month, tz_minutes), _utc(end + timedelta(days=1), tz_minutes)
            key = f"{month:%Y-%m}"
            conn.execute("DELETE FROM rollup_delivery_chats WHERE month = ?", (key,))
            conn.execute(
                "INSERT INTO rollup_delivery_chats (month, channel, chat_id, sent, failed, last_id)"
                " SELECT ?, channel, chat_id, sum(sent), sum(failed), max(id) FROM ("
                " SELECT d.id, d.channel, d.chat_id, d.status = 'sent' AS sent, d.status = 'failed' AS failed"
                " FROM deliveries d WHERE d.sent_at >= ? AND d.sent_at < ?"
                " UNION ALL SELECT d.id, d.channel, d.chat_id, d.status = 'sent', d.status = 'failed'"
                f" FROM deliveries d JOIN broadcasts b ON b.id = d.broadcast_id WHERE d.sent_at IS NULL"
                f" AND {when} >= ? AND {when} < ?) GROUP BY channel, chat_id",
                (key, lo, hi, lo, hi),
            )
        month = end + timedelta(days=1)


def catch_up(store: Store, tz_minutes: int, today: date | None = None) -> date | None:
    """Roll up the newly settled days (and settled days that got new rows); return the last
    settled day, or None when nothing is rolled up yet."""
    if not sql.has_deliveries(store):
        return None
    today = today or (datetime.now(UTC) + timedelta(minutes=tz_minutes)).date()
    mod = f"'{tz_minutes:+d} minutes'"
    when = _when(store)
    with store.transaction() as conn:
        through = _state(conn, "deliveries_through")
        seen = int(_state(conn, "deliveries_id", "0"))
        top = int(conn.execute("SELECT coalesce(max(id), 0) FROM deliveries").fetchone()[0])
        if through and top > seen:
            late = conn.execute(
                f"SELECT DISTINCT date(coalesce(d.sent_at, {when}), {mod}) FROM deliveries d"
                " JOIN broadcasts b ON b.id = d.broadcast_id WHERE d.id > ?",
                (seen,),
            ).fetchall()
            for (day,) in late:
                if day and day <= through:
                    _roll(store, conn, date.fromisoformat(day), date.fromisoformat(day), tz_minutes)
                    _roll_months(store, conn, date.fromisoformat(day), date.fromisoformat(through), tz_minutes)
        limit = today - timedelta(days=SETTLE_DAYS)
        waiting = conn.execute(
            f"SELECT min(date({when}, {mod})) FROM deliveries d JOIN broadcasts b ON b.id = d.broadcast_id"
            " WHERE d.status IN ('queued', 'sending')"
        ).fetchone()[0]
        if waiting:
            limit = min(limit, date.fromisoformat(waiting) - timedelta(days=1))
        start = date.fromisoformat(through) + timedelta(days=1) if through else None
        if start is None:
            # Only the very first run looks for the oldest day (a scan of the outbox).
            first_row = conn.execute(
                f"SELECT min(date(coalesce(d.sent_at, {when}), {mod})) FROM deliveries d"
                " JOIN broadcasts b ON b.id = d.broadcast_id"
            ).fetchone()[0]
            start = date.fromisoformat(first_row) if first_row else None
        if start and start <= limit:
            _roll(store, conn, start, limit, tz_minutes)
            _roll_months(store, conn, start, limit, tz_minutes)
            through = limit.isoformat()
            _set(conn, "deliveries_through", through)
        _set(conn, "deliveries_id", str(top))
    return date.fromisoformat(through) if through else None


def _split(scope: Scope, through: date | None) -> tuple[Scope | None, Scope | None]:
    """The scope's settled days (from the rollup) and the rest (from the outbox)."""
    start, end = date.fromisoformat(scope.start), date.fromisoformat(scope.end)
    if through is None or through < start:
        return None, scope
    if through >= end:
        return day_scope(scope, start, end), None
    return day_scope(scope, start, through), day_scope(scope, through + timedelta(days=1), end)


def delivery_broadcasts(store: Store, scope: Scope, through: date | None) -> list[dict[str, Any]]:
    """The same rows as ``bot.store.metrics.delivery_broadcasts``: settled days summed from
    the rollup, later days read from the outbox."""
    rolled, raw = _split(scope, through)
    totals: dict[tuple[Any, ...], list[int]] = {}
    if rolled:
        q = "SELECT broadcast_id, channel, unit, sum(sent), sum(failed) FROM rollup_deliveries WHERE day >= ? AND day <= ?"
        args: list[Any] = [rolled.start, rolled.end]
        if scope.unit:
            q += " AND unit = ?"
            args.append(scope.unit)
        for bid, channel, unit, sent, failed in store.conn.execute(q + " GROUP BY 1, 2, 3", args):
            totals[(bid, channel, unit or None)] = [int(sent), int(failed)]
    if raw:
        for r in sql.delivery_broadcasts(store, raw):
            row = totals.setdefault((r["broadcast_id"], r["channel"], r["unit"] or None), [0, 0])
            row[0] += int(r["sent"] or 0)
            row[1] += int(r["failed"] or 0)
    if not totals:
        return []
    bcols = sql.table_columns(store, "broadcasts")
    ids = sorted({k[0] for k in totals})
    meta = {
        bid: (theme, kind)
        for bid, theme, kind in store.conn.execute(
            f"SELECT id, {'theme' if 'theme' in bcols else 'NULL'}, {'kind' if 'kind' in bcols else 'NULL'}"
            f" FROM broadcasts WHERE id IN ({','.join('?' * len(ids))})",
            ids,
        )
    }
    keys = ("broadcast_id", "theme", "kind", "channel", "unit", "sent", "failed")
    return [
        dict(zip(keys, (bid, *meta.get(bid, (None, None)), channel, unit, sent, failed), strict=True))
        for (bid, channel, unit), (sent, failed) in totals.items()
    ]


def deliveries_sent_by_day(store: Store, scope: Scope, through: date | None) -> dict[str, int]:
    """Deliveries sent per local day, like ``bot.store.metrics.deliveries_sent_by_day``."""
    rolled, raw = _split(scope, through)
    out: dict[str, int] = {}
    if rolled:
        q = "SELECT day, sum(sent) FROM rollup_deliveries WHERE day >= ? AND day <= ?"
        args: list[Any] = [rolled.start, rolled.end]
        if scope.unit:
            q += " AND unit = ?"
            args.append(scope.unit)
        out.update({d: int(n) for d, n in store.conn.execute(q + " GROUP BY day", args) if n})
    if raw:
        out.update(sql.deliveries_sent_by_day(store, raw))
    return out


def _whole_months(scope: Scope, through: date | None) -> tuple[date, date] | None:
    """The first day and last day of the settled calendar months wholly inside the scope."""
    start, end = date.fromisoformat(scope.start), date.fromisoformat(scope.end)
    if through is None:
        return None
    first = start if start.day == 1 else _month_end(start) + timedelta(days=1)
    last = _month_end(first)
    if last > end or last > through:
        return None
    while True:
        nxt = _month_end(last + timedelta(days=1))
        if nxt > end or nxt > through:
            return first, last
        last = nxt


def delivery_chats(store: Store, scope: Scope, through: date | None) -> list[dict[str, Any]]:
    """The same rows as ``bot.store.metrics.delivery_chats``: whole settled months from the
    per-chat monthly rollup, the days around them from the outbox (a commune's report, small,
    reads the outbox)."""
    months = None if scope.unit else _whole_months(scope, through)
    if months is None:
        return sql.delivery_chats(store, scope)
    first, last = months
    start, end = date.fromisoformat(scope.start), date.fromisoformat(scope.end)
    totals: dict[tuple[str, str], list[int]] = {}
    rows = store.conn.execute(
        "SELECT channel, chat_id, sum(sent), sum(failed), max(last_id) FROM rollup_delivery_chats"
        " WHERE month >= ? AND month <= ? GROUP BY channel, chat_id",
        (f"{first:%Y-%m}", f"{last:%Y-%m}"),
    )
    for channel, chat_id, sent, failed, last_id in rows:
        totals[(channel, chat_id)] = [int(sent), int(failed), int(last_id)]
    latest: dict[int, dict[str, Any]] = {}
    edges = [(start, first - timedelta(days=1)), (last + timedelta(days=1), end)]
    for lo, hi in edges:
        if lo > hi:
            continue
        for r in sql.delivery_chats(store, day_scope(scope, lo, hi)):
            row = totals.setdefault((r["channel"], r["chat_id"]), [0, 0, 0])
            row[0] += int(r["sent"] or 0)
            row[1] += int(r["failed"] or 0)
            row[2] = max(row[2], int(r["last_id"]))
            latest[int(r["last_id"])] = r
    missing = [v[2] for v in totals.values() if v[2] not in latest]
    for i in range(0, len(missing), 500):
        ids = missing[i : i + 500]
        for rid, kind, unit, tags, members in store.conn.execute(
            "SELECT x.id, x.chat_kind, x.unit, x.tags, coalesce(x.member_count, c.member_count) FROM deliveries x"
            " LEFT JOIN chats c ON c.channel = x.channel AND c.chat_id = x.chat_id"
            f" WHERE x.id IN ({','.join('?' * len(ids))})",
            ids,
        ):
            latest[int(rid)] = {"chat_kind": kind, "unit": unit, "tags": tags, "member_count": members}
    out = []
    for (channel, chat_id), (sent, failed, last_id) in totals.items():
        attrs = latest.get(last_id, {})
        out.append(
            {
                "channel": channel,
                "chat_id": chat_id,
                "chat_kind": attrs.get("chat_kind"),
                "unit": attrs.get("unit"),
                "tags": attrs.get("tags"),
                "member_count": attrs.get("member_count"),
                "sent": sent,
                "failed": failed,
                "last_id": last_id,
            }
        )
    return out
