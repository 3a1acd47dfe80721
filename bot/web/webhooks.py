"""The webhook endpoint both platforms share: adapter enabled, secret header checked in
constant time before the body is read, body size capped, then the adapter parses it."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse

from bot.channels.webhook import MAX_WEBHOOK_BODY, WebhookRejected, secret_matches


async def read_limited(request: Request, limit: int) -> bytes | None:
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


async def serve_webhook(request: Request, *, channel: str, adapter_type: type[Any], secret_header: str) -> JSONResponse:
    """Answer one webhook POST for ``channel``: 404 when its webhook is off, 401/403 for a
    missing/wrong secret, 413 for an oversized body, the adapter's 4xx for a malformed one."""
    runtime = getattr(request.app.state, "runtime", None)
    adapter: Any = runtime.channels.get(channel) if runtime is not None else None
    if not isinstance(adapter, adapter_type) or adapter.mode != "webhook":
        return JSONResponse({"ok": False, "error": f"{channel.title()} webhook is not enabled"}, status_code=404)
    given = request.headers.get(secret_header)
    if given is None:
        return JSONResponse({"ok": False, "error": "missing secret token"}, status_code=401)
    if not secret_matches(given, adapter.webhook_secret):
        return JSONResponse({"ok": False, "error": "wrong secret token"}, status_code=403)
    body = await read_limited(request, MAX_WEBHOOK_BODY)
    if body is None:
        return JSONResponse({"ok": False, "error": "body too large"}, status_code=413)
    try:
        result = await adapter.feed_webhook(body)
    except WebhookRejected as exc:
        return JSONResponse({"ok": False, "error": exc.reason}, status_code=exc.status)
    return JSONResponse({"ok": True} if result is None else {"ok": True, "accepted": result})
