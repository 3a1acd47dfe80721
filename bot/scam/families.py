"""Signals for scam families that no single request gives away, and ordinary commerce.

- **urgency + secrecy + a new contact**: a "teacher" or "doctor" reports an emergency or a bad
  result and asks for a call on a mobile number, keeping the school, the hospital or the family
  out of it ("đừng gọi cô hiệu trưởng", "gọi riêng", "số mới") — money comes on the call;
- **a favour opener**: "đang rảnh không, nhờ tí việc gấp" — a hijacked account's first line;
- **an iPhone profile** (MDM): "tin cậy hồ sơ doanh nghiệp / cài hồ sơ cấu hình";
- **a fixer**: "có người quen trong công an / bệnh viện, làm nhanh, không cần khám";
- **cut-off with payment to a person**: electricity or water cut today unless you pay a staff
  member's account or wallet;
- **cash on delivery paid in advance** for a parcel: real shippers take the money at the door.

On the benign side, ``commerce_ad`` recognises a shop's, class's or service's offer (prices per
unit, deposits for goods ordered, delivery, vouchers, tuition): money asked there is a sale,
not a fee for a free service; and ``pays_reader`` recognises a relative asking for an account
number to send money *to* the reader.
"""

from __future__ import annotations

import re

from bot.scam import phrases
from bot.scam.prepare import Prepared
from bot.scam.verdict import Signal

# An account number written out to be paid into (as in ``signals``).
ACCOUNT_NUMBER = re.compile(
    r"(?i)(?:stk|số tài khoản|so tai khoan|tài khoản|tai khoan|tk)\s*[:.]?\s*(?:số\s*|so\s*)?\d(?:[ .]?\d){7,15}(?!\d)"
)

_SECRECY = re.compile(
    r"\b(?:dung|khong (?:nen|can)|chua nen|tam thoi (?:dung|khong)|khoi)(?: \w+)? (?:goi|noi|bao|ke|chia se|lien he|thong bao|hoi|de)\b"
    r"(?: (?:cho|voi|len|ve))? (?:ai|nguoi|ban giam hieu|nha truong|truong|van phong|co|thay|hieu truong|nguoi nha|gia dinh|con chau|tong dai|benh vien|khoa|ve|"
    r"hang xom|vo|chong|con)"
    r"|\b(?:giu kin|giu bi mat|giu rieng|chua nen de (?:nha truong|ai|truong|gia dinh)|khong de ai biet)\b"
)
_PRIVATE_CALL = re.compile(
    r"\b(?:goi rieng|lien he rieng|trao doi rieng|tu van rieng|noi chuyen rieng|nghe may|giu may|so moi|goi (?:lai )?(?:ngay )?(?:cho )?(?:em|co|thay|toi|chi|bac si)\b.{0,25}?zzphone)"
)
_TROUBLE = re.compile(
    r"\b(?:cap cuu|tai nan|sot cao|tro nang|nguy kich|hon me|dot quy|kho tho|bat tinh|ngo doc|hoc thuc an|bi danh|bi thuong|chan thuong|bi ngat|ngat|soc|co giat|chay mau|va cham|nhap vien|bi nga|"
    r"chuyen gap|viec gap|viec rat gap|co chuyen|gap chuyen|tinh hinh (?:hoi )?nang|chuyen len tuyen tren|"
    r"(?:ket qua|chi so|xet nghiem|sieu am|sinh thiet|phim)\b.{0,50}?\b(?:khong (?:duoc )?tot|khong on|xau|bat thuong|co van de|vuot nguong|cao|nghiem trong))\b"
)
_CARER = re.compile(
    r"\b(?:giao vien|co giao|thay giao|chu nhiem|gv|co|thay|bac si|phong y te|phong kham|benh vien|truong|lop)\b"
    r"|\bphu huynh\b|\b(?:me|ba|bo|gia dinh) (?:cua )?(?:be|chau|em|hoc sinh)\b"
)
# The favour is left vague ("nhờ tí việc", "có chuyện nhờ"): a real request names it ("nhờ chở mẹ đi khám").
_VAGUE = r"(?:nho\b(?: \w+){0,3}? (?:viec|chuyen)|(?:viec|chuyen)(?: \w+)? nho)\b"
_FAVOUR = re.compile(
    rf"\b(?:ranh|co do|online|cam dien thoai|o do|dang o dau)\b.{{0,60}}?\b{_VAGUE}.{{0,30}}?\bgap\b"
    rf"|\b{_VAGUE}.{{0,30}}?\bgap\b.{{0,60}}?\b(?:ranh|co do|online|cam dien thoai)\b"
)
# Asking whether the reader is home alone or when the house is empty ("bác ở nhà một mình à?",
# "ban ngày có ai ở nhà không", "mấy giờ con cháu mới về") — with an officer's claim, the
# opening of a burglary or a scam; no real officer asks it by phone.
_HOME_ALONE = re.compile(
    r"\b(?:o nha|song|o|dang o nha) (?:mot minh|1 minh)(?: \w+)? (?:a|ha|ak|phai khong|khong|ko|k|chu|dung khong|hay sao)"
    r"(?= *(?:[?,.!]|$| (?:bac|ba|ong|chi|anh|co|chu|em|a|ha|ak)\b))"
    r"|\bban ngay (?:nha )?co ai o nha (?:khong|ko|k)\b|\bnha (?:minh )?(?:co )?may (?:nguoi|nhan khau)\b.{0,40}?\bo nha (?:khong|ko|k)\b"
    r"|\b(?:gio nao|may gio)\b.{0,25}?\b(?:di vang|vang nha|moi ve|di lam ve)\b"
)
# The reader telling of such a call ("hỏi tôi có ở nhà một mình không, tôi cúp máy").
_TOLD = re.compile(r"\b(?:hoi (?:toi|tui|minh|em|bac|me|ba|ong)|cup may|bi goi|xung la|xung|tu xung)\b")
_OFFICER = re.compile(r"\b(?:cong an|canh sat|cs khu vuc|can bo|bao hiem xa hoi|bhxh|dien luc|y te|to truong)\b")
_MDM = re.compile(
    r"\b(?:tin cay|tin tuong)\b.{0,25}?\b(?:ho so|nha phat trien|chung chi|chung nhan|doanh nghiep)\b"
    r"|\b(?:cai|cai dat|tai)\b.{0,15}?\b(?:ho so cau hinh|ho so quan ly|profile|mobileconfig|ban doanh nghiep|cau hinh nay)\b"
    r"|\bquan ly (?:vpn va )?thiet bi\b.{0,40}?\b(?:tin cay|ho so|cai dat)\b"
)
_FIXER = re.compile(
    r"\b(?:nguoi quen|quen biet|quen ben|quen can bo|co quen|nguoi nha|anh ho|chi ho|nguoi trong|quen)\b.{0,20}?"
    r"\b(?:cong an|canh sat|csgt|benh vien|bao hiem|bhxh|phuong|huyen|tinh|so|phong|xuat nhap canh|bac si)\b"
    r"|\b(?:khong can (?:kham|den kham|xep hang|len phuong)|ky san|xoa loi|go giup|chay ho so)\b"
)
# ...offering a shortcut for money: "làm nhanh", "lo trọn gói", "báo giá", "inbox".
_FIXER_SHORTCUT = re.compile(r"\b(?:nhanh|gap|trong ngay|khong (?:can|phai)|lo het|tron goi|xoa|go|ky san|rut som|xu ly)\b")
_FIXER_OFFER = re.compile(r"\b(?:phi|gia|chi phi|bao gia|zzmoney|inbox|ib|lien he|nhan tin|nhanz? (?:lam|lo|chay|xoa))\b|zzphone")
_CUTOFF = re.compile(r"\b(?:cat dien|ngat dien|cup dien|ngung cap dien|ngung cung cap dien|tam ngung cap dien|cat nuoc|ngat|cup)\b")
_TO_PERSON = re.compile(
    r"\b(?:cho (?:nhan vien|nv|can bo|em|anh|chi)|tai khoan (?:ca nhan|em)|stk|so tk|so tai khoan|momo|viettel ?money|zalopay|qua so|zzphone)\b"
)
# A parcel said to be the reader's ("đơn hàng của chị", "bưu phẩm gửi ông", "hàng tặng chị"), or a shipper speaking.
_PARCEL = re.compile(
    r"\b(?:don|don hang|buu pham|kien hang|goi hang|hang|qua)(?: \w+){0,3} (?:cua|gui|tang|ten) (?:chi|anh|bac|co|chu|ong|ba|quy khach|ban)\b"
    r"|\b(?:shipper|buu dien|giao hang tiet kiem|ghtk|ghn|ninja van|j&t)\b"
)
# "Investment" with a fixed return per period and a guarantee ("lợi nhuận 30%/tháng, bảo đảm vốn").
_RETURN = re.compile(r"\b(?:loi nhuan|lai|lai suat|sinh loi)(?: \w+){0,2} \d+ (?:/ )?(?:moi |mot )?(?:thang|ngay|tuan)\b")
_GUARANTEE = re.compile(r"\b(?:bao dam|dam bao|cam ket|bao toan)(?: \w+){0,2} (?:von|khong lo|loi nhuan|lai)\b|\bkhong (?:rui ro|lo)\b")
# Weight-loss wonders: kilos in days, fat that melts, no diet, never regained.
_SLIM = re.compile(
    r"\bgiam \d+ ?(?:kg|ky|can|khong)\b.{0,25}?\b(?:ngay|tuan|thang|lieu trinh)\b|\b(?:tan mo|dot mo|giam mo)\b|\bkhong (?:can )?(?:an kieng|kieng)\b"
    r"|\b(?:khong|vinh vien khong) (?:tai beo|tang lai|beo lai)\b|\bgiam can (?:than toc|cap toc|sieu toc)\b"
)
_PREPAY = re.compile(r"\b(?:chuyen khoan|ck|chuyen)\b(?: \w+){0,3}? (?:truoc|vao|qua|cho (?:em|shipper))\b|\bthanh toan qua (?:ma )?qr\b|\bphi thong quan\b")
_FAMILY_DONE = re.compile(r"\b(?:tien mat|tra truc tiep|khi nhanz? hang)\b")

# Commerce: prices per unit, goods ordered, delivery, tuition, vouchers at a counter.
_COMMERCE = re.compile(
    r"\bzzmoney (?:kg|thang|hu|qua|suat|buoi|cap|lit|mam|kien|nguoi|ly|phan|set|combo|hop|goi|doi|bo|chiec|cai|to|dia|chai|ve|ao)\b|\bzzmoney khong(?= [,.]|$)|"
    r"\b(?:giam gia|khuyen mai|uu dai|thanh ly|nhanz? dat|dat truoc|dat hang|giao tan (?:noi|nha|cua)|ship|freeship|cod|giao hang|lap dat|tra gop|"
    r"hoc phi|khai giang|hoc thu|cua hang|shop|quan com|salon|tich diem|thuc don|goi mon|tai quay|size|don tu|bao hanh|nha lam|cho thue|bao gia|"
    r"gia (?:zzmoney|chi|thue|goc|uu dai|tu)|lay hang|giao (?:va lap|dung gio|trong ngay)|tang kem|san xuat|mua (?:hang|le|si)|ban (?:chay|le|si)|"
    r"moi ve|vuon nha|kiem tra hang|thanh toan khi nhanz? (?:hang|do)|tien mat khi nhanz?|thanh toan sau|lop (?:hoc|ve|boi|tieng|day)|day kem|gia su|"
    r"ve sinh may|thay gas|giat say|dat (?:banh|com|mon|ban)|shopee|lazada|tiki|tien mat|"
    r"quan (?:bun|pho|com|lau|an|ca phe|cafe|nuoc|nhau|chao|oc)|(?:tren|tai|o) (?:ban|quay thu ngan))\b"
)
# ...and what a real offer of goods never carries.
_NOT_COMMERCE = frozenset(
    {"fee_for_free", "otp_request", "secret_request", "impersonation", "gov_bad_link", "cure_claim", "mistransfer", "safe_account",
     "result_upsell", "secret_urgent", "fixer", "mdm_profile", "cutoff_pay", "cod_prepay", "apk", "apk_link", "ignore_warning",
     "emergency_money", "no_call_borrow", "favour_opener", "slim_claim", "task_scam", "recovery", "fixed_return", "otp_enter", "secret_enter", "account_via_link", "unknown_link", "schemeless"}
)
_SALE_SIGNALS = frozenset({"money_transfer", "fee", "qr", "prize", "call_back", "urgency", "account_number", "bank_details"})

# Kinship words people call themselves and each other by.
_KIN = r"(?:em|chau|toi|minh|anh|chi|con|tao|tui|to|chu|bac|co|di|ba|ong|bo|me|cau|thim|mo|cu)"
# The reader asked for *their own* account number: "gửi em số tài khoản", "cho cháu xin stk".
_ASKS_ACCOUNT = re.compile(
    rf"\b(?:gui|nhan|doc|cho)(?: cho)?(?: {_KIN})?(?: xin)? (?:so tai khoan|so tk|stk)(?! (?:nay|ban|cua (?:ban|nguoi)))\b"
)
# ...so that the speaker can pay: "để em chuyển trả", "cháu gửi biếu", "con chuyển tiền thuốc".
_SPEAKER_PAYS = re.compile(rf"\b{_KIN} (?:se |muon )?(?:chuyen|gui|ck|tra|bieu)(?: (?:tra|lai|tien|bieu|mung))?\b")
# Money already sent to the reader: "mẹ đã chuyển cho con 500k rồi".
_SPEAKER_SENT = re.compile(rf"\b{_KIN} (?:da |vua |moi )(?:gui|chuyen|ck)(?: cho)? {_KIN} zzmoney|\b(?:chuyen|gui|ck)(?: cho)? {_KIN} zzmoney\b.{{0,60}}?\b(?:roi|nhanz? duoc)\b")
# The reader is the one asked to pay: into an account, a loan, an urgent need.
_READER_PAYS = re.compile(
    rf"\b(?:chuyen|ck|gui|nop)\b(?: \w+){{0,4}} (?:vao|sang|qua) (?:stk|so tai khoan|tai khoan|so tk|so)\b|\bcho {_KIN} (?:vay|muon)\b"
    r"|\bcan (?:gap )?(?:zzmoney|tien)\b|\bnhanz? ho\b|\b(?:ck|chuyen|gui) giup\b|\bvien phi\b"
    # A refund or an allowance is a scammer's pretext for "your account number"; no code is needed to be paid.
    r"|\b(?:otp|ma xac|mat khau|ma pin|tra lai tien|hoan tien|hoan lai|tien thua|dong thua|hoan phi|tro cap|nhanz? (?:tien )?ho tro|ho tro (?:tu|cua) (?:nha nuoc|chinh phu|bhxh|bo))\b"
)
# Easy-money jobs dressed as shopping ("mua hàng ảo giúp shop tăng đơn, hoàn tiền gốc").
_JOB = re.compile(r"\b(?:viec nhe|tang don|hoa hong|hoan tien goc|nhiem vu|don ao|hang ao|lai suat|loi nhuan)\b")


def pays_reader(folded: str) -> bool:
    """A relative sending money *to* the reader, or asking their account number to do so,
    or telling of a payment the writer made (see :func:`_writer_pays`)."""
    if _READER_PAYS.search(folded):
        return _writer_pays(folded)
    return bool(_SPEAKER_SENT.search(folded) or (_ASKS_ACCOUNT.search(folded) and _SPEAKER_PAYS.search(folded))) or _writer_pays(folded)


# "Chú ơi, ...": the one the message calls is the reader.
_VOCATIVE = re.compile(rf"^\W*({_KIN})(?: \w+)? oi\b")
# Paying money: a verb with the money right after it ("gửi chú 10 triệu", "chuyển học phí",
# "trả tiền"), or a transfer named as such. "gửi mã QR", "trả kết quả", "nộp hồ sơ" are not.
_PAY_VERB = re.compile(
    rf"\b(?:chuyen khoan|ck|chuyen tien|(?:gui|chuyen|tra|bieu|nop|dong)(?: lai| truoc| them| not)?(?: cho)?(?: {_KIN})?"
    r" (?:zzmoney|tien|hoc phi|vien phi|phan tien|no))\b"
)
# A borrowing or a "mistaken" transfer is how these scams ask: never the writer's own payment.
# So is a payment asked as a favour ("chuyển giúp", "nạp hộ", "chuyển gấp vào số này").
_BORROW_OR_MISTAKE = re.compile(
    rf"\bcho {_KIN} (?:muon|vay)\b|\b(?:muon|vay) (?:tam|gap|it|zzmoney)\b|\bnham\b"
    r"|\b(?:chuyen|ck|nap|nop|gui|tra|dong|thanh toan) (?:giup|ho|dum|gap|truoc|vao|sang|qua)\b"
)
# Words between a subject and its verb ("cháu đã gửi", "em vừa mới chuyển").
_TENSE = frozenset("da vua moi se cung van lai con mot".split())  # noqa: SIM905


def _writer_pays(folded: str) -> bool:
    """True when every payment in a message to a relative is made by the writer ("Chú ơi
    cháu gửi chú 10 triệu…", "Em ơi chị gửi em 1 triệu đỡ đần", "Cô ơi em chuyển học phí
    cho bé rồi"): the one called at the start is the reader, and no payment has the reader,
    or nobody, as its subject ("anh chuyển giúp em", "chuyển vào số này")."""
    vocative = _VOCATIVE.search(folded)
    if vocative is None or _BORROW_OR_MISTAKE.search(folded):
        return False
    reader = vocative.group(1)
    verbs = list(_PAY_VERB.finditer(folded))
    for verb in verbs:
        before = [w for w in folded[: verb.start()].split() if w not in _TENSE][-1:]
        if not before or before[0] == reader or not re.fullmatch(_KIN, before[0]):
            return False
    return bool(verbs)


def commerce_ad(folded: str) -> bool:
    """An offer of goods, a class or a service with its prices (at least two commerce marks)."""
    return len(_COMMERCE.findall(folded)) >= 2 and not _JOB.search(folded)


def _add(found: dict[str, Signal], sig: Signal) -> None:
    if sig.id not in found or found[sig.id].weight < sig.weight:
        found[sig.id] = sig


def family_signals(prep: Prepared, odd: list[str], signals: dict[str, Signal]) -> None:
    """The families above, into ``signals`` (the strongest signal per id).

    Each check starts with its rarest pattern, so most messages cost one search per family.
    """
    folded = prep.folded
    if phrases.warns(folded):
        return  # a warning describing the family; its own damping applies
    hidden = odd and (_SECRECY.search(folded) or _PRIVATE_CALL.search(folded))
    if hidden and (trouble := _TROUBLE.search(folded)) and _CARER.search(folded):
        _add(signals, Signal("secret_urgent", 0.8, "Báo tin khẩn về người thân / kết quả khám, bảo gọi riêng số lạ và đừng báo ai — hãy gọi thẳng nhà trường, bệnh viện qua số chính thức.", (trouble.group(0), hidden.group(0))))
    if "gap" in folded and (favour := _FAVOUR.search(folded)):
        _add(signals, Signal("favour_opener", 0.55, "Hỏi “đang rảnh không, nhờ việc gấp” — câu mở đầu quen của tài khoản bị chiếm; hãy gọi điện kiểm tra trước.", (favour.group(0),)))
    if (mdm := _MDM.search(folded)) and not phrases.negated(folded, mdm.start()):
        _add(signals, Signal("mdm_profile", 0.85, "Bảo cài / “tin cậy” hồ sơ cấu hình trên iPhone — kẻ gian dùng nó để điều khiển máy.", (mdm.group(0),)))
    if (home := _HOME_ALONE.search(folded)) and (officer := _OFFICER.search(folded)) and not _TOLD.search(folded):
        _add(signals, Signal("home_alone", 0.6, "Hỏi bạn có ở nhà một mình, mấy giờ vắng nhà — cán bộ thật không hỏi vậy qua điện thoại; hãy gọi công an phường qua số chính thức.", (officer.group(0), home.group(0))))
    if (new := _NEW_OFFICER.search(folded)) and (private := _PRIVATE_CHANNEL.search(folded)) and not _TOLD.search(folded):
        _add(signals, Signal("new_contact", 0.55, "Người tự xưng cán bộ mới, bảo kết bạn / nhắn riêng — cán bộ thật được phường giới thiệu, có số máy bàn; hãy hỏi lại trụ sở trước.", (new.group(0), private.group(0))))
    if (fixer := _FIXER.search(folded)) and _FIXER_SHORTCUT.search(folded) and _FIXER_OFFER.search(folded):
        _add(signals, Signal("fixer", 0.8, "Mời “làm nhanh qua người quen” trong cơ quan — giấy tờ chỉ làm đúng thủ tục, không ai “lo” được.", (fixer.group(0),)))
    paying = set(signals) & {"money_transfer", "fee", "bank_details", "account_number"}
    if paying and (cutoff := _CUTOFF.search(folded)) and (person := _TO_PERSON.search(folded)):
        _add(signals, Signal("cutoff_pay", 0.8, "Doạ cắt điện / nước rồi bảo trả tiền cho một cá nhân — hóa đơn chỉ trả qua ứng dụng, quầy chính thức.", (cutoff.group(0), person.group(0))))
    if (ret := _RETURN.search(folded)) and (_GUARANTEE.search(folded) or "money_transfer" in signals):
        _add(signals, Signal("fixed_return", 0.8, "Hứa lợi nhuận cố định theo tháng / ngày, “bảo đảm vốn” — không khoản đầu tư thật nào hứa vậy.", (ret.group(0),)))
    if (odd or "zalo" in folded) and (slim := _SLIM.search(folded)):
        _add(signals, Signal("slim_claim", 0.6, "Quảng cáo giảm cân “thần tốc”, không cần ăn kiêng — không sản phẩm nào làm được; hãy hỏi bác sĩ.", (slim.group(0),)))
    prepay = _PREPAY.search(folded)
    if prepay and not phrases.negated(folded, prepay.start()) and (parcel := _PARCEL.search(folded)) and not _FAMILY_DONE.search(folded) and not phrases.is_question(prep.text, folded):
        _add(signals, Signal("cod_prepay", 0.75, "Đòi chuyển khoản trước cho một đơn hàng — shipper thật thu tiền khi giao; không đặt thì đừng nhận.", (parcel.group(0), prepay.group(0))))


# A self-introduced new officer or health worker ("em mới về phụ trách khu mình", "tôi là cán
# bộ y tế mới") asking to be added or messaged privately: the first line of an officer scam.
_NEW_OFFICER = re.compile(
    r"\b(?:moi (?:ve|chuyen ve|duoc phan cong|nhanz? nhiem vu|nhanz? cong tac|phu trach|cong tac|dieu ve)|"
    r"(?:can bo|nhan vien|y te|chuyen vien|canh sat|cong an|to truong|cong tac vien)(?: \w+){0,4} moi(?! (?:nhat|day|roi|nhanz?|gui|biet))|phu trach moi)\b"
)
_PRIVATE_CHANNEL = re.compile(
    r"\b(?:ket ban|add zalo|them zalo|add (?:em|toi|minh|chau)|nhan rieng|ib rieng|inbox rieng|inbox|ib|nhan tin rieng|lien he rieng|"
    r"trao doi rieng|luu so (?:nay|em|toi|chau|minh)|nhan tin (?:qua )?zalo (?:cho )?(?:em|toi|minh|chau))\b"
)

# Cash handed over in person ("chiều chị qua nhà lấy", "khỏi chuyển khoản", "đưa tận tay").
_IN_PERSON = re.compile(
    r"\b(?:(?:qua|sang|ghe|den|toi|ve) (?:nha|tan nha)(?: \w+)? (?:lay|dua|gui|tra)|dua tien mat|tra tien mat|tien mat|"
    r"khoi (?:phai )?chuyen khoan|khong can chuyen khoan|dua tan tay|gap truc tiep (?:dua|tra|gui))\b"
)


def ordinary_money(raw: str, folded: str, signals: dict[str, Signal]) -> bool:
    """Money talk of everyday life: a sale with its prices, or a relative paying the reader.

    The sale-type signals are then mentions, not demands; a real sign of a scam keeps them.
    """
    if set(signals) & _NOT_COMMERCE or any(k.startswith("link_") for k in signals):
        return False
    if pays_reader(folded) and not ACCOUNT_NUMBER.search(raw):
        return True  # money going to the reader, with no sign of a scam
    if _IN_PERSON.search(folded) and not ACCOUNT_NUMBER.search(raw) and "zzphone" not in folded:
        return True  # cash handed over face to face: nothing for a remote scammer to collect
    if any(s.weight >= 0.45 for k, s in signals.items() if k not in _SALE_SIGNALS):
        return False
    return commerce_ad(folded)


def damp_ordinary(signals: dict[str, Signal]) -> dict[str, Signal]:
    """The sale-type signals of an ordinary money message, reduced to mentions."""
    # ("Nhân danh cơ quan…" was only the bank or the tax named beside an ordinary payment.)
    damped = _SALE_SIGNALS | {"authority_request"}
    return {k: Signal(s.id, round(s.weight * 0.3, 3), s.reason, s.evidence) if k in damped else s for k, s in signals.items()}
