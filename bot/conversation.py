"""The neutral conversation types every channel and feature speaks.

An adapter turns a platform update into an :class:`Incoming` and sends each :class:`Reply`;
nothing here knows Telegram, Zalo or HTTP.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

ChatKind = Literal["private", "group"]


@dataclass(frozen=True)
class Location:
    """A shared location (WGS84 degrees)."""

    latitude: float
    longitude: float


@dataclass(frozen=True)
class Incoming:
    """One message from a resident, whatever the platform.

    ``user_id`` and ``chat_id`` are the platform's raw ids: the dialog hashes them for
    events and only keeps a raw ``chat_id`` for chats that can receive broadcasts.
    ``addressed`` says whether, in a group, the message was meant for the bot (a command,
    a mention or a reply to the bot); private messages are always addressed.
    """

    channel: str
    chat_id: str
    text: str = ""
    chat_kind: ChatKind = "private"
    user_id: str = ""
    chat_title: str | None = None
    location: Location | None = None
    forwarded: bool = False
    addressed: bool = True
    sender_is_admin: bool = False
    message_id: str | None = None
    received_at: datetime | None = None


@dataclass(frozen=True)
class Choice:
    """A numbered option offered to the resident; ``payload`` is handled as if typed."""

    label: str
    payload: str


@dataclass(frozen=True)
class Reply:
    """One message to send back. ``text`` is complete on its own (choices are numbered in
    it); ``choices`` lets channels that have buttons show them too."""

    text: str
    choices: tuple[Choice, ...] = ()
    reply_to: str | None = None
    kind: str = "answer"
