"""A Telegram message → the neutral ``Incoming`` (or None when it is not for Loa).

In a group Loa only answers when addressed: a command (not meant for another bot), a
reply to one of its messages, or an @mention (which is stripped from the text).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from telegram.constants import ChatID

from bot.conversation import Incoming, Location

if TYPE_CHECKING:
    from telegram import Bot, Message

CHANNEL = "telegram"


def bot_known(bot: Bot) -> bool:
    """Whether the bot's own identity (getMe) has been read yet."""
    try:
        return bool(bot.username)
    except RuntimeError:  # not initialized yet
        return False


def to_incoming(message: Message, bot: Bot, is_admin: Callable[[str, str], bool]) -> Incoming | None:
    """The neutral message for a Telegram message, or None if it is not for Loa.

    ``is_admin(chat_id, user_id)`` answers from the adapter's cached admin lists.
    """
    chat = message.chat
    is_group = chat.type in ("group", "supergroup")
    text = message.text or message.caption or ""
    location = None
    if message.location is not None:
        location = Location(message.location.latitude, message.location.longitude)
    if not text and location is None:
        return None  # stickers, photos without caption, service messages
    username = (bot.username or "").lower() if bot_known(bot) else ""
    addressed: bool | None = not is_group
    if is_group:
        addressed, text = addressed_text(message, text, bot, username)
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
        or (is_group and sender is not None and is_admin(str(chat.id), str(sender.id))),
        message_id=str(message.message_id),
        received_at=received,
    )


def addressed_text(message: Message, text: str, bot: Bot, username: str) -> tuple[bool | None, str]:
    """(addressed?, text without the @mention) in a group. None = a command for another bot."""
    if text.startswith("/"):
        first = text.split(maxsplit=1)[0]
        if "@" in first and username and first.split("@", 1)[1].lower() != username:
            return None, text
        return True, text
    reply = message.reply_to_message
    if reply is not None and reply.from_user is not None and bot_known(bot) and reply.from_user.id == bot.id:
        return True, text
    if username:
        mention = f"@{username}"
        low = text.lower()
        if mention in low:
            start = low.index(mention)
            stripped = (text[:start] + text[start + len(mention) :]).strip(" ,:\n")
            return True, stripped
    return False, text
