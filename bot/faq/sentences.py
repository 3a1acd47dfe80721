"""Long messages: split into sentences, find the ones that ask (the relaying frame is
removed first, by :mod:`bot.faq.frames`).

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
