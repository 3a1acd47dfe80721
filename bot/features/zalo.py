"""Zalo channel plug-in: starts the bot when ``LOA_ZALO_TOKEN`` is set and serves
``POST /webhook/zalo``."""

# No ``from __future__ import annotations``: FastAPI must see the real ``Request`` class.
import logging
from typing import TYPE_CHECKING

from bot.features.base import Feature

if TYPE_CHECKING:
    from fastapi import FastAPI

    from bot.runtime import Runtime

logger = logging.getLogger(__name__)


class Zalo(Feature):
    """The Zalo adapter and its webhook route."""

    name = "zalo"

    async def start(self, runtime: "Runtime") -> None:
        """Start the Zalo adapter (long polling or webhook) in the background."""
        if not runtime.settings.channel_configured("zalo"):
            return
        from bot.channels.zalo.receive import ZaloAdapter

        adapter = ZaloAdapter(runtime.settings, runtime.dialog)
        runtime.channels["zalo"] = adapter
        await adapter.start()

    def add_web_routes(self, app: "FastAPI") -> None:
        """Add the webhook route (secret checked before the body is parsed)."""
        from fastapi import Request
        from fastapi.responses import JSONResponse

        from bot.channels.zalo.receive import ZaloAdapter
        from bot.web.webhooks import serve_webhook

        @app.post("/webhook/zalo", include_in_schema=False)
        async def zalo_webhook(request: Request) -> JSONResponse:
            return await serve_webhook(request, channel="zalo", adapter_type=ZaloAdapter, secret_header="x-bot-api-secret-token")
