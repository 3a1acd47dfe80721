"""Charts (matplotlib, Agg backend): a series by week and a ranking by commune, as PNG."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.reports.model import Chart

DPI = 110


def render_chart(chart: Chart) -> bytes:
    """Two panels side by side: ``chart.by_time`` as bars, ``chart.by_unit`` as horizontal bars."""
    # The object API with the Agg canvas: no pyplot state, no GUI backend, a lighter import.
    from matplotlib import rc_context
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    # DejaVu ships with matplotlib and has every Vietnamese diacritic; serif to match the report.
    with rc_context({"font.family": "DejaVu Serif", "font.size": 9}):
        fig = Figure(figsize=(10, 3.8))
        FigureCanvasAgg(fig)
        left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [3, 2]})
        labels = [p[0] for p in chart.by_time]
        values = [p[1] for p in chart.by_time]
        left.bar(range(len(values)), values, color="#1f5f9e")
        left.set_title(f"{chart.title} {chart.time_label}")
        left.set_xticks(range(len(labels)))
        left.set_xticklabels(labels, rotation=60, ha="right", fontsize=7)
        left.set_ylabel(chart.value_label)
        left.grid(axis="y", alpha=0.3)
        if chart.by_unit:
            names = [p[0] for p in reversed(chart.by_unit)]
            counts = [p[1] for p in reversed(chart.by_unit)]
            right.barh(range(len(counts)), counts, color="#c0392b")
            right.set_yticks(range(len(names)))
            right.set_yticklabels(names, fontsize=7)
        else:
            right.text(
                0.5,
                0.5,
                "Chưa có số liệu theo xã, phường",
                ha="center",
                va="center",
                transform=right.transAxes,
            )
            right.set_xticks([])
            right.set_yticks([])
        right.set_title("Theo xã, phường (cao nhất)")
        right.grid(axis="x", alpha=0.3)
        # Fixed margins: tight_layout costs more than the drawing itself.
        fig.subplots_adjust(left=0.06, right=0.98, bottom=0.24, top=0.9, wspace=0.45)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=DPI)
    return buf.getvalue()
