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
_KIN = frozenset("bà ông mẹ bố cha má ba vợ chồng con cháu anh chị em cô chú dì bác cậu mợ thím nhà nội ngoại".split())  # noqa: SIM905 - one readable string
# An age in digits or in words ("70", "bảy mươi hai").
_NUM = r"(\d{2,3}(?!\d)|(?:sáu|bảy|bẩy|tám|chín) mươi(?: (?:mốt|hai|ba|tư|bốn|lăm|năm|sáu|bảy|bẩy|tám|chín))?)"
# Self-reference with an age: "tôi (năm nay) 70 tuổi", "bác 72 tuổi rồi", "bà năm nay 69",
# "tôi đã ngoài 60" — not "bà tôi 70 tuổi". Without diacritics too ("TOI NAM NAY 74 TUOI").
_AGE = re.compile(
    r"(?<!\w)(tôi|toi|bác|bac|ông|ong|bà|tui|chú|chu|cô)"
    rf"(?:(?: năm nay| nam nay| nay| đã ngoài| ngoài| đã hơn| hơn| cũng đã| cũng) {_NUM}(?: tuổi| tuoi)?|"
    rf"(?: đã| được)? {_NUM} (?:tuổi|tuoi|rồi))"
)
# Life-stage cues an elder gives about themselves: retired, grandchildren at work, failing
# eyes, "old and weak". Whole words; not counted when the message is about an old relative
# ("bà nội cháu 82 tuổi rồi, mắt kém").
_ELDER_CUE = re.compile(
    r"(?<!\w)(hưu trí|về hưu|nghỉ hưu|hưu rồi|ve huu|nghi huu|huu tri|con cháu (?:đi làm|đi xa|ở xa|đi học|bận)|"
    r"mắt (?:tôi |bác |ông |bà )?(?:kém|mờ|yếu)|tuổi (?:tôi |bác |ông |bà )?(?:đã )?cao|già yếu|già cả|"
    r"(?:tôi|bác|ông|bà|tui) là người cao tuổi|người cao tuổi như|(?:toi|bac) gia roi)(?!\w)"
)
# "bà nội cháu", "bố tôi", "ông ngoại em": the old person is a relative, not the writer.
_RELATIVE = re.compile(r"(?<!\w)(?:bà|ông|bố|mẹ|cha|má|cụ)(?: nội| ngoại)? (?:tôi|em|cháu|mình|tui)(?!\w)")
# Phrases an elder uses about themselves (normalised text, diacritics kept).
_ELDER_EXACT = re.compile(
    r"(?<!\w)(con ơi cho (?:bác|ông|bà|mẹ|bố) hỏi|cho (bác|ông|bà) hỏi|(ông|bà) (?:muốn |cần |xin )?hỏi|"
    r"(ông|bà) năm nay|người già như (?:tôi|bác)|tôi (?:đã )?(?:về hưu|nghỉ hưu)|già rồi)(?!\w)"
)
# "cháu" called at the end of a sentence or with "ơi": the writer is the elder.
_CALL_GRANDCHILD = re.compile(r"(?<!\w)(cháu ơi|chau oi|(cháu|chau)(?: (?:ạ|à|nhé|nha|với|nhá|nhỉ|hả))?\s*(?:[.?!,…]|$))", re.M)
# Words after which "bác" is not the writer ("bác sĩ", "bác tôi", "miền Bắc" folded, ...).
_NOT_SELF_AFTER = frozenset(
    "sĩ si tôi toi em mình minh của cua trai gái gai ruột ruot họ ho hai ba ninh giang kạn kan liêu lieu hà ha tư tu bộ bo ơi oi".split()  # noqa: SIM905 - one readable string
)
_NOT_SELF_BEFORE = frozenset(
    "miền mien xóm xom đông dong tây tay phía phia hướng huong gặp gap ông ong hai kể ke chào chao".split()  # noqa: SIM905
)


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
        if _old_enough(age.group(2) or age.group(3)) and not (before and before[0] in _KIN):
            who = age.group(1)
            return Address(who if who in ("ông", "bà") else "bác")
    if _RELATIVE.search(norm) is None and any(_own_cue(norm, cue) for cue in _ELDER_CUE.finditer(norm)):
        return Address(_self_word(norm))  # "tôi về hưu rồi", not "bố mẹ già yếu"
    if _bac_is_self(norm) or _CALL_GRANDCHILD.search(nfc(text).lower()) is not None:
        return Address("bác")
    return Address()


def _own_cue(norm: str, cue: re.Match[str]) -> bool:
    """False for "già yếu" / "già cả" said of a relative ("bố mẹ già yếu", "ông bà già cả")."""
    before = norm[: cue.start()].split()[-1:]
    return not (cue.group(1).startswith("già") and before and before[0] in _KIN)


def _old_enough(number: str) -> bool:
    """True for an age of ``ELDER_AGE`` or more ("70", "bảy mươi")."""
    return not number.isdigit() or int(number) >= ELDER_AGE


def _self_word(norm: str) -> str:
    """"ông" or "bà" when the writer calls themselves so ("ông hưu rồi"), else "bác"."""
    m = re.search(r"(?<!\w)(ông|bà)(?= (?:hưu|già|năm nay|muốn|hỏi|ở nhà|mắt|đã|cũng|không|ko|là)(?!\w))", norm)
    return m.group(1) if m is not None and _RELATIVE.search(norm) is None else "bác"


_BAN = re.compile(r"(?<!\w)(B|b)ạn(?! bè)(?!\w)")


def address_reply(text: str, address: Address) -> str:
    """``text`` (written with "bạn") addressed to ``address``; unchanged when neutral."""
    if not address.elder:
        return text
    word = address.honorific

    def swap(m: re.Match[str]) -> str:
        return word.capitalize() if m.group(1) == "B" else word

    return f"Dạ, thưa {word}:\n" + _BAN.sub(swap, text)
