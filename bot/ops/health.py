"""What ``/healthz`` reports: one check per concern, each ``ok``, ``warn`` or ``fail``.

A ``fail`` is something the process cannot work without (the database cannot be written,
the disk is full, the scheduler died): the endpoint answers 503 so a container engine or a
monitor notices. A ``warn`` (an old backup) keeps 200 and says ``degraded``.

``database_state`` blocks (it opens its own SQLite connection); call it in a worker thread.
"""

from __future__ import annotations

import shutil
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: A backup older than this is a warning (the dashboard says the same).
BACKUP_WARN_SECONDS = 2 * 86400
DISK_WARN_BYTES = 1 << 30
DISK_FAIL_BYTES = 100 << 20


@dataclass(frozen=True)
class DatabaseState:
    """The database as seen from a fresh connection."""

    writable: bool
    error: str
    outbox_depth: int | None


def database_state(db: Path, *, timeout: float = 2.0) -> DatabaseState:
    """Can the write lock be taken (then released unused), and how many deliveries wait."""
    try:
        conn = sqlite3.connect(str(db), timeout=timeout, isolation_level=None)
    except sqlite3.Error as exc:
        return DatabaseState(False, str(exc), None)
    try:
        depth: int | None = None
        try:
            row = conn.execute("SELECT count(*) FROM deliveries WHERE status IN ('queued', 'sending')").fetchone()
            depth = int(row[0])
        except sqlite3.Error:
            depth = None  # a database before the broadcast migration has no outbox yet
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
        except sqlite3.Error as exc:
            return DatabaseState(False, str(exc), depth)
        return DatabaseState(True, "", depth)
    finally:
        conn.close()


def check(status: str, detail: str, **data: Any) -> dict[str, Any]:
    """One check's entry in the report."""
    return {"status": status, "detail": detail, **data}


def database_check(state: DatabaseState) -> dict[str, Any]:
    """The database must accept writes."""
    if state.writable:
        return check("ok", "writable")
    return check("fail", f"not writable: {state.error}")


def disk_check(db: Path) -> dict[str, Any]:
    """Free space where the database (and its WAL) grows."""
    try:
        free = shutil.disk_usage(Path(db).expanduser().resolve().parent).free
    except OSError as exc:
        return check("warn", f"unknown: {exc.strerror or exc}")
    status = "fail" if free < DISK_FAIL_BYTES else "warn" if free < DISK_WARN_BYTES else "ok"
    return check(status, f"{free / (1 << 30):.1f} GiB free", free_bytes=free)


def backup_check(record: dict[str, Any] | None, age: float | None, *, expected: bool) -> dict[str, Any]:
    """The last backup: warn when it is older than two days (or missing once one was due)."""
    if age is None:
        if expected:
            return check("warn", "no backup yet")
        return check("ok", "no backup yet")
    status = "warn" if age > BACKUP_WARN_SECONDS else "ok"
    size = record.get("size") if record else None
    return check(status, f"last backup {age / 3600:.1f} h ago", age_seconds=round(age), size_bytes=size)


def scheduler_check(scheduler: Any, *, expected: bool) -> dict[str, Any]:
    """APScheduler must run when the app started its background work."""
    if not expected:
        return check("ok", "not started in this process")
    if scheduler is None or not getattr(scheduler, "running", False):
        return check("fail", "scheduler is not running (scheduled broadcasts and backups stop)")
    return check("ok", "running")


def channels_check(names: list[str], last_ok: dict[str, float], now: float | None = None) -> dict[str, Any]:
    """Each running channel and the age of its last successful platform call."""
    now = time.time() if now is None else now
    ages = {name: (round(now - last_ok[name]) if name in last_ok else None) for name in names}
    return check("ok", ", ".join(names) if names else "no channel running", last_success_age_seconds=ages)


def sender_check(depth: int | None) -> dict[str, Any]:
    """Deliveries waiting in the outbox."""
    if depth is None:
        return check("ok", "no outbox", depth=None)
    return check("ok", f"{depth} waiting", depth=depth)


def overall(checks: dict[str, dict[str, Any]]) -> tuple[str, int]:
    """The overall status and HTTP code: any fail → 503."""
    states = {c["status"] for c in checks.values()}
    if "fail" in states:
        return "fail", 503
    if "warn" in states:
        return "degraded", 200
    return "ok", 200
