"""What Loa does with one message: answer topic(s), offer a choice, the medical reply, or abstain.

The classifier (:mod:`bot.faq.model`) reads the whole message and, in a long message, each
asking sentence on its own (:mod:`bot.faq.sentences`). Two asking sentences that each
clearly ask a different topic give both topics, in the order asked. The medical rule
(:mod:`bot.faq.safety`) and the classifier's ``safety.medical`` class decide the medical
reply; a medical-looking message Loa abstains on is flagged so the reply still says
"see a doctor / call 115".

Thresholds are calibrated on the dev sets (``tests/data/faq_dev*.jsonl``; see docs/faq.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import numpy as np

from bot.faq.frames import UPPERCASE, strip_frame
from bot.faq.model import MEDICAL_TOPIC, REJECT_TOPIC
from bot.faq.multi import two_questions, whole_pair
from bot.faq.personal import NUMBER_WORD, mask_numbers
from bot.faq.safety import medical_reason
from bot.faq.sentences import (
    question_clauses,
    situation_question,
    split_sentences,
    tail_question,
    with_antecedents,
)
from bot.textclf import word_form

if TYPE_CHECKING:
    from bot.faq.kb import KnowledgeBase

# Below this probability the best topic is not trusted (abstain).
ABSTAIN_BELOW = 0.35
# A second topic this close to the first, and at least CHOOSE_MIN, makes the resident choose.
CHOOSE_MARGIN = 0.08
CHOOSE_MIN = 0.3
# The medical class without the rule needs this probability.
MEDICAL_AT = 0.5
# The rule matched, yet the classifier is this sure of a campaign topic: the campaign wins
# ("bố em 75 tuổi huyết áp cao có được ưu tiên khám không" is about eligibility).
MEDICAL_OVERRIDE = 0.95
# An abstained message this medical-looking still gets the "see a doctor / 115" line.
MEDICAL_HINT = 0.1
# Log-prior added to the reject class (calibrated on dev: the abstention trade-off).
REJECT_BIAS = 1.5
# An in-scope probability shrinks by this factor times the share of unseen subject words.
UNKNOWN_PENALTY = 0.5
# Weight of the asking sentence(s) against the whole message in a long message.
ASKING_WEIGHT = 0.35
# The question after a situation ("ông 78 tuổi, khám ở đâu") counts when it asks a campaign
# topic at this probability alone and the whole message is less out of scope than the max.
SITUATION_MIN = 0.5
# Both topics found by a weak clause cut must be among the whole message's best this many.
WEAK_CUT_RANK = 4
SITUATION_WHOLE_MAX = 0.9

Kind = Literal["answer", "choose", "medical", "abstain"]


@dataclass(frozen=True)
class Hit:
    """A topic and its probability (0..1)."""

    topic: str
    score: float


@dataclass(frozen=True)
class Decision:
    """What to do with one message.

    ``topic`` is the answered topic (the first one when ``topics`` holds two questions),
    ``MEDICAL_TOPIC``, or None (abstain). ``medical_hint`` asks an abstain reply to add the
    "see a doctor / 115" line.
    """

    kind: Kind
    topic: str | None
    score: float
    hits: tuple[Hit, ...] = field(default=())  # real topics, best first (choices, logs)
    reason: str | None = None  # matched medical phrase (tests and logs; never stored)
    topics: tuple[str, ...] = ()  # every answered topic in the order asked
    medical_hint: bool = False


def _real_hits(kb: KnowledgeBase, row: np.ndarray, limit: int = 5) -> tuple[Hit, ...]:

    classes = kb.model.classes
    order = np.argsort(-row, kind="stable")
    hits = [Hit(classes[i], round(float(row[i]), 4)) for i in order if classes[i] not in (REJECT_TOPIC, MEDICAL_TOPIC)]
    return tuple(hits[:limit])


_NUMBER_LABELS = frozenset(
    [NUMBER_WORD, "so", "dien", "thoai", "dt", "can", "cuoc", "cong", "dan", "chung", "minh", "nhan", "tai", "khoan",
     "la", "cua", "em", "toi", "day", "ma", "sim", "ad", "oi"]
)


def _only_numbers(text: str) -> bool:
    """True for a message made only of masked numbers and their labels."""
    words = word_form(text).split()
    return NUMBER_WORD in words and all(w in _NUMBER_LABELS or w.isdigit() for w in words)


def _pieces(text: str, *, more: bool = False) -> list[str]:
    """The asking sentences (and question clauses) of a long message; [] for one short
    sentence. A long run-on sentence adds the question at its end. ``more``: cut clauses at
    weaker joins too (see :func:`question_clauses`)."""
    sentences = split_sentences(text)
    if len(sentences) < 2:
        if not sentences:
            return []
        clauses = question_clauses(sentences[0], more=more)
        if len(clauses) > 1:
            return clauses
        tail = tail_question(sentences[0])
        return [tail] if tail else []
    out: list[str] = []
    for sentence in with_antecedents(text):
        clauses = question_clauses(sentence, more=more)
        tail = tail_question(sentence) if len(clauses) == 1 else None
        out.extend([tail] if tail else clauses)
    return out


# Two or more capitalised words in a row in mixed-case text: a person's or a place's name
# ("Trịnh Văn B", "Bản Chang"). Never seen in training, they say nothing about the subject.
_NAME_RUN = re.compile(rf"(?<!\w)(?:[{UPPERCASE}]\w*\.?\s+){{1,4}}[{UPPERCASE}]\w*\.?")


def _without_names(text: str) -> str:
    """``text`` without runs of capitalised words (unless it is written all in capitals)."""
    if text.upper() == text:
        return text
    return _NAME_RUN.sub(" ", text)


# Another app or service named in the message: its password, lock or install is not VNeID's
# ("quên mật khẩu facebook", "tài khoản momo bị khóa"); an unnamed "mật khẩu" in this bot is.
_OTHER_APP = re.compile(
    r"(?<![a-z])(facebook|fb|face|zalo|messenger|tiktok|shopee|lazada|tiki|grab|momo|zalopay|viettel ?money|vnpay|"
    r"gmail|email|icloud|apple id|google|youtube|instagram|wifi|vssid|bhxh so|dich vu cong|ngan hang|"
    r"vietcombank|vcb|vietinbank|bidv|agribank|techcombank|mb ?bank|acb|tpbank|vpbank|sacombank|atm|the tin dung)(?![a-z])"
)
_VNEID_NAMED = re.compile(r"(?<![a-z])(vneid|vn eid|dinh danh|app cong an|ung dung cong an|so suc khoe|muc 2|muc hai)(?![a-z])")


def _names_other_app(text: str) -> bool:
    """True when ``text`` names another app or service and not VNeID."""
    folded = word_form(text)
    return _OTHER_APP.search(folded) is not None and _VNEID_NAMED.search(folded) is None


def classify(kb: KnowledgeBase, text: str) -> Decision:
    """Decide how to handle ``text`` (never raises on any string)."""

    masked = mask_numbers(text)  # a phone or ID number is neither a subject nor a measured value
    if not any(ch.isalnum() for ch in masked):
        return Decision("abstain", None, 0.0)
    if _only_numbers(masked):  # "sdt 0912345678": a number, no question
        return Decision("abstain", None, 0.0)
    core = strip_frame(masked)  # "Ông X (67 tuổi, ở ...) hỏi: ... Xin cảm ơn." -> the question
    pieces, probs, two = _read(kb, core)
    combined = _combine(probs)
    subject = _without_names(" ".join(pieces) if pieces else core).replace(NUMBER_WORD, " ")
    row = _shift_to_reject(kb, combined, subject)
    reason = medical_reason(masked)
    decision = _decide(kb, row, reason)
    if decision.topic is not None and decision.topic.startswith("vneid.") and _names_other_app(core):
        decision = Decision("abstain", None, 0.0, decision.hits)
    if len(two) > 1 and decision.kind in ("answer", "choose", "abstain"):
        score = float(min(probs[1:].max(axis=1))) if len(probs) > 1 else float(probs[0].max())
        return Decision("answer", two[0], round(score, 4), _real_hits(kb, row), reason, two)
    # Before the reject prior: how medical the message looks, whether or not Loa answers it.
    medical_p = float(combined[kb.model.index[MEDICAL_TOPIC]]) if MEDICAL_TOPIC in kb.model.index else 0.0
    if decision.kind == "abstain" and (reason is not None or medical_p >= MEDICAL_HINT):
        return Decision("abstain", None, decision.score, decision.hits, reason, medical_hint=True)
    return decision


def _read(kb: KnowledgeBase, core: str) -> tuple[list[str], np.ndarray, tuple[str, ...]]:
    """The asking pieces of ``core``, the probability rows of the message and each piece,
    and the topics of two questions (if any). Weaker clause cuts are kept only when they
    find two clear topics: otherwise they would only dilute a single question."""
    more = _pieces(core, more=True)
    plain = _pieces(core)
    pieces = more if len(more) > len(plain) else plain
    probs = kb.model.proba([core, *pieces])
    two = two_questions(kb, pieces, probs[1:], probs[0]) if len(pieces) > 1 else ()
    if pieces is more and not _both_in_whole(kb, two, probs[0]):
        pieces = plain
        probs = kb.model.proba([core, *pieces])
        two = two_questions(kb, pieces, probs[1:], probs[0]) if len(pieces) > 1 else ()
    if not pieces:
        situation = _situation_piece(kb, core, probs[0])
        if situation is not None:
            pieces, probs = [situation[0]], np.vstack([probs[0], situation[1]])
    if len(two) < 2:
        two = whole_pair(kb, core, probs[0]) or two
    return pieces, probs, two


def _both_in_whole(kb: KnowledgeBase, two: tuple[str, ...], whole: np.ndarray) -> bool:
    """True when a weak cut found two topics that the whole message also leans to (both
    among its ``WEAK_CUT_RANK`` best): a cut that only invents a topic is dropped."""
    if len(two) < 2:
        return False
    order = np.argsort(-whole, kind="stable")
    best = [kb.model.classes[i] for i in order if kb.model.classes[i] not in (REJECT_TOPIC, MEDICAL_TOPIC)]
    return all(t in best[:WEAK_CUT_RANK] for t in two)


def _situation_piece(kb: KnowledgeBase, core: str, whole: np.ndarray) -> tuple[str, np.ndarray] | None:
    """The question after a situation in one sentence ("ông năm nay 78 tuổi, khám ở đâu
    cháu") and its row, when it clearly asks a campaign topic on its own and the whole
    message is not clearly out of scope. Ages and "già rồi" read as out of scope to the
    classifier; "con tôi có lệnh khám nghĩa vụ quân sự, khám ở đâu" stays out."""
    sentences = split_sentences(core)
    question = situation_question(sentences[0]) if len(sentences) == 1 else None
    reject = kb.model.index.get(REJECT_TOPIC)
    if question is None or (reject is not None and whole[reject] >= SITUATION_WHOLE_MAX):
        return None
    row = kb.model.proba([question])[0]
    best = int(np.argmax(row))
    if kb.model.classes[best] in (REJECT_TOPIC, MEDICAL_TOPIC) or row[best] < SITUATION_MIN:
        return None
    return question, row


def _combine(probs: np.ndarray) -> np.ndarray:
    """One probability row from the whole message (row 0) and its asking pieces.

    A weighted geometric mean (a product of experts): a topic must be likely both for the
    whole message and for the asking sentences, so neither the story around a question
    nor a bare "thì làm thế nào?" decides alone. Measured on the dev sets against the
    arithmetic mean and a confidence-weighted mean: same in-scope accuracy, fewer
    out-of-scope answers.
    """
    if len(probs) == 1:
        return probs[0]
    weights = np.full(len(probs), ASKING_WEIGHT / (len(probs) - 1))
    weights[0] = 1 - ASKING_WEIGHT
    logp = weights @ np.log(probs + 1e-9)
    out = np.exp(logp - logp.max())
    return np.asarray(out / out.sum())


def _shift_to_reject(kb: KnowledgeBase, row: np.ndarray, text: str) -> np.ndarray:
    """Weigh the reject class by the calibrated prior ``REJECT_BIAS`` and move topic
    probability to it by the share of subject words never seen in training."""
    reject = kb.model.index.get(REJECT_TOPIC)
    if reject is None:
        return row
    out = row.copy()
    out[reject] *= np.exp(REJECT_BIAS)
    out /= out.sum()
    share = kb.model.unknown_share(text) if UNKNOWN_PENALTY else 0.0
    if share > 0:
        mask = np.ones(len(out), dtype=bool)
        mask[reject] = False
        moved = out[mask] * min(1.0, UNKNOWN_PENALTY * share)
        out[mask] -= moved
        out[reject] += moved.sum()
    return out


def _decide(kb: KnowledgeBase, row: np.ndarray, reason: str | None) -> Decision:
    """The decision for one probability row and the medical rule's verdict."""

    classes = kb.model.classes
    best = int(np.argmax(row))
    top, p = classes[best], float(row[best])
    hits = _real_hits(kb, row)
    if reason is not None:
        if top not in (MEDICAL_TOPIC, REJECT_TOPIC) and p >= MEDICAL_OVERRIDE:
            return Decision("answer", top, round(p, 4), hits, None, (top,))
        return Decision("medical", MEDICAL_TOPIC, 1.0, hits, reason)
    if top == MEDICAL_TOPIC and p >= MEDICAL_AT:
        return Decision("medical", MEDICAL_TOPIC, round(p, 4), hits, "similar to medical samples")
    if top in (MEDICAL_TOPIC, REJECT_TOPIC) or p < ABSTAIN_BELOW:
        return Decision("abstain", None, round(p if top != REJECT_TOPIC else 0.0, 4), hits)
    if len(hits) > 1 and hits[1].score >= CHOOSE_MIN and p - hits[1].score <= CHOOSE_MARGIN:
        return Decision("choose", top, round(p, 4), hits[:2])
    return Decision("answer", top, round(p, 4), hits, None, (top,))


def search(kb: KnowledgeBase, text: str, *, prefix: str | None = None, limit: int = 5) -> list[Hit]:
    """Topics by probability for ``text``, best first, optionally only ids starting with ``prefix``."""

    masked = mask_numbers(text)
    if not any(ch.isalnum() for ch in masked):
        return []
    row = kb.model.proba([masked])[0]
    order = np.argsort(-row, kind="stable")
    hits = [Hit(kb.model.classes[i], round(float(row[i]), 4)) for i in order]
    return [h for h in hits if h.topic != REJECT_TOPIC and (prefix is None or h.topic.startswith(prefix))][:limit]
