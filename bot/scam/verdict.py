"""What the checker answers: signals (evidence with a reason) and the verdict."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.scam.official import OfficialMatch, SentLike

#: The group guard speaks only above this score (and only for ``scam`` verdicts).
GROUP_CONFIDENCE = 0.93
VERDICTS = ("official", "scam", "suspicious", "clean")


@dataclass(frozen=True)
class Signal:
    """One piece of evidence: id, weight in [0, 1] and the reason shown to residents."""

    id: str
    weight: float
    reason: str
    evidence: tuple[str, ...] = ()  # what in the message triggered it (folded words, a host)


@dataclass
class Verdict:
    """The checker's answer for one message."""

    verdict: str
    score: float
    reasons: list[str]
    signals: list[Signal] = field(default_factory=list)
    shown: list[Signal] = field(default_factory=list)  # the signals whose reasons are shown
    match: OfficialMatch | None = None
    sent: SentLike | None = None  # the broadcast an official verdict refers to
    code: str | None = None
    fake_code: bool = False
    rumour_topic: str | None = None
    rumour_answer: str | None = None
    is_question: bool = False

    def to_json(self) -> dict[str, object]:
        """The stable CLI shape: verdict, score and reasons."""
        return {"verdict": self.verdict, "score": round(self.score, 3), "reasons": list(self.reasons)}

    @property
    def flagged(self) -> bool:
        """True for ``scam`` and ``suspicious``."""
        return self.verdict in ("scam", "suspicious")

    @property
    def group_worthy(self) -> bool:
        """Confident enough for the group guard to speak up."""
        return self.verdict == "scam" and self.score >= GROUP_CONFIDENCE


RumourLookup = Callable[[str, str], "tuple[str, float, str] | None"]
