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
# Words before "ông 80 tuổi" that make the old person someone else ("nhà em có ông 80 tuổi",
# "đưa bà 80 tuổi đi khám").
_OTHER_BEFORE = _KIN | frozenset("có co cho với voi và va của cua đưa dua chở cho giúp giup cùng cung như nhu".split())  # noqa: SIM905
# An age in digits or in words ("70", "bảy mươi hai").
_NUM = r"(\d{2,3}(?!\d)|(?:sáu|bảy|bẩy|tám|chín) mươi(?: (?:mốt|hai|ba|tư|bốn|lăm|năm|sáu|bảy|bẩy|tám|chín))?)"
# Self-reference with an age: "tôi (năm nay) 70 tuổi", "bác 72 tuổi rồi", "bà năm nay 69",
# "tôi nay đã ngoài 70", "vợ chồng tôi đều ngoài 70", "tôi 72t" — not "bà tôi 70 tuổi".
# Without diacritics too ("TOI NAM NAY 74 TUOI"). Between the writer and the age only
# words such as "năm nay", "đã", "ngoài" may stand.
_SELF = r"(hai vợ chồng tôi|vợ chồng tôi|vợ chồng bác|hai ông bà (?:tôi|chúng tôi)|hai ông bà|chúng tôi|tôi|toi|bác|bac|ông|ong|bà|tui|chú|chu|cô|mình)"
_BETWEEN = r"(?: (?:năm nay|nam nay|nay|đã|da|ngoài|ngoai|hơn|hon|gần|gan|cũng|cung|đều|deu|được|duoc|tròn|tron|vừa|sắp|là|thì))"
_AGE = re.compile(
    rf"(?<!\w){_SELF}(?:{_BETWEEN}{{1,4}} {_NUM}(?: tuổi| tuoi|t(?!\w))?|(?: đã| được)? {_NUM}(?: tuổi| tuoi| rồi| roi|t(?!\w)))"
)
# A self-reference with a birth year before 1967 ("tôi sinh năm 1955", "bác sinh năm 58").
_BORN = re.compile(rf"(?<!\w){_SELF}(?: (?:đã|là|thì))? (?:sinh|sanh) (?:năm|nam) (?:19)?([0-6]\d)(?!\d)")
# Life-stage cues an elder gives about themselves: retired, grandchildren at work, failing
# eyes, "old and weak". Whole words; not counted when the message is about an old relative
# ("bà nội cháu 82 tuổi rồi, mắt kém").
_ELDER_CUE = re.compile(
    r"(?<!\w)(hưu trí|về hưu|nghỉ hưu|hưu rồi|ve huu|nghi huu|huu tri|(?:cán bộ|giáo viên|bộ đội|công nhân) hưu|"
    r"con cháu (?:đi làm|đi xa|ở xa|đi học|bận|xem|làm|cài|giúp)|(?:mấy|các) (?:đứa )?con (?:tôi |bác |tui )?(?:đi làm|đi xa|ở xa|bận)|"
    r"cháu (?:nội|ngoại) (?:tôi|bác|tui)|"
    r"mắt (?:tôi |bác |ông |bà )?(?:kém|mờ|yếu)|tuổi (?:tôi |bác |ông |bà )?(?:đã )?cao|già yếu|già cả|già rồi|"
    r"(?:tôi|bác|ông|bà|tui) là người cao tuổi|người cao tuổi như|(?:toi|bac|tui) gia roi)(?!\w)"
)
# "bà nội cháu", "bố tôi", "ông ngoại em", "ông nhà em": the old person is a relative.
_RELATIVE = re.compile(
    r"(?<!\w)(?:bà|ông|bố|mẹ|cha|má|cụ)(?: nội| ngoại| nhà| chồng| vợ| đẻ| nuôi)? (?:tôi|em|cháu|mình|tui)(?!\w)"
)
# Phrases an elder uses about themselves (normalised text, diacritics kept).
_ELDER_EXACT = re.compile(
    r"(?<!\w)(con ơi cho (?:bác|ông|bà|mẹ|bố) hỏi|cho (bác|ông|bà) hỏi|(ông|bà) (?:muốn |cần |xin )?hỏi|"
    r"cho (?:mẹ|má|bố) hỏi|(ông|bà) năm nay|người già như (?:tôi|bác)|tôi (?:đã )?(?:về hưu|nghỉ hưu))(?!\w)"
)
# The writer calls themselves young ("cho cháu hỏi", "em muốn hỏi", "dạ bác cho cháu..."):
# an old person in the message is someone else.
_YOUNG_SELF = re.compile(
    r"(?<!\w)((?:cho|để|cho phép) (?:cháu|em|con|e) (?:xin )?hỏi|(?:cháu|em|con) (?:muốn|xin|cần|định) hỏi|"
    r"^(?:dạ )?(?:cháu|em|con) chào|^dạ (?:bác|ông|bà)|(?:bác|ông|bà) ơi (?:cho )?(?:cháu|em|con)|"
    r"cho (?:chau|em|e|con) hoi)(?!\w)"
)
# A relayed question: "Bà Lục Thị H. (58 tuổi) cho biết...", "Bạn đọc ... hỏi", "Bác N. ở
# tổ 3 nhờ con gái gửi câu hỏi", a hotline's note ("Người gọi (nam, 66 tuổi) ...", "Ghi chú
# tổng đài: ..."), "Một thầy giáo về hưu viết thư hỏi", "Cụ ông 80 tuổi kể ...": a newspaper,
# a hotline or a relative writes about the elder, so the reply stays neutral.
_RELAYED = re.compile(
    r"^\s*(?:(?:Ông|Bà|Anh|Chị|Cô|Chú|Cụ|Bác) [A-ZĐ][\w.]*(?: [A-ZĐ][\w.]*)*\s*[(,]|(?:Bạn đọc|Độc giả|Phụ huynh) |"
    r"(?:Ông|Bà|Anh|Chị|Cô|Chú|Cụ|Bác) [A-ZĐ][\w]*\.(?: [A-ZĐ][\w]*\.)* (?:ở|tại|nhờ|kể|hỏi|muốn|cho|phản|thắc|được|bị|có|vừa|đã)\b|"
    r"(?i:(?:ghi chú|nội dung|tổng đài|ca trực)[^:\n]{0,40}:|người gọi\b|một (?:người|bạn|cụ|thầy|cô|bác|ông|bà|chị|anh|phụ huynh|độc giả|hộ)\b|"
    r"cụ (?:ông|bà) ))"
)
# "cháu" called at the end of a sentence or with "ơi": the writer is the elder.
_CALL_GRANDCHILD = re.compile(
    r"(?<!\w)(cháu ơi|chau oi|(cháu|chau)(?: (?:ạ|à|nhé|nha|với|nhá|nhỉ|hả|a|nhe|voi|nhi|ha))?\s*(?:[.?!,…]|$))", re.M
)
# "... vậy con", "con ơi": an elder calling the young one who answers.
_CALL_CHILD = re.compile(
    r"(?<!\w)(con ơi|(?:vậy|nha|nhé|nhá|hả|à|nghe|nghen|hen|nhỉ|với|z|v|ha|không|ko|chưa|sao|đâu|gì|nào|nè|đi) con\s*(?:[.?!,…]|$))",
    re.M,
)
# Before "cháu": the grandchild is talked about ("bà nội cháu,", "sinh cháu.", "cho cháu."),
# not called.
_NOT_CALL_BEFORE = frozenset("nội ngoại bà ông bố mẹ cho của con là sinh có đứa thằng bé các mấy".split())  # noqa: SIM905
# Words after which "bác" is not the writer ("bác sĩ", "bác tôi", "miền Bắc" folded, ...).
_NOT_SELF_AFTER = frozenset(
    "sĩ si tôi toi em mình minh của cua trai gái gai ruột ruot họ ho hai ba ninh giang kạn kan liêu lieu hà ha tư tu bộ bo ơi oi"  # noqa: SIM905
    " ấy ay đó do kia tổ to trưởng truong hàng hang xóm bảo bao cả dâu rể sỹ".split()
)
_NOT_SELF_BEFORE = frozenset(
    "miền mien xóm xom đông dong tây tay phía phia hướng huong gặp gap ông ong hai kể ke chào chao"  # noqa: SIM905
    " nhờ nho hỏi hoi gọi goi mời moi thưa thua dạ".split()
)


# After "ông" / "bà": someone else, not the writer ("ông nội", "bà em", "ông bà", "bà con",
# "bà bầu", "ông xã", "ông ấy", "bà Lan").
_NOT_TITLE_AFTER = frozenset(
    "nội ngoại tôi em e cháu mình nhà ấy đó kia bà ông cụ con bầu xã chủ trưởng tổ hàng họ ta cố trời"  # noqa: SIM905
    " đỡ đồng anh chị mẹ bố này nào thông gia lão".split()
)
_NOT_TITLE_BEFORE = frozenset("ông bà các mấy những hai một có vợ chồng cô chú bác thấy gặp hỏi nhờ đưa chở dẫn với và cùng".split())  # noqa: SIM905
# The writer speaks as someone younger: "em" (not "em ơi", said to the one answering).
_YOUNG_WORD = re.compile(r"(?<!\w)(?:em|e)(?! ơi)(?!\w)")
# "đưa bà nội đi khám ... bà đang uống thuốc": a grandparent is talked about.
_GRANDPARENT = re.compile(r"(?<!\w)(?:ông|bà) (?:nội|ngoại)(?!\w)")
# An elder's own cue in the first person: "tôi là bà nội đang nuôi cháu".
_TITLE_SELF = re.compile(r"(?<!\w)(?:tôi|tui) là (ông|bà)(?!\w)")


def _own_title(text: str, norm: str) -> str | None:
    """"ông" / "bà" when the writer calls themselves so ("điện thoại của ông chưa có vneid",
    "giờ ông phải làm gì", "con gái mua cho bà máy mới"); None when an old relative, a
    younger writer ("em", "cho cháu hỏi") or a named person is in the message."""
    m = _TITLE_SELF.search(norm)
    if m is not None:
        return m.group(1)
    if _RELATIVE.search(norm) or _YOUNG_SELF.search(norm) or _YOUNG_WORD.search(norm) or _GRANDPARENT.search(norm):
        return None
    capitals = text.upper() == text
    words = re.findall(r"\w+", text)
    for i, word in enumerate(words):
        title = word.lower()
        if title not in ("ông", "bà"):
            continue
        after = words[i + 1] if i + 1 < len(words) else ""
        before = words[i - 1].lower() if i > 0 else ""
        if after[:1].isupper() and not capitals:
            continue  # "bà Lan", "ông Tư": a named person
        if after.lower() not in _NOT_TITLE_AFTER and before not in _NOT_TITLE_BEFORE:
            return title
    return None


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
    if _RELAYED.search(nfc(text)) is not None:
        return Address()
    norm = normalize(text)
    m = _ELDER_EXACT.search(norm)
    if m is not None:
        who = next((g for g in m.groups()[1:] if g), "bác")
        return Address(who if who in ("bác", "ông", "bà") else "bác")
    aged = _aged_self(norm)
    if aged is not None:
        return Address(aged)
    if _YOUNG_SELF.search(norm) is not None:
        return Address()  # "cho cháu hỏi, bà nội cháu mắt kém": the writer is young
    if _RELATIVE.search(norm) is None and any(_own_cue(norm, cue) for cue in _ELDER_CUE.finditer(norm)):
        return Address(_self_word(norm))  # "tôi về hưu rồi", not "bố mẹ già yếu"
    if _bac_is_self(norm) or _calls_young(nfc(text).lower()):
        return Address("bác")
    own = _own_title(nfc(text), norm)
    return Address(own) if own is not None else Address()


def _aged_self(norm: str) -> str | None:
    """"bác" / "ông" / "bà" when the writer gives an elder's age or birth year of their own."""
    for age in _AGE.finditer(norm):
        before = norm[: age.start()].split()[-1:]
        if _old_enough(age.group(2) or age.group(3)) and not (before and before[0] in _OTHER_BEFORE):
            who = age.group(1)
            return who if who in ("ông", "bà") else "bác"
    for born in _BORN.finditer(norm):
        before = norm[: born.start()].split()[-1:]
        if not (before and before[0] in _OTHER_BEFORE):
            return born.group(1) if born.group(1) in ("ông", "bà") else "bác"
    return None


def _calls_young(lower: str) -> bool:
    """True when the writer calls the one answering "cháu" or "con" (an elder's words)."""
    if _CALL_CHILD.search(lower) is not None:
        return True
    for m in _CALL_GRANDCHILD.finditer(lower):
        before = re.findall(r"\w+", lower[: m.start()])[-1:]
        if m.group(1).endswith("ơi") or m.group(1).endswith("oi") or not (before and before[0] in _NOT_CALL_BEFORE):
            return True
    return False


def _own_cue(norm: str, cue: re.Match[str]) -> bool:
    """False for "già yếu" / "già rồi" said of a relative ("bố mẹ già yếu", "mẹ em già rồi");
    a message that opens with "bà già rồi" is the writer's own."""
    if not cue.group(1).startswith("già"):
        return True
    before = norm[: cue.start()].split()
    if not before:
        return True
    if before[-1] in _KIN:
        return len(before) == 1 and before[0] in ("bác", "ông", "bà")
    return not (len(before) > 1 and before[-1] in ("tôi", "em", "cháu", "mình", "tui", "con", "nhà") and before[-2] in _KIN)


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
