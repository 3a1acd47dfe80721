"""A python-telegram-bot ``ExtBot`` that keeps polling through unreadable updates."""

from __future__ import annotations

import logging
import warnings

logger = logging.getLogger(__name__)


def tolerant_bot_class() -> type:
    """An ``ExtBot`` whose getUpdates survives an update PTB cannot read.

    PTB parses a whole getUpdates batch at once; one malformed update would raise out of
    the polling loop and end polling silently. Here the batch is re-read raw and parsed one
    by one; an unreadable update is replaced by an empty ``Update`` with its id (logged, and
    confirmed by the next offset), so the updates around it are not lost.
    """
    from telegram import Update
    from telegram.ext import ExtBot

    class TolerantBot(ExtBot):  # type: ignore[type-arg]
        async def get_updates(self, offset=None, limit=None, timeout=None, allowed_updates=None, **kwargs):  # type: ignore[no-untyped-def]
            try:
                return await super().get_updates(offset, limit, timeout, allowed_updates, **kwargs)
            except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
                logger.warning("Telegram sent an update PTB cannot read (%s); parsing one by one", type(exc).__name__)
            api = {"offset": offset, "limit": limit, "timeout": 0, "allowed_updates": allowed_updates}
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # PTB suggests get_updates: that is what failed
                raw = await self.do_api_request("getUpdates", api_kwargs={k: v for k, v in api.items() if v is not None})
            updates = []
            for item in raw if isinstance(raw, list) else []:
                try:
                    update = Update.de_json(item, self)
                except Exception:  # noqa: BLE001 - skip just this one
                    update_id = item.get("update_id") if isinstance(item, dict) else None
                    if not isinstance(update_id, int):
                        continue
                    logger.warning("skipped unreadable Telegram update %s", update_id)
                    update = Update(update_id)
                    update.set_bot(self)
                if update is not None:
                    updates.append(update)
            return tuple(updates)

    return TolerantBot
