"""The .xlsx renderer: a cover sheet, then one sheet per report table (numbers stay numbers).

Text in the workbook comes partly from residents (unanswered questions) and officers
(notes, names): every text cell is written as a string, and text that a spreadsheet would
read as a formula (leading ``= + - @``, tab or carriage return) gets a leading apostrophe,
as OWASP advises against CSV/formula injection.
"""

from __future__ import annotations

import io
import re
from typing import Any

from bot.reports.model import Report

_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
#: First characters that make Excel, LibreOffice or Sheets treat a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutral_text(value: str) -> str:
    """``value`` made inert as a spreadsheet cell: formula-looking text gets a leading ``'``."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _append(ws: Any, values: list[Any]) -> None:
    """Append a row; text cells are neutralised and typed as strings (never formulas)."""
    ws.append([neutral_text(v) if isinstance(v, str) else v for v in values])
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def sheet_name(key: str, used: set[str]) -> str:
    """A valid, unique Excel sheet name (≤ 31 characters, no []:*?/\\)."""
    base = _BAD_SHEET_CHARS.sub("_", key)[:31] or "Sheet"
    name, i = base, 2
    while name.lower() in used:
        suffix = f"_{i}"
        name, i = base[: 31 - len(suffix)] + suffix, i + 1
    used.add(name.lower())
    return name


FONT = "Times New Roman"
#: Number formats are stored in the file's invariant (en-US) code, where "," means "the
#: thousands separator" and "." "the decimal mark" of the format's locale; writing "#.##0"
#: literally would be read as a decimal point and break the figures. The [$-42A] prefix
#: (LCID 0x042A, vi-VN) ties the format to the Vietnamese locale: LibreOffice then prints
#: 12.345 and 44,0 on any machine, and Excel on a vi-VN Windows does the same.
INT_FORMAT = "[$-42A]#,##0"
FLOAT_FORMAT = "[$-42A]#,##0.0"
WIDE_COLUMNS = 4  # more columns than this: landscape


def _style(
    ws: Any, row: int, *, bold: bool = False, size: float = 12, wrap: bool = False, grid: bool = False
) -> None:
    from openpyxl.styles import Alignment, Border, Font, Side

    thin = Side(style="thin", color="000000")
    for cell in ws[row]:
        cell.font = Font(name=FONT, size=size, bold=bold)
        if grid:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        if isinstance(cell.value, bool):
            continue
        if isinstance(cell.value, int):
            cell.number_format = INT_FORMAT
        elif isinstance(cell.value, float):
            cell.number_format = FLOAT_FORMAT
        if wrap:
            cell.alignment = Alignment(wrap_text=True, vertical="top" if row == 1 else "center")


def _print_setup(ws: Any, columns: int, title_rows: str | None) -> None:
    """A4, fitted to one page wide (as many pages tall as needed), landscape for wide tables,
    the header rows repeated on every printed page, page numbers in the footer."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if columns > WIDE_COLUMNS else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddFooter.center.text = "Trang &P / &N"
    ws.oddFooter.center.font = FONT


def _height(text: str, width_chars: float, line_pt: float = 16) -> float:
    lines = sum(max(1, -(-len(part) // max(int(width_chars), 1))) for part in text.split("\n"))
    return lines * line_pt


def _table_sheet(ws: Any, heading: str, table: Any) -> None:
    from openpyxl.utils import get_column_letter

    cols = len(table.columns)
    widths = [40.0 if cols > 2 else 60.0] + [14.0] * (cols - 1)
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    # Row 1: the title, merged across the table and wrapped, so it never runs into row 2.
    _append(ws, [heading])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=cols)
    _style(ws, 1, bold=True, size=13, wrap=True)
    ws.row_dimensions[1].height = _height(heading, sum(widths) * 1.1, 18)
    # Row 2: the column headers, wrapped in their own cells.
    _append(ws, list(table.columns))
    _style(ws, 2, bold=True, wrap=True, grid=True)
    ws.row_dimensions[2].height = max(_height(c, w) for c, w in zip(table.columns, widths, strict=True))
    for row in table.rows:
        _append(ws, ["—" if v is None else v for v in row])
        _style(ws, ws.max_row, grid=True)
    if table.total:
        _append(ws, ["—" if v is None else v for v in table.total])
        _style(ws, ws.max_row, bold=True, grid=True)
    if table.note and table.rows:
        ws.append([])
        _append(ws, [f"Ghi chú: {table.note}"])
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=cols)
        _style(ws, ws.max_row, size=11, wrap=True)
        ws.row_dimensions[ws.max_row].height = _height(table.note, sum(widths) * 1.1)
    ws.freeze_panes = "B3"
    _print_setup(ws, cols, "2:2")


def render_xlsx(report: Report) -> bytes:
    """The report's tables as an .xlsx workbook (bytes): one font, thousands separators,
    every sheet set up to print on A4."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    cover = wb.active
    cover.title = "Thong_tin"
    used = {"thong_tin"}
    lines = [
        ("Báo cáo", report.subject),
        ("Kỳ báo cáo", report.period_label),
        ("Địa bàn", report.area_label),
        ("Đơn vị báo cáo", f"{report.issuer_parent} - {report.issuer}"),
        ("Ngày lập", report.place_date),
        (
            "Người ký",
            " ".join(x for x in (report.signer_authority, report.signer_title, report.signer_name) if x),
        ),
    ]
    if report.draft:
        lines.insert(0, ("DỰ THẢO", "Chưa có người ký; không phải văn bản chính thức"))
    if report.demo:
        lines.insert(0, ("DỮ LIỆU MẪU", "Số liệu tạo tự động để minh họa, không dùng để báo cáo chính thức"))
    cover.column_dimensions["A"].width = 45
    cover.column_dimensions["B"].width = 80
    for line in lines:
        _append(cover, list(line))
        _style(cover, cover.max_row, wrap=True)
        cover[cover.max_row][0].font = Font(name=FONT, size=12, bold=True)
        cover.row_dimensions[cover.max_row].height = max(_height(line[0], 45), _height(line[1], 80))
    cover.append([])
    _append(cover, ["Bảng", "Tên sheet"])
    _style(cover, cover.max_row, bold=True)
    for section in report.sections:
        for i, table in enumerate(section.tables, start=1):
            name = sheet_name(table.key, used)
            heading = f"{section.number}.{i}. {table.title}"
            _append(cover, [heading, name])
            _style(cover, cover.max_row, wrap=True)
            cover.row_dimensions[cover.max_row].height = _height(heading, 45)
            _table_sheet(wb.create_sheet(name), heading, table)
    _print_setup(cover, 2, None)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
