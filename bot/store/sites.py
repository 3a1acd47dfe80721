"""Screening sites and sessions: the SQL behind ``bot.sites`` (import and look-up)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from bot.store.db import Store, utcnow_iso


@dataclass(frozen=True)
class SessionRecord:
    """One validated schedule row, ready to be written."""

    unit_id: int
    province: str
    unit: str
    kind: str
    name: str
    address: str
    site_key: str
    lat: float | None
    lon: float | None
    date: str
    start: str
    end: str
    targets: str
    contact: str
    note: str


@dataclass
class WriteCounts:
    """What an import changed."""

    sites_added: int = 0
    sessions_added: int = 0
    sessions_updated: int = 0
    sessions_unchanged: int = 0
    sessions_removed: int = 0


def write_sessions(store: Store, records: Iterable[SessionRecord], *, replace: bool = False) -> WriteCounts:
    """Insert or update sites and sessions in ONE transaction (all or nothing).

    A site is identified by (unit, kind, folded name + address); a session by
    (site, date, start). Re-writing the same records changes nothing. With ``replace``,
    the communes named in ``records`` keep only the sessions in ``records`` (a corrected
    schedule drops cancelled or moved sessions); other communes are untouched.
    """
    counts = WriteCounts()
    now = utcnow_iso()
    site_ids: dict[tuple[int, str, str], int] = {}
    kept: set[int] = set()
    units: set[int] = set()
    with store.transaction() as conn:
        for rec in records:
            units.add(rec.unit_id)
            key = (rec.unit_id, rec.kind, rec.site_key)
            site_id = site_ids.get(key)
            if site_id is None:
                site_id = site_ids[key] = _write_site(conn, rec, now, counts)
            kept.add(_write_session(conn, site_id, rec, now, counts))
        if replace and units:
            counts.sessions_removed = _remove_stale(conn, units, kept)
    return counts


def _write_site(conn: sqlite3.Connection, rec: SessionRecord, now: str, counts: WriteCounts) -> int:
    """The id of the record's site, inserted or brought up to date."""
    row = conn.execute(
        "SELECT id, name, address, lat, lon FROM sites WHERE unit_id = ? AND kind = ? AND site_key = ?",
        (rec.unit_id, rec.kind, rec.site_key),
    ).fetchone()
    if row is None:
        cur = conn.execute(
            "INSERT INTO sites (unit_id, province, unit, kind, name, address, site_key, lat, lon,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (rec.unit_id, rec.province, rec.unit, rec.kind, rec.name, rec.address, rec.site_key,
             rec.lat, rec.lon, now, now),
        )
        counts.sites_added += 1
        return int(cur.lastrowid or 0)
    site_id = int(row[0])
    if (row[1], row[2], row[3], row[4]) != (rec.name, rec.address, rec.lat, rec.lon):
        # Keep known coordinates when a later file leaves them blank.
        conn.execute(
            "UPDATE sites SET name = ?, address = ?, lat = COALESCE(?, lat), lon = COALESCE(?, lon),"
            " updated_at = ? WHERE id = ?",
            (rec.name, rec.address, rec.lat, rec.lon, now, site_id),
        )
    return site_id


def _write_session(conn: sqlite3.Connection, site_id: int, rec: SessionRecord, now: str, counts: WriteCounts) -> int:
    """The id of the record's session, inserted, updated or left as it was."""
    existing = conn.execute(
        "SELECT id, \"end\", targets, contact, note FROM site_sessions WHERE site_id = ? AND date = ? AND start = ?",
        (site_id, rec.date, rec.start),
    ).fetchone()
    if existing is None:
        cur = conn.execute(
            "INSERT INTO site_sessions (site_id, date, start, \"end\", targets, contact, note, imported_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (site_id, rec.date, rec.start, rec.end, rec.targets, rec.contact, rec.note, now),
        )
        counts.sessions_added += 1
        return int(cur.lastrowid or 0)
    if tuple(existing[1:]) != (rec.end, rec.targets, rec.contact, rec.note):
        conn.execute(
            "UPDATE site_sessions SET \"end\" = ?, targets = ?, contact = ?, note = ?, imported_at = ?"
            " WHERE id = ?",
            (rec.end, rec.targets, rec.contact, rec.note, now, existing[0]),
        )
        counts.sessions_updated += 1
    else:
        counts.sessions_unchanged += 1
    return int(existing[0])


def _remove_stale(conn: sqlite3.Connection, units: set[int], kept: set[int]) -> int:
    """Delete the sessions of ``units`` not in ``kept``; return how many."""
    marks = ",".join("?" * len(units))
    stale = [
        int(r[0])
        for r in conn.execute(
            f"SELECT s.id FROM site_sessions s JOIN sites t ON t.id = s.site_id WHERE t.unit_id IN ({marks})",
            sorted(units),
        )
        if int(r[0]) not in kept
    ]
    for start in range(0, len(stale), 500):
        chunk = stale[start : start + 500]
        conn.execute(f"DELETE FROM site_sessions WHERE id IN ({','.join('?' * len(chunk))})", chunk)
    return len(stale)


_SESSION_COLUMNS = (
    "s.id AS session_id, s.date, s.start, s.\"end\", s.targets, s.contact, s.note,"
    " t.id AS site_id, t.unit_id, t.province, t.unit, t.kind, t.name, t.address, t.lat, t.lon"
)


def find_sessions(
    store: Store,
    *,
    province: str | None = None,
    unit_ids: list[int] | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    kind: str | None = None,
    with_coordinates: bool = False,
    site_ids: list[int] | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Sessions joined with their site, ordered by date and start time.

    Dates are local ``YYYY-MM-DD`` strings; both bounds are inclusive.
    """
    where: list[str] = []
    args: list[Any] = []
    if province:
        where.append("t.province = ?")
        args.append(province)
    if unit_ids is not None:
        if not unit_ids:
            return []
        where.append(f"t.unit_id IN ({','.join('?' * len(unit_ids))})")
        args.extend(unit_ids)
    if site_ids is not None:
        if not site_ids:
            return []
        where.append(f"t.id IN ({','.join('?' * len(site_ids))})")
        args.extend(site_ids)
    if date_from:
        where.append("s.date >= ?")
        args.append(date_from)
    if date_to:
        where.append("s.date <= ?")
        args.append(date_to)
    if kind:
        where.append("t.kind = ?")
        args.append(kind)
    if with_coordinates:
        where.append("t.lat IS NOT NULL AND t.lon IS NOT NULL")
    sql = f"SELECT {_SESSION_COLUMNS} FROM site_sessions s JOIN sites t ON t.id = s.site_id"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY s.date, s.start, t.unit, t.name"
    if limit is not None:
        sql += " LIMIT ?"
        args.append(limit)
    return [dict(r) for r in store.db.query(sql, args)]


def list_sites(store: Store, province: str | None = None) -> list[dict[str, Any]]:
    """Every site with its number of sessions and date span, ordered by unit and name."""
    sql = (
        "SELECT t.*, count(s.id) AS sessions, min(s.date) AS first_date, max(s.date) AS last_date"
        " FROM sites t LEFT JOIN site_sessions s ON s.site_id = t.id"
    )
    args: list[Any] = []
    if province:
        sql += " WHERE t.province = ?"
        args.append(province)
    sql += " GROUP BY t.id ORDER BY t.province, t.unit, t.name"
    return [dict(r) for r in store.db.query(sql, args)]


def site_places(store: Store, province: str | None) -> list[dict[str, Any]]:
    """Every site's id, unit, name and address (for matching a place named in a question)."""
    sql = "SELECT id, unit, name, address FROM sites"
    args: list[Any] = []
    if province:
        sql += " WHERE province = ?"
        args.append(province)
    return [dict(r) for r in store.db.query(sql, args)]


def units_with_sessions(store: Store, province: str | None, date_from: str) -> list[str]:
    """Names of the units that have a session on or after ``date_from``."""
    sql = (
        "SELECT DISTINCT t.unit FROM sites t JOIN site_sessions s ON s.site_id = t.id WHERE s.date >= ?"
    )
    args: list[Any] = [date_from]
    if province:
        sql += " AND t.province = ?"
        args.append(province)
    return [r[0] for r in store.conn.execute(sql + " ORDER BY t.unit", args)]


def unit_contacts(store: Store, unit_id: int) -> list[str]:
    """Distinct contacts written on the unit's sessions, most recent session first."""
    rows = store.conn.execute(
        "SELECT s.contact FROM site_sessions s JOIN sites t ON t.id = s.site_id"
        " WHERE t.unit_id = ? AND s.contact != '' ORDER BY s.date DESC",
        (unit_id,),
    )
    seen: dict[str, None] = {}
    for (contact,) in rows:
        seen.setdefault(contact, None)
    return list(seen)


def count_sessions(store: Store) -> int:
    """Number of sessions stored."""
    return int(store.conn.execute("SELECT count(*) FROM site_sessions").fetchone()[0])
