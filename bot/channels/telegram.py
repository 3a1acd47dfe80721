"""Telegram adapter over python-telegram-bot 22: updates → ``Incoming``, ``Reply`` → sends.

Two ways in: long polling (PTB's ``Updater``) or a webhook served by our FastAPI app
(``Application`` built with ``updater(None)``; ``feed_webhook`` queues the parsed update and
returns at once). Updates for different chats are handled concurrently, updates of one chat
strictly in order (a per-chat lock taken before the first ``await``).

Beyond messages the adapter keeps the chat registry true: groups the bot joins or leaves
(``my_chat_member``), residents who block it, group → supergroup migrations, and member
counts (``getChatMemberCount``, refreshed at most daily) for reach figures.

Beside this module: sending and error translation in ``outbound.py``, message → ``Incoming``
in ``telegram_incoming.py``, the admin / member-count caches in ``telegram_groups.py``,
webhook body checks in ``telegram_shape.py``, the polling fix in ``telegram_bot.py``.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from contextlib import suppress
from typing import TYPE_CHECKING, Any

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
from bot.channels.telegram_groups import GroupFacts
from bot.channels.telegram_incoming import to_incoming
from bot.channels.telegram_shape import parse_webhook_body
from bot.channels.webhook import WebhookRejected, derived_secret
from bot.config import Settings
from bot.conversation import Incoming, Reply
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
        self.groups = GroupFacts(self.bot, self.store, self._safely)
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
        self.groups.cancel()
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

        data = parse_webhook_body(body)
        if data is None:
            return  # a kind Loa never subscribed to: acknowledged, dropped
        update_id = data["update_id"]
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
            await self.groups.ensure_admins(chat_id)
        incoming = self.to_incoming(message)
        if incoming is None:
            return
        if incoming.chat_kind == "group":
            self.groups.maybe_refresh_member_count(chat_id)
        await self.dialog.writes.room()  # backpressure only when the write queue is over its limit
        replies = self.dialog.handle(incoming)
        if replies:
            await self._reply(chat_id, replies, incoming.chat_kind)

    def to_incoming(self, message: Message) -> Incoming | None:
        """The neutral message for a Telegram message, or None if it is not for Loa."""
        return to_incoming(message, self.bot, self.groups.is_admin)

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
            count = await self.groups.member_count(chat_id)
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
