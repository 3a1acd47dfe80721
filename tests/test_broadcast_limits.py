"""Rate limiter on a fake clock: global pace, sliding window, per chat, per group per minute, 429 pause."""

from __future__ import annotations

import asyncio
from collections import deque

from bot.broadcast.limits import ChannelLimiter, Limits, default_limits


class FakeClock:
    """Monotonic time that only moves when someone sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += max(0.0, seconds)


def _max_in_window(times: list[float], span: float = 1.0) -> int:
    window: deque[float] = deque()
    best = 0
    for t in times:
        window.append(t)
        while window[0] <= t - span:
            window.popleft()
        best = max(best, len(window))
    return best


def test_global_rate_is_paced_and_never_exceeded() -> None:
    clock = FakeClock()
    limiter = ChannelLimiter(Limits(30.0, None, None), clock=clock, sleep=clock.sleep)

    async def run() -> list[float]:
        return [await limiter.acquire() for _ in range(600)]

    times = asyncio.run(run())
    assert _max_in_window(times, span=1.01) <= 30
    achieved = (len(times) - 1) / (times[-1] - times[0])
    assert 0.97 * 30 <= achieved <= 30


def test_concurrent_acquirers_share_one_pace() -> None:
    clock = FakeClock()
    limiter = ChannelLimiter(Limits(30.0, None, None), clock=clock, sleep=clock.sleep)

    async def run() -> list[float]:
        return list(await asyncio.gather(*(limiter.acquire() for _ in range(200))))

    times = sorted(asyncio.run(run()))
    assert _max_in_window(times, span=1.01) <= 30


def test_retry_after_blocks_the_channel() -> None:
    clock = FakeClock()
    limiter = ChannelLimiter(Limits(30.0, None, None), clock=clock, sleep=clock.sleep)

    async def run() -> float:
        await limiter.acquire()
        limiter.block_for(5)
        return await limiter.acquire()

    start = clock.now
    assert asyncio.run(run()) >= start + 5


def test_per_chat_and_per_group_limits() -> None:
    clock = FakeClock()
    limiter = ChannelLimiter(Limits(30.0, 1.0, 20), clock=clock, sleep=clock.sleep)
    assert limiter.chat_ready_at("42", False) == 0.0
    limiter.note_chat_send("42", False, 1000.0)
    assert 1001.0 <= limiter.chat_ready_at("42", False) <= 1001.05
    for i in range(20):
        limiter.note_chat_send("-5", True, 1000.0 + i * 1.5)
    # The 21st message to the group waits until a minute after the 1st.
    assert 1060.0 <= limiter.chat_ready_at("-5", True) <= 1062.0
    assert limiter.chat_ready_at("-6", True) == 0.0


def test_limits_off_never_wait() -> None:
    clock = FakeClock()
    limiter = ChannelLimiter(Limits(None, None, None), clock=clock, sleep=clock.sleep)

    async def run() -> list[float]:
        return [await limiter.acquire() for _ in range(1000)]

    assert set(asyncio.run(run())) == {1000.0}
    limiter.note_chat_send("1", True, 1000.0)
    assert limiter.chat_ready_at("1", True) == 0.0


def test_default_limits_follow_settings(settings: object) -> None:
    limits = default_limits(settings)  # type: ignore[arg-type]
    assert limits["telegram"] == Limits(30.0, 1.0, 20)
    assert limits["zalo"].per_second == 5.0
