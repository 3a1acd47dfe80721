"""The report as a clerk receives it: the .docx read back, and the PDF LibreOffice prints.

Checks issue 18's "Done means": the issuing body's lines are not split inside a word (each
line measured against its cell, breaks only between words and not inside a two-syllable word),
charts numbered 1, 2, 3 with a source line, no placeholder text, a signer or "DỰ THẢO".
"""

from __future__ import annotations

import io
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm
from openpyxl import load_workbook
from PIL import Image

from bot.config import Settings
from bot.reference import ensure_reference_data
from bot.reports import pdf
from bot.reports.charts import DPI, WIDTH_MM
from bot.reports.docx_layout import HEADER_CELL_PAD_MM
from bot.reports.fontmetrics import fits_without_breaking_words, text_width_mm
from bot.reports.model import build_report
from bot.reports.output import render
from bot.reports.periods import parse_year
from bot.store import Store
from tests.report_fixtures import fill_known_store

PLACEHOLDER = "(Người báo cáo bổ sung nội dung.)"
ISSUERS = {
    "cdc": ("Trung tâm Kiểm soát bệnh tật thành phố Hải Phòng", "", ""),
    "ls": ("BAN TUYÊN GIÁO VÀ DÂN VẬN TỈNH ỦY LẠNG SƠN", "KT. TRƯỞNG BAN", "Hoàng Văn C"),
}


@pytest.fixture(scope="module", params=sorted(ISSUERS))
def case(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict:
    issuer, authority, name = ISSUERS[request.param]
    path = tmp_path_factory.mktemp("print") / "loa.db"
    settings = Settings(  # type: ignore[call-arg]
        db=path,
        secret_key="k",
        report_issuer=issuer,
        report_signer_authority=authority,
        report_signer_title="PHÓ TRƯỞNG BAN" if authority else "GIÁM ĐỐC",
        report_signer_name=name,
        _env_file=None,
    )
    store = Store.open(path)
    ensure_reference_data(store, settings)
    fill_known_store(store, settings)
    now = datetime(2026, 11, 5, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    report = build_report(store, settings, parse_year(2026), now=now)
    files = {fmt: render(report, fmt) for fmt in ("docx", "xlsx", "md", "html")}
    store.close()
    return {"key": request.param, "issuer": issuer.upper(), "report": report, "files": files, "name": name}


def _issuer_paragraph(doc, issuer: str):  # noqa: ANN001, ANN202
    cell = doc.tables[0].rows[0].cells[0]
    for p in cell.paragraphs:
        if " ".join(p.text.split()) == issuer:
            return cell, p
    raise AssertionError(f"{issuer!r} not found in the header's left cell")


def test_issuer_lines_fit_their_cell_and_break_only_between_words(case: dict) -> None:
    doc = Document(io.BytesIO(case["files"]["docx"]))
    cell, para = _issuer_paragraph(doc, case["issuer"])
    lines = para.text.split("\n")  # our own line breaks (w:br)
    assert " ".join(lines).split() == case["issuer"].split()  # every word whole, in order
    size = para.runs[0].font.size.pt
    width_mm = int(cell._tc.tcPr.find(qn("w:tcW")).get(qn("w:w"))) / Mm(1).twips - 2 * HEADER_CELL_PAD_MM
    assert all(text_width_mm(line, size, bold=True) <= width_mm for line in lines), (lines, width_mm)
    assert len(lines) <= 2 and 12 <= size <= 13
    assert fits_without_breaking_words(case["issuer"], width_mm, size, bold=True)
    # The short rule under it: a third of the name's printed width.
    rule = para._p.getnext()
    indents = rule.pPr.find(qn("w:ind"))
    rule_mm = width_mm - (int(indents.get(qn("w:left"))) + int(indents.get(qn("w:right")))) / Mm(1).twips
    widest = max(text_width_mm(line, size, bold=True) for line in lines)
    assert abs(rule_mm - widest / 3) < 1.0


def test_charts_numbered_in_order_at_print_size_with_a_source(case: dict) -> None:
    doc = Document(io.BytesIO(case["files"]["docx"]))
    texts = [p.text for p in doc.paragraphs]
    numbers = [int(m[1]) for t in texts if (m := re.match(r"Biểu đồ (\d+)\.", t))]
    assert numbers == [1, 2, 3]
    for i, t in enumerate(texts):
        if t.startswith("Biểu đồ"):
            assert "theo tháng" in t and "theo tuần" not in t  # a yearly report buckets by month
            assert texts[i + 1].startswith("Nguồn: số liệu do hệ thống Loa ghi nhận")
    for shape in doc.inline_shapes:
        assert abs(shape.width / Mm(1) - WIDTH_MM) < 0.5  # placed at 100 %
    for chart in case["report"].charts:
        width_px = Image.open(io.BytesIO(chart.png())).size[0]
        assert abs(width_px / DPI * 25.4 - WIDTH_MM) < 1  # drawn at that very width


def test_no_placeholder_and_a_signer_or_draft_in_every_format(case: dict) -> None:
    doc = Document(io.BytesIO(case["files"]["docx"]))
    body = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        c.text for t in doc.tables for r in t.rows for c in r.cells
    )
    md, html = case["files"]["md"].decode(), case["files"]["html"].decode()
    wb = load_workbook(io.BytesIO(case["files"]["xlsx"]))
    cells = " ".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None)
    for text in (body, md, html, cells):
        assert PLACEHOLDER not in text
        if text is not cells:  # the workbook holds the tables only
            assert "a) Khó khăn, vướng mắc" in text and "b) Kiến nghị, đề xuất" in text
        if case["name"]:
            assert case["name"] in text and "DỰ THẢO" not in text
        else:
            assert "DỰ THẢO" in text
    assert "tính đến ngày 05/11/2026" in body  # the year is not over
    assert "+" not in md.split("## 6.")[1].split("## 7.")[0]  # no "(+1.966)" against an empty year


def test_xlsx_prints_on_a4_with_one_font_and_thousands(case: dict) -> None:
    wb = load_workbook(io.BytesIO(case["files"]["xlsx"]))
    for ws in wb:
        assert int(ws.page_setup.paperSize) == 9 and int(ws.page_setup.fitToWidth) == 1  # 9: A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        fonts = {c.font.name for row in ws.iter_rows() for c in row if c.value is not None}
        assert fonts == {"Times New Roman"}
    wide = wb["1b_xa"]
    assert wide.page_setup.orientation == "landscape" and wide.print_title_rows.replace("$", "") == "2:2"
    assert wide["B3"].number_format.endswith("#,##0")
    assert wb["2a_tuong_tac"].page_setup.orientation == "portrait"


@pytest.mark.libreoffice
def test_libreoffice_prints_the_issuer_whole_and_the_charts_numbered(case: dict, tmp_path: Path) -> None:
    if not pdf.available():
        pytest.skip("LibreOffice (soffice) or poppler (pdftotext, pdftoppm) is not installed")
    docx = tmp_path / "bao-cao.docx"
    docx.write_bytes(case["files"]["docx"])
    text = pdf.pdf_text(pdf.to_pdf(docx, tmp_path))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    issuer = Document(io.BytesIO(case["files"]["docx"]))
    _, para = _issuer_paragraph(issuer, case["issuer"])
    for line in para.text.split("\n"):
        # Each issuer line is printed whole on one line of the page (beside the quốc hiệu).
        assert any(line in printed for printed in lines), line
    assert [int(n) for n in re.findall(r"Biểu đồ (\d+)\.", text)] == [1, 2, 3]
    assert PLACEHOLDER not in text
    assert ("DỰ THẢO" in text) != bool(case["name"])
    xlsx = tmp_path / "bao-cao.xlsx"
    xlsx.write_bytes(case["files"]["xlsx"])
    sheet_text = pdf.pdf_text(pdf.to_pdf(xlsx, tmp_path))
    # Vietnamese number display whatever the machine's locale: a decimal comma (the reply
    # time in seconds), so thousands print with a dot.
    assert re.search(r"\b\d+,\d\b", sheet_text)
