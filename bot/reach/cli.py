"""``loa poster``: an A4 poster for one commune, as PDF."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import typer


def poster_command(
    unit: str = typer.Option(..., "--unit", help="Commune or ward, e.g. \"Kẻ Sặt\" (diacritics optional)."),
    message: int = typer.Option(None, "--message", help="Id of a sent message whose verification code the poster carries (default: the newest sent)."),
    out: Path = typer.Option(Path("poster.pdf"), "--out", help="PDF file to write."),
    copies: int = typer.Option(1, "--copies", min=1, help="Copies to be printed (counted in the report)."),
    today: str = typer.Option(None, "--today", help="Fix 'today' (YYYY-MM-DD): sessions from this date on."),
) -> None:
    """Make an A4 poster: upcoming sessions, what to bring, VNeID steps, hotlines, QR codes."""
    from bot.cli_helpers import load_settings, open_store
    from bot.reach.poster import gather, log_posters
    from bot.reach.poster_pdf import render_poster

    settings = load_settings()
    now = datetime.now(UTC)
    day = date.fromisoformat(today) if today else now.astimezone(ZoneInfo(settings.timezone)).date()
    store = open_store(settings)
    try:
        data = gather(store, settings, unit, today=day, message_id=message)
        pdf = render_poster(data, today=day)
        out.write_bytes(pdf)
        log_posters(store, data, copies=copies, source="cli", created_by=None, now=now)
    finally:
        store.close()
    code = f", mã {data.code}" if data.code else ""
    typer.echo(f"Đã tạo áp phích {data.unit_label}: {out} ({len(pdf) // 1024} KB, {len(data.sessions)} buổi khám{code}).")
