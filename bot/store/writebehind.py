"""The write-behind queue: residents' replies never wait for a database write.

Events, the chat registry and subscription changes made while answering a resident are
queued here as small functions of the store, in order, and written after the reply is
computed. Inside the event loop a write is tried without waiting for the lock (busy timeout
0): a locked database (another process, a long import) leaves the queue as it is and a timer
retries it, with a growing delay capped at :data:`RETRY_CAP`. So a ``/start`` during a lock
is answered at once and the chat is subscribed when the lock ends.

Nothing is dropped silently: past :attr:`WriteBehind.limit` queued writes the queue logs a
warning with the counts and callers that can wait (the channels, before handling the next
message) ``await room()`` — backpressure instead of loss. A write that fails for another
reason than a lock (a bug, a constraint) is logged with its name and skipped, so it cannot
block the writes behind it. Outside an event loop (CLI, tests) writes wait for the lock as
usual and are applied at once.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from bot.store.db import BUSY_TIMEOUT_MS, Store, is_locked

logger = logging.getLogger(__name__)

Write = Callable[[Store], object]

RETRY_FIRST = 0.05
RETRY_CAP = 0.25
#: Writes applied per transaction (keeps each commit short when a long backlog drains).
BATCH = 500


class WriteBehind:
    """An ordered, bounded queue of writes applied on ``store``'s own thread."""

    def __init__(self, store: Store, *, limit: int = 20_000) -> None:
        self.store = store
        self.limit = limit
        self._queue: deque[tuple[str, Write]] = deque()
        self._deferred = 0
        self._timer: asyncio.TimerHandle | None = None
        self._delay = RETRY_FIRST
        self._blocked_since: float | None = None
        self._room: asyncio.Event | None = None
        self._warned_at = 0.0
        self.written = 0
        self.failed = 0
        self.peak = 0

    def __len__(self) -> int:
        return len(self._queue)

    @property
    def blocked(self) -> bool:
        """True while the database refused the last attempt (writes are waiting)."""
        return self._blocked_since is not None

    # --- submitting -----------------------------------------------------------------------
    def submit(self, name: str, write: Write) -> None:
        """Queue ``write(store)``; it is applied in order, now if the database is free."""
        self._queue.append((name, write))
        depth = len(self._queue)
        self.peak = max(self.peak, depth)
        if depth > self.limit:
            self._warn_full(depth)
        if self._deferred == 0 and self._timer is None:
            self.flush()

    @contextmanager
    def deferred(self) -> Iterator[None]:
        """Collect the writes made inside the block and apply them together at its end
        (one transaction per resident message instead of one per write)."""
        self._deferred += 1
        try:
            yield
        finally:
            self._deferred -= 1
            if self._deferred == 0 and self._timer is None and self._queue:
                self.flush()

    async def room(self) -> None:
        """Wait while the queue is over its limit (backpressure for the channels)."""
        while len(self._queue) > self.limit:
            if self._room is None:
                self._room = asyncio.Event()
            self._room.clear()
            await self._room.wait()

    # --- applying -------------------------------------------------------------------------
    def flush(self) -> bool:
        """Apply queued writes in order; True when the queue is empty afterwards.

        In an event loop a locked database is not waited for: the writes stay queued and a
        timer tries again.
        """
        loop = _running_loop()
        try:
            while self._queue:
                self._apply_batch(wait=loop is None)
        except sqlite3.Error as exc:
            if not unavailable(exc):
                raise
            self._note_blocked(exc, loop)
            return False
        self._note_free()
        return True

    def close(self) -> bool:
        """Write what is left, waiting for the lock (shutdown); log what could not be written."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        try:
            with self.store.lock_wait(BUSY_TIMEOUT_MS):  # the loop's own short wait is not enough here
                while self._queue:
                    self._apply_batch(wait=True)
        except sqlite3.Error as exc:
            logger.error("%d queued write(s) could not be written at shutdown: %s", len(self._queue), exc)
            return False
        return True

    def _apply_batch(self, *, wait: bool) -> None:
        batch = [self._queue[i] for i in range(min(BATCH, len(self._queue)))]
        try:
            self._in_transaction(batch, wait=wait)
        except Exception as exc:
            if unavailable(exc):
                raise
            # Not a lock: one write is faulty. Apply them one by one and skip (loudly) the bad one.
            for item in batch:
                try:
                    self._in_transaction([item], wait=wait)
                except Exception as one:
                    if unavailable(one):
                        raise
                    self.failed += 1
                    logger.error("queued write %r failed and was skipped: %s", item[0], one)
                self._queue.popleft()
                self.written += 1
            return
        for _ in batch:
            self._queue.popleft()
        self.written += len(batch)

    def _in_transaction(self, batch: list[tuple[str, Write]], *, wait: bool) -> None:
        store = self.store
        if wait:
            with store.transaction():
                for _name, write in batch:
                    write(store)
            return
        with store.lock_wait(0), store.transaction():
            for _name, write in batch:
                write(store)

    # --- lock bookkeeping -----------------------------------------------------------------
    def _note_blocked(self, exc: sqlite3.Error, loop: asyncio.AbstractEventLoop | None) -> None:
        if self._blocked_since is None:
            self._blocked_since = time.monotonic()
            logger.warning("database unavailable (%s): %d write(s) queued, retrying", exc, len(self._queue))
        if loop is None:
            return
        self._timer = loop.call_later(self._delay, self._retry)
        self._delay = min(RETRY_CAP, self._delay * 2)

    def _note_free(self) -> None:
        if self._blocked_since is not None:
            logger.warning(
                "database available again after %.1f s: queued writes applied (peak %d)",
                time.monotonic() - self._blocked_since,
                self.peak,
            )
        self._blocked_since = None
        self._delay = RETRY_FIRST
        if self._room is not None:
            self._room.set()

    def _retry(self) -> None:
        self._timer = None
        self.flush()
        if self._room is not None and len(self._queue) <= self.limit:
            self._room.set()

    def _warn_full(self, depth: int) -> None:
        now = time.monotonic()
        if now - self._warned_at > 10:
            self._warned_at = now
            logger.warning(
                "write-behind queue over its limit: %d queued (limit %d, %d written, blocked %.1f s); "
                "slowing intake until the database accepts writes",
                depth,
                self.limit,
                self.written,
                now - self._blocked_since if self._blocked_since else 0.0,
            )


def unavailable(exc: BaseException) -> bool:
    """True when the database cannot take writes right now (locked, busy, read-only): retry later."""
    return isinstance(exc, sqlite3.Error) and (is_locked(exc) or "readonly" in str(exc).lower())


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None
