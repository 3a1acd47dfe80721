"""Scam check in chats: ``/kiemtra``, automatic checks in private chats, the group guard.

Private chats: a forwarded message, or one with a link, a phone number or money/OTP
words, is checked automatically (the first text route, before site look-up and FAQ). A plain
question that shows no scam sign falls through to the FAQ. ``/kiemtra TEXT`` always
checks; ``/kiemtra`` alone asks for the message and checks the next one.

Groups: off by default. A group admin switches the guard on with ``/baove on``; then only
confident ``scam`` verdicts get one reply under the message, at most a few per window per
group. Loa never deletes anything.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from bot.dialog import Command, TextHandler
from bot.features.base import Feature

if TYPE_CHECKING:
    import typer

    from bot.config import Settings
    from bot.conversation import Reply
    from bot.dialog import Turn
    from bot.runtime import Runtime
    from bot.scam.checker import Checker, Verdict
    from bot.scam.context import CheckerCache
    from bot.store import Store

WAIT_FOR_PASTE = timedelta(minutes=10)
MAX_WAITING = 10_000  # chats waiting to paste a message; expired ones are dropped past this
# Group guard rate limit: at most GROUP_MAX warnings per GROUP_WINDOW, GROUP_MIN_GAP apart.
GROUP_WINDOW = timedelta(minutes=10)
GROUP_MAX = 3
GROUP_MIN_GAP = timedelta(seconds=30)
FLAG_RETENTION = timedelta(days=7)
DEMO_BANNER = ("  Kiểm tra tin đáng ngờ: gõ /kiemtra <dán tin nhắn> trong trò chuyện",)

# Words that make a private message worth an automatic check (folded, see bot.text.fold).
_TRIGGER = re.compile(
    r"\b(?:otp|ma xac thuc|ma xac nhan|mat khau|passcode|chuyen khoan|chuyen tien|nop tien|dong tien|phi|le phi|"
    r"dat coc|tien coc|stk|so tai khoan|trung thuong|qua tang|apk|qr|zalo|dong bo|nang cap|bi khoa)\b"
)


@dataclass
class ScamState:
    """What the scam feature keeps for one dialog."""

    #: The checker, rebuilt when the sent broadcasts change (built on first use).
    cache: CheckerCache | None = None
    #: Chats that sent a bare /kiemtra: chat ref -> until when their next message is checked.
    waiting: dict[str, datetime] = field(default_factory=dict)
    #: The background warm-up started by ``Scam.start`` (tests await it).
    warmup: asyncio.Future[None] | None = None

    def checker(self, turn: Turn) -> Checker:
        """The current checker for the turn's store and settings."""
        if self.cache is None:
            from bot.scam.context import CheckerCache

            self.cache = CheckerCache(turn.settings, turn.store)
        return self.cache.get()


def _log_verdict(turn: Turn, verdict: Verdict) -> None:
    turn.topic = "scam.check"
    turn.log("scam_checked", value=verdict.verdict, data={"score": verdict.score, "signals": [s.id for s in verdict.signals][:8]})
    if verdict.verdict == "official" and verdict.code:
        turn.log("official_verified", value=verdict.code)
    if verdict.rumour_topic:
        turn.log("rumour_rebutted", topic=verdict.rumour_topic)


def _check_and_reply(state: ScamState, turn: Turn, text: str) -> list[Reply]:
    from bot.conversation import Reply
    from bot.scam.replies import verdict_text

    verdict = state.checker(turn).check(text)
    _log_verdict(turn, verdict)
    return [Reply(verdict_text(verdict, turn.settings), kind="scam_check")]


def _check_pasted(state: ScamState, turn: Turn) -> list[Reply]:
    """The message after a bare /kiemtra: checked; a clean question also gets its answer."""
    from bot.conversation import Reply
    from bot.scam.replies import verdict_text

    verdict = state.checker(turn).check(turn.text)
    _log_verdict(turn, verdict)
    replies = [Reply(verdict_text(verdict, turn.settings), kind="scam_check")]
    if verdict.verdict == "clean" and verdict.is_question and not verdict.rumour_answer:
        topic = turn.topic
        answer = turn.dialog.handle_after(turn, "scam")
        turn.topic = topic
        if answer:
            replies.extend(answer)
    return replies


def _cmd_check(state: ScamState, turn: Turn) -> list[Reply]:
    from bot.conversation import Reply
    from bot.scam.replies import ASK_TO_PASTE

    if not turn.args.strip():
        turn.topic = "scam.ask"
        if turn.is_group:
            # In a group the next message may be anyone's: ask for the text after the command.
            return [Reply("Gõ /kiemtra rồi dán tin nhắn ngay sau lệnh, ví dụ: /kiemtra <tin nhắn>.")]
        waiting = state.waiting
        if len(waiting) > MAX_WAITING:
            for ref in [r for r, until in waiting.items() if until < turn.now]:
                del waiting[ref]
        waiting[turn.chat_ref] = turn.now + WAIT_FOR_PASTE
        return [Reply(ASK_TO_PASTE)]
    return _check_and_reply(state, turn, turn.args)


def _cmd_guard(turn: Turn) -> list[Reply]:
    from bot.conversation import Reply
    from bot.store import scam as scam_store

    if not turn.is_group:
        return [Reply("Lệnh /baove dùng trong nhóm: quản trị viên nhóm gõ “/baove on” để Loa cảnh báo tin lừa đảo.")]
    arg = turn.args.strip().lower()
    enabled = scam_store.guard_enabled(turn.store, turn.chat_ref)
    if arg not in ("on", "off", "bat", "bật", "tat", "tắt"):
        state = "ĐANG BẬT" if enabled else "ĐANG TẮT"
        return [Reply(f"Chế độ bảo vệ nhóm {state}. Quản trị viên gõ “/baove on” để bật, “/baove off” để tắt.")]
    if not turn.msg.sender_is_admin:
        return [Reply("Chỉ quản trị viên nhóm mới bật/tắt được chế độ bảo vệ.")]
    on = arg in ("on", "bat", "bật")
    ref, channel, by, at = turn.chat_ref, turn.msg.channel, turn.resident, turn.now
    turn.write("scam guard", lambda s: scam_store.set_guard(s, ref, channel, on, by=by, at=at))
    turn.log("scam_guard_changed", value="on" if on else "off")
    if on:
        return [
            Reply(
                "🛡️ Đã bật chế độ bảo vệ. Loa sẽ chỉ lên tiếng dưới tin nhắn có dấu hiệu lừa đảo rõ ràng, "
                "mỗi tin một lần, và không bao giờ xóa tin của ai."
            )
        ]
    return [Reply("Đã tắt chế độ bảo vệ nhóm. Bật lại bất cứ lúc nào bằng “/baove on”.")]


def _group_guard(state: ScamState, turn: Turn) -> list[Reply] | None:
    from bot.conversation import Reply
    from bot.privacy import keyed_hash
    from bot.scam.replies import group_warning_text
    from bot.store import scam as scam_store

    if not turn.text or not scam_store.guard_enabled(turn.store, turn.chat_ref):
        return None
    verdict = state.checker(turn).check(turn.text)
    if not verdict.group_worthy:
        return None
    # Only confident verdicts get here, so reading the secret (maybe from a file) is rare.
    key = keyed_hash(turn.settings.secret(), "scamflag", turn.msg.channel, turn.msg.chat_id, turn.msg.message_id or turn.text)
    allowed = scam_store.claim_flag(
        turn.store,
        turn.chat_ref,
        key,
        at=turn.now,
        score=verdict.score,
        window=GROUP_WINDOW,
        max_per_window=GROUP_MAX,
        min_gap=GROUP_MIN_GAP,
    )
    if not allowed:
        return None
    # Message keys only serve to warn once per message: a week is plenty.
    before = turn.now - FLAG_RETENTION
    turn.write("purge scam flags", lambda s: scam_store.purge_flags(s, before=before))
    _log_verdict(turn, verdict)
    turn.log("scam_flagged_in_group", value=verdict.verdict)
    return [Reply(group_warning_text(verdict, turn.settings), reply_to=turn.msg.message_id, kind="scam_warning")]


def _worth_checking(turn: Turn) -> tuple[bool, bool]:
    """(check it?, has a link?) — forwarded, or a link, phone, amount or money/OTP words."""
    from bot.scam.prepare import prepare
    from bot.text import fold

    prep = prepare(turn.text)
    has_link = bool(prep.links)
    if turn.msg.forwarded or has_link or prep.phones or prep.money:
        return True, has_link
    return bool(_TRIGGER.search(fold(turn.text.lower()))), has_link


def _handle_text(state: ScamState, turn: Turn) -> list[Reply] | None:
    from bot.conversation import Reply
    from bot.scam.replies import verdict_text

    if turn.is_group:
        return _group_guard(state, turn)
    until = state.waiting.pop(turn.chat_ref, None)
    if until is not None and turn.now <= until:
        return _check_pasted(state, turn)
    if not turn.text:
        return None
    worth, has_link = _worth_checking(turn)
    if not worth:
        return None
    verdict = state.checker(turn).check(turn.text)
    if verdict.verdict == "clean" and not turn.msg.forwarded and (verdict.is_question or not has_link):
        return None  # a question (or a mention of money) with no scam sign: let the FAQ answer it
    _log_verdict(turn, verdict)
    return [Reply(verdict_text(verdict, turn.settings), kind="scam_check")]


class Scam(Feature):
    """``/kiemtra``, ``/baove``, the scam text route (private auto-check and group guard), ``loa check``."""

    name = "scam"

    def __init__(self) -> None:
        self.state = ScamState()

    def commands(self) -> Sequence[Command]:
        """``/kiemtra [TEXT]`` and the group guard switch ``/baove on|off``."""
        return (
            Command(("kiemtra", "check"), partial(_cmd_check, self.state), "kiểm tra tin nhắn đáng ngờ: /kiemtra <dán tin vào đây>"),
            Command(("baove",), _cmd_guard, "bật/tắt cảnh báo lừa đảo trong nhóm (quản trị viên)", in_menu=False),
        )

    def text_handlers(self) -> Mapping[str, TextHandler]:
        """Private auto-check and, in guarded groups, the chatter guard."""
        return {"scam": partial(_handle_text, self.state)}

    def load_demo(self, store: Store, settings: Settings) -> Sequence[str]:
        """No demo data; the banner says how to try the check."""
        return DEMO_BANNER

    async def start(self, runtime: Runtime) -> None:
        """Build the checker (official index, FAQ rumours) in the background, off the event loop.

        Returns at once; the first resident to forward a message then does not wait for it.
        """
        from bot.scam.context import CheckerCache, build_checker
        from bot.store.workers import run_in_thread

        state = self.state

        async def warm() -> None:
            try:
                # The slow part (FAQ index for rumours, phrase tables) needs no database: it runs
                # in a thread; the checker bound to the loop's store is then built on the loop.
                await run_in_thread(build_checker, runtime.settings)
                if state.cache is None:
                    state.cache = CheckerCache(runtime.settings, runtime.store)
                state.cache.get()
            except Exception as exc:  # a warm-up failure must never stop the app; the next check retries
                logging.getLogger(__name__).warning("scam checker warm-up failed: %s", exc)

        state.warmup = asyncio.ensure_future(warm())

    def add_cli(self, app: typer.Typer) -> None:
        """Add ``loa check`` (the checker itself is imported only when the command runs)."""
        import typer

        @app.command("check")
        def check(
            text: str = typer.Argument(None, help="The message to check; omit to read JSON lines (JSON strings) from stdin."),
            as_json: bool = typer.Option(False, "--json", help="Print the verdict as one JSON object."),
            eval_file: Path = typer.Option(None, "--eval", help="Evaluate a labelled JSONL file: precision, recall per kind, false positives."),
        ) -> None:
            """Check a suspicious message: official, scam, suspicious or clean, with the reasons."""
            from bot.scam.cli import run_check

            run_check(text, as_json=as_json, eval_file=eval_file)
