"""Telegram channel plug-in: starts the bot when ``LOA_TELEGRAM_TOKEN`` is set, serves
``POST /webhook/telegram``, and adds ``loa channels check``."""

# No ``from __future__ import annotations`` here: FastAPI must see the real ``Request``
# class on the route defined inside ``add_web_routes`` (imported there to keep start-up fast).
import logging
from typing import TYPE_CHECKING

from bot.features.base import Feature

if TYPE_CHECKING:
    import typer
    from fastapi import FastAPI

    from bot.runtime import Runtime

logger = logging.getLogger(__name__)


class Telegram(Feature):
    """The Telegram adapter, its webhook route and ``loa channels``."""

    name = "telegram"

    async def start(self, runtime: "Runtime") -> None:
        """Start the Telegram adapter (polling or webhook) in the background."""
        if not runtime.settings.channel_configured("telegram"):
            return
        from bot.channels.telegram import TelegramAdapter

        adapter = TelegramAdapter(runtime.settings, runtime.dialog)
        runtime.channels["telegram"] = adapter
        await adapter.start()

    def add_web_routes(self, app: "FastAPI") -> None:
        """Add the webhook route (secret checked before the body is parsed)."""
        from fastapi import Request
        from fastapi.responses import JSONResponse

        from bot.channels.telegram import TelegramAdapter
        from bot.web.webhooks import serve_webhook

        @app.post("/webhook/telegram", include_in_schema=False)
        async def telegram_webhook(request: Request) -> JSONResponse:
            return await serve_webhook(
                request, channel="telegram", adapter_type=TelegramAdapter, secret_header="x-telegram-bot-api-secret-token"
            )

    def add_cli(self, app: "typer.Typer") -> None:
        """Add ``loa channels`` (check both configured channels)."""
        from bot.channels.check import channels_app

        app.add_typer(channels_app, name="channels")
