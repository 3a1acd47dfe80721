"""One entry point for every format, and the report built from officer input."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.errors import LoaError
from bot.reports.model import Report, build_report
from bot.reports.periods import Period
from bot.store import Store

FORMATS = ("docx", "xlsx", "md", "html")
#: Longest section-7 text accepted from an officer (about ten pages).
MAX_NOTES_CHARS = 20_000


def render(report: Report, fmt: str) -> bytes:
    """The report in ``fmt`` (docx, xlsx, md, html) as bytes."""
    if fmt == "md":
        from bot.reports.text import render_markdown

        return render_markdown(report).encode("utf-8")
    if fmt == "html":
        from bot.reports.text import render_html

        return render_html(report).encode("utf-8")
    if fmt == "xlsx":
        from bot.reports.xlsx_render import render_xlsx

        return render_xlsx(report)
    if fmt == "docx":
        from bot.reports.docx_render import render_docx

        return render_docx(report)
    raise LoaError(f"unknown format {fmt!r}; use one of: {', '.join(FORMATS)}")


#: Longest section-7 text typed in the admin form (it travels in the download URL).
MAX_FORM_NOTES_CHARS = 1_200
FORM_FIELDS = ("signer_authority", "signer_title", "signer_name", "notes", "notes_mode")


def form_options(query: Mapping[str, str]) -> dict[str, Any]:
    """``make_report`` keyword arguments from the admin form: the signer (each at most 100
    characters; blank = from settings) and section 7 text with its mode. Too long notes are a
    clear error, never silently cut."""
    out: dict[str, Any] = {}
    for key in ("signer_authority", "signer_title", "signer_name"):
        value = " ".join((query.get(key) or "").split())[:100]
        if value:
            out[key] = value
    notes = (query.get("notes") or "").strip()
    if len(notes) > MAX_FORM_NOTES_CHARS:
        raise LoaError(
            f"section 7 text is too long for the form ({len(notes):,} characters; at most {MAX_FORM_NOTES_CHARS:,});"
            " use loa report --notes FILE"
        )
    if notes:
        out["notes_text"] = notes
        out["notes_mode"] = "extend" if query.get("notes_mode") == "extend" else "replace"
    return out


def read_notes(path: Path | None) -> str | None:
    """Section 7 text from a UTF-8 file (paragraphs separated by blank lines)."""
    if path is None:
        return None
    if not path.exists():
        raise LoaError(f"notes file not found: {path}")
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LoaError(f"notes file {path} is not UTF-8 text") from exc


def is_demo_store(store: Store) -> bool:
    """Whether the database holds demo data (its figures must never be filed)."""
    return store.get_meta("demo") == "1" or store.get_meta("reports_demo") is not None


def make_report(
    store: Store,
    settings: Settings,
    period: Period,
    *,
    unit: str | None = None,
    notes: Path | None = None,
    now: datetime | None = None,
    notes_text: str | None = None,
    notes_mode: str = "replace",
    signer_authority: str | None = None,
    signer_title: str | None = None,
    signer_name: str | None = None,
) -> Report:
    """Resolve the unit typed by the officer, read the notes (a file, or ``notes_text`` typed
    in the admin form; at most :data:`MAX_NOTES_CHARS`), and build the report.

    ``notes_mode`` "replace" puts the notes instead of the figures' first draft of section 7,
    "extend" after it. Signer fields left None come from settings.
    """
    from bot.reports.activities import resolve_report_unit
    from bot.reports.draft import NOTES_MODES

    if notes_mode not in NOTES_MODES:
        raise LoaError(f"notes mode must be one of: {', '.join(NOTES_MODES)}")
    text = read_notes(notes) if notes is not None else notes_text
    if text and len(text) > MAX_NOTES_CHARS:
        raise LoaError(f"section 7 notes are too long ({len(text):,} characters; at most {MAX_NOTES_CHARS:,})")
    choice = resolve_report_unit(store, settings, unit) if unit else None
    return build_report(
        store,
        settings,
        period,
        unit=choice.name if choice else None,
        unit_type=choice.unit_type if choice else None,
        notes=text,
        notes_mode=notes_mode,
        now=now,
        demo=is_demo_store(store),
        signer_authority=signer_authority,
        signer_title=signer_title,
        signer_name=signer_name,
    )


def default_out(report: Report, fmt: str) -> Path:
    """``bao-cao-2026-Q4.docx`` or ``bao-cao-2026-Q4-le-chan.docx`` in the current folder."""
    from bot.text import fold

    name = f"bao-cao-{report.period.slug}"
    if report.unit:
        name += "-" + "-".join(fold(report.unit.lower()).split())
    return Path(f"{name}.{fmt}")
