"""Verified broadcasts: ``/xacthuc CODE``, the sender and scheduler in the app, officer CLI.

- Dialog: ``/xacthuc CODE`` and, as a text route (after the scam check, before sites and
  FAQ), a message that is nothing but a code is verified too.
- CLI: ``loa messages``, ``loa broadcast``, ``loa schedules``, ``loa users``, ``loa chats``.
- Lifespan: the APScheduler ``AsyncIOScheduler`` and the broadcast sender run in the app's
  event loop, on their own outbound connections, so residents' replies never queue behind
  a broadcast.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.dialog import Command, TextHandler
from bot.features.base import Feature

if TYPE_CHECKING:
    import typer

    from bot.config import Settings
    from bot.conversation import Reply
    from bot.dialog import Turn
    from bot.runtime import Runtime
    from bot.store import Store

logger = logging.getLogger(__name__)


@dataclass
class BroadcastState:
    """The scheduler and the sender task of one running app."""

    stop: asyncio.Event = field(default_factory=asyncio.Event)
    scheduler: Any = None  # apscheduler AsyncIOScheduler (imported only when the app runs)
    task: asyncio.Task[None] | None = None


class Broadcast(Feature):
    """``/xacthuc``, the bare-code route, the officer CLI, the scheduler and the sender."""

    name = "broadcast"

    def __init__(self) -> None:
        self.state: BroadcastState | None = None

    def commands(self) -> Sequence[Command]:
        """``/xacthuc CODE``."""
        return (Command(("xacthuc", "verify", "kiemtrama"), _cmd_verify, "kiểm tra mã xác thực của tin chính thức"),)

    def text_handlers(self) -> Mapping[str, TextHandler]:
        """A message that is nothing but a verification code."""
        return {"verification": _on_text}

    def add_cli(self, app: typer.Typer) -> None:
        """Add ``loa messages``, ``broadcast``, ``schedules``, ``users`` and ``chats``."""
        from bot.broadcast.cli import broadcast_app
        from bot.broadcast.cli_admin import chats_app, schedules_app, users_app
        from bot.broadcast.cli_messages import messages_app

        app.add_typer(messages_app, name="messages")
        app.add_typer(broadcast_app, name="broadcast")
        app.add_typer(schedules_app, name="schedules")
        app.add_typer(users_app, name="users")
        app.add_typer(chats_app, name="chats")

    def load_demo(self, store: Store, settings: Settings) -> Sequence[str]:
        """Approved library messages and one sent demo broadcast; the banner names its code."""
        code = load_demo(store, settings)
        if code:
            return (f"  Xác thực tin chính thức (dữ liệu mẫu): gõ /xacthuc {code} trong trò chuyện",)
        return ("  Xác thực tin chính thức: gõ /xacthuc MÃ trong trò chuyện",)

    async def start(self, runtime: Runtime) -> None:
        """Start the scheduler and the sender in the running loop (returns at once)."""
        from bot.broadcast.scheduling import start_scheduler

        # APScheduler logs every job it adds at INFO; the schedules are listed by `loa schedules list`.
        logging.getLogger("apscheduler.scheduler").setLevel(logging.WARNING)
        state = self.state = BroadcastState()
        try:
            state.scheduler = start_scheduler(runtime.store, runtime.settings)
        except Exception:  # a bad schedule file must not stop residents' chat
            logger.exception("scheduler did not start")
        state.task = asyncio.create_task(_sender_loop(runtime, state.stop), name="broadcast-sender")

    async def stop(self, runtime: Runtime) -> None:
        """Stop the scheduler and let the sender finish the messages in flight."""
        state, self.state = self.state, None
        if state is None:
            return
        state.stop.set()
        if state.scheduler is not None:
            state.scheduler.shutdown(wait=False)
        if state.task is not None:
            try:
                await asyncio.wait_for(state.task, timeout=15)
            except TimeoutError:
                state.task.cancel()


# --- dialog ------------------------------------------------------------------------------------
def _cmd_verify(turn: Turn) -> list[Reply]:
    return _verify(turn, turn.args)


def _on_text(turn: Turn) -> list[Reply] | None:
    from bot.broadcast.codes import clean_prefix, normalize_code

    code = normalize_code(turn.text)
    if code is None:
        return None
    prefix, body = code.split("-")
    # "Thu Nguyen" has a code's shape; only our prefix, or a typed hyphen and a digit, say "code".
    if prefix != clean_prefix(turn.settings.code_prefix) and not ("-" in turn.text and any(c.isdigit() for c in body)):
        return None
    return _verify(turn, turn.text)


def _verify(turn: Turn, text: str) -> list[Reply]:
    from bot.broadcast.codes import normalize_code
    from bot.broadcast.verify import verification_text
    from bot.conversation import Reply

    answer, code = verification_text(turn.store, turn.settings, text)
    turn.topic = "verification"
    if code:
        turn.log("official_verified", value=code)
    elif text.strip():
        turn.log("official_code_unknown", value=(normalize_code(text) or "malformed")[:20])
    return [Reply(answer)]


# --- lifespan ----------------------------------------------------------------------------------
def scheduler_of(runtime: Runtime) -> Any | None:
    """The APScheduler running in ``runtime`` (None before start or when it failed to start)."""
    for feature in runtime.features:
        if isinstance(feature, Broadcast) and feature.state is not None:
            return feature.state.scheduler
    return None


async def _sender_loop(runtime: Runtime, stop: asyncio.Event) -> None:
    from bot.broadcast.errors import BroadcastError
    from bot.broadcast.sender import Sender
    from bot.channels.outbound import close_outbound, open_outbound

    channels = await open_outbound(runtime.settings)
    if not channels:
        logger.info("broadcast sender idle: no Telegram or Zalo token")
        return
    try:
        while not stop.is_set():
            try:
                await Sender(runtime.store, runtime.settings, channels).run(stop=stop)
            except BroadcastError as exc:  # another sender holds the lease: wait and retry
                logger.warning("%s; retrying in 30 s", exc)
            except Exception:
                logger.exception("broadcast sender crashed; restarting in 30 s")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=30)
    finally:
        await close_outbound(channels)


# --- demo --------------------------------------------------------------------------------------
def load_demo(store: Store, settings: Settings) -> str | None:
    """Library messages approved by two demo officers and one sent demo broadcast (idempotent).

    Returns the demo broadcast's verification code (None if the library has no scam warning).
    """
    from datetime import UTC, datetime

    from bot.broadcast import broadcasts, messages
    from bot.broadcast.library import load_library
    from bot.store import broadcast as db
    from bot.users import add_user, get_user

    for name, role in (("editor", "editor"), ("approver", "approver")):
        if get_user(store, name) is None:
            add_user(store, name, [role])
    for _path, message_id, version_id in load_library(store, settings.content_dir, "editor"):
        if version_id is not None:
            messages.submit(store, message_id)
            seen = messages.review(store, settings, message_id)
            messages.approve(
                store, settings, message_id, "approver", version_id=seen.version_id, text_hash=seen.text_hash
            )
    if store.get_meta("broadcast_demo") is None:
        msg = db.get_message_by_slug(store, "scam_warnings/fake_calls")
        if msg is not None:
            sent_at = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
            bid = broadcasts.create_broadcast(
                store, settings, message_id=msg["id"], selectors=["all"], created_by="editor", at=sent_at, now=sent_at
            )
            # Demo only: recorded as already sent, so /xacthuc works without a channel.
            db.update_broadcast(store, bid, state="done", started_at="2026-11-20T02:00:00", finished_at="2026-11-20T02:00:05")
            store.set_meta("broadcast_demo", str(bid))
    bid_text = store.get_meta("broadcast_demo")
    row = db.get_broadcast(store, int(bid_text)) if bid_text else None
    return str(row["code"]) if row else None
