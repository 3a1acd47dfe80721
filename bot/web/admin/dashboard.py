"""The dashboard: today and this week at a glance, and a 14-day chart."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from bot.store import admin as admin_store
from bot.store.events import to_db_time
from bot.web.admin.deps import Officer, now, render, require, settings_of, store_of

router = APIRouter()

CHART_DAYS = 14


def _local_midnight(at: datetime, tz: ZoneInfo) -> datetime:
    local = at.astimezone(tz)
    return datetime.combine(local.date(), time(0), tzinfo=tz)


def figures(request: Request) -> dict[str, object]:
    """The dashboard's numbers for today and this week (local time), from the store."""
    store, settings = store_of(request), settings_of(request)
    tz = ZoneInfo(settings.timezone)
    current = now(request)
    today = _local_midnight(current, tz)
    week = today - timedelta(days=today.weekday())
    end = to_db_time(today + timedelta(days=1))
    periods = {"today": to_db_time(today), "week": to_db_time(week)}
    out: dict[str, object] = {}
    for key, start in periods.items():
        out[key] = {
            "delivered": admin_store.delivered_between(store, start, end),
            "residents": admin_store.residents_between(store, start, end),
            "answered": admin_store.events_between(store, "faq_answered", start, end),
            "scam_checks": admin_store.events_between(store, "scam_checked", start, end),
            "unanswered": admin_store.events_between(store, "faq_abstained", start, end),
        }
    out["top"] = admin_store.top_topics(store, periods["week"], end)
    days = []
    for i in range(CHART_DAYS - 1, -1, -1):
        start_day = today - timedelta(days=i)
        n = admin_store.events_between(
            store, "interaction", to_db_time(start_day), to_db_time(start_day + timedelta(days=1))
        )
        days.append((start_day.strftime("%d/%m"), n))
    peak = max((n for _, n in days), default=0)
    out["chart"] = [(label, n, round(100 * n / peak) if peak else 0) for label, n in days]
    out["today_label"] = today.strftime("%d/%m/%Y")
    return out


@router.get("")
@router.get("/")
async def dashboard(request: Request, officer: Officer = Depends(require("dashboard"))) -> Response:
    """Today / this week: delivered messages, residents served, questions, scam checks."""
    return render(request, "admin/dashboard.html", {"f": figures(request)}, officer=officer)
