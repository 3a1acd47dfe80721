"""Is a forwarded text one of our own broadcasts? Near-duplicate matching, pure and fast.

A resident forwards a broadcast after the chat app (or a neighbour) changed it a little:
the verification footer cut off, emoji added or lost, line breaks merged, a greeting
prepended, a word fixed. Texts are reduced to folded word 3-gram shingles; an inverted
index finds the sent messages sharing shingles with the query, and a match needs most of
the query to come from one broadcast *and* most of that broadcast to be present.

The index takes a plain list of sent messages (``bot.broadcast.verify.SentMessage`` or
anything with the same attributes), so it is testable without a database.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.text import fold, normalize

SHINGLE = 3
# Thresholds found on the evaluation set's forwarded copies (edits, emoji, footer removed).
MIN_QUERY_CONTAINMENT = 0.6  # share of the query's shingles found in the broadcast
MIN_SENT_COVERAGE = 0.45  # share of the broadcast's shingles found in the query
PARTIAL_CONTAINMENT = 0.85  # a long excerpt of a broadcast also counts
PARTIAL_MIN_SHINGLES = 12

_FOOTER = re.compile(
    r"(?im)^.*(?:mã xác thực|ma xac thuc|xác thực tại|xac thuc tai|kiểm tra tin|kiem tra tin|tin chính thức của|\b[A-Z]{2,4}-[0-9A-Z]{6}\b).*$"
)
_WORD_OK = re.compile(r"[0-9a-z]")


class SentLike(Protocol):
    """What the matcher needs of a sent broadcast (``bot.broadcast.verify.SentMessage``)."""

    broadcast_id: int
    code: str
    text: str
    sent_at: datetime
    issuer: str


@dataclass(frozen=True)
class OfficialMatch:
    """A query matched a sent broadcast."""

    sent: SentLike
    containment: float  # share of the query found in the broadcast
    coverage: float  # share of the broadcast found in the query
    extra_text: str  # words of the query that are not in the broadcast (folded)


def tokens(text: str, *, strip_footer: bool = True) -> list[str]:
    """Folded word tokens of ``text`` with the verification footer, emoji and symbols removed."""
    if strip_footer:
        text = _FOOTER.sub(" ", text)
    return [t for t in fold(normalize(text)).split() if _WORD_OK.search(t)]


def shingles(toks: list[str]) -> frozenset[str]:
    """Word 3-grams (the whole text as one shingle when it is shorter)."""
    if len(toks) < SHINGLE:
        return frozenset([" ".join(toks)]) if toks else frozenset()
    return frozenset(" ".join(toks[i : i + SHINGLE]) for i in range(len(toks) - SHINGLE + 1))


class OfficialIndex:
    """Near-duplicate index over sent broadcasts."""

    def __init__(self, sent: Sequence[SentLike]) -> None:
        self.sent = list(sent)
        self._shingles: list[frozenset[str]] = []
        self._postings: dict[str, list[int]] = {}
        self._by_code: dict[str, SentLike] = {}
        for i, msg in enumerate(self.sent):
            sh = shingles(tokens(msg.text))
            self._shingles.append(sh)
            for s in sh:
                self._postings.setdefault(s, []).append(i)
            self._by_code[normalize_code(msg.code)] = msg

    def __len__(self) -> int:
        return len(self.sent)

    def by_code(self, code: str) -> SentLike | None:
        """The sent message carrying ``code`` (case/space tolerant), if any."""
        return self._by_code.get(normalize_code(code))

    def match(self, text: str) -> OfficialMatch | None:
        """The broadcast ``text`` is a (possibly edited) copy of, or None."""
        if not self.sent:
            return None
        toks = tokens(text)
        q = shingles(toks)
        if len(q) < 4:
            return None
        counts: Counter[int] = Counter()
        for s in q:
            for i in self._postings.get(s, ()):
                counts[i] += 1
        best: OfficialMatch | None = None
        for i, inter in counts.most_common(5):
            sh = self._shingles[i]
            containment = inter / len(q)
            coverage = inter / len(sh) if sh else 0.0
            ok = (containment >= MIN_QUERY_CONTAINMENT and coverage >= MIN_SENT_COVERAGE) or (
                containment >= PARTIAL_CONTAINMENT and inter >= PARTIAL_MIN_SHINGLES
            )
            if ok and (best is None or containment + coverage > best.containment + best.coverage):
                sent_words = set(tokens(self.sent[i].text))
                extra = " ".join(t for t in toks if t not in sent_words)
                best = OfficialMatch(self.sent[i], containment, coverage, extra)
        return best

    def similarity(self, text: str, msg: SentLike) -> float:
        """Share of ``text``'s shingles found in ``msg`` (0 when either is empty)."""
        q = shingles(tokens(text))
        sh = shingles(tokens(msg.text))
        if not q or not sh:
            return 0.0
        return len(q & sh) / len(q)


def normalize_code(code: str) -> str:
    """``" hp-7k3q9x "`` → ``"HP-7K3Q9X"``."""
    return re.sub(r"\s+", "", code).upper()
