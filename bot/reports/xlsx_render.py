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


def render_xlsx(report: Report) -> bytes:
    """The report's tables as an .xlsx workbook (bytes)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

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
    ]
    if report.demo:
        lines.insert(0, ("DỮ LIỆU MẪU", "Số liệu tạo tự động để minh họa, không dùng để báo cáo chính thức"))
    for line in lines:
        _append(cover, list(line))
    cover.append([])
    _append(cover, ["Bảng", "Tên sheet"])
    bold = Font(bold=True)
    for cell in cover[cover.max_row]:
        cell.font = bold
    for section in report.sections:
        for i, table in enumerate(section.tables, start=1):
            name = sheet_name(table.key, used)
            _append(cover, [f"{section.number}.{i}. {table.title}", name])
            ws = wb.create_sheet(name)
            _append(ws, [f"{section.number}.{i}. {table.title}"])
            ws["A1"].font = Font(bold=True, size=12)
            _append(ws, list(table.columns))
            for cell in ws[2]:
                cell.font = bold
                cell.alignment = Alignment(wrap_text=True, vertical="center")
            for row in table.rows:
                _append(ws, list(row))
            if table.total:
                _append(ws, list(table.total))
                for cell in ws[ws.max_row]:
                    cell.font = bold
            ws.freeze_panes = "B3"
            for col in range(1, len(table.columns) + 1):
                ws.column_dimensions[get_column_letter(col)].width = 44 if col == 1 else 16
    cover.column_dimensions["A"].width = 60
    cover.column_dimensions["B"].width = 70
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
