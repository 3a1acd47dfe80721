"""SQL for reach beyond the bot: share links, manual shares, posters, QR first visits.

The report figures at the bottom take a :class:`bot.store.metrics.Scope`; a database that
has not received migration 0016 yet answers with empty figures.
"""

from __future__ import annotations

from typing import Any

from bot.store.db import Store
from bot.store.metrics import Scope, table_exists


def insert_link(store: Store, **fields: Any) -> int:
    """Add a share link row; returns its id."""
    with store.transaction():
        cur = store.conn.execute(
            "INSERT INTO share_links (token_hash, broadcast_id, unit, group_head, created_by, created_at)"
            " VALUES (:token_hash, :broadcast_id, :unit, :group_head, :created_by, :created_at)",
            fields,
        )
    return int(cur.lastrowid or 0)


def link_by_hash(store: Store, token_hash: str) -> dict[str, Any] | None:
    """The share link whose token hashes to ``token_hash`` (revoked or not), or None."""
    rows = list(store.db.query("SELECT * FROM share_links WHERE token_hash = ?", [token_hash]))
    return dict(rows[0]) if rows else None


def links_of(store: Store, broadcast_id: int) -> list[dict[str, Any]]:
    """A broadcast's share links, newest first, with their number of answers."""
    sql = (
        "SELECT l.*, (SELECT count(*) FROM manual_shares m WHERE m.link_id = l.id) AS answers"
        " FROM share_links l WHERE l.broadcast_id = ? ORDER BY l.id DESC"
    )
    return [dict(r) for r in store.db.query(sql, [broadcast_id])]


def revoke_link(store: Store, link_id: int, *, by: str, at: str) -> bool:
    """Revoke a live link; False if it does not exist or was already revoked."""
    with store.transaction():
        cur = store.conn.execute(
            "UPDATE share_links SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL",
            (at, by, link_id),
        )
    return cur.rowcount == 1


def insert_share(store: Store, **fields: Any) -> int:
    """Log one manual share (unit, group name, member estimate, time)."""
    with store.transaction():
        cur = store.conn.execute(
            "INSERT INTO manual_shares (link_id, broadcast_id, unit, group_name, members, at)"
            " VALUES (:link_id, :broadcast_id, :unit, :group_name, :members, :at)",
            fields,
        )
    return int(cur.lastrowid or 0)


def shares_of_link(store: Store, link_id: int) -> list[dict[str, Any]]:
    """The answers given through one link, oldest first."""
    sql = "SELECT group_name, members, at FROM manual_shares WHERE link_id = ? ORDER BY id"
    return [dict(r) for r in store.db.query(sql, [link_id])]


def insert_poster(store: Store, **fields: Any) -> int:
    """Log posters generated or printed for a unit."""
    with store.transaction():
        cur = store.conn.execute(
            "INSERT INTO posters (unit, message_id, broadcast_id, copies, source, created_by, at)"
            " VALUES (:unit, :message_id, :broadcast_id, :copies, :source, :created_by, :at)",
            fields,
        )
    return int(cur.lastrowid or 0)


def insert_qr_visit(store: Store, unit: str, at: str) -> None:
    """Count one first visit from a poster's QR code (no personal data: unit and time)."""
    with store.transaction():
        store.conn.execute("INSERT INTO qr_visits (unit, at) VALUES (?, ?)", (unit, at))


# --- report figures ----------------------------------------------------------------------------


def _per_unit(store: Store, scope: Scope, table: str, select: str) -> dict[str, tuple[int, ...]]:
    if not table_exists(store, table):
        return {}
    sql = f"SELECT unit, {select} FROM {table} WHERE at >= ? AND at < ?"  # table/select are constants
    args: list[Any] = [scope.lo, scope.hi]
    if scope.unit:
        sql += " AND unit = ?"
        args.append(scope.unit)
    sql += " GROUP BY unit"
    return {str(r[0]): tuple(int(v or 0) for v in r[1:]) for r in store.conn.execute(sql, args)}


def reach_by_unit(store: Store, scope: Scope) -> dict[str, dict[str, int]]:
    """Per unit in scope: ``shares`` (groups shared into), ``members`` (their estimated members),
    ``posters`` (copies generated or printed) and ``qr_visits`` (first visits from a QR code)."""
    out: dict[str, dict[str, int]] = {}

    def put(unit: str, **values: int) -> None:
        row = out.setdefault(unit, {"shares": 0, "members": 0, "posters": 0, "qr_visits": 0})
        row.update(values)

    for unit, (n, members) in _per_unit(store, scope, "manual_shares", "count(*), sum(members)").items():
        put(unit, shares=n, members=members)
    for unit, (copies,) in _per_unit(store, scope, "posters", "sum(copies)").items():
        put(unit, posters=copies)
    for unit, (n,) in _per_unit(store, scope, "qr_visits", "count(*)").items():
        put(unit, qr_visits=n)
    return out


def latest_broadcast(store: Store, message_id: int | None) -> dict[str, Any] | None:
    """The newest broadcast residents may have received (of ``message_id``, or of any message),
    with its message's id and title; None when there is none."""
    sql = (
        "SELECT b.id, b.code, v.message_id, m.title FROM broadcasts b"
        " JOIN message_versions v ON v.id = b.version_id JOIN messages m ON m.id = v.message_id"
        " WHERE b.code IS NOT NULL AND b.text IS NOT NULL AND (b.state != 'cancelled' OR b.started_at IS NOT NULL)"
    )
    args: list[Any] = []
    if message_id is not None:
        sql += " AND v.message_id = ?"
        args.append(message_id)
    rows = list(store.db.query(sql + " ORDER BY b.id DESC LIMIT 1", args))
    return dict(rows[0]) if rows else None


def sent_messages(store: Store, limit: int = 200) -> list[dict[str, Any]]:
    """Messages with a broadcast residents may have received, newest first, with that broadcast's code."""
    sql = (
        "SELECT m.id, m.title, (SELECT b2.code FROM broadcasts b2 JOIN message_versions v2 ON v2.id = b2.version_id"
        "  WHERE v2.message_id = m.id AND b2.code IS NOT NULL ORDER BY b2.id DESC LIMIT 1) AS code,"
        " max(b.id) AS last_id FROM messages m JOIN message_versions v ON v.message_id = m.id"
        " JOIN broadcasts b ON b.version_id = v.id"
        " WHERE b.code IS NOT NULL AND b.text IS NOT NULL AND (b.state != 'cancelled' OR b.started_at IS NOT NULL)"
        " GROUP BY m.id ORDER BY last_id DESC LIMIT ?"
    )
    return [dict(r) for r in store.db.query(sql, [limit])]
