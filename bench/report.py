"""Benchmark: a heavy year of use, then the quarterly report in every format.

Generates 2,000,000 events, 500,000 deliveries (250 broadcasts), 2,000 chats, the 114
Hải Phòng units and 3,000 offline activities in a fresh SQLite file (bulk inserts in one
transaction), catches the daily aggregates up (once), then times the 2026-Q4 and the 2026
reports: building the model (every figure) and rendering md, html, xlsx and docx (charts
included), and prints the store file size. ``--raw`` times the raw-log path instead.

    python3 bench/report.py [--events N] [--deliveries N] [--db PATH] [--keep] [--raw]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.config import Settings  # noqa: E402
from bot.reference import ensure_reference_data  # noqa: E402
from bot.reports.model import build_report  # noqa: E402
from bot.reports.output import render  # noqa: E402
from bot.reports.periods import parse_quarter, parse_year  # noqa: E402
from bot.store import Store  # noqa: E402
from bot.store import metrics as sql  # noqa: E402

YEAR_START = datetime(2026, 1, 1, tzinfo=UTC) - timedelta(hours=7)  # local midnight, 1 Jan
YEAR_SECONDS = 365 * 86400
EVENT_MIX = [
    ("interaction", 40),
    ("faq_answered", 22),
    ("site_lookup", 8),
    ("scam_checked", 5),
    ("faq_abstained", 4),
    ("faq_medical", 2),
    ("official_verified", 2),
    ("rumour_rebutted", 3),
    ("subscribed", 3),
    ("unsubscribed", 1),
    ("scam_flagged_in_group", 2),
    ("bot_added_to_group", 0),
]
TOPICS = [
    "screening.where",
    "screening.cost",
    "screening.bring",
    "vneid.install",
    "vneid.level2",
    "health_book.integrate",
    "health_book.bhyt",
    "scam.calls",
    "screening.when",
    "screening.eligibility",
]
TAGS = [
    "người cao tuổi",
    "phụ huynh học sinh",
    "hộ nghèo",
    "công nhân khu công nghiệp",
    "người có công",
    "tổ dân phố",
]
KINDS = [
    "hoi_nghi",
    "sinh_hoat_chi_bo",
    "sinh_hoat_doan_the",
    "tin_bai",
    "san_pham_truyen_thong",
    "phat_thanh_co_so",
    "pano_khau_hieu",
    "ngay_hoi_suc_khoe",
    "doi_thoai",
    "khac",
]


def _iso(seconds: float) -> str:
    return (YEAR_START + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%S")


def _ensure_broadcast_tables(store: Store) -> None:
    # The broadcast migration (0004) creates these; a checkout without it gets the contract's columns.
    if sql.has_deliveries(store):
        return
    store.conn.execute(
        "CREATE TABLE IF NOT EXISTS broadcasts (id INTEGER PRIMARY KEY, version_id INT, code TEXT UNIQUE, theme TEXT,"
        " kind TEXT, created_by TEXT, created_at TEXT, scheduled_at TEXT, state TEXT, selectors TEXT, schedule_id INT)"
    )
    store.conn.execute(
        "CREATE TABLE IF NOT EXISTS deliveries (id INTEGER PRIMARY KEY, broadcast_id INT, channel TEXT, chat_id TEXT,"
        " chat_kind TEXT, unit TEXT, tags TEXT, member_count INT, status TEXT, reason TEXT, attempts INT,"
        " claimed_at TEXT, sent_at TEXT, UNIQUE(broadcast_id, channel, chat_id))"
    )
    store.conn.execute(
        "CREATE INDEX IF NOT EXISTS idx_deliveries_report ON deliveries"
        " (sent_at, channel, chat_id, broadcast_id, unit, status)"
    )
    store.conn.execute("CREATE INDEX IF NOT EXISTS idx_deliveries_unit_sent_at ON deliveries (unit, sent_at)")


def generate(store: Store, settings: Settings, n_events: int, n_deliveries: int, n_chats: int) -> None:
    """Fill the store with a heavy, deterministic year."""
    rng = random.Random(7)
    units = sql.unit_names(store, settings.province)
    for name in units:
        store.conn.execute(
            "UPDATE admin_units SET health_book_rate_pct = ? WHERE province = ? AND name = ?",
            (round(rng.uniform(25, 70), 1), settings.province, name),
        )
    residents = [f"{rng.getrandbits(128):032x}" for _ in range(200_000)]
    chat_refs = [f"{rng.getrandbits(128):032x}" for _ in range(n_chats)]
    types = [t for t, _ in EVENT_MIX]
    weights = [w for _, w in EVENT_MIX]
    channels = ["zalo", "telegram", "web"]

    def events():  # noqa: ANN202
        chosen = rng.choices(types, weights=weights, k=n_events)
        # Time order, as a live system appends them (and B-tree appends are cheap).
        times = sorted(rng.random() * YEAR_SECONDS for _ in range(n_events))
        for etype, when in zip(chosen, times, strict=True):
            unit = units[int(rng.random() ** 1.6 * len(units))] if rng.random() < 0.8 else None
            topic = value = latency = None
            if etype == "faq_answered":
                topic = TOPICS[int(rng.random() ** 2 * len(TOPICS))]
            elif etype == "scam_checked":
                value = rng.choice(("scam", "suspicious", "clean", "official"))
            elif etype == "rumour_rebutted":
                topic = rng.choice(("rumour.fee", "rumour.data_sale"))
            elif etype == "interaction":
                latency = int(rng.lognormvariate(5.8, 0.6))
            yield (
                _iso(when),
                etype,
                channels[int(rng.random() ** 2 * 3)],
                "group" if rng.random() < 0.2 else "private",
                rng.choice(chat_refs),
                rng.choice(residents),
                unit,
                topic,
                value,
                latency,
                None,
            )

    t = time.perf_counter()
    # Bulk load without the secondary indexes, then rebuild them once (much faster).
    indexes = [
        r[0]
        for r in store.conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' AND sql IS NOT NULL"
        )
    ]
    with store.transaction() as conn:
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' AND sql IS NOT NULL"
        ).fetchall():
            conn.execute(f'DROP INDEX "{name}"')
        conn.executemany(
            "INSERT INTO events (at, type, channel, chat_kind, chat_ref, resident, unit, topic, value, latency_ms, data)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            events(),
        )
        for ddl in indexes:
            conn.execute(ddl)
    print(f"  events:      {n_events:>10,} in {time.perf_counter() - t:6.1f} s")

    _ensure_broadcast_tables(store)
    chats = []
    for i in range(n_chats):
        group = i < n_chats * 0.6
        chats.append(
            (
                "zalo" if i % 3 else "telegram",
                f"bench-{i}",
                "group" if group else "private",
                rng.choice(units),
                json.dumps(rng.sample(TAGS, rng.randint(0, 2)) if group else [], ensure_ascii=False),
                rng.randint(20, 500) if group else None,
            )
        )
    with store.transaction() as conn:
        conn.executemany(
            "INSERT OR IGNORE INTO chats (channel, chat_id, kind, title, unit, tags, status, opted_out, member_count,"
            " created_at, updated_at) VALUES (?, ?, ?, '', ?, ?, 'active', 0, ?, '2026-01-01T00:00:00', '2026-01-01T00:00:00')",
            chats,
        )
    n_broadcasts = max(1, n_deliveries // n_chats)
    cols = sql.table_columns(store, "broadcasts")
    t = time.perf_counter()
    with store.transaction() as conn:
        for b in range(n_broadcasts):
            at = _iso(YEAR_SECONDS * (b + 0.5) / n_broadcasts)
            theme = ("screening", "vneid", "health_book", "screening", "scam_warning")[b % 5]
            row = {
                "version_id": 1,
                "code": f"HP-BN{b:04d}",
                "theme": theme,
                "kind": "scam_warning" if theme == "scam_warning" else "campaign",
                "created_by": "bench",
                "created_at": at,
                "scheduled_at": at,
                "state": "done",
                "selectors": "[]",
            }
            row = {k: v for k, v in row.items() if k in cols}
            bid = conn.execute(
                f"INSERT INTO broadcasts ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                list(row.values()),
            ).lastrowid
            base = datetime.strptime(at, "%Y-%m-%dT%H:%M:%S")
            conn.executemany(
                "INSERT INTO deliveries (broadcast_id, channel, chat_id, chat_kind, unit, tags, member_count, status,"
                " attempts, claimed_at, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
                [
                    (
                        bid,
                        c[0],
                        c[1],
                        c[2],
                        c[3],
                        c[4],
                        c[5],
                        status,
                        at,
                        (base + timedelta(seconds=i // 20)).strftime("%Y-%m-%dT%H:%M:%S")
                        if status == "sent"
                        else None,
                    )
                    for i, c in enumerate(chats)
                    for status in ("failed" if rng.random() < 0.02 else "sent",)
                ],
            )
    print(
        f"  deliveries:  {n_broadcasts * n_chats:>10,} in {time.perf_counter() - t:6.1f} s ({n_broadcasts} broadcasts)"
    )
    with store.transaction() as conn:
        conn.executemany(
            "INSERT INTO activities (kind, unit, date, count, participants, note, source, created_by, created_at)"
            " VALUES (?, ?, ?, ?, ?, '', 'bench', 'bench', '2026-01-01T00:00:00')",
            [
                (
                    rng.choice(KINDS),
                    rng.choice(units),
                    (datetime(2026, 1, 1) + timedelta(days=rng.randint(0, 364))).date().isoformat(),
                    rng.randint(1, 5),
                    rng.randint(10, 300),
                )
                for _ in range(3000)
            ],
        )
    store.conn.execute("ANALYZE")


def main() -> None:
    """Generate (or reuse with --db) the heavy year and time the quarterly report."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=2_000_000)
    ap.add_argument("--deliveries", type=int, default=500_000)
    ap.add_argument("--chats", type=int, default=2_000)
    ap.add_argument("--db", type=Path, help="Store file (reused if it already holds the data).")
    ap.add_argument("--keep", action="store_true", help="Keep the generated database.")
    ap.add_argument("--raw", action="store_true", help="Read every figure from the raw log (no daily aggregates).")
    ap.add_argument("--out", type=Path, help="Folder for the generated reports (default: a temp folder).")
    args = ap.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="loa-bench-"))
    db = args.db or folder / "heavy.db"
    settings = Settings(db=db, secret_key="bench", _env_file=None)  # type: ignore[call-arg]
    store = Store.open(db)
    ensure_reference_data(store, settings)
    if store.conn.execute("SELECT count(*) FROM events").fetchone()[0] == 0:
        print(f"Generating a heavy year in {db} ...")
        generate(store, settings, args.events, args.deliveries, args.chats)
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    counts = {
        t: store.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("events", "deliveries", "chats")
    }
    units = store.conn.execute(
        "SELECT count(*) FROM admin_units WHERE province = ?", (settings.province,)
    ).fetchone()[0]
    size = sum(p.stat().st_size for p in db.parent.glob(db.name + "*") if not p.name.endswith(".secret"))
    print(
        f"Store: {counts['events']:,} events, {counts['deliveries']:,} deliveries, {counts['chats']:,} chats, "
        f"{units} units; file size {size / 1e6:,.1f} MB"
    )

    out = args.out or folder
    out.mkdir(parents=True, exist_ok=True)
    period = parse_quarter("2026-Q4")
    load = os.getloadavg()[0]
    print(
        f"Timings: wall clock and this process's CPU time (load average {load:.1f} on {os.cpu_count()} CPUs;"
        " on a busy machine the CPU time is the fairer figure)"
    )
    total_wall = total_cpu = 0.0

    def timed(label: str, fn):  # noqa: ANN001, ANN202
        nonlocal total_wall, total_cpu
        w, c = time.perf_counter(), time.process_time()
        result = fn()
        dw, dc = time.perf_counter() - w, time.process_time() - c
        total_wall, total_cpu = total_wall + dw, total_cpu + dc
        print(f"  {label:34} wall {dw:6.2f} s   cpu {dc:6.2f} s")
        return result

    from bot.store import rollup_deliveries, rollups

    print("Daily aggregates: catch-up of everything not rolled up yet (the first run reads the whole log):")
    timed("catch-up events", lambda: rollups.catch_up(store, 420) if rollups.available(store) else 0)
    timed("catch-up deliveries", lambda: rollup_deliveries.catch_up(store, 420) if rollups.available(store) else 0)
    for each, target in ((period, "5"), (parse_year(2026), "3")):
        total_wall = total_cpu = 0.0
        print(f"Report {each.slug}, whole city ({'raw log' if args.raw else 'daily aggregates'}):")
        report = timed("figures", lambda p=each: build_report(store, settings, p, use_rollups=not args.raw))
        timed("charts (3, matplotlib)", lambda r=report: [c.png() for c in r.charts])
        for fmt in ("md", "html", "xlsx", "docx"):
            data = timed(f"render {fmt}", lambda fmt=fmt, r=report: render(r, fmt))
            (out / f"bao-cao-{each.slug}.{fmt}").write_bytes(data)
        print(f"  {'TOTAL, every format (target < ' + target + ' s)':34} wall {total_wall:6.2f} s   cpu {total_cpu:6.2f} s")
    print("One `loa report --format X` (fresh figures and charts each time):")
    for fmt in ("md", "docx"):
        w, c = time.perf_counter(), time.process_time()
        render(build_report(store, settings, period), fmt)
        print(
            f"  --format {fmt:25} wall {time.perf_counter() - w:6.2f} s   cpu {time.process_time() - c:6.2f} s"
        )
    w, c = time.perf_counter(), time.process_time()
    build_report(store, settings, period, unit="Lê Chân")
    print(
        f"Unit report (Lê Chân) figures:        wall {time.perf_counter() - w:6.2f} s   cpu {time.process_time() - c:6.2f} s"
    )
    store.close()
    print(f"Reports written to {out}")
    if not args.keep and not args.db:
        for p in folder.glob("heavy.db*"):
            os.unlink(p)


if __name__ == "__main__":
    main()
