"""Reports feature: ``loa report`` (the official communication report), ``loa report due``,
``loa activity add|import|list`` (offline activities) and the demo quarter."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from bot.config import Settings
from bot.features.base import Feature
from bot.store import Store

if TYPE_CHECKING:
    from bot.reports.model import Report
    from bot.runtime import Runtime

report_app = typer.Typer(
    help="The communication report: --year 2026 | --quarter 2026-Q4 | --from D --to D; `report due` for deadlines.",
    invoke_without_command=True,
    no_args_is_help=False,
)
activity_app = typer.Typer(
    help="Offline communication activities (meetings, articles, loudspeakers...).", no_args_is_help=True
)


@report_app.callback()
def report(
    ctx: typer.Context,
    year: int = typer.Option(None, "--year", help="A calendar year, e.g. 2026."),
    quarter: str = typer.Option(None, "--quarter", help="A quarter, e.g. 2026-Q4."),
    start: str = typer.Option(None, "--from", help="First day (DD/MM/YYYY) of a custom range."),
    end: str = typer.Option(None, "--to", help="Last day (DD/MM/YYYY) of a custom range."),
    unit: str = typer.Option(None, "--unit", help="One commune/ward (default: the whole province/city)."),
    fmt: str = typer.Option("docx", "--format", help="docx | xlsx | md | html."),
    out: Path = typer.Option(None, "--out", help="Output file (default bao-cao-PERIOD.FORMAT here)."),
    notes: Path = typer.Option(
        None, "--notes", help="UTF-8 text file for section 7 (difficulties, proposals)."
    ),
    notes_mode: str = typer.Option(
        "replace", "--notes-mode", help="replace: the notes instead of the figures' draft; extend: after it."
    ),
    signer_authority: str = typer.Option(
        None, "--signer-authority", help="Quyền hạn above the title, e.g. 'KT. GIÁM ĐỐC' (default from settings)."
    ),
    signer_title: str = typer.Option(None, "--signer-title", help="Chức vụ, e.g. 'PHÓ GIÁM ĐỐC' (default from settings)."),
    signer_name: str = typer.Option(
        None, "--signer-name", help="Họ tên of the signer; without one the report is marked DỰ THẢO."
    ),
) -> None:
    """Write the period's communication report; the file path is printed on the last line."""
    if ctx.invoked_subcommand is not None:
        return
    from bot.cli_helpers import load_settings, open_store
    from bot.errors import LoaError
    from bot.reports.output import FORMATS, default_out, make_report, render
    from bot.reports.periods import choose_period

    fmt = (fmt or "").lower().lstrip(".")
    if fmt not in FORMATS:
        raise LoaError(f"unknown format {fmt!r}; use one of: {', '.join(FORMATS)}")
    period = choose_period(year=year, quarter=quarter, start=start, end=end)
    settings = load_settings()
    store = open_store(settings)
    try:
        rep = make_report(
            store,
            settings,
            period,
            unit=unit,
            notes=notes,
            notes_mode=notes_mode,
            signer_authority=signer_authority,
            signer_title=signer_title,
            signer_name=signer_name,
        )
        data = render(rep, fmt)
    finally:
        store.close()
    _save_report(rep, data, out or default_out(rep, fmt))


def _save_report(rep: Report, data: bytes, path: Path) -> None:
    """Write the rendered report, warn about demo data or a missing signer, print the path."""
    from bot.cli_helpers import console

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    if rep.demo:
        console.print("[yellow]Demo database: the report is marked as demo data.[/yellow]")
    if rep.draft:
        console.print("[yellow]No signer name (--signer-name or LOA_REPORT_SIGNER_NAME): marked DỰ THẢO.[/yellow]")
    console.print(f"Report {rep.period_label}, {rep.area_label}: {len(data):,} bytes", highlight=False)
    typer.echo(str(path))


@report_app.command("due")
def report_due(
    today: str = typer.Option(None, "--today", help="Pretend today is this date (DD/MM/YYYY)."),
) -> None:
    """Which reports are due next, for whom, and the command that writes them."""
    from bot.cli_helpers import console, load_settings
    from bot.reports.model import today_local
    from bot.reports.periods import due_reports, parse_date, short_date

    settings = load_settings()
    day = parse_date(today) if today else today_local(settings)
    for item in due_reports(day, settings.province):
        flag = (
            "--quarter " + item.period.slug if item.period.kind == "quarter" else f"--year {item.period.year}"
        )
        left = item.days_left(day)
        console.print(
            f"{item.period.label}: trước ngày {short_date(item.due)} ({left} ngày nữa) — gửi {item.recipient}"
            f" ({item.basis}). Lệnh: loa report {flag} --format docx",
            highlight=False,
        )


@activity_app.command("add")
def activity_add(
    kind: str = typer.Option(
        ..., "--kind", help="hoi_nghi, sinh_hoat_chi_bo, tin_bai, phat_thanh_co_so, ... (see docs)."
    ),
    unit: str = typer.Option(..., "--unit", help="Commune/ward name, e.g. 'Lê Chân'."),
    date: str = typer.Option(..., "--date", help="DD/MM/YYYY."),
    count: int = typer.Option(1, "--count", help="How many (sessions, articles, banners...)."),
    participants: int = typer.Option(None, "--participants", help="People who attended."),
    note: str = typer.Option("", "--note", help="Short note."),
) -> None:
    """Record one offline activity; prints its id on the last line."""
    from bot.cli_helpers import load_settings, open_store
    from bot.reports.activities import add_activity
    from bot.reports.model import today_local

    settings = load_settings()
    store = open_store(settings)
    try:
        new_id = add_activity(
            store,
            settings,
            kind=kind,
            unit=unit,
            date_value=date,
            count=count,
            participants=participants,
            note=note,
            today=today_local(settings),
        )
    finally:
        store.close()
    typer.echo(str(new_id))


@activity_app.command("import")
def activity_import(
    path: Path = typer.Argument(
        ..., help="CSV (UTF-8) or XLSX: kind, unit, date, count, participants, note."
    ),
) -> None:
    """Import activities from a file: every row is checked, and nothing is saved if one is wrong."""
    from bot.cli_helpers import console, load_settings, open_store
    from bot.reports.activities import import_activities
    from bot.reports.model import today_local

    settings = load_settings()
    store = open_store(settings)
    try:
        n = import_activities(store, settings, path, today=today_local(settings))
    finally:
        store.close()
    console.print(f"Imported {n} activities from {path.name}.", highlight=False)


@activity_app.command("list")
def activity_list(
    start: str = typer.Option(None, "--from", help="From date (DD/MM/YYYY)."),
    end: str = typer.Option(None, "--to", help="To date (DD/MM/YYYY)."),
    unit: str = typer.Option(None, "--unit", help="Only this commune/ward."),
    limit: int = typer.Option(50, "--limit", help="At most this many rows."),
) -> None:
    """List recorded activities, newest first."""
    from rich.table import Table

    from bot.cli_helpers import console, load_settings, open_store
    from bot.reports.activities import resolve_report_unit
    from bot.reports.periods import parse_date
    from bot.store.activities import list_activities

    settings = load_settings()
    store = open_store(settings)
    try:
        unit_name = resolve_report_unit(store, settings, unit).name if unit else None
        rows = list_activities(
            store,
            start=parse_date(start).isoformat() if start else None,
            end=parse_date(end).isoformat() if end else None,
            unit=unit_name,
            limit=limit,
        )
    finally:
        store.close()
    table = Table("id", "ngày", "kind", "xã/phường", "số lượng", "người dự", "ghi chú")
    for r in rows:
        y, m, d = r["date"].split("-")
        table.add_row(
            str(r["id"]),
            f"{d}/{m}/{y}",
            r["kind"],
            r["unit"] or "—",
            str(r["count"]),
            "" if r["participants"] is None else str(r["participants"]),
            r["note"] or "",
        )
    console.print(table)
    console.print(f"{len(rows)} activities.", highlight=False)


class Reports(Feature):
    """``loa report``, ``loa activity``, the demo quarter and the daily retention run."""

    name = "reports"

    def __init__(self) -> None:
        #: The retention task and its stop event while the app runs.
        self._retention: tuple[asyncio.Event, asyncio.Task[None]] | None = None

    def add_cli(self, app: typer.Typer) -> None:
        """Add ``loa report`` and ``loa activity``."""
        app.add_typer(report_app, name="report")
        app.add_typer(activity_app, name="activity")

    def load_demo(self, store: Store, settings: Settings) -> Sequence[str]:
        """A believable, deterministic demo quarter (2026-Q3) of outreach; loaded once."""
        import shlex

        from bot.reports.demo import load_demo_quarter

        load_demo_quarter(store, settings)
        # The hint must name the database this demo runs on (``loa demo --db`` or LOA_DB).
        return (f"  Báo cáo mẫu: LOA_DB={shlex.quote(str(settings.db))} loa report --quarter 2026-Q3 --format docx",)

    async def start(self, runtime: Runtime) -> None:
        """Start the daily retention task (folds old events into the rollups, then deletes them)."""
        stop = asyncio.Event()
        task = asyncio.create_task(_retention_loop(runtime.settings, stop), name="retention")
        self._retention = (stop, task)

    async def stop(self, runtime: Runtime) -> None:
        """Stop the daily retention task."""
        entry, self._retention = self._retention, None
        if entry:
            entry[0].set()
            with contextlib.suppress(TimeoutError, asyncio.CancelledError):
                await asyncio.wait_for(entry[1], timeout=5)


# --- daily retention -----------------------------------------------------------------------------
RETENTION_AT = (2, 30)  # local time of the daily run, after the night's quiet hours begin


def _retention_run(settings: Settings) -> str:
    """One retention run on its own connection (called in a worker thread)."""
    from datetime import UTC, datetime

    from bot.store.retention import apply_retention, summary_vi

    store = Store.open(settings.db)
    try:
        result = apply_retention(store, days=settings.retention_days, tz=settings.timezone, now=datetime.now(UTC))
    finally:
        store.close()
    return summary_vi(result, settings.retention_days)


def seconds_until(now: Any, at: tuple[int, int]) -> float:
    """Seconds from ``now`` (aware) to the next local ``at`` (hour, minute)."""
    from datetime import timedelta

    nxt = now.replace(hour=at[0], minute=at[1], second=0, microsecond=0)
    if nxt <= now:
        nxt += timedelta(days=1)
    return (nxt - now).total_seconds()


async def _retention_loop(settings: Settings, stop: Any) -> None:
    import logging
    from datetime import datetime
    from zoneinfo import ZoneInfo

    log = logging.getLogger("loa.retention")
    while not stop.is_set():
        wait = seconds_until(datetime.now(ZoneInfo(settings.timezone)), RETENTION_AT)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=wait)
        if stop.is_set():
            return
        try:
            # Folding and deleting can take seconds: a worker thread with its own connection.
            log.info("retention: %s", await asyncio.to_thread(_retention_run, settings))
        except Exception:  # a failed run must not stop the app; tomorrow's run retries
            log.exception("retention run failed")
