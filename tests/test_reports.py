"""Report figures from a store with known data, identical in md, html, docx and xlsx."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from docx import Document
from openpyxl import load_workbook

from bot.config import Settings
from bot.errors import LoaError
from bot.reports.model import Report, build_report, num
from bot.reports.output import make_report, render
from bot.reports.periods import parse_quarter, parse_year
from bot.store import Store
from tests.report_fixtures import EXPECTED, fill_known_store

NOW = datetime(2027, 1, 3, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.fixture(scope="module")
def module_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    path = tmp_path_factory.mktemp("reports") / "loa.db"
    return Settings(db=path, secret_key="test-secret-key", _env_file=None)  # type: ignore[call-arg]


@pytest.fixture(scope="module")
def known(module_settings: Settings) -> Iterator[Store]:
    """One store with the known data for the whole module (the tests only read it)."""
    from bot.reference import ensure_reference_data

    store = Store.open(module_settings.db)
    ensure_reference_data(store, module_settings)
    fill_known_store(store, module_settings)
    yield store
    store.close()


@pytest.fixture(scope="module")
def report(known: Store, module_settings: Settings) -> Report:
    # Module scope: the charts are drawn once and reused by every format test.
    return build_report(known, module_settings, parse_quarter("2026-Q4"), now=NOW)


def test_every_figure_matches_the_known_store(report: Report) -> None:
    for key, value in EXPECTED.items():
        assert report.figures[key] == value, key


def test_tables_hold_the_known_breakdowns(report: Report) -> None:
    tables = {t.key: t for t in report.tables}
    channels = {r[0]: r[1:] for r in tables["1a_kenh"].rows}
    assert channels["Telegram"] == [2, 2, 0, 1, 0, 200]
    assert channels["Zalo"] == [2, 2, 1, 0, 1, 1]
    assert channels["Web"] == [0, 0, 0, 0, 0, 0]
    assert tables["1a_kenh"].total == ["Tổng cộng", 2, 4, 1, 1, 1, 201]  # 2 distinct broadcasts
    units = {r[0]: r[1:] for r in tables["1b_xa"].rows}
    assert units["Lê Chân"] == [2, 4, 0, 1, 1, 201]
    assert units["Ngô Quyền"] == [0, 0, 1, 0, 0, 0]
    themes = {r[0]: r[1:] for r in tables["1c_chu_de"].rows}
    assert themes["Khám sức khỏe định kỳ, khám sàng lọc"] == [1, 2]
    assert themes["Cảnh báo lừa đảo"] == [1, 2]
    assert themes["VNeID, định danh điện tử"] == [0, 0]
    # A topic of the FAQ is named by its title; an unknown id gets a readable fallback.
    assert tables["2b_chu_de"].rows == [["Tài khoản định danh mức 2", 3], ["Khám có mất tiền không?", 2]]
    audiences = {r[0]: r[1:] for r in tables["3a_doi_tuong"].rows}
    assert audiences["Người cao tuổi"] == [1, 2, 200]
    assert audiences["Hộ nghèo, cận nghèo"] == [0, 0, 0]
    assert tables["3b_dia_ban"].rows == [["Lê Chân", 40.0, 4, 1, 5, 2]]
    verdicts = dict(map(tuple, tables["4b_ket_qua"].rows))
    assert verdicts["Lừa đảo"] == 2 and verdicts["Tin chính thức do Loa gửi"] == 1
    assert tables["4c_tin_don"].rows == [["Dữ liệu khám bị bán", 3]]
    kinds = {r[0]: r[1:] for r in tables["5a_hinh_thuc"].rows}
    assert kinds["Hội nghị, tọa đàm"] == [2, 150, 1]
    assert kinds["Tin, bài, chuyên mục, chuyên trang"] == [5, None, 1]  # articles have no attendees: "—"
    interest = {r[0]: r[1:] for r in tables["6a_quan_tam"].rows}
    assert interest["Tài khoản định danh mức 2"] == [3, 1, 2]
    assert interest["Tra cứu địa điểm, lịch khám"] == [5, 1, 4]  # r9 fell in Q3
    assert tables["6b_dien_bien"].total == ["Tổng cộng", EXPECTED["questions_total"]]


def test_official_date_and_subject(report: Report) -> None:
    assert report.place_date == "Hải Phòng, ngày 03 tháng 01 năm 2027"
    assert "quý IV năm 2026" in report.subject and "thành phố Hải Phòng" in report.subject
    assert report.number_line.endswith("/BC-SYT")


class _Tables(HTMLParser):
    """Collects each <table id=...> as rows of cell texts, and the page text."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.current: str | None = None
        self.cell: list[str] | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.current = dict(attrs).get("id") or ""
            self.tables[self.current] = []
        elif tag == "tr" and self.current is not None:
            self.tables[self.current].append([])
        elif tag in ("td", "th") and self.current is not None:
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None and self.current is not None:
            self.tables[self.current][-1].append("".join(self.cell).strip())
            self.cell = None
        elif tag == "table":
            self.current = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self.cell is not None:
            self.cell.append(data)


def test_markdown_shows_every_table_row_and_paragraph(report: Report) -> None:
    md = render(report, "md").decode("utf-8")
    for section in report.sections:
        assert f"## {section.number}. {section.title}" in md
        for p in section.paragraphs:
            assert p in md
        for table in section.tables:
            for row in table.text_rows():
                assert "| " + " | ".join(row) + " |" in md, (table.key, row)
    assert "**4.1. Chỉ tiêu đấu tranh, phản bác**" in md


def test_html_shows_every_table_and_embeds_charts(report: Report) -> None:
    html = render(report, "html").decode("utf-8")
    parser = _Tables()
    parser.feed(html)
    text = "".join(parser.text)
    for section in report.sections:
        for p in section.paragraphs:
            assert p in text
        for table in section.tables:
            rows = parser.tables[f"t-{table.key}"]
            assert rows[0] == table.columns
            if table.rows:
                assert rows[1:] == table.text_rows()
    assert html.count('src="data:image/png;base64,') == 3


def _docx_tables(data: bytes) -> tuple[list[list[list[str]]], str]:
    doc = Document(io.BytesIO(data))
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]
    text = "\n".join(p.text for p in doc.paragraphs)
    return tables, text


def test_docx_shows_every_table_and_paragraph(report: Report) -> None:
    data = render(report, "docx")
    tables, text = _docx_tables(data)
    # First table: the header block; last: the signature block; between: the non-empty data tables.
    data_tables = [t for t in report.tables if t.rows]
    assert len(tables) == len(data_tables) + 2
    for expected, got in zip(data_tables, tables[1:-1], strict=True):
        assert got[0] == expected.columns
        assert got[1:] == expected.text_rows()
    for section in report.sections:
        assert f"{section.number}. {section.title}" in text
        for p in section.paragraphs:
            assert p in text
    assert len(Document(io.BytesIO(data)).inline_shapes) == 3


def test_xlsx_has_one_sheet_per_table_with_raw_numbers(report: Report) -> None:
    wb = load_workbook(io.BytesIO(render(report, "xlsx")))
    assert wb.sheetnames[0] == "Thong_tin"
    assert wb.sheetnames[1:] == [t.key for t in report.tables]
    for table in report.tables:
        ws = wb[table.key]
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        assert rows[1] == table.columns
        expected = [["—" if v is None else v for v in r] for r in table.all_rows]  # "—": does not apply
        assert rows[2 : 2 + len(expected)] == expected
        assert all(v is None for r in rows[2 + len(expected) :] for v in r[1:])  # then only the note
    assert wb["1a_kenh"]["G6"].value == 201  # estimated reach, total row, a number


def test_figures_identical_across_formats(report: Report) -> None:
    reach = num(EXPECTED["estimated_reach"])
    md = render(report, "md").decode()
    html = render(report, "html").decode()
    _, docx_text = _docx_tables(render(report, "docx"))
    sentence = f"ước tính tiếp cận {reach} người dân"
    assert sentence in md and sentence in html and sentence in docx_text
    assert "tỷ lệ thành công 80,0%" in md and "tỷ lệ thành công 80,0%" in docx_text


def test_empty_period_is_zeros_not_an_error(known: Store, module_settings: Settings) -> None:
    rep = build_report(known, module_settings, parse_year(2024), now=NOW)
    for key, value in rep.figures.items():
        if key in ("priority_units", "province_average_rate"):
            continue  # properties of units, not of the period
        assert value in (0, 0.0), key
    for fmt in ("md", "html", "docx", "xlsx"):
        assert render(rep, fmt)


def test_empty_source_tables_give_zeros(store: Store, settings: Settings) -> None:
    # Every migration creates these tables: empty, not absent, is the case to handle.
    for table in ("deliveries", "faq_unanswered", "activities"):
        store.conn.execute(f"DELETE FROM {table}")
    rep = build_report(store, settings, parse_quarter("2026-Q4"), now=NOW)
    assert rep.figures["deliveries_sent"] == 0 and rep.figures["activities"] == 0
    assert "Không có số liệu trong kỳ." in render(rep, "md").decode()


def test_unit_report_counts_only_that_unit(known: Store, module_settings: Settings) -> None:
    rep = make_report(known, module_settings, parse_quarter("2026-Q4"), unit="le chan", now=NOW)
    assert rep.unit == "Lê Chân" and rep.area_label == "phường Lê Chân"
    f = rep.figures
    assert (f["deliveries_sent"], f["deliveries_failed"], f["site_lookups"], f["messages_checked"]) == (
        4,
        0,
        4,
        0,
    )
    assert f["activities"] == 2 and f["priority_units"] == 1
    assert [r[0] for r in rep.tables[0].rows] == ["Zalo", "Telegram", "Web"]


def test_unknown_unit_is_a_clear_error(known: Store, module_settings: Settings) -> None:
    with pytest.raises(LoaError, match="unknown unit 'Atlantis'"):
        make_report(known, module_settings, parse_quarter("2026-Q4"), unit="Atlantis", now=NOW)


def test_notes_file_fills_section_7(known: Store, module_settings: Settings, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text(
        "Một số xã chưa có nhóm Zalo.\n\nĐề nghị bổ sung kinh phí in tờ gấp.\n", encoding="utf-8"
    )
    rep = make_report(known, module_settings, parse_quarter("2026-Q4"), notes=notes, now=NOW)
    assert rep.sections[6].paragraphs == [
        "Một số xã chưa có nhóm Zalo.",
        "Đề nghị bổ sung kinh phí in tờ gấp.",
    ]
    with pytest.raises(LoaError, match="notes file not found"):
        make_report(known, module_settings, parse_quarter("2026-Q4"), notes=tmp_path / "nope.txt", now=NOW)
