"""Web admin storage: sessions, the audit log and login attempts.

Times are passed in by the caller (UTC ISO strings as in ``events.at``), so the admin's
throttling and expiry are testable with a fixed clock.
"""

from __future__ import annotations

import json
from typing import Any

from bot.store.db import Store

# --- sessions -------------------------------------------------------------------------------


def create_session(
    store: Store, session_id: str, user: str, csrf: str, *, now: str, expires_at: str, ip: str | None = None
) -> None:
    """Store a new session (``session_id`` is the hash of the cookie token)."""
    store.conn.execute(
        "INSERT INTO admin_sessions (id, user, csrf, created_at, last_seen, expires_at, ip) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (session_id, user, csrf, now, now, expires_at, ip),
    )


def get_session(store: Store, session_id: str, *, now: str) -> dict[str, Any] | None:
    """The live session with this id, or None when unknown or expired."""
    row = store.conn.execute(
        "SELECT id, user, csrf, created_at, last_seen, expires_at, ip FROM admin_sessions"
        " WHERE id = ? AND expires_at > ?",
        (session_id, now),
    ).fetchone()
    if row is None:
        return None
    keys = ("id", "user", "csrf", "created_at", "last_seen", "expires_at", "ip")
    return dict(zip(keys, row, strict=True))


def touch_session(store: Store, session_id: str, *, now: str, expires_at: str) -> None:
    """Record activity on a session and slide its idle expiry."""
    store.conn.execute(
        "UPDATE admin_sessions SET last_seen = ?, expires_at = ? WHERE id = ?", (now, expires_at, session_id)
    )


def delete_session(store: Store, session_id: str) -> None:
    """End one session (logout)."""
    store.conn.execute("DELETE FROM admin_sessions WHERE id = ?", (session_id,))


def delete_user_sessions(store: Store, user: str, *, keep: str | None = None) -> int:
    """End every session of a user (password change, deactivation) except ``keep``; return how many."""
    return store.conn.execute(
        "DELETE FROM admin_sessions WHERE user = ? AND id != ?", (user, keep or "")
    ).rowcount


def purge_expired_sessions(store: Store, *, now: str) -> int:
    """Delete expired sessions; return how many went."""
    return store.conn.execute("DELETE FROM admin_sessions WHERE expires_at <= ?", (now,)).rowcount


# --- login attempts -------------------------------------------------------------------------


def record_login_attempt(store: Store, *, name: str, ip: str | None, ok: bool, at: str) -> None:
    """Remember one login attempt (successful or not) for throttling."""
    store.conn.execute(
        "INSERT INTO login_attempts (at, name, ip, ok) VALUES (?, ?, ?, ?)", (at, name, ip, 1 if ok else 0)
    )


def failures_since_success(store: Store, *, since: str, name: str | None = None, ip: str) -> tuple[int, str | None]:
    """Failed logins from ``ip`` (for ``name``, or any name) since ``since`` and after the
    last success of the same key; returns (count, time of the latest failure)."""
    key, args = ("name = ? AND ip = ?", [name, ip]) if name is not None else ("ip = ?", [ip])
    row = store.conn.execute(
        f"SELECT max(at) FROM login_attempts WHERE {key} AND ok = 1 AND at >= ?", (*args, since)
    ).fetchone()
    floor = row[0] if row and row[0] else since
    count, last = store.conn.execute(
        f"SELECT count(*), max(at) FROM login_attempts WHERE {key} AND ok = 0 AND at >= ?", (*args, floor)
    ).fetchone()
    return int(count), last


def purge_login_attempts(store: Store, *, before: str) -> int:
    """Forget attempts older than ``before``; return how many went."""
    return store.conn.execute("DELETE FROM login_attempts WHERE at < ?", (before,)).rowcount


# --- audit log ------------------------------------------------------------------------------


def add_audit(
    store: Store,
    *,
    at: str,
    user: str | None,
    action: str,
    target: str | None = None,
    detail: dict[str, Any] | None = None,
    ip: str | None = None,
) -> int:
    """Append one audit entry and return its id."""
    cur = store.conn.execute(
        "INSERT INTO audit_log (at, user, action, target, detail, ip) VALUES (?, ?, ?, ?, ?, ?)",
        (at, user, action, target, json.dumps(detail, ensure_ascii=False) if detail else None, ip),
    )
    return int(cur.lastrowid or 0)


def list_audit(
    store: Store, *, user: str | None = None, action: str | None = None, limit: int = 100, offset: int = 0
) -> list[dict[str, Any]]:
    """Audit entries, newest first, optionally filtered by user and action prefix."""
    sql = "SELECT id, at, user, action, target, detail, ip FROM audit_log"
    where: list[str] = []
    args: list[Any] = []
    if user:
        where.append("user = ?")
        args.append(user)
    if action:
        where.append("action LIKE ?")
        args.append(action.replace("%", "").replace("_", r"\_") + "%")
    if where:
        sql += " WHERE " + " AND ".join(w if "LIKE" not in w else w + r" ESCAPE '\'" for w in where)
    sql += " ORDER BY id DESC LIMIT ? OFFSET ?"
    args += [limit, offset]
    out = []
    for row in store.db.query(sql, args):
        item = dict(row)
        item["detail"] = json.loads(item["detail"]) if item.get("detail") else {}
        out.append(item)
    return out


def count_audit(store: Store) -> int:
    """How many audit entries exist."""
    return int(store.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0])


# --- chats (read-only listings for the admin's filters) ----------------------------------------


def chat_tags(store: Store) -> list[str]:
    """Every tag used on some chat, sorted."""
    rows = store.conn.execute(
        "SELECT DISTINCT t.value FROM chats, json_each(chats.tags) t ORDER BY 1"
    ).fetchall()
    return [str(r[0]) for r in rows if r[0]]


def chat_units(store: Store) -> list[str]:
    """Every unit some chat is assigned to, sorted."""
    rows = store.conn.execute(
        "SELECT DISTINCT unit FROM chats WHERE unit IS NOT NULL AND unit != '' ORDER BY 1"
    ).fetchall()
    return [str(r[0]) for r in rows]


def list_chats(
    store: Store,
    *,
    channel: str | None = None,
    kind: str | None = None,
    unit: str | None = None,
    tag: str | None = None,
    status: str | None = None,
    search: str | None = None,
    limit: int = 200,
    offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    """Chats matching the filters (``unit='-'`` = no unit; ``status='opted_out'`` = unsubscribed),
    newest first, with ``tags`` decoded; and the total count."""
    where: list[str] = []
    args: list[Any] = []
    if channel:
        where.append("channel = ?")
        args.append(channel)
    if kind:
        where.append("kind = ?")
        args.append(kind)
    if unit == "-":
        where.append("(unit IS NULL OR unit = '')")
    elif unit:
        where.append("unit = ?")
        args.append(unit)
    if tag:
        where.append("EXISTS (SELECT 1 FROM json_each(chats.tags) t WHERE t.value = ?)")
        args.append(tag)
    if status == "opted_out":
        where.append("opted_out = 1")
    elif status:
        where.append("status = ? AND opted_out = 0")
        args.append(status)
    if search:
        where.append("(title LIKE ? ESCAPE '\\' OR chat_id = ?)")
        args += ["%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%", search]
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    total = int(store.conn.execute(f"SELECT count(*) FROM chats{clause}", args).fetchone()[0])
    rows = store.db.query(
        f"SELECT * FROM chats{clause} ORDER BY id DESC LIMIT ? OFFSET ?", [*args, limit, offset]
    )
    out = []
    for row in rows:
        item = dict(row)
        item["tags"] = json.loads(item.get("tags") or "[]")
        out.append(item)
    return out, total


def chats_by_ids(store: Store, ids: list[int]) -> list[dict[str, Any]]:
    """The chats with these row ids (tags decoded)."""
    if not ids:
        return []
    marks = ", ".join("?" for _ in ids)
    out = []
    for row in store.db.query(f"SELECT * FROM chats WHERE id IN ({marks}) ORDER BY id", ids):
        item = dict(row)
        item["tags"] = json.loads(item.get("tags") or "[]")
        out.append(item)
    return out
