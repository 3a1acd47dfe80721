"""The access log: one line per HTTP request (method, path, status, time, client address).

Query strings are left out (they may carry a search a resident typed); the path alone names
the endpoint. The client is the address Loa believes: the peer, or the address a trusted
reverse proxy forwarded, so this middleware sits inside the proxy middleware. Health checks,
metric scrapes and static files are not logged (a monitor would drown everything else).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

logger = logging.getLogger("bot.web.access")
QUIET_PREFIXES = ("/healthz", "/metrics", "/static/")


class AccessLogMiddleware:
    """Log each request once its response has started (status known) or failed."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if scope["type"] != "http" or path.startswith(QUIET_PREFIXES):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            client = scope.get("client")
            logger.info(
                "request",
                extra={
                    "kv": {
                        "method": scope.get("method"),
                        "path": path[:200],
                        "status": status,
                        "ms": round((time.perf_counter() - started) * 1000, 1),
                        "client": client[0] if client else None,
                        "scheme": scope.get("scheme"),
                    }
                },
            )
