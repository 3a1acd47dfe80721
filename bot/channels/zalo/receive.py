"""The Zalo adapter: long polling (with backoff) or webhook in, dialog, replies out.

Events are de-duplicated by event name + message id for five minutes (the platform may
deliver twice, and a webhook can overlap a last poll). Messages of one chat are handled in
order; different chats concurrently. Protected users' messages arrive as
``message.unsupported.received`` and get a polite generic reply.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from contextlib import suppress
from typing import Any

from bot.channels.errors import ChatGone, SendError
from bot.channels.outbound import ZaloChannel, make_zalo_client, quiet_http_logs, send_reply
from bot.channels.webhook import MAX_WEBHOOK_BODY, WebhookRejected, derived_secret
from bot.channels.zalo.client import RateLimited, Unauthorized, ZaloClient, ZaloError
from bot.channels.zalo.updates import CHANNEL, UNSUPPORTED, ZaloUpdate, has_events, parse_updates, to_incoming
from bot.config import Settings
from bot.conversation import Reply
from bot.dialog import Dialog
from bot.store import chats as chat_store

logger = logging.getLogger(__name__)


DEDUP_SECONDS = 300.0
UNSUPPORTED_REPLY = (
    "Loa chưa đọc được loại tin nhắn này. Bạn gõ câu hỏi bằng chữ giúp Loa nhé, "
    "ví dụ: “khám sức khỏe miễn phí ở đâu?”."
)
PHOTO_REPLY = "Loa chưa xem được ảnh. Bạn gõ nội dung cần hỏi, hoặc chép lại tin nhắn đáng ngờ để Loa kiểm tra nhé."


def webhook_secret(settings: Settings) -> str:
    """``LOA_ZALO_WEBHOOK_SECRET``, or one derived from the server secret (8-256 characters)."""
    if settings.zalo_webhook_secret is not None and settings.zalo_webhook_secret.get_secret_value():
        return settings.zalo_webhook_secret.get_secret_value()
    return derived_secret(settings, "zalo-webhook")


def webhook_url(settings: Settings) -> str:
    """The public URL Zalo posts updates to."""
    return settings.zalo_webhook_url or f"{settings.base_url}/webhook/zalo"


class ZaloAdapter:
    """A running Zalo bot."""

    name = CHANNEL

    def __init__(
        self,
        settings: Settings,
        dialog: Dialog,
        *,
        mode: str | None = None,
        client: ZaloClient | None = None,
        poll_timeout: int = 30,
        clock: Callable[[], float] = time.monotonic,
        backoff_start: float = 1.0,
    ) -> None:
        self.settings = settings
        self.dialog = dialog
        self.store = dialog.store
        self.mode = mode or settings.zalo_mode
        self.client = client or make_zalo_client(settings)
        self.sender = ZaloChannel(self.client, owns_client=False)
        self.poll_timeout = poll_timeout
        self.clock = clock
        self.backoff_start = backoff_start  # first wait after an error; doubles up to 60 s
        self.ready = asyncio.Event()
        self.failed: str | None = None
        self.webhook_secret = webhook_secret(settings) if self.mode == "webhook" else ""
        self.skipped = 0  # bodies / items that were not usable updates
        self._task: asyncio.Task[None] | None = None
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._chat_locks: dict[str, list[Any]] = {}
        self._tasks: set[asyncio.Task[Any]] = set()

    # --- lifecycle ----------------------------------------------------------------------------
    async def start(self) -> None:
        """Connect in the background (returns at once); ``ready`` is set when running."""
        quiet_http_logs()
        self._task = asyncio.create_task(self._run(), name="zalo")

    async def stop(self) -> None:
        """Stop polling, let in-flight replies finish briefly, close the client."""
        if self._task is not None and not self._task.done():
            self._task.cancel()
            with suppress(asyncio.CancelledError):
                await self._task
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=5)
        for task in list(self._tasks):
            task.cancel()
        await self.client.aclose()

    async def _run(self) -> None:
        delay = self.backoff_start
        while True:
            try:
                await self.client.get_me()
                if self.mode == "webhook":
                    if not webhook_url(self.settings).startswith("https://"):
                        logger.warning("Zalo only calls https webhooks: set LOA_PUBLIC_URL or LOA_ZALO_WEBHOOK_URL")
                    await self.client.set_webhook(webhook_url(self.settings), self.webhook_secret)
                else:
                    await self.client.delete_webhook()
                break
            except Unauthorized:
                self.failed = "Zalo rejected the bot token (check LOA_ZALO_TOKEN)"
                logger.error(self.failed)
                return
            except ZaloError as exc:
                logger.warning("Zalo not ready (%s); retrying in %.0fs", exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 60.0)
        self.ready.set()
        logger.info("Zalo bot running (%s)", self.mode)
        if self.mode != "webhook":
            await self._poll_forever()

    async def _poll_forever(self) -> None:
        delay = self.backoff_start
        while True:
            try:
                raw = await self.client.get_updates(timeout=self.poll_timeout)
            except RateLimited as exc:
                await asyncio.sleep(max(exc.retry_after, self.backoff_start))
                continue
            except Unauthorized as exc:
                logger.error("Zalo polling stopped: %s", exc)
                self.failed = str(exc)
                return
            except ZaloError as exc:
                logger.warning("Zalo polling error (%s); retrying in %.0fs", exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 60.0)
                continue
            delay = self.backoff_start
            updates = parse_updates(raw)
            self.skipped += len(raw) - len(updates)
            for update in updates:
                self.dispatch(update)

    # --- receiving ----------------------------------------------------------------------------
    async def feed_webhook(self, body: bytes) -> int:
        """Parse a webhook body and schedule its updates; return how many were accepted."""
        if len(body) > MAX_WEBHOOK_BODY:
            raise WebhookRejected(413, "body too large")
        try:
            payload = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise WebhookRejected(400, "body is not JSON") from None
        updates = parse_updates(payload)
        if not updates:
            if has_events(payload):
                return 0  # an event we do not act on (acknowledged, so it is not re-sent)
            self.skipped += 1
            raise WebhookRejected(400, "no usable update in body")
        for update in updates:
            self.dispatch(update)
        return len(updates)

    def _is_duplicate(self, update: ZaloUpdate) -> bool:
        if not update.message_id:
            return False
        now = self.clock()
        while self._seen and next(iter(self._seen.values())) < now - DEDUP_SECONDS:
            self._seen.popitem(last=False)
        key = update.dedup_key
        if key in self._seen:
            return True
        self._seen[key] = now
        return False

    def dispatch(self, update: ZaloUpdate) -> None:
        """Handle ``update`` in the background (in order within its chat)."""
        if self._is_duplicate(update):
            return
        entry = self._chat_locks.setdefault(update.chat_id, [asyncio.Lock(), 0])
        entry[1] += 1
        task = asyncio.create_task(self._handle_locked(update, entry))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _handle_locked(self, update: ZaloUpdate, entry: list[Any]) -> None:
        try:
            async with entry[0]:
                await self.handle(update)
        except Exception:  # noqa: BLE001 - one bad update must not stop the others
            logger.exception("error while handling a Zalo update (%s)", update.event_name)
        finally:
            entry[1] -= 1
            if entry[1] == 0:
                self._chat_locks.pop(update.chat_id, None)

    async def handle(self, update: ZaloUpdate) -> None:
        """Answer one update."""
        if update.event_name == UNSUPPORTED:
            await self._reply(update.chat_id, [Reply(UNSUPPORTED_REPLY)])
            return
        if not update.text and update.photo_url:
            if not update.is_group:
                await self._reply(update.chat_id, [Reply(PHOTO_REPLY)])
            return
        if not update.text and update.event_name != "message.text.received":
            return  # stickers and other events without words
        await self.dialog.writes.room()  # backpressure only when the write queue is over its limit
        replies = self.dialog.handle(to_incoming(update))
        if replies:
            await self._reply(update.chat_id, replies)

    # --- sending ------------------------------------------------------------------------------
    async def send(self, chat_id: str, reply: Reply) -> None:
        """Send one reply (neutral errors, no retries)."""
        await self.sender.send(chat_id, reply)

    async def _reply(self, chat_id: str, replies: list[Reply]) -> None:
        for reply in replies:
            try:
                await send_reply(self.sender, chat_id, reply)
            except ChatGone:
                mark_gone = functools.partial(
                    chat_store.set_status, channel=CHANNEL, chat_id=chat_id, status="inactive"
                )
                self.dialog.writes.submit("chat registry", mark_gone)
                return
            except SendError as exc:
                logger.warning("Zalo reply not delivered: %s", exc)
                return
