"""The store: SQLite through sqlite-utils. The only package that speaks SQL.

Feature modules (``bot/store/chats.py``, ``events.py``, ...) are plain functions taking a
:class:`Store`; migrations live in ``bot/store/migrations/``.
"""

from bot.store.db import Store, utcnow_iso

__all__ = ["Store", "utcnow_iso"]
