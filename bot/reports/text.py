"""Markdown and HTML renderers: Jinja2 templates over the one report model."""

from __future__ import annotations

import base64
from functools import cache
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from bot.reports.model import Report, num

TEMPLATE_DIR = Path(__file__).parent / "templates"


#: Characters escaped in every value written into Markdown: HTML (so a resident's
#: ``<script>`` stays text in any Markdown viewer), table pipes, and the backslash itself
#: (else a resident's ``\`` would cancel an escape). Emphasis characters are left alone:
#: they cannot run anything, and officers' notes stay readable as text.
_MD_ESCAPES = str.maketrans({"\\": "\\\\", "|": "\\|", "&": "&amp;", "<": "&lt;", ">": "&gt;"})


def md_escape(value: object) -> str:
    """A value as inert Markdown text (applied to every ``{{ }}`` of the Markdown template).

    Brackets stay (redaction placeholders read ``[số thẻ BHYT]``); a link needs ``](``
    right after them, so that pair is broken with an escaped parenthesis.
    """
    return str(value).translate(_MD_ESCAPES).replace("](", "]\\(")


def _md_cell(value: str) -> str:
    # A newline inside a cell would break the Markdown table (pipes are escaped by md_escape).
    return value.replace("\r", " ").replace("\n", " ")


@cache
def _env(autoescape: bool) -> jinja2.Environment:
    # The templates are ours (files in the package); officers' and residents' words only
    # ever arrive as values. The sandbox still costs nothing here and keeps a future
    # template that formats an officer's note from reaching Python internals.
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        # HTML autoescapes; Markdown escapes every expression's output instead.
        finalize=None if autoescape else md_escape,
    )
    env.filters["num"] = num
    env.filters["md_cell"] = _md_cell
    env.filters["b64"] = lambda data: base64.b64encode(data).decode("ascii")
    return env


def render_markdown(report: Report) -> str:
    """The report as Markdown (tables as pipe tables, no charts)."""
    return _env(False).get_template("report.md.j2").render(r=report)


def render_html(report: Report, *, charts: bool = True) -> str:
    """The report as one self-contained HTML page (charts embedded as base64 PNG)."""
    return _env(True).get_template("report.html.j2").render(r=report, charts=charts)
