"""Zalo channel plug-in: starts the bot when ``LOA_ZALO_TOKEN`` is set and serves
``POST /webhook/zalo``."""

# No ``from __future__ import annotations``: FastAPI must see the real ``Request`` class.
import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI

    from bot.runtime import Runtime

ORDER = 6
logger = logging.getLogger(__name__)


async def start(runtime: "Runtime") -> None:
    """Start the Zalo adapter (long polling or webhook) in the background."""
    token = runtime.settings.zalo_token
    if token is None or not token.get_secret_value():
        return
    from bot.channels.zalo.receive import ZaloAdapter

    adapter = ZaloAdapter(runtime.settings, runtime.dialog)
    runtime.channels["zalo"] = adapter
    await adapter.start()


def register_web(app: "FastAPI") -> None:
    """Add the webhook route (secret checked before the body is parsed)."""
    from fastapi import Request
    from fastapi.responses import JSONResponse

    from bot.channels.zalo.receive import MAX_WEBHOOK_BODY, WebhookRejected, ZaloAdapter, secret_matches
    from bot.features.telegram import read_limited

    @app.post("/webhook/zalo", include_in_schema=False)
    async def zalo_webhook(request: Request) -> JSONResponse:
        runtime = getattr(request.app.state, "runtime", None)
        adapter = runtime.channels.get("zalo") if runtime is not None else None
        if not isinstance(adapter, ZaloAdapter) or adapter.mode != "webhook":
            return JSONResponse({"ok": False, "error": "Zalo webhook is not enabled"}, status_code=404)
        given = request.headers.get("x-bot-api-secret-token")
        if given is None:
            return JSONResponse({"ok": False, "error": "missing secret token"}, status_code=401)
        if not secret_matches(given, adapter.webhook_secret):
            return JSONResponse({"ok": False, "error": "wrong secret token"}, status_code=403)
        body = await read_limited(request, MAX_WEBHOOK_BODY)
        if body is None:
            return JSONResponse({"ok": False, "error": "body too large"}, status_code=413)
        try:
            accepted = await adapter.feed_webhook(body)
        except WebhookRejected as exc:
            return JSONResponse({"ok": False, "error": exc.reason}, status_code=exc.status)
        return JSONResponse({"ok": True, "accepted": accepted})
