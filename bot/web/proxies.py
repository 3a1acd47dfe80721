"""Who is calling: the client address and scheme, believing forwarded headers only from
configured reverse proxies (``LOA_TRUSTED_PROXIES``).

uvicorn's own proxy-header handling is switched off (``loa run``); this middleware does it
instead, with Loa's setting. When the direct peer is a trusted proxy, the client is the
right-most ``X-Forwarded-For`` address that is not itself a trusted proxy (addresses to its
left were written by the client and prove nothing); ``X-Forwarded-Proto`` sets the scheme.
From any other peer both headers are ignored.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import Any

from starlette.requests import Request

from bot.web.limits import ASGIApp, Receive, Scope, Send

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "203.0.113.7:5678"
        text = text.split(":")[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def is_trusted(address: str | None, networks: Iterable[Network]) -> bool:
    """True when ``address`` lies in one of ``networks``."""
    ip = _ip(address or "")
    return ip is not None and any(ip in net for net in networks)


def forwarded_client(peer: str, forwarded_for: list[str], networks: tuple[Network, ...]) -> str:
    """The client address for a request from ``peer`` carrying these X-Forwarded-For values."""
    if not is_trusted(peer, networks):
        return peer
    hops = [h.strip() for value in forwarded_for for h in value.split(",") if h.strip()]
    client = peer
    for hop in reversed(hops):
        ip = _ip(hop)
        if ip is None:
            break  # garbage: keep the last address a trusted proxy vouched for
        client = str(ip)
        if not any(ip in net for net in networks):
            break
    return client


class TrustedProxyMiddleware:
    """Rewrite ``scope["client"]`` and ``scope["scheme"]`` from a trusted proxy's headers."""

    def __init__(self, app: ASGIApp, networks: tuple[Network, ...]) -> None:
        self.app = app
        self.networks = networks

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = scope.get("client")
        if scope["type"] in ("http", "websocket") and client and self.networks and is_trusted(client[0], self.networks):
            headers: list[tuple[bytes, bytes]] = scope.get("headers", [])
            forwarded = [v.decode("latin-1") for k, v in headers if k == b"x-forwarded-for"]
            protos = [v.decode("latin-1") for k, v in headers if k == b"x-forwarded-proto"]
            scope = dict(scope)
            scope["client"] = (forwarded_client(client[0], forwarded, self.networks), client[1])
            proto = protos[-1].split(",")[-1].strip().lower() if protos else ""
            if proto in ("http", "https"):
                scope["scheme"] = proto if scope["type"] == "http" else {"http": "ws", "https": "wss"}[proto]
        await self.app(scope, receive, send)


def secure_cookies(request: Request) -> bool:
    """Whether cookies set on this response must be ``Secure``: the request came over HTTPS
    (directly or through a trusted proxy), or the setting forces it."""
    settings: Any = request.app.state.runtime.settings
    return bool(settings.cookie_secure) or request.url.scheme == "https"
