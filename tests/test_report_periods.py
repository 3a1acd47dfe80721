"""Report periods, official dates and filing deadlines."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.reports.periods import (
    PeriodError,
    choose_period,
    due_reports,
    official_date,
    parse_date,
    parse_quarter,
    parse_year,
    quarterly_due,
)


@pytest.mark.parametrize("text", ["2026-Q4", "2026Q4", "q4-2026", "Q4/2026", " 2026 q4 "])
def test_quarter_forms(text: str) -> None:
    p = parse_quarter(text)
    assert (p.start, p.end, p.label, p.slug) == (
        date(2026, 10, 1),
        date(2026, 12, 31),
        "quý IV năm 2026",
        "2026-Q4",
    )


def test_quarter_bounds_are_local_midnights() -> None:
    p = parse_quarter("2026-Q1")
    assert p.end == date(2026, 3, 31)
    assert p.utc_bounds("Asia/Ho_Chi_Minh") == ("2025-12-31T17:00:00", "2026-03-31T17:00:00")
    assert p.previous().slug == "2025-Q4"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "choose a period"),
        ({"year": 2026, "quarter": "2026-Q1"}, "choose only one period"),
        ({"quarter": "2026-Q5"}, "1-4"),
        ({"quarter": "fourth"}, "write it like 2026-Q4"),
        ({"year": "20x6"}, "write it like 2026"),
        ({"year": 1999}, "out of range"),
        ({"start": "01/10/2026"}, "go together"),
        ({"start": "31/12/2026", "end": "01/10/2026"}, "before --from"),
        ({"start": "31/02/2026", "end": "01/03/2026"}, "not a real date"),
        ({"start": "tomorrow", "end": "01/03/2026"}, "write it like 05/10/2026"),
    ],
)
def test_period_errors_are_clear(kwargs: dict, message: str) -> None:
    with pytest.raises(PeriodError, match=message):
        choose_period(**kwargs)


def test_custom_range_and_year() -> None:
    p = choose_period(start="1/10/2026", end="2026-11-15")
    assert (p.start, p.end, p.days) == (date(2026, 10, 1), date(2026, 11, 15), 46)
    assert p.label == "từ ngày 01/10/2026 đến ngày 15/11/2026"
    assert p.previous().end == date(2026, 9, 30) and p.previous().days == 46
    assert parse_year("2026").label == "năm 2026"
    assert parse_date("05-01-2027") == date(2027, 1, 5)


def test_official_date_pads_days_and_only_january_february() -> None:
    assert official_date(date(2027, 1, 5), "Hải Phòng") == "Hải Phòng, ngày 05 tháng 01 năm 2027"
    assert official_date(date(2026, 2, 28), "Lạng Sơn") == "Lạng Sơn, ngày 28 tháng 02 năm 2026"
    assert official_date(date(2026, 3, 9), "Hải Phòng") == "Hải Phòng, ngày 09 tháng 3 năm 2026"
    assert official_date(date(2026, 11, 25), "Hải Phòng") == "Hải Phòng, ngày 25 tháng 11 năm 2026"


def test_due_dates_follow_the_letters() -> None:
    assert quarterly_due(2026, 4) == date(2027, 1, 5)
    assert quarterly_due(2026, 1) == date(2026, 4, 5)
    hp = due_reports(date(2026, 11, 25), "Hải Phòng")
    assert [(r.period.slug, r.due) for r in hp] == [("2026-Q4", date(2027, 1, 5))]
    early = due_reports(date(2026, 10, 2), "Hải Phòng")
    assert [(r.period.slug, r.due) for r in early] == [
        ("2026-Q3", date(2026, 10, 5)),
        ("2026-Q4", date(2027, 1, 5)),
    ]
    ls = due_reports(date(2026, 11, 25), "Lạng Sơn")
    assert [(r.period.slug, r.due, r.days_left(date(2026, 11, 25))) for r in ls] == [
        ("2026", date(2026, 12, 5), 10)
    ]
    assert due_reports(date(2026, 12, 5), "Lạng Sơn")[0].period.year == 2027
    assert len(due_reports(date(2026, 11, 25), "Đà Nẵng")) == 2


@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)), st.integers(min_value=0, max_value=800))
def test_buckets_cover_the_period_exactly_once(start: date, length: int) -> None:
    from bot.reports.periods import Period, buckets

    period = Period("range", start, start + timedelta(days=length))
    spans = buckets(period)
    assert spans[0][1] == period.start and spans[-1][2] == period.end
    for (_, _, hi), (_, lo, _) in itertools.pairwise(spans):
        assert lo == hi + timedelta(days=1)
    assert all(lo <= hi for _, lo, hi in spans)


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_num_groups_thousands_with_dots(n: int) -> None:
    from bot.reports.model import num

    text = num(n)
    assert int(text.replace(".", "")) == n
    assert all(len(g) == 3 for g in text.lstrip("-").split(".")[1:])


@given(st.integers(min_value=2000, max_value=2100), st.integers(min_value=1, max_value=4))
def test_quarters_tile_the_year(year: int, quarter: int) -> None:
    from bot.reports.periods import quarter_period

    p = quarter_period(year, quarter)
    assert parse_quarter(p.slug) == p
    assert p.previous().end + timedelta(days=1) == p.start
    assert quarterly_due(year, quarter) > p.end


def test_officers_and_schedule_files_share_one_day_reader() -> None:
    """The same typed day means the same date in a report command and a schedule file."""
    from bot.dates import NoSuchDay, NotADate, parse_day
    from bot.sites.validate import parse_date as schedule_day

    for typed in ("05/12/2026", "5/12/2026", "05-12-2026", "05.12.2026", "2026-12-05", "05/12/26"):
        assert parse_day(typed) == parse_date(typed) == schedule_day(typed) == date(2026, 12, 5)
    with pytest.raises(NoSuchDay):
        parse_day("31/02/2026")
    with pytest.raises(NotADate):
        parse_day("mai")
