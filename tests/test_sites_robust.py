"""Odd input never breaks the site feature: random files, random questions, intent edges."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from bot.errors import DataFileError
from bot.sites.importer import import_schedule
from bot.sites.intent import is_bare_place, is_site_question
from bot.sites.lookup import parse_query
from bot.store import Store

HEADER = "don_vi,ten_diem,dia_chi,loai,ngay,gio_bat_dau,gio_ket_thuc,vi_do,kinh_do,doi_tuong,lien_he,ghi_chu\n"
CELL = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300))
def test_random_bytes_give_a_report_or_a_clear_error(store: Store, tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes(data)
    try:
        report = import_schedule(store, path, province="Hải Phòng", dry_run=True)
    except DataFileError as exc:
        assert str(exc)
    else:
        assert not report.ok or report.rows >= 0


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(CELL, min_size=0, max_size=14), min_size=1, max_size=5))
def test_random_rows_under_a_good_header(store: Store, tmp_path: Path, rows: list[list[str]]) -> None:
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    path = tmp_path / "rows.csv"
    path.write_text(HEADER + buf.getvalue(), encoding="utf-8")
    try:
        report = import_schedule(store, path, province="Hải Phòng", dry_run=True)
    except DataFileError:
        return
    for problem in report.problems:
        assert problem.line >= 0 and problem.reason


@hsettings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=80))
def test_parse_query_never_raises(store: Store, text: str) -> None:
    from datetime import date

    parse_query(store, text, today=date(2026, 11, 25), province="Hải Phòng")


@pytest.mark.parametrize(
    "text",
    [
        "điểm khám ở đâu",
        "lịch khám phường Lê Chân",
        "bao giờ khám ở xã mình",
        "khám lưu động ngày mai",
        "tuần này khám ở đâu",
        "KHAM O DAU",
        "kham suc khoe mien phi o dau",
        "ngày nào khám vậy",
    ],
)
def test_site_questions(text: str) -> None:
    assert is_site_question(text)


@pytest.mark.parametrize(
    "text",
    [
        "khám có mất tiền không",
        "đi khám cần mang gì",
        "cài vneid ở đâu",
        "tích hợp bhyt vào vneid",
        "xem kết quả khám ở đâu",
        "có link đăng ký khám không",
        "",
        "xin chào",
    ],
)
def test_not_site_questions(text: str) -> None:
    assert not is_site_question(text)


def test_bare_place() -> None:
    assert is_bare_place("Kẻ Sặt") and is_bare_place("p. le chan")
    assert not is_bare_place("") and not is_bare_place("một hai ba bốn năm sáu bảy tám")
    assert not is_bare_place("vneid Lê Chân")
