"""The daily aggregates give the same report as the raw log, and survive retention.

Generated data (fixed seed) over 2025-12 … 2026-11 with many events on the local-midnight
edges (16:59:59 / 17:00:00 UTC in Asia/Ho_Chi_Minh), NULL units, late-written events and a
reused rowid; every figure and table is compared between the two paths, for several
periods and areas.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.config import Settings
from bot.reference import ensure_reference_data
from bot.reports.document import Report
from bot.reports.model import build_report
from bot.reports.periods import Period, parse_quarter, parse_range, parse_year
from bot.store import Store
from bot.store.events import log_event
from bot.store.retention import apply_retention

UNITS = ["Lê Chân", "Hải An", "Kiến An", None]
TYPES = [
    "interaction",
    "faq_answered",
    "site_lookup",
    "scam_checked",
    "faq_abstained",
    "rumour_rebutted",
    "subscribed",
    "official_verified",
    "faq_medical",
]
START = datetime(2025, 12, 1, tzinfo=UTC) - timedelta(hours=7)
PERIODS = [
    parse_quarter("2026-Q1"),
    parse_quarter("2026-Q3"),
    parse_year(2026),
    parse_range("31/12/2025", "01/01/2026"),  # a year boundary, two local days
    parse_range("01/03/2026", "01/03/2026"),  # one day
    parse_range("28/02/2026", "15/04/2026"),
]


def _fill(store: Store, rng: random.Random, n: int, *, first_id_gap: bool = False) -> None:
    residents = [f"r{i:04d}" for i in range(300)]
    with store.transaction():
        for _ in range(n):
            day = START + timedelta(days=rng.randrange(350))
            # A third of the events sit on the edge of a local day.
            edge = rng.random() < 0.33
            at = day + (
                timedelta(hours=rng.choice((0, 24)), seconds=rng.choice((-1, 0)))
                if edge
                else timedelta(seconds=rng.randrange(86400))
            )
            etype = rng.choice(TYPES)
            log_event(
                store,
                etype,
                at=at,
                channel=rng.choice(("zalo", "telegram", "web")),
                resident=rng.choice(residents),
                unit=rng.choice(UNITS),
                topic=rng.choice(("screening.where", "vneid.level2", None))
                if etype != "rumour_rebutted"
                else "rumour.fee",
                value=rng.choice(("scam", "clean", "suspicious")) if etype == "scam_checked" else None,
                latency_ms=rng.randrange(50, 3000) if etype == "interaction" else None,
            )


def _deliveries(store: Store, rng: random.Random) -> None:
    with store.transaction() as conn:
        for b in range(1, 30):
            at = (START + timedelta(days=12 * b, hours=rng.choice((9, 16.99)))).strftime("%Y-%m-%dT%H:%M:%S")
            conn.execute(
                "INSERT INTO broadcasts (id, version_id, code, theme, kind, created_by, created_at, scheduled_at, state,"
                " selectors) VALUES (?, 1, ?, ?, 'campaign', 'e', ?, ?, 'done', '[]')",
                (b, f"HP-R{b:03d}", rng.choice(("screening", "vneid", "scam_warning")), at, at),
            )
            for c in range(40):
                status = rng.choice(("sent", "sent", "sent", "failed", "skipped"))
                sent = (datetime.fromisoformat(at) + timedelta(minutes=c * 9)).strftime("%Y-%m-%dT%H:%M:%S")
                conn.execute(
                    "INSERT INTO deliveries (broadcast_id, channel, chat_id, chat_kind, unit, tags, member_count, status,"
                    " attempts, sent_at) VALUES (?, ?, ?, ?, ?, '[\"người cao tuổi\"]', ?, ?, 1, ?)",
                    (
                        b,
                        "zalo" if c % 2 else "telegram",
                        f"c{c}",
                        "group" if c % 3 else "private",
                        UNITS[c % 4],
                        30 + c,
                        status,
                        sent if status == "sent" else None,
                    ),
                )


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    path = tmp_path_factory.mktemp("rollups") / "loa.db"
    settings = Settings(db=path, secret_key="k", _env_file=None)  # type: ignore[call-arg]
    st = Store.open(path)
    ensure_reference_data(st, settings)
    rng = random.Random(18)
    _fill(st, rng, 6000)
    _deliveries(st, rng)
    yield st
    st.close()


@pytest.fixture(scope="module")
def settings(store: Store) -> Settings:
    return Settings(db=store.path, secret_key="k", _env_file=None)  # type: ignore[call-arg]


def _content(report: Report) -> tuple[object, ...]:
    tables = [(t.key, t.rows, t.total) for t in report.tables]
    charts = [(c.by_time, c.by_unit) for c in report.charts]
    return report.figures, tables, charts, [s.paragraphs for s in report.sections]


def _both(store: Store, settings: Settings, period: Period, unit: str | None) -> tuple[Report, Report]:
    now = datetime(2026, 12, 3, 9, tzinfo=UTC)
    fast = build_report(store, settings, period, unit=unit, now=now)
    raw = build_report(store, settings, period, unit=unit, now=now, use_rollups=False)
    return fast, raw


@pytest.mark.parametrize("unit", [None, "Lê Chân", "Kiến An"])
@pytest.mark.parametrize("period", PERIODS, ids=lambda p: p.slug)
def test_rollup_and_raw_paths_give_the_same_report(
    store: Store, settings: Settings, period: Period, unit: str | None
) -> None:
    fast, raw = _both(store, settings, period, unit)
    assert _content(fast) == _content(raw)
    assert fast.figures["interactions"] > 0 or period.days < 3


def test_rollups_are_read_and_cover_the_settled_deliveries(store: Store, settings: Settings) -> None:
    fast, _ = _both(store, settings, parse_year(2026), None)
    rows = store.conn.execute("SELECT count(*), sum(n) FROM rollup_events WHERE unit = '*'").fetchone()
    assert rows[1] == store.conn.execute("SELECT count(*) FROM events").fetchone()[0]
    through = store.conn.execute(
        "SELECT value FROM rollup_state WHERE key = 'deliveries_through'"
    ).fetchone()[0]
    assert date.fromisoformat(through) >= date(2026, 11, 1)
    months = {m for (m,) in store.conn.execute("SELECT DISTINCT month FROM rollup_delivery_chats")}
    assert {"2026-01", "2026-10"} <= months  # whole settled months, per chat
    assert fast.figures["deliveries_sent"] > 0


def test_late_events_and_a_reused_rowid_are_counted(tmp_path: Path) -> None:
    settings = Settings(db=tmp_path / "l.db", secret_key="k", _env_file=None)  # type: ignore[call-arg]
    store = Store.open(settings.db)
    ensure_reference_data(store, settings)
    _fill(store, random.Random(3), 400)
    period = parse_year(2026)
    first = build_report(store, settings, period).figures
    # An event written late for a day already rolled up.
    log_event(
        store,
        "interaction",
        at=datetime(2026, 3, 1, 2, tzinfo=UTC),
        resident="late",
        unit="Lê Chân",
        latency_ms=10,
    )
    # The newest row erased (/xoadulieu), then a new event reusing its id.
    last_id, last_resident = store.conn.execute(
        "SELECT id, resident FROM events ORDER BY id DESC LIMIT 1"
    ).fetchone()
    build_report(store, settings, period)  # the rollup passes last_id
    store.conn.execute("DELETE FROM events WHERE resident = ?", (last_resident,))
    assert (
        store.conn.execute(
            "SELECT count(*) FROM resident_numbers WHERE resident = ?", (last_resident,)
        ).fetchone()[0]
        == 0
    )
    reused = log_event(
        store, "site_lookup", at=datetime(2026, 4, 1, 2, tzinfo=UTC), resident="new", unit="Hải An"
    )
    assert reused <= last_id
    after = build_report(store, settings, period).figures
    assert after["interactions"] == first["interactions"] + 1
    assert after["site_lookups"] == first["site_lookups"] + 1  # the reused id is not lost
    store.close()


def test_retention_folds_old_events_and_reports_stay_the_same(tmp_path: Path) -> None:
    settings = Settings(db=tmp_path / "r.db", secret_key="k", retention_days=100, _env_file=None)  # type: ignore[call-arg]
    store = Store.open(settings.db)
    ensure_reference_data(store, settings)
    _fill(store, random.Random(5), 1500)
    periods = [parse_quarter("2026-Q1"), parse_year(2026), parse_range("31/12/2025", "01/01/2026")]
    now = datetime(2026, 12, 3, 9, tzinfo=UTC)
    before = [build_report(store, settings, p, now=now, use_rollups=False) for p in periods]
    dry = apply_retention(store, days=100, tz=settings.timezone, now=now, dry_run=True)
    assert dry.events > 0 and store.conn.execute("SELECT count(*) FROM events").fetchone()[0] == 1500
    done = apply_retention(store, days=100, tz=settings.timezone, now=now)
    assert done.events == dry.events and done.cutoff == date(2026, 8, 25)
    assert store.conn.execute("SELECT min(at) FROM events").fetchone()[0] >= "2026-08-24T17:00:00"
    after = [build_report(store, settings, p, now=now) for p in periods]
    for old, new in zip(before, after, strict=True):
        assert _content(old) == _content(new)
    # Residents with no event left have no number left either.
    assert (
        store.conn.execute(
            "SELECT count(*) FROM resident_numbers WHERE resident NOT IN (SELECT resident FROM events)"
        ).fetchone()[0]
        == 0
    )
    store.close()


def _cli(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=180
    )


def test_loa_db_retention_cli_dry_run_then_for_real(tmp_path: Path) -> None:
    settings = Settings(db=tmp_path / "c.db", secret_key="k", _env_file=None)  # type: ignore[call-arg]
    store = Store.open(settings.db)
    ensure_reference_data(store, settings)
    old = datetime.now(UTC) - timedelta(days=400)
    for i in range(5):
        log_event(store, "interaction", at=old, resident=f"old{i}", unit="Lê Chân", latency_ms=100)
    log_event(store, "interaction", at=datetime.now(UTC), resident="new", unit="Lê Chân", latency_ms=100)
    store.close()
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOA_")}
    env.update({"LOA_DB": str(settings.db), "LOA_SECRET_KEY": "k", "LOA_RETENTION_DAYS": "365"})
    dry = _cli("db", "retention", "--dry-run", env=env, cwd=tmp_path)
    assert dry.returncode == 0, dry.stderr
    said = " ".join(dry.stdout.split())  # the console wraps long lines
    assert "would delete 5" in said and "Chạy thử: sẽ gộp và xóa 5 bản ghi" in said
    done = _cli("db", "retention", env=env, cwd=tmp_path)
    said = " ".join(done.stdout.split())
    assert done.returncode == 0 and "deleted 5" in said and "resident numbers forgotten: 5" in said
    store = Store.open(settings.db)
    assert store.conn.execute("SELECT count(*) FROM events").fetchone()[0] == 1
    store.close()
    signed = _cli(
        "report", "--year", str(old.year), "--format", "md", "--out", str(tmp_path / "r.md"),
        "--signer-authority", "KT. GIÁM ĐỐC", "--signer-title", "PHÓ GIÁM ĐỐC", "--signer-name", "Lê Văn D",
        env=env, cwd=tmp_path,
    )  # fmt: skip
    assert signed.returncode == 0, signed.stderr
    text = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert "KT. GIÁM ĐỐC" in text and "PHÓ GIÁM ĐỐC" in text and "Lê Văn D" in text and "DỰ THẢO" not in text


def test_the_daily_retention_waits_until_half_past_two_local() -> None:
    from zoneinfo import ZoneInfo

    from bot.features.reports import RETENTION_AT, seconds_until

    tz = ZoneInfo("Asia/Ho_Chi_Minh")
    assert seconds_until(datetime(2026, 12, 3, 2, 0, tzinfo=tz), RETENTION_AT) == 30 * 60
    assert seconds_until(datetime(2026, 12, 3, 2, 30, tzinfo=tz), RETENTION_AT) == 24 * 3600
