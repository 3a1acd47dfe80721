"""Request body limits, enforced while the body streams in (a small pure-ASGI middleware).

Every route has a byte limit (``BODY_LIMITS``, first matching prefix wins). A request whose
``Content-Length`` is above it is answered 413 before any byte is read; a chunked or lying
request is counted message by message and stopped with 413 as soon as it passes the limit,
so neither memory nor a multipart spool file ever holds more than the limit.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from bot.channels.webhook import MAX_WEBHOOK_BODY

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

KB = 1024
MB = 1024 * KB

#: Largest uploaded spreadsheet (the importers' own cap; bot.web.admin.uploads checks it too).
MAX_UPLOAD_BYTES = 10 * MB
#: Multipart framing and the form's other fields on top of the file.
UPLOAD_OVERHEAD = 64 * KB

#: (path prefix, largest body in bytes), most specific first; the last row is the default.
BODY_LIMITS: tuple[tuple[str, int], ...] = (
    ("/api/chat", 256 * KB),
    ("/webhook/", MAX_WEBHOOK_BODY),
    ("/admin/sites/upload", MAX_UPLOAD_BYTES + UPLOAD_OVERHEAD),
    ("/admin/activities/import", MAX_UPLOAD_BYTES + UPLOAD_OVERHEAD),
    ("/admin/login", 16 * KB),
    ("/admin/", 512 * KB),
    ("/", 64 * KB),
)

TOO_LARGE_TEXT = "Dữ liệu gửi lên quá lớn."


def body_limit(path: str) -> int:
    """The body limit in bytes for a request path."""
    for prefix, limit in BODY_LIMITS:
        if path == prefix.rstrip("/") or path.startswith(prefix):
            return limit
    return BODY_LIMITS[-1][1]


class BodyTooLarge(Exception):
    """Raised from ``receive`` when a body passes its route's limit (answered with 413)."""


class BodyLimitMiddleware:
    """Answer 413 for any HTTP request whose body is larger than its route's limit."""

    def __init__(self, app: ASGIApp, limit_for: Callable[[str], int] = body_limit) -> None:
        self.app = app
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "/")
        limit = self.limit_for(path)
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _send_413(send, path, limit)
            return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge()
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await _send_413(send, path, limit)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            text = value.decode("latin-1").strip()
            # A huge or malformed length is treated as "too large" rather than trusted.
            return int(text) if text.isdigit() and len(text) < 19 else 1 << 62
    return None


def _size_text(limit: int) -> str:
    return f"{limit // MB} MB" if limit >= MB else f"{max(1, limit // KB)} KB"


async def _send_413(send: Send, path: str, limit: int) -> None:
    """413 in Vietnamese: a short page for the admin's forms, JSON for the APIs."""
    text = f"{TOO_LARGE_TEXT} Giới hạn là {_size_text(limit)}."
    if path.startswith("/admin"):
        body = (
            '<!doctype html><html lang="vi"><meta charset="utf-8"><title>Quá lớn</title>'
            f"<p>{text} Vui lòng quay lại trang trước.</p></html>"
        ).encode()
        kind = b"text/html; charset=utf-8"
    else:
        body = json.dumps({"ok": False, "error": text}, ensure_ascii=False).encode("utf-8")
        kind = b"application/json; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", kind),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def loads_bounded(data: bytes | str) -> Any:
    """``json.loads`` that turns undecodable text and a nesting bomb (``[[[[...]]]]``, which
    makes the C parser raise ``RecursionError`` within microseconds) into ``ValueError``."""
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        return json.loads(text)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None
