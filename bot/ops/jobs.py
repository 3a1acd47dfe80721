"""Backups as Loa takes them by itself: daily (checked hourly) and before a migration."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.config import Settings
from bot.ops.backup import BackupResult, backup_database, newest_auto_backup, record_backup, rotate

logger = logging.getLogger(__name__)

#: A new automatic backup is taken when the newest one is older than this.
DAILY = timedelta(hours=23, minutes=30)
CHECK_EVERY_MINUTES = 60
FIRST_CHECK_AFTER = timedelta(minutes=5)


def _taken_at(path: Path) -> datetime | None:
    """The time in an automatic backup's name (``loa-YYYYmmdd-HHMMSS.db[.gz]``)."""
    stamp = path.name.removeprefix("loa-").split(".")[0]
    try:
        return datetime.strptime(stamp, "%Y%m%d-%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        return None


def auto_backup(settings: Settings, *, now: datetime | None = None) -> BackupResult | None:
    """Take the daily backup if the newest automatic one is older than a day, then rotate.

    Blocking: runs in a worker thread. Returns the new backup, or None when none was due.
    """
    now = now or datetime.now(UTC)
    folder = settings.backup_folder
    newest = newest_auto_backup(folder)
    taken = _taken_at(newest) if newest else None
    if taken is not None and now - taken < DAILY:
        return None
    result = backup_database(Path(settings.db), folder, compress=True)
    record_backup(Path(settings.db), result)
    deleted = rotate(folder, settings.backup_keep)
    logger.info(
        "backup made",
        extra={"kv": {"path": str(result.path), "bytes": result.size, "seconds": result.seconds, "rotated": len(deleted)}},
    )
    return result


def backup_before_migrate(settings: Settings) -> BackupResult | None:
    """A backup of an existing database that has pending migrations (None otherwise)."""
    from bot.store import Store

    db = Path(settings.db)
    if str(settings.db) == ":memory:" or not db.is_file() or db.stat().st_size == 0:
        return None
    store = Store.open(db, migrate=False)
    try:
        if not store.applied_migrations() or not store.pending_migrations():
            return None
    finally:
        store.close()
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return backup_database(db, settings.backup_folder / f"pre-migrate-{stamp}.db", compress=True)
