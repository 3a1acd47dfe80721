"""Schedules: cron/once in local time, quiet hours, misfires, stable jobs, no doubles."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.broadcast import broadcasts
from bot.broadcast.errors import BroadcastError
from bot.broadcast.scheduling import (
    add_schedule,
    catch_up,
    due_times,
    job_id,
    run_job,
    seed_schedules,
    set_enabled,
    start_scheduler,
    sync_jobs,
)
from bot.broadcast.timing import after_quiet_hours, in_quiet_hours, parse_quiet_hours
from bot.config import Settings
from bot.store import Store
from bot.store import broadcast as bdb
from bot.store import schedules as sdb
from bot.store.events import count_events
from tests.conftest import FIXED_NOW
from tests.test_broadcast_support import add_chats, approved_message

MONDAY_9_LOCAL = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)  # Monday 09:00 in Hà Nội


def _weekly(store: Store, settings: Settings, **kw: object) -> int:
    mid = approved_message(store, "Cảnh giác cuộc gọi giả danh. Gọi {{ spam_report_number }}.", kind="scam_warning",
                           theme="scam_warning")
    sid = add_schedule(store, settings, "weekly", message=str(mid), selectors=["all"], cron="0 9 * * 1", **kw)  # type: ignore[arg-type]
    sdb.update_schedule(store, sid, last_due_at="2026-11-23T02:00:00")  # last Monday's run was handled
    return sid


def _local(settings: Settings, text: str) -> datetime:
    from bot.broadcast.timing import parse_local_time

    return parse_local_time(text, settings)


def test_quiet_hours(settings: Settings) -> None:
    assert parse_quiet_hours("21:00-07:00") is not None and parse_quiet_hours("off") is None
    with pytest.raises(BroadcastError):
        parse_quiet_hours("late")
    night = _local(settings, "2026-11-24 22:30")
    assert in_quiet_hours(night, settings)
    assert after_quiet_hours(night, settings) == _local(settings, "2026-11-25 07:00")
    early = _local(settings, "2026-11-25 05:00")
    assert after_quiet_hours(early, settings) == _local(settings, "2026-11-25 07:00")
    assert after_quiet_hours(FIXED_NOW, settings) == FIXED_NOW  # 10:00 local
    day = settings.model_copy(update={"quiet_hours": "12:00-13:00"})
    assert after_quiet_hours(_local(day, "2026-11-24 12:30"), day) == _local(day, "2026-11-24 13:00")


def test_due_times_are_local_cron(store: Store, settings: Settings) -> None:
    sid = _weekly(store, settings)
    row = sdb.get_schedule(store, sid)
    times = due_times(row, settings, FIXED_NOW, FIXED_NOW + timedelta(days=14))
    assert times == [MONDAY_9_LOCAL, MONDAY_9_LOCAL + timedelta(days=7)]


def test_job_fires_once_per_due_time(store: Store, settings: Settings) -> None:
    add_chats(store, 3)
    sid = _weekly(store, settings)
    now = MONDAY_9_LOCAL + timedelta(seconds=2)
    bid = run_job(store, settings, sid, now=now)
    assert bid is not None
    row = broadcasts.get(store, bid)
    assert row["schedule_id"] == sid and row["due_at"] == "2026-11-30T02:00:00" and row["state"] == "scheduled"
    assert run_job(store, settings, sid, now=now + timedelta(seconds=30)) is None  # a second trigger: no double
    assert len(bdb.list_broadcasts(store)) == 1
    assert count_events(store, "schedule_fired") == 1
    set_enabled(store, "weekly", False)
    assert run_job(store, settings, sid, now=now + timedelta(days=7)) is None


def test_due_at_night_waits_for_morning(store: Store, settings: Settings) -> None:
    mid = approved_message(store)
    sid = add_schedule(store, settings, "late", message=str(mid), selectors=["groups"], cron="30 22 * * *")
    sdb.update_schedule(store, sid, last_due_at="2026-11-23T00:00:00")
    now = _local(settings, "2026-11-24 22:30")
    bid = run_job(store, settings, sid, now=now)
    assert bid is not None
    assert broadcasts.get(store, bid)["scheduled_at"] == "2026-11-25T00:00:00"  # 07:00 local


def test_misfire_within_grace_fires_once_else_skipped(store: Store, settings: Settings) -> None:
    sid = _weekly(store, settings, grace_minutes=120)
    # Down over Monday 09:00, back at 10:30: within 2 h → sent once.
    results = catch_up(store, settings, now=MONDAY_9_LOCAL + timedelta(minutes=90))
    assert results == [("weekly", "fired")]
    assert catch_up(store, settings, now=MONDAY_9_LOCAL + timedelta(minutes=95)) == []
    assert len(bdb.list_broadcasts(store)) == 1
    # Down over the next Monday until the afternoon: skipped and logged, not sent.
    results = catch_up(store, settings, now=MONDAY_9_LOCAL + timedelta(days=7, hours=5))
    assert results == [("weekly", "skipped")]
    assert len(bdb.list_broadcasts(store)) == 1
    assert count_events(store, "schedule_skipped") == 1
    assert sdb.get_schedule(store, sid)["last_due_at"] == "2026-12-07T02:00:00"


def test_unapproved_message_is_skipped_and_logged(store: Store, settings: Settings) -> None:
    from bot.broadcast import messages

    sid = _weekly(store, settings)
    messages.retire(store, 1, "lanh_dao")
    assert run_job(store, settings, sid, now=MONDAY_9_LOCAL) is None
    assert count_events(store, "schedule_skipped") == 1


def test_bad_schedules_are_refused(store: Store, settings: Settings) -> None:
    mid = approved_message(store)
    for kwargs, message in [
        ({"cron": "0 9 * * 1", "at": "2026-12-01 09:00"}, "exactly one"),
        ({}, "exactly one"),
        ({"cron": "99 9 * * 1"}, "bad cron"),
        ({"at": "tomorrow"}, "bad time"),
    ]:
        with pytest.raises(BroadcastError, match=message):
            add_schedule(store, settings, "x", message=str(mid), selectors=["all"], **kwargs)  # type: ignore[arg-type]
    with pytest.raises(BroadcastError, match="no message"):
        add_schedule(store, settings, "x", message="campaigns/none", selectors=["all"], cron="0 9 * * 1")
    with pytest.raises(BroadcastError, match="selector"):
        add_schedule(store, settings, "x", message=str(mid), selectors=["nobody"], cron="0 9 * * 1")


def test_seed_keeps_officer_choices(store: Store, settings: Settings, tmp_path: Path) -> None:
    from bot.broadcast.library import load_library

    content = tmp_path / "content"
    (content / "schedules").mkdir(parents=True)
    (content / "messages" / "scam_warnings").mkdir(parents=True)
    (content / "messages" / "scam_warnings" / "calls.yaml").write_text("title: t\nbody: Cảnh giác\n", encoding="utf-8")
    (content / "schedules" / "weekly.yaml").write_text(
        "message: scam_warnings/calls\nto: [all]\ncron: '0 9 * * 1'\n", encoding="utf-8"
    )
    s = settings.model_copy(update={"content_dir": content})
    approved_message(store)  # officers
    load_library(store, content, "bien_tap")
    assert len(seed_schedules(store, s)) == 1
    set_enabled(store, "weekly", False)
    seed_schedules(store, s)
    assert sdb.get_schedule(store, "weekly")["enabled"] is False
    (content / "schedules" / "broken.yaml").write_text("- not a mapping\n", encoding="utf-8")
    with pytest.raises(Exception, match="broken.yaml"):
        seed_schedules(store, s)


def test_apscheduler_jobs_have_stable_ids(store: Store, settings: Settings) -> None:
    _weekly(store, settings)

    async def scenario() -> list[str]:
        scheduler = start_scheduler(store, settings, now=FIXED_NOW)
        sync_jobs(scheduler, store, settings)  # a restart or re-sync replaces, never doubles
        ids = sorted(job.id for job in scheduler.get_jobs())
        set_enabled(store, "weekly", False)
        sync_jobs(scheduler, store, settings)
        after = sorted(job.id for job in scheduler.get_jobs())
        scheduler.shutdown(wait=False)
        return ids + ["|"] + after

    ids = asyncio.run(scenario())
    weekly = job_id({"name": "weekly"})
    assert ids.count(weekly) == 1 and "schedules:sync" in ids
    assert weekly not in ids[ids.index("|"):]


def test_cron_weekdays_follow_standard_cron() -> None:
    from zoneinfo import ZoneInfo

    from bot.broadcast.scheduling import cron_trigger

    tz = ZoneInfo("Asia/Ho_Chi_Minh")
    start = datetime(2026, 11, 24, 0, 0, tzinfo=tz)  # a Tuesday
    assert cron_trigger("0 9 * * 0", tz).get_next_fire_time(None, start).strftime("%a") == "Sun"
    assert cron_trigger("0 9 * * 7", tz).get_next_fire_time(None, start).strftime("%a") == "Sun"
    assert cron_trigger("0 9 * * 1", tz).get_next_fire_time(None, start).strftime("%a") == "Mon"
    assert cron_trigger("0 9 * * 1-5", tz).get_next_fire_time(None, start).strftime("%a %H") == "Tue 09"
    with pytest.raises(ValueError):
        cron_trigger("0 9 * *", tz)
    with pytest.raises(ValueError):
        cron_trigger("0 9 * * 9", tz)
