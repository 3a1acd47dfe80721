"""Offline activities (meetings, articles, loudspeaker broadcasts, health days): a one-minute
form, a file import and the list. Validation is ``bot.reports.activities``'."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from bot.errors import LoaError
from bot.reports import activities as lib
from bot.reports.labels import ACTIVITY_KINDS
from bot.store.activities import list_activities
from bot.store.units import list_units
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
NAV = [("/admin/activities", "Hoạt động", "activities.view")]

FLASH.update(
    {"activity_added": "Đã ghi nhận hoạt động.", "activities_imported": "Đã nhập các hoạt động từ tệp."}
)

FIELDS = ("kind", "unit", "date", "count", "participants", "note")


def _today(request: Request) -> Any:
    return now(request).astimezone(ZoneInfo(settings_of(request).timezone)).date()


def _page(
    request: Request, officer: Officer, *, form: dict[str, str] | None = None, **extra: Any
) -> Response:
    store, settings = store_of(request), settings_of(request)
    status_code = int(extra.pop("status_code", 200))
    ctx = {
        "rows": list_activities(store, limit=100),
        "kinds": ACTIVITY_KINDS,
        "units": [u["name"] for u in list_units(store, settings.province)],
        "form": form or {"date": _today(request).strftime("%d/%m/%Y"), "count": "1"},
        "today": _today(request).strftime("%d/%m/%Y"),
        **extra,
    }
    return render(request, "admin/activities.html", ctx, officer=officer, status_code=status_code)


@router.get("/activities")
async def activities_page(
    request: Request, officer: Officer = Depends(require("activities.view"))
) -> Response:
    """The form and the newest activities."""
    return _page(request, officer)


@router.post("/activities")
async def add(request: Request, officer: Officer = Depends(require("activities.edit"))) -> Response:
    """Record one activity through the library (kind, unit, date, numbers are checked there)."""
    form = await checked_form(request, officer)
    data = {k: str(form.get(k) or "").strip()[:500] for k in FIELDS}
    try:
        activity_id = lib.add_activity(
            store_of(request),
            settings_of(request),
            source="admin",
            today=_today(request),
            kind=data["kind"],
            unit=data["unit"],
            date_value=data["date"],
            count=data["count"],
            participants=data["participants"],
            note=data["note"],
        )
    except LoaError as exc:
        return _page(request, officer, form=data, error=labels.failure(exc), status_code=400)
    audit(
        request, officer.name, "activity.add", f"activity:{activity_id}", kind=data["kind"], unit=data["unit"]
    )
    return redirect_ok("/admin/activities", "activity_added")


@router.post("/activities/import")
async def import_file(request: Request, officer: Officer = Depends(require("activities.edit"))) -> Response:
    """Import a CSV / XLSX of activities (all rows or none)."""
    form = await checked_form(request, officer)
    try:
        with saved_upload(form.get("file")) as (path, name):
            n = await run_in_process(
                store_of(request),
                lib.import_activities,
                settings_of(request),
                path,
                today=_today(request),
            )
    except LoaError as exc:
        return _page(request, officer, error=labels.failure(exc), status_code=400)
    audit(request, officer.name, "activity.import", f"file:{name}", rows=n)
    return redirect_ok("/admin/activities", "activities_imported")
