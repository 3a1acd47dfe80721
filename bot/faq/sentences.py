"""Long messages: strip the relaying frame, split into sentences, find the ones that ask.

Residents write context before the question ("Hôm trước tổ trưởng đến nhà... Giờ em muốn
đăng ký thì làm sao ạ?"), newspapers and hotlines relay questions in the third person
("Ông Trịnh Văn B. (67 tuổi, ở xã Y) hỏi: ... Xin cảm ơn."), elders write a whole story
without a full stop, and some messages hold two questions ("khám ở đâu ạ? với lại mấy giờ
bắt đầu"). The classifier reads the asking sentences on their own as well as the message.

Patterns run on the folded, lowercased text; folding keeps every character's position, so
the matches cut the original text.
"""

from __future__ import annotations

import re

from bot.text import fold, nfc, normalize

# A sentence ends at ".", "!", ";", "…" followed by a space, at any "?" and at a line break.
_SENTENCE_END = re.compile(r"(?<=[.!;…])\s+|(?<=\?)\s*|\n+")
# A list item marker ("1)", "2.", "2/", "b)", "Thứ hai,") at the start or after a space or
# colon: each item is a question of its own ("Xin hỏi: 1) Ai được khám? 2) Khám ở đâu?").
_LIST_ITEM = re.compile(
    r"(?:(?<=^)|(?<=[\s:]))(?:[1-9][.)/]|[a-d]\))(?=\s)\s*|(?:(?<=^)|(?<=[\s.:]))(?:Thứ|thứ) (?:nhất|hai|ba),\s*"
)
# Clauses inside a sentence that start a new question ("..., với lại mấy giờ khám").
_CLAUSE = re.compile(
    r",\s*(?=(?:với lại|vs lại|voi lai|vs lai|còn|thêm nữa|them nua|và cho hỏi|cho hỏi thêm|và)\s)|"
    r"\s+(?=(?:với lại|vs lại|voi lai|vs lai|thêm nữa là|them nua la)\s)",
    re.I,
)
# More join words, tried only when the split is kept for two clear topics ("..., rồi bao lâu
# có kết quả", "... không à mà khám ở đâu").
_CLAUSE_MORE = re.compile(
    r",\s*(?=(?:với lại|vs lại|voi lai|vs lai|với cả|còn|con|thêm nữa|them nua|và cho hỏi|cho hỏi thêm|và|va|rồi|roi|à mà)\s)|"
    r"\s+(?=(?:với lại|vs lại|voi lai|vs lai|thêm nữa là|them nua la|à mà)\s)",
    re.I,
)
# Weaker joins without a comma ("khám ở đâu và mất bao nhiêu tiền", "... còn mấy giờ"): both
# sides must carry their own question word (see ``_asks``).
_SOFT_CLAUSE = re.compile(r"\s+(?=(?:còn|con|và|va|rồi|với|vs|thêm nữa|them nua)\s)", re.I)
# The words that join a second question, dropped from its start when it inherits a subject.
_JOIN_HEAD = re.compile(
    r"^\s*(?:với lại|vs lại|voi lai|vs lai|với cả|thêm nữa là|thêm nữa|them nua la|them nua|à mà|còn|và|rồi|với|vs)\s+", re.I
)
# Question phrases that ask wherever they stand (folded; whole words).
_QUESTION = re.compile(
    r"(?<![a-z])(o dau|cho nao|noi nao|(?:di|den|tu) dau|the nao|nhu the nao|ra sao|lam sao|sao|bao gio|bao lau|bao nhieu|khi nao|"
    r"may (gio|lan|ngay|buoc|tuoi|thang|nam|muc)|gi|j|nao|co phai|duoc khong|duoc ko|hay khong|hay chua|phai khong|"
    r"dung khong|co .{1,60} (khong|ko|k|chua)|cho (toi|bac|em|con|chau|minh|tui|ong|ba|hoi)( \w+)? hoi|xin hoi|"
    r"kinh hoi|hoi:|ai)(?![a-z])"
)
# A final particle that makes a sentence a question ("... được không", "... chưa ạ", "... hả").
_FINAL = re.compile(r"(?<![a-z])(khong|ko|k|chua|a|vay|z|v|the|nhi|ha|hen|ta|sao|nao|gi|j|dau|chau|ad|loa)\W*$")
# Requests that ask without a question word ("Loa tìm giúp với", "Xin hướng dẫn tôi cài").
_REQUEST = re.compile(r"(?<![a-z])(giup|huong dan|chi (cho|giup|bac|toi|em)|cho (toi |bac |em )?biet|xem ho|tim ho|tu van)(?![a-z])")
# Question words strong enough to make a comma-separated clause a question of its own.
_OWN_QUESTION = re.compile(
    r"(?<![a-z])(o dau|dau|nao|gi|sao|bao gio|bao lau|bao nhieu|may|the nao|co phai|duoc khong|"
    r"khong|chua|lam sao|ra sao|ai)(?![a-z])\W*$|(?<![a-z])(bao gio|bao nhieu|o dau|the nao|nhu the nao|lam sao|ra sao|khi nao)(?![a-z])"
)
MIN_CLAUSE_WORDS = 3
# A wish or a plea that asks as a question does ("bác muốn nhận tin báo lịch khám, với lại
# ...", "cho em xin sđt cán bộ luôn"): the writer wants something from Loa.
_WISH = re.compile(
    r"(?<![a-z])(?:(?:toi|bac|em|e|minh|ong|ba|chau|con|tui) (?:muon|can) (?:nhan|biet|duoc|dang ky|xem|hoi|gap|noi chuyen)|"
    r"cho (?:toi|em|e|bac|minh|con|chau|tui|ong|ba) xin)(?![a-z])"
)

# --- the relaying frame -----------------------------------------------------------------
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


# Emoji between words end a sentence in chat ("khám ở đâu thế 😅 mấy giờ?").
_EMOJI_BREAK = re.compile(r"(?<=\w)\s*[\U0001F300-\U0001FAFF\u2600-\u27BF]+[\ufe0f\s]*(?=\w)")


def _emoji_break(m: re.Match[str]) -> str:
    """A line break for emoji between words; a "?" too when the words before ask."""
    before = m.string[: m.start()].rsplit("\n", 1)[-1]
    return "?\n" if _ENDS_ASKING.search(_folded(before)) else "\n"


def split_sentences(text: str) -> list[str]:
    """The sentences of a message, in order (empty pieces dropped); the items of a numbered
    list are sentences too, without their markers."""
    text = nfc(text)
    if len(_LIST_ITEM.findall(text)) > 1:  # an item that asks is a question, "?" or not
        items = [item.strip() for item in _LIST_ITEM.split(text)]
        text = "\n".join(i.rstrip(" .") + "?" if asks_directly(i) and not i.endswith("?") else i for i in items if i)
    text = _EMOJI_BREAK.sub(_emoji_break, text)
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip(" .,!;…")]


def _folded(sentence: str) -> str:
    return fold(normalize(sentence))


def is_question(sentence: str) -> bool:
    """True when ``sentence`` asks something: a "?", a question phrase, a final particle
    ("... không", "... ạ") or a request ("tìm giúp", "hướng dẫn")."""
    s = sentence.strip()
    if s.endswith("?"):
        return True
    folded = _folded(s)
    return bool(_QUESTION.search(folded) or _FINAL.search(folded) or _REQUEST.search(folded) or _WISH.search(folded))


# A sentence that opens with these words adds a question to the one before ("... làm sao mở?
# với lại mật khẩu quên luôn").
_JOIN_MORE = re.compile(r"^\s*(?:với lại|vs lại|voi lai|vs lai|thêm nữa|them nua|à mà|a ma|còn)\s+\S+\s+\S+", re.I)


def joins_more(sentence: str) -> bool:
    """True for a sentence that opens with "với lại", "thêm nữa", "còn" and says more."""
    return _JOIN_MORE.search(nfc(sentence)) is not None


def asks_directly(sentence: str) -> bool:
    """A question proper: a "?", a question phrase, a final particle or a wish addressed to
    Loa ("cho em xin số", "bác muốn nhận tin") — not a mere "giúp với"."""
    s = sentence.strip()
    folded = _folded(s)
    return s.endswith("?") or bool(_QUESTION.search(folded) or _FINAL.search(folded) or _WISH.search(folded))


def asking_sentences(text: str) -> list[str]:
    """The sentences that ask, in order; the last sentence when none looks like a question.

    When some sentences end with "?", those, requests such as "Loa xem giúp", and questions
    after the first "?" are the asking ones: a story sentence with "không" in it before the
    question ("Tôi không làm theo...") is context.
    """
    sentences = split_sentences(text)
    if not sentences:
        return []
    marked = [i for i, s in enumerate(sentences) if s.endswith("?")]
    if marked:  # the story comes first; after the first "?" a question may lack its mark
        asking = [
            s
            for i, s in enumerate(sentences)
            if s.endswith("?") or _REQUEST.search(_folded(s)) or (i > marked[0] and (asks_directly(s) or joins_more(s)))
        ]
    else:
        asking = [s for s in sentences if is_question(s)]
    return asking or sentences[-1:]


# A question that points back at the story ("Pháp luật quy định thế nào về việc này?").
_ANAPHOR = re.compile(
    r"(?<![a-z])(viec nay|viec do|dieu nay|dieu do|thong tin nay|thong tin do|tin nay|tin do|chuyen nay|"
    r"chuyen do|truong hop nay|truong hop do|nhu vay|nhu the|vu nay|vu do|cai nay|cai do)(?![a-z])"
)


def with_antecedents(text: str) -> list[str]:
    """:func:`asking_sentences`, each asking sentence that points back at the sentence
    before it ("... việc này?") joined with that sentence."""
    sentences = split_sentences(text)
    out = []
    for asking in asking_sentences(text):
        i = sentences.index(asking)
        if i > 0 and _ANAPHOR.search(_folded(asking)) and sentences[i - 1] not in out:
            asking = f"{sentences[i - 1]} {asking}"
        out.append(asking)
    return out


# --- unpunctuated stories ----------------------------------------------------------------
# Where an elder without full stops turns from the story to the question.
_TURN = re.compile(
    r"(?<![a-z])(chau oi|con oi|loa oi|ad oi|cho (toi|bac|em|con|chau|minh|tui|ong|ba) hoi|xin hoi|bac hoi|toi hoi|"
    r"the thi|vay thi|vay cho hoi|bay gio|gio thi|gio toi|gio bac|gio em|ma gio|nhung ma|thi lieu)(?![a-z])"
)
LONG_RUN = 22  # words: a sentence this long without a full stop is probably a story and a question
TAIL_WORDS = 14


def tail_question(sentence: str) -> str | None:
    """The question at the end of a long run-on sentence ("... thế thì hai ông bà có được
    khám trước không"), or None for a sentence of ordinary length."""
    words = sentence.split()
    if len(words) < LONG_RUN:
        return None
    folded = fold(sentence).lower()
    starts = [m.start() for m in _TURN.finditer(folded) if len(folded[m.start() :].split()) >= 4]
    if starts:
        tail = sentence[starts[-1] :].strip(" ,")
    elif len(words) >= LONG_RUN + TAIL_WORDS and not re.search(r"[.?!,;]", sentence):
        tail = " ".join(words[-TAIL_WORDS:])  # no marker, no punctuation at all: the end asks
    else:
        return None
    return tail if is_question(tail) else None


def question_clauses(sentence: str, *, more: bool = False) -> list[str]:
    """A sentence cut where a second question starts ("khám ở đâu, với lại mấy giờ khám");
    the sentence itself when it holds one question. ``more`` also cuts at weaker joins and
    between two unpunctuated questions (the caller keeps such a cut only for two topics)."""
    parts = [p.strip(" ,") for p in (_CLAUSE_MORE if more else _CLAUSE).split(sentence) if p and p.strip(" ,")]
    if len(parts) > 1 and all(is_question(p) for p in parts):
        return parts
    # "bao giờ khám vậy, đi khám cần mang theo những gì": two full questions after a comma.
    parts = [p.strip() for p in sentence.split(",") if p.strip()]
    if len(parts) == 2 and all(len(p.split()) >= MIN_CLAUSE_WORDS and _asks(p, more=more) for p in parts):
        return parts
    return _soft_split(sentence) if more else [sentence]


def _soft_split(sentence: str) -> list[str]:
    """One cut at a join word with no comma ("khám ở đâu và mất bao nhiêu tiền"), kept only
    when the part before ends on a question word and the part after has its own."""
    for m in _SOFT_CLAUSE.finditer(sentence):
        head, rest = sentence[: m.start()].strip(" ,"), sentence[m.end() :].strip(" ,")
        if len(head.split()) >= 2 and _ENDS_ASKING.search(_folded(head)) and _asks(_JOIN_HEAD.sub("", rest), more=True):
            return [head, rest]
    # No join word at all ("kham o dau luc may gio"): a cut right after a question phrase.
    folded = fold(sentence).lower()
    for m in _MID_QUESTION.finditer(folded):
        head, rest = sentence[: m.end()].strip(" ,"), sentence[m.end() :].strip(" ,")
        opens = fold(rest).lower().split()[:1]
        if len(head.split()) >= MIN_CLAUSE_WORDS and len(rest.split()) >= MIN_CLAUSE_WORDS and _asks(rest, more=True) and (
            opens and opens[0] not in _NOT_A_START
        ):
            return [head, rest]
    return [sentence]


# Words that continue the same question rather than start a new one ("... ở đâu thì làm sao").
_NOT_A_START = frozenset(("thi", "vay", "the", "ma", "nen", "de", "duoc", "co", "a", "khong", "ko"))
# A question phrase that can end the first of two unpunctuated questions.
_MID_QUESTION = re.compile(r"(?<![a-z])(o dau|cho nao|bao gio|bao nhieu|the nao)(?= )")


# A clause that ends on a question word ("khám ở đâu", "có mất tiền không ạ").
_ENDS_ASKING = re.compile(
    r"(?<![a-z])(o dau|cho nao|dau|nao|gi|j|sao|bao gio|bao lau|bao nhieu|the nao|ra sao|khong|ko|chua|ai)( (a|vay|z|the|nhi|ha))?\W*$"
)
# An elliptic follow-up ("còn mấy giờ?", "ở đâu?"): this few words lean on the first question.
ELLIPTIC_WORDS = 6


def with_subject(first: str, piece: str) -> str | None:
    """A short follow-up question ("còn ở đâu?", "mấy giờ?") with the subject of the first
    question before it ("khám miễn phí ở đâu? còn mấy giờ?" -> "khám miễn phí mấy giờ");
    None when ``piece`` is long enough to carry its own subject."""
    bare = _JOIN_HEAD.sub("", piece)
    if len(re.findall(r"\w+", bare)) > ELLIPTIC_WORDS or not _asks(bare, more=True):
        return None  # long enough to stand alone, or filler ("Vậy ạ?")
    subject = _FINAL.sub(" ", _QUESTION.sub(" ", _folded(first))).strip()
    return f"{subject} {bare}" if subject else None


def has_own_question(clause: str) -> bool:
    """True when ``clause`` (after a join word) has a question word of its own ("còn ở
    đâu?", "phí bao nhiêu?"), not only a particle ("Vậy ạ?")."""
    return _asks(_JOIN_HEAD.sub("", clause), more=True)


def _asks(clause: str, *, more: bool = False) -> bool:
    """A clause with its own question word (not only "cho hỏi" or a final "ạ"); ``more``
    also counts "mấy giờ", "mấy ngày" anywhere in it."""
    folded = _folded(clause)
    return _OWN_QUESTION.search(folded) is not None or (more and _HOW_MANY.search(folded) is not None)


_HOW_MANY = re.compile(r"(?<![a-z])may (gio|ngay|lan|thang|tuoi)(?![a-z])")


def situation_question(sentence: str) -> str | None:
    """The question after a situation told in the same sentence ("ông năm nay 78 tuổi,
    khám ở đâu cháu" -> "khám ở đâu cháu"): the last comma-separated part when it has its
    own question word and the parts before ask nothing; None otherwise."""
    parts = [p.strip() for p in sentence.split(",") if p.strip()]
    if len(parts) < 2 or len(parts[-1].split()) < 2 or not has_own_question(parts[-1]):
        return None
    return parts[-1] if not any(is_question(p) for p in parts[:-1]) else None


# Question words that end or make a question of their own, counted to tell one question from
# two run together ("khám gồm những mục gì vậy bao lâu thì có kết quả"). Folded text with its
# punctuation; "không" / "chưa" only at a clause end.
_ASK_WORD = re.compile(
    r"(?<![a-z])(o dau|cho nao|(?:nhu )?the nao|ra sao|lam sao|bao gio|bao lau|bao nhieu|khi nao|ntn|"
    r"may (?:gio|lan|ngay|buoc|thang|muc)|gi|j|nao|ai|"
    r"(?:khong|ko|chua|k)(?= *(?:[,?.!;]|$| (?:a|vay|z|v|ha|nhi|the|ad|mn)(?![a-z]))))(?![a-z])"
)


def ask_word_ends(text: str) -> list[int]:
    """Where each question word of ``text`` ends (positions in ``text``), in order."""
    return [m.end() for m in _ASK_WORD.finditer(fold(nfc(text)).lower())]
