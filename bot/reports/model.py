"""The report model: built once from the store, then rendered identically by every format."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.reports import metrics as M
from bot.reports.document import Chart, Report, Section, Table, num
from bot.reports.draft import closing_section
from bot.reports.opinion import public_opinion
from bot.reports.periods import Period, official_date, short_date
from bot.reports.sections import (
    countering_false_information,
    digital_outreach,
    offline_activities,
    priority_outreach,
    province_word,
    residents_interaction,
)
from bot.store import Store

# Renderers and callers import the document types from here too.
__all__ = ["Chart", "Report", "Section", "Table", "area_label", "build_report", "num", "recipients_for", "today_local"]


def recipients_for(province: str) -> list[str]:
    """Who the letters say receives the report (the "Nơi nhận" list), by province."""
    from bot.reports.periods import QUARTERLY_RULE, YEARLY_RULE

    return [rule[1].split(" (")[0] for rule in (QUARTERLY_RULE, YEARLY_RULE) if rule[0] == province]


def area_label(settings: Settings, unit: str | None, unit_type: str | None = None) -> str:
    """``thành phố Hải Phòng`` / ``tỉnh Lạng Sơn`` / ``phường Lê Chân``."""
    if unit:
        return f"{unit_type or 'xã'} {unit}"
    return f"{province_word(settings)} {settings.province}"


def period_text(period: Period, today: date) -> str:
    """``quý IV năm 2026 (từ 01/10/2026 đến 31/12/2026)``; a period not over yet says how far
    its figures go: ``năm 2026 (từ 01/01/2026, tính đến ngày 05/11/2026)``."""
    lo = short_date(period.start)
    if period.start <= today < period.end:
        return f"{period.label} (từ {lo}, tính đến ngày {short_date(today)})"
    return f"{period.label} (từ {lo} đến {short_date(period.end)})"


def build_report(
    store: Store,
    settings: Settings,
    period: Period,
    *,
    unit: str | None = None,
    unit_type: str | None = None,
    notes: str | None = None,
    notes_mode: str = "replace",
    now: datetime | None = None,
    demo: bool = False,
    signer_authority: str | None = None,
    signer_title: str | None = None,
    signer_name: str | None = None,
    use_rollups: bool = True,
) -> Report:
    """Compute every figure for ``period`` (and ``unit``) and lay out the seven sections.

    Section 7 is the officer's ``notes`` (``notes_mode`` "replace") or a first draft from the
    figures, followed by the notes ("extend"). The signer (quyền hạn, chức vụ, họ tên) comes
    from the arguments, else from settings; without a name the report is a draft.
    """
    ctx = M.Context(store, settings, period, unit, use_rollups=use_rollups)
    tz = ZoneInfo(settings.timezone)
    now = (now or datetime.now(tz)).astimezone(tz)
    area = area_label(settings, unit, unit_type)
    f: dict[str, Any] = {}
    sections = _sections(ctx, f, notes, notes_mode, period, now.date())
    return Report(
        title="BÁO CÁO",
        subject=f"Kết quả thông tin, tuyên truyền về khám sức khỏe định kỳ, khám sàng lọc miễn phí và Sổ sức khỏe "
        f"điện tử {period.label} trên địa bàn {area}",
        issuer_parent=settings.report_issuer_parent,
        issuer=settings.report_issuer,
        number_line=f"Số:        /{settings.report_code}",
        place_date=official_date(now.date(), settings.report_place),
        period=period,
        period_label=period_text(period, now.date()),
        area_label=area,
        unit=unit,
        signer_title=_pick(signer_title, settings.report_signer_title),
        signer_name=_pick(signer_name, settings.report_signer_name),
        signer_authority=_pick(signer_authority, settings.report_signer_authority),
        recipients=[*(f"{r} (để báo cáo);" for r in recipients_for(settings.province)), "Lưu: VT."],
        sections=sections,
        figures=f,
        generated_at=now,
        demo=demo,
    )


def _sections(
    ctx: M.Context, f: dict[str, Any], notes: str | None, notes_mode: str, period: Period, today: date
) -> list[Section]:
    """The seven sections in order, their charts numbered and sourced."""
    sections = [
        digital_outreach(ctx, f),
        residents_interaction(ctx, f),
        priority_outreach(ctx, f),
        countering_false_information(ctx, f),
        offline_activities(ctx, f),
        public_opinion(ctx, f),
    ]
    sections.append(closing_section(ctx, f, notes, notes_mode))
    source = f"Nguồn: số liệu do hệ thống Loa ghi nhận, {period_text(period, today).split('(', 1)[-1].rstrip(')')}."
    for number, chart in enumerate((s.chart for s in sections if s.chart), start=1):
        chart.number, chart.source = number, source
    return sections


def _pick(given: str | None, configured: str) -> str:
    """The signer field given for this report, else the configured one (spaces tidied)."""
    return " ".join((configured if given is None else given).split())


def today_local(settings: Settings) -> date:
    """Today's date in the configured time zone."""
    return datetime.now(ZoneInfo(settings.timezone)).date()
