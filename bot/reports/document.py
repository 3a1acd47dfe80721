"""The report document: tables, charts and sections as every renderer sees them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.reports.periods import Period


def num(value: Any) -> str:
    """A figure as printed in every text format: ``12.345`` (Vietnamese thousands), ``45,2``."""
    if value is None:
        return "—"  # the column does not apply to this row
    if isinstance(value, float):
        whole = f"{value:,.1f}"
        return whole.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    return str(value)


@dataclass
class Table:
    """One table: a title, header row, body rows (raw values) and an optional total row."""

    key: str  # short id, also the .xlsx sheet name
    title: str
    columns: list[str]
    rows: list[list[Any]]
    total: list[Any] | None = None
    empty_text: str = "Không có số liệu trong kỳ."
    note: str | None = None  # printed under the table ("Ghi chú: ...")

    @property
    def all_rows(self) -> list[list[Any]]:
        """Body rows plus the total row, if any."""
        return self.rows + ([self.total] if self.total else [])

    def text_rows(self) -> list[list[str]]:
        """Every row (with total) formatted as text, identical in md, html and docx."""
        return [[num(v) for v in row] for row in self.all_rows]


@dataclass
class Chart:
    """A two-panel chart: a series over time (by week) and a ranking by commune."""

    key: str
    title: str
    time_label: str
    by_time: list[tuple[str, int]]
    by_unit: list[tuple[str, int]]
    value_label: str
    number: int = 0  # "Biểu đồ N", consecutive over the report
    source: str = ""  # "Nguồn: ..." line printed under the caption
    _png: bytes | None = field(default=None, repr=False)

    def png(self) -> bytes:
        """The chart as PNG (rendered once, lazily: matplotlib is slow to import)."""
        if self._png is None:
            from bot.reports.charts import render_chart

            self._png = render_chart(self)
        return self._png


@dataclass
class Section:
    """A numbered section: summary paragraphs with figures, tables, an optional chart."""

    number: int
    title: str
    paragraphs: list[str]
    tables: list[Table]
    chart: Chart | None = None

    @property
    def caption(self) -> str:
        """``Biểu đồ 2. Lượt tin nhắn của người dân theo tháng và theo xã, phường``."""
        c = self.chart
        return f"Biểu đồ {c.number}. {c.title} {c.time_label} và theo xã, phường" if c else ""


@dataclass
class Report:
    """Everything a renderer needs; figures are computed here and nowhere else."""

    title: str
    subject: str  # trích yếu
    issuer_parent: str
    issuer: str
    number_line: str  # "Số:      /BC-SYT"
    place_date: str  # "Hải Phòng, ngày 05 tháng 01 năm 2027"
    period: Period
    period_label: str
    area_label: str
    unit: str | None
    signer_title: str  # chức vụ: "PHÓ GIÁM ĐỐC"
    signer_name: str
    recipients: list[str]
    sections: list[Section]
    figures: dict[str, Any]
    generated_at: datetime
    demo: bool = False
    signer_authority: str = ""  # quyền hạn: "KT. GIÁM ĐỐC", "TM. ỦY BAN NHÂN DÂN"; empty when signing in one's own name

    @property
    def draft(self) -> bool:
        """A report nobody is named to sign is a draft (marked "DỰ THẢO" in every format)."""
        return not self.signer_name.strip()

    @property
    def tables(self) -> list[Table]:
        """Every table in section order."""
        return [t for s in self.sections for t in s.tables]

    @property
    def charts(self) -> list[Chart]:
        """Every chart in section order."""
        return [s.chart for s in self.sections if s.chart]
