"""The .docx renderer, laid out per Nghị định 30/2020/NĐ-CP (Phụ lục I).

A4 portrait; margins top/bottom 20 mm, left 30 mm, right 15 mm; Times New Roman 14 body
(13 in the header block, 12–13 in tables); issuing body top left with a short line
under it; quốc hiệu bold capitals 12 and tiêu ngữ bold 13 with a line of its own length;
số/ký hiệu under the issuing body and place/date (italic) under the tiêu ngữ; numbered
sections; tables with a repeated header row; page numbers centred in the header from
page 2 (a PAGE field in a different-first-page header); "Nơi nhận" and signer block.
"""

from __future__ import annotations

import io
from datetime import UTC
from typing import Any

from bot.reports.docx_layout import (
    BODY_PT,
    FONT,
    HEADER_PT,
    MARGINS_MM,
    PAGE_MM,
    TEXT_WIDTH_MM,
    bottom_line,
    draft_mark,
    font,
    header_block,
    para,
    signature_block,
)
from bot.reports.model import Report, Section, Table

TABLE_PT = 13
WIDE_TABLE_PT = 12  # tables with many columns
NOTE_PT = 12


def render_docx(report: Report, *, charts: bool = True) -> bytes:
    """The report as a .docx document (bytes)."""
    from docx import Document

    doc = Document()
    _setup_page(doc)
    _properties(doc, report)
    if report.draft:
        draft_mark(doc)
    header_block(doc, report)
    _title(doc, report)
    for section in report.sections:
        _section(doc, section, charts=charts)
    signature_block(doc, report)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _properties(doc: Any, report: Report) -> None:
    """Title, author and dates of the file; dated by the report, not by the clock."""
    doc.core_properties.title = f"{report.title} {report.subject}"[:250]
    doc.core_properties.author = report.issuer
    doc.core_properties.last_modified_by = report.issuer
    # The same data gives the same file.
    stamp = report.generated_at.astimezone(UTC).replace(tzinfo=None, microsecond=0)
    doc.core_properties.created = doc.core_properties.modified = stamp
    doc.core_properties.revision = 1
    doc.core_properties.comments = "Loa — số liệu tính tự động từ cơ sở dữ liệu" + (
        " (DỮ LIỆU MẪU)" if report.demo else ""
    )


def _title(doc: Any, report: Report) -> None:
    """The demo banner (if any), "BÁO CÁO", the subject under its rule, period and area."""
    from docx.shared import Mm

    if report.demo:
        para(
            doc,
            "DỮ LIỆU MẪU (DEMO) — số liệu tạo tự động để minh họa, không dùng để báo cáo chính thức.",
            bold=True,
            italic=True,
            align="center",
            size=HEADER_PT,
        )
    para(doc, report.title, bold=True, align="center", space_before=12)
    subject = para(doc, report.subject, bold=True, align="center", space_after=0)
    subject.paragraph_format.left_indent = Mm(10)
    subject.paragraph_format.right_indent = Mm(10)
    line = para(doc, "", align="center", space_after=12)
    bottom_line(line, TEXT_WIDTH_MM, 45)
    para(doc, f"Kỳ báo cáo: {report.period_label}. Địa bàn: {report.area_label}.", indent=True)


def _section(doc: Any, section: Section, *, charts: bool) -> None:
    """A numbered section: its paragraphs, numbered tables with notes, and its chart."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    para(doc, f"{section.number}. {section.title}", bold=True, indent=True, space_before=6)
    for text in section.paragraphs:
        para(doc, text, indent=True, align="justify")
    for i, table in enumerate(section.tables, start=1):
        para(
            doc,
            f"Bảng {section.number}.{i}. {table.title}",
            bold=True,
            italic=True,
            size=TABLE_PT,
            space_before=6,
            keep_with_next=True,
        )
        _table(doc, table)
        if table.note and table.rows:
            para(doc, f"Ghi chú: {table.note}", italic=True, size=NOTE_PT, align="justify")
    if charts and section.chart:
        # Drawn at this very width, so its 9 pt labels print at 9 pt.
        doc.add_picture(io.BytesIO(section.chart.png()), width=Mm(TEXT_WIDTH_MM))
        doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        doc.paragraphs[-1].paragraph_format.keep_with_next = True
        para(doc, section.caption, bold=True, italic=True, align="center", size=TABLE_PT, space_after=0, keep_with_next=True)
        para(doc, section.chart.source, italic=True, align="center", size=NOTE_PT)


# --- page, fonts ---------------------------------------------------------------------------------


def _setup_page(doc: Any) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    sec.top_margin, sec.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    sec.left_margin, sec.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    sec.header_distance = sec.footer_distance = Mm(10)

    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    rfonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), FONT)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.0

    # Page numbers from page 2: centred PAGE field in the header; the first page's header is empty.
    sec.different_first_page_header_footer = True
    sec.first_page_header.is_linked_to_previous = False
    header_p = sec.header.paragraphs[0]
    header_p.alignment = 1  # centre
    _page_field(header_p)


def _page_field(paragraph: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def fld(kind: str) -> Any:
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        return el

    for part in ("begin", "instr", "separate", "value", "end"):
        run = paragraph.add_run()
        font(run, HEADER_PT)
        if part == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = " PAGE "
            run._r.append(instr)
        elif part == "value":
            run.text = "2"
        else:
            run._r.append(fld(part))


def _table(doc: Any, table: Table) -> None:
    """A data table, built as one XML fragment: python-docx's cell API is far too slow for
    a 114-commune table (it re-scans the row for every cell)."""
    from docx.oxml import parse_xml
    from docx.shared import Mm

    if not table.rows:
        para(doc, table.empty_text, italic=True, indent=True, size=TABLE_PT)
        return
    size = WIDE_TABLE_PT if len(table.columns) > 4 else TABLE_PT
    first = 55.0 if len(table.columns) > 4 else 95.0
    rest = (TEXT_WIDTH_MM - first) / max(len(table.columns) - 1, 1)
    widths = [int(Mm(w).twips) for w in [first] + [rest] * (len(table.columns) - 1)]
    style_id = doc.styles["Table Grid"].style_id
    text_rows = table.text_rows()
    rows = [_row_xml(table.columns, widths, size, bold=True, header=True)]
    for index, values in enumerate(text_rows):
        is_total = table.total is not None and index == len(text_rows) - 1
        rows.append(_row_xml(values, widths, size, bold=is_total))
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    xml = (
        f'<w:tbl {_NS}><w:tblPr><w:tblStyle w:val="{style_id}"/><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
        f'<w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1"'
        f' w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{"".join(rows)}</w:tbl>'
    )
    doc.element.body._insert_tbl(parse_xml(xml))
    para(doc, "", space_after=0)


_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _row_xml(values: list[str], widths: list[int], size: float, *, bold: bool, header: bool = False) -> str:
    from xml.sax.saxutils import escape

    half_points = int(size * 2)
    rpr = (
        f'<w:rPr><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>'
        + ("<w:b/>" if bold else '<w:b w:val="0"/>')
        + f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/></w:rPr>'
    )
    cells = []
    for col, (value, width) in enumerate(zip(values, widths, strict=True)):
        align = "center" if header else ("left" if col == 0 else "right")
        cells.append(
            f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr><w:p><w:pPr><w:spacing w:before="0" w:after="0"/>'
            f'<w:jc w:val="{align}"/></w:pPr><w:r>{rpr}<w:t xml:space="preserve">{escape(value)}</w:t></w:r></w:p></w:tc>'
        )
    # The header row repeats on every page the table runs over.
    trpr = '<w:trPr><w:tblHeader w:val="true"/></w:trPr>' if header else ""
    return f"<w:tr>{trpr}{''.join(cells)}</w:tr>"
