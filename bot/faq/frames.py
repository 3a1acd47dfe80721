"""The frame newspapers, hotlines and letters put around a resident's question.

"Ông Trịnh Văn B. (67 tuổi, ở xã Y) hỏi: ... Xin cảm ơn.", "Kính gửi Ban biên tập, ...",
"Đề nghị cơ quan chức năng cho biết ...": :func:`strip_frame` leaves the situation and the
question; :func:`strip_formal` reduces administrative wording to what residents say (also
applied to the training samples). Patterns run on the folded, lowercased text; folding
keeps every character's position, so the matches cut the original text.
"""

from __future__ import annotations

import re

from bot.text import fold, nfc

UPPERCASE = "A-ZĐÀÁẢÃẠĂẮẰẲẴẶÂẤẦẨẪẬÈÉẺẼẸÊẾỀỂỄỆÌÍỈĨỊÒÓỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢÙÚỦŨỤƯỨỪỬỮỰỲÝỶỸỴ"
# "(67 tuổi, ở xã Quỳnh Lưu)", "(Nghệ An)": who and where, never the question.
_PAREN = re.compile(r"\s*\([^()?]{1,80}\)")
# "Ông Trịnh Văn B. ... hỏi:", "Bạn đọc ở phường X hỏi:", "Độc giả Y cho biết": the relayer.
_RELAY_HEAD = re.compile(
    r"^\s*(ong|ba|anh|chi|co|chu|cu|ban doc|doc gia|phu huynh|nguoi dan|mot ban doc|mot doc gia|chi em|gia dinh)"
    r"(?=[ ,])[^?:!\n]{0,70}?(?<![a-z])(hoi|cho biet|phan anh|thac mac|gui cau hoi|trinh bay|viet)(?![a-z])\s*:?\s*"
)
# "Bà hỏi:", "Ông hỏi: Vậy ..." after the relayed context.
_RELAY_AGAIN = re.compile(r"(?<![a-z])(ong|ba|anh|chi|co|chu|ban doc|doc gia) (hoi|thac mac)\s*:\s*")
_OPENING = re.compile(
    r"^\s*((kinh gui|kinh thua|thua|chao|xin chao)( [^,.:!?]{0,40})?[,.:!]\s*|"
    r"(kinh hoi|xin hoi|cho toi hoi|toi xin hoi|toi muon hoi|hoi)\s*:\s*)"
)
_CLOSING = re.compile(
    r"[\s.,!]*(xin (chan thanh |tran trong )?cam on|tran trong( cam on)?|cam on (loa|ad|nhieu|a)|xin cam on nhieu)"
    r"[\s.,!ạa]*$"
)


def _cut(text: str, pattern: re.Pattern[str], *, repeat: bool = False, repl: str = "") -> str:
    """``text`` with the spans ``pattern`` finds in its folded, lowercased form removed (or
    replaced by ``repl``; a group named ``keep`` is kept: the sentence end before a frame)."""
    start = 0
    while True:
        m = pattern.search(fold(text).lower(), start)
        if m is None or m.end() == m.start():
            return text
        keep = m.groupdict().get("keep") or ""
        sep = " " if m.start() > 0 and m.end() < len(text) else ""
        new = keep + (repl or sep)
        text = text[: m.start()] + new + text[m.end() :]
        start = m.start() + len(new)
        if not repeat:
            return text


_READER = re.compile(r"^\s*(ban doc|doc gia|phu huynh|nguoi dan|mot ban doc|mot doc gia)(?![a-z])")


# Administrative and legal wording, as letters to hotlines and newspapers are written. The
# request ("Xin cho biết", "Đề nghị cơ quan chức năng cho biết") becomes the plain "cho tôi
# hỏi" the model knows from every class; "theo quy định", "căn cứ quy định hiện hành" and
# "trường hợp công dân ... thì" say nothing about the subject; "công dân" is "người dân".
# At the start of the text or of a sentence (the ``keep`` group is the sentence end).
_SENTENCE_START = r"(?P<keep>^\s*|[.?!:]\s+)"
_FORMAL_ASK = re.compile(
    _SENTENCE_START + r"(?:(?:toi|chung toi|kinh|xin|ca nhan toi|gia dinh toi) )?(?:kinh )?(?:xin|de nghi|mong|rat mong|"
    r"kinh mong|kinh de nghi|xin duoc|de nghi duoc)(?: (?:co quan (?:chuc nang|chuyen mon|co tham quyen)|quy co quan|"
    r"ban bien tap|chuyen gia|luat su|loa|ad|admin|can bo))?(?: (?:vui long|giup|giai dap|huong dan))?"
    r" (?:cho (?:toi |chung toi |em )?(?:duoc )?biet|giai dap|huong dan (?:cu the )?(?:giup )?(?:ve )?|tu van|thong tin)"
    r"(?: (?:ve|giup|cu the|ro))?\s*:?\s*"
)
_FORMAL_LEAD = re.compile(
    _SENTENCE_START + r"(?:(?:can cu|theo|chieu theo) (?:quy dinh|van ban|phap luat|huong dan)"
    r"(?: (?:hien hanh|hien nay|cua phap luat|moi nhat|cua nha nuoc|cua bo y te))?\s*,?\s*|"
    r"(?:trong )?truong hop(?= ))"
)
_CITIZEN = re.compile(r"(?<![a-z])cong dan(?![a-z])")


def strip_formal(text: str) -> str:
    """Administrative wording in ``text`` reduced to what residents say (see ``_FORMAL_ASK``)."""
    text = _cut(text, _FORMAL_LEAD, repeat=True)
    text = _cut(text, _FORMAL_ASK, repeat=True, repl="cho tôi hỏi ")
    return _cut(text, _CITIZEN, repeat=True, repl="người dân")


def _named_relayer(text: str) -> bool:
    """A relayer the head pattern may remove: a reader ("Bạn đọc", "Độc giả", "Phụ huynh")
    or a title followed by a capitalised name ("Ông Trịnh...", "Bà L."); "Có phải...",
    "Chị ơi cho em hỏi" or "Bà tôi hỏi" are the resident's own words."""
    if _READER.search(fold(text).lower()):
        return True
    words = text.split()
    return len(words) > 1 and words[1][:1].isupper() and words[0][:1].isupper()


# Words of a relayer's place ("ở xã Tân Phú, huyện Y"): not the situation.
_PLACE_WORDS = frozenset(
    "o tai que song tru xa phuong thon ap to khu pho quan huyen tinh thanh thi tran xom ban so duong ngo hem".split()  # noqa: SIM905
)
SITUATION_WORDS = 4  # lowercase words between the relayer's name and "hỏi" that tell a story


def _cut_relayer(text: str) -> str:
    """``text`` without the relayer's head ("Ông Nguyễn Văn A. ở xã Y hỏi:"); when the
    words between the name and "hỏi" tell the situation ("Anh K. bị trộm mất điện thoại
    tuần trước, anh hỏi ..."), only the name and the verb go and the situation stays."""
    m = _RELAY_HEAD.search(fold(text).lower())
    if m is None:
        return text
    words = text[: m.start(2)].split()
    i = 1
    while i < len(words) and words[i][:1].isupper():
        i += 1  # the name: "Nguyễn Văn A.", "K."
    middle = words[i:]
    told = [w for w in middle if w[:1].islower() and fold(w.strip(",.")).lower() not in _PLACE_WORDS]
    if len(told) < SITUATION_WORDS:
        return _cut(text, _RELAY_HEAD)
    situation = " ".join(middle).rstrip(" ,")
    # "..., anh hỏi": the relayer's pronoun before the verb goes with it.
    situation = re.sub(r"[,\s]+\w+$", "", situation) if fold(middle[-1]).lower() in _RELAY_PRONOUNS else situation
    return f"{situation}, {text[m.end():].lstrip()}"


_RELAY_PRONOUNS = frozenset("ong ba anh chi co chu cu bac em".split())  # noqa: SIM905


def strip_frame(text: str) -> str:
    """The message without the frame newspapers, hotlines and polite letters put around a
    question: "(67 tuổi, ở xã Y)", "Ông X ... hỏi:", "Bà hỏi:", "Kính gửi ...,", "Cho tôi
    hỏi:", "Xin cảm ơn." — what is left is the situation and the question."""
    out = _PAREN.sub("", nfc(text))
    if _named_relayer(out):
        out = _cut_relayer(out)
    out = _cut(out, _RELAY_AGAIN, repeat=True)
    out = _cut(out, _OPENING)
    out = _cut(out, _CLOSING)
    out = strip_formal(out)
    out = re.sub(r"[ \t]{2,}", " ", out).strip(" ,")
    return out if any(ch.isalnum() for ch in out) else nfc(text).strip()


