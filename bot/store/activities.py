"""Offline communication activities recorded by officers (table ``activities``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bot.store.db import Store, utcnow_iso

COLUMNS = ("kind", "unit", "date", "count", "participants", "note", "source", "created_by")


def add_activity(
    store: Store,
    *,
    kind: str,
    unit: str,
    date: str,
    count: int = 1,
    participants: int | None = None,
    note: str = "",
    source: str = "cli",
    created_by: str = "",
) -> int:
    """Insert one activity (``date`` as ISO ``YYYY-MM-DD``) and return its id."""
    cur = store.conn.execute(
        "INSERT INTO activities (kind, unit, date, count, participants, note, source, created_by, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (kind, unit, date, count, participants, note, source, created_by, utcnow_iso()),
    )
    return int(cur.lastrowid or 0)


def add_activities(store: Store, rows: Iterable[dict[str, Any]]) -> int:
    """Insert many activities in one transaction (all or nothing); return how many."""
    now = utcnow_iso()
    values = [
        (
            r["kind"],
            r.get("unit", ""),
            r["date"],
            int(r.get("count") or 1),
            r.get("participants"),
            r.get("note", ""),
            r.get("source", "import"),
            r.get("created_by", ""),
            now,
        )
        for r in rows
    ]
    with store.transaction() as conn:
        conn.executemany(
            "INSERT INTO activities (kind, unit, date, count, participants, note, source, created_by, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            values,
        )
    return len(values)


def list_activities(
    store: Store,
    *,
    start: str | None = None,
    end: str | None = None,
    unit: str | None = None,
    kind: str | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Activities between the ISO dates ``start`` and ``end`` (inclusive), newest first."""
    where, args = _where(start, end, unit, kind)
    sql = f"SELECT * FROM activities{where} ORDER BY date DESC, id DESC"
    if limit:
        sql += " LIMIT ?"
        args.append(limit)
    return [dict(r) for r in store.db.query(sql, args)]


def count_demo_activities(store: Store) -> int:
    """How many demo activities exist (for idempotent demo loading)."""
    return int(store.conn.execute("SELECT count(*) FROM activities WHERE source = 'demo'").fetchone()[0])


def _where(start: str | None, end: str | None, unit: str | None, kind: str | None) -> tuple[str, list[Any]]:
    clauses, args = [], []
    if start:
        clauses.append("date >= ?")
        args.append(start)
    if end:
        clauses.append("date <= ?")
        args.append(end)
    if unit:
        clauses.append("unit = ?")
        args.append(unit)
    if kind:
        clauses.append("kind = ?")
        args.append(kind)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), args
