"""Telegram adapter over python-telegram-bot 22: updates → ``Incoming``, ``Reply`` → sends.

Two ways in: long polling (PTB's ``Updater``) or a webhook served by our FastAPI app
(``Application`` built with ``updater(None)``; ``feed_webhook`` queues the parsed update and
returns at once). Updates for different chats are handled concurrently, updates of one chat
strictly in order (a per-chat lock taken before the first ``await``).

Beyond messages the adapter keeps the chat registry true: groups the bot joins or leaves
(``my_chat_member``), residents who block it, group → supergroup migrations, and member
counts (``getChatMemberCount``, refreshed at most daily) for reach figures.

Over 400 lines on purpose: one class for one platform's receiving side, whose parts share
the per-chat locks and the admin / member-count caches. What stands alone lives apart:
sending and error translation in ``outbound.py``, update shape checks in
``telegram_shape.py``, the polling fix in ``telegram_bot.py``.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import OrderedDict
from contextlib import suppress
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from telegram.constants import ChatID

from bot.channels.errors import ChatGone, ChatMoved, SendError
from bot.channels.outbound import (
    TelegramChannel,
    quiet_http_logs,
    send_reply,
    telegram_base_urls,
    telegram_request,
    translate_telegram_error,
)
from bot.channels.telegram_bot import tolerant_bot_class
from bot.channels.telegram_shape import is_handled, update_problem
from bot.channels.webhook import MAX_WEBHOOK_BODY, WebhookRejected, derived_secret
from bot.config import Settings
from bot.conversation import Incoming, Location, Reply
from bot.dialog import Dialog
from bot.privacy import keyed_hash
from bot.store import Store
from bot.store import chats as chat_store

if TYPE_CHECKING:
    from telegram import Bot, Message, Update
    from telegram.ext import Application, ContextTypes

logger = logging.getLogger(__name__)


CHANNEL = "telegram"
ALLOWED_UPDATES = ["message", "my_chat_member"]
MEMBER_COUNT_MAX_AGE = 24 * 3600.0
ADMINS_MAX_AGE = 600.0


def webhook_secret(settings: Settings) -> str:
    """The secret Telegram must echo in X-Telegram-Bot-Api-Secret-Token.

    ``LOA_TELEGRAM_WEBHOOK_SECRET`` if set; otherwise one derived from the server secret.
    """
    if settings.telegram_webhook_secret is not None and settings.telegram_webhook_secret.get_secret_value():
        return settings.telegram_webhook_secret.get_secret_value()
    return derived_secret(settings, "telegram-webhook")


def webhook_url(settings: Settings) -> str:
    """The public URL Telegram posts updates to."""
    return settings.telegram_webhook_url or f"{settings.base_url}/webhook/telegram"


class TelegramAdapter:
    """A running Telegram bot: receives updates, answers through the dialog, sends replies."""

    name = CHANNEL

    def __init__(
        self,
        settings: Settings,
        dialog: Dialog,
        *,
        mode: str | None = None,
        bot: Bot | None = None,
        concurrency: int = 64,
        poll_timeout: int = 10,
    ) -> None:
        self.settings = settings
        self.dialog = dialog
        self.store: Store = dialog.store
        self.mode = mode or settings.telegram_mode
        self.poll_timeout = poll_timeout
        self._secret = settings.secret()
        quiet_http_logs()  # before the Bot exists: PTB logs its URL (with the token) at DEBUG
        self.application = self._build_application(bot, concurrency)
        self.bot = self.application.bot
        self.sender = TelegramChannel(self.bot, owns_bot=False)
        self.ready = asyncio.Event()
        self.failed: str | None = None
        self._task: asyncio.Task[None] | None = None
        self._chat_locks: dict[str, list[Any]] = {}  # chat id -> [lock, users]
        self._seen_updates: OrderedDict[int, None] = OrderedDict()
        self._member_counts_at: dict[str, float] = {}
        # Group admins (user ids), refreshed in the background at most every ADMINS_MAX_AGE.
        self._admins: dict[str, tuple[float, frozenset[str]]] = {}
        self._background: set[asyncio.Task[Any]] = set()
        self.webhook_secret = webhook_secret(settings) if self.mode == "webhook" else ""

    # --- construction -------------------------------------------------------------------------
    def _build_application(self, bot: Bot | None, concurrency: int) -> Application:
        from telegram import Update
        from telegram.ext import ApplicationBuilder, TypeHandler

        builder = ApplicationBuilder().concurrent_updates(concurrency)
        if bot is None:
            token = self.settings.bot_token("telegram") or ""
            base_url, base_file_url = telegram_base_urls(self.settings)
            bot = tolerant_bot_class()(
                token,
                base_url=base_url,
                base_file_url=base_file_url,
                # Replies are a few ms each over keep-alive: a small pool keeps up.
                request=telegram_request(8),
                get_updates_request=telegram_request(1, read_timeout=40.0),
            )
        # A new name: `.bot()` changes the builder's bot type parameter (Bot, not ExtBot).
        with_bot = builder.bot(bot)
        if self.mode == "webhook":
            with_bot = with_bot.updater(None)
        application = with_bot.build()
        application.add_handler(TypeHandler(Update, self._on_update))
        application.add_error_handler(self._on_error)
        return application

    # --- lifecycle ----------------------------------------------------------------------------
    async def start(self) -> None:
        """Begin connecting in the background (returns at once); ``ready`` is set when running."""
        quiet_http_logs()
        self._task = asyncio.create_task(self._run(), name="telegram-start")

    async def _run(self) -> None:
        delay = 1.0
        while True:
            try:
                await self.application.initialize()
                break
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - keep trying; the web app keeps serving
                from telegram.error import InvalidToken

                if isinstance(exc, InvalidToken):
                    self.failed = "Telegram rejected the bot token (check LOA_TELEGRAM_TOKEN)"
                    logger.error(self.failed)
                    return
                logger.warning("Telegram not reachable yet (%s); retrying in %.0fs", type(exc).__name__, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 60.0)
        await self.application.start()
        await self._set_commands()
        if self.mode == "webhook":
            if not webhook_url(self.settings).startswith("https://"):
                logger.warning("Telegram only calls https webhooks: set LOA_PUBLIC_URL or LOA_TELEGRAM_WEBHOOK_URL")
            await self._call_quietly(
                "setWebhook",
                self.bot.set_webhook(
                    webhook_url(self.settings),
                    secret_token=self.webhook_secret,
                    allowed_updates=ALLOWED_UPDATES,
                ),
            )
        else:
            assert self.application.updater is not None
            await self.application.updater.start_polling(
                timeout=self.poll_timeout,
                bootstrap_retries=-1,  # keep retrying deleteWebhook through network trouble
                allowed_updates=ALLOWED_UPDATES,
                error_callback=self._on_polling_error,
            )
        self.ready.set()
        logger.info("Telegram bot @%s running (%s)", self.bot.username, self.mode)

    async def stop(self) -> None:
        """Stop polling / processing and close connections. The webhook stays registered."""
        if self._task is not None and not self._task.done():
            self._task.cancel()
            with suppress(asyncio.CancelledError):
                await self._task
        for task in list(self._background):
            task.cancel()
        app = self.application
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()

    async def _call_quietly(self, what: str, call: Any) -> Any:
        try:
            return await call
        except Exception as exc:  # noqa: BLE001 - reported, not fatal
            logger.error("Telegram %s failed: %s", what, translate_telegram_error(exc))
            return None

    async def _set_commands(self) -> None:
        commands = []
        for cmd in self.dialog.commands:
            name = cmd.names[0]
            if cmd.in_menu and name.isascii() and name.replace("_", "").isalnum() and cmd.help:
                commands.append((name, cmd.help[:256]))
        if commands:
            await self._call_quietly("setMyCommands", self.bot.set_my_commands(commands[:100]))

    def _on_polling_error(self, exc: Exception) -> None:
        logger.warning("Telegram polling error: %s", translate_telegram_error(exc))

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        # Never log the update itself: it carries residents' messages.
        err = context.error
        logger.error("error while handling a Telegram update: %s", type(err).__name__, exc_info=err)

    # --- sending ------------------------------------------------------------------------------
    async def send(self, chat_id: str, reply: Reply) -> None:
        """Send one reply (neutral errors, no retries)."""
        await self.sender.send(chat_id, reply)

    async def _reply(self, chat_id: str, replies: list[Reply], kind: str) -> None:
        for reply in replies:
            try:
                await send_reply(self.sender, chat_id, reply)
            except ChatMoved as moved:
                self._safely(lambda s, old=chat_id, new=moved.new_id: chat_store.move_chat(s, CHANNEL, old, new))
                chat_id = moved.new_id
                await self._send_logged(chat_id, reply)
            except ChatGone:
                self._safely(lambda s, cid=chat_id: chat_store.set_status(s, CHANNEL, cid, "inactive"))
                return
            except SendError as exc:
                logger.warning("Telegram reply not delivered (%s chat): %s", kind, exc)
                return

    async def _send_logged(self, chat_id: str, reply: Reply) -> None:
        try:
            await self.sender.send(chat_id, reply)
        except SendError as exc:
            logger.warning("Telegram reply not delivered after migration: %s", exc)

    # --- webhook ------------------------------------------------------------------------------
    async def feed_webhook(self, body: bytes) -> None:
        """Parse a webhook body and queue the update; raise ``WebhookRejected`` (4xx) if bad."""
        from telegram import Update

        if len(body) > MAX_WEBHOOK_BODY:
            raise WebhookRejected(413, "body too large")
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise WebhookRejected(400, "body is not JSON") from None
        if not isinstance(data, dict):
            raise WebhookRejected(400, "update must be a JSON object")
        update_id = data.get("update_id")
        if not isinstance(update_id, int) or isinstance(update_id, bool):
            raise WebhookRejected(400, "update_id missing or not an integer")
        problem = update_problem(data)
        if problem:
            raise WebhookRejected(400, problem)
        if not is_handled(data):
            return  # a kind Loa never subscribed to: acknowledged, dropped
        try:
            update = Update.de_json(data, self.bot)
        except Exception:  # noqa: BLE001 - any shape PTB cannot read is the sender's fault
            raise WebhookRejected(400, "not a Telegram update") from None
        if update is None:
            raise WebhookRejected(400, "not a Telegram update")
        if update_id in self._seen_updates:
            return  # Telegram re-delivered an update we already queued
        self._seen_updates[update_id] = None
        if len(self._seen_updates) > 10_000:
            self._seen_updates.popitem(last=False)
        await self.application.update_queue.put(update)

    # --- receiving ----------------------------------------------------------------------------
    async def _on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat = update.effective_chat
        key = str(chat.id) if chat else ""
        entry = self._chat_locks.setdefault(key, [asyncio.Lock(), 0])
        entry[1] += 1
        try:
            async with entry[0]:
                if update.my_chat_member is not None:
                    await self._on_my_chat_member(update)
                elif update.message is not None:
                    await self._on_message(update.message)
        finally:
            entry[1] -= 1
            if entry[1] == 0:
                self._chat_locks.pop(key, None)

    async def _on_message(self, message: Message) -> None:
        chat = message.chat
        if chat.type == "channel":
            return
        chat_id = str(chat.id)
        if message.migrate_to_chat_id:
            self._move(chat_id, str(message.migrate_to_chat_id))
            return
        if message.migrate_from_chat_id:
            self._move(str(message.migrate_from_chat_id), chat_id)
            return
        if chat.type in ("group", "supergroup") and (message.text or "").startswith("/"):
            # Commands may depend on who speaks (only admins change a group's subscription):
            # make sure the admin list is known. Commands are rare; chatter never waits.
            await self._ensure_admins(chat_id)
        incoming = self.to_incoming(message)
        if incoming is None:
            return
        if incoming.chat_kind == "group":
            self._maybe_refresh_member_count(chat_id)
        await self.dialog.writes.room()  # backpressure only when the write queue is over its limit
        replies = self.dialog.handle(incoming)
        if replies:
            await self._reply(chat_id, replies, incoming.chat_kind)

    def to_incoming(self, message: Message) -> Incoming | None:
        """The neutral message for a Telegram message, or None if it is not for Loa."""
        chat = message.chat
        is_group = chat.type in ("group", "supergroup")
        text = message.text or message.caption or ""
        location = None
        if message.location is not None:
            location = Location(message.location.latitude, message.location.longitude)
        if not text and location is None:
            return None  # stickers, photos without caption, service messages
        username = (self.bot.username or "").lower() if self._bot_known() else ""
        addressed: bool | None = not is_group
        if is_group:
            addressed, text = self._addressed(message, text, username)
            if addressed is None:
                return None  # a command meant for another bot
        sender = message.from_user
        anonymous_admin = message.sender_chat is not None and message.sender_chat.id == chat.id
        date = message.date
        received = date.astimezone(UTC) if isinstance(date, datetime) else None
        return Incoming(
            channel=CHANNEL,
            chat_id=str(chat.id),
            text=text,
            chat_kind="group" if is_group else "private",
            user_id=str(sender.id) if sender else "",
            chat_title=chat.title if is_group else None,
            location=location,
            forwarded=message.forward_origin is not None,
            addressed=bool(addressed),
            sender_is_admin=anonymous_admin
            or bool(sender and sender.id == ChatID.ANONYMOUS_ADMIN)
            or (is_group and sender is not None and self._is_known_admin(str(chat.id), str(sender.id))),
            message_id=str(message.message_id),
            received_at=received,
        )

    def _bot_known(self) -> bool:
        try:
            return bool(self.bot.username)
        except RuntimeError:  # not initialized yet
            return False

    def _addressed(self, message: Message, text: str, username: str) -> tuple[bool | None, str]:
        """(addressed?, text without the @mention). None = a command for another bot."""
        if text.startswith("/"):
            first = text.split(maxsplit=1)[0]
            if "@" in first and username and first.split("@", 1)[1].lower() != username:
                return None, text
            return True, text
        reply = message.reply_to_message
        if reply is not None and reply.from_user is not None and self._bot_known() and reply.from_user.id == self.bot.id:
            return True, text
        if username:
            mention = f"@{username}"
            low = text.lower()
            if mention in low:
                start = low.index(mention)
                stripped = (text[:start] + text[start + len(mention) :]).strip(" ,:\n")
                return True, stripped
        return False, text

    # --- chat registry ------------------------------------------------------------------------
    def _safely(self, write: Any) -> None:
        """Queue a chat-registry write (write-behind: never waits for a locked database)."""
        self.dialog.writes.submit("chat registry", write)

    def _log(self, type_: str, chat_id: str, kind: str) -> None:
        ref = keyed_hash(self._secret, "chat", CHANNEL, chat_id)
        self.dialog.record_event(type_, channel=CHANNEL, chat_kind=kind, chat_ref=ref)

    def _move(self, old_id: str, new_id: str) -> None:
        if chat_store.get_chat(self.store, CHANNEL, old_id) is not None:
            self._safely(lambda s: chat_store.move_chat(s, CHANNEL, old_id, new_id))

    async def _on_my_chat_member(self, update: Update) -> None:
        change = update.my_chat_member
        assert change is not None
        chat = change.chat
        chat_id = str(chat.id)
        status = change.new_chat_member.status
        was = change.old_chat_member.status
        present = status in ("member", "administrator", "creator", "restricted")
        was_present = was in ("member", "administrator", "creator", "restricted")
        if chat.type == "private":
            # kicked = the resident blocked the bot; member = unblocked / restarted.
            if chat_store.get_chat(self.store, CHANNEL, chat_id) is not None:
                new = "active" if present else "inactive"
                self._safely(lambda s: chat_store.set_status(s, CHANNEL, chat_id, new))
            return
        if chat.type not in ("group", "supergroup"):
            return
        if present and not was_present:
            count = await self.member_count(chat_id)
            self._safely(
                lambda s: chat_store.upsert_chat(
                    s, CHANNEL, chat_id, "group", title=chat.title or "", member_count=count, status="active"
                )
            )
            self._log("bot_added_to_group", chat_id, "group")
        elif was_present and not present:
            if chat_store.get_chat(self.store, CHANNEL, chat_id) is not None:
                self._safely(lambda s: chat_store.set_status(s, CHANNEL, chat_id, "left"))
            self._log("bot_removed_from_group", chat_id, "group")

    async def member_count(self, chat_id: str) -> int | None:
        """The group's member count from Telegram (None if it cannot be read now)."""
        try:
            count = await self.bot.get_chat_member_count(int(chat_id))
        except Exception as exc:  # noqa: BLE001 - a missing count only weakens reach figures
            logger.info("getChatMemberCount failed: %s", translate_telegram_error(exc))
            return None
        self._member_counts_at[chat_id] = time.monotonic()
        return int(count)

    def _is_known_admin(self, chat_id: str, user_id: str) -> bool:
        """From the cached admin list; a missing or stale list is refreshed in the background
        (the message at hand is then treated as a member's: no API call in the reply path)."""
        entry = self._admins.get(chat_id)
        if entry is None or time.monotonic() - entry[0] > ADMINS_MAX_AGE:
            self._admins[chat_id] = (time.monotonic(), entry[1] if entry else frozenset())
            self._spawn(self._refresh_admins(chat_id))
        return user_id in self._admins[chat_id][1]

    async def _ensure_admins(self, chat_id: str) -> None:
        entry = self._admins.get(chat_id)
        if entry is None or not entry[1] or time.monotonic() - entry[0] > ADMINS_MAX_AGE:
            await self._refresh_admins(chat_id)

    async def _refresh_admins(self, chat_id: str) -> None:
        try:
            admins = await self.bot.get_chat_administrators(int(chat_id))
        except Exception as exc:  # noqa: BLE001 - admin status is a nicety
            logger.info("getChatAdministrators failed: %s", translate_telegram_error(exc))
            return
        self._admins[chat_id] = (time.monotonic(), frozenset(str(a.user.id) for a in admins))

    def _spawn(self, coro: Any) -> None:
        task = asyncio.create_task(coro)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    def _maybe_refresh_member_count(self, chat_id: str) -> None:
        seen = self._member_counts_at.get(chat_id)
        if seen is not None and time.monotonic() - seen < MEMBER_COUNT_MAX_AGE:
            return
        self._member_counts_at[chat_id] = time.monotonic()
        self._spawn(self._refresh_member_count(chat_id))

    async def _refresh_member_count(self, chat_id: str) -> None:
        count = await self.member_count(chat_id)
        if count is not None and chat_store.get_chat(self.store, CHANNEL, chat_id) is not None:
            self._safely(
                lambda s: chat_store.upsert_chat(s, CHANNEL, chat_id, "group", member_count=count)
            )
