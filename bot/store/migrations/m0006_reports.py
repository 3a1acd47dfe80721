"""Reports: the offline activities table and indexes for period queries on events/deliveries."""

from __future__ import annotations

import sqlite_utils

ID = "0006_reports"


def up(db: sqlite_utils.Database) -> None:
    """Create ``activities`` and the indexes the report queries need."""
    # Offline communication work recorded by officers (meetings, articles, loudspeakers...).
    db["activities"].create(
        {
            "id": int,
            "kind": str,  # hoi_nghi | sinh_hoat_chi_bo | ... (bot/reports/activities.py KINDS)
            "unit": str,  # admin unit name, "" = province-wide
            "date": str,  # local date, ISO "YYYY-MM-DD"
            "count": int,  # how many (articles, sessions, banners...)
            "participants": int,  # people reached in person, may be NULL
            "note": str,
            "source": str,  # cli | import | demo
            "created_by": str,
            "created_at": str,
        },
        pk="id",
        not_null={"kind", "date", "count"},
        defaults={"count": 1, "unit": "", "note": "", "source": "cli"},
        if_not_exists=True,
    )
    db["activities"].create_index(["date", "unit"], if_not_exists=True)
    db["activities"].create_index(["unit", "date"], if_not_exists=True)

    # Period queries. One covering index answers every "events of type X in [from, to)"
    # count, grouped by unit / topic / value / latency, without touching the table; it
    # supersedes the core (type, at) index. (at, unit, resident) counts distinct residents
    # and supersedes (at). (type, unit, at) serves one-commune reports.
    db["events"].create_index(
        ["type", "at", "unit", "topic", "value", "latency_ms"],
        index_name="idx_events_report",
        if_not_exists=True,
    )
    db["events"].create_index(["at", "unit", "resident"], if_not_exists=True)
    db["events"].create_index(["type", "unit", "at"], if_not_exists=True)
    db.execute("DROP INDEX IF EXISTS idx_events_type_at")
    db.execute("DROP INDEX IF EXISTS idx_events_at")

    # deliveries belongs to the broadcasts migration (0004), which runs first when present;
    # when it is absent here, the broadcasts helper's own indexes are the ones that count.
    if db["deliveries"].exists():
        # Covers every report scan of a period's deliveries (no table lookups).
        db["deliveries"].create_index(
            ["sent_at", "channel", "chat_id", "broadcast_id", "unit", "status"],
            index_name="idx_deliveries_report",
            if_not_exists=True,
        )
        db["deliveries"].create_index(["unit", "sent_at"], if_not_exists=True)
