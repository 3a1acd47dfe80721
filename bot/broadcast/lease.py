"""The sender lease: one broadcast sender per database at a time.

A lease in ``meta`` (owner, pid, host, heartbeat) keeps the web app's sender and
``loa broadcast run`` from sending the same rows twice. A lease whose heartbeat is older
than ``LEASE_SECONDS``, or whose process is gone on this host, is free to take.
"""

from __future__ import annotations

import json
import os
import socket
import time
from typing import Any

from bot.broadcast.errors import BroadcastError
from bot.store import Store, outbox

LEASE_KEY = "broadcast_sender_lease"
LEASE_SECONDS = 30.0


class SenderLease:
    """The lease of one sender object over one store."""

    def __init__(self, store: Store, tag: object) -> None:
        self.store = store
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{id(tag)}"
        self._last_heartbeat = 0.0

    def acquire(self) -> int:
        """Take the lease (or raise ``BroadcastError``); return how many rows were requeued.

        Rows a dead sender left 'sending' go back to the queue (they may be duplicates).
        """
        now = time.time()
        with self.store.transaction():
            raw = self.store.get_meta(LEASE_KEY)
            if raw:
                lease = json.loads(raw)
                if lease.get("owner") != self.owner and lease_alive(lease, now):
                    raise BroadcastError(f"another broadcast sender is running (pid {lease.get('pid')})")
            self._write(now)
            return outbox.requeue_in_flight(self.store)

    def heartbeat(self) -> None:
        """Refresh the heartbeat when a third of the lease time has passed."""
        now = time.time()
        if now - self._last_heartbeat > LEASE_SECONDS / 3:
            self._write(now)

    def release(self) -> None:
        """Give the lease up (clean stop)."""
        raw = self.store.get_meta(LEASE_KEY)
        if raw and json.loads(raw).get("owner") == self.owner:
            self.store.delete_meta(LEASE_KEY)

    def _write(self, now: float) -> None:
        lease = {"owner": self.owner, "pid": os.getpid(), "host": socket.gethostname(), "heartbeat": now}
        self.store.set_meta(LEASE_KEY, json.dumps(lease))
        self._last_heartbeat = now


def lease_alive(lease: dict[str, Any], now: float) -> bool:
    """Whether a stored lease still belongs to a running sender."""
    if now - float(lease.get("heartbeat") or 0) > LEASE_SECONDS:
        return False
    if lease.get("host") == socket.gethostname():
        try:
            os.kill(int(lease.get("pid") or 0), 0)
        except ProcessLookupError:
            return False
        except (PermissionError, ValueError, OSError):
            return True
    return True
