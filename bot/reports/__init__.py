"""Outreach metrics and the official communication report.

``periods`` parses report periods and due dates, ``metrics`` computes one figure per
function (SQL in ``bot/store/metrics.py``), ``model`` builds the report once, and the
renderers (``text`` for Markdown/HTML, ``docx_render``, ``xlsx_render``, ``charts``) turn
that one model into every format, so a figure is identical wherever it appears.
"""
