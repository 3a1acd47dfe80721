"""Phrase rules: what the message asks the reader to do, read with negation and framing.

Rules run on tone-folded clauses (``prepare.Clause.folded``), so "cung cấp mã OTP",
"cung cap ma OTP" and "cung cấp mã otp" look alike. A request only counts when the message
actually *asks* it: "không cung cấp mã OTP cho bất kỳ ai" (negated), "các đối tượng yêu
cầu người dân cung cấp OTP" (describing a scammer) and "nếu ai gọi xin mã OTP, hãy cúp
máy" (a conditional) are warnings, not requests. Some rules only count with a suspicious
link ("nhập mật khẩu" is a normal step inside the real VNeID app).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.scam.prepare import Clause
from bot.scam.rules import (  # noqa: F401  (re-exported: the checker reads them here)
    AUTHORITY,
    CODE_VALUE,
    ME,
    RULES,
    Rule,
    claims_authority,
    mentions_authority,
    mentions_free_service,
)

# Negators (folded). "dung" is also dùng/đúng/dụng, so it is excluded after ứng/sử/áp/nội/tín.
_NEG = re.compile(
    # (longest first: "không bao giờ" is one negator, so the words it reaches are counted after it)
    r"\b(?:tuyet doi khong|khong bao gio|khong nen|khong duoc|khong the|khong|chang|cam|nghiem cam|tranh|"
    r"tu choi|chua bao gio|chiz(?= (?:nen |duoc )?(?:cung cap|gui|dua|nhap|khai|doc|cai|tai|lam))|"
    # "khỏi chuyển khoản" (no need to transfer)
    r"khoi(?= (?:can |phai )?(?:chuyen|ck|gui|nop|dua|nhap|cai|doc|tra))|(?<!ung )(?<!su )(?<!ap )(?<!noi )(?<!tin )(?<!tieu )dung)\b"
)
NEGATION_REACH = 6  # words between a negator and the request it negates
# Words after which a negation no longer reaches: "không cần đến trụ sở mà chỉ cần bấm link".
# ("ma" is "mà", not "mã": "mã OTP", "mã xác nhận" are what is asked for.)
_SCOPE_BREAK = re.compile(r"\b(?:chi can|ma(?! (?:otp|xac|so|pin|bao mat|kich hoat|qr|the|cvv|dang nhap|zzcode)\b)|nhung|hay|vui long|roi|sau do|de duoc|thi)\b")
# "không cần" / "nếu không" do not negate the request that follows.
_FALSE_NEG = re.compile(r"\b(?:khong can|neu khong|khong thi|khong kip|khong lau|khong con)\b")

# The clause describes a scammer or a scam rather than asking the reader.
# ("chống / phòng tránh lừa đảo" is a purpose scammers borrow, not a description.)
_DESCRIBED = re.compile(
    r"\b(?:doi tuong|ke gian|ke lua|ke xau|(?<!chong )(?<!tranh )(?<!phong )lua dao|lua gia|ma docz|phan mem docz|docz hai|gia mao|mao danh|gia danh|thu doan|chieu tro|chieu lua|"
    r"can than (?:voi )?(?:tin|cuoc goi|nhung|cac|loai|kieu|chieu)|bi hack|bi chiem (?:tai khoan|nick|zalo)|tin nhan gia|cuoc goi gia|trang gia|web gia|bon lua|bon xau|canh giac|thu thuat|canh bao|nan nhan|bi lua|tu xung|xung la|"
    r"(?:nguoi|ke|doi tuong|ai)(?: \w+){0,3} xung|nhieu cuoc goi|xuat hien|bi goi|bi nhan tin|bi doi|bi yeu cau|bi du|bi ep|"
    r"(?:co|mot) (?:duaz?|nguoi|ke|thang|so la|ai do|so) (?:la )?(?:goi|nhan|bao|doi|xin)|"
    # "tôi gặp người lạ bảo đọc dãy số…": the resident telling what happened to them.
    r"gap (?:nguoi la|ke la|so la|loi moi|tin nhan|cuoc goi)|nguoi la (?:bao|goi|nhan|doi|xin|hoi))\b"
)
_CONDITIONAL = re.compile(
    r"(?:^|\s)(?<!truoc )(?<!sau )(?:neu|khi|truong hop|lo)(?: ban| ba con| nguoi dan| co)? (?:ai|nguoi la|so la|cuoc goi|tin nhan|"
    r"nhanz? duoc (?:cuoc goi|tin nhan|dien thoai|loi moi|yeu cau)|thay|gap|ca nhan|doi tuong|mot so|co nguoi|co ai)\b"
    # What the reader already did ("lỡ đưa mã OTP", "trót chuyển tiền"): a story, not a request.
    r"|\b(?:lo|da lo|trot|da trot|lo tay)\b (?:dua|doc|cung cap|chuyen|bam|cai|gui|nhap|quet)\b"
)

# "ai gọi bảo đọc số… thì…", "ai bảo phải đóng tiền… là lừa": a case put as "whoever…",
# with the request inside the case (not after "thì": "ai hỏi thì cứ đọc mã cho em" asks).
_WHOEVER = re.compile(
    r"(?:^|\s)ai (?:ma )?(?:goi|goi dien|nhan tin|nhanz? tin|bao|doi|xin|hoi|thu|yeu cau|de nghi)\b.*?\b(?:thi|la (?:lua|gia|ke gian|lua dao))\b"
)


def _whoever(folded: str, start: int, end: int) -> bool:
    """Does the match ``start:end`` end inside a "whoever asks…" case?"""
    return any(m.start() < end <= m.end() for m in _WHOEVER.finditer(folded))


# A list point ("2)", "3.", "- ", "• ") and a clause that opens a list ("…: 1)", "…:").
_LIST_ITEM = re.compile(r"^\s*(?:\d{1,2}\s*[).:/-]|[-•*+–])\s*")
_LIST_START = re.compile(r":\s*(?:\d{1,2}\s*[).:/-]|[-•*+–])|:\s*$")

# Message-level framing of a warning / awareness text.
WARNING_MARKERS = re.compile(
    r"\b(?:canh bao|(?<!chong )(?<!tranh )(?<!phong )lua dao|gia mao|mao danh|gia danh|canh giac|de phong|thu doan|tinnhiemmang|tin gia|khong bao gio|"
    r"can than (?:voi )?(?:tin|cuoc goi|nhung|cac|loai|kieu|chieu)|to giac|trinh bao|chieu tro|chieu lua|khuyen cao|bao ngay cho|tinh tao|bi lua|lua gat|ma docz|phan mem docz|docz hai|"
    # "có kẻ gọi xưng là giáo viên…": someone telling of a scammer, not the scammer.
    r"(?:co|mot|nhung|may) (?:ke|doi tuong|thang|dua|nguoi la) (?:goi|nhan tin|xung|gia|mao|lua))\b"
)


# Places where the real app is used: "nhập mật khẩu" there is an instruction, not phishing.
_IN_OFFICIAL_APP = re.compile(r"\b(?:ung dung vneid|app vneid|tren vneid|vao vneid|vneid|vssid|app store|ch play|google play)\b")
_STORES = re.compile(r"\b(?:app store|appstore|ch play|chplay|google play|kho ung dung)\b")



@dataclass(frozen=True)
class PhraseHit:
    """A rule that fired in a clause, and whether it was asked or only mentioned."""

    rule: Rule
    clause: int
    asked: bool  # False when negated, described or conditional
    addressed: bool = False  # put straight to the reader ("anh phải…", "chị kết bạn…")
    evidence: str = ""  # the words that matched (folded, as the rules read them)


def negated(folded: str, start: int) -> bool:
    """Is the match starting at ``start`` inside a negation's scope (same comma segment)?"""
    seg_start = folded.rfind(" , ", 0, start)
    begin = seg_start + 3 if seg_start >= 0 else 0
    # Look a little past ``start`` so negators with a look-ahead ("chỉ cung cấp…") can match,
    # but keep only those that begin before the request.
    window = _FALSE_NEG.sub(lambda m: " " * len(m.group(0)), folded[begin : start + 40])
    # "không cần đặt cọc", "không phải mua phiếu": nothing to pay (but "không cần đến trụ sở,
    # chỉ cần bấm link" asks, and so does "không phải xếp hàng, đóng 100k").
    if _NOT_NEEDED.search(folded[begin:start]) or _NOBODY.search(folded[begin:start]):
        return True
    last = None
    for m in _NEG.finditer(window):
        if begin + m.start() < start:
            last = m
    if last is None:
        return _listed_after_negation(folded, seg_start, begin, start)
    between = window[last.end() : start - begin]
    # "không bao giờ gửi link hay yêu cầu cung cấp mật khẩu", "không phải mua phiếu hay đóng
    # tiền": the negation runs on through a list joined by "hay / hoặc / và".
    listed = [m for m in _OR_CHANNEL.finditer(window[last.end() :]) if m.end() <= len(between)]
    if listed:
        between = between[listed[-1].end() :]
    # A quoted phrase counts as one word ("không có gói 'nâng cấp xét nghiệm' phải trả tiền").
    between = re.sub(r"zzquote .*? zzquote", "q", between)
    # A negation reaches a few words only: "không có BHYT muốn khám … phải đóng 200k" asks.
    return len(between.split()) <= NEGATION_REACH and not _SCOPE_BREAK.search(between)


# "không có chương trình nào bắt mọi người gửi lại mã": nobody asks it — a warning's statement.
_NOBODY = re.compile(
    r"\bkhong (?:co |he co )?(?:ai|chuong trinh|co quan|noi|don vi|ben|to chuc|ngan hang|ung dung|nhan vien|can bo)(?: \w+){0,2} nao\b(?: \w+){0,4} ?$"
)
_NOT_NEEDED = re.compile(r"\bkhong (?:can|phai)(?: \w+){0,2} $")
# Ways of contacting someone, listed under one negation: "BHXH không gọi điện, nhắn tin yêu cầu
# cung cấp OTP". ("Không bấm link lạ, đọc mã OTP cho cán bộ" is a request after a negation.)
_CHANNEL = r"(?:goi|goi dien|nhan tin|gui tin|gui tin nhan|lien he|lien lac|yeu cau|de nghi)"
_NEGATED_TAIL = re.compile(rf"\b(?:khong|khong bao gio|tuyet doi khong|chang|chua bao gio|dung)(?: \w+)? {_CHANNEL}(?: \w+){{0,2}}$")
_LIST_HEAD = re.compile(rf"^{_CHANNEL}\b")
_OR_CHANNEL = re.compile(rf"\b(?:hay|hoac|va) (?=(?:{_CHANNEL}|dong|nop|chuyen|mua|tra|dat coc|doc|cung cap|cai|bam|dang nhap|nhap|truy cap)\b)")


def _listed_after_negation(folded: str, seg_start: int, begin: int, start: int) -> bool:
    """Is the request the next item of a negated list ("không gọi điện, nhắn tin yêu cầu…")?"""
    if seg_start < 0:
        return False
    prev_start = folded.rfind(" , ", 0, seg_start)
    previous = folded[prev_start + 3 if prev_start >= 0 else 0 : seg_start]
    own = re.sub(r"\b(?:hay|hoac|va)\b", " ", folded[begin:start])  # "…cung cấp mã OTP hay đăng nhập…" runs on
    if _SCOPE_BREAK.search(own):
        return False
    if _NEGATED_TAIL.search(previous) and _LIST_HEAD.search(folded[begin:]) and len(own.split()) <= 2 * NEGATION_REACH:
        return True
    return _negated_series(folded, seg_start, begin, start)


# A negated request whose objects run on past the comma: "không thu bất kỳ khoản phí, tiền
# cọc hay phí giữ chỗ nào", "không yêu cầu người dân cài ứng dụng, cung cấp mã OTP hay chuyển tiền".
_NEG_OPEN = re.compile(
    r"\b(?:khong|khong bao gio|tuyet doi khong|chang|chua bao gio|khong ai|khong co ai|dung)(?: \w+){0,3} "
    r"(?:goi dien|nhan tin|yeu cau|de nghi|thu|doi|bat|xin|cung cap|gui|dua|nhap|cai|bam|chuyen|nop|dong|quet)\b(?: \w+){0,8}$"
)
_SERIES_END = re.compile(r"\b(?:hay|hoac)\b")
_SERIES_ITEM_WORDS = 6


def _negated_series(folded: str, seg_start: int, begin: int, start: int) -> bool:
    """Is this comma segment an item of a series ("A, B hay C") opened by a negated request?

    Walks back over short items to the segment holding the negation; the series must be
    closed by "hay / hoặc", as a list of things not asked is.
    """
    end = folded.find(" , ", begin)
    own = folded[begin : end if end >= 0 else len(folded)]
    if len(folded[begin:start].split()) > _SERIES_ITEM_WORDS:
        return False
    closed = bool(_SERIES_END.search(own))
    cut = seg_start
    for _ in range(4):
        prev_start = folded.rfind(" , ", 0, cut)
        previous = folded[prev_start + 3 if prev_start >= 0 else 0 : cut]
        if _NEG_OPEN.search(previous) and not _FALSE_NEG.search(previous):
            return closed
        if len(previous.split()) > _SERIES_ITEM_WORDS or prev_start < 0 or _SCOPE_BREAK.search(previous):
            return False
        closed = closed or bool(_SERIES_END.search(previous))
        cut = prev_start
    return False


# A request put straight to the reader ("chị kết bạn Zalo…", "bạn hãy chuyển…") is asked
# even in a clause that mentions a scam ("hồ sơ liên quan vụ án lừa đảo, chị kết bạn…").
_ADDRESSED = re.compile(
    r"\b(?:ban|anh|chi|ong|ba|bac|quy khach|ba con|ong ba|anh chi|co chu)(?: hay| vui long| can| phai| nho| lien| ngay)? $"
)


# The speaker offers their own details ("mình gửi lại số tài khoản để mọi người góp tiền").
_SELF_OFFER = re.compile(r"(?<!cho )(?<!giup )(?<!voi )\b(?:minh|toi|tao|tui|chung toi|ben minh|nha minh)(?: (?:se|da|vua|xin|gui))? $")
_POLITE_REQUEST = re.compile(
    # "cho em hỏi…" opens a question, not a request.
    rf"\b(?:giup|ho {ME}|cho {ME}(?! hoi)|voi a|nhe a|nha a)\b|\b{ME}\b.*\b(?:duoc khong|dc khong|duoc ko|dc ko)\b|{CODE_VALUE}"
)
_TO_EVERYONE = re.compile(
    r"\bgui (?:lai )?(?:cho )?(?:moi nguoi|ca nha|cac ban|ba con|anh chi|ca lop|ca to|ca nhom)\b"
    # "số tài khoản của con" — the speaker's own account, given to be paid into.
    r"|\b(?:so tai khoan|stk|tai khoan)\b cua (?:con|minh|toi|tao)\b(?! (?:cho|gui|nhan)\b)"
)
_OFFERABLE = {"bank_details", "data_request", "card_photo", "money_transfer"}
# "tôi đã / mình vừa / em cũng đã …" right before the action: a resident's own story.
_SELF_DONE = re.compile(
    r"\b(?:(?<!chung )toi|minh|tao|tui|nha (?:toi|minh)|bo toi|me toi|ong ba toi) "
    r"(?:da|vua|moi|cung da|da tu|vua moi|cung|can|muon|dinh|phai|se|chua)(?: (?:lo|tu|di|ra|duoc))? $"
)
_DONE_BY_SPEAKER = {"vneid_sync", "level2_remote", "install_app", "open_link", "data_enter", "card_photo"}


def _quoted(folded: str, start: int) -> bool:
    """Is ``start`` inside quotation marks, with a negation or warning before them?"""
    before = folded[:start]
    if before.count("zzquote") % 2 == 0:
        return False
    opening = before.rfind("zzquote")
    lead = before[:opening]
    first = lead.find("zzquote")  # a list of quoted words starts at the first quote
    head = lead if first < 0 else lead[:first]
    return bool(
        _NEG.search(head)
        or WARNING_MARKERS.search(_PHONE_WARNS.sub(" ", head))
        or re.search(r"\b(?:kieu|dang|nhu|bao|noi|rang|chu|tu|cum tu|cau|noi dung|mau)\s*$", head)
        # "nhận được tin '…'", "kiểm tra giúp tin này: '…'": the quote is the message received.
        or re.search(r"\b(?:nhanz? duoc (?:tin|tin nhan|sms|cuoc goi|loi nhan)|(?:tin|tin nhan|sms|loi nhan|bai dang|cau) (?:nay|do|kia|nhu sau|sau))\s*$", head)
    )


def quoted_example(folded: str, start: int) -> bool:
    """Is ``start`` inside a quotation given as an example (after a negation, a warning,
    or "nhận được tin nhắn …")? Such a quote is what the message warns about."""
    return _quoted(folded, start)


def _segment(folded: str, start: int) -> str:
    """The comma segment of ``folded`` holding position ``start``."""
    begin = folded.rfind(" , ", 0, start)
    end = folded.find(" , ", start)
    return folded[begin + 3 if begin >= 0 else 0 : end if end >= 0 else len(folded)]


# "anh phải…", "bạn cần…", "chị hãy…" earlier in the same segment, with no "nếu/khi" after it.
_ADDRESSED_MODAL = re.compile(
    r"\b(?:ban|anh|chi|ong|ba|bac|quy khach|ba con|ong ba|anh chi|co chu) (?:hay|vui long|can|phai|nho|nen|chi can)\b(?!.*\b(?:neu|khi)\b)"
)


def _addressed(folded: str, start: int) -> bool:
    if _ADDRESSED.search(folded[max(0, start - 30) : start]):
        return True
    seg_begin = folded.rfind(" , ", 0, start)
    prefix = folded[seg_begin + 3 if seg_begin >= 0 else 0 : start]
    return bool(_ADDRESSED_MODAL.search(prefix))


# "máy cảnh báo" is the phone warning the reader, not a text warning about scams.
_PHONE_WARNS = re.compile(r"\b(?:may|dien thoai|dt|google|play protect|he thong|no)\b (?:co |se |hien |bao )?canh bao\b")


def scan(clauses: list[Clause]) -> list[PhraseHit]:
    """Every rule hit in every clause, with its asked / mentioned status."""
    hits: list[PhraseHit] = []
    described_list = False
    for ci, clause in enumerate(clauses):
        text = clause.folded
        # Scammers described anywhere in the sentence; conditionals and stories only reach
        # their own comma segment ("em lỡ nhập số chị, chị gửi em mã" still asks).
        described_clause = bool(_DESCRIBED.search(_PHONE_WARNS.sub(" ", text)))
        # The numbered or bulleted points under a description ("Dấu hiệu lừa đảo: 1) …;
        # 2) đòi cài app…") describe the scam too.
        item = bool(_LIST_ITEM.match(clause.raw))
        described_list = (described_list and item) or (described_clause and bool(_LIST_START.search(clause.raw)))
        described_clause = described_clause or (item and described_list)
        for rule in RULES:
            m = rule.pattern.search(text)
            if not m:
                continue
            asked = True
            if rule.negatable and negated(text, m.start()):
                asked = False
            if described_clause and not rule.framed_ok and not _addressed(text, m.start()):
                asked = False
            # "nếu có người gọi bảo bạn chuyển tiền…" describes a case, whoever is addressed.
            if _CONDITIONAL.search(_segment(text, m.start())) or _whoever(text, m.start(), m.end()):
                asked = False
            # A quoted example inside a warning, a question about it, or the speaker
            # offering their own details: not a request to the reader.
            offered = rule.id in _OFFERABLE and bool(
                _SELF_OFFER.search(text[max(0, m.start() - 25) : m.start()]) or _TO_EVERYONE.search(text[m.start() : m.end() + 20])
            )
            # A question is a request when it is a polite one ("đọc giúp em mã OTP được không?").
            asking = clause.question and not _POLITE_REQUEST.search(text)
            # The speaker telling what they did themselves ("tôi đã đồng bộ mức 2 rồi").
            done = rule.id in _DONE_BY_SPEAKER and bool(_SELF_DONE.search(text[max(0, m.start() - 25) : m.start()]))
            if _quoted(text, m.start()) or asking or offered or done:
                asked = False
            if rule.id in ("install_app",) and _STORES.search(text):
                asked = False
            if rule.id in ("otp_enter", "secret_enter", "bank_enter", "data_enter") and _IN_OFFICIAL_APP.search(text) and not re.search(
                r"\bzzlink\b", text
            ):
                asked = False
            hits.append(PhraseHit(rule, ci, asked, _addressed(text, m.start()), m.group(0).strip()))
    return hits



# Advice: a negated action ("đừng gọi lại", "không bấm link") frames the text as a warning.
_ADVICE = re.compile(
    r"\b(?:khong|dung|tuyet doi khong|khong bao gio|dung bao gio|dung co)\b (?:nen )?(?:bam|nhan|goi lai|goi|chuyen|doc|cai|tai|quet|cung cap|gui|nhap|truy cap|click|mo|thu tien|thu phi|yeu cau|nhan tin)\b"
)


def warns(folded: str) -> bool:
    """Does the text speak of scams as a warning does ("cảnh báo", "thủ đoạn", "giả mạo")?"""
    return bool(WARNING_MARKERS.search(_PHONE_WARNS.sub(" ", folded)))


def warning_markers(folded: str) -> int:
    """How many warning/awareness phrases the text has ("cảnh báo", "lừa đảo", "đừng bấm link")."""
    # "máy cảnh báo thì cứ bấm tiếp tục" is the phone warning the reader, not a warning text.
    folded = _PHONE_WARNS.sub(" ", folded)
    return len(WARNING_MARKERS.findall(folded)) + len(_ADVICE.findall(folded))


# A resident asking what something is for, or whether it is safe ("quét mã QR để làm gì").
ASKING_ABOUT = re.compile(
    r"\b(?:de lam gi|la gi|co nen|nen khong|co an toan|an toan khong|co sao khong|co phai lua dao|lua dao khong|co that khong|that khong)\b"
)


def is_question(raw: str, folded: str) -> bool:
    """A resident's question rather than a forwarded message ("có phải lừa đảo không?").

    A polite request ("đọc giúp em mã OTP được không?") is not a question.
    """
    if _POLITE_REQUEST.search(folded):
        return False
    if raw.rstrip().endswith("?"):
        return True
    return bool(_QUESTION_WORDS.search(folded) or _QUESTION_END.search(folded))


# Question words residents type, often without diacritics or "?" ("cho hỏi…", "…thì sao").
_QUESTION_WORDS = re.compile(
    r"\b(?:co phai|phai khong|co that|that khong|dung khong|co nen|nen lam gi|lam sao|the nao|la gi|co mat|co ton|bao nhieu|o dau|"
    r"khi nao|duoc khong|khong a|khong ha|khong vay|cho (?:em |toi |minh |chau |con )?hoi|xin hoi|ai biet|thi sao|ra sao|nhu nao|"
    r"lam gi|bao lau|bao gio|tai sao|vi sao|sao lai|gi vay|gi a|(?:o|ra|di|den|tai) dau)\b"
)
# A yes/no question ends with its particle: "có được khám miễn phí không", "đã có kết quả chưa".
_QUESTION_END = re.compile(r"\b(?:khong|ko|k|kg|hong|hok|khum|chua)(?: (?:a|ha|vay|nhi|nhe|the|z))?\W*$")
