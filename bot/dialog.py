"""The conversation core: a neutral ``Incoming`` message in, a list of ``Reply`` out.

No platform library is imported here. Channel adapters translate platform updates into
``Incoming`` (``bot/conversation.py``) and send each ``Reply``; features plug in as commands
and text handlers registered on a :class:`Dialog` by ``bot.features.build_dialog``, so this
module knows their seams but not their insides.

The menu and the fixed replies are ``bot/menu.py``; numbered choices ``bot/choices.py``.
Routing for free text, in order: command → pending numbered choice → menu words →
registered text handlers (the ``TEXT_ROUTES`` table in ``bot/features/__init__.py``) →
fallback (say so, show the menu).
Every handled message logs an ``interaction`` event with its latency.
"""

from __future__ import annotations

import logging
import re
import sqlite3
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bot import metrics
from bot.choices import PendingChoices
from bot.config import Settings
from bot.conversation import Incoming, Reply
from bot.menu import Menu, is_menu_request
from bot.privacy import keyed_hash
from bot.store import Store
from bot.store import chats as chat_store
from bot.store.db import is_locked
from bot.store.events import log_event
from bot.store.writebehind import WriteBehind
from bot.text import nfc

logger = logging.getLogger(__name__)

@dataclass
class Turn:
    """What a handler sees of one incoming message, plus helpers to log and read state."""

    msg: Incoming
    text: str  # NFC, trimmed, capped to the configured length
    args: str  # for commands: the text after the command word
    resident: str  # keyed hash of the sender
    chat_ref: str  # keyed hash of the chat
    now: datetime
    dialog: Dialog
    topic: str | None = None  # set by the handler that answered, for the interaction event
    unit: str | None = None
    forgotten: bool = False  # set by /xoadulieu: nothing about this turn may be recorded

    @property
    def store(self) -> Store:
        """The store."""
        return self.dialog.store

    @property
    def settings(self) -> Settings:
        """The settings."""
        return self.dialog.settings

    @property
    def is_group(self) -> bool:
        """True for group chats."""
        return self.msg.chat_kind == "group"

    def log(self, type: str, **fields: Any) -> None:
        """Log an event about this message (channel, chat and resident hashes filled in).

        The write goes through the dialog's write-behind queue: it never delays the answer,
        and a locked database only postpones it.
        """
        self.dialog.record_event(type, **self.event_fields(**fields))

    def event_fields(self, **fields: Any) -> dict[str, Any]:
        """The fields of an event about this message (for writes queued as one unit)."""
        fields.setdefault("unit", self.unit)
        return {
            "at": self.now,
            "channel": self.msg.channel,
            "chat_kind": self.msg.chat_kind,
            "chat_ref": self.chat_ref,
            "resident": self.resident,
            **fields,
        }

    def write(self, name: str, write: Callable[[Store], object]) -> None:
        """Queue a database write made for this message (applied in order, after the reply)."""
        self.dialog.writes.submit(name, write)


CommandHandler = Callable[[Turn], list[Reply]]
TextHandler = Callable[[Turn], list[Reply] | None]


@dataclass
class Command:
    """A slash command with its aliases, e.g. ``/help`` and ``/trogiup``."""

    names: tuple[str, ...]
    handler: CommandHandler
    help: str
    in_menu: bool = True
    private_only: bool = False


@dataclass(order=True)
class _TextRoute:
    priority: int
    name: str = field(compare=False)
    handler: TextHandler = field(compare=False)
    hears_group_chatter: bool = field(default=False, compare=False)


_COMMAND = re.compile(r"^/([A-Za-z0-9_]{1,32})(?:@\w+)?(?:\s+(.*))?$", re.S)


class Dialog:
    """Routes an ``Incoming`` to the right feature and returns the replies."""

    def __init__(self, store: Store, settings: Settings, *, clock: Callable[[], datetime] | None = None) -> None:
        self.store = store
        self.settings = settings
        self.clock = clock or (lambda: datetime.now(UTC))
        self._secret = settings.secret()
        self._commands: dict[str, Command] = {}
        self._command_list: list[Command] = []
        self._routes: list[_TextRoute] = []
        self.menu = Menu(settings, self._command_list)
        self.choices = PendingChoices()
        # Writes made while answering (events, chat registry, subscriptions): applied after
        # the reply, kept in order while the database is locked (bot/store/writebehind.py).
        self.writes = WriteBehind(store)

    # --- registration -----------------------------------------------------------------------
    def add_command(
        self,
        names: Sequence[str],
        handler: CommandHandler,
        help: str,
        *,
        in_menu: bool = True,
        private_only: bool = False,
    ) -> None:
        """Register a command under one or more names (without the slash)."""
        cmd = Command(tuple(n.lower() for n in names), handler, help, in_menu, private_only)
        for name in cmd.names:
            self._commands[name] = cmd
        self._command_list.append(cmd)

    def add_text_handler(
        self, name: str, handler: TextHandler, *, priority: int, hears_group_chatter: bool = False
    ) -> None:
        """Register a free-text handler; lower ``priority`` runs first.

        A handler returns replies when the message is its business, else ``None``. The
        product's priorities are the ``TEXT_ROUTES`` table in ``bot.features``.
        ``hears_group_chatter`` handlers also see group messages not addressed to the bot
        (the scam guard); they must stay silent unless confident.
        """
        self._routes.append(_TextRoute(priority, name, handler, hears_group_chatter))
        self._routes.sort()

    def handle_after(self, turn: Turn, name: str) -> list[Reply] | None:
        """Offer ``turn`` to the text handlers that run after the one called ``name``.

        For a handler that answered but knows a later one may answer too (the scam check
        found a clean message that is also a question for the FAQ).
        """
        after = next((r.priority for r in self._routes if r.name == name), None)
        for route in self._routes:
            if after is not None and route.priority > after:
                replies = route.handler(turn)
                if replies:
                    return replies
        return None

    @property
    def commands(self) -> list[Command]:
        """Registered commands in registration order."""
        return list(self._command_list)

    # --- bookkeeping that must not cost the resident an answer -----------------------------
    def record_event(self, type: str, **fields: Any) -> None:
        """Append an event through the write-behind queue (never waits for a lock)."""
        metrics.observe_event(type, fields)
        self.writes.submit(type, lambda store: log_event(store, type, **fields))

    def flush_backlog(self) -> bool:
        """Write what the queue still holds; True when nothing remains."""
        return self.writes.flush()

    def drop_pending(self, *, resident: str, chat_ref: str) -> None:
        """Before a deletion request: write what is queued first, so the deletion removes it
        too (the queue holds no raw text, only this resident's pending rows), and forget the
        chat's pending numbered choices. While the database is locked this raises "database
        is locked": the resident is asked to try again and nothing is half-deleted."""
        if not self.writes.flush():
            raise sqlite3.OperationalError("database is locked")
        self.choices.forget(chat_ref)

    # --- handling ---------------------------------------------------------------------------
    def handle(self, msg: Incoming) -> list[Reply]:
        """Answer one message. Never raises for bad input: odd text gets a polite reply.

        The writes the answer causes are queued and applied together after it is computed.
        """
        with self.writes.deferred():
            return self._handle(msg)

    def _handle(self, msg: Incoming) -> list[Reply]:
        started = time.perf_counter()
        text = nfc(msg.text or "").strip()
        limit = self.settings.max_message_chars
        if len(text) > limit:
            text = text[:limit]
        turn = Turn(
            msg=msg,
            text=text,
            args="",
            resident=keyed_hash(self._secret, "resident", msg.channel, msg.user_id or msg.chat_id),
            chat_ref=keyed_hash(self._secret, "chat", msg.channel, msg.chat_id),
            now=msg.received_at or self.clock(),
            dialog=self,
        )
        if msg.chat_kind == "group":
            turn.write(
                "record the group",
                lambda s: chat_store.upsert_chat(s, msg.channel, msg.chat_id, "group", title=msg.chat_title),
            )
        try:
            replies = self._route(turn)
        except sqlite3.OperationalError as exc:
            if not is_locked(exc):
                raise
            # A feature that must write before it can answer met a lock: say so politely
            # (silence for group chatter not meant for Loa).
            logger.warning("a %s message met a locked database: %s", msg.channel, exc)
            turn.topic = "busy"
            busy = Reply("Loa đang bận trong giây lát. Bạn vui lòng gửi lại sau ít phút nhé.")
            replies = [busy] if msg.addressed or msg.chat_kind == "private" else None
        if replies is None:
            return []
        if turn.forgotten:
            return replies
        turn.write("record the resident", lambda s: chat_store.touch_resident(s, turn.resident, msg.channel))
        turn.log(
            "interaction",
            topic=turn.topic,
            latency_ms=int((time.perf_counter() - started) * 1000),
        )
        if msg.message_id and msg.chat_kind == "group":
            replies = [Reply(r.text, r.choices, r.reply_to or msg.message_id, r.kind) for r in replies]
        self.choices.remember(turn.chat_ref, replies)
        metrics.observe_reply(msg.channel, time.perf_counter() - started, len(replies))
        return replies

    def _route(self, turn: Turn) -> list[Reply] | None:
        msg = turn.msg
        m = _COMMAND.match(turn.text)
        if m:
            return self._run_command(turn, m.group(1).lower(), (m.group(2) or "").strip())
        if msg.chat_kind == "group" and not msg.addressed:
            # Only handlers that guard groups listen to chatter; they usually stay silent.
            for route in self._routes:
                if route.hears_group_chatter:
                    replies = route.handler(turn)
                    if replies:
                        turn.topic = turn.topic or route.name
                        return replies
            return None
        if not turn.text and msg.location is None:
            turn.topic = "menu"
            return [self.menu.reply(greeting="Bạn cần Loa giúp gì?")]
        payload = self.choices.chosen(turn.chat_ref, turn.text)
        if payload is not None:
            turn.text = payload
            m = _COMMAND.match(payload)
            if m:
                return self._run_command(turn, m.group(1).lower(), (m.group(2) or "").strip())
        if is_menu_request(turn.text):
            turn.topic = "menu"
            return [self.menu.reply()]
        for route in self._routes:
            replies = route.handler(turn)
            if replies:
                turn.topic = turn.topic or route.name
                return replies
        turn.topic = "fallback"
        return [self.menu.fallback_reply()]

    def _run_command(self, turn: Turn, name: str, args: str) -> list[Reply]:
        cmd = self._commands.get(name)
        turn.args = args
        if cmd is None:
            turn.topic = "unknown_command"
            return [self.menu.unknown_command_reply(name)]
        if cmd.private_only and turn.is_group:
            turn.topic = f"command:{cmd.names[0]}"
            return [Reply("Lệnh này chỉ dùng trong tin nhắn riêng với Loa.")]
        turn.topic = f"command:{cmd.names[0]}"
        return cmd.handler(turn)
