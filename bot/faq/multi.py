"""Two questions in one message: which topics the asking pieces ask, in the order asked.

Each asking piece of a long message (:func:`bot.faq.decide._pieces`) is classified on its
own. A piece that is clear alone (a campaign topic at ``SECOND_QUESTION_MIN``) asks that
topic. A short piece is often not clear alone: "Phí khám bao nhiêu?" reads as out of scope
without the word "miễn phí", "còn đăng ký thế nào" has no subject. When the whole message
is clearly in scope, such a piece is read again among the campaign topics only (the reject
and medical classes removed): a topic that holds ``LENIENT_SHARE`` of the rest and is
among the whole message's ``PRIOR_RANK`` best topics is the one it asks. The whole message
holds both questions, so its ranking is the prior that keeps a vague piece from inventing
a topic nobody asked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from bot.faq.model import MEDICAL_TOPIC, REJECT_TOPIC
from bot.faq.sentences import ask_word_ends, asks_directly, has_own_question, joins_more, with_subject

if TYPE_CHECKING:
    from bot.faq.kb import KnowledgeBase

# Each of two questions in one message must reach this on its own to be answered outright.
SECOND_QUESTION_MIN = 0.45
# A follow-up that alone reads as out of scope: its topic's share among the topics not asked
# yet, and its own probability.
FOLLOW_UP_SHARE = 0.6
FOLLOW_UP_MIN = 0.1
# A piece read among campaign topics only (the whole message in scope): the topic's share
# of the campaign topics, its own probability, and its rank in the whole message.
LENIENT_SHARE = 0.6
LENIENT_MIN = 0.01
PRIOR_RANK = 4
# Only a short piece is read so: a longer one carries its own subject.
LENIENT_WORDS = 8
# A first question not clear alone: its best topic among the whole message's two best, at this.
AGREE_RANK = 2
AGREE_MIN = 0.3
# A piece whose best topic was asked already may ask its second best if it has this much.
REPEAT_MIN = 0.2
# Two questions run together with no cut: the whole message's second topic needs this, and
# the first this, while reject and medical hold less than WHOLE_OUT_MAX.
PAIR_SECOND_MIN = 0.05
PAIR_FIRST_MIN = 0.35
# The whole message counts as in scope when the reject and medical classes hold less.
WHOLE_OUT_MAX = 0.5


def two_questions(kb: KnowledgeBase, pieces: list[str], rows: np.ndarray, whole: np.ndarray) -> tuple[str, ...]:
    """Distinct topics asked by separate pieces, in order (at most two; one or none when
    the message does not clearly ask two things). ``rows`` are the pieces' probability
    rows, ``whole`` the whole message's.

    A request such as "Loa tìm giúp với" goes with the question before it, never alone. A
    short follow-up leans on the first question ("khám ở đâu? còn mấy giờ?"): when it is not
    clear alone, it is read again with the first question's subject.
    """
    classes = kb.model.classes
    ranking, in_scope = _ranking(classes, whole)
    asked: list[str] = []
    first = ""
    for piece, row in zip(pieces, rows, strict=True):
        if not (asks_directly(piece) or (first and joins_more(piece))):
            continue
        topic = _clear_topic(classes, row, asked)
        elliptic = with_subject(first, piece) if first and topic is None else None
        again = kb.model.proba([elliptic])[0] if elliptic is not None else row
        if elliptic is not None:
            topic = _clear_topic(classes, again, asked)
        if topic is None and asked and classes[int(np.argmax(row))] == REJECT_TOPIC:
            topic = _follow_up(classes, row, asked)
        # A clear first question puts the message in scope even when its whole reads out.
        if topic is None and not asked and in_scope:
            topic = _agreeing_topic(classes, row, ranking)
        if topic is None and (in_scope or asked) and len(piece.split()) <= LENIENT_WORDS and has_own_question(piece):
            if elliptic is not None:  # both readings must agree: the piece's own and with the subject
                mixed = np.sqrt(row * again)
                topic = _lenient_topic(classes, mixed / mixed.sum(), asked, classes)
            topic = topic or _lenient_topic(classes, row, asked, ranking)
        if topic is not None and topic not in asked:
            asked.append(topic)
        first = first or piece
    return tuple(asked[:2])


def _ranking(classes: tuple[str, ...], whole: np.ndarray) -> tuple[tuple[str, ...], bool]:
    """The whole message's best campaign topics, best first, and whether it is in scope."""
    out = sum(float(whole[i]) for i, c in enumerate(classes) if c in (REJECT_TOPIC, MEDICAL_TOPIC))
    order = [i for i in np.argsort(-whole, kind="stable") if classes[i] not in (REJECT_TOPIC, MEDICAL_TOPIC)]
    return tuple(classes[i] for i in order[:PRIOR_RANK]), out < WHOLE_OUT_MAX


def _clear_topic(classes: tuple[str, ...], row: np.ndarray, asked: list[str]) -> str | None:
    """The campaign topic ``row`` asks clearly on its own and not asked yet (None if none)."""
    best = int(np.argmax(row))
    topic = classes[best]
    clear = topic not in (REJECT_TOPIC, MEDICAL_TOPIC, *asked) and float(row[best]) >= SECOND_QUESTION_MIN
    return topic if clear else None


def _follow_up(classes: tuple[str, ...], row: np.ndarray, asked: list[str]) -> str | None:
    """The topic a follow-up question asks, among topics not asked yet (None if unclear)."""
    open_topics = [i for i, c in enumerate(classes) if c not in (REJECT_TOPIC, MEDICAL_TOPIC, *asked)]
    best = max(open_topics, key=lambda i: row[i])
    share = float(row[best]) / max(float(row[open_topics].sum()), 1e-9)
    return classes[best] if share >= FOLLOW_UP_SHARE and row[best] >= FOLLOW_UP_MIN else None


def _agreeing_topic(classes: tuple[str, ...], row: np.ndarray, ranking: tuple[str, ...]) -> str | None:
    """The first question's topic when it is not clear alone but is one of the whole
    message's two best ("đăng ký ở đâu, rồi khám tháng mấy": the whole leans to both)."""
    real = [i for i, c in enumerate(classes) if c not in (REJECT_TOPIC, MEDICAL_TOPIC)]
    best = max(real, key=lambda i: row[i])
    return classes[best] if classes[best] in ranking[:AGREE_RANK] and float(row[best]) >= AGREE_MIN else None


def _lenient_topic(classes: tuple[str, ...], row: np.ndarray, asked: list[str], prior: tuple[str, ...]) -> str | None:
    """The topic a piece asks when read among the whole message's best topics not asked
    yet (see the module docstring); None when the piece leans on none of them."""
    if classes[int(np.argmax(row))] == MEDICAL_TOPIC:
        return None
    real = [i for i, c in enumerate(classes) if c not in (REJECT_TOPIC, MEDICAL_TOPIC)]
    top = classes[max(real, key=lambda i: row[i])]
    repeats = top in asked  # its best topic was asked
    candidates = [i for i in real if classes[i] in prior and classes[i] not in asked]
    if not candidates:
        return None
    best = max(candidates, key=lambda i: row[i])
    share = float(row[best]) / max(float(row[candidates].sum()), 1e-9)
    least = REPEAT_MIN if repeats else LENIENT_MIN
    return classes[best] if share >= LENIENT_SHARE and float(row[best]) >= least else None


def whole_pair(kb: KnowledgeBase, core: str, whole: np.ndarray) -> tuple[str, ...]:
    """Two topics asked by two questions run together without a cut the splitter knows
    ("khám gồm những mục gì vậy bao lâu thì có kết quả"): the whole message's two best
    topics, when both are substantial and the message holds two question words. Their
    order is read from the two halves cut after the first question word: the topic the
    first half prefers more comes first. (Cutting there and asking each half for a clear
    topic found two more such pairs on the dev sets but gave nine single questions a second
    topic.)"""
    classes = kb.model.classes
    ranking, in_scope = _ranking(classes, whole)
    ends = ask_word_ends(core)
    if not in_scope or len(ends) < 2 or len(ranking) < 2:
        return ()
    a, b = classes.index(ranking[0]), classes.index(ranking[1])
    if whole[a] < PAIR_FIRST_MIN or whole[b] < PAIR_SECOND_MIN:
        return ()
    head, tail = kb.model.proba([core[: ends[0]], core[ends[0] :]])
    lead = float(np.log(head[a] + 1e-9) - np.log(head[b] + 1e-9)) - float(np.log(tail[a] + 1e-9) - np.log(tail[b] + 1e-9))
    return (ranking[0], ranking[1]) if lead >= 0 else (ranking[1], ranking[0])
