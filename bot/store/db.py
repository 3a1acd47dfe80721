"""Opening the SQLite database: pragmas, migrations, error translation."""

from __future__ import annotations

import importlib
import pkgutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from bot.errors import StoreError

BUSY_TIMEOUT_MS = 5000


@dataclass(frozen=True)
class Migration:
    """One schema step: an id that sorts in application order and the function applying it."""

    id: str
    up: Callable[[sqlite_utils.Database], None]


def discover_migrations() -> list[Migration]:
    """All migration modules of ``bot.store.migrations``, sorted by id."""
    from bot.store import migrations as pkg

    found = []
    for info in pkgutil.iter_modules(pkg.__path__):
        if not info.name.startswith("m"):
            continue
        module = importlib.import_module(f"{pkg.__name__}.{info.name}")
        found.append(Migration(module.ID, module.up))
    found.sort(key=lambda m: m.id)
    ids = [m.id for m in found]
    if len(ids) != len(set(ids)):
        raise StoreError(f"duplicate migration ids: {ids}")
    return found


def utcnow_iso() -> str:
    """Current UTC time as stored in the database (seconds precision)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S")


class Store:
    """The database. Feature modules in ``bot/store/`` take a ``Store`` and hold all SQL.

    One ``Store`` is opened per process and shared; SQLite in WAL mode lets readers run
    beside the single writer, and the busy timeout absorbs short lock contention.
    """

    def __init__(self, conn: sqlite3.Connection, path: str) -> None:
        self.conn = conn
        self.path = path
        self.db = sqlite_utils.Database(conn)

    @classmethod
    def open(cls, path: str | Path, *, migrate: bool = True) -> Store:
        """Open (creating if needed) the database at ``path`` and apply pending migrations.

        ``":memory:"`` gives a private in-memory database (tests).
        """
        path = str(path)
        try:
            if path != ":memory:":
                parent = Path(path).expanduser().resolve().parent
                if not parent.exists():
                    parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False, isolation_level=None)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if path != ":memory:":
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"cannot open database {path}: {describe_sqlite_error(exc)}") from exc
        store = cls(conn, path)
        if migrate:
            store.migrate()
        return store

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    # --- migrations -----------------------------------------------------------------------
    def applied_migrations(self) -> list[str]:
        """Ids of the migrations already applied, in order."""
        if "schema_migrations" not in self.db.table_names():
            return []
        return [r[0] for r in self.conn.execute("SELECT id FROM schema_migrations ORDER BY id")]

    def pending_migrations(self) -> list[Migration]:
        """Migrations known to this code but not yet applied to this database."""
        done = set(self.applied_migrations())
        return [m for m in discover_migrations() if m.id not in done]

    def migrate(self) -> list[str]:
        """Apply pending migrations, each in its own transaction; return the ids applied."""
        try:
            self.conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
            )
            applied = []
            for migration in self.pending_migrations():
                with self.transaction():
                    migration.up(self.db)
                    self.conn.execute(
                        "INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)", (migration.id, utcnow_iso())
                    )
                applied.append(migration.id)
            return applied
        except sqlite3.Error as exc:
            raise StoreError(f"cannot migrate database {self.path}: {describe_sqlite_error(exc)}") from exc

    # --- transactions ---------------------------------------------------------------------
    def transaction(self) -> _Transaction:
        """``with store.transaction():`` — BEGIN IMMEDIATE … COMMIT, ROLLBACK on error. Nestable."""
        return _Transaction(self.conn)

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        """Read a value from the ``meta`` key/value table."""
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        """Write a value to the ``meta`` key/value table."""
        self.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def check_writable(self) -> None:
        """Raise ``StoreError`` if the database cannot be written (read-only file, locked)."""
        try:
            with self.transaction():
                self.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('write_check', ?)", (utcnow_iso(),))
        except sqlite3.Error as exc:
            raise StoreError(f"database {self.path} is not writable: {describe_sqlite_error(exc)}") from exc


class _Transaction:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.outer = False

    def __enter__(self) -> sqlite3.Connection:
        self.outer = not self.conn.in_transaction
        if self.outer:
            self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if not self.outer:
            return
        if exc_type is None:
            self.conn.execute("COMMIT")
        else:
            self.conn.execute("ROLLBACK")


def describe_sqlite_error(exc: BaseException) -> str:
    """A short English explanation of a SQLite/OS error for officers."""
    text = str(exc)
    if "readonly" in text or "read-only" in text:
        return "the file is read-only (check permissions)"
    if "locked" in text or "busy" in text:
        return "the database is locked by another process (is another `loa` running?)"
    if "unable to open" in text:
        return "the file cannot be opened (check the path and permissions)"
    if "not a database" in text or "malformed" in text:
        return "the file is not a Loa database or is damaged"
    return text
