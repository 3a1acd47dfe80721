"""Vietnamese date words in a resident's question → a range of local dates.

Handles "hôm nay", "ngày mai", "ngày kia", "hôm qua", weekdays ("thứ bảy", "thứ 7", "t7",
"chủ nhật", optionally with "tuần này" / "tuần sau"), "cuối tuần", "tuần này", "tuần sau", "tuần sau nữa",
"tuần trước", "tháng này", "tháng sau", "tháng 12", "tháng chạp", "12/12", "12/12/2026" and
"ngày 5". ``today`` is always passed in (Asia/Ho_Chi_Minh date), so tests fix the clock.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from bot.text import fold, normalize

WEEKDAY_NAMES = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")

_WEEKDAYS = {
    "2": 0, "hai": 0, "3": 1, "ba": 1, "4": 2, "tu": 2, "5": 3, "nam": 3, "6": 4, "sau": 4, "7": 5, "bay": 5,
}
_MONTH_WORDS = {
    "gieng": 1, "mot": 1, "hai": 2, "ba": 3, "tu": 4, "nam": 5, "sau": 6, "bay": 7, "tam": 8,
    "chin": 9, "muoi": 10, "muoi mot": 11, "muoi hai": 12, "chap": 12,
}

_EXPLICIT = re.compile(r"(?<![\d/])(\d{1,2})\s*[/\-.]\s*(\d{1,2})(?:\s*[/\-.]\s*(\d{4}|\d{2}))?(?![\d/])")
_WEEKDAY = re.compile(r"\b(?:thu\s+(2|3|4|5|6|7|hai|ba|tu|nam|sau|bay)|(chu nhat|cn))\b")
_MONTH_NUM = re.compile(r"\bthang\s+(\d{1,2})\b")
_MONTH_WORD = re.compile(r"\bthang\s+(muoi hai|muoi mot|gieng|chap|muoi|mot|hai|ba|tu|nam|sau|bay|tam|chin)\b")
_DAY_ONLY = re.compile(r"\bngay\s+(\d{1,2})\b(?!\s*[/\-.]\s*\d)")


@dataclass(frozen=True)
class DateRange:
    """Inclusive range of local dates and how to say it in an answer."""

    start: date
    end: date
    label: str  # "hôm nay", "tuần sau", "tháng 12/2026", "Thứ Bảy 28/11"

    def contains(self, day: date) -> bool:
        """True when ``day`` is inside the range."""
        return self.start <= day <= self.end


def _dm(day: date) -> str:
    return f"{day.day:02d}/{day.month:02d}"


def _month_range(year: int, month: int, today: date, label: str) -> DateRange:
    last = calendar.monthrange(year, month)[1]
    return DateRange(date(year, month, 1), date(year, month, last), label)


def _month_of(month: int, today: date) -> DateRange:
    year = today.year if month >= today.month else today.year + 1
    return _month_range(year, month, today, f"tháng {month}/{year}")


_WEEK_LABELS = {-1: "tuần trước", 0: "tuần này", 1: "tuần sau", 2: "tuần sau nữa"}


def _week(today: date, offset: int) -> tuple[date, date]:
    monday = today - timedelta(days=today.weekday()) + timedelta(weeks=offset)
    return monday, monday + timedelta(days=6)


def parse_date_words(text: str, today: date) -> DateRange | None:
    """The date range a question asks about, or None when it names no date.

    >>> parse_date_words("tuần sau khám ở đâu", date(2026, 11, 25)).label
    'tuần sau'
    """
    folded = fold(normalize(text))
    if not folded:
        return None
    week_offset, explicit_week = _week_words(folded)
    return (
        _named_day(folded, today, week_offset, explicit_week)
        or _weekend(folded, today, week_offset)
        or _relative_day(folded, today)
        or (_whole_week(today, week_offset) if explicit_week else None)
        or _month_words(folded, today)
        or _day_of_month_words(folded, today)
    )


def _week_words(folded: str) -> tuple[int, bool]:
    """Which week the text names (0 this, 1 next, 2 the one after, -1 last) and whether it names one."""
    week_offset = 0
    if re.search(r"\btuan\s+(sau|toi)\s+nua\b", folded):
        week_offset = 2  # "tuần sau nữa": the week after next, never this one
    elif re.search(r"\btuan\s+(sau|toi)\b", folded):
        week_offset = 1
    elif re.search(r"\btuan\s+truoc\b", folded):
        week_offset = -1
    return week_offset, week_offset != 0 or re.search(r"\btuan\s+nay\b", folded) is not None


def _named_day(folded: str, today: date, week_offset: int, explicit_week: bool) -> DateRange | None:
    """A typed date ("12/12") or a weekday ("thứ bảy", "chủ nhật tuần sau")."""
    m = _EXPLICIT.search(folded)
    if m:
        found = _explicit_date(int(m.group(1)), int(m.group(2)), m.group(3), today)
        if found:
            return DateRange(found, found, f"{WEEKDAY_NAMES[found.weekday()]} {_dm(found)}")
    m = _WEEKDAY.search(folded)
    if m:
        weekday = 6 if m.group(2) else _WEEKDAYS[m.group(1)]
        if explicit_week:
            monday, _ = _week(today, week_offset)
            day = monday + timedelta(days=weekday)
        else:
            day = today + timedelta(days=(weekday - today.weekday()) % 7)
        return DateRange(day, day, f"{WEEKDAY_NAMES[weekday]} {_dm(day)}")
    return None


def _weekend(folded: str, today: date, week_offset: int) -> DateRange | None:
    """"cuối tuần" (this one from today on), "cuối tuần sau"."""
    if not re.search(r"\bcuoi\s+tuan\b", folded):
        return None
    monday, sunday = _week(today, week_offset)
    start = max(monday + timedelta(days=5), today) if week_offset == 0 else monday + timedelta(days=5)
    return DateRange(start, sunday, "cuối " + _WEEK_LABELS[week_offset])


def _relative_day(folded: str, today: date) -> DateRange | None:
    """"hôm nay", "ngày mai", "ngày kia", "hôm qua"."""
    if re.search(r"\b(hom|bua|ngay)\s+nay\b", folded):
        return DateRange(today, today, f"hôm nay ({_dm(today)})")
    if re.search(r"\b(ngay|sang|chieu|toi)\s+mai\b|^mai\b", folded):
        day = today + timedelta(days=1)
        return DateRange(day, day, f"ngày mai ({_dm(day)})")
    if re.search(r"\bngay\s+(kia|mot)\b", folded):
        day = today + timedelta(days=2)
        return DateRange(day, day, f"ngày kia ({_dm(day)})")
    if re.search(r"\b(hom|bua)\s+qua\b", folded):
        day = today - timedelta(days=1)
        return DateRange(day, day, f"hôm qua ({_dm(day)})")
    return None


def _whole_week(today: date, week_offset: int) -> DateRange:
    """"tuần này" (from today on), "tuần sau", "tuần trước"."""
    monday, sunday = _week(today, week_offset)
    if week_offset == 0:
        return DateRange(today, sunday, "tuần này")
    return DateRange(monday, sunday, _WEEK_LABELS[week_offset])


def _month_words(folded: str, today: date) -> DateRange | None:
    """"tháng 12", "tháng mười hai", "tháng sau", "tháng này", "tháng trước"."""
    m = _MONTH_NUM.search(folded)
    if m and 1 <= int(m.group(1)) <= 12:
        return _month_of(int(m.group(1)), today)
    m = _MONTH_WORD.search(folded)
    if m and m.group(1) not in ("sau", "truoc", "toi", "nay"):
        return _month_of(_MONTH_WORDS[m.group(1)], today)
    if re.search(r"\bthang\s+(sau|toi)\b", folded):
        year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
        return _month_range(year, month, today, f"tháng {month}/{year}")
    if re.search(r"\bthang\s+nay\b", folded):
        last = calendar.monthrange(today.year, today.month)[1]
        return DateRange(today, date(today.year, today.month, last), "tháng này")
    if re.search(r"\bthang\s+truoc\b", folded):
        year, month = (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)
        return _month_range(year, month, today, f"tháng {month}/{year}")
    return None


def _day_of_month_words(folded: str, today: date) -> DateRange | None:
    """"ngày 5": the next 5th of a month."""
    m = _DAY_ONLY.search(folded)
    if m and 1 <= int(m.group(1)) <= 31:
        dom = _day_of_month(int(m.group(1)), today)
        if dom:
            return DateRange(dom, dom, f"{WEEKDAY_NAMES[dom.weekday()]} {_dm(dom)}")
    return None


def _explicit_date(day: int, month: int, year_text: str | None, today: date) -> date | None:
    """A typed D/M[/Y]; without a year, the next such date (a month's grace for the past)."""
    try:
        if year_text:
            year = int(year_text)
            if year < 100:
                year += 2000
            return date(year, month, day)
        found = date(today.year, month, day)
    except ValueError:
        return None
    if found < today - timedelta(days=31):
        try:
            found = date(today.year + 1, month, day)
        except ValueError:
            return None
    return found


def _day_of_month(day: int, today: date) -> date | None:
    """"ngày 5": the 5th of this month, or of next month when it has passed."""
    year, month = today.year, today.month
    for _ in range(3):
        try:
            found = date(year, month, day)
        except ValueError:
            found = None
        if found and found >= today:
            return found
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None
