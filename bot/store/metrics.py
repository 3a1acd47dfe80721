"""SQL behind the report figures: period-scoped counts over events, deliveries and activities.

Every function takes a :class:`Scope` (a UTC ``[lo, hi)`` range, the same range as local
dates, an optional unit) and answers with plain Python values. A source table that does not
exist yet (broadcasts before their migration, the FAQ's unanswered log) yields zeros.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.store.db import Store

#: Columns a caller may group events by (whitelisted: they are spliced into SQL).
EVENT_GROUPS = {"type": "type", "topic": "topic", "value": "value", "unit": "unit", "channel": "channel"}


@dataclass(frozen=True)
class Scope:
    """What a report covers: ``lo <= at < hi`` (UTC ISO), ``start``…``end`` local ISO dates, a unit."""

    lo: str
    hi: str
    start: str
    end: str
    unit: str | None = None
    tz_minutes: int = 420  # local offset, to bucket UTC times into local days

    @property
    def day_modifier(self) -> str:
        """SQLite date modifier turning a stored UTC time into local time."""
        return f"{self.tz_minutes:+d} minutes"


def table_exists(store: Store, name: str) -> bool:
    """Whether ``name`` is a table in the database (the rollup and reach tables of a
    database opened without migrating)."""
    row = store.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone()
    return row is not None


def table_columns(store: Store, name: str) -> set[str]:
    """Column names of a table (empty if it does not exist)."""
    return {r[1] for r in store.conn.execute(f"PRAGMA table_info({_ident(name)})")}


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# --- events ------------------------------------------------------------------------------


def event_counts(store: Store, scope: Scope, types: tuple[str, ...], by: str | None = None) -> dict[Any, int]:
    """Events of ``types`` in scope, counted per ``by`` column (``None`` → key ``""``; ``"day"`` → local date)."""
    if not types:
        return {}
    if by == "day":
        key = f"date(at, '{scope.day_modifier}')"
    elif by is None:
        key = "''"
    else:
        key = EVENT_GROUPS[by]
    marks = ",".join("?" * len(types))
    sql = f"SELECT {key} AS k, count(*) FROM events WHERE type IN ({marks}) AND at >= ? AND at < ?"
    args: list[Any] = [*types, scope.lo, scope.hi]
    if scope.unit:
        sql += " AND unit = ?"
        args.append(scope.unit)
    sql += " GROUP BY k"
    return {k if k is not None else "": int(n) for k, n in store.conn.execute(sql, args)}


def distinct_residents(store: Store, scope: Scope) -> int:
    """Distinct resident hashes with any event in scope.

    Read through the covering (at, unit, resident) index and counted in a Python set: for
    half a million events this is several times faster than SQLite's count(DISTINCT).
    """
    sql = "SELECT resident FROM events WHERE at >= ? AND at < ? AND resident IS NOT NULL"
    args: list[Any] = [scope.lo, scope.hi]
    if scope.unit:
        sql += " AND unit = ?"
        args.append(scope.unit)
    return len({r for (r,) in store.conn.execute(sql, args)})


def latency_histogram(store: Store, scope: Scope, type: str = "interaction") -> list[tuple[int, int]]:
    """``(latency_ms, how many)`` for events of ``type`` in scope, ascending (for a median)."""
    sql = "SELECT latency_ms, count(*) FROM events WHERE type = ? AND at >= ? AND at < ? AND latency_ms IS NOT NULL"
    args: list[Any] = [type, scope.lo, scope.hi]
    if scope.unit:
        sql += " AND unit = ?"
        args.append(scope.unit)
    sql += " GROUP BY latency_ms ORDER BY latency_ms"
    return [(int(v), int(n)) for v, n in store.conn.execute(sql, args)]


def unanswered_questions(store: Store, scope: Scope, limit: int = 10) -> list[tuple[str, int]]:
    """The most frequent unanswered questions (already redacted by the FAQ) in scope.

    Reads the FAQ's ``faq_unanswered`` table when it exists, whatever its exact column names.
    """
    table = "faq_unanswered"
    cols = table_columns(store, table)
    text_col = next((c for c in ("text", "question", "redacted", "body") if c in cols), None)
    time_col = next((c for c in ("at", "asked_at", "created_at", "last_at", "first_at") if c in cols), None)
    if not text_col:
        return []
    weight = next((f"sum(coalesce({c}, 1))" for c in ("count", "times", "hits") if c in cols), "count(*)")
    sql = f"SELECT {text_col} AS q, {weight} AS n FROM {table}"
    clauses: list[str] = [f"{text_col} IS NOT NULL", f"{text_col} != ''"]
    args: list[Any] = []
    if time_col:
        clauses.append(f"{time_col} >= ? AND {time_col} < ?")
        args += [scope.lo, scope.hi]
    if scope.unit and "unit" in cols:
        clauses.append("unit = ?")
        args.append(scope.unit)
    sql += " WHERE " + " AND ".join(clauses) + " GROUP BY q ORDER BY n DESC, q LIMIT ?"
    args.append(limit)
    return [(str(q), int(n)) for q, n in store.conn.execute(sql, args)]


# --- deliveries (broadcast outbox) ---------------------------------------------------------


def has_deliveries(store: Store) -> bool:
    """Whether the broadcast outbox exists (a database opened without migrating may lack it)."""
    return table_exists(store, "deliveries") and table_exists(store, "broadcasts")


def _deliveries_cte(store: Store, scope: Scope, columns: str) -> tuple[str, list[Any]]:
    """A CTE ``d`` of the deliveries belonging to the scope.

    A delivery counts in the period of its ``sent_at``; one never sent (failed, skipped,
    queued) counts in the period of its broadcast's scheduled time. Both halves use indexes
    (``sent_at`` range; ``sent_at IS NULL``).
    """
    unit_sql = " AND d.unit = ?" if scope.unit else ""
    unit_args = [scope.unit] if scope.unit else []
    when = "b.scheduled_at" if "scheduled_at" in table_columns(store, "broadcasts") else "b.created_at"
    sql = (
        f"WITH d AS (SELECT {columns} FROM deliveries d WHERE d.sent_at >= ? AND d.sent_at < ?{unit_sql}"
        f" UNION ALL SELECT {columns} FROM deliveries d JOIN broadcasts b ON b.id = d.broadcast_id"
        f" WHERE d.sent_at IS NULL AND {when} >= ? AND {when} < ?{unit_sql})"
    )
    return sql, [scope.lo, scope.hi, *unit_args, scope.lo, scope.hi, *unit_args]


def delivery_chats(store: Store, scope: Scope) -> list[dict[str, Any]]:
    """One row per chat delivered to (or attempted) in scope.

    Keys: channel, chat_id, chat_kind, unit, tags (JSON text), member_count (from the
    chat's latest delivery in scope, else the chats registry), sent, failed, last_id (that
    latest delivery).
    """
    # Aggregate over the covering period index, then read the few thousand latest rows.
    cte, args = _deliveries_cte(store, scope, "d.id, d.channel, d.chat_id, d.status")
    sql = (
        f"{cte}, a AS (SELECT channel, chat_id, max(id) AS last_id, sum(status = 'sent') AS sent,"
        " sum(status = 'failed') AS failed FROM d GROUP BY channel, chat_id)"
        " SELECT a.channel, a.chat_id, x.chat_kind, x.unit, x.tags, coalesce(x.member_count, c.member_count), a.sent,"
        " a.failed, a.last_id"
        " FROM a JOIN deliveries x ON x.id = a.last_id"
        " LEFT JOIN chats c ON c.channel = a.channel AND c.chat_id = a.chat_id"
    )
    keys = ("channel", "chat_id", "chat_kind", "unit", "tags", "member_count", "sent", "failed", "last_id")
    return [dict(zip(keys, row, strict=True)) for row in store.conn.execute(sql, args)]


def delivery_broadcasts(store: Store, scope: Scope) -> list[dict[str, Any]]:
    """Per (broadcast, channel, unit) in scope: theme, kind, sent, failed."""
    bcols = table_columns(store, "broadcasts")
    theme = "b.theme" if "theme" in bcols else "NULL"
    kind = "b.kind" if "kind" in bcols else "NULL"
    cte, args = _deliveries_cte(store, scope, "d.broadcast_id, d.channel, d.unit, d.status")
    sql = (
        f"{cte}, a AS (SELECT broadcast_id, channel, unit, sum(status = 'sent') AS sent, sum(status = 'failed') AS failed"
        " FROM d GROUP BY broadcast_id, channel, unit)"
        f" SELECT a.broadcast_id, {theme}, {kind}, a.channel, a.unit, a.sent, a.failed"
        " FROM a LEFT JOIN broadcasts b ON b.id = a.broadcast_id"
    )
    keys = ("broadcast_id", "theme", "kind", "channel", "unit", "sent", "failed")
    return [dict(zip(keys, row, strict=True)) for row in store.conn.execute(sql, args)]


def deliveries_sent_by_day(store: Store, scope: Scope) -> dict[str, int]:
    """Deliveries sent per local day in scope."""
    sql = f"SELECT date(sent_at, '{scope.day_modifier}') AS k, count(*) FROM deliveries WHERE status = 'sent' AND sent_at >= ? AND sent_at < ?"
    args: list[Any] = [scope.lo, scope.hi]
    if scope.unit:
        sql += " AND unit = ?"
        args.append(scope.unit)
    sql += " GROUP BY k"
    return {k: int(n) for k, n in store.conn.execute(sql, args)}


# --- activities ----------------------------------------------------------------------------


def activity_totals(store: Store, scope: Scope, by: str) -> dict[str, tuple[int, int, int]]:
    """Offline activities in scope per ``kind`` / ``unit`` / ``date``: (count, participants, records)."""
    key = {"kind": "kind", "unit": "unit", "date": "date"}[by]
    sql = (
        f"SELECT {key}, sum(count), sum(coalesce(participants, 0)), count(*) FROM activities"
        " WHERE date >= ? AND date <= ?"
    )
    args: list[Any] = [scope.start, scope.end]
    if scope.unit:
        sql += " AND unit = ?"
        args.append(scope.unit)
    sql += f" GROUP BY {key}"
    return {str(k or ""): (int(c or 0), int(p or 0), int(r)) for k, c, p, r in store.conn.execute(sql, args)}


# --- admin units -----------------------------------------------------------------------------


def unit_rates(store: Store, province: str) -> list[tuple[str, float]]:
    """``(unit name, health_book_rate_pct)`` for the province's units with a known rate."""
    sql = (
        "SELECT name, health_book_rate_pct FROM admin_units WHERE province = ?"
        " AND health_book_rate_pct IS NOT NULL ORDER BY health_book_rate_pct, name"
    )
    return [(str(n), float(r)) for n, r in store.conn.execute(sql, (province,))]


def unit_names(store: Store, province: str) -> list[str]:
    """Every unit name of the province."""
    return [
        r[0]
        for r in store.conn.execute(
            "SELECT name FROM admin_units WHERE province = ? ORDER BY name", (province,)
        )
    ]


def province_rate(store: Store, province: str) -> float | None:
    """The official province average integration rate (``province_rates``, from the sites
    import) if known, else the mean of the units' known rates, else None."""
    row = store.conn.execute("SELECT rate_pct FROM province_rates WHERE province = ?", (province,)).fetchone()
    if row and row[0] is not None:
        return float(row[0])
    row = store.conn.execute(
        "SELECT avg(health_book_rate_pct) FROM admin_units WHERE province = ? AND health_book_rate_pct IS NOT NULL",
        (province,),
    ).fetchone()
    return float(row[0]) if row and row[0] is not None else None
