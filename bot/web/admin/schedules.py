"""Schedules: recurring (cron, local time) or one-off broadcasts of an approved message;
enable / disable. Timing, quiet hours and misfires are ``bot.broadcast.scheduling``'s."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from bot.broadcast import scheduling
from bot.errors import LoaError
from bot.web.admin import labels
from bot.web.admin.broadcasts import _form_context as audience_context
from bot.web.admin.broadcasts import selectors_from
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

router = APIRouter()
NAV = [("/admin/schedules", "Lịch gửi", "schedules.view")]

FLASH.update(
    {
        "schedule_saved": "Đã lưu lịch gửi.",
        "schedule_enabled": "Đã bật lịch gửi.",
        "schedule_disabled": "Đã tắt lịch gửi.",
    }
)

PRESETS = {
    "0 8 * * mon": "Sáng thứ Hai hằng tuần, 08:00",
    "30 7 * * *": "Hằng ngày, 07:30",
    "0 9 1 * *": "Ngày 1 hằng tháng, 09:00",
}


def _page(request: Request, officer: Officer, form: Any = None, **extra: Any) -> Response:
    store, settings = store_of(request), settings_of(request)
    status_code = int(extra.pop("status_code", 200))
    ctx = audience_context(request, form)
    from bot.store.broadcast import list_messages

    ctx.update(
        {
            "rows": scheduling.list_schedules(store, settings, now=now(request)),
            "titles": {m["id"]: m["title"] for m in list_messages(store)},
            "presets": PRESETS,
            "values": {k: str(form.get(k) or "") for k in ("name", "message", "repeat", "cron", "at")}
            if form
            else {},
            **extra,
        }
    )
    return render(request, "admin/schedules.html", ctx, officer=officer, status_code=status_code)


@router.get("/schedules")
async def schedules_page(request: Request, officer: Officer = Depends(require("schedules.view"))) -> Response:
    """The schedules with their next run, and the form to add one."""
    return _page(request, officer)


@router.post("/schedules")
async def save(request: Request, officer: Officer = Depends(require("schedules.manage"))) -> Response:
    """Create (or update, by name) a schedule through the library, which checks everything."""
    form = await checked_form(request, officer)
    name = str(form.get("name") or "").strip()[:64]
    repeat = form.get("repeat") == "cron"
    cron = str(form.get("cron") or "").strip()[:100] if repeat else None
    at = str(form.get("at") or "").strip().replace("T", " ")[:16] if not repeat else None
    selectors = selectors_from(form)
    try:
        schedule_id = scheduling.add_schedule(
            store_of(request),
            settings_of(request),
            name,
            message=str(form.get("message") or "").strip()[:20],
            selectors=selectors,
            cron=cron or None,
            at=at or None,
            source="admin",
        )
    except LoaError as exc:
        return _page(request, officer, form, error=labels.failure(exc), status_code=400)
    audit(
        request,
        officer.name,
        "schedule.save",
        f"schedule:{schedule_id}",
        name=name,
        message=str(form.get("message") or ""),
        cron=cron,
        at=at,
        selectors=" ".join(selectors),
    )
    return redirect_ok("/admin/schedules", "schedule_saved")


@router.post("/schedules/{schedule_id:int}/enabled")
async def set_enabled(
    request: Request, schedule_id: int, officer: Officer = Depends(require("schedules.manage"))
) -> Response:
    """Turn a schedule on or off."""
    form = await checked_form(request, officer)
    enabled = form.get("enabled") == "1"
    try:
        scheduling.set_enabled(store_of(request), str(schedule_id), enabled)
    except LoaError as exc:
        return _page(request, officer, error=labels.failure(exc), status_code=400)
    audit(
        request, officer.name, "schedule.enable" if enabled else "schedule.disable", f"schedule:{schedule_id}"
    )
    return redirect_ok("/admin/schedules", "schedule_enabled" if enabled else "schedule_disabled")
