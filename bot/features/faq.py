"""FAQ feature: answer free-text questions from messages/faq/*.yaml (the last text route).

Runs after the scam check, verification and site look-up (``TEXT_ROUTES``). Medical
questions get the safety reply; two questions in one message get both answers, in the
order asked; close calls get two numbered choices; unknown questions get an honest "I
don't know" with the menu and the hotline (plus "see a doctor / 115" when they look
medical), and are stored redacted for editors (``loa faq unanswered``). Elders are
addressed as bác / ông / bà. CLI: ``loa faq ask|check|eval|unanswered``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from bot.dialog import Command, TextHandler
from bot.features.base import Feature

if TYPE_CHECKING:  # keep `loa --help` fast: typer/yaml/scikit-learn load only when used
    import typer

    from bot.dialog import Reply, Turn
    from bot.faq.register import Address
    from bot.runtime import Runtime

ASK_COMMAND = "hoi"
MAX_RELATED = 2

_THANKS = {"cam on", "cam on nhe", "cam on nha", "cam on loa", "cam on ban", "thanks", "thank you", "tks", "thank",
           "ok", "oke", "okay", "ok cam on", "vang", "da", "da cam on", "vang cam on", "hay qua", "tot qua"}


def _is_thanks(text: str) -> bool:
    from bot.text import fold, normalize

    return fold(normalize(text)).strip() in _THANKS


def _handle_text(turn: Turn) -> list[Reply] | None:
    if not turn.text.strip():
        return None
    return _answer_question(turn, turn.text)


def _cmd_ask(turn: Turn) -> list[Reply]:
    from bot.dialog import Reply
    from bot.faq import knowledge_base

    args = turn.args.strip()
    if not args:
        return [Reply("Gõ câu hỏi sau lệnh, ví dụ: /hoi khám sức khỏe miễn phí ở đâu")]
    kb = knowledge_base(turn.settings)
    if args in kb.topics:  # a numbered choice or a suggestion picked by the resident
        return [_topic_reply(turn, args, score=1.0)]
    return _answer_question(turn, args)


def _answer_question(turn: Turn, question: str) -> list[Reply]:
    from bot.dialog import Reply
    from bot.faq import MEDICAL_TOPIC, knowledge_base, medical_line
    from bot.faq.register import address_of, address_reply

    settings = turn.settings
    kb = knowledge_base(settings)
    if _is_thanks(question):
        turn.topic = "faq:thanks"
        return [Reply("Rất vui được giúp bạn! Cần gì cứ nhắn Loa nhé.")]
    decision = kb.classify(question)
    address = address_of(question)
    if decision.kind == "medical":
        turn.topic = MEDICAL_TOPIC
        turn.log("faq_medical", topic=MEDICAL_TOPIC)
        return [Reply(address_reply(kb.answer(MEDICAL_TOPIC, settings), address))]
    if decision.kind == "abstain":
        best = decision.hits[0] if decision.hits else None
        # Queued (write-behind): never costs the resident the reply.
        _record_unanswered(turn, question, best.topic if best else None, best.score if best else 0.0)
        turn.topic = "faq:abstained"
        turn.log("faq_abstained", value=f"{decision.score:.2f}")
        fallback = turn.dialog.menu.fallback_reply()
        if decision.medical_hint:  # a medical-looking question still hears "see a doctor / 115"
            return [Reply(medical_line(settings)), fallback]
        return [fallback]
    if decision.kind == "choose":
        return [_choice_reply(turn, decision.hits[0].topic, decision.hits[1].topic)]
    assert decision.topic is not None
    if len(decision.topics) > 1:  # two questions: both answers, in the order asked
        return [_topic_reply(turn, t, score=decision.score, address=address, numbered=i) for i, t in enumerate(decision.topics, 1)]
    return [_topic_reply(turn, decision.topic, score=decision.score, address=address)]


def _choice_reply(turn: Turn, first: str, second: str) -> Reply:
    """Two close topics: the resident picks one by number."""
    from bot.conversation import Choice, Reply
    from bot.faq import knowledge_base

    kb = knowledge_base(turn.settings)
    turn.topic = "faq:choose"
    text = f"Bạn muốn hỏi về:\n1. {kb.title(first)}\n2. {kb.title(second)}\nGõ 1 hoặc 2 để chọn."
    choices = (Choice(kb.title(first), f"/{ASK_COMMAND} {first}"), Choice(kb.title(second), f"/{ASK_COMMAND} {second}"))
    return Reply(text, choices, kind="choice")


_PURGE_EVERY_SECONDS = 3600.0
_last_purge: dict[str, float] = {}


def _record_unanswered(turn: Turn, question: str, best_topic: str | None, best_score: float) -> None:
    """Store the redacted question; about once an hour, drop rows past the retention period."""
    import time
    from datetime import timedelta

    from bot.store.faq import purge_unanswered, record_unanswered

    at, resident = turn.now, turn.resident
    turn.write(
        "unanswered",
        lambda s: record_unanswered(s, question, at=at, best_topic=best_topic, best_score=best_score, resident=resident),
    )
    now = time.monotonic()
    if now - _last_purge.get(turn.store.path, -_PURGE_EVERY_SECONDS) >= _PURGE_EVERY_SECONDS:
        _last_purge[turn.store.path] = now
        before = turn.now - timedelta(days=turn.settings.retention_days)
        turn.write("purge unanswered", lambda s: purge_unanswered(s, before=before))


def _topic_reply(turn: Turn, topic: str, *, score: float, address: Address | None = None, numbered: int = 0) -> Reply:
    """The answer of ``topic`` plus up to two numbered related topics (private chats, one question).

    ``numbered`` > 0 marks one of several answers to one message: headed by the topic's
    title, without suggestions.
    """
    from bot.conversation import Choice, Reply
    from bot.faq import MEDICAL_TOPIC, knowledge_base
    from bot.faq.register import Address, address_reply

    address = address or Address()
    kb = knowledge_base(turn.settings)
    text = kb.answer(topic, turn.settings)
    turn.topic = topic
    if topic == MEDICAL_TOPIC:
        turn.log("faq_medical", topic=topic)
        return Reply(address_reply(text, address))
    turn.log("faq_answered", topic=topic, value=f"{score:.2f}")
    if numbered:
        return Reply(address_reply(f"{numbered}) {kb.title(topic)}\n{text}", address))
    related = [r for r in kb.topics[topic].related if r in kb.topics][:MAX_RELATED]
    if not related or turn.is_group:
        return Reply(address_reply(text, address))
    lines = [text, "", "Bạn cũng có thể hỏi (gõ số để chọn):"]
    lines += [f"{i}. {kb.title(r)}" for i, r in enumerate(related, start=1)]
    choices = tuple(Choice(kb.title(r), f"/{ASK_COMMAND} {r}") for r in related)
    return Reply(address_reply("\n".join(lines), address), choices)


class Faq(Feature):
    """The FAQ text route, ``/hoi`` (used by numbered choices) and ``loa faq``."""

    name = "faq"

    def __init__(self) -> None:
        #: The start-up fit of the classifier (awaitable; None before :meth:`start`).
        self.warmup: asyncio.Future[None] | None = None

    def commands(self) -> Sequence[Command]:
        """``/hoi QUESTION`` (not in the menu: numbered choices send it)."""
        return (Command((ASK_COMMAND, "faq"), _cmd_ask, "hỏi Loa một câu, ví dụ: /hoi khám ở đâu", in_menu=False),)

    def text_handlers(self) -> Mapping[str, TextHandler]:
        """Every remaining question."""
        return {"faq": _handle_text}

    def add_cli(self, app: typer.Typer) -> None:
        """Add ``loa faq ...``."""
        from bot.faq.cli import faq_app

        app.add_typer(faq_app, name="faq")

    async def start(self, runtime: Runtime) -> None:
        """Fit (or load from its cache) the FAQ classifier off the event loop, at start-up.

        Fitting takes about two seconds; without this, the first resident's question would
        wait for it on the loop. Returns at once.
        """
        settings = runtime.settings

        def warm() -> None:
            from bot.faq import knowledge_base

            try:
                knowledge_base(settings).model  # noqa: B018 - fitting is the point
            except Exception as exc:  # never stop the app; the first question retries
                logging.getLogger(__name__).warning("FAQ model warm-up failed: %s", exc)

        self.warmup = asyncio.get_running_loop().run_in_executor(None, warm)
