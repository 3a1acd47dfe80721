"""Reports: choose period, area and format, download. Figures and layout are ``bot.reports``'."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from bot.config import Settings
from bot.errors import LoaError
from bot.reports import output
from bot.reports.periods import Period, choose_period, due_reports, quarter_of
from bot.store import Store
from bot.store.units import list_units
from bot.store.workers import run_in_process
from bot.web.admin import labels
from bot.web.admin.deps import Officer, audit, now, render, require, settings_of, store_of

router = APIRouter()
NAV = [("/admin/reports", "Báo cáo", "reports")]

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
}
FORMAT_LABELS = {
    "docx": "Word (.docx) — văn bản để ký",
    "xlsx": "Excel (.xlsx) — các bảng số liệu",
    "html": "Trang web (.html)",
    "md": "Văn bản (.md)",
}


def _page(
    request: Request, officer: Officer, *, error: str | None = None, status_code: int = 200
) -> Response:
    store, settings = store_of(request), settings_of(request)
    today = now(request).astimezone(ZoneInfo(settings.timezone)).date()
    quarters = []
    y, q = today.year, quarter_of(today)
    for _ in range(8):
        quarters.append(f"{y}-Q{q}")
        y, q = (y, q - 1) if q > 1 else (y - 1, 4)
    params = request.query_params
    ctx = {
        "due": due_reports(today, settings.province),
        "today": today,
        "quarters": quarters,
        "years": [today.year - i for i in range(3)],
        "units": [u["name"] for u in list_units(store, settings.province)],
        "formats": FORMAT_LABELS,
        "f": {
            k: (params.get(k) or "")[:100] for k in ("period", "quarter", "year", "start", "end", "unit", "format")
        }
        | {k: (params.get(k) or "")[: output.MAX_FORM_NOTES_CHARS] for k in output.FORM_FIELDS},
        "signer": {
            k: getattr(settings, f"report_{k}") for k in ("signer_authority", "signer_title", "signer_name")
        },
        "error": error,
    }
    return render(request, "admin/reports.html", ctx, officer=officer, status_code=status_code)


@router.get("/reports")
async def reports_page(request: Request, officer: Officer = Depends(require("reports"))) -> Response:
    """What is due when, and the download form."""
    return _page(request, officer)


def build_file(
    store: Store, settings: Settings, period: Period, unit: str | None, at: datetime, fmt: str, **options: Any
) -> tuple[str, str | None, bytes]:
    """The report as (file name, unit, bytes); runs in the worker process. ``options`` are the
    form's signer and section-7 choices (``output.form_options``)."""
    report = output.make_report(store, settings, period, unit=unit, now=at, **options)
    return output.default_out(report, fmt).name, report.unit, output.render(report, fmt)


@router.get("/reports/download")
async def download(request: Request, officer: Officer = Depends(require("reports"))) -> Response:
    """Build the report for the chosen period and area and send it as a file."""
    q = request.query_params
    fmt = q.get("format") or "docx"
    kind = q.get("period") or "quarter"
    try:
        if fmt not in output.FORMATS:
            raise LoaError(f"unknown format {fmt!r}", vi="Chọn định dạng tệp trong danh sách (Word, Excel, HTML…).")
        period = choose_period(
            quarter=q.get("quarter") if kind == "quarter" else None,
            year=q.get("year") if kind == "year" else None,
            start=q.get("start") if kind == "range" else None,
            end=q.get("end") if kind == "range" else None,
        )
        store, settings = store_of(request), settings_of(request)
        unit = (q.get("unit") or "").strip()[:100] or None
        # Figures, charts and rendering take seconds for a heavy year: the worker process
        # builds the file on its own connection while the loop keeps answering residents.
        filename, unit, body = await run_in_process(store, build_file, settings, period, unit, now(request), fmt, **output.form_options(q))
    except LoaError as exc:
        return _page(request, officer, error=labels.failure(exc), status_code=400)
    audit(request, officer.name, "report.download", f"report:{period.slug}", unit=unit, format=fmt)
    return Response(
        body,
        media_type=CONTENT_TYPES[fmt],
        headers={
            "Content-Disposition": f"attachment; filename=\"{filename}\"; filename*=UTF-8''{quote(filename)}"
        },
    )
