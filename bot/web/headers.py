"""Security headers on every response, in one place (a pure-ASGI middleware).

- Everything: ``X-Content-Type-Options: nosniff``.
- Admin (pages, downloads, error pages): a strict Content-Security-Policy (scripts only from
  /static, no framing), ``Cache-Control: no-store``, ``Referrer-Policy: same-origin``.
- The web chat page: a CSP that still lets a health department embed it in a frame.
- The chat API: ``Cache-Control: no-store`` (answers may quote what the resident asked).

Headers a route already set are left alone. Inline ``style=""`` attributes are allowed
(the templates use them for layout); inline scripts are not: every script is a static file.
"""

from __future__ import annotations

from bot.web.limits import ASGIApp, Message, Receive, Scope, Send

_COMMON = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'"
)
ADMIN_CSP = _COMMON + "; frame-ancestors 'none'"
CHAT_CSP = _COMMON


def headers_for(path: str) -> dict[bytes, bytes]:
    """The security headers for a response to ``path``."""
    out = {b"x-content-type-options": b"nosniff"}
    if path == "/admin" or path.startswith("/admin/"):
        out |= {
            b"content-security-policy": ADMIN_CSP.encode(),
            b"cache-control": b"no-store",
            b"x-frame-options": b"DENY",
            b"referrer-policy": b"same-origin",
        }
    elif path.startswith("/chia-se/"):
        # A group head's personal link: the token is in the path, so it must never be sent on.
        out |= {
            b"content-security-policy": ADMIN_CSP.encode(),
            b"cache-control": b"no-store",
            b"referrer-policy": b"no-referrer",
        }
    elif path == "/chat":
        out |= {b"content-security-policy": CHAT_CSP.encode(), b"referrer-policy": b"same-origin"}
    elif path.startswith("/api/"):
        out |= {b"cache-control": b"no-store"}
    return out


class SecurityHeadersMiddleware:
    """Add :func:`headers_for` to every HTTP response that does not set them itself."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = headers_for(scope.get("path", "/"))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in extra.items() if k not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
