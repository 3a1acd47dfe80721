"""The dashboard: today and this week at a glance, and a 14-day chart.

Every figure comes from ``bot.reports.metrics``, so the dashboard and the filed report
always agree.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from bot.reports import metrics
from bot.reports.periods import Period
from bot.store import Store
from bot.store import admin as admin_store
from bot.web.admin import labels
from bot.web.admin.deps import Officer, now, render, require, settings_of, store_of

router = APIRouter()

CHART_DAYS = 14
ACCOUNT_CHANGES = 8


def _tiles(ctx: metrics.Context) -> dict[str, int]:
    return {
        "delivered": metrics.deliveries_sent(ctx),
        "residents": metrics.unique_residents(ctx),
        "answered": metrics.questions_answered(ctx),
        "scam_checks": metrics.messages_checked(ctx),
        "unanswered": metrics.questions_unanswered(ctx),
    }


def figures(request: Request) -> dict[str, object]:
    """The dashboard's numbers for today and this week (local dates)."""
    store, settings = store_of(request), settings_of(request)
    today: date = now(request).astimezone(ZoneInfo(settings.timezone)).date()
    week_start = today - timedelta(days=today.weekday())
    # A few days of the raw log are cheap to count, and reading it never writes: the rollup
    # catch-up (possibly long after an upgrade) belongs to report builds, off the event loop.
    day_ctx = metrics.Context(store, settings, Period("range", today, today), use_rollups=False)
    week_ctx = metrics.Context(store, settings, Period("range", week_start, today), use_rollups=False)
    chart_ctx = metrics.Context(
        store, settings, Period("range", today - timedelta(days=CHART_DAYS - 1), today), use_rollups=False
    )
    per_day = chart_ctx.events("interaction", by="day")
    days = [today - timedelta(days=i) for i in range(CHART_DAYS - 1, -1, -1)]
    counts = [(d.strftime("%d/%m"), int(per_day.get(d.isoformat(), 0))) for d in days]
    peak = max((n for _, n in counts), default=0)
    return {
        "today": _tiles(day_ctx),
        "week": _tiles(week_ctx),
        "top": metrics.answered_by_topic(week_ctx)[:5],
        "chart": [(label, n, round(100 * n / peak) if peak else 0) for label, n in counts],
        "today_label": today.strftime("%d/%m/%Y"),
        "backup": backup_status(store, now(request), settings.timezone),
    }


def backup_status(store: Store, at: datetime, timezone: str) -> dict[str, object]:
    """The last backup for the dashboard: local time, size, and whether it is too old."""
    from bot.ops.backup import META_KEY, backup_age_seconds
    from bot.ops.health import BACKUP_WARN_SECONDS

    try:
        record = json.loads(store.get_meta(META_KEY) or "null")
    except ValueError:
        record = None
    age = backup_age_seconds(record if isinstance(record, dict) else None, at)
    if age is None or not isinstance(record, dict):
        return {"known": False, "stale": True}
    taken = datetime.fromisoformat(str(record["at"])).replace(tzinfo=UTC).astimezone(ZoneInfo(timezone))
    size = record.get("size")
    return {
        "known": True,
        "stale": age > BACKUP_WARN_SECONDS,
        "when": taken.strftime("%H:%M %d/%m/%Y"),
        "size": f"{size / (1 << 20):.1f} MB" if isinstance(size, int) else "?",
        "days": int(age // 86400),
    }


def account_changes(request: Request) -> list[dict[str, str]]:
    """The latest account creations, resets and role changes, with who made them.

    Shown to every officer: a second approver created (or an approver's password reset) by
    an administrator is visible to the officers whose four-eyes rule it could bypass.
    """
    out: list[dict[str, str]] = []
    for entry in admin_store.list_audit(store_of(request), action="user.", limit=5 * ACCOUNT_CHANGES):
        template = labels.ACCOUNT_ACTIONS.get(entry["action"])
        if template is None:
            continue
        target = (entry.get("target") or "").removeprefix("user:")
        detail = entry.get("detail") or {}
        roles = str(detail.get("roles") or "")
        what = template.format(target=target)
        if roles:
            what += f": {labels.role_list(roles)}"
            if detail.get("before") is not None:
                what += f" (trước đó: {labels.role_list(str(detail['before'])) or 'không có'})"
        out.append({"at": entry["at"], "by": entry.get("user") or "?", "what": what})
        if len(out) >= ACCOUNT_CHANGES:
            break
    return out


@router.get("")
@router.get("/")
async def dashboard(request: Request, officer: Officer = Depends(require("dashboard"))) -> Response:
    """Today / this week: delivered messages, residents served, questions, scam checks;
    and the latest account changes."""
    ctx = {"f": figures(request), "accounts": account_changes(request)}
    return render(request, "admin/dashboard.html", ctx, officer=officer)
