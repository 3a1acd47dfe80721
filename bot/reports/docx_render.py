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

from bot.reports.model import Report, Table

FONT = "Times New Roman"
BODY_PT = 14
HEADER_PT = 13
NATIONAL_PT = 12
TABLE_PT = 13
WIDE_TABLE_PT = 12  # tables with many columns
PAGE_MM = (210, 297)
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
TEXT_WIDTH_MM = PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]
FIRST_LINE_INDENT_CM = 1.27

# Children of w:pPr that must follow w:pBdr (schema order), for a valid document.
_AFTER_PBDR = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


def render_docx(report: Report, *, charts: bool = True) -> bytes:
    """The report as a .docx document (bytes)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    doc = Document()
    _setup_page(doc)
    doc.core_properties.title = f"{report.title} {report.subject}"[:250]
    doc.core_properties.author = report.issuer
    doc.core_properties.last_modified_by = report.issuer
    # Dated by the report, not by the clock: the same data gives the same file.
    stamp = report.generated_at.astimezone(UTC).replace(tzinfo=None, microsecond=0)
    doc.core_properties.created = doc.core_properties.modified = stamp
    doc.core_properties.revision = 1
    doc.core_properties.comments = "Loa — số liệu tính tự động từ cơ sở dữ liệu" + (
        " (DỮ LIỆU MẪU)" if report.demo else ""
    )
    _header_block(doc, report)

    if report.demo:
        _para(
            doc,
            "DỮ LIỆU MẪU (DEMO) — số liệu tạo tự động để minh họa, không dùng để báo cáo chính thức.",
            bold=True,
            italic=True,
            align="center",
            size=HEADER_PT,
        )
    _para(doc, report.title, bold=True, align="center", space_before=12)
    subject = _para(doc, report.subject, bold=True, align="center", space_after=0)
    subject.paragraph_format.left_indent = Mm(10)
    subject.paragraph_format.right_indent = Mm(10)
    line = _para(doc, "", align="center", space_after=12)
    _bottom_line(line, TEXT_WIDTH_MM, 45)
    _para(doc, f"Kỳ báo cáo: {report.period_label}. Địa bàn: {report.area_label}.", indent=True)

    for section in report.sections:
        _para(doc, f"{section.number}. {section.title}", bold=True, indent=True, space_before=6)
        for text in section.paragraphs:
            _para(doc, text, indent=True, align="justify")
        for i, table in enumerate(section.tables, start=1):
            _para(
                doc,
                f"Bảng {section.number}.{i}. {table.title}",
                bold=True,
                italic=True,
                size=TABLE_PT,
                space_before=6,
                keep_with_next=True,
            )
            _table(doc, table)
        if charts and section.chart:
            doc.add_picture(io.BytesIO(section.chart.png()), width=Mm(TEXT_WIDTH_MM))
            doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
            _para(
                doc,
                f"Biểu đồ {section.number}. {section.chart.title} {section.chart.time_label} và theo xã, phường",
                italic=True,
                align="center",
                size=TABLE_PT,
            )

    _signature_block(doc, report)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


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


def _font(run: Any, size: float, *, bold: bool = False, italic: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    rfonts = run._r.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), FONT)


def _page_field(paragraph: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def fld(kind: str) -> Any:
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        return el

    for part in ("begin", "instr", "separate", "value", "end"):
        run = paragraph.add_run()
        _font(run, HEADER_PT)
        if part == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = " PAGE "
            run._r.append(instr)
        elif part == "value":
            run.text = "2"
        else:
            run._r.append(fld(part))


def _para(
    container: Any,
    text: str,
    *,
    size: float = BODY_PT,
    bold: bool = False,
    italic: bool = False,
    align: str = "left",
    indent: bool = False,
    space_before: float = 0,
    space_after: float = 6,
    keep_with_next: bool = False,
) -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    p = container.add_paragraph()
    p.alignment = {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }[align]
    fmt = p.paragraph_format
    fmt.space_before, fmt.space_after = Pt(space_before), Pt(space_after)
    if indent:
        fmt.first_line_indent = Cm(FIRST_LINE_INDENT_CM)
    if keep_with_next:
        fmt.keep_with_next = True
    if text:
        _font(p.add_run(text), size, bold=bold, italic=italic)
    return p


def _bottom_line(paragraph: Any, width_mm: float, line_mm: float) -> None:
    """A solid line under ``paragraph`` about ``line_mm`` long, centred in ``width_mm``."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm

    side = max((width_mm - line_mm) / 2, 0)
    paragraph.paragraph_format.left_indent = Mm(side)
    paragraph.paragraph_format.right_indent = Mm(side)
    ppr = paragraph._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    border.append(bottom)
    ppr.insert_element_before(border, *_AFTER_PBDR)


def _no_borders(table: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    # Schema order: tblBorders comes before shd, tblLayout, tblCellMar and tblLook.
    tbl_pr.insert_element_before(
        borders,
        "w:shd",
        "w:tblLayout",
        "w:tblCellMar",
        "w:tblLook",
        "w:tblCaption",
        "w:tblDescription",
        "w:tblPrChange",
    )


def _set_widths(table: Any, widths_mm: list[float]) -> None:
    from docx.shared import Mm

    table.autofit = False
    # Word lays a fixed table out by its grid, so the grid must carry the widths too.
    for col, w in zip(table._tbl.tblGrid.gridCol_lst, widths_mm, strict=False):
        col.w = Mm(w)
    for row in table.rows:
        for cell, w in zip(row.cells, widths_mm, strict=False):
            cell.width = Mm(w)


# --- blocks ------------------------------------------------------------------------------------------


def _header_block(doc: Any, report: Report) -> None:
    """Issuing body (left) and quốc hiệu / tiêu ngữ (right); số/ký hiệu and place/date below."""
    left_mm, right_mm = 62.0, TEXT_WIDTH_MM - 62.0
    table = doc.add_table(rows=2, cols=2)
    _no_borders(table)
    _set_widths(table, [left_mm, right_mm])
    issuer_cell, nation_cell = table.rows[0].cells
    number_cell, date_cell = table.rows[1].cells
    for cell in (issuer_cell, nation_cell, number_cell, date_cell):
        cell._tc.remove(cell.paragraphs[0]._p)

    _para(issuer_cell, report.issuer_parent.upper(), size=HEADER_PT, align="center", space_after=0)
    issuer = _para(
        issuer_cell, report.issuer.upper(), size=HEADER_PT, bold=True, align="center", space_after=0
    )
    _bottom_line(issuer, left_mm, left_mm / 3)
    _para(number_cell, report.number_line, size=HEADER_PT, align="center", space_before=6)

    _para(
        nation_cell,
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        size=NATIONAL_PT,
        bold=True,
        align="center",
        space_after=0,
    )
    motto = _para(
        nation_cell, "Độc lập - Tự do - Hạnh phúc", size=HEADER_PT, bold=True, align="center", space_after=0
    )
    # The line under the tiêu ngữ is as long as the tiêu ngữ itself (~62 mm at 13 pt bold).
    _bottom_line(motto, right_mm, 62)
    _para(date_cell, report.place_date, size=BODY_PT, italic=True, align="center", space_before=6)


def _table(doc: Any, table: Table) -> None:
    """A data table, built as one XML fragment: python-docx's cell API is far too slow for
    a 114-commune table (it re-scans the row for every cell)."""
    from docx.oxml import parse_xml
    from docx.shared import Mm

    if not table.rows:
        _para(doc, table.empty_text, italic=True, indent=True, size=TABLE_PT)
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
    _para(doc, "", space_after=0)


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


def _signature_block(doc: Any, report: Report) -> None:
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _set_widths(table, [TEXT_WIDTH_MM / 2, TEXT_WIDTH_MM / 2])
    left, right = table.rows[0].cells
    for cell in (left, right):
        cell._tc.remove(cell.paragraphs[0]._p)
    _para(left, "Nơi nhận:", size=12, bold=True, italic=True, space_before=6, space_after=0)
    for line in report.recipients:
        _para(left, f"- {line}", size=11, space_after=0)
    _para(
        right,
        report.signer_title.upper(),
        size=BODY_PT,
        bold=True,
        align="center",
        space_before=6,
        space_after=0,
    )
    for _ in range(4):
        _para(right, "", space_after=0)
    _para(right, report.signer_name, size=BODY_PT, bold=True, align="center", space_after=0)
