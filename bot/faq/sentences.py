"""Long messages: split a message into sentences and find the ones that ask.

Residents write context before the question ("Hôm trước tổ trưởng đến nhà... Giờ em muốn
đăng ký thì làm sao ạ?") and sometimes two questions in one message ("khám ở đâu ạ? với
lại mấy giờ bắt đầu"). The classifier reads the asking sentences on their own as well as
the whole message.
"""

from __future__ import annotations

import re

from bot.text import fold, nfc, normalize

# A sentence ends at ".", "!", ";", "…" followed by a space, at any "?" and at a line break.
_SENTENCE_END = re.compile(r"(?<=[.!;…])\s+|(?<=\?)\s*|\n+")
# Clauses inside a sentence that start a new question ("..., với lại mấy giờ khám").
_CLAUSE = re.compile(r",\s*(?=(?:với lại|vs lại|còn|thêm nữa|và cho hỏi|cho hỏi thêm|và)\s)|\s+(?=(?:với lại|vs lại|thêm nữa là)\s)", re.I)
# Words and phrases that make a sentence a question (folded, normalised; whole words).
_QUESTION = re.compile(
    r"(?<![a-z])(o dau|cho nao|dau|nao|gi|sao|khong|chua|bao gio|bao lau|bao nhieu|may|the nao|nhu the nao|"
    r"co phai|duoc khong|duoc ko|hay khong|phai khong|dung khong|cho hoi|xin hoi|hoi|lam sao|ra sao|a)(?![a-z])"
)
# Question words strong enough to make a comma-separated clause a question of its own.
_OWN_QUESTION = re.compile(
    r"(?<![a-z])(o dau|dau|nao|gi|sao|bao gio|bao lau|bao nhieu|may|the nao|co phai|duoc khong|"
    r"khong|chua|lam sao|ra sao)(?![a-z])\W*$|(?<![a-z])(bao gio|bao nhieu|o dau|the nao|nhu the nao)(?![a-z])"
)
MIN_CLAUSE_WORDS = 3
# The polite final particle "ạ" (not "à"/"á"), on the exact text.
_POLITE_END = re.compile(r"(?<!\w)ạ\W*$")


def split_sentences(text: str) -> list[str]:
    """The sentences of a message, in order (empty pieces dropped)."""
    return [s.strip() for s in _SENTENCE_END.split(nfc(text)) if s and s.strip(" .,!;…")]


def is_question(sentence: str) -> bool:
    """True when ``sentence`` asks something: a "?", "ạ" at the end, or a question word."""
    s = sentence.strip()
    if s.endswith("?") or _POLITE_END.search(s.lower()):
        return True
    return _QUESTION.search(fold(normalize(s))) is not None


def asking_sentences(text: str) -> list[str]:
    """The sentences that ask, in order; the last sentence when none looks like a question."""
    sentences = split_sentences(text)
    if not sentences:
        return []
    asking = [s for s in sentences if is_question(s)]
    return asking or sentences[-1:]


def question_clauses(sentence: str) -> list[str]:
    """A sentence cut where a second question starts ("khám ở đâu, với lại mấy giờ khám");
    the sentence itself when it holds one question."""
    parts = [p.strip(" ,") for p in _CLAUSE.split(sentence) if p and p.strip(" ,")]
    if len(parts) > 1 and all(is_question(p) for p in parts):
        return parts
    # "bao giờ khám vậy, đi khám cần mang theo những gì": two full questions after a comma.
    parts = [p.strip() for p in sentence.split(",") if p.strip()]
    if len(parts) == 2 and all(len(p.split()) >= MIN_CLAUSE_WORDS and _asks(p) for p in parts):
        return parts
    return [sentence]


def _asks(clause: str) -> bool:
    """A clause with its own question word (not only "cho hỏi" or a final "ạ")."""
    folded = fold(normalize(clause))
    return _OWN_QUESTION.search(folded) is not None
