"""Delivery outcomes: what happened to each claimed outbox row, recorded in batches.

The sender reports every send here (sent, failed, retry later, chat moved); the outcomes
wait in memory and :meth:`Outcomes.flush` writes a batch in one transaction, so SQLite
stays off the hot path. A batch is forgotten only after its commit: a locked database
keeps it for the next attempt.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bot import metrics
from bot.store import Store, outbox
from bot.store import chats as chat_store
from bot.store.events import to_db_time

logger = logging.getLogger(__name__)


@dataclass
class SenderStats:
    """What one sender run did (for the CLI and benchmarks)."""

    sent: int = 0
    failed: int = 0
    skipped: int = 0
    retried: int = 0
    rate_limited: int = 0
    moved: int = 0
    started: float = field(default_factory=time.monotonic)


class Outcomes:
    """Pending outcomes of claimed rows, the retry policy, and the sender's counters."""

    def __init__(
        self,
        store: Store,
        clock: Callable[[], datetime],
        *,
        max_attempts: int,
        backoff_base: float,
        backoff_cap: float,
    ) -> None:
        self.store = store
        self.clock = clock
        self.max_attempts = max_attempts
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.stats = SenderStats()
        self.pending: list[dict[str, Any]] = []

    def __len__(self) -> int:
        return len(self.pending)

    def backoff(self, attempts: int) -> float:
        """Exponential backoff with jitter for the ``attempts``-th failure, capped."""
        base = min(self.backoff_cap, self.backoff_base * (2 ** max(0, attempts - 1)))
        return base * (0.5 + random.random() / 2)

    def retry(self, row: dict[str, Any], delay: float, reason: str, detail: str = "") -> None:
        """Queue the row again after ``delay`` seconds, or fail it after too many attempts."""
        if row["attempts"] >= self.max_attempts:
            self.record(row, status="failed", reason=f"{reason}: gave up after {row['attempts']} attempts", detail=detail)
            return
        self.stats.retried += 1
        # Stored times have whole seconds: round up so a retry never comes before its delay.
        at = self.clock() + timedelta(seconds=delay + 0.999)
        self.pending.append({"id": row["id"], "status": "queued", "reason": reason, "next_attempt_at": to_db_time(at)})

    def moved(self, row: dict[str, Any], new_id: str) -> None:
        """The group became a supergroup with ``new_id``: resend there once."""
        if row.get("moved_from"):
            self.record(row, status="failed", reason="moved_twice")
            return
        self.stats.moved += 1
        self.pending.append({"id": row["id"], "status": "moved", "new_id": new_id, "row": row})

    def record(
        self, row: dict[str, Any], *, status: str, reason: str | None = None, gone: bool = False, detail: str = ""
    ) -> None:
        """Note a final outcome (sent, failed or skipped); ``gone`` marks the chat inactive."""
        out: dict[str, Any] = {"id": row["id"], "status": status, "reason": reason}
        metrics.observe_delivery(row["channel"], status)
        if status == "sent":
            out["sent_at"] = to_db_time(self.clock())
            self.stats.sent += 1
        elif status == "failed":
            self.stats.failed += 1
            if detail:
                logger.info("delivery %s failed: %s (%s)", row["id"], reason, detail[:200])
        else:
            self.stats.skipped += 1
        if gone:
            out["gone"] = (row["channel"], str(row["chat_id"]))
        self.pending.append(out)

    def flush(self) -> None:
        """Write the pending outcomes in one transaction."""
        if not self.pending:
            return
        # No await below: the batch is exactly what is recorded, and it is forgotten only
        # after the commit (a locked database keeps it for the next attempt).
        batch = self.pending
        plain = []
        with self.store.transaction():
            for out in batch:
                gone = out.get("gone")
                if gone:
                    chat_store.set_status(self.store, gone[0], gone[1], "inactive")
                if out["status"] == "moved":
                    self._apply_move(out["row"], out["new_id"])
                    continue
                plain.append({k: v for k, v in out.items() if k != "gone"})
            outbox.mark_sent(self.store, [(o["sent_at"], o["id"]) for o in plain if o["status"] == "sent"])
            outbox.settle(self.store, [o for o in plain if o["status"] != "sent"])
        self.pending = []

    def _apply_move(self, row: dict[str, Any], new_id: str) -> None:
        channel, old_id = row["channel"], str(row["chat_id"])
        chat_store.move_chat(self.store, channel, old_id, new_id)
        if outbox.chat_taken(self.store, row["broadcast_id"], channel, new_id):
            outbox.settle(self.store, [{"id": row["id"], "status": "skipped", "reason": "moved_duplicate"}])
            return
        outbox.settle(
            self.store,
            [{"id": row["id"], "status": "queued", "chat_id": new_id, "moved_from": old_id, "reason": "moved",
              "next_attempt_at": None}],
        )
