"""Register of address: reply to an elder as "bác" / "ông" / "bà", to everyone else as "bạn".

Answers are written with the neutral, polite "bạn". When a resident writes as an elder
("cháu ơi cho bác hỏi", "tôi năm nay 70 tuổi", "cho ông hỏi"), :func:`address_reply`
turns the answer to them respectfully: "Dạ, thưa bác:" on top and "bác" for "bạn" — the
same length give or take a few words. "bà tôi 70 tuổi" (a grandmother asked about) is not
an elder writing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.text import nfc, normalize

# The age from which "tôi ... N tuổi" reads as an elder writing.
ELDER_AGE = 60
_KIN = frozenset("bà ông mẹ bố cha má ba vợ chồng con cháu anh chị em cô chú dì bác cậu mợ thím nhà".split())  # noqa: SIM905 - one readable string
# Self-reference with an age: "tôi (năm nay) 70 tuổi", "bác 72 tuổi rồi" — not "bà tôi 70 tuổi".
_AGE = re.compile(r"(?<!\w)(tôi|bác|ông|bà|tui)( năm nay| nay| đã| được)? (\d{2,3}) tuổi")
# Phrases an elder uses about themselves (normalised text, diacritics kept).
_ELDER_EXACT = re.compile(
    r"(?<!\w)(con ơi cho (?:bác|ông|bà|mẹ|bố) hỏi|cho (bác|ông|bà) hỏi|(ông|bà) (?:muốn |cần |xin )?hỏi|"
    r"(ông|bà) năm nay|người già như (?:tôi|bác)|tôi (?:đã )?(?:về hưu|nghỉ hưu)|già rồi)(?!\w)"
)
# "cháu" called at the end of a sentence or with "ơi": the writer is the elder.
_CALL_GRANDCHILD = re.compile(r"(?<!\w)(cháu ơi|chau oi|(cháu|chau)(?: (?:ạ|à|nhé|nha|với|nhá|nhỉ|hả))?\s*(?:[.?!,…]|$))", re.M)
# Words after which "bác" is not the writer ("bác sĩ", "bác tôi", "miền Bắc" folded, ...).
_NOT_SELF_AFTER = frozenset(
    "sĩ si tôi toi em mình minh của cua trai gái gai ruột ruot họ ho hai ba ninh giang kạn kan liêu lieu hà ha tư tu bộ bo".split()  # noqa: SIM905 - one readable string
)
_NOT_SELF_BEFORE = frozenset("miền mien xóm xom đông dong tây tay phía phia hướng huong gặp gap ông ong hai".split())  # noqa: SIM905


def _bac_is_self(norm: str) -> bool:
    """True when "bác" (or, without diacritics, "bac") is the writer speaking of themselves."""
    words = re.findall(r"\w+", norm)
    plain = norm.isascii()
    for i, word in enumerate(words):
        if word != "bác" and not (plain and word == "bac"):
            continue
        after = words[i + 1] if i + 1 < len(words) else ""
        before = words[i - 1] if i > 0 else ""
        if after not in _NOT_SELF_AFTER and before not in _NOT_SELF_BEFORE:
            return True
    return False


_NEUTRAL = "bạn"


@dataclass(frozen=True)
class Address:
    """How to address the resident: ``honorific`` is "bạn" (neutral) or "bác"/"ông"/"bà"."""

    honorific: str = _NEUTRAL

    @property
    def elder(self) -> bool:
        """True when the resident wrote as an elder."""
        return self.honorific != _NEUTRAL


def address_of(text: str) -> Address:
    """The register a message calls for (neutral unless it is written as an elder)."""
    norm = normalize(text)
    m = _ELDER_EXACT.search(norm)
    if m is not None:
        who = next((g for g in m.groups()[1:] if g), "bác")
        return Address(who if who in ("bác", "ông", "bà") else "bác")
    for age in _AGE.finditer(norm):
        before = norm[: age.start()].split()[-1:]
        if int(age.group(3)) >= ELDER_AGE and not (before and before[0] in _KIN):
            who = age.group(1)
            return Address(who if who in ("ông", "bà") else "bác")
    if _bac_is_self(norm) or _CALL_GRANDCHILD.search(nfc(text).lower()) is not None:
        return Address("bác")
    return Address()


_BAN = re.compile(r"(?<!\w)(B|b)ạn(?! bè)(?!\w)")


def address_reply(text: str, address: Address) -> str:
    """``text`` (written with "bạn") addressed to ``address``; unchanged when neutral."""
    if not address.elder:
        return text
    word = address.honorific

    def swap(m: re.Match[str]) -> str:
        return word.capitalize() if m.group(1) == "B" else word

    return f"Dạ, thưa {word}:\n" + _BAN.sub(swap, text)
