"""Reach beyond the bot: share packs and group heads' links, posters, QR first visits.

- CLI: ``loa poster``.
- Web: the public share page for group heads (``/chia-se/<token>``), the QR first-visit
  counter (``POST /api/qr-visit``); the admin pages live in ``bot.web.admin.reach``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.features.base import Feature

if TYPE_CHECKING:
    import typer
    from fastapi import FastAPI


class Reach(Feature):
    """``loa poster``, the share page and the QR visit counter."""

    name = "reach"

    def add_cli(self, app: typer.Typer) -> None:
        """Add ``loa poster``."""
        from bot.reach.cli import poster_command

        app.command("poster")(poster_command)

    def add_web_routes(self, app: FastAPI) -> None:
        """Add the group heads' share page and the QR visit counter."""
        from bot.web import share

        app.include_router(share.router)
