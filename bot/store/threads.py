"""Work off the event loop: run a function in a worker thread on a connection of its own.

The event loop's :class:`Store` belongs to the loop's thread. Anything that may take more
than a few milliseconds (password hashing, report figures and rendering, imports, exports,
expanding a large broadcast, scheduler jobs) goes through :func:`run_with_store` (or
:func:`run_in_thread` when it needs no database): the loop awaits the result while it keeps
answering residents.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar

import anyio.to_thread
from anyio import CapacityLimiter

from bot.store.db import Store

P = ParamSpec("P")
T = TypeVar("T")

#: Heavy CPU work (reports, imports): one at a time, so two downloads do not starve the loop
#: of the GIL or the machine of memory; the second waits its turn.
_heavy: CapacityLimiter | None = None
#: Password hashing: argon2 releases the GIL but takes ~64 MB per hash; a burst of logins is
#: served two at a time.
_hashing: CapacityLimiter | None = None


def heavy_limiter() -> CapacityLimiter:
    """The limiter for reports, imports and exports (created in the running loop)."""
    global _heavy
    if _heavy is None:
        _heavy = CapacityLimiter(1)
    return _heavy


def hashing_limiter() -> CapacityLimiter:
    """The limiter for password hashing and verification."""
    global _hashing
    if _hashing is None:
        _hashing = CapacityLimiter(2)
    return _hashing


async def run_in_thread(
    fn: Callable[P, T], *args: P.args, limiter: CapacityLimiter | None = None, **kwargs: P.kwargs
) -> T:
    """``fn(*args, **kwargs)`` in a worker thread (it must not touch the loop's store)."""
    return await anyio.to_thread.run_sync(lambda: fn(*args, **kwargs), limiter=limiter)


async def run_with_store(
    store: Store,
    fn: Callable[Concatenate[Store, P], T],
    *args: P.args,
    limiter: CapacityLimiter | None = None,
    **kwargs: P.kwargs,
) -> T:
    """``fn(thread_store, *args, **kwargs)`` in a worker thread with its own connection to
    ``store``'s database (opened for the call, closed after; it waits for locks normally).

    An in-memory database cannot be shared between connections: it runs inline instead
    (only tests use one, and they do not measure the loop).
    """
    if store.path == ":memory:":
        return fn(store, *args, **kwargs)
    path = store.path

    def work() -> T:
        own = Store.open(path, migrate=False)
        try:
            return fn(own, *args, **kwargs)
        finally:
            own.close()

    return await anyio.to_thread.run_sync(work, limiter=limiter)
