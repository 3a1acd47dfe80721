"""Vietnamese date words → date ranges, with an injected "today"."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.sites.dates import parse_date_words

TODAY = date(2026, 11, 25)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("hôm nay khám ở đâu", "2026-11-25", "2026-11-25"),
        ("hom nay", "2026-11-25", "2026-11-25"),
        ("ngày mai có khám không", "2026-11-26", "2026-11-26"),
        ("mai kham o dau", "2026-11-26", "2026-11-26"),
        ("ngày kia", "2026-11-27", "2026-11-27"),
        ("hôm qua", "2026-11-24", "2026-11-24"),
        ("thứ bảy", "2026-11-28", "2026-11-28"),
        ("thu 7", "2026-11-28", "2026-11-28"),
        ("T7 khám ko", "2026-11-28", "2026-11-28"),
        ("thứ tư", "2026-11-25", "2026-11-25"),  # today is that weekday
        ("thứ hai", "2026-11-30", "2026-11-30"),
        ("chủ nhật", "2026-11-29", "2026-11-29"),
        ("thứ bảy tuần sau", "2026-12-05", "2026-12-05"),
        ("cuối tuần", "2026-11-28", "2026-11-29"),
        ("tuần này", "2026-11-25", "2026-11-29"),
        ("tuần sau", "2026-11-30", "2026-12-06"),
        ("tuan toi", "2026-11-30", "2026-12-06"),
        ("tuần trước", "2026-11-16", "2026-11-22"),
        ("tháng 12", "2026-12-01", "2026-12-31"),
        ("thang 1", "2027-01-01", "2027-01-31"),
        ("tháng chạp", "2026-12-01", "2026-12-31"),
        ("tháng này", "2026-11-25", "2026-11-30"),
        ("tháng sau", "2026-12-01", "2026-12-31"),
        ("12/12", "2026-12-12", "2026-12-12"),
        ("ngày 12/12 khám ở đâu", "2026-12-12", "2026-12-12"),
        ("12-12-2026", "2026-12-12", "2026-12-12"),
        ("5/1", "2027-01-05", "2027-01-05"),
        ("ngày 5", "2026-12-05", "2026-12-05"),
        ("ngày 28", "2026-11-28", "2026-11-28"),
    ],
)
def test_date_words(text: str, start: str, end: str) -> None:
    found = parse_date_words(text, TODAY)
    assert found is not None, text
    assert (found.start.isoformat(), found.end.isoformat()) == (start, end)
    assert found.label


@pytest.mark.parametrize("text", ["", "khám ở đâu", "điểm khám Kẻ Sặt", "31/02", "một hai ba", "thứ", "tháng 13"])
def test_no_date(text: str) -> None:
    assert parse_date_words(text, TODAY) is None


def test_year_end_rollover() -> None:
    assert parse_date_words("tháng sau", date(2026, 12, 20)).start == date(2027, 1, 1)  # type: ignore[union-attr]
    assert parse_date_words("tuần sau", date(2026, 12, 30)).end == date(2027, 1, 10)  # type: ignore[union-attr]


@given(st.text(max_size=60))
def test_never_raises(text: str) -> None:
    found = parse_date_words(text, TODAY)
    assert found is None or found.start <= found.end


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        ("tuần sau nữa khám ở đâu", date(2026, 12, 14), date(2026, 12, 20), "tuần sau nữa"),
        ("tuan sau nua kham o dau", date(2026, 12, 14), date(2026, 12, 20), "tuần sau nữa"),
        ("cuối tuần sau nữa", date(2026, 12, 19), date(2026, 12, 20), "cuối tuần sau nữa"),
        ("tuần sau", date(2026, 12, 7), date(2026, 12, 13), "tuần sau"),
    ],
)
def test_week_after_next_is_not_next_week(text: str, start: date, end: date, label: str) -> None:
    found = parse_date_words(text, date(2026, 12, 3))  # a Thursday
    assert found is not None and (found.start, found.end, found.label) == (start, end, label)
