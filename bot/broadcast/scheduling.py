"""Schedules → broadcasts, with APScheduler's ``AsyncIOScheduler`` in the app's event loop.

Schedules live in the store (seeded from ``schedules/*.yaml``): a one-off local time or a
5-field cron in the configured time zone (Asia/Ho_Chi_Minh). A due run creates a broadcast
of the message's approved version; inside quiet hours (default 21:00–07:00) the broadcast
waits for the morning. Misfires: on start, a run missed while Loa was down is fired once if
still within the schedule's grace window, else skipped and logged. Each run is recorded by
its nominal due time (unique per schedule), so restarts never double a run; jobs have stable
ids (``schedule:<name>``) and ``replace_existing``. Job bodies take ``now`` for tests.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.broadcast.errors import BroadcastError
from bot.config import Settings
from bot.errors import DataFileError
from bot.store import Store
from bot.store import broadcast as message_db
from bot.store import schedules as db
from bot.store.events import from_db_time, log_event, to_db_time

logger = logging.getLogger(__name__)

SCHEDULER_USER = "scheduler"
SYNC_JOB_ID = "schedules:sync"


# --- definitions ---------------------------------------------------------------------------
def _trigger(row: dict[str, Any], settings: Settings) -> Any:
    from apscheduler.triggers.date import DateTrigger

    tz = ZoneInfo(settings.timezone)
    if row.get("cron"):
        try:
            return cron_trigger(row["cron"], tz)
        except ValueError as exc:
            raise BroadcastError(
                f"bad cron {row['cron']!r}: {exc}",
                vi="Lịch lặp không đúng: cần 5 phần (phút, giờ, ngày, tháng, thứ), xem ví dụ dưới ô nhập.",
            ) from exc
    if row.get("at"):
        from bot.broadcast.timing import parse_local_time

        return DateTrigger(run_date=parse_local_time(row["at"], settings), timezone=tz)
    raise BroadcastError(f"schedule {row.get('name')!r} needs cron or at", vi="Lịch cần giờ lặp lại hoặc một thời điểm.")


_DOW_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")


def cron_trigger(expr: str, tz: ZoneInfo) -> Any:
    """A CronTrigger from a standard 5-field cron line.

    APScheduler numbers weekdays from Monday = 0, standard cron from Sunday = 0 (and 7), so
    "0 9 * * 1" must become ``day_of_week="mon"``; weekday numbers are turned into names.
    """
    import re

    from apscheduler.triggers.cron import CronTrigger

    fields = expr.split()
    if len(fields) != 5:
        raise ValueError(f"expected 5 fields (minute hour day month weekday), got {len(fields)}")
    minute, hour, day, month, dow = fields

    def name(m: re.Match[str]) -> str:
        number = int(m.group(0))
        if number > 7:
            raise ValueError(f"weekday {number} out of range 0-7")
        return _DOW_NAMES[number]

    parts = []
    for part in dow.split(","):
        head, sep, step = part.partition("/")
        parts.append(re.sub(r"\d+", name, head) + sep + step)
    return CronTrigger(minute=minute, hour=hour, day=day, month=month, day_of_week=",".join(parts), timezone=tz)


def add_schedule(
    store: Store,
    settings: Settings,
    name: str,
    *,
    message: str,
    selectors: list[str],
    cron: str | None = None,
    at: str | None = None,
    grace_minutes: int = 180,
    variables: dict[str, str] | None = None,
    source: str = "cli",
    enabled: bool = True,
) -> int:
    """Create or update a schedule; validates the trigger, message and selectors first."""
    from bot.broadcast.audiences import parse_selectors

    name = (name or "").strip()
    if not name:
        raise BroadcastError("a schedule needs a name", vi="Hãy đặt tên cho lịch.")
    if bool(cron) == bool(at):
        raise BroadcastError(
            "give exactly one of --cron or --at", vi="Chọn một trong hai: lặp lại theo lịch hoặc gửi một lần."
        )
    if grace_minutes < 0:
        raise BroadcastError("grace minutes cannot be negative", vi="Số phút cho phép trễ không được âm.")
    row = {"name": name, "cron": cron, "at": at}
    _trigger(row, settings)
    _message_id(store, message)
    parse_selectors(store, selectors, province=settings.province)
    return db.upsert_schedule(
        store,
        name,
        message=str(message),
        selectors=selectors,
        cron=cron,
        at=at,
        grace_minutes=grace_minutes,
        vars=variables or {},
        source=source,
        enabled=1 if enabled else 0,
    )


def seed_schedules(store: Store, settings: Settings) -> list[int]:
    """Load ``schedules/*.yaml`` into the store (officers' enable/disable choices are kept)."""
    import yaml

    folder = Path(settings.content_dir) / "schedules"
    ids = []
    for path in sorted(folder.glob("*.y*ml")) if folder.is_dir() else []:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise DataFileError(f"{path}: invalid schedule file: {exc}") from exc
        if not isinstance(data, dict) or not data.get("message"):
            raise DataFileError(f"{path}: needs 'message:' and 'cron:' or 'at:'")
        to = data.get("to") or ["all"]
        try:
            ids.append(
                add_schedule(
                    store,
                    settings,
                    path.stem,
                    message=str(data["message"]),
                    selectors=[str(s) for s in (to if isinstance(to, list) else [to])],
                    cron=data.get("cron"),
                    at=data.get("at"),
                    grace_minutes=int(data.get("grace_minutes", 180)),
                    variables={str(k): str(v) for k, v in (data.get("vars") or {}).items()},
                    source=str(path.name),
                    enabled=bool(data.get("enabled", True)),
                )
            )
        except BroadcastError as exc:
            # A schedule whose message is not loaded yet is not fatal: it is seeded later.
            logger.warning("schedule %s not loaded: %s", path.name, exc)
    return ids


def set_enabled(store: Store, key: str, enabled: bool) -> dict[str, Any]:
    """Enable or disable a schedule by id or name; return it."""
    row = db.get_schedule(store, key)
    if row is None:
        raise BroadcastError(f"no schedule {key!r}", vi="Không có lịch này.")
    db.update_schedule(store, row["id"], enabled=1 if enabled else 0)
    row["enabled"] = enabled
    return row


def list_schedules(store: Store, settings: Settings, *, now: datetime | None = None) -> list[dict[str, Any]]:
    """Schedules with their next due time (aware UTC or None)."""
    now = now or datetime.now(UTC)
    out = []
    for row in db.list_schedules(store):
        try:
            nxt = _trigger(row, settings).get_next_fire_time(None, now)
        except BroadcastError:
            nxt = None
        out.append({**row, "next_due": nxt.astimezone(UTC) if nxt and row["enabled"] else None})
    return out


def _message_id(store: Store, ref: str) -> int:
    ref = str(ref).strip()
    if ref.isdigit():
        if message_db.get_message(store, int(ref)) is None:
            raise BroadcastError(f"no message with id {ref}", vi=f"Không có tin số {ref}.")
        return int(ref)
    row = message_db.get_message_by_slug(store, ref)
    if row is None:
        raise BroadcastError(
            f"no message {ref!r} in the library (load it with `loa messages load`)", vi=f"Không có tin «{ref}» trong thư viện."
        )
    return int(row["id"])


# --- due times and firing --------------------------------------------------------------------
def due_times(row: dict[str, Any], settings: Settings, since: datetime, until: datetime) -> list[datetime]:
    """Nominal due times of a schedule in (since, until], aware UTC (at most 1,000)."""
    trigger = _trigger(row, settings)
    out: list[datetime] = []
    t = trigger.get_next_fire_time(None, since + timedelta(seconds=1))
    while t is not None and t <= until and len(out) < 1000:
        out.append(t.astimezone(UTC))
        t = trigger.get_next_fire_time(t, t + timedelta(seconds=1))
    return out


def fire(store: Store, settings: Settings, schedule_id: int, *, due_at: datetime, now: datetime) -> int | None:
    """Create the broadcast of one schedule run; return its id (None if skipped or already done)."""
    from bot.broadcast.broadcasts import create_broadcast

    row = db.get_schedule(store, schedule_id)
    if row is None:
        return None
    db.update_schedule(store, schedule_id, last_due_at=to_db_time(due_at))
    try:
        broadcast_id = create_broadcast(
            store,
            settings,
            message_id=_message_id(store, row["message"]),
            selectors=row["selectors"],
            created_by=f"{SCHEDULER_USER}:{row['name']}",
            at=max(now, due_at),
            variables=row["vars"],
            schedule_id=schedule_id,
            due_at=due_at,
            quiet_hours=True,
            now=now,
        )
    except BroadcastError as exc:
        if "already created" in str(exc):
            return None
        log_event(store, "schedule_skipped", at=now, topic=row["name"], value=str(exc)[:200])
        logger.warning("schedule %s skipped: %s", row["name"], exc)
        return None
    log_event(store, "schedule_fired", at=now, topic=row["name"], value=to_db_time(due_at), data={"id": broadcast_id})
    return broadcast_id


def catch_up(store: Store, settings: Settings, *, now: datetime) -> list[tuple[str, str]]:
    """Misfire policy at start: the latest run missed while down fires once if within grace, else is skipped.

    Returns (schedule name, "fired" | "skipped") pairs.
    """
    results = []
    for row in db.list_schedules(store, enabled_only=True):
        since = from_db_time(row.get("last_due_at")) or from_db_time(row.get("created_at")) or now
        try:
            missed = due_times(row, settings, since, now)
        except BroadcastError as exc:
            logger.warning("schedule %s: %s", row["name"], exc)
            continue
        if not missed:
            continue
        latest = missed[-1]
        if now - latest <= timedelta(minutes=int(row["grace_minutes"] or 0)):
            fire(store, settings, row["id"], due_at=latest, now=now)
            results.append((row["name"], "fired"))
        else:
            db.update_schedule(store, row["id"], last_due_at=to_db_time(latest))
            log_event(store, "schedule_skipped", at=now, topic=row["name"], value=f"missed {to_db_time(latest)}")
            results.append((row["name"], "skipped"))
    return results


def run_job(store: Store, settings: Settings, schedule_id: int, now: datetime | None = None) -> int | None:
    """The APScheduler job body: fire the run due at (or just before) ``now``."""
    now = now or datetime.now(UTC)
    row = db.get_schedule(store, schedule_id)
    if row is None or not row["enabled"]:
        return None
    window = timedelta(minutes=max(1, int(row["grace_minutes"] or 0)))
    last = from_db_time(row.get("last_due_at"))
    since = max(now - window, last) if last else now - window
    due = due_times(row, settings, since, now)
    if not due:
        return None
    return fire(store, settings, schedule_id, due_at=due[-1], now=now)


async def run_job_off_loop(store: Store, settings: Settings, schedule_id: int) -> int | None:
    """The job APScheduler runs: :func:`run_job` in a worker thread on its own connection.

    A coroutine, so the ``AsyncIOScheduler`` awaits it on the loop instead of handing the
    loop's connection to its thread pool (where a job's rollback could undo a resident's
    event written in between).
    """
    from bot.store.workers import run_with_store

    return await run_with_store(store, run_job, settings, schedule_id)


async def sync_jobs_on_loop(scheduler: Any, store: Store, settings: Settings) -> int:
    """The periodic re-sync job, as a coroutine: it reads schedules on the loop's connection."""
    return sync_jobs(scheduler, store, settings)


# --- APScheduler ---------------------------------------------------------------------------------
def job_id(row: dict[str, Any]) -> str:
    """Stable APScheduler job id of a schedule."""
    return f"schedule:{row['name']}"


def sync_jobs(scheduler: Any, store: Store, settings: Settings) -> int:
    """Make the scheduler's jobs match the enabled schedules (replace_existing keeps ids stable)."""
    wanted = {}
    for row in db.list_schedules(store, enabled_only=True):
        try:
            trigger = _trigger(row, settings)
        except BroadcastError as exc:
            logger.warning("schedule %s: %s", row["name"], exc)
            continue
        wanted[job_id(row)] = row
        scheduler.add_job(
            run_job_off_loop,
            trigger,
            args=[store, settings, row["id"]],
            id=job_id(row),
            name=row["name"],
            replace_existing=True,
            coalesce=True,
            misfire_grace_time=max(60, int(row["grace_minutes"] or 0) * 60),
        )
    for job in scheduler.get_jobs():
        if job.id.startswith("schedule:") and job.id not in wanted:
            job.remove()
    return len(wanted)


def start_scheduler(store: Store, settings: Settings, *, now: datetime | None = None) -> Any:
    """Seed, catch up on misfires, and start an ``AsyncIOScheduler`` in the running loop."""
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

    seed_schedules(store, settings)
    catch_up(store, settings, now=now or datetime.now(UTC))
    scheduler = AsyncIOScheduler(timezone=ZoneInfo(settings.timezone))
    sync_jobs(scheduler, store, settings)
    # Pick up schedules added or disabled from the CLI while the app runs.
    scheduler.add_job(
        sync_jobs_on_loop, "interval", seconds=60, args=[scheduler, store, settings], id=SYNC_JOB_ID, replace_existing=True
    )
    scheduler.start()
    return scheduler
