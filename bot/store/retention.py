"""Retention: per-resident event rows older than ``LOA_RETENTION_DAYS`` are folded into the
daily aggregates (``bot.store.rollups``) and deleted, so reports of past periods keep their
figures while no resident-level trail outlives its use (Luật Bảo vệ dữ liệu cá nhân 2025).

Deletion runs in batches (each its own short transaction) so a large first purge never
holds the write lock for long. The trigger that forgets a resident's number when their rows
are erased (``/xoadulieu``) is suspended inside each batch: retention removes old rows of
residents who may still be active. Numbers of residents left with no row at all go at the end.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.store import rollup_deliveries, rollups
from bot.store.db import Store
from bot.store.migrations.m0010_rollups import FORGET_TRIGGER

BATCH = 20_000


@dataclass(frozen=True)
class RetentionResult:
    """What retention found (dry run) or did."""

    cutoff: date  # events before this local day go
    events: int  # rows deleted (or that would be)
    oldest: str | None  # the oldest event's UTC time before the run
    numbers_forgotten: int  # resident numbers dropped (no row left)
    dry_run: bool


def cutoff_day(now: datetime, days: int, tz: str) -> date:
    """The first local day kept: ``days`` days before today."""
    return now.astimezone(ZoneInfo(tz)).date() - timedelta(days=days)


def _utc(day: date, tz: str) -> str:
    return datetime.combine(day, time(0), ZoneInfo(tz)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def apply_retention(
    store: Store, *, days: int, tz: str, now: datetime, dry_run: bool = False
) -> RetentionResult:
    """Fold and delete events older than ``days`` days (``dry_run``: only count them)."""
    cutoff = cutoff_day(now, days, tz)
    bound = _utc(cutoff, tz)
    oldest = store.conn.execute("SELECT min(at) FROM events").fetchone()[0]
    due = int(store.conn.execute("SELECT count(*) FROM events WHERE at < ?", (bound,)).fetchone()[0])
    if dry_run or not due or not rollups.available(store):
        return RetentionResult(cutoff, due if rollups.available(store) or dry_run else 0, oldest, 0, dry_run)
    minutes = int(
        (datetime.combine(cutoff, time(0), ZoneInfo(tz)).utcoffset() or timedelta(0)).total_seconds() // 60
    )
    rollups.catch_up(store, minutes)
    rollup_deliveries.catch_up(store, minutes)
    if not rollups.usable_for(store, minutes):
        # The rollup counts days of another time zone: deleting would lose figures.
        return RetentionResult(cutoff, 0, oldest, 0, dry_run)
    folded = int(rollups.state(store, "events_id") or 0)
    deleted = 0
    while True:
        with store.transaction() as conn:
            conn.execute("DROP TRIGGER IF EXISTS events_forget_resident")
            n = conn.execute(
                "DELETE FROM events WHERE id IN (SELECT id FROM events WHERE at < ? AND id <= ? LIMIT ?)",
                (bound, folded, BATCH),
            ).rowcount
            conn.execute(FORGET_TRIGGER)
        deleted += max(n, 0)
        if n < BATCH:
            break
    with store.transaction() as conn:
        forgotten = conn.execute(
            "DELETE FROM resident_numbers WHERE resident NOT IN"
            " (SELECT resident FROM events WHERE resident IS NOT NULL)"
        ).rowcount
    return RetentionResult(cutoff, deleted, oldest, max(forgotten, 0), dry_run)


def summary_vi(result: RetentionResult, days: int) -> str:
    """One Vietnamese sentence for officers."""
    count = f"{result.events:,}".replace(",", ".")
    kept = f"giữ dữ liệu chi tiết {days} ngày (từ ngày {result.cutoff:%d/%m/%Y})"
    if result.dry_run:
        return f"Chạy thử: sẽ gộp và xóa {count} bản ghi chi tiết cũ; {kept}; số liệu báo cáo không đổi."
    return (
        f"Đã gộp vào số liệu tổng hợp theo ngày và xóa {count} bản ghi chi tiết cũ; {kept}; "
        "báo cáo các kỳ trước giữ nguyên số liệu."
    )
