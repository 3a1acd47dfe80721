"""Work off the event loop, each piece on a database connection of its own.

The event loop's :class:`Store` belongs to the loop's thread (see docs/architecture.md).
Anything slower than a few milliseconds goes elsewhere, and the loop awaits the result
while it keeps answering residents:

- :func:`run_in_process` — CPU-bound Python (report figures, charts and rendering, spreadsheet
  imports): one worker *process* at lower CPU priority, so it shares neither the GIL nor,
  when the machine is busy, the loop's share of the CPU. Jobs queue one behind another.
- :func:`run_hashing` — argon2 (login, new or reset passwords): it releases the GIL, so a
  dedicated low-priority thread suffices; one hash at a time (~64 MB each), which leaves
  a core to the loop during a burst of logins.
- :func:`run_with_store` / :func:`run_in_thread` — short blocking work (a scheduler job, a
  broadcast's expansion into the outbox) on anyio's worker threads.

A job that needs the database gets the path and opens its own connection; in-memory
databases (never used by the app) cannot be shared, so such jobs run inline.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Concatenate, ParamSpec, TypeVar

import anyio.to_thread

from bot.store.db import Store

P = ParamSpec("P")
T = TypeVar("T")

#: Niceness of the worker process and the hashing thread: the loop wins the CPU when both want it.
WORKER_NICENESS = 10

_process_pool: ProcessPoolExecutor | None = None
_hash_pool: ThreadPoolExecutor | None = None
_pools_lock = threading.Lock()


def _lower_priority() -> None:
    with contextlib.suppress(OSError, AttributeError):  # Linux: per-thread; elsewhere best effort
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), WORKER_NICENESS)


def _warm() -> None:
    # The report and import libraries take seconds of CPU to import: pay it at startup.
    import docx  # noqa: F401
    import matplotlib.pyplot  # noqa: F401
    import openpyxl  # noqa: F401

    import bot.reports.output  # noqa: F401
    import bot.sites.importer  # noqa: F401


def start_worker_process() -> ProcessPoolExecutor:
    """Start the worker process now and import the heavy libraries in it (at its low
    priority), so the first report or import does not pay for them.

    Starting a process forks this one (tens of milliseconds for a large parent): call it
    at startup or from a thread, not from a request on the loop.
    """
    executor = _process_executor()
    executor.submit(_warm)
    return executor


def _process_executor() -> ProcessPoolExecutor:
    global _process_pool
    with _pools_lock:
        if _process_pool is None:
            # spawn: a clean interpreter (forking a process that runs threads and a loop is unsafe).
            _process_pool = ProcessPoolExecutor(
                max_workers=1, mp_context=multiprocessing.get_context("spawn"), initializer=_lower_priority
            )
        return _process_pool


def _hash_executor() -> ThreadPoolExecutor:
    global _hash_pool
    with _pools_lock:
        if _hash_pool is None:
            _hash_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="loa-hash", initializer=_lower_priority)
        return _hash_pool


def _with_own_store(path: str, fn: Callable[..., T], args: tuple[Any, ...], kwargs: dict[str, Any]) -> T:
    own = Store.open(path, migrate=False)
    try:
        return fn(own, *args, **kwargs)
    finally:
        own.close()


async def _in_executor(executor: Executor, call: Callable[[], T]) -> T:
    return await asyncio.get_running_loop().run_in_executor(executor, call)


async def run_in_process(
    store: Store, fn: Callable[Concatenate[Store, P], T], *args: P.args, **kwargs: P.kwargs
) -> T:
    """``fn(own_store, *args, **kwargs)`` in the worker process (``fn``, the arguments and the
    result must pickle: a module-level function and plain data)."""
    if store.path == ":memory:":
        return fn(store, *args, **kwargs)
    global _process_pool
    call = functools.partial(_with_own_store, store.path, fn, args, kwargs)
    executor = _process_pool
    if executor is None:
        executor = await anyio.to_thread.run_sync(start_worker_process)
    try:
        return await _in_executor(executor, call)
    except BrokenProcessPool:
        with _pools_lock:
            _process_pool = None  # the worker died (killed, out of memory): start a new one next time
        raise


async def run_hashing(store: Store | None, fn: Callable[..., T], *args: Any) -> T:
    """``fn(own_store, *args)`` (or ``fn(*args)`` without a store) on the hashing thread."""
    if store is None:
        return await _in_executor(_hash_executor(), functools.partial(fn, *args))
    if store.path == ":memory:":
        return fn(store, *args)
    return await _in_executor(_hash_executor(), functools.partial(_with_own_store, store.path, fn, args, {}))


async def run_in_thread(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """``fn(*args, **kwargs)`` in a worker thread (it must not touch the loop's store)."""
    return await anyio.to_thread.run_sync(functools.partial(fn, *args, **kwargs))


async def run_with_store(
    store: Store, fn: Callable[Concatenate[Store, P], T], *args: P.args, **kwargs: P.kwargs
) -> T:
    """``fn(own_store, *args, **kwargs)`` in a worker thread with its own connection to
    ``store``'s database (opened for the call, closed after; it waits for locks normally)."""
    if store.path == ":memory:":
        return fn(store, *args, **kwargs)
    return await anyio.to_thread.run_sync(functools.partial(_with_own_store, store.path, fn, args, kwargs))


def shutdown_workers() -> None:
    """Stop the worker process and the hashing thread (tests, clean exits)."""
    global _process_pool, _hash_pool
    with _pools_lock:
        pools, _process_pool, _hash_pool = (_process_pool, _hash_pool), None, None
    for pool in pools:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
