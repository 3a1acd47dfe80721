"""A separate process that writes like a busy Loa: one event and one sent delivery per
transaction, acknowledging each committed pair on stdout-like ack file (flushed).

    python -m tests.ops_writer DB BROADCAST_ID ACKFILE STOPFILE
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from bot.store import Store, outbox
from bot.store.events import log_event


def main() -> None:
    """Write until STOPFILE appears."""
    db, broadcast_id, ack_path, stop = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4])
    store = Store.open(db, migrate=False)
    i = 0
    with ack_path.open("a", encoding="utf-8") as ack:
        while not stop.exists():
            i += 1
            chat = f"w{i}"
            with store.transaction():
                event_id = log_event(store, "interaction", channel="telegram", topic="screening.where", latency_ms=12)
                outbox.expand(store, broadcast_id, [{"channel": "telegram", "chat_id": chat, "kind": "private"}])
                store.conn.execute(
                    "UPDATE deliveries SET status = 'sent', sent_at = ? WHERE broadcast_id = ? AND chat_id = ?",
                    (datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S"), broadcast_id, chat),
                )
            # Acknowledged only after COMMIT returned, as a resident's event would be.
            ack.write(f"{event_id} {chat}\n")
            ack.flush()
            time.sleep(0.001)
    store.close()


if __name__ == "__main__":
    main()
