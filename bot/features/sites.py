"""Screening sites feature: ``/diemkham``, site questions, shared locations, ``loa sites``.

The text handler (after the scam check and verification, before the FAQ: ``TEXT_ROUTES``)
answers only when the message is clearly a where/when question, a shared location, or
little more than a commune name.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from bot.dialog import Command, TextHandler
from bot.features.base import Feature

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.conversation import Reply
    from bot.dialog import Turn
    from bot.store import Store

logger = logging.getLogger(__name__)

DEMO_BANNER = ("  Lịch khám mẫu (dữ liệu mẫu): hỏi “điểm khám ở Kẻ Sặt tuần sau” hoặc gõ /diemkham",)

DEMO_FILE = "demo_sites.csv"
RATES_FILE = "integration_rates.csv"


class Sites(Feature):
    """``/diemkham``, the site-question text route, ``loa sites`` and the demo schedule."""

    name = "sites"

    def commands(self) -> Sequence[Command]:
        """``/diemkham [commune] [when]``."""
        return (
            Command(("diemkham", "lichkham", "diadiem"), _cmd_diemkham, "tìm điểm và lịch khám sức khỏe miễn phí"),
        )

    def text_handlers(self) -> Mapping[str, TextHandler]:
        """Where/when questions, shared locations, bare commune names."""
        return {"sites": _on_text}

    def add_cli(self, app: typer.Typer) -> None:
        """Add ``loa sites``."""
        app.add_typer(sites_app, name="sites")

    def load_demo(self, store: Store, settings: Settings) -> Sequence[str]:
        """The sample schedule and integration rates."""
        load_demo(store, settings)
        return DEMO_BANNER


# --- dialog ------------------------------------------------------------------------------
def _cmd_diemkham(turn: Turn) -> list[Reply]:
    return _answer(turn, turn.args, force=True) or []  # forced: always an answer


def _on_text(turn: Turn) -> list[Reply] | None:
    from bot.sites.intent import is_bare_place, is_site_question, mentions_screening

    # Cheap text checks first: most messages (FAQ, scam) never touch the schedule.
    text = turn.text
    if turn.msg.location is None and not (
        mentions_screening(text) or is_site_question(text) or is_bare_place(text)
    ):
        return None
    try:
        return _answer(turn, turn.text, force=False)
    except sqlite3.Error as exc:
        # The database is locked or unreadable right now: let the FAQ answer instead.
        logger.warning("site look-up unavailable: %s", exc)
        return None


def _location(turn: Turn) -> tuple[float, float] | None:
    loc = turn.msg.location
    return (loc.latitude, loc.longitude) if loc is not None else None


def _answer(turn: Turn, text: str, *, force: bool) -> list[Reply] | None:
    from bot.conversation import Choice, Reply
    from bot.sites import format as fmt
    from bot.sites.intent import is_bare_place, is_site_question, mentions_screening
    from bot.sites.lookup import local_today, parse_query, run_query
    from bot.store import sites as site_store

    settings = turn.settings
    province = settings.province
    location = _location(turn)
    today, hhmm = local_today(turn.now, settings.timezone)
    query = parse_query(turn.store, text, today=today, province=province, location=location)
    if not force and location is None:
        bare_unit = is_bare_place(text) and (query.unit is not None or query.unit_match.ambiguous)
        asks = is_site_question(text) or (
            mentions_screening(text) and (query.unit is not None or query.dates is not None)
        )
        if bare_unit and query.unit is not None and query.unit_match.how == "fuzzy":
            bare_unit = len(text.split()) <= 4  # a lone typo'd name, not a sentence
        if not (asks or bare_unit):
            return None
        generic = query.unit is None and not query.unit_match.ambiguous and query.dates is None and not query.sites
        if generic and not query.unit_match.candidates:
            # "khám ở đâu?" with no commune, date or place: the FAQ's general answer (which
            # asks for the commune) fits better; /diemkham still asks here.
            return None
    turn.topic = "sites"
    if query.unit_match.ambiguous:
        when = f" {query.dates.label}" if query.dates else ""
        choices = tuple(Choice(name, f"/diemkham {name}{when}") for name in query.unit_match.candidates)
        turn.log("site_lookup", value="0", data={"ambiguous": True})
        return [Reply(fmt.format_ambiguous(query.unit_match.candidates), choices)]
    result = run_query(turn.store, query, today=today, now_hhmm=hhmm, province=province)
    if not result.searched:
        units = site_store.units_with_sessions(turn.store, province, today.isoformat())
        turn.log("site_lookup", value="0")
        return [Reply(fmt.format_ask_unit(settings, query.unit_match.candidates, units))]
    unit = query.unit
    turn.unit = query.unit_name
    contacts = site_store.unit_contacts(turn.store, int(unit["id"])) if unit else None
    next_session = None
    if unit is not None and not result.sessions:
        upcoming = site_store.find_sessions(
            turn.store, unit_ids=[int(unit["id"])], date_from=today.isoformat(), kind=query.kind, limit=1
        )
        next_session = upcoming[0] if upcoming else None
    turn.log("site_lookup", unit=turn.unit, value=str(len(result.sessions)))
    return [Reply(fmt.format_sessions(result, settings, contacts=contacts, next_session=next_session))]


# --- demo --------------------------------------------------------------------------------
def load_demo(store: Store, settings: Settings) -> None:
    """Load the sample schedule and the integration rates (idempotent: re-import is a no-op)."""
    from bot.errors import DataFileError
    from bot.sites.importer import import_schedule
    from bot.sites.rates import import_rates

    data = Path(settings.content_dir) / "data"
    report = import_schedule(store, data / DEMO_FILE, province=None)
    if not report.ok:
        raise DataFileError("demo schedule is invalid: " + "; ".join(str(p) for p in report.problems[:3]))
    rates = data / RATES_FILE
    if rates.exists():
        rates_report = import_rates(store, rates)
        if not rates_report.ok:
            raise DataFileError("integration rates file is invalid: " + "; ".join(str(p) for p in rates_report.problems[:3]))


# --- CLI ---------------------------------------------------------------------------------
sites_app = typer.Typer(help="Screening sites: import the schedule, look up sessions.", no_args_is_help=True)


@sites_app.command("import")
def cli_import(
    file: Path = typer.Argument(..., help="Schedule .csv (UTF-8) or .xlsx; see data/sites_template.csv."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Check the file and show the report; import nothing."),
    province: str = typer.Option(None, help="Province whose communes the file names (default LOA_PROVINCE)."),
    replace: bool = typer.Option(
        False, "--replace", help="For the communes in the file, remove sessions the file no longer lists."
    ),
) -> None:
    """Import a screening schedule; nothing is imported unless every row is valid."""
    from bot.cli_helpers import load_settings, open_store
    from bot.errors import DataFileError
    from bot.sites.importer import import_schedule

    settings = load_settings()
    store = open_store(settings)
    try:
        report = import_schedule(
            store, file, province=province or settings.province, dry_run=dry_run, replace=replace
        )
    finally:
        store.close()
    for line in report.lines():
        typer.echo(line)
    if not report.ok:
        raise DataFileError(f"{len(report.problems)} bad row(s) in {file}: nothing imported")


@sites_app.command("find")
def cli_find(
    text: list[str] = typer.Argument(None, help="The question, e.g. \"điểm khám ở Kẻ Sặt tuần này\"."),
    as_json: bool = typer.Option(False, "--json", help="Print {unit, candidates, sessions} as JSON."),
    today: str = typer.Option(None, "--today", help="Fix 'today' (YYYY-MM-DD) for date words."),
    near: str = typer.Option(None, "--near", help="A location \"LAT,LON\": nearest sessions first."),
    province: str = typer.Option(None, help="Province to search (default LOA_PROVINCE)."),
) -> None:
    """Find sessions for a question, as a resident would ask it."""
    from datetime import UTC, datetime

    from bot.cli_helpers import load_settings, open_store
    from bot.errors import LoaError
    from bot.sites.format import format_ambiguous, format_sessions
    from bot.sites.lookup import lookup

    fixed: date | None = None
    if today:
        try:
            fixed = date.fromisoformat(today)
        except ValueError as exc:
            raise LoaError(f"--today must be YYYY-MM-DD, got {today!r}") from exc
    location = _parse_near(near) if near else None
    settings = load_settings()
    store = open_store(settings)
    try:
        result = lookup(
            store,
            " ".join(text or []),
            now=datetime.now(UTC),
            timezone=settings.timezone,
            province=province or settings.province,
            location=location,
            fixed_today=fixed,
        )
        if as_json:
            typer.echo(json.dumps(result.to_json(), ensure_ascii=False))
        elif result.query.unit_match.ambiguous:
            typer.echo(format_ambiguous(result.query.unit_match.candidates))
        elif not result.searched:
            hint = f" Did you mean: {', '.join(result.query.unit_match.candidates)}?" if result.query.unit_match.candidates else ""
            typer.echo("No commune, date or location recognised in the question." + hint)
        else:
            typer.echo(format_sessions(result, settings))
    finally:
        store.close()


def _parse_near(value: str) -> tuple[float, float]:
    from bot.errors import LoaError

    try:
        lat_text, lon_text = value.split(",")
        return float(lat_text), float(lon_text)
    except ValueError as exc:
        raise LoaError(f"--near must be LAT,LON (e.g. 20.85,106.68), got {value!r}") from exc


@sites_app.command("list")
def cli_list(province: str = typer.Option(None, help="Province (default LOA_PROVINCE); 'all' for every one.")) -> None:
    """List sites with their number of sessions and first/last dates."""
    from bot.cli_helpers import load_settings, open_store
    from bot.sites.model import KIND_LABELS
    from bot.store.sites import list_sites

    settings = load_settings()
    store = open_store(settings)
    try:
        rows = list_sites(store, None if province == "all" else province or settings.province)
    finally:
        store.close()
    if not rows:
        typer.echo("No sites yet: import a schedule with `loa sites import FILE`.")
        return
    for r in rows:
        span = f"{r['first_date']} … {r['last_date']}" if r["sessions"] else "no sessions"
        typer.echo(f"{r['unit']} | {KIND_LABELS.get(r['kind'], r['kind'])} | {r['name']} | {r['sessions']} session(s), {span}")
    typer.echo(f"{len(rows)} site(s)")


@sites_app.command("rates")
def cli_rates(
    file: Path = typer.Argument(..., help="Rates .csv/.xlsx: don_vi, ty_le (percent); a 'toàn tỉnh/thành phố' row sets the average."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Check only."),
    province: str = typer.Option(None, help="Province (default LOA_PROVINCE)."),
) -> None:
    """Import health-book integration rates per commune (re-importable: values are replaced)."""
    from bot.cli_helpers import load_settings, open_store
    from bot.errors import DataFileError
    from bot.sites.rates import import_rates

    settings = load_settings()
    store = open_store(settings)
    try:
        report = import_rates(store, file, province=province or settings.province, dry_run=dry_run)
    finally:
        store.close()
    for line in report.lines():
        typer.echo(line)
    if not report.ok:
        raise DataFileError(f"{len(report.problems)} bad row(s) in {file}: nothing imported")


@sites_app.command("priority")
def cli_priority(
    province: str = typer.Option(None, help="Province (default LOA_PROVINCE)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Units whose health-book integration rate is below the province average."""
    from bot.cli_helpers import load_settings, open_store
    from bot.units import priority_units

    settings = load_settings()
    store = open_store(settings)
    try:
        rows: list[dict[str, Any]] = priority_units(store, province or settings.province)
    finally:
        store.close()
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    for r in rows:
        typer.echo(f"{r['unit_type']} {r['name']}: {r['health_book_rate_pct']:g}% (average {r['province_avg_pct']:g}%)")
    typer.echo(f"{len(rows)} priority unit(s)")

