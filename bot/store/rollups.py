"""Daily aggregates of the events log (tables of migration ``0010_rollups``).

A report of any period is a sum over days: :func:`catch_up` folds every event the rollup
has not read yet (by id, so events written late for a past day count too) into per-day
rows, and the three readers below answer exactly what ``bot.store.metrics`` answers from
the raw log: event counts by a column, the reply-time histogram, distinct residents.
Once folded, an event's row may be deleted (retention) and the reports stay the same.
"""

from __future__ import annotations

import sqlite3
from array import array
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from bot.store.db import Store
from bot.store.metrics import Scope, table_exists

ALL = "*"  # the unit key of whole-area rows
_GROUP_COLUMNS = {"type": "type", "topic": "topic", "value": "value", "unit": "unit", "day": "day"}


def available(store: Store) -> bool:
    """Whether this database has the rollup tables (migration 0010)."""
    return table_exists(store, "rollup_events")


def state(store: Store, key: str) -> str | None:
    """One value of ``rollup_state`` (``events_id``, ``tz_minutes``)."""
    row = store.conn.execute("SELECT value FROM rollup_state WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def usable_for(store: Store, tz_minutes: int) -> bool:
    """Whether the rollup's local days are the report's (same UTC offset)."""
    tz = state(store, "tz_minutes")
    return tz is None or int(tz) == tz_minutes


def catch_up(store: Store, tz_minutes: int) -> int:
    """Fold the events not yet rolled up into the daily tables; return how many were folded.

    Cheap when run often: it reads only the ids past the mark (and the rare reused ids
    waiting in ``rollup_pending``). The first run over an old database reads everything once.
    """
    with store.transaction() as conn:
        tz = state(store, "tz_minutes")
        if tz is None:
            conn.execute(
                "INSERT OR REPLACE INTO rollup_state (key, value) VALUES ('tz_minutes', ?)",
                (str(tz_minutes),),
            )
        elif int(tz) != tz_minutes:
            return 0
        last = int(state(store, "events_id") or 0)
        hi = int(conn.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0])
        folded = 0
        if hi > last:
            folded += _fold(conn, "id > ? AND id <= ?", [last, hi], tz_minutes)
            conn.execute("UPDATE rollup_state SET value = ? WHERE key = 'events_id'", (str(hi),))
        if conn.execute("SELECT 1 FROM rollup_pending LIMIT 1").fetchone():
            folded += _fold(conn, "id IN (SELECT event_id FROM rollup_pending)", [], tz_minutes)
            conn.execute("DELETE FROM rollup_pending")
    return folded


def _fold(conn: sqlite3.Connection, where: str, args: list[Any], tz_minutes: int) -> int:
    day = f"date(at, '{tz_minutes:+d} minutes')"
    n = 0
    for unit_expr in ("coalesce(unit, '')", f"'{ALL}'"):
        n = conn.execute(
            f"INSERT INTO rollup_events (day, type, unit, topic, value, n) SELECT {day}, type, {unit_expr},"
            f" coalesce(topic, ''), coalesce(value, ''), count(*) FROM events WHERE {where} GROUP BY 1, 2, 3, 4, 5"
            " ON CONFLICT (type, unit, day, topic, value) DO UPDATE SET n = n + excluded.n",
            args,
        ).rowcount
    for unit_expr in ("coalesce(unit, '')", f"'{ALL}'"):
        conn.execute(
            f"INSERT INTO rollup_latency (unit, day, ms, n) SELECT {unit_expr}, {day}, latency_ms, count(*) FROM events"
            f" WHERE type = 'interaction' AND latency_ms IS NOT NULL AND ({where}) GROUP BY 1, 2, 3"
            " ON CONFLICT (unit, day, ms) DO UPDATE SET n = n + excluded.n",
            args,
        )
    rows = conn.execute(
        f"SELECT {day}, coalesce(unit, ''), resident FROM events WHERE resident IS NOT NULL AND ({where})",
        args,
    ).fetchall()
    if rows:
        _fold_residents(conn, rows)
    return max(n, 0)


def _numbers(conn: sqlite3.Connection, residents: Iterable[str]) -> dict[str, int]:
    """Small integers for keyed resident hashes (assigned on first sight)."""
    wanted = set(residents)
    known = dict(conn.execute("SELECT resident, number FROM resident_numbers"))
    known = {r: known[r] for r in wanted if r in known}
    nxt = int(conn.execute("SELECT coalesce(max(number), -1) + 1 FROM resident_numbers").fetchone()[0])
    new = sorted(wanted - known.keys())
    conn.executemany(
        "INSERT INTO resident_numbers (resident, number) VALUES (?, ?)",
        [(r, nxt + i) for i, r in enumerate(new)],
    )
    known.update({r: nxt + i for i, r in enumerate(new)})
    return known


def _fold_residents(conn: sqlite3.Connection, rows: list[tuple[str, str, str]]) -> None:
    numbers = _numbers(conn, (r for _, _, r in rows))
    days: dict[str, set[int]] = defaultdict(set)
    per_unit: dict[tuple[str, str], set[int]] = defaultdict(set)
    for day, unit, resident in rows:
        number = numbers[resident]
        days[day].add(number)
        if unit:
            per_unit[(unit, day)].add(number)
    for day, members in days.items():
        bitmap = bytearray(max(members) // 8 + 1)
        for number in members:
            bitmap[number >> 3] |= 1 << (number & 7)
        bits = int.from_bytes(bitmap, "little")
        old = conn.execute(
            "SELECT members FROM rollup_residents WHERE unit = ? AND day = ?", (ALL, day)
        ).fetchone()
        if old:
            bits |= int.from_bytes(old[0], "little")
        blob = bits.to_bytes((bits.bit_length() + 7) // 8, "little")
        conn.execute(
            "INSERT OR REPLACE INTO rollup_residents (unit, day, members) VALUES (?, ?, ?)", (ALL, day, blob)
        )
    for (unit, day), members in per_unit.items():
        old = conn.execute(
            "SELECT members FROM rollup_residents WHERE unit = ? AND day = ?", (unit, day)
        ).fetchone()
        if old:
            members |= set(_unpack(old[0]))
        conn.execute(
            "INSERT OR REPLACE INTO rollup_residents (unit, day, members) VALUES (?, ?, ?)",
            (unit, day, array("I", sorted(members)).tobytes()),
        )


def _unpack(blob: bytes) -> array[int]:
    out = array("I")
    out.frombytes(blob)
    return out


# --- readers (the same answers as bot.store.metrics over the raw log) ----------------------------


def event_counts(store: Store, scope: Scope, types: tuple[str, ...], by: str | None = None) -> dict[Any, int]:
    """Events of ``types`` on the scope's days, counted per ``by`` (``None`` → key ``""``)."""
    if not types:
        return {}
    key = "''" if by is None else _GROUP_COLUMNS[by]
    marks = ",".join("?" * len(types))
    sql = f"SELECT {key} AS k, sum(n) FROM rollup_events WHERE type IN ({marks}) AND day >= ? AND day <= ?"
    args: list[Any] = [*types, scope.start, scope.end]
    if scope.unit or by != "unit":
        # One commune's rows, or the whole-area rows (unit "*") unless grouping by commune.
        sql += " AND unit = ?"
        args.append(scope.unit or ALL)
    else:
        sql += f" AND unit != '{ALL}'"
    sql += " GROUP BY k"
    return {k: int(n) for k, n in store.conn.execute(sql, args)}


def latency_histogram(store: Store, scope: Scope) -> list[tuple[int, int]]:
    """``(latency_ms, how many)`` of ``interaction`` events on the scope's days, ascending."""
    sql = "SELECT ms, sum(n) FROM rollup_latency WHERE unit = ? AND day >= ? AND day <= ? GROUP BY ms ORDER BY ms"
    return [(int(v), int(n)) for v, n in store.conn.execute(sql, (scope.unit or ALL, scope.start, scope.end))]


def distinct_residents(store: Store, scope: Scope) -> int:
    """Distinct residents with any event on the scope's days (a union of the daily sets)."""
    rows = store.conn.execute(
        "SELECT members FROM rollup_residents WHERE unit = ? AND day >= ? AND day <= ?",
        (scope.unit or ALL, scope.start, scope.end),
    )
    if scope.unit:
        seen: set[int] = set()
        for (blob,) in rows:
            seen.update(_unpack(blob))
        return len(seen)
    bits = 0
    for (blob,) in rows:
        bits |= int.from_bytes(blob, "little")
    return bits.bit_count()
