"""What the Telegram adapter knows about groups: their admins and member counts.

Both come from API calls that must never sit in a resident's reply path, so they are
cached and refreshed in the background: the admin list at most every ``ADMINS_MAX_AGE``
seconds (a message arriving while it is unknown is treated as a member's), member counts
(for reach figures) at most daily.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from bot.channels.outbound import translate_telegram_error
from bot.store import Store
from bot.store import chats as chat_store

if TYPE_CHECKING:
    from telegram import Bot

logger = logging.getLogger(__name__)

CHANNEL = "telegram"
MEMBER_COUNT_MAX_AGE = 24 * 3600.0
ADMINS_MAX_AGE = 600.0


class GroupFacts:
    """Cached group admins and member counts, refreshed by background tasks."""

    def __init__(self, bot: Bot, store: Store, write: Callable[[Callable[[Store], object]], None]) -> None:
        self.bot = bot
        self.store = store
        self._write = write  # a chat-registry write through the write-behind queue
        self._member_counts_at: dict[str, float] = {}
        self._admins: dict[str, tuple[float, frozenset[str]]] = {}
        self._background: set[asyncio.Task[Any]] = set()

    def known_admins(self, chat_id: str) -> frozenset[str]:
        """The admins (user ids) of a group as last read (empty if never read)."""
        entry = self._admins.get(chat_id)
        return entry[1] if entry else frozenset()

    def is_admin(self, chat_id: str, user_id: str) -> bool:
        """From the cached admin list; a missing or stale list is refreshed in the background
        (the message at hand is then treated as a member's: no API call in the reply path)."""
        entry = self._admins.get(chat_id)
        if entry is None or time.monotonic() - entry[0] > ADMINS_MAX_AGE:
            self._admins[chat_id] = (time.monotonic(), entry[1] if entry else frozenset())
            self._spawn(self._refresh_admins(chat_id))
        return user_id in self._admins[chat_id][1]

    async def ensure_admins(self, chat_id: str) -> None:
        """Read the admin list now unless a fresh one is known (before a group command)."""
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

    async def member_count(self, chat_id: str) -> int | None:
        """The group's member count from Telegram (None if it cannot be read now)."""
        try:
            count = await self.bot.get_chat_member_count(int(chat_id))
        except Exception as exc:  # noqa: BLE001 - a missing count only weakens reach figures
            logger.info("getChatMemberCount failed: %s", translate_telegram_error(exc))
            return None
        self._member_counts_at[chat_id] = time.monotonic()
        return int(count)

    def maybe_refresh_member_count(self, chat_id: str) -> None:
        """Re-read a group's member count in the background if the last one is a day old."""
        seen = self._member_counts_at.get(chat_id)
        if seen is not None and time.monotonic() - seen < MEMBER_COUNT_MAX_AGE:
            return
        self._member_counts_at[chat_id] = time.monotonic()
        self._spawn(self._refresh_member_count(chat_id))

    async def _refresh_member_count(self, chat_id: str) -> None:
        count = await self.member_count(chat_id)
        if count is not None and chat_store.get_chat(self.store, CHANNEL, chat_id) is not None:
            self._write(lambda s: chat_store.upsert_chat(s, CHANNEL, chat_id, "group", member_count=count))

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(coro)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    def cancel(self) -> None:
        """Cancel the background refreshes (on stop)."""
        for task in list(self._background):
            task.cancel()
