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
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Protocol

from bot.scam.prepare import Prepared, body_token_clauses, body_tokens, prepare

SHINGLE = 3
# Thresholds found on the evaluation set's forwarded copies (edits, emoji, footer removed).
MIN_QUERY_CONTAINMENT = 0.6  # share of the query's shingles found in the broadcast
MIN_SENT_COVERAGE = 0.45  # share of the broadcast's shingles found in the query
PARTIAL_CONTAINMENT = 0.85  # a long excerpt of a broadcast also counts
PARTIAL_MIN_SHINGLES = 12
# A removal this short inside a sentence may flip its meaning ("Không đọc mã OTP" → "Đọc mã
# OTP"); longer removals are cut sentences, which ask nothing new.
MAX_FLIPPING_REMOVAL = 3

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


@lru_cache(maxsize=4096)
def _cached_tokens(text: str, code_re: re.Pattern[str] | None) -> tuple[str, ...]:
    return tuple(body_tokens(prepare(text, code_re)))


def tokens(text: str, code_re: re.Pattern[str] | None = None) -> list[str]:
    """Folded word tokens of ``text`` with the verification footer, emoji and symbols removed.

    The same preparation as the checker's (links, phones, amounts as placeholders), so a
    query prepared once by the checker compares directly with the index.
    """
    return list(_cached_tokens(text, code_re))


def shingles(toks: list[str]) -> frozenset[str]:
    """Word 3-grams (the whole text as one shingle when it is shorter)."""
    if len(toks) < SHINGLE:
        return frozenset([" ".join(toks)]) if toks else frozenset()
    return frozenset(" ".join(toks[i : i + SHINGLE]) for i in range(len(toks) - SHINGLE + 1))


class OfficialIndex:
    """Near-duplicate index over sent broadcasts."""

    def __init__(self, sent: Sequence[SentLike], code_re: re.Pattern[str] | None = None) -> None:
        self.sent = list(sent)
        self.code_re = code_re
        self._shingles: list[frozenset[str]] = []
        self._words: list[frozenset[str]] = []
        self._postings: dict[str, list[int]] = {}
        self._by_code: dict[str, SentLike] = {}
        # Sent texts are tokenised once per process (cached), so rebuilding the index after
        # a new broadcast only prepares the new text.
        for i, msg in enumerate(self.sent):
            toks = tokens(msg.text, code_re)
            sh = shingles(toks)
            self._shingles.append(sh)
            self._words.append(frozenset(toks))
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
        return self.match_tokens(tokens(text, self.code_re))

    def match_tokens(self, toks: list[str]) -> OfficialMatch | None:
        """Like :meth:`match` for tokens already prepared (``prepare.body_tokens``)."""
        if not self.sent:
            return None
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
                extra = " ".join(t for t in toks if t not in self._words[i])
                best = OfficialMatch(self.sent[i], containment, coverage, extra)
        return best

    def similarity(self, toks: list[str], msg: SentLike) -> float:
        """Share of the query's shingles (``toks``) found in ``msg`` (0 when either is empty)."""
        q = shingles(toks)
        sh = shingles(tokens(msg.text, self.code_re))
        if not q or not sh:
            return 0.0
        return len(q & sh) / len(q)


def changed_clauses(prep: Prepared, original: Prepared) -> tuple[list[int], list[int]]:
    """The clauses of ``prep`` holding words added to, changed in or cut from ``original``.

    Returns ``(query clause indices, original clause indices)``: the second are the
    broadcast's sentences those changed ones stand for (what was replaced, and the rest
    of each changed sentence), so that a sign the broadcast itself carried there is not
    blamed on the edit. A word diff (not a bag of words) is used so that a short negation
    removed ("Không đọc mã OTP…" → "Đọc mã OTP…") marks its sentence; footers are left out.
    """
    q = body_token_clauses(prep)
    o = body_token_clauses(original)
    if not q:
        return [], []
    changed: set[int] = set()
    counterpart: set[int] = set()
    aligned: dict[int, int] = {}  # query token -> original token, for unchanged words
    matcher = SequenceMatcher(None, [t for _, t in o], [t for _, t in q], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            aligned.update((j1 + k, i1 + k) for k in range(j2 - j1))
            continue
        if op == "delete" and i2 - i1 > MAX_FLIPPING_REMOVAL:
            continue  # a sentence cut out asks nothing new
        if op == "delete":
            changed.add(q[min(j1, len(q) - 1)][0])
        else:
            changed.update(q[j][0] for j in range(j1, j2))
        counterpart.update(o[i][0] for i in range(i1, i2))
        if i1 == i2 and 0 < i1 < len(o) and o[i1 - 1][0] == o[i1][0]:
            counterpart.add(o[i1][0])  # words slipped into the middle of a sentence
    counterpart.update(o[i][0] for j, i in aligned.items() if q[j][0] in changed)
    return sorted(changed), sorted(counterpart)


def normalize_code(code: str) -> str:
    """``" hp-7k3q9x "`` → ``"HP-7K3Q9X"``."""
    return re.sub(r"\s+", "", code).upper()
