"""Opening the SQLite database: pragmas, migrations, error translation."""

from __future__ import annotations

import importlib
import pkgutil
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from bot.errors import StoreError

#: How long a connection waits for another writer before "database is locked" (worker
#: threads, the CLI, migrations): imports and jobs may wait, nobody is waiting on them.
BUSY_TIMEOUT_MS = 5000
#: The event loop's connection waits at most this long: long enough to ride over a worker
#: thread's short commit, far below the 0.1 s that would delay residents' replies.
LOOP_BUSY_TIMEOUT_MS = 20


class StoreThreadError(RuntimeError):
    """A :class:`Store` was used from a thread that does not own its connection (a bug)."""


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

    A ``Store`` is one SQLite connection and belongs to the thread that opened it: using it
    from another thread raises :class:`StoreThreadError` (checked on every access to
    ``conn``/``db``), so two threads can never interleave transactions on one connection.
    Work in another thread opens its own with :meth:`open_for_thread` (or runs through
    ``bot.store.workers.run_with_store``). WAL mode lets readers run beside the one writer.
    """

    def __init__(self, conn: sqlite3.Connection, path: str, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
        self._conn = conn
        self.path = path
        self._db = sqlite_utils.Database(conn)
        self._owner = threading.get_ident()
        self._owner_name = threading.current_thread().name
        self.busy_timeout_ms = busy_timeout_ms

    @property
    def conn(self) -> sqlite3.Connection:
        """The connection (only from the owning thread)."""
        if threading.get_ident() != self._owner:
            self._wrong_thread()
        return self._conn

    @property
    def db(self) -> sqlite_utils.Database:
        """The sqlite-utils view of the connection (only from the owning thread)."""
        if threading.get_ident() != self._owner:
            self._wrong_thread()
        return self._db

    def _wrong_thread(self) -> None:
        raise StoreThreadError(
            f"the store {self.path} belongs to thread {self._owner_name!r} and was used from thread "
            f"{threading.current_thread().name!r}; open a connection for this thread with "
            "Store.open_for_thread() or run the work with bot.store.workers.run_with_store()"
        )

    @classmethod
    def open(cls, path: str | Path, *, migrate: bool = True, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Store:
        """Open (creating if needed) the database at ``path`` and apply pending migrations.

        ``":memory:"`` gives a private in-memory database (tests).
        """
        path = str(path)
        try:
            if path != ":memory:":
                parent = Path(path).expanduser().resolve().parent
                if not parent.exists():
                    parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(path, timeout=busy_timeout_ms / 1000, isolation_level=None)
            conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            if path != ":memory:":
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"cannot open database {path}: {describe_sqlite_error(exc)}") from exc
        store = cls(conn, path, busy_timeout_ms=busy_timeout_ms)
        if migrate:
            store.migrate()
        return store

    def open_for_thread(self, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Store:
        """A new connection to the same database, owned by the calling thread (no migration).

        Close it when the thread's work is done.
        """
        if self.path == ":memory:":
            raise StoreError("an in-memory database cannot be shared with another thread; use a file")
        return Store.open(self.path, migrate=False, busy_timeout_ms=busy_timeout_ms)

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def set_busy_timeout(self, ms: int) -> None:
        """Change how long this connection waits for another writer (e.g. once the loop owns it)."""
        self.conn.execute(f"PRAGMA busy_timeout = {int(ms)}")
        self.busy_timeout_ms = int(ms)

    @contextmanager
    def lock_wait(self, ms: int) -> Iterator[None]:
        """``with store.lock_wait(0):`` — statements inside fail at once on a lock instead of waiting."""
        conn = self.conn
        conn.execute(f"PRAGMA busy_timeout = {int(ms)}")
        try:
            yield
        finally:
            conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")

    def ping(self) -> bool:
        """True when the database answers a trivial query."""
        try:
            self.conn.execute("SELECT 1").fetchone()
        except sqlite3.Error:
            return False
        return True

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

    def delete_meta(self, key: str) -> None:
        """Remove a key from the ``meta`` table (no error when absent)."""
        self.conn.execute("DELETE FROM meta WHERE key = ?", (key,))

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


def is_locked(exc: BaseException) -> bool:
    """True for SQLite's "database is locked" / "busy": another writer holds the lock, retry later."""
    if not isinstance(exc, sqlite3.OperationalError):
        return False
    text = str(exc).lower()
    return "locked" in text or "busy" in text


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
