"""A store with known events, deliveries and activities in 2026-Q4, shared by the report tests."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from bot.config import Settings
from bot.store import Store
from bot.store.activities import add_activity
from bot.store.events import log_event

Q4 = datetime(2026, 10, 5, 3, 0, tzinfo=UTC)  # 10:00 local, Monday of week 2


def ensure_broadcast_tables(store: Store) -> None:
    """The contract's broadcasts/deliveries columns, when the broadcast migration is not there yet."""
    store.conn.execute(
        "CREATE TABLE IF NOT EXISTS broadcasts (id INTEGER PRIMARY KEY, version_id INT, code TEXT UNIQUE, theme TEXT,"
        " kind TEXT, created_by TEXT, created_at TEXT, scheduled_at TEXT, state TEXT, selectors TEXT, schedule_id INT)"
    )
    store.conn.execute(
        "CREATE TABLE IF NOT EXISTS deliveries (id INTEGER PRIMARY KEY, broadcast_id INT, channel TEXT, chat_id TEXT,"
        " chat_kind TEXT, unit TEXT, tags TEXT, member_count INT, status TEXT, reason TEXT, attempts INT,"
        " claimed_at TEXT, sent_at TEXT, UNIQUE(broadcast_id, channel, chat_id))"
    )


def _broadcast(store: Store, bid: int, theme: str, kind: str, at: str) -> None:
    store.conn.execute(
        "INSERT INTO broadcasts (id, version_id, code, theme, kind, created_by, created_at, scheduled_at, state, selectors)"
        " VALUES (?, 1, ?, ?, ?, 'editor', ?, ?, 'done', '[]')",
        (bid, f"HP-TEST{bid:02d}", theme, kind, at, at),
    )


def _delivery(
    store: Store,
    bid: int,
    channel: str,
    chat_id: str,
    kind: str,
    unit: str,
    tags: list[str],
    members: int | None,
    status: str,
    sent_at: str | None,
) -> None:
    store.conn.execute(
        "INSERT INTO deliveries (broadcast_id, channel, chat_id, chat_kind, unit, tags, member_count, status, attempts,"
        " sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?)",
        (bid, channel, chat_id, kind, unit, json.dumps(tags, ensure_ascii=False), members, status, sent_at),
    )


def fill_known_store(store: Store, settings: Settings) -> None:
    """Known data; the expected figures are in EXPECTED."""
    ev = log_event
    # Interactions: 5 replies (median 300 ms), residents r1..r3.
    for i, ms in enumerate([100, 200, 300, 400, 5000]):
        ev(
            store,
            "interaction",
            at=Q4,
            channel="zalo",
            resident=f"r{i % 3 + 1}",
            unit="Lê Chân",
            latency_ms=ms,
            topic="faq",
        )
    for topic, n in (("vneid.level2", 3), ("screening.cost", 2)):
        for _ in range(n):
            ev(store, "faq_answered", at=Q4, resident="r1", topic=topic, unit="Lê Chân")
    for _ in range(2):
        ev(store, "faq_abstained", at=Q4, resident="r2")
    ev(store, "faq_medical", at=Q4, resident="r4")
    for _ in range(4):
        ev(store, "site_lookup", at=Q4, unit="Lê Chân", resident="r2")
    for _ in range(3):
        ev(store, "subscribed", at=Q4)
    ev(store, "unsubscribed", at=Q4)
    for verdict, n in (("scam", 2), ("clean", 1), ("official", 1)):
        for _ in range(n):
            ev(store, "scam_checked", at=Q4, value=verdict, unit="Ngô Quyền")
    for _ in range(2):
        ev(store, "scam_flagged_in_group", at=Q4, value="scam")
    for _ in range(3):
        ev(store, "rumour_rebutted", at=Q4, topic="rumour.data_sale")
    ev(store, "official_verified", at=Q4, value="HP-TEST01")
    ev(store, "official_code_unknown", at=Q4, value="HP-FAKE99")
    # Period edges: 23:59:59 local on 30/09 is outside, 00:00 local on 01/10 inside.
    ev(store, "site_lookup", at=datetime(2026, 9, 30, 16, 59, 59, tzinfo=UTC), resident="r9")
    ev(store, "site_lookup", at=datetime(2026, 9, 30, 17, 0, 0, tzinfo=UTC), resident="r5")
    # Previous quarter: one vneid question (so vneid.level2 grows by 2).
    ev(store, "faq_answered", at=datetime(2026, 8, 1, 3, tzinfo=UTC), topic="vneid.level2")

    ensure_broadcast_tables(store)
    _broadcast(store, 1, "screening", "campaign", "2026-10-05T02:00:00")
    _broadcast(store, 2, "scam_warning", "scam_warning", "2026-10-06T02:00:00")
    sent1, sent2 = "2026-10-05T02:01:00", "2026-10-06T02:01:00"
    _delivery(store, 1, "telegram", "-100", "group", "Lê Chân", ["người cao tuổi"], 200, "sent", sent1)
    _delivery(store, 1, "zalo", "p1", "private", "Lê Chân", [], None, "sent", sent1)
    _delivery(store, 1, "zalo", "g2", "group", "Ngô Quyền", [], 50, "failed", None)
    _delivery(store, 2, "telegram", "-100", "group", "Lê Chân", ["người cao tuổi"], 200, "sent", sent2)
    _delivery(store, 2, "zalo", "p1", "private", "Lê Chân", [], None, "sent", sent2)
    # Sent in the previous quarter: must not count.
    _broadcast(store, 3, "vneid", "campaign", "2026-09-01T02:00:00")
    _delivery(store, 3, "zalo", "p1", "private", "Lê Chân", [], None, "sent", "2026-09-01T02:01:00")

    add_activity(store, kind="hoi_nghi", unit="Lê Chân", date="2026-10-10", count=2, participants=150)
    add_activity(store, kind="tin_bai", unit="", date="2026-11-02", count=5)
    add_activity(store, kind="tin_bai", unit="Lê Chân", date="2026-09-30", count=9)  # previous quarter

    for name, rate in (("Lê Chân", 40.0), ("Ngô Quyền", 60.0), ("Hồng Bàng", 80.0)):
        store.conn.execute(
            "UPDATE admin_units SET health_book_rate_pct = ? WHERE province = ? AND name = ?",
            (rate, settings.province, name),
        )
    store.conn.execute(
        "UPDATE admin_units SET health_book_rate_pct = NULL WHERE province = ?"
        " AND name NOT IN ('Lê Chân', 'Ngô Quyền', 'Hồng Bàng')",
        (settings.province,),
    )
    if store.db["province_rates"].exists():
        store.conn.execute("DELETE FROM province_rates")


EXPECTED = {
    "broadcasts_sent": 2,
    "deliveries_sent": 4,
    "deliveries_failed": 1,
    "groups_reached": 1,
    "subscribers_reached": 1,
    "estimated_reach": 201,
    "delivery_success_pct": 80.0,
    "interactions": 5,
    "questions_answered": 5,
    "questions_unanswered": 2,
    "medical_redirects": 1,
    "site_lookups": 5,
    "subscriptions": 3,
    "cancellations": 1,
    "unique_residents": 5,  # r1, r2, r3, r4, r5 (r9 is outside the period)
    "median_reply_ms": 300,
    "median_reply_s": 0.3,
    "priority_groups_reached": 1,
    "priority_units": 1,
    "province_average_rate": 60.0,
    "scam_warnings_broadcast": 1,
    "scam_warning_deliveries": 2,
    "messages_checked": 4,
    "flagged_in_groups": 2,
    "rumours_rebutted": 3,
    "official_verified": 1,
    "codes_not_genuine": 1,
    "activities": 7,
    "participants": 150,
    "questions_total": 5 + 2 + 1 + 5 + 4 + 1 + 1,
}
