"""SQL for correcting one screening session in place (the admin's edit form).

Kept apart from ``bot.store.sites`` (the bulk import): an edit touches one session, and
moves it to another site only when the officer changed the place's name or address.
"""

from __future__ import annotations

from typing import Any

from bot.errors import LoaError
from bot.store.db import Store, utcnow_iso
from bot.store.sites import SessionRecord

_COLUMNS = (
    "s.id AS session_id, s.date, s.start, s.\"end\", s.targets, s.contact, s.note,"
    " t.id AS site_id, t.unit_id, t.province, t.unit, t.kind, t.name, t.address, t.site_key, t.lat, t.lon"
)


class SessionClash(LoaError):
    """The edited session would take the date and start time of another one at the same site."""


def get_session(store: Store, session_id: int) -> dict[str, Any] | None:
    """One session joined with its site, or None."""
    rows = list(
        store.db.query(
            f"SELECT {_COLUMNS} FROM site_sessions s JOIN sites t ON t.id = s.site_id WHERE s.id = ?",
            [int(session_id)],
        )
    )
    return rows[0] if rows else None


def _site_for(store: Store, rec: SessionRecord, now: str) -> int:
    """The id of the site ``rec`` names (created when new; cosmetic changes written through)."""
    row = store.conn.execute(
        "SELECT id, name, address FROM sites WHERE unit_id = ? AND kind = ? AND site_key = ?",
        (rec.unit_id, rec.kind, rec.site_key),
    ).fetchone()
    if row is None:
        cur = store.conn.execute(
            "INSERT INTO sites (unit_id, province, unit, kind, name, address, site_key, lat, lon,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (rec.unit_id, rec.province, rec.unit, rec.kind, rec.name, rec.address, rec.site_key,
             rec.lat, rec.lon, now, now),
        )
        return int(cur.lastrowid or 0)
    if (row[1], row[2]) != (rec.name, rec.address):
        # Same place, written differently (case, spacing): the site takes the new spelling.
        store.conn.execute(
            "UPDATE sites SET name = ?, address = ?, updated_at = ? WHERE id = ?", (rec.name, rec.address, now, row[0])
        )
    return int(row[0])


def update_session(store: Store, session_id: int, rec: SessionRecord) -> None:
    """Write ``rec`` over session ``session_id`` (date, times, note, and its site).

    One transaction. Raises ``SessionClash`` when the site already has another session on
    that date at that start time, and ``LoaError`` when the session is gone.
    """
    now = utcnow_iso()
    with store.transaction():
        if store.conn.execute("SELECT 1 FROM site_sessions WHERE id = ?", (int(session_id),)).fetchone() is None:
            raise LoaError(f"no session with id {session_id}", vi="Không tìm thấy buổi khám này (có thể đã bị xóa).")
        site_id = _site_for(store, rec, now)
        clash = store.conn.execute(
            "SELECT 1 FROM site_sessions WHERE site_id = ? AND date = ? AND start = ? AND id != ?",
            (site_id, rec.date, rec.start, int(session_id)),
        ).fetchone()
        if clash is not None:
            raise SessionClash(
                f"the site already has a session on {rec.date} at {rec.start}",
                vi="Điểm khám này đã có một buổi khác cùng ngày và cùng giờ bắt đầu.",
            )
        store.conn.execute(
            "UPDATE site_sessions SET site_id = ?, date = ?, start = ?, \"end\" = ?, note = ?, imported_at = ?"
            " WHERE id = ?",
            (site_id, rec.date, rec.start, rec.end, rec.note, now, int(session_id)),
        )
