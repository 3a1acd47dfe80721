"""Rate limits for the broadcast sender, one :class:`ChannelLimiter` per channel.

Three limits, as Telegram documents them (Zalo is configured, conservatively):
overall messages per second, messages per chat per second, messages per group per minute.
The overall limit paces sends evenly (an interval of 1/(0.98 rate)) and also keeps a sliding
window slightly longer than a second, so a slow event loop that wakes several senders at
once still never puts more than ``rate`` sends into any second. Per-chat limits are checked
first, so a chat that must wait does not hold up the global pace: the sender defers it.

Clocks are injected (``clock`` returns monotonic seconds, ``sleep`` waits) so tests run on
a fake clock without sleeping.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.config import Settings

#: Pace slightly under the platform limit: network jitter must not turn into 429s.
SAFETY = 0.97
#: The global pace, as a fraction of the limit (Telegram: 29.4 of 30 messages/s).
PACE = 0.98
#: The hard cap counts sends in a window this much longer than a second: ``rate`` sends in
#: any 1.015 s, so a send that reaches the platform up to 15 ms early still counts right.
WINDOW_SECONDS = 1.015


@dataclass(frozen=True)
class Limits:
    """Limits of one channel; ``None`` switches a limit off."""

    per_second: float | None
    per_chat_per_second: float | None = 1.0
    per_group_per_minute: int | None = 20


def default_limits(settings: Settings) -> dict[str, Limits]:
    """Telegram: 30/s overall (configurable), 1/s per chat, 20/min per group; Zalo: configurable."""
    return {
        "telegram": Limits(settings.telegram_rate_per_second, 1.0, 20),
        "zalo": Limits(settings.zalo_rate_per_second, 1.0, 20),
    }


def no_limits() -> dict[str, Limits]:
    """Every limit off (benchmarks against a local server)."""
    return {name: Limits(None, None, None) for name in ("telegram", "zalo")}


class ChannelLimiter:
    """Token pacing for one channel: global rate, per chat, per group per minute."""

    def __init__(
        self,
        limits: Limits,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        safety: float = SAFETY,
    ) -> None:
        self.limits = limits
        self.clock = clock
        self.sleep = sleep
        rate = limits.per_second
        pace = (rate or 0) * (PACE if rate and rate >= 2 else safety)
        self.interval = 1.0 / pace if pace else 0.0
        # Hard cap: ``rate`` sends in any WINDOW_SECONDS (the pace above stays below it; the
        # cap only bites when the event loop was late and several senders wake at once).
        self.window_size = int(rate) if rate and rate >= 2 else (1 if rate else 0)
        self._next = 0.0  # earliest monotonic time of the next global slot
        self._blocked_until = 0.0  # after a 429
        self._window: deque[float] = deque()
        self._lock = asyncio.Lock()
        self._chat_last: dict[str, float] = {}
        self._group_times: dict[str, deque[float]] = {}

    # --- per chat ----------------------------------------------------------------------------
    def chat_ready_at(self, chat_id: str, is_group: bool) -> float:
        """Monotonic time from which ``chat_id`` may receive its next message."""
        ready = 0.0
        per_chat = self.limits.per_chat_per_second
        if per_chat and chat_id in self._chat_last:
            ready = self._chat_last[chat_id] + 1.0 / (per_chat * SAFETY)
        per_group = self.limits.per_group_per_minute
        if is_group and per_group:
            times = self._group_times.get(chat_id)
            if times and len(times) >= per_group:
                ready = max(ready, times[-per_group] + 60.0 / SAFETY)
        return ready

    def note_chat_send(self, chat_id: str, is_group: bool, at: float) -> None:
        """Record a send to ``chat_id`` (for the per-chat and per-group limits)."""
        if self.limits.per_chat_per_second:
            self._chat_last[chat_id] = at
        if is_group and self.limits.per_group_per_minute:
            times = self._group_times.setdefault(chat_id, deque(maxlen=self.limits.per_group_per_minute))
            times.append(at)
        if len(self._chat_last) > 200_000:
            # Forget chats idle for more than a minute; they no longer constrain anything.
            cutoff = at - 61.0
            self._chat_last = {k: v for k, v in self._chat_last.items() if v > cutoff}
            self._group_times = {k: v for k, v in self._group_times.items() if v and v[-1] > cutoff}

    # --- global ------------------------------------------------------------------------------
    def block_for(self, seconds: float) -> None:
        """The platform said 429: no global slot before ``seconds`` from now."""
        self._blocked_until = max(self._blocked_until, self.clock() + max(0.0, seconds))

    def _global_wait(self, now: float) -> float:
        wait = max(self._blocked_until - now, 0.0)
        if self.interval:
            wait = max(wait, self._next - now)
            while self._window and self._window[0] <= now - WINDOW_SECONDS:
                self._window.popleft()
            if self.window_size and len(self._window) >= self.window_size:
                wait = max(wait, self._window[0] + WINDOW_SECONDS - now + 1e-6)
        return wait

    async def acquire(self) -> float:
        """Wait for the next global slot and take it; return the monotonic time it was taken."""
        if not self.interval and self._blocked_until <= 0:
            return self.clock()
        async with self._lock:
            while True:
                now = self.clock()
                wait = self._global_wait(now)
                if wait <= 0:
                    break
                await self.sleep(wait)
            if self.interval:
                # A late wake-up may take one slot early to make up for it (lateness must not
                # add up and slow the pace), never more: no saved-up burst after idling.
                base = max(self._next, now - self.interval)
                self._next = base + self.interval
                self._window.append(now)
            return now
