"""One serving process per database: ``loa run`` / ``loa demo`` hold an ``fcntl`` lock on
``<db>.lock`` while they serve; ``loa restore`` refuses while it is held.

An advisory ``flock`` is released by the kernel when the process dies, however it dies, so a
crash never leaves a stale "running" marker behind (unlike a bare pid file).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from bot.errors import LoaError


class AlreadyRunning(LoaError):
    """Another Loa process serves this database."""

    def __init__(self, db: Path, pid: int | None) -> None:
        self.pid = pid
        who = f" (pid {pid})" if pid else ""
        super().__init__(f"another Loa process is serving {db}{who}; stop it first (e.g. `systemctl stop loa`)")


def lock_path(db: Path | str) -> Path:
    """The lock file of a database: ``<db>.lock`` beside it."""
    return Path(f"{db}.lock")


def _read_pid(path: Path) -> int | None:
    try:
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return int(text) if text.isdigit() else None


@contextlib.contextmanager
def instance_lock(db: Path | str) -> Iterator[None]:
    """Hold the serving lock of ``db`` for the ``with`` block; ``AlreadyRunning`` if taken."""
    path = lock_path(db)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise AlreadyRunning(Path(db), _read_pid(path)) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        yield
    finally:
        # Closing the descriptor releases the lock; the file stays (harmless, reused next time).
        os.close(fd)


def running_pid(db: Path | str) -> int | None:
    """The pid of the process serving ``db`` (0 if it cannot be read), or None when none runs."""
    path = lock_path(db)
    if not path.exists():
        return None
    fd = os.open(path, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return _read_pid(path) or 0
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)
