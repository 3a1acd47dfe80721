"""The one neutral send path for Telegram and Zalo, and the outbound-only channels.

``TelegramChannel`` and ``ZaloChannel`` split a reply to the platform's length limit, send
the parts in order, and translate every platform failure once into the neutral errors of
``bot.channels.errors`` (``RetryAfter``, ``ChatGone``, ``ChatMoved``, ``Transient``,
``BadMessage``). They neither retry nor rate-limit: the broadcast sender decides that.
The receiving adapters (``bot/channels/telegram.py``, ``bot/channels/zalo/``) reuse them.

``open_outbound(settings)`` gives a sender for every configured token without receiving
updates (for the broadcast sender and the CLI). Its Telegram channel is
``TelegramSendChannel``: sendMessage posted straight through one long-lived httpx
transport over a lean network backend (``bot/channels/http_backend.py``) —
python-telegram-bot's generic request path costs about as much CPU per message as the HTTP
itself, which caps a broadcast. PTB stays for receiving updates and replies.
"""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from bot.channels.errors import BadMessage, ChatGone, ChatMoved, RetryAfter, SendError, Transient
from bot.channels.split import TELEGRAM_LIMIT, ZALO_LIMIT, split_text
from bot.config import Settings
from bot.dialog import Reply

if TYPE_CHECKING:
    import httpx
    from telegram import Bot

    from bot.channels.base import Channel
    from bot.channels.zalo.client import ZaloClient

logger = logging.getLogger(__name__)

# Telegram descriptions (lower-cased fragments) meaning the chat cannot be reached any more.
_GONE_FRAGMENTS = (
    "chat not found",
    "user not found",
    "bot was blocked",
    "bot was kicked",
    "user is deactivated",
    "group chat was deactivated",
    "bot is not a member",
    "not enough rights to send",
    "have no rights to send",
    "need administrator rights",
    "peer_id_invalid",
    "chat_write_forbidden",
)
_ENTITY_FRAGMENT = "can't parse entities"


def quiet_http_logs() -> None:
    """Keep tokens out of logs: Bot API URLs contain the token.

    httpx logs every request URL at INFO; python-telegram-bot logs its base URL at DEBUG.
    """
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(logging.WARNING)
    ptb = logging.getLogger("telegram")
    if ptb.getEffectiveLevel() < logging.INFO:
        ptb.setLevel(logging.INFO)


# --- Telegram ---------------------------------------------------------------------------------
def telegram_base_urls(settings: Settings) -> tuple[str, str]:
    """PTB's ``base_url`` and ``base_file_url`` for the configured Bot API server."""
    root = settings.telegram_base_url.rstrip("/")
    return f"{root}/bot", f"{root}/file/bot"


def translate_telegram_error(exc: Exception) -> SendError:
    """The neutral error for a python-telegram-bot exception."""
    from telegram import error as tg

    text = str(exc)
    low = text.lower()
    if isinstance(exc, tg.RetryAfter):
        delay = exc.retry_after
        seconds = delay.total_seconds() if isinstance(delay, timedelta) else float(delay)
        return RetryAfter(seconds, f"Telegram flood control: retry after {seconds:g}s")
    if isinstance(exc, tg.ChatMigrated):
        return ChatMoved(str(exc.new_chat_id), f"Telegram group moved to {exc.new_chat_id}")
    if isinstance(exc, tg.Forbidden):
        return ChatGone(f"Telegram: {text}")
    if isinstance(exc, tg.InvalidToken):
        # The whole channel is misconfigured; the sender retries later rather than dropping chats.
        return Transient("Telegram rejected the bot token (check LOA_TELEGRAM_TOKEN)")
    if isinstance(exc, tg.BadRequest):
        if any(f in low for f in _GONE_FRAGMENTS):
            return ChatGone(f"Telegram: {text}")
        return BadMessage(f"Telegram: {text}")
    if isinstance(exc, tg.TelegramError):
        # NetworkError, TimedOut, 5xx, Conflict, malformed server responses: try again later.
        return Transient(f"Telegram: {type(exc).__name__}: {text}")
    return Transient(f"Telegram: unexpected {type(exc).__name__}")


def _telegram_chat_id(chat_id: str) -> int:
    """Telegram chats Loa knows always have integer ids; anything else is never sent to."""
    text = str(chat_id).strip()
    digits = text[1:] if text.startswith("-") else text
    if not digits.isdigit() or len(digits) > 19:
        raise BadMessage(f"not a Telegram chat id: {text[:32]!r}")
    return int(text)


class TelegramChannel:
    """Sends replies through a python-telegram-bot ``Bot`` (outbound only)."""

    name = "telegram"

    def __init__(self, bot: Bot, *, parse_mode: str | None = None, owns_bot: bool = True) -> None:
        self.bot = bot
        self.parse_mode = parse_mode
        self._owns_bot = owns_bot

    async def start(self) -> None:
        """Nothing to receive; check the token once (failures surface on send)."""
        try:
            await self.bot.initialize()
        except Exception as exc:  # noqa: BLE001 - a down API must not stop the app
            logger.warning("Telegram getMe failed at start: %s", translate_telegram_error(exc))

    async def stop(self) -> None:
        """Close the HTTP connections (if this channel owns the bot)."""
        if self._owns_bot:
            await self.bot.shutdown()

    async def send(self, chat_id: str, reply: Reply) -> None:
        """Send ``reply`` (split to 4096 UTF-16 units) or raise a neutral SendError."""
        parts = split_text(reply.text, TELEGRAM_LIMIT, units="utf16")
        for index, part in enumerate(parts):
            await self._send_part(chat_id, part, reply.reply_to if index == 0 else None)

    async def _send_part(self, chat_id: str, text: str, reply_to: str | None) -> None:
        from telegram import ReplyParameters
        from telegram.error import BadRequest

        kwargs: dict[str, Any] = {}
        if reply_to and str(reply_to).isdigit():
            kwargs["reply_parameters"] = ReplyParameters(int(reply_to), allow_sending_without_reply=True)
        target = _telegram_chat_id(chat_id)
        try:
            try:
                await self.bot.send_message(target, text, parse_mode=self.parse_mode, **kwargs)
            except BadRequest as exc:
                if self.parse_mode is None or _ENTITY_FRAGMENT not in str(exc).lower():
                    raise
                # Formatting the platform cannot parse: the words matter more, send plain.
                await self.bot.send_message(target, text, parse_mode=None, **kwargs)
        except Exception as exc:  # noqa: BLE001 - translated once, here
            raise translate_telegram_error(exc) from exc


def make_telegram_bot(settings: Settings, *, pool_size: int = 16) -> Bot:
    """A ``telegram.Bot`` for the configured token and server, with explicit timeouts."""
    from telegram import Bot
    from telegram.request import HTTPXRequest

    if settings.telegram_token is None or not settings.telegram_token.get_secret_value():
        raise ValueError("LOA_TELEGRAM_TOKEN is not set")
    quiet_http_logs()
    base_url, base_file_url = telegram_base_urls(settings)
    request = HTTPXRequest(
        connection_pool_size=pool_size,
        connect_timeout=5.0,
        read_timeout=10.0,
        write_timeout=10.0,
        pool_timeout=10.0,
    )
    return Bot(
        settings.telegram_token.get_secret_value(),
        base_url=base_url,
        base_file_url=base_file_url,
        request=request,
        get_updates_request=HTTPXRequest(connection_pool_size=1, read_timeout=40.0, connect_timeout=5.0),
    )


class TelegramSendChannel:
    """Send-only Telegram channel: sendMessage over one keep-alive httpx transport.

    Same behaviour as :class:`TelegramChannel` (splitting, reply-to, plain-text fallback,
    the same neutral errors) without python-telegram-bot's per-call overhead. Requests wait
    on an ``asyncio.Semaphore`` sized to the connection pool, so httpcore's pool (whose
    bookkeeping grows with the number of waiting requests) never has a queue.
    """

    name = "telegram"

    def __init__(
        self,
        token: str,
        base_url: str = "https://api.telegram.org",
        *,
        parse_mode: str | None = None,
        connections: int = 8,
        connect_timeout: float = 5.0,
        read_timeout: float = 10.0,
        write_timeout: float = 10.0,
        pool_timeout: float = 10.0,
    ) -> None:
        import httpx

        from bot.channels.http_backend import lean_transport

        self.parse_mode = parse_mode
        root = f"{base_url.rstrip('/')}/bot{token}"
        # Parsed once: httpx re-parses string URLs on every request.
        self._send_url = httpx.URL(f"{root}/sendMessage")
        self._me_url = httpx.URL(f"{root}/getMe")
        self._gate = asyncio.Semaphore(max(1, connections))
        limits = httpx.Limits(
            max_connections=max(1, connections), max_keepalive_connections=max(1, connections), keepalive_expiry=60.0
        )
        timeout = httpx.Timeout(connect=connect_timeout, read=read_timeout, write=write_timeout, pool=pool_timeout)
        # With a proxy in the environment (honoured as python-telegram-bot does), httpx's
        # own transports; a transport of ours would switch the environment proxies off.
        self._transport = None if _env_proxies() else lean_transport(limits)
        self._client = httpx.AsyncClient(
            transport=self._transport,
            limits=limits,
            timeout=timeout,
            headers={"content-type": "application/json"},
            follow_redirects=False,
        )
        # Without a proxy, requests go straight to the transport: no redirects, auth or
        # cookies to handle for the Bot API, and the client's layer (request building,
        # cookie extraction) costs ~15% of a message's CPU.
        self._headers = {"content-type": "application/json"}
        self._extensions = {"timeout": timeout.as_dict()}

    async def start(self) -> None:
        """Nothing to receive; check the token once (failures surface on send)."""
        try:
            await self._call(self._me_url, b"{}")
        except SendError as exc:
            logger.warning("Telegram getMe failed at start: %s", exc)

    async def stop(self) -> None:
        """Close the HTTP connections."""
        await self._client.aclose()

    async def send(self, chat_id: str, reply: Reply) -> None:
        """Send ``reply`` (split to 4096 UTF-16 units) or raise a neutral SendError."""
        parts = split_text(reply.text, TELEGRAM_LIMIT, units="utf16")
        target = _telegram_chat_id(chat_id)
        for index, part in enumerate(parts):
            reply_to = reply.reply_to if index == 0 else None
            await self._send_part(target, part, reply_to)

    async def _send_part(self, target: int | str, text: str, reply_to: str | None) -> None:
        params: dict[str, Any] = {"chat_id": target, "text": text}
        if reply_to and str(reply_to).isdigit():
            params["reply_parameters"] = {"message_id": int(reply_to), "allow_sending_without_reply": True}
        if self.parse_mode is not None:
            params["parse_mode"] = self.parse_mode
        try:
            await self._call(self._send_url, json.dumps(params, ensure_ascii=False).encode())
        except BadMessage as exc:
            if self.parse_mode is None or _ENTITY_FRAGMENT not in str(exc).lower():
                raise
            # Formatting the platform cannot parse: the words matter more, send plain.
            del params["parse_mode"]
            await self._call(self._send_url, json.dumps(params, ensure_ascii=False).encode())

    async def _call(self, url: httpx.URL, body: bytes) -> Any:
        """POST one Bot API call; the ``result`` or a neutral SendError."""
        # httpcore asks sniffio which async library runs, dozens of times per request; sniffio
        # answers through asyncio.current_task(), which on Python 3.11 costs a getpid()
        # system call each time. Saying "asyncio" up front (sniffio's documented context
        # variable; this task's context only) spares them.
        _sniffio_says_asyncio()
        try:
            async with self._gate:
                if self._transport is None:
                    response = await self._client.post(url, content=body)
                    status, payload = response.status_code, response.content
                else:
                    status, payload = await self._post_direct(url, body)
        except Exception as exc:  # noqa: BLE001 - translated once, here (as PTB's NetworkError)
            # Timeouts (read: the message may still arrive, hence at-least-once), refused
            # connections, broken keep-alive sockets. Never str(exc): it may carry the URL.
            raise Transient(f"Telegram: {type(exc).__name__}") from exc
        return telegram_result(status, payload)

    async def _post_direct(self, url: httpx.URL, body: bytes) -> tuple[int, bytes]:
        import httpx

        assert self._transport is not None
        request = httpx.Request("POST", url, headers=self._headers, content=body, extensions=self._extensions)
        response = await self._transport.handle_async_request(request)
        try:
            return response.status_code, await response.aread()
        finally:
            await response.aclose()


def telegram_result(status: int, payload: bytes) -> Any:
    """The ``result`` of a Bot API answer, or the neutral error for it (as PTB maps them)."""
    try:
        data = json.loads(payload)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise Transient(f"Telegram: invalid server response (HTTP {status})")
    if 200 <= status <= 299 and data.get("ok", True) is not False:
        if "result" not in data:
            raise Transient(f"Telegram: invalid server response (HTTP {status})")
        return data["result"]
    description = str(data.get("description") or f"HTTP {status}")
    parameters = data.get("parameters")
    if isinstance(parameters, dict):
        if parameters.get("migrate_to_chat_id"):
            new_id = parameters["migrate_to_chat_id"]
            raise ChatMoved(str(new_id), f"Telegram group moved to {new_id}")
        if parameters.get("retry_after"):
            seconds = float(parameters["retry_after"])
            raise RetryAfter(seconds, f"Telegram flood control: retry after {seconds:g}s")
    code = status if status >= 300 else int(data.get("error_code") or 0)
    if code == 403:
        raise ChatGone(f"Telegram: {description}")
    if code in (401, 404):
        # The whole channel is misconfigured; the sender retries later rather than dropping chats.
        raise Transient("Telegram rejected the bot token (check LOA_TELEGRAM_TOKEN)")
    if code == 400:
        low = description.lower()
        if any(f in low for f in _GONE_FRAGMENTS):
            raise ChatGone(f"Telegram: {description}")
        raise BadMessage(f"Telegram: {description}")
    # 5xx, 409 Conflict, anything unexpected: try again later.
    raise Transient(f"Telegram: HTTP {code}: {description}")


def _sniffio_says_asyncio() -> None:
    try:
        import sniffio
    except ImportError:  # pragma: no cover - httpx's dependencies include it
        return
    if sniffio.current_async_library_cvar.get() is None:
        sniffio.current_async_library_cvar.set("asyncio")


def _env_proxies() -> bool:
    """True when HTTP(S)_PROXY / ALL_PROXY is set (httpx would use it)."""
    import urllib.request

    return any(k in ("http", "https", "all") for k in urllib.request.getproxies())


def make_telegram_sender(settings: Settings, *, connections: int = 8) -> TelegramSendChannel:
    """The send-only Telegram channel for the configured token and server."""
    if settings.telegram_token is None or not settings.telegram_token.get_secret_value():
        raise ValueError("LOA_TELEGRAM_TOKEN is not set")
    quiet_http_logs()
    return TelegramSendChannel(
        settings.telegram_token.get_secret_value(), settings.telegram_base_url, connections=connections
    )


# --- Zalo -------------------------------------------------------------------------------------
def translate_zalo_error(exc: Exception) -> SendError:
    """The neutral error for a ZaloError (or anything else raised while sending)."""
    from bot.channels.zalo import client as z

    if isinstance(exc, z.RateLimited):
        return RetryAfter(exc.retry_after, f"Zalo rate limit: retry after {exc.retry_after:g}s")
    if isinstance(exc, z.Unauthorized):
        return Transient("Zalo rejected the bot token (check LOA_ZALO_TOKEN)")
    if isinstance(exc, z.BadRequest):
        low = exc.description.lower()
        if exc.error_code in (403, 404) or any(
            f in low for f in ("block", "not found", "not in the chat", "not a member", "removed")
        ):
            return ChatGone(str(exc))
        return BadMessage(str(exc))
    if isinstance(exc, z.ZaloError):
        return Transient(str(exc))
    return Transient(f"Zalo: unexpected {type(exc).__name__}")


class ZaloChannel:
    """Sends replies through a :class:`ZaloClient` (outbound only)."""

    name = "zalo"

    def __init__(self, client: ZaloClient, *, owns_client: bool = True) -> None:
        self.client = client
        self._owns_client = owns_client

    async def start(self) -> None:
        """Nothing to receive."""

    async def stop(self) -> None:
        """Close the HTTP connections (if this channel owns the client)."""
        if self._owns_client:
            await self.client.aclose()

    async def send(self, chat_id: str, reply: Reply) -> None:
        """Send ``reply`` (split to 2000 characters) or raise a neutral SendError."""
        for part in split_text(reply.text, ZALO_LIMIT, units="chars"):
            try:
                await self.client.send_message(str(chat_id), part)
            except Exception as exc:  # noqa: BLE001 - translated once, here
                raise translate_zalo_error(exc) from exc


def make_zalo_client(settings: Settings) -> ZaloClient:
    """A :class:`ZaloClient` for the configured token and server."""
    from bot.channels.zalo.client import ZaloClient

    if settings.zalo_token is None or not settings.zalo_token.get_secret_value():
        raise ValueError("LOA_ZALO_TOKEN is not set")
    return ZaloClient(settings.zalo_token.get_secret_value(), settings.zalo_base_url)


# --- replies ---------------------------------------------------------------------------------------
#: A reply to a resident may wait this long for a platform's flood control before it is dropped.
REPLY_MAX_WAIT = 10.0


async def send_reply(channel: Channel, chat_id: str, reply: Reply, *, max_wait: float = REPLY_MAX_WAIT) -> None:
    """Send a reply to a resident, waiting out one short 429 or transient failure.

    Broadcasts have their own retry policy; a resident who just asked should still get the
    answer when a busy group hit the per-group limit. ``ChatGone`` / ``ChatMoved`` /
    ``BadMessage`` and long waits are raised to the caller.
    """
    import asyncio

    from bot.metrics import channel_ok

    try:
        await channel.send(chat_id, reply)
        channel_ok(channel.name)
        return
    except RetryAfter as exc:
        if exc.seconds > max_wait:
            raise
        await asyncio.sleep(exc.seconds)
    except Transient:
        await asyncio.sleep(1.0)
    await channel.send(chat_id, reply)
    channel_ok(channel.name)


# --- outbound set -------------------------------------------------------------------------------
def _has(secret: Any) -> bool:
    return secret is not None and bool(secret.get_secret_value())


async def open_outbound(settings: Settings) -> dict[str, Channel]:
    """A send-only channel for every configured token (``telegram``, ``zalo``)."""
    quiet_http_logs()
    channels: dict[str, Channel] = {}
    if _has(settings.telegram_token):
        channel = make_telegram_sender(settings)
        await channel.start()
        channels["telegram"] = channel
    if _has(settings.zalo_token):
        channels["zalo"] = ZaloChannel(make_zalo_client(settings))
    return channels


async def close_outbound(channels: dict[str, Channel]) -> None:
    """Close every channel opened by :func:`open_outbound`."""
    for name, channel in channels.items():
        try:
            await channel.stop()
        except Exception:  # noqa: BLE001 - closing the others matters more
            logger.exception("outbound channel %s did not close cleanly", name)
