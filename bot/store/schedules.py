"""Broadcast schedules: SQL only (bot/broadcast/scheduling.py holds the rules and APScheduler glue)."""

from __future__ import annotations

import json
from typing import Any

from bot.store.db import Store, utcnow_iso


def _decode(row: Any) -> dict[str, Any]:
    out = dict(row)
    out["selectors"] = json.loads(out.get("selectors") or "[]")
    out["vars"] = json.loads(out.get("vars") or "{}")
    out["enabled"] = bool(out.get("enabled"))
    return out


def upsert_schedule(store: Store, name: str, *, keep_enabled: bool = True, **fields: Any) -> int:
    """Insert a schedule or update it by name; an existing row keeps ``enabled`` and ``last_due_at``."""
    for key in ("selectors", "vars"):
        if key in fields and not isinstance(fields[key], str):
            fields[key] = json.dumps(fields[key], ensure_ascii=False)
    with store.transaction() as conn:
        row = conn.execute("SELECT id FROM schedules WHERE name = ?", (name,)).fetchone()
        if row is None:
            fields.setdefault("created_at", utcnow_iso())
            cols = ["name", *fields]
            cur = conn.execute(
                f"INSERT INTO schedules ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
                (name, *fields.values()),
            )
            return int(cur.lastrowid or 0)
        if keep_enabled:
            fields.pop("enabled", None)
        fields.pop("created_at", None)
        if fields:
            sets = ", ".join(f"{k} = ?" for k in fields)
            conn.execute(f"UPDATE schedules SET {sets} WHERE id = ?", (*fields.values(), row[0]))
        return int(row[0])


def get_schedule(store: Store, key: str | int) -> dict[str, Any] | None:
    """A schedule by id or name."""
    if isinstance(key, int) or str(key).isdigit():
        rows = list(store.db.query("SELECT * FROM schedules WHERE id = ?", [int(key)]))
    else:
        rows = list(store.db.query("SELECT * FROM schedules WHERE name = ?", [str(key)]))
    return _decode(rows[0]) if rows else None


def list_schedules(store: Store, *, enabled_only: bool = False) -> list[dict[str, Any]]:
    """Every schedule by name."""
    sql = "SELECT * FROM schedules" + (" WHERE enabled = 1" if enabled_only else "") + " ORDER BY name"
    return [_decode(r) for r in store.db.query(sql)]


def update_schedule(store: Store, schedule_id: int, **fields: Any) -> None:
    """Set columns of a schedule."""
    if fields:
        sets = ", ".join(f"{k} = ?" for k in fields)
        store.conn.execute(f"UPDATE schedules SET {sets} WHERE id = ?", (*fields.values(), schedule_id))
