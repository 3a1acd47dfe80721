"""Turn a raw message into what the rules read: links, phone numbers, money, codes, clauses.

Links, phone numbers, amounts of money and verification codes are cut out of the text and
replaced by placeholder words (``zzlink``, ``zzphone``, ``zzmoney``, ``zzcode``) before the
text is normalised and tone-folded, so that phrase rules can say "send money" or "open
the link" without caring how the amount or the link was written. The text is then split
into clauses (sentences) and comma segments: negation ("không", "đừng") only reaches
inside its own segment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from bot.broadcast.codes import CODE_RE
from bot.scam.urls import Link, extract_links
from bot.text import fold, nfc, normalize

# VN mobile / landline numbers (with +84), and the short service numbers Loa itself quotes.
_PHONE = re.compile(r"(?<![\w.])(?:\+?84|0)(?:[\s.\-]?\d){8,10}(?![\w])|(?<![\w.])1[89]00(?:[\s.\-]?\d){4,6}(?!\w)")
_MONEY = re.compile(
    r"(?<![\w.])\d[\d.,]*\s*(?:k|đ|vnđ|vnd|đồng|dong|nghìn|ngàn|nghin|ngan|tr|triệu|trieu|củ|cu)(?!\w)",
    re.IGNORECASE,
)
# Verification codes when the caller passes no pattern: the one broadcast codes define.
DEFAULT_CODE_RE = CODE_RE
_CK_TRANSFER = re.compile(r"(?i)\bck\b(?=\s+(?:cho|vào|vao|qua|giúp|giup|trước|truoc|lại|lai|tiền|tien|\d))")
_CLAUSE_SPLIT = re.compile(r"([.!?;…]+(?=\s|$)|\n+)")
# Quotation marks become a marker word so rules can tell quoted examples from requests.
_QUOTES = re.compile(r"[\"“”«»]|(?<!\w)'|'(?!\w)|‘|’")
_EMOJI = re.compile(r"[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\uFE0F\u200d]")


# Folding merges words the rules must keep apart; when the resident typed diacritics we
# know which word it was: "nhận" (receive) is not "nhắn" (text), "động/đông" is not "đóng"
# (pay), "dùng/đúng" are not "đừng" (don't). ("đồng bộ" and "ứng dụng" stay as they are.)
_DISAMBIGUATE = {
    "nhận": "nhanz",
    "động": "dongz",
    "đông": "dongz",
    "đống": "dongz",
    "dùng": "dungz",
    "đúng": "dungz",
    "dũng": "dungz",
    "độc": "docz",
    "chờ": "choz",
    "nhấn": "bam",
    "chỉ": "chiz",  # "only" — not "chị" (elder sister)
    "đứa": "duaz",  # "a person" — not "đưa" (hand over)
}


@lru_cache(maxsize=50000)
def _fold_word(word: str) -> str:
    special = _DISAMBIGUATE.get(word)
    if special is not None:
        return special
    if word.isascii():
        return word
    return fold(word)


def smart_fold(text: str) -> str:
    """``fold(normalize(text))`` keeping apart the words listed in ``_DISAMBIGUATE``."""
    return " ".join(_fold_word(w) for w in normalize(text).split())


# Lines of the verification footer (folded): they are not part of the message itself.
_FOOTER_CLAUSE = re.compile(r"\bzzcode\b|\btin chinh thuc cua\b|\bxac thuc\b|\bxacthuc\b")


# The footer's own words; a code line with anything else ("HP-… chuyển khoản 300k") is content.
_FOOTER_WORDS = re.compile(r"\b(?:ma|xac thuc|xacthuc|xac minh|kiem tra|chinh thuc|zzcode|zzquote|gui|cho loa|loa|lenh|la)\b|[^\w\s]")
_ISSUER_LINE = re.compile(r"^tin chinh thuc cua\b(?!.*\bzz(?:money|phone|link)\b)")


def is_footer(clause: Clause) -> bool:
    """Is ``clause`` a line of the verification footer ("Tin chính thức của …", "Mã xác thực: …",
    "Kiểm tra: gửi /xacthuc …") and nothing else?"""
    folded = clause.folded
    if _ISSUER_LINE.search(folded):
        return True
    return bool(_FOOTER_CLAUSE.search(folded)) and not content_words(folded)


def content_words(folded: str) -> list[str]:
    """The words of ``folded`` besides the footer's own ("mã xác thực", the code, "kiểm tra"…)."""
    return _FOOTER_WORDS.sub(" ", folded).split()


def body_tokens(prep: Prepared) -> list[str]:
    """Word tokens of the message body (footer clauses and punctuation left out)."""
    return [t for _, t in body_token_clauses(prep)]


def body_token_clauses(prep: Prepared) -> list[tuple[int, str]]:
    """``(clause index, token)`` for each word of the body, in order (see :func:`body_tokens`)."""
    out: list[tuple[int, str]] = []
    for ci, clause in enumerate(prep.clauses):
        if is_footer(clause):
            continue
        out.extend((ci, t) for t in clause.folded.split() if t != ",")
    return out


def sub_message(prep: Prepared, keep: list[int]) -> Prepared:
    """The part of ``prep`` made of the clauses ``keep`` (in order), with their links only.

    Used to judge some sentences on their own: the words added to a broadcast, or the
    body of a message without its verification footer. Phone numbers, amounts and codes
    stay as placeholder words; the lists are emptied so they are not counted twice.
    """
    clauses = [prep.clauses[i] for i in keep]
    position = {ci: n for n, ci in enumerate(keep)}
    kept_links = [(li, position[ci]) for li, ci in sorted(prep.link_clause.items()) if ci in position]
    return Prepared(
        text=". ".join(c.raw for c in clauses),
        links=[prep.links[li] for li, _ in kept_links],
        phones=[],
        money=[],
        codes=[],
        clauses=clauses,
        folded=" . ".join(c.folded for c in clauses),
        link_clause={n: ci for n, (_, ci) in enumerate(kept_links)},
    )


@dataclass
class Clause:
    """One sentence: its folded text with placeholders and comma segments kept as `` , ``."""

    raw: str
    folded: str
    question: bool = False  # the sentence ends with "?"


@dataclass
class Prepared:
    """A message ready for the rules."""

    text: str  # NFC original
    links: list[Link]
    phones: list[str]  # digits only
    money: list[str]
    codes: list[str]  # upper-case, as written
    clauses: list[Clause]
    folded: str  # every clause joined with " . "
    link_clause: dict[int, int] = field(default_factory=dict)  # link index -> clause index


def digits(s: str) -> str:
    """Only the digits of ``s``."""
    return re.sub(r"\D", "", s)


def prepare(text: str, code_re: re.Pattern[str] | None = None) -> Prepared:
    """Cut out links, phones, money and codes, then normalise and split ``text`` into clauses."""
    text = nfc(text)
    code_re = code_re or DEFAULT_CODE_RE
    links = extract_links(text)
    # Replace links from the end so earlier offsets stay valid; remember where each went.
    marked = text
    for i in range(len(links) - 1, -1, -1):
        link = links[i]
        marked = marked[: link.start] + f" zzlink{i} " + marked[link.end :]
    # "ck" is teencode for both "chồng" and "chuyển khoản": before an amount or a
    # destination it is a transfer.
    marked = _CK_TRANSFER.sub("chuyển khoản", marked)
    # Codes are looked for outside links only ("bhxh-online.com" is a host, not a code).
    codes = [m.group(0).upper() for m in code_re.finditer(marked)]
    marked = code_re.sub(" zzcode ", marked)
    phones: list[str] = []

    def _phone(m: re.Match[str]) -> str:
        phones.append(digits(m.group(0)))
        return " zzphone "

    marked = _PHONE.sub(_phone, marked)
    money: list[str] = []

    def _money(m: re.Match[str]) -> str:
        money.append(m.group(0))
        return " zzmoney "

    marked = _MONEY.sub(_money, marked)
    marked = _EMOJI.sub(" ", marked)
    clauses: list[Clause] = []
    link_clause: dict[int, int] = {}
    marked = _QUOTES.sub(" zzquote ", marked)
    parts = _CLAUSE_SPLIT.split(marked)
    # re.split with a group alternates text and delimiter: keep the delimiter to know questions.
    for raw, delim in zip(parts[::2], [*parts[1::2], ""], strict=False):
        raw = raw.strip()
        if not raw:
            continue
        segments = [smart_fold(seg) for seg in raw.split(",")]
        folded = " , ".join(s for s in segments if s)
        if not folded:
            continue
        for m in re.finditer(r"zzlink(\d+)", folded):
            link_clause[int(m.group(1))] = len(clauses)
        clauses.append(Clause(raw=raw, folded=re.sub(r"zzlink\d+", "zzlink", folded), question="?" in delim))
    return Prepared(
        text=text,
        links=links,
        phones=phones,
        money=money,
        codes=codes,
        clauses=clauses,
        folded=" . ".join(c.folded for c in clauses),
        link_clause=link_clause,
    )
