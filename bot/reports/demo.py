"""A believable, deterministic demo quarter (2026-Q3, with a launch ramp from mid-June).

Everything written here is marked as demo: events carry ``data = {"demo": true}``,
activities ``source = 'demo'``, chats ids start with ``demo-``, and the store meta key
``reports_demo`` is set (reports from such a database carry a DEMO banner). Loading twice
adds nothing: the meta key is checked first. A fixed seed makes every run identical.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bot.config import Settings
from bot.privacy import keyed_hash
from bot.store import Store, demo_rows
from bot.store import metrics as sql

SEED = 2026
START, END = date(2026, 6, 15), date(2026, 9, 30)
DEMO_KEY = b"loa-demo-data"  # demo residents are hashed with a fixed public key: they are not real
META_KEY = "reports_demo"

FAQ_TOPICS = [
    ("screening.where", 18),
    ("screening.cost", 14),
    ("screening.bring", 10),
    ("screening.eligibility", 6),
    ("screening.when", 9),
    ("vneid.install", 9),
    ("vneid.level2", 12),
    ("health_book.integrate", 11),
    ("health_book.bhyt", 5),
    ("scam.calls", 4),
]
RUMOURS = [("rumour.fee", 5), ("rumour.data_sale", 3), ("rumour.mandatory_fine", 2)]
EVENT_MIX = [
    ("faq_answered", 52),
    ("site_lookup", 16),
    ("scam_checked", 8),
    ("faq_abstained", 6),
    ("faq_medical", 3),
    ("official_verified", 3),
    ("official_code_unknown", 1),
    ("rumour_rebutted", 4),
    ("subscribed", 6),
    ("unsubscribed", 1),
]
VERDICTS = [("scam", 35), ("suspicious", 25), ("clean", 25), ("official", 15)]
CHANNELS = [("zalo", 62), ("telegram", 30), ("web", 8)]
# Canonical tag codes (bot.broadcast.audiences.normalize_tag form), so demo groups can be
# targeted by ``tag:`` selectors exactly as officers' imported chats are.
TAG_POOL = [
    "nguoi_cao_tuoi",
    "phu_huynh",
    "ho_ngheo",
    "cong_nhan_kcn",
    "nguoi_co_cong",
    "to_dan_pho",
]
THEMES = ["screening", "vneid", "health_book", "screening", "scam_warning"]
ACTIVITY_MIX = [
    ("hoi_nghi", 1, (40, 180)),
    ("sinh_hoat_chi_bo", 1, (15, 40)),
    ("sinh_hoat_doan_the", 1, (20, 80)),
    ("tin_bai", 3, None),
    ("san_pham_truyen_thong", 2, None),
    ("phat_thanh_co_so", 6, None),
    ("pano_khau_hieu", 4, None),
    ("ngay_hoi_suc_khoe", 1, (150, 600)),
    ("doi_thoai", 1, (30, 120)),
]
UNANSWERED = [
    "Người khuyết tật có được khám tại nhà không?",
    "Khám xong bao lâu có kết quả trên VNeID?",
    "Tôi ở trọ có được khám ở phường nơi ở không?",
    "Con tôi dưới 6 tuổi khám ở đâu?",
    "Có được khám răng miễn phí không?",
    "Mất CCCD thì khám thế nào?",
]


def _pick(rng: random.Random, weighted: list[tuple[Any, int]]) -> Any:
    return rng.choices([w[0] for w in weighted], weights=[w[1] for w in weighted])[0]


def _iso(d: date, seconds: int) -> str:
    # Local (UTC+7) day + seconds after local midnight, stored as UTC.
    local = datetime(d.year, d.month, d.day, tzinfo=UTC) + timedelta(seconds=seconds) - timedelta(hours=7)
    return local.strftime("%Y-%m-%dT%H:%M:%S")


def load_demo_quarter(store: Store, settings: Settings) -> bool:
    """Write the demo quarter once; return False if it was already there."""
    if store.get_meta(META_KEY):
        return False
    rng = random.Random(SEED)
    units = sql.unit_names(store, settings.province)
    if not units:
        return False
    # The communes below the average integration rate get outreach first (as they would).
    avg = sql.province_rate(store, settings.province)
    focus = [n for n, r in sql.unit_rates(store, settings.province) if avg is not None and r < avg]
    others = [u for u in units if u not in focus]
    busy = focus + rng.sample(others, max(0, min(len(others), 40 - len(focus))))
    unit_weights = [(u, rng.randint(1, 10)) for u in busy]
    with store.transaction():
        _demo_rates(store, settings, units, rng)
        _demo_events(store, rng, unit_weights)
        _demo_activities(store, rng, busy)
        _demo_unanswered(store, rng)
        chats = _demo_chats(store, rng, busy)
        _demo_broadcasts(store, settings, rng, chats)
        store.set_meta(META_KEY, datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S"))
    return True


def _demo_rates(store: Store, settings: Settings, units: list[str], rng: random.Random) -> None:
    # Only when nobody imported rates: a demo database must still show "priority communes".
    if sql.unit_rates(store, settings.province):
        return
    for name in units:
        demo_rows.set_unit_rate(store, settings.province, name, round(rng.uniform(30, 62), 1))


def _demo_events(store: Store, rng: random.Random, unit_weights: list[tuple[str, int]]) -> None:
    residents = [keyed_hash(DEMO_KEY, "resident", str(i)) for i in range(2400)]
    rows: list[tuple[Any, ...]] = []
    day, n = START, 0
    data = json.dumps({"demo": True})
    while day <= END:
        n += 1
        # Launch ramp, then a steady level with weekday rhythm and a bump after each broadcast day.
        base = (
            min(25 + n * 2.2, 150)
            * (0.6 if day.weekday() >= 5 else 1.0)
            * (1.3 if day.weekday() in (1, 4) else 1.0)
        )
        for _ in range(int(rng.gauss(base, base * 0.15))):
            secs = int(rng.triangular(6 * 3600, 22 * 3600, 19 * 3600))
            at = _iso(day, secs)
            channel = _pick(rng, CHANNELS)
            kind = "group" if rng.random() < 0.25 else "private"
            resident = rng.choice(residents[: 600 + n * 16])
            unit = _pick(rng, unit_weights) if rng.random() < 0.75 else None
            chat = keyed_hash(DEMO_KEY, "chat", resident if kind == "private" else str(rng.randint(0, 150)))
            etype = _pick(rng, EVENT_MIX)
            topic = value = None
            if etype == "faq_answered":
                topic, value = _pick(rng, FAQ_TOPICS), f"{rng.uniform(0.55, 0.98):.2f}"
            elif etype in ("scam_checked",):
                value = _pick(rng, VERDICTS)
            elif etype == "rumour_rebutted":
                topic = _pick(rng, RUMOURS)
            elif etype == "official_verified":
                value = f"HP-DM{rng.randint(1, 26):04d}"
            elif etype == "official_code_unknown":
                value = f"HP-{rng.randint(0, 0xFFFFFF):06X}"
            common = (channel, kind, chat, resident, unit)
            rows.append((at, etype, *common, topic, value, None, data))
            latency = int(min(rng.lognormvariate(5.8, 0.5), 8000))
            rows.append((at, "interaction", *common, topic or etype, None, latency, data))
        if rng.random() < 0.5:
            rows.append(
                (
                    _iso(day, rng.randint(7 * 3600, 21 * 3600)),
                    "scam_flagged_in_group",
                    _pick(rng, CHANNELS),
                    "group",
                    keyed_hash(DEMO_KEY, "chat", str(rng.randint(0, 150))),
                    None,
                    _pick(rng, unit_weights),
                    None,
                    "scam",
                    None,
                    data,
                )
            )
        day += timedelta(days=1)
    names = ("at", "type", "channel", "chat_kind", "chat_ref", "resident", "unit", "topic", "value", "latency_ms", "data")
    demo_rows.insert_rows(store, "events", (dict(zip(names, r, strict=True)) for r in rows))


def _demo_activities(store: Store, rng: random.Random, units: list[str]) -> None:
    rows = []
    for _ in range(260):
        kind, per, people = rng.choice(ACTIVITY_MIX)
        d = START + timedelta(days=rng.randint(0, (END - START).days))
        participants = rng.randint(*people) if people else None
        rows.append(
            (kind, rng.choice(units), d.isoformat(), rng.randint(1, per), participants, "[demo]", "demo")
        )
    names = ("kind", "unit", "date", "count", "participants", "note", "source")
    fixed = {"created_by": "demo", "created_at": "2026-10-01T00:00:00"}
    demo_rows.insert_rows(store, "activities", ({**dict(zip(names, r, strict=True)), **fixed} for r in rows))


def _demo_unanswered(store: Store, rng: random.Random) -> None:
    cols = sql.table_columns(store, "faq_unanswered")
    if not {"question", "normalized", "count", "first_at", "last_at"} <= cols:
        return
    for i, q in enumerate(UNANSWERED):
        first = _iso(START + timedelta(days=rng.randint(0, 40)), 36000)
        last = _iso(END - timedelta(days=rng.randint(0, 20)), 50000)
        row = {"question": q, "normalized": f"demo-{i}", "count": rng.randint(3, 40), "first_at": first, "last_at": last}
        demo_rows.insert_rows(store, "faq_unanswered", [row], ignore=True)


def _demo_chats(store: Store, rng: random.Random, units: list[str]) -> list[dict[str, Any]]:
    chats = []
    for i in range(320):
        group = i < 140
        channel = "zalo" if rng.random() < 0.65 else "telegram"
        tags = rng.sample(TAG_POOL, rng.randint(0, 2)) if group else []
        chat = {
            "channel": channel,
            "chat_id": f"demo-{'g' if group else 'p'}{i:03d}",
            "kind": "group" if group else "private",
            "unit": rng.choice(units),
            "tags": json.dumps(tags, ensure_ascii=False),
            "member_count": rng.randint(25, 480) if group and rng.random() < 0.85 else None,
        }
        row = {
            **chat,
            "title": f"[demo] nhóm {i}" if group else "",
            "status": "active",
            "opted_out": 0,
            "created_at": "2026-06-15T00:00:00",
            "updated_at": "2026-06-15T00:00:00",
        }
        demo_rows.insert_rows(store, "chats", [row], ignore=True)
        chats.append(chat)
    return chats




def _demo_version(store: Store, kind: str, theme: str, number: int, at: str) -> int:
    """An approved demo message with one version; returns the version id."""
    mid = demo_rows.insert_row(
        store,
        "messages",
        {
            "kind": kind,
            "theme": theme,
            "title": f"[demo] Bản tin {number}",
            "slug": f"demo/{number}",
            "created_at": at,
        },
    )
    version_id = demo_rows.insert_row(
        store,
        "message_versions",
        {
            "message_id": mid,
            "version": 1,
            "body": "[demo] Nội dung bản tin mẫu",
            "state": "approved",
            "author": "demo-editor",
            "approver": "demo-approver",
            "created_at": at,
            "decided_at": at,
        },
    )
    return version_id


def _demo_broadcasts(store: Store, settings: Settings, rng: random.Random, chats: list[dict[str, Any]]) -> None:
    """Two broadcasts a week (state done) and their deliveries."""
    day, number = START + timedelta(days=1), 0
    while day <= END:
        for weekday in (1, 4):
            when = day + timedelta(days=(weekday - day.weekday()) % 7)
            if when > END:
                continue
            number += 1
            bid = _demo_broadcast(store, settings, number, when)
            _demo_deliveries(store, rng, chats, bid, when)
        day += timedelta(days=7)


def _demo_broadcast(store: Store, settings: Settings, number: int, when: date) -> int:
    """One finished broadcast (and its approved version) sent at 9:00 on ``when``; its id."""
    theme = THEMES[number % len(THEMES)]
    kind = "scam_warning" if theme == "scam_warning" else "campaign"
    at = _iso(when, 9 * 3600)
    version_id = _demo_version(store, kind, theme, number, at)
    bid = demo_rows.insert_row(
        store,
        "broadcasts",
        {
            "version_id": version_id,
            "code": f"HP-DM{number:04d}",
            "theme": theme,
            "kind": kind,
            "created_by": "demo-editor",
            "created_at": at,
            "scheduled_at": at,
            "state": "done",
            "selectors": "[]",
            "text": "[demo] Nội dung bản tin mẫu",
            "issuer": "[demo]",
            "started_at": at,
            "finished_at": at,
        },
    )
    # A genuine code (HMAC of id and content), so /xacthuc on a demo broadcast says
    # "official" exactly as it would for a real one.
    from bot.broadcast.codes import content_hash, make_code

    digest = content_hash("[demo] Nội dung bản tin mẫu")
    code = make_code(settings.secret(), settings.code_prefix, bid, digest)
    demo_rows.set_broadcast_code(store, bid, code, digest)
    return bid


def _demo_deliveries(store: Store, rng: random.Random, chats: list[dict[str, Any]], bid: int, when: date) -> None:
    """Deliveries of broadcast ``bid`` to most chats (some skipped, a few failed)."""
    at = _iso(when, 9 * 3600)
    rows: list[dict[str, Any]] = []
    for c in chats:
        if rng.random() < 0.15:
            continue
        failed = rng.random() < 0.03
        sent_at = None if failed else _iso(when, 9 * 3600 + rng.randint(0, 1800))
        rows.append(
            {
                "broadcast_id": bid,
                "channel": c["channel"],
                "chat_id": c["chat_id"],
                "chat_kind": c["kind"],
                "unit": c["unit"],
                "tags": c["tags"],
                "member_count": c["member_count"],
                "status": "failed" if failed else "sent",
                "reason": "demo: chat not found" if failed else None,
                "attempts": 1,
                "claimed_at": at,
                "sent_at": sent_at,
            }
        )
    demo_rows.insert_rows(store, "deliveries", rows, ignore=True)
