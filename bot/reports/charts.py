"""Charts (matplotlib, Agg backend): a series over time above a ranking by commune, as PNG.

Drawn at print size: the figure is exactly as wide as the .docx text column (165 mm) and
its smallest text is 9 pt, so nothing is shrunk when Word or LibreOffice places it at
100 %. The caption ("Biểu đồ N. ...") and the source line are the document's own text.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.reports.document import Chart

WIDTH_MM = 165.0
DPI = 200  # print resolution
LABEL_PT = 9.0
TITLE_PT = 10.0
MAX_UNITS = 12
_MM = 1 / 25.4


def chart_height_mm(units: int) -> float:
    """Figure height: 62 mm for the series, about 5.5 mm a commune for the ranking."""
    return 62.0 + 22.0 + 5.5 * max(units, 3)


def render_chart(chart: Chart) -> bytes:
    """``chart.by_time`` as columns on top, ``chart.by_unit`` (the top communes) as bars below."""
    # The object API with the Agg canvas: no pyplot state, no GUI backend, a lighter import.
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    units = chart.by_unit[:MAX_UNITS]
    height = chart_height_mm(len(units))
    # DejaVu ships with matplotlib and has every Vietnamese diacritic; serif to match the report.
    with rc_context({"font.family": "DejaVu Serif", "font.size": LABEL_PT, "axes.titlesize": TITLE_PT}):
        fig = Figure(figsize=(WIDTH_MM * _MM, height * _MM))
        FigureCanvasAgg(fig)
        top_h = 62.0 / height
        series = fig.add_axes((0.1, 1 - top_h + 16 / height, 0.87, top_h - 24 / height))
        ranking = fig.add_axes((0.3, 8 / height, 0.67, 1 - top_h - 20 / height))
        labels = [p[0] for p in chart.by_time]
        values = [p[1] for p in chart.by_time]
        series.bar(range(len(values)), values, color="#1f5f9e")
        series.set_title(f"{chart.title} {chart.time_label}", loc="left")
        series.set_xticks(range(len(labels)))
        series.set_xticklabels(
            labels, rotation=45 if len(labels) > 6 else 0, ha="right" if len(labels) > 6 else "center"
        )
        series.set_ylabel(chart.value_label)
        series.grid(axis="y", alpha=0.3)
        series.yaxis.set_major_formatter(_thousands())
        if units:
            names = [p[0] for p in reversed(units)]
            counts = [p[1] for p in reversed(units)]
            ranking.barh(range(len(counts)), counts, color="#c0392b")
            ranking.set_yticks(range(len(names)))
            ranking.set_yticklabels(names)
            ranking.xaxis.set_major_formatter(_thousands())
        else:
            ranking.text(
                0.5,
                0.5,
                "Chưa có số liệu theo xã, phường",
                ha="center",
                va="center",
                transform=ranking.transAxes,
            )
            ranking.set_xticks([])
            ranking.set_yticks([])
        ranking.set_title(
            f"Theo xã, phường ({len(units)} nơi cao nhất)" if units else "Theo xã, phường", loc="left"
        )
        ranking.grid(axis="x", alpha=0.3)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=DPI)
    return buf.getvalue()


def _thousands():  # noqa: ANN202 - a matplotlib formatter
    from matplotlib.ticker import FuncFormatter

    from bot.reports.document import num

    return FuncFormatter(lambda v, _pos: num(int(v)) if float(v).is_integer() else "")
