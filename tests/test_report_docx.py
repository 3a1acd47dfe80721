"""The .docx follows the Nghị định 30/2020 layout rules the spec lists."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from bot.config import Settings
from bot.reports.model import build_report
from bot.reports.output import render
from bot.reports.periods import parse_quarter
from bot.store import Store
from tests.report_fixtures import fill_known_store


@pytest.fixture(scope="module")
def docx_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = tmp_path_factory.mktemp("docx") / "loa.db"
    settings = Settings(db=path, secret_key="k", report_signer_name="Nguyễn Văn A", _env_file=None)  # type: ignore[call-arg]
    from bot.reference import ensure_reference_data

    store = Store.open(path)
    ensure_reference_data(store, settings)
    fill_known_store(store, settings)
    now = datetime(2026, 11, 5, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    data = render(build_report(store, settings, parse_quarter("2026-Q4"), now=now), "docx")
    store.close()
    return data


@pytest.fixture
def doc(docx_bytes: bytes):  # noqa: ANN201 - python-docx Document
    return Document(io.BytesIO(docx_bytes))


def _mm(length: int) -> float:
    return round(length / Mm(1), 1)


def test_a4_portrait_and_margins(doc) -> None:  # noqa: ANN001
    sec = doc.sections[0]
    assert (_mm(sec.page_width), _mm(sec.page_height)) == (210.0, 297.0)
    assert 20 <= _mm(sec.top_margin) <= 25 and 20 <= _mm(sec.bottom_margin) <= 25
    assert 30 <= _mm(sec.left_margin) <= 35 and 15 <= _mm(sec.right_margin) <= 20


def _runs(doc):  # noqa: ANN001, ANN202
    for p in doc.paragraphs:
        yield p, list(p.runs)
    for t in doc.tables:
        for row in t.rows:
            for cell in row.cells:
                for p in cell.paragraphs:
                    yield p, list(p.runs)


def test_every_run_is_times_new_roman_11_to_14(doc) -> None:  # noqa: ANN001
    for _, runs in _runs(doc):
        for run in runs:
            if not run.text:
                continue
            assert run.font.name == "Times New Roman", run.text
            assert run._r.rPr.rFonts.get(qn("w:eastAsia")) == "Times New Roman"
            assert Pt(11) <= run.font.size <= Pt(14), run.text


def test_body_paragraphs_are_14pt_with_first_line_indent(doc) -> None:  # noqa: ANN001
    body = [p for p in doc.paragraphs if p.text.startswith(("Loa là hệ thống", "Loa đã phục vụ"))]
    assert len(body) == 2
    for p in body:
        assert all(r.font.size == Pt(14) for r in p.runs)
        assert (
            p.paragraph_format.first_line_indent is not None
            and p.paragraph_format.first_line_indent >= Mm(10)
        )


def _cell_paragraph(doc, text: str):  # noqa: ANN001, ANN202
    header = doc.tables[0]
    for row in header.rows:
        for cell in row.cells:
            for p in cell.paragraphs:
                if p.text == text:
                    return p
    raise AssertionError(f"{text!r} not in the header block")


def test_national_title_and_motto_with_a_line(doc) -> None:  # noqa: ANN001
    nation = _cell_paragraph(doc, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert all(r.bold and Pt(12) <= r.font.size <= Pt(13) for r in nation.runs)
    motto = _cell_paragraph(doc, "Độc lập - Tự do - Hạnh phúc")
    assert all(r.bold and Pt(13) <= r.font.size <= Pt(14) for r in motto.runs)
    assert motto.alignment == 1  # centred
    # The rule is a paragraph of its own under the tiêu ngữ (so the motto keeps its full width).
    rule = motto._p.getnext()
    bottom = rule.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert bottom.get(qn("w:val")) == "single" and not "".join(rule.itertext()).strip()


def test_issuer_top_left_with_number_and_date(doc) -> None:  # noqa: ANN001
    left = " ".join(doc.tables[0].rows[0].cells[0].text.split())
    assert "ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG" in left and "SỞ Y TẾ" in left
    issuer = _cell_paragraph(doc, "SỞ Y TẾ")
    assert issuer.runs[0].bold and issuer._p.getnext().pPr.find(qn("w:pBdr")) is not None
    assert doc.tables[0].rows[1].cells[0].text.startswith("Số:") and doc.tables[0].rows[1].cells[
        0
    ].text.endswith("/BC-SYT")
    date = _cell_paragraph(doc, "Hải Phòng, ngày 05 tháng 11 năm 2026")
    assert date.runs[0].italic


def test_page_numbers_from_page_two(doc) -> None:  # noqa: ANN001
    sec = doc.sections[0]
    assert sec.different_first_page_header_footer
    assert "PAGE" in "".join(t.text for t in sec.header._element.iter(qn("w:instrText")))
    assert not list(sec.first_page_header._element.iter(qn("w:instrText")))


def test_sections_numbered_tables_with_bold_repeated_header(doc) -> None:  # noqa: ANN001
    texts = [p.text for p in doc.paragraphs]
    for n in range(1, 8):
        assert any(t.startswith(f"{n}. ") for t in texts), n
    data_tables = doc.tables[1:-1]
    assert data_tables
    for t in data_tables:
        assert t.style.name == "Table Grid"
        header = t.rows[0]
        assert header._tr.trPr.find(qn("w:tblHeader")) is not None
        assert all(r.bold for c in header.cells for p in c.paragraphs for r in p.runs)


def test_signer_block(doc) -> None:  # noqa: ANN001
    sign = doc.tables[-1]
    assert sign.rows[0].cells[0].paragraphs[0].text == "Nơi nhận:"
    right = [p.text for p in sign.rows[0].cells[1].paragraphs if p.text]
    assert right == ["GIÁM ĐỐC", "Nguyễn Văn A"]
