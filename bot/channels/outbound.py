"""The one neutral send path for Telegram and Zalo, and the outbound-only channels.

``TelegramChannel`` and ``ZaloChannel`` split a reply to the platform's length limit, send
the parts in order, and translate every platform failure once into the neutral errors of
``bot.channels.errors`` (``RetryAfter``, ``ChatGone``, ``ChatMoved``, ``Transient``,
``BadMessage``). They neither retry nor rate-limit: the broadcast sender decides that.
The receiving adapters (``bot/channels/telegram.py``, ``bot/channels/zalo/``) reuse them.

``open_outbound(settings)`` gives a sender for every configured token without receiving
updates (for the broadcast sender and the CLI). Telegram goes through python-telegram-bot's
``Bot.send_message`` everywhere (replies and broadcasts alike), over a ``HTTPXRequest`` whose
connection pool is as large as the sender's in-flight window, so no send waits for a
connection. PTB's exceptions are translated once, in :func:`translate_telegram_error`.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from bot.channels.errors import BadMessage, ChatGone, ChatMoved, RetryAfter, SendError, Transient
from bot.channels.split import TELEGRAM_LIMIT, ZALO_LIMIT, split_text
from bot.config import Settings
from bot.conversation import Reply

if TYPE_CHECKING:
    from telegram import Bot
    from telegram.request import HTTPXRequest

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


def telegram_request(pool_size: int, *, read_timeout: float = 10.0) -> HTTPXRequest:
    """PTB's httpx request object with explicit timeouts and ``pool_size`` keep-alive connections."""
    from telegram.request import HTTPXRequest

    return HTTPXRequest(
        connection_pool_size=max(1, pool_size),
        connect_timeout=5.0,
        read_timeout=read_timeout,
        write_timeout=10.0,
        pool_timeout=10.0,
    )


def make_telegram_bot(settings: Settings, *, pool_size: int = 16) -> Bot:
    """A ``telegram.Bot`` for the configured token and server, with explicit timeouts.

    ``pool_size`` is the number of concurrent requests it may have in flight (the broadcast
    sender passes its window); getUpdates has its own one-connection request object.
    """
    from telegram import Bot

    token = settings.bot_token("telegram")
    if token is None:
        raise ValueError("LOA_TELEGRAM_TOKEN is not set")
    quiet_http_logs()
    base_url, base_file_url = telegram_base_urls(settings)
    return Bot(
        token,
        base_url=base_url,
        base_file_url=base_file_url,
        request=telegram_request(pool_size),
        get_updates_request=telegram_request(1, read_timeout=40.0),
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

    token = settings.bot_token("zalo")
    if token is None:
        raise ValueError("LOA_ZALO_TOKEN is not set")
    return ZaloClient(token, settings.zalo_base_url)


# --- replies ---------------------------------------------------------------------------------------
#: A reply to a resident may wait this long for a platform's flood control before it is dropped.
REPLY_MAX_WAIT = 10.0


async def send_reply(channel: Channel, chat_id: str, reply: Reply, *, max_wait: float = REPLY_MAX_WAIT) -> None:
    """Send a reply to a resident, waiting out one short 429 or transient failure.

    Broadcasts have their own retry policy; a resident who just asked should still get the
    answer when a busy group hit the per-group limit. ``ChatGone`` / ``ChatMoved`` /
    ``BadMessage`` and long waits are raised to the caller.
    """
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
#: Requests the broadcast sender keeps in flight by default (its window); the pool matches it.
SEND_CONCURRENCY = 64


async def open_outbound(settings: Settings, *, concurrency: int = SEND_CONCURRENCY) -> dict[str, Channel]:
    """A send-only channel for every configured token (``telegram``, ``zalo``).

    ``concurrency``: how many sends may be in flight at once (the Telegram pool's size).
    """
    quiet_http_logs()
    channels: dict[str, Channel] = {}
    if settings.channel_configured("telegram"):
        channel = TelegramChannel(make_telegram_bot(settings, pool_size=concurrency))
        await channel.start()
        channels["telegram"] = channel
    if settings.channel_configured("zalo"):
        channels["zalo"] = ZaloChannel(make_zalo_client(settings))
    return channels


async def close_outbound(channels: dict[str, Channel]) -> None:
    """Close every channel opened by :func:`open_outbound`."""
    for name, channel in channels.items():
        try:
            await channel.stop()
        except Exception:  # noqa: BLE001 - closing the others matters more
            logger.exception("outbound channel %s did not close cleanly", name)
