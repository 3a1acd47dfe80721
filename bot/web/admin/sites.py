"""Screening sites: upload the schedule (CSV / XLSX) with its row report, list sites and
sessions, and correct one session in place.

Validation and writing are ``bot.sites.importer``'s (all or nothing) and, for one session,
``bot.sites.edit``'s, which checks the form as a row of the file would be checked.
"""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import quote
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from bot.errors import LoaError
from bot.sites.importer import import_schedule
from bot.sites.model import KIND_LABELS
from bot.store.sites import find_sessions, list_sites
from bot.store.workers import run_in_process
from bot.web.admin import labels
from bot.web.admin.deps import (
    FLASH,
    Officer,
    audit,
    checked_form,
    now,
    redirect_ok,
    render,
    require,
    settings_of,
    store_of,
)
from bot.web.admin.uploads import saved_upload

router = APIRouter()
NAV = [("/admin/sites", "Điểm khám", "sites.view")]

UPCOMING_DAYS = 14
FLASH["session_saved"] = "Đã lưu buổi khám."


def _first_day(request: Request) -> tuple[date, str | None]:
    """The first day of the sessions list: ``?tu=DD/MM/YYYY`` or today (and an error for a bad date)."""
    from bot.sites.validate import CellError, parse_date

    today = now(request).astimezone(ZoneInfo(settings_of(request).timezone)).date()
    written = (request.query_params.get("tu") or "").strip()[:40]
    if not written:
        return today, None
    try:
        return parse_date(written), None
    except CellError as exc:
        return today, f"Không xem được lịch từ ngày đó: {exc.vi}."


def _page(request: Request, officer: Officer, **extra: object) -> Response:
    store, settings = store_of(request), settings_of(request)
    first, date_error = _first_day(request)
    sessions = find_sessions(
        store,
        province=settings.province,
        date_from=first.isoformat(),
        date_to=(first + timedelta(days=UPCOMING_DAYS)).isoformat(),
        limit=200,
    )
    status_code = int(extra.pop("status_code", 200))  # type: ignore[call-overload]
    ctx = {
        "sites": list_sites(store, settings.province),
        "sessions": sessions,
        "days": UPCOMING_DAYS,
        "kinds": KIND_LABELS,
        "first_day": first.strftime("%d/%m/%Y"),
        "from_query": bool(request.query_params.get("tu")) and not date_error,
        "error": date_error,
        **extra,
    }
    return render(request, "admin/sites.html", ctx, officer=officer, status_code=status_code)


@router.get("/sites")
async def sites_page(request: Request, officer: Officer = Depends(require("sites.view"))) -> Response:
    """The upload form, the sites and the sessions of the next two weeks."""
    return _page(request, officer)


@router.post("/sites/upload")
async def upload(request: Request, officer: Officer = Depends(require("sites.manage"))) -> Response:
    """Check (and unless "check only", import) an uploaded schedule; show the row report."""
    form = await checked_form(request, officer)
    dry_run = form.get("dry_run") == "1"
    replace = form.get("replace") == "1"
    try:
        with saved_upload(form.get("file")) as (path, name):
            # Reading and checking thousands of rows takes seconds: the worker process does it.
            report = await run_in_process(
                store_of(request),
                import_schedule,
                path,
                province=settings_of(request).province,
                dry_run=dry_run,
                replace=replace,
            )
    except LoaError as exc:
        return _page(request, officer, error=labels.failure(exc), status_code=400)
    report.path = name
    if report.ok and not dry_run:
        c = report.counts
        audit(
            request,
            officer.name,
            "sites.import",
            f"file:{name}",
            rows=report.rows,
            added=c.sessions_added if c else None,
            updated=c.sessions_updated if c else None,
            removed=c.sessions_removed if c else None,
            replace=replace or None,
        )
    return _page(request, officer, report=report, dry_run=dry_run, status_code=200 if report.ok else 400)


def _session_form(
    request: Request, officer: Officer, session: dict[str, object], values: dict[str, str], **extra: object
) -> Response:
    status_code = int(extra.pop("status_code", 200))  # type: ignore[call-overload]
    ctx = {"s": session, "values": values, "kinds": KIND_LABELS, **extra}
    return render(request, "admin/session_form.html", ctx, officer=officer, status_code=status_code)


def _session_or_404(request: Request, session_id: int) -> dict[str, object]:
    from starlette.exceptions import HTTPException

    from bot.store.site_edits import get_session

    session = get_session(store_of(request), session_id)
    if session is None or session["province"] != settings_of(request).province:
        raise HTTPException(status_code=404)
    return session


@router.get("/sites/sessions/{session_id:int}/edit")
async def session_form(
    request: Request, session_id: int, officer: Officer = Depends(require("sites.manage"))
) -> Response:
    """The edit form of one session: date, times, place, address, note."""
    from bot.sites.edit import form_values

    session = _session_or_404(request, session_id)
    return _session_form(request, officer, session, form_values(session))


@router.post("/sites/sessions/{session_id:int}/edit")
async def session_save(
    request: Request, session_id: int, officer: Officer = Depends(require("sites.manage"))
) -> Response:
    """Check the form like an uploaded row; save, or show the form again with the reasons."""
    from bot.sites.edit import FIELDS, MAX_FIELD, edit_session

    form = await checked_form(request, officer)
    session = _session_or_404(request, session_id)
    values = {k: str(form.get(k) or "")[:MAX_FIELD] for k in FIELDS}
    try:
        change = edit_session(store_of(request), session_id, values)
    except LoaError as exc:
        return _session_form(request, officer, session, values, error=labels.failure(exc), status_code=400)
    if change.changes:
        audit(
            request,
            officer.name,
            "session.edit",
            f"session:{session_id}",
            unit=str(session["unit"]),
            changes="; ".join(change.changes)[:1000],
        )
    day = f"{change.date[8:10]}/{change.date[5:7]}/{change.date[:4]}"
    return redirect_ok(f"/admin/sites?tu={quote(day, safe='')}", "session_saved")
