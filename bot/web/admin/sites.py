"""Screening sites: upload the schedule (CSV / XLSX) with its row report, list sites and sessions.

Validation and writing are ``bot.sites.importer``'s (all or nothing). To correct a session,
officers fix the row in their file and upload it again: the importer updates it in place.
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from bot.errors import LoaError
from bot.sites.importer import import_schedule
from bot.sites.model import KIND_LABELS
from bot.store.sites import find_sessions, list_sites
from bot.store.workers import run_in_process
from bot.web.admin import labels
from bot.web.admin.deps import Officer, audit, checked_form, now, render, require, settings_of, store_of
from bot.web.admin.uploads import saved_upload

router = APIRouter()
NAV = [("/admin/sites", "Điểm khám", "sites.view")]

UPCOMING_DAYS = 14


def _page(request: Request, officer: Officer, **extra: object) -> Response:
    store, settings = store_of(request), settings_of(request)
    today = now(request).astimezone(ZoneInfo(settings.timezone)).date()
    sessions = find_sessions(
        store,
        province=settings.province,
        date_from=today.isoformat(),
        date_to=(today + timedelta(days=UPCOMING_DAYS)).isoformat(),
        limit=200,
    )
    status_code = int(extra.pop("status_code", 200))  # type: ignore[call-overload]
    ctx = {
        "sites": list_sites(store, settings.province),
        "sessions": sessions,
        "days": UPCOMING_DAYS,
        "kinds": KIND_LABELS,
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
