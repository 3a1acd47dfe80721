"""The broadcast sender: turns due broadcasts into outbox rows and delivers them.

Crash safety: a broadcast is expanded into one delivery row per (channel, chat) with a
unique key before anything is sent. The sender claims at most ``window`` rows at a time
(status 'sending'), sends them concurrently under the channel's rate limits and writes the
outcomes in small batches. After a crash the rows still 'sending' are queued again: a chat
can receive a copy twice only if the crash fell between the platform's accept and our
record, so duplicates are bounded by the in-flight window.

One sender per database at a time (``bot/broadcast/lease.py``). A locked database pauses
the sender; it resumes by itself. Expansion lives in ``bot/broadcast/expansion.py``, the
recording of outcomes and the retry policy in ``bot/broadcast/outcomes.py``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from bot import metrics
from bot.broadcast.broadcasts import delivered_text
from bot.broadcast.errors import BroadcastError
from bot.broadcast.expansion import start_due_broadcasts
from bot.broadcast.lease import SenderLease
from bot.broadcast.limits import ChannelLimiter, Limits, default_limits
from bot.broadcast.outcomes import Outcomes, SenderStats
from bot.channels.base import Channel
from bot.channels.errors import BadMessage, ChatGone, ChatMoved, RetryAfter, SendError, Transient
from bot.config import Settings
from bot.conversation import Reply
from bot.store import Store, outbox
from bot.store import broadcast as db
from bot.store.db import is_locked
from bot.store.events import log_event, to_db_time
from bot.store.workers import run_with_store

logger = logging.getLogger(__name__)

#: Waits between attempts while the database is locked (grows to the cap).
LOCK_PAUSE_FIRST = 0.1
LOCK_PAUSE_CAP = 2.0


class Sender:
    """Delivers due broadcasts from the outbox through outbound channels."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        channels: dict[str, Channel],
        *,
        limits: dict[str, Limits] | None = None,
        window: int = 64,
        max_attempts: int = 8,
        backoff_base: float = 1.0,
        backoff_cap: float = 60.0,
        clock: Callable[[], datetime] | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        flush_every: float = 0.05,
    ) -> None:
        self.store = store
        self.settings = settings
        self.channels = channels
        self.window = max(1, window)
        self.clock = clock or (lambda: datetime.now(UTC))
        self.monotonic = monotonic
        self.sleep = sleep
        self.flush_every = flush_every
        chosen = limits if limits is not None else default_limits(settings)
        self.limiters = {
            name: ChannelLimiter(chosen.get(name, Limits(None, None, None)), clock=monotonic, sleep=sleep)
            for name in channels
        }
        self.outcomes = Outcomes(
            store, self.clock, max_attempts=max_attempts, backoff_base=backoff_base, backoff_cap=backoff_cap
        )
        self.stats = self.outcomes.stats
        self.lease = SenderLease(store, self)
        self._inflight: set[asyncio.Task[None]] = set()
        self._texts: dict[int, str] = {}
        self._chat_locks: dict[tuple[str, str], asyncio.Lock] = {}
        self._last_finish_check = 0.0
        self._wake = asyncio.Event()
        self._batch = max(1, self.window // 4)
        self._locked_since: float | None = None
        self._lock_pause = LOCK_PAUSE_FIRST

    # --- lease -------------------------------------------------------------------------------
    def acquire_lease(self) -> None:
        """Become the one sender of this database, or raise ``BroadcastError``."""
        n = self.lease.acquire()
        if n:
            logger.warning("requeued %d delivery row(s) left in flight by a previous sender", n)

    def release_lease(self) -> None:
        """Give the lease up (clean stop)."""
        self.lease.release()

    # --- main loop -----------------------------------------------------------------------------
    async def run(
        self, *, until_done: bool = False, stop: asyncio.Event | None = None, poll_interval: float = 1.0
    ) -> SenderStats:
        """Send until ``stop`` is set (or, with ``until_done``, until nothing due is left).

        A locked database pauses the sender (sends in flight finish, their outcomes wait in
        memory) and it resumes when the lock ends; it never crashes on a lock.
        """
        while not await self._locked_step(self.acquire_lease, stop):
            if stop and stop.is_set():
                return self.stats
        try:
            while not (stop and stop.is_set()):
                try:
                    if await self._step(until_done, stop, poll_interval):
                        break
                except sqlite3.OperationalError as exc:
                    if not is_locked(exc):
                        raise
                    await self._pause_for_lock(exc, stop)
                    continue
                self._note_unlocked()
        finally:
            await self._finish_quietly()
        return self.stats

    async def _step(self, until_done: bool, stop: asyncio.Event | None, poll_interval: float) -> bool:
        """One turn of the main loop; True when ``until_done`` finds nothing left."""
        active = await self._start_due()
        if self._claim(active):
            return False
        if self._inflight:
            await self._wait_for_progress(self.flush_every)
            if self.monotonic() - self._last_finish_check > 1.0:
                # Close broadcasts that ended while another one is still sending.
                self.outcomes.flush()
                self._finish_broadcasts(active)
            return False
        self.outcomes.flush()
        self._finish_broadcasts(active)
        if until_done and not self._work_left():
            return True
        await self._idle(poll_interval, stop)
        return False

    async def _locked_step(self, step: Callable[[], object], stop: asyncio.Event | None) -> bool:
        try:
            step()
        except sqlite3.OperationalError as exc:
            if not is_locked(exc):
                raise
            await self._pause_for_lock(exc, stop)
            return False
        self._note_unlocked()
        return True

    async def _pause_for_lock(self, exc: Exception, stop: asyncio.Event | None) -> None:
        if self._locked_since is None:
            self._locked_since = self.monotonic()
            logger.warning("broadcast sender paused: the database is locked (%s)", exc)
        delay, self._lock_pause = self._lock_pause, min(LOCK_PAUSE_CAP, self._lock_pause * 2)
        if stop is None:
            await self.sleep(delay)
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=delay)

    def _note_unlocked(self) -> None:
        if self._locked_since is not None:
            logger.warning("broadcast sender resumed after %.1f s", self.monotonic() - self._locked_since)
            self._locked_since = None
        self._lock_pause = LOCK_PAUSE_FIRST

    async def _finish_quietly(self) -> None:
        try:
            await self.drain()
            self.release_lease()
        except sqlite3.OperationalError as exc:
            if not is_locked(exc):
                raise
            # The rows stay 'sending' and the next start requeues them (see the module doc).
            logger.warning("sender stopped with the database locked: %d outcome(s) not recorded", len(self.outcomes))

    async def drain(self) -> None:
        """Let in-flight sends finish and record their outcomes."""
        if self._inflight:
            await asyncio.gather(*list(self._inflight), return_exceptions=True)
        self.outcomes.flush()

    async def _idle(self, seconds: float, stop: asyncio.Event | None) -> None:
        self.lease.heartbeat()
        delay = seconds
        retry = outbox.next_retry_at(self.store, db.due_broadcast_ids(self.store, self._now_iso()))
        if retry:
            # Wake for the next retry rather than a full poll interval.
            delay = min(delay, max(0.05, (datetime.fromisoformat(retry).replace(tzinfo=UTC) - self.clock()).total_seconds()))
        if stop is None:
            await self.sleep(delay)
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=delay)

    def _now_iso(self) -> str:
        return to_db_time(self.clock())

    def _work_left(self) -> bool:
        ids = db.due_broadcast_ids(self.store, self._now_iso())
        return any(outbox.open_count(self.store, i) for i in ids) or bool(
            [i for i in ids if (db.get_broadcast(self.store, i) or {}).get("state") == "scheduled"]
        )

    # --- expansion -----------------------------------------------------------------------------
    def start_due_broadcasts(self) -> list[int]:
        """Expand due scheduled broadcasts into the outbox; return the ids now sending."""
        return start_due_broadcasts(self.store, self.settings, self.clock())

    async def _start_due(self) -> list[int]:
        # Selecting and expanding 10,000 chats takes a while: a worker thread does it on its
        # own connection, the loop only reads which broadcasts are due.
        now = self.clock()
        due = db.due_broadcast_ids(self.store, to_db_time(now))
        if any((db.get_broadcast(self.store, i) or {}).get("state") == "scheduled" for i in due):
            await run_with_store(self.store, start_due_broadcasts, self.settings, now)
        return start_due_broadcasts(self.store, self.settings, now)

    # --- claiming and sending ---------------------------------------------------------------------
    def _claim(self, active: list[int]) -> int:
        # Unflushed outcomes still count: their rows are 'sending' in the database.
        free = self.window - len(self._inflight) - len(self.outcomes)
        if not active or free < self._batch:
            return 0
        rows = outbox.claim(self.store, active, free, self._now_iso())
        for row in rows:
            task = asyncio.ensure_future(self._deliver(row))
            self._inflight.add(task)
            task.add_done_callback(self._done)
        return len(rows)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._inflight.discard(task)
        # Wake the loop once per batch of outcomes (it flushes them and claims a batch of
        # rows), not once per message: each wake re-reads the due broadcasts.
        if not self._inflight or len(self.outcomes) >= self._batch:
            self._wake.set()

    async def _wait_for_progress(self, timeout: float) -> None:
        self._wake.clear()
        woke = False
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=timeout)
            woke = True
        # Write outcomes in batches: one transaction per batch keeps SQLite off the hot path.
        if not woke or len(self.outcomes) >= self._batch:
            self.outcomes.flush()
        self.lease.heartbeat()

    def _text(self, broadcast_id: int) -> str:
        text = self._texts.get(broadcast_id)
        if text is None:
            row = db.get_broadcast(self.store, broadcast_id)
            text = delivered_text(row) if row else ""
            self._texts[broadcast_id] = text
        return text

    async def _deliver(self, row: dict[str, Any]) -> None:
        channel = self.channels.get(row["channel"])
        if channel is None:
            self.outcomes.record(row, status="skipped", reason="channel_off")
            return
        limiter = self.limiters[row["channel"]]
        chat_id = str(row["chat_id"])
        is_group = row.get("chat_kind") == "group"
        try:
            key = (row["channel"], chat_id)
            lock = self._chat_locks.get(key)
            if lock is None:
                lock = self._chat_locks[key] = asyncio.Lock()
            text = self._text(row["broadcast_id"])
            # One send per chat at a time, and the chat's clock starts when the platform has
            # answered: the next message to that chat cannot arrive within a second of this
            # one, whatever the network jitter.
            async with lock:
                ready = limiter.chat_ready_at(chat_id, is_group)
                now = self.monotonic()
                if ready > now:
                    await self.sleep(ready - now)
                await limiter.acquire()
                try:
                    await channel.send(chat_id, Reply(text, kind="broadcast"))
                finally:
                    limiter.note_chat_send(chat_id, is_group, self.monotonic())
        except RetryAfter as exc:
            limiter.block_for(exc.seconds)
            self.stats.rate_limited += 1
            metrics.observe_rate_limited(row["channel"])
            self.outcomes.retry(row, exc.seconds, "rate_limited")
        except ChatMoved as exc:
            self.outcomes.moved(row, exc.new_id)
        except ChatGone as exc:
            self.outcomes.record(row, status="failed", reason="chat_gone", gone=True, detail=str(exc))
        except BadMessage as exc:
            self.outcomes.record(row, status="failed", reason="bad_message", detail=str(exc))
        except (Transient, SendError) as exc:
            self.outcomes.retry(row, self.outcomes.backoff(row["attempts"]), "transient", detail=str(exc))
        except Exception as exc:  # noqa: BLE001 - an adapter bug must not kill the sender
            logger.exception("unexpected error sending delivery %s", row["id"])
            self.outcomes.retry(row, self.outcomes.backoff(row["attempts"]), "error", detail=type(exc).__name__)
        else:
            self.outcomes.record(row, status="sent")

    # --- completion ----------------------------------------------------------------------------
    def _finish_broadcasts(self, active: list[int]) -> None:
        self._last_finish_check = self.monotonic()
        if not self._inflight:
            self._chat_locks.clear()  # nothing waits on them now
        for broadcast_id in active:
            row = db.get_broadcast(self.store, broadcast_id)
            if not row or row["state"] != "sending" or outbox.open_count(self.store, broadcast_id):
                continue
            counts = outbox.status_counts(self.store, broadcast_id)
            with self.store.transaction():
                db.update_broadcast(self.store, broadcast_id, state="done", finished_at=self._now_iso())
                log_event(
                    self.store,
                    "broadcast_finished",
                    at=self.clock(),
                    topic=row.get("theme"),
                    value=row.get("code"),
                    data={k: counts[k] for k in ("total", "sent", "failed", "skipped")} | {"id": broadcast_id},
                )
            self._texts.pop(broadcast_id, None)
            logger.info("broadcast %s done: %s", broadcast_id, counts)


async def run_sender(
    store: Store,
    settings: Settings,
    *,
    until_done: bool = False,
    stop: asyncio.Event | None = None,
    channels: dict[str, Channel] | None = None,
    **options: Any,
) -> SenderStats:
    """Open the outbound channels (unless given), run a :class:`Sender`, close them."""
    from bot.channels.outbound import SEND_CONCURRENCY, close_outbound, open_outbound

    own = channels is None
    window = int(options.get("window", SEND_CONCURRENCY))
    chans = await open_outbound(settings, concurrency=window) if channels is None else channels
    if not chans:
        raise BroadcastError("no channel to send through: set LOA_TELEGRAM_TOKEN and/or LOA_ZALO_TOKEN")
    try:
        return await Sender(store, settings, chans, **options).run(until_done=until_done, stop=stop)
    finally:
        if own:
            await close_outbound(chans)
