"""Lenient parsing of Zalo Bot Platform updates.

The platform and its SDKs disagree on shapes, so every one seen is accepted: a wrapped
``{"ok": true, "result": {...}}`` or a bare ``{"event_name", "message"}``; one update or a
list of them; ``photo`` or ``photo_url``; ``date`` in milliseconds (or seconds); ids as
numbers or strings; the sender's name as ``display_name`` or ``name``. Anything that is
not an update is skipped (and counted by the caller), never raised.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.conversation import Incoming

CHANNEL = "zalo"
UNSUPPORTED = "message.unsupported.received"


@dataclass(frozen=True)
class ZaloUpdate:
    """One message event, normalised."""

    event_name: str
    message_id: str
    chat_id: str
    chat_type: str  # PRIVATE | GROUP
    user_id: str
    text: str = ""
    photo_url: str | None = None
    date: datetime | None = None

    @property
    def is_group(self) -> bool:
        """True for group chats (beta on Zalo: the bot sees replies and mentions only)."""
        return self.chat_type == "GROUP"

    @property
    def dedup_key(self) -> str:
        """Event name + message id: the same event delivered twice has the same key."""
        return f"{self.event_name}:{self.message_id}"


def _id(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int | str):
        return str(value).strip()[:128]
    return ""


def _date(value: Any) -> datetime | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    if number > 1e11:  # milliseconds
        number /= 1000.0
    try:
        return datetime.fromtimestamp(number, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _candidates(payload: Any) -> list[Any]:
    """Unwrap ``{ok, result}`` and lists (one level each) into update-like dicts."""
    if isinstance(payload, dict) and "result" in payload and "event_name" not in payload:
        payload = payload["result"]
    items = payload if isinstance(payload, list) else [payload]
    out: list[Any] = []
    for item in items[:1000]:
        if isinstance(item, dict) and "result" in item and "event_name" not in item:
            inner = item["result"]
            out.extend(inner if isinstance(inner, list) else [inner])
        else:
            out.append(item)
    return out


def parse_update(item: Any) -> ZaloUpdate | None:
    """One update, or None if ``item`` is not a usable message event."""
    if not isinstance(item, dict):
        return None
    event = item.get("event_name")
    message = item.get("message")
    if not isinstance(event, str) or not isinstance(message, dict):
        return None
    raw_chat, raw_sender = message.get("chat"), message.get("from")
    chat = raw_chat if isinstance(raw_chat, dict) else {}
    sender = raw_sender if isinstance(raw_sender, dict) else {}
    chat_id = _id(chat.get("id")) or _id(sender.get("id"))
    if not chat_id:
        return None
    chat_type = str(chat.get("chat_type") or chat.get("type") or "PRIVATE").upper()
    text = message.get("text")
    if not isinstance(text, str):
        caption = message.get("caption")
        text = caption if isinstance(caption, str) else ""
    photo = message.get("photo_url", message.get("photo"))
    return ZaloUpdate(
        event_name=event[:100],
        message_id=_id(message.get("message_id")) or _id(message.get("msg_id")),
        chat_id=chat_id,
        chat_type="GROUP" if chat_type == "GROUP" else "PRIVATE",
        user_id=_id(sender.get("id")) or chat_id,
        text=text,
        photo_url=photo if isinstance(photo, str) and photo else None,
        date=_date(message.get("date")),
    )


def parse_updates(payload: Any) -> list[ZaloUpdate]:
    """Every usable update in a webhook body or getUpdates result."""
    updates = (parse_update(item) for item in _candidates(payload))
    return [u for u in updates if u is not None]


def has_events(payload: Any) -> bool:
    """True if the body names at least one event (a known shape, even if not a message)."""
    return any(isinstance(c, dict) and isinstance(c.get("event_name"), str) for c in _candidates(payload))


def to_incoming(update: ZaloUpdate) -> Incoming:
    """The neutral message. In Zalo groups the bot only sees what is addressed to it."""
    return Incoming(
        channel=CHANNEL,
        chat_id=update.chat_id,
        text=update.text,
        chat_kind="group" if update.is_group else "private",
        user_id=update.user_id,
        addressed=True,
        message_id=update.message_id or None,
        received_at=update.date,
    )
