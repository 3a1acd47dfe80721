"""A small async client for the Zalo Bot Platform API, on one long-lived httpx client.

In the style of the python-zalo-bot SDK (``get_me``, ``get_updates``, ``send_message``...)
but asynchronous, with explicit timeouts and one typed error tree: every failure — a
non-2xx status, an HTTP 200 with ``ok: false``, a malformed body, a network error — is
translated once into a :class:`ZaloError` subclass. URLs carry the token, so no message
here ever includes a URL.
"""

from __future__ import annotations

import logging
from typing import Any

import httpx

logger = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://bot-api.zaloplatforms.com"
DEFAULT_TIMEOUT = httpx.Timeout(10.0, connect=5.0)
#: Extra seconds allowed on top of a long poll's server-side timeout.
POLL_GRACE = 10.0


class ZaloError(Exception):
    """The Zalo Bot API refused or could not answer a call."""

    def __init__(self, message: str, *, error_code: int | None = None, description: str = "") -> None:
        super().__init__(message)
        self.error_code = error_code
        self.description = description


class Unauthorized(ZaloError):
    """The token is wrong or revoked (401)."""


class RateLimited(ZaloError):
    """Too many requests (429); wait ``retry_after`` seconds."""

    def __init__(self, message: str, *, retry_after: float = 1.0, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class BadRequest(ZaloError):
    """The platform rejected the call itself (400, 403, 404...): retrying will not help."""


class NetworkError(ZaloError):
    """The platform could not be reached or answered with a server error (5xx, bad body)."""


class TimedOut(NetworkError):
    """The request timed out."""


def _error_from(method: str, code: int, description: str, parameters: Any) -> ZaloError:
    text = f"Zalo {method} failed ({code}): {description or 'no description'}"
    if code == 401:
        return Unauthorized(text, error_code=code, description=description)
    if code == 429:
        retry = 1.0
        if isinstance(parameters, dict):
            try:
                retry = float(parameters.get("retry_after", 1.0))
            except (TypeError, ValueError):
                retry = 1.0
        return RateLimited(text, retry_after=max(retry, 0.0), error_code=code, description=description)
    if code == 408:
        return TimedOut(text, error_code=code, description=description)
    if code >= 500:
        return NetworkError(text, error_code=code, description=description)
    return BadRequest(text, error_code=code, description=description)


class ZaloClient:
    """Async Zalo Bot API client. Use as ``async with ZaloClient(token) as zalo: ...``."""

    def __init__(
        self,
        token: str,
        base_url: str = DEFAULT_BASE_URL,
        *,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        max_connections: int = 32,
        http: httpx.AsyncClient | None = None,
    ) -> None:
        if not token:
            raise ValueError("a Zalo bot token is required")
        self._url = f"{base_url.rstrip('/')}/bot{token}/"
        self._timeout = timeout
        self._http = http or httpx.AsyncClient(
            timeout=timeout,
            limits=httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections),
            headers={"User-Agent": "loa-zalo/1"},
        )

    async def __aenter__(self) -> ZaloClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()

    async def call(self, method: str, payload: dict[str, Any] | None = None, *, timeout: float | None = None) -> Any:
        """Call ``method`` with a JSON body; return ``result`` or raise a ZaloError."""
        request_timeout = self._timeout if timeout is None else httpx.Timeout(timeout, connect=self._timeout.connect)
        try:
            response = await self._http.post(self._url + method, json=payload or {}, timeout=request_timeout)
        except httpx.TimeoutException as exc:
            raise TimedOut(f"Zalo {method} timed out ({type(exc).__name__})") from None
        except httpx.HTTPError as exc:
            raise NetworkError(f"Zalo {method}: network error ({type(exc).__name__})") from None
        try:
            data = response.json()
        except ValueError:
            data = None
        if not isinstance(data, dict):
            if response.is_success:
                raise NetworkError(f"Zalo {method}: malformed response body", error_code=response.status_code)
            raise _error_from(method, response.status_code, response.reason_phrase, None)
        if response.is_success and data.get("ok") is True:
            return data.get("result")
        code = data.get("error_code")
        if not isinstance(code, int) or isinstance(code, bool):
            code = response.status_code if not response.is_success else 400
        description = str(data.get("description") or data.get("message") or "")[:300]
        raise _error_from(method, code, description, data.get("parameters"))

    # --- methods -----------------------------------------------------------------------------
    async def get_me(self) -> dict[str, Any]:
        """The bot's own account."""
        result = await self.call("getMe")
        return result if isinstance(result, dict) else {}

    async def get_updates(self, timeout: int = 30) -> list[Any]:
        """Long-poll for updates; an empty poll (408) gives ``[]``. Items are raw (unparsed)."""
        try:
            result = await self.call("getUpdates", {"timeout": str(timeout)}, timeout=timeout + POLL_GRACE)
        except TimedOut as exc:
            if exc.error_code == 408:
                return []
            raise
        if result is None:
            return []
        return result if isinstance(result, list) else [result]

    async def set_webhook(self, url: str, secret_token: str) -> Any:
        """Register ``url`` to receive updates; Zalo sends ``secret_token`` in X-Bot-Api-Secret-Token."""
        return await self.call("setWebhook", {"url": url, "secret_token": secret_token})

    async def delete_webhook(self) -> Any:
        """Remove the webhook (needed before long polling)."""
        return await self.call("deleteWebhook")

    async def get_webhook_info(self) -> dict[str, Any]:
        """The registered webhook (``url`` empty when none)."""
        result = await self.call("getWebhookInfo")
        return result if isinstance(result, dict) else {}

    async def send_message(self, chat_id: str, text: str) -> dict[str, Any]:
        """Send a text message (at most 2000 characters)."""
        result = await self.call("sendMessage", {"chat_id": chat_id, "text": text})
        return result if isinstance(result, dict) else {}

    async def send_photo(self, chat_id: str, photo: str, caption: str | None = None) -> dict[str, Any]:
        """Send a photo by URL, with an optional caption."""
        payload: dict[str, Any] = {"chat_id": chat_id, "photo": photo}
        if caption:
            payload["caption"] = caption
        result = await self.call("sendPhoto", payload)
        return result if isinstance(result, dict) else {}

    async def send_chat_action(self, chat_id: str, action: str = "typing") -> Any:
        """Show "typing…" (or ``upload_photo``) in the chat."""
        return await self.call("sendChatAction", {"chat_id": chat_id, "action": action})
