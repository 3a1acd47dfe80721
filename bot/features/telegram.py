"""Telegram channel plug-in: starts the bot when ``LOA_TELEGRAM_TOKEN`` is set, serves
``POST /webhook/telegram``, and adds ``loa channels check``."""

# No ``from __future__ import annotations`` here: FastAPI must see the real ``Request``
# class on the route defined inside ``register_web`` (imported there to keep start-up fast).
import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import typer
    from fastapi import FastAPI, Request

    from bot.runtime import Runtime

ORDER = 5
logger = logging.getLogger(__name__)


def _enabled(runtime: "Runtime") -> bool:
    token = runtime.settings.telegram_token
    return token is not None and bool(token.get_secret_value())


async def start(runtime: "Runtime") -> None:
    """Start the Telegram adapter (polling or webhook) in the background."""
    if not _enabled(runtime):
        return
    from bot.channels.telegram import TelegramAdapter

    adapter = TelegramAdapter(runtime.settings, runtime.dialog)
    runtime.channels["telegram"] = adapter
    await adapter.start()


async def read_limited(request: "Request", limit: int) -> bytes | None:
    """The request body, or None when it is larger than ``limit`` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            return None
    return bytes(body)


def register_web(app: "FastAPI") -> None:
    """Add the webhook route (secret checked before the body is parsed)."""
    from fastapi import Request
    from fastapi.responses import JSONResponse

    from bot.channels.telegram import MAX_WEBHOOK_BODY, TelegramAdapter, WebhookRejected, secret_matches

    @app.post("/webhook/telegram", include_in_schema=False)
    async def telegram_webhook(request: Request) -> JSONResponse:
        runtime = getattr(request.app.state, "runtime", None)
        adapter = runtime.channels.get("telegram") if runtime is not None else None
        if not isinstance(adapter, TelegramAdapter) or adapter.mode != "webhook":
            return JSONResponse({"ok": False, "error": "Telegram webhook is not enabled"}, status_code=404)
        given = request.headers.get("x-telegram-bot-api-secret-token")
        if given is None:
            return JSONResponse({"ok": False, "error": "missing secret token"}, status_code=401)
        if not secret_matches(given, adapter.webhook_secret):
            return JSONResponse({"ok": False, "error": "wrong secret token"}, status_code=403)
        body = await read_limited(request, MAX_WEBHOOK_BODY)
        if body is None:
            return JSONResponse({"ok": False, "error": "body too large"}, status_code=413)
        try:
            await adapter.feed_webhook(body)
        except WebhookRejected as exc:
            return JSONResponse({"ok": False, "error": exc.reason}, status_code=exc.status)
        return JSONResponse({"ok": True})


def register_cli(app: "typer.Typer") -> None:
    """Add ``loa channels`` (check both configured channels)."""
    from bot.channels.check import channels_app

    app.add_typer(channels_app, name="channels")
