"""Building blocks of the .docx (paragraphs, rules, borderless tables) and its two
Decree-30 blocks: the header (issuing body left, quốc hiệu right) and the signature.

The header's left cell is sized for the longest real agency names ("TRUNG TÂM KIỂM SOÁT
BỆNH TẬT THÀNH PHỐ HẢI PHÒNG"): each name is broken into lines by us, between words and
never inside a two-syllable word, measured with the Times metrics (``fontmetrics``), so
Word and LibreOffice print the same lines. The short rule under the issuing body is a
third of the name's printed width, as the decree's sample shows.
"""

from __future__ import annotations

from typing import Any

from bot.reports.document import Report
from bot.reports.fontmetrics import text_width_mm, wrap_balanced

FONT = "Times New Roman"
BODY_PT = 14
HEADER_PT = 13
NATIONAL_PT = 12
PAGE_MM = (210, 297)
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
TEXT_WIDTH_MM = PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]
FIRST_LINE_INDENT_CM = 1.27
#: The header table reaches 10 mm into the left margin (as the decree's samples do), so the
#: issuing body gets 82 mm and the quốc hiệu (88 mm at 12 pt bold) 93 mm; cells pad 1 mm a side.
HEADER_INDENT_MM = -10.0
HEADER_LEFT_MM = 82.0
HEADER_RIGHT_MM = TEXT_WIDTH_MM - HEADER_INDENT_MM - HEADER_LEFT_MM
HEADER_CELL_PAD_MM = 1.0
ISSUER_TEXT_MM = HEADER_LEFT_MM - 2 * HEADER_CELL_PAD_MM - 2  # 2 mm of safety for other renderers

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


def font(run: Any, size: float, *, bold: bool = False, italic: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    rfonts = run._r.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), FONT)


def para(
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
        font(p.add_run(text), size, bold=bold, italic=italic)
    return p


def bottom_line(paragraph: Any, width_mm: float, line_mm: float) -> None:
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


def no_borders(table: Any) -> None:
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


def set_widths(table: Any, widths_mm: list[float]) -> None:
    from docx.shared import Mm

    table.autofit = False
    # Word lays a fixed table out by its grid, so the grid must carry the widths too.
    for col, w in zip(table._tbl.tblGrid.gridCol_lst, widths_mm, strict=False):
        col.w = Mm(w)
    for row in table.rows:
        for cell, w in zip(row.cells, widths_mm, strict=False):
            cell.width = Mm(w)


def rule(container: Any, line_mm: float, width_mm: float, *, space_after: float = 0) -> Any:
    """A paragraph that is only a centred rule ``line_mm`` long (its own paragraph, so the
    text above keeps the full width of its cell)."""
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Pt

    p = para(container, "", align="center", space_after=space_after)
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    p.paragraph_format.line_spacing = Pt(3)
    bottom_line(p, width_mm, line_mm)
    return p


def lines_para(container: Any, lines: list[str], size: float, *, bold: bool = False) -> Any:
    """One centred paragraph holding ``lines`` separated by line breaks."""
    p = para(container, "", align="center", space_after=0)
    for i, line in enumerate(lines):
        run = p.add_run(line)
        font(run, size, bold=bold)
        if i < len(lines) - 1:
            run.add_break()
    return p


def issuer_layout(name: str) -> tuple[list[str], float]:
    """The issuing body's lines and size: 13 pt if it fits in two lines, else 12 pt, else 13 pt."""
    for size in (HEADER_PT, 12.0):
        lines = wrap_balanced(name, ISSUER_TEXT_MM, size, bold=True)
        if len(lines) <= 2:
            return lines, size
    return wrap_balanced(name, ISSUER_TEXT_MM, HEADER_PT, bold=True), HEADER_PT


def _cell_margins(table: Any, mm: float) -> None:
    from docx.oxml import parse_xml
    from docx.shared import Mm

    tw = int(Mm(mm).twips)
    xml = (
        '<w:tblCellMar xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f'<w:left w:w="{tw}" w:type="dxa"/><w:right w:w="{tw}" w:type="dxa"/></w:tblCellMar>'
    )
    table._tbl.tblPr.insert_element_before(parse_xml(xml), "w:tblLook", "w:tblCaption", "w:tblDescription")


def _indent(table: Any, mm: float) -> None:
    from docx.oxml import parse_xml
    from docx.shared import Mm

    xml = (
        '<w:tblInd xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
        f' w:w="{int(Mm(mm).twips)}" w:type="dxa"/>'
    )
    table._tbl.tblPr.insert_element_before(
        parse_xml(xml), "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook"
    )


def draft_mark(doc: Any) -> None:
    """A boxed "DỰ THẢO" at the top right of page 1: nobody is named to sign yet."""
    from docx.shared import Mm

    p = para(doc, "DỰ THẢO", size=HEADER_PT, bold=True, align="center", space_after=6)
    p.paragraph_format.left_indent = Mm(TEXT_WIDTH_MM - 32)
    box(p)


def box(paragraph: Any) -> None:
    """A single border around ``paragraph``."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    border = OxmlElement("w:pBdr")
    for edge in ("top", "left", "bottom", "right"):
        el = OxmlElement(f"w:{edge}")
        for key, value in (("w:val", "single"), ("w:sz", "8"), ("w:space", "2"), ("w:color", "000000")):
            el.set(qn(key), value)
        border.append(el)
    paragraph._p.get_or_add_pPr().insert_element_before(border, *_AFTER_PBDR)


def header_block(doc: Any, report: Report) -> None:
    """Issuing body (left) and quốc hiệu / tiêu ngữ (right); số/ký hiệu and place/date below."""
    table = doc.add_table(rows=2, cols=2)
    no_borders(table)
    _indent(table, HEADER_INDENT_MM)
    _cell_margins(table, HEADER_CELL_PAD_MM)
    set_widths(table, [HEADER_LEFT_MM, HEADER_RIGHT_MM])
    issuer_cell, nation_cell = table.rows[0].cells
    number_cell, date_cell = table.rows[1].cells
    for cell in (issuer_cell, nation_cell, number_cell, date_cell):
        cell._tc.remove(cell.paragraphs[0]._p)

    if report.issuer_parent.strip():
        parent = wrap_balanced(report.issuer_parent.upper(), ISSUER_TEXT_MM, HEADER_PT)
        lines_para(issuer_cell, parent, HEADER_PT)
    lines, size = issuer_layout(report.issuer.upper())
    lines_para(issuer_cell, lines, size, bold=True)
    widest = max((text_width_mm(line, size, bold=True) for line in lines), default=30.0)
    rule(issuer_cell, widest / 3, HEADER_LEFT_MM - 2 * HEADER_CELL_PAD_MM)
    para(number_cell, report.number_line, size=HEADER_PT, align="center", space_before=6)

    para(
        nation_cell,
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        size=NATIONAL_PT,
        bold=True,
        align="center",
        space_after=0,
    )
    motto = "Độc lập - Tự do - Hạnh phúc"
    para(nation_cell, motto, size=HEADER_PT, bold=True, align="center", space_after=0)
    # The line under the tiêu ngữ is as long as the tiêu ngữ itself.
    rule(nation_cell, text_width_mm(motto, HEADER_PT, bold=True), HEADER_RIGHT_MM - 2 * HEADER_CELL_PAD_MM)
    para(date_cell, report.place_date, size=BODY_PT, italic=True, align="center", space_before=6)


def signature_block(doc: Any, report: Report) -> None:
    """ "Nơi nhận" (left) and the signer (right): quyền hạn, chức vụ, space to sign, name."""
    table = doc.add_table(rows=1, cols=2)
    no_borders(table)
    set_widths(table, [TEXT_WIDTH_MM / 2, TEXT_WIDTH_MM / 2])
    left, right = table.rows[0].cells
    for cell in (left, right):
        cell._tc.remove(cell.paragraphs[0]._p)
    para(left, "Nơi nhận:", size=12, bold=True, italic=True, space_before=6, space_after=0)
    for line in report.recipients:
        para(left, f"- {line}", size=11, space_after=0)
    first = True
    for line in (report.signer_authority, report.signer_title):
        if line.strip():
            para(
                right,
                line.upper(),
                size=BODY_PT,
                bold=True,
                align="center",
                space_before=6 if first else 0,
                space_after=0,
            )
            first = False
    for _ in range(4):
        para(right, "", space_after=0)
    if report.draft:
        para(right, "(Dự thảo — chưa có người ký)", size=BODY_PT, italic=True, align="center", space_after=0)
    else:
        para(right, report.signer_name, size=BODY_PT, bold=True, align="center", space_after=0)
