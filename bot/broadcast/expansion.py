"""Starting due broadcasts: audience selection and expansion into the outbox.

Separate from the sender because it runs in a worker thread on its own connection
(selecting and inserting 10,000 chats takes longer than the event loop may wait), while
the sender's loop reads only which broadcasts are due.
"""

from __future__ import annotations

import logging
from datetime import datetime

from bot.broadcast.errors import BroadcastError
from bot.config import Settings
from bot.store import Store, outbox
from bot.store import broadcast as db
from bot.store.events import to_db_time

logger = logging.getLogger(__name__)


def start_due_broadcasts(store: Store, settings: Settings, now: datetime) -> list[int]:
    """Expand due scheduled broadcasts into the outbox; return the ids now sending."""
    from bot.broadcast import audiences

    active = []
    for broadcast_id in db.due_broadcast_ids(store, to_db_time(now)):
        row = db.get_broadcast(store, broadcast_id)
        if row is None:
            continue
        if row["state"] == "scheduled":
            try:
                audience = audiences.parse_selectors(store, row["selectors"], province=settings.province)
                chats = audiences.select(store, audience, province=settings.province)
            except BroadcastError as exc:
                logger.error("broadcast %s cannot start: %s", broadcast_id, exc)
                db.update_broadcast(store, broadcast_id, state="cancelled", finished_at=to_db_time(now))
                continue
            with store.transaction():
                current = db.get_broadcast(store, broadcast_id)
                if not current or current["state"] != "scheduled":
                    continue
                added = outbox.expand(store, broadcast_id, chats)
                db.update_broadcast(store, broadcast_id, state="sending", started_at=to_db_time(now))
            logger.info("broadcast %s (%s) started: %d chats", broadcast_id, row["code"], added)
        active.append(broadcast_id)
    return active
