"""Report periods (quarter, year, custom range) and the filing deadlines of the official letters."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.dates import NoSuchDay, NotADate, parse_day
from bot.errors import LoaError

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


class PeriodError(LoaError):
    """A report period given on the command line cannot be understood."""


@dataclass(frozen=True)
class Period:
    """A closed range of local dates ``start`` … ``end`` (inclusive) and how it was asked for."""

    kind: str  # quarter | year | range
    start: date
    end: date
    year: int | None = None
    quarter: int | None = None

    @property
    def days(self) -> int:
        """Number of days in the period."""
        return (self.end - self.start).days + 1

    @property
    def slug(self) -> str:
        """Short id for file names: ``2026-Q4``, ``2026``, ``2026-10-01_2026-11-15``."""
        if self.kind == "quarter":
            return f"{self.year}-Q{self.quarter}"
        if self.kind == "year":
            return str(self.year)
        return f"{self.start.isoformat()}_{self.end.isoformat()}"

    @property
    def label(self) -> str:
        """Vietnamese name of the period: ``quý IV năm 2026``, ``năm 2026``, ``từ ngày … đến ngày …``."""
        if self.kind == "quarter":
            return f"quý {ROMAN[self.quarter or 1]} năm {self.year}"
        if self.kind == "year":
            return f"năm {self.year}"
        return f"từ ngày {short_date(self.start)} đến ngày {short_date(self.end)}"

    def previous(self) -> Period:
        """The period of the same length just before this one (for trends)."""
        if self.kind == "quarter" and self.year and self.quarter:
            y, q = (self.year, self.quarter - 1) if self.quarter > 1 else (self.year - 1, 4)
            return quarter_period(y, q)
        if self.kind == "year" and self.year:
            return year_period(self.year - 1)
        end = self.start - timedelta(days=1)
        return Period("range", end - timedelta(days=self.days - 1), end)

    def utc_bounds(self, tz: str) -> tuple[str, str]:
        """``[from, to)`` as stored UTC ISO strings: local midnight of start to local midnight after end."""
        zone = ZoneInfo(tz)
        lo = datetime.combine(self.start, time(0), zone).astimezone(UTC)
        hi = datetime.combine(self.end + timedelta(days=1), time(0), zone).astimezone(UTC)
        return lo.strftime("%Y-%m-%dT%H:%M:%S"), hi.strftime("%Y-%m-%dT%H:%M:%S")


def short_date(d: date) -> str:
    """``05/01/2026``: the dd/mm/yyyy form used in tables and period labels."""
    return d.strftime("%d/%m/%Y")


def official_date(d: date, place: str) -> str:
    """Place and date per Nghị định 30/2020: zero-padded days 1–9 and months 1–2 only.

    ``Hải Phòng, ngày 05 tháng 01 năm 2027`` but ``ngày 25 tháng 11 năm 2026``.
    """
    month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    return f"{place}, ngày {d.day:02d} tháng {month} năm {d.year}"


def quarter_period(year: int, quarter: int) -> Period:
    """The calendar quarter ``quarter`` (1–4) of ``year``."""
    if quarter not in ROMAN:
        raise PeriodError(f"quarter must be 1-4, got {quarter}", vi=f"Quý phải từ 1 đến 4 (đã nhập {quarter}).")
    start = date(year, 3 * quarter - 2, 1)
    end = date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1) - timedelta(days=1)
    return Period("quarter", start, end, year=year, quarter=quarter)


def year_period(year: int) -> Period:
    """The calendar year."""
    return Period("year", date(year, 1, 1), date(year, 12, 31), year=year)


_QUARTER_RES = (
    re.compile(r"^(?P<y>\d{4})\s*[-/ ]?\s*Q(?P<q>\d)$", re.I),
    re.compile(r"^Q(?P<q>\d)\s*[-/ ]?\s*(?P<y>\d{4})$", re.I),
)


def parse_quarter(text: str) -> Period:
    """``2026-Q4`` (also ``2026Q4``, ``Q4-2026``, ``q4/2026``) → the quarter."""
    raw = text.strip()
    for rx in _QUARTER_RES:
        m = rx.match(raw)
        if m:
            year, quarter = int(m["y"]), int(m["q"])
            _check_year(year)
            if quarter not in ROMAN:
                raise PeriodError(
                    f"quarter {raw!r}: the quarter number must be 1-4",
                    vi=f"Quý «{raw}» không có: số quý phải từ 1 đến 4, ví dụ 2026-Q4.",
                )
            return quarter_period(year, quarter)
    raise PeriodError(
        f"cannot read quarter {raw!r}: write it like 2026-Q4", vi=f"Không đọc được quý «{raw}»: viết dạng 2026-Q4."
    )


def parse_year(value: int | str) -> Period:
    """``2026`` → the year."""
    try:
        year = int(str(value).strip())
    except ValueError as exc:
        raise PeriodError(
            f"cannot read year {value!r}: write it like 2026", vi=f"Không đọc được năm «{value}»: viết dạng 2026."
        ) from exc
    _check_year(year)
    return year_period(year)


def _check_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise PeriodError(f"year {year} is out of range (2000-2100)", vi=f"Năm {year} nằm ngoài khoảng 2000–2100.")


def parse_date(text: str) -> date:
    """A date typed by an officer: ``DD/MM/YYYY`` (also ``D/M/YYYY``, ``DD-MM-YYYY``) or ``YYYY-MM-DD``."""
    raw = (text or "").strip()
    try:
        return parse_day(raw)
    except NoSuchDay as exc:
        raise PeriodError(f"{raw!r} is not a real date", vi=f"Ngày «{raw}» không có trên lịch.") from exc
    except NotADate:
        raise PeriodError(
            f"cannot read date {raw!r}: write it like 05/10/2026", vi=f"Không đọc được ngày «{raw}»: viết dạng 05/10/2026."
        ) from None


def parse_range(start: str, end: str) -> Period:
    """``--from`` … ``--to`` (both inclusive)."""
    lo, hi = parse_date(start), parse_date(end)
    if hi < lo:
        raise PeriodError(
            f"--to {short_date(hi)} is before --from {short_date(lo)}",
            vi=f"Ngày kết thúc {short_date(hi)} trước ngày bắt đầu {short_date(lo)}.",
        )
    _check_year(lo.year)
    _check_year(hi.year)
    return Period("range", lo, hi)


def choose_period(
    *,
    year: int | str | None = None,
    quarter: str | None = None,
    start: str | None = None,
    end: str | None = None,
) -> Period:
    """The one period the officer asked for; exactly one of year / quarter / from+to."""
    given = [name for name, v in (("--year", year), ("--quarter", quarter)) if v not in (None, "")]
    if start or end:
        given.append("--from/--to")
    if not given:
        raise PeriodError(
            "choose a period: --quarter 2026-Q4, --year 2026 or --from 01/10/2026 --to 31/12/2026",
            vi="Chọn kỳ báo cáo: một quý, một năm hoặc từ ngày… đến ngày….",
        )
    if len(given) > 1:
        raise PeriodError(f"choose only one period, got {' and '.join(given)}", vi="Chỉ chọn một kỳ báo cáo.")
    if quarter:
        return parse_quarter(quarter)
    if year not in (None, ""):
        return parse_year(year)  # type: ignore[arg-type]
    if not (start and end):
        raise PeriodError(
            "--from and --to go together (both dates, DD/MM/YYYY)",
            vi="Cần cả ngày bắt đầu và ngày kết thúc (DD/MM/YYYY).",
        )
    return parse_range(start, end)


def quarter_of(d: date) -> int:
    """Calendar quarter (1–4) of a date."""
    return (d.month - 1) // 3 + 1


# --- chart and trend buckets -----------------------------------------------------------------


def buckets(period: Period) -> list[tuple[str, date, date]]:
    """Chart/table buckets: Monday weeks (clipped to the period) up to ~4 months, months beyond."""
    out: list[tuple[str, date, date]] = []
    if period.days <= 124:
        lo = period.start
        while lo <= period.end:
            hi = min(lo + timedelta(days=6 - lo.weekday()), period.end)
            out.append((f"{lo:%d/%m}–{hi:%d/%m}", lo, hi))
            lo = hi + timedelta(days=1)
        return out
    y, m = period.start.year, period.start.month
    while date(y, m, 1) <= period.end:
        nxt = date(y + (m == 12), m % 12 + 1, 1)
        lo, hi = max(date(y, m, 1), period.start), min(nxt - timedelta(days=1), period.end)
        out.append((f"{m:02d}/{y}", lo, hi))
        y, m = nxt.year, nxt.month
    return out


def time_word(period: Period) -> str:
    """How the charts and the trend table bucket this period: ``theo tuần`` or ``theo tháng``."""
    return "theo tuần" if period.days <= 124 else "theo tháng"


def bucketize(period: Period, per_day: dict[str, int]) -> list[tuple[str, int]]:
    """Daily counts (ISO date → n) summed into :func:`buckets`."""
    rows = []
    for label, lo, hi in buckets(period):
        rows.append((label, sum(n for d, n in per_day.items() if lo.isoformat() <= d <= hi.isoformat())))
    return rows


# --- deadlines ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DueReport:
    """A report some authority expects: what period, for whom, and the deadline (exclusive)."""

    period: Period
    due: date  # the report must arrive *before* this date
    recipient: str
    basis: str

    def days_left(self, today: date) -> int:
        """Days from ``today`` to the deadline (negative when overdue)."""
        return (self.due - today).days


QUARTERLY_RULE = (
    "Hải Phòng",
    "Ủy ban nhân dân thành phố Hải Phòng",
    "báo cáo hằng quý, trước ngày 05 của tháng đầu quý tiếp theo",
)
YEARLY_RULE = (
    "Lạng Sơn",
    "Đảng ủy UBND tỉnh Lạng Sơn (qua Ban Tuyên giáo và Dân vận)",
    "báo cáo hằng năm, trước ngày 05/12",
)


def quarterly_due(year: int, quarter: int) -> date:
    """Deadline of a quarterly report: the 5th of the next quarter's first month."""
    return date(year + 1, 1, 5) if quarter == 4 else date(year, 3 * quarter + 1, 5)


def due_reports(today: date, province: str | None = None) -> list[DueReport]:
    """The reports to file next, soonest first: the quarter just ended (if its deadline
    has not passed) and the current one, and the yearly report of this year (or next).

    The quarterly rhythm comes from the Hải Phòng letters, the yearly one from Lạng Sơn; a
    province matching neither gets both.
    """
    rules = [r for r in (QUARTERLY_RULE, YEARLY_RULE) if province and r[0] == province] or [
        QUARTERLY_RULE,
        YEARLY_RULE,
    ]
    out: list[DueReport] = []
    for place, recipient, basis in rules:
        if place == QUARTERLY_RULE[0]:
            y, q = today.year, quarter_of(today)
            py, pq = (y, q - 1) if q > 1 else (y - 1, 4)
            for yy, qq in ((py, pq), (y, q)):
                due = quarterly_due(yy, qq)
                if due > today:
                    out.append(DueReport(quarter_period(yy, qq), due, recipient, basis))
        else:
            y = today.year if today < date(today.year, 12, 5) else today.year + 1
            out.append(DueReport(year_period(y), date(y, 12, 5), recipient, basis))
    return sorted(out, key=lambda r: r.due)
