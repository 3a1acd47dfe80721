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

# --- building blocks (folded, lowercase) -------------------------------------------------
_ME = r"(?:em|chau|toi|minh|anh|chi|ben (?:em|toi|minh)|con|chung toi|can bo|nhan vien|tao|tui|to)"
# Giving something *to the asker*. Bare "gửi" is not here: "hệ thống gửi mã về máy" is the
# system sending to you; "gửi ... cho em" is caught by _SEND_TO_ME.
_GIVE = (
    rf"(?:cung cap|doc|doc lai|gui lai|gui qua|nhan tin|nhan tin lai|nhan lai|nhan ve|bao lai|xin|dua|cho {_ME} xin|de lai|chia se|"
    rf"soan|soan tin|nhan(?: cho)? {_ME}|(?<!thong )(?<!canh )(?<!khai )(?<!cong )bao(?! hiem| ve| mat| dam| quan| tri| hanh| lanh| ho| cao| chi| nhieu| gio| lau))"
)
_SEND_TO_ME = rf"(?:gui|nhan|chuyen|dua|doc|bao)\b.{{0,30}}?\b(?:(?:cho|ve cho|qua cho|ve zalo|qua zalo) {_ME}|(?:den |toi |ve |cho )?(?:so )?zzphone)"
_ENTER = r"(?:nhap|khai|dien|dang nhap|khai bao)"

# Negators (folded). "dung" is also dùng/đúng/dụng, so it is excluded after ứng/sử/áp/nội/tín.
_NEG = re.compile(
    r"\b(?:khong|chang|cam|nghiem cam|tranh|tuyet doi khong|khong bao gio|khong nen|khong duoc|khong the|"
    r"tu choi|chua bao gio|chiz(?= (?:nen |duoc )?(?:cung cap|gui|dua|nhap|khai|doc|cai|tai|lam))|(?<!ung )(?<!su )(?<!ap )(?<!noi )(?<!tin )(?<!tieu )dung)\b"
)
NEGATION_REACH = 6  # words between a negator and the request it negates
# Words after which a negation no longer reaches: "không cần đến trụ sở mà chỉ cần bấm link".
_SCOPE_BREAK = re.compile(r"\b(?:chi can|ma|nhung|hay|vui long|roi|sau do|de duoc|thi)\b")
# "không cần" / "nếu không" do not negate the request that follows.
_FALSE_NEG = re.compile(r"\b(?:khong can|neu khong|khong thi|khong kip|khong lau|khong con)\b")

# The clause describes a scammer or a scam rather than asking the reader.
# ("chống / phòng tránh lừa đảo" is a purpose scammers borrow, not a description.)
_DESCRIBED = re.compile(
    r"\b(?:doi tuong|ke gian|ke lua|ke xau|(?<!chong )(?<!tranh )(?<!phong )lua dao|lua gia|ma docz|phan mem docz|docz hai|gia mao|mao danh|gia danh|thu doan|chieu tro|chieu lua|"
    r"tin nhan gia|cuoc goi gia|trang gia|web gia|bon lua|bon xau|canh giac|thu thuat|canh bao|nan nhan|bi lua|tu xung|xung la|"
    r"nhieu cuoc goi|xuat hien|bi goi|bi nhan tin|bi doi|bi yeu cau|bi du|bi ep|"
    r"(?:co|mot) (?:duaz?|nguoi|ke|thang|so la|ai do|so) (?:la )?(?:goi|nhan|bao|doi|xin))\b"
)
_CONDITIONAL = re.compile(
    r"(?:^|\s)(?<!truoc )(?<!sau )(?:neu|khi|truong hop|lo)(?: ban| ba con| nguoi dan| co)? (?:ai|nguoi la|so la|cuoc goi|tin nhan|"
    r"nhanz? duoc (?:cuoc goi|tin nhan|dien thoai|loi moi|yeu cau)|thay|gap|ca nhan|doi tuong|mot so|co nguoi|co ai)\b"
    # What the reader already did ("lỡ đưa mã OTP", "trót chuyển tiền"): a story, not a request.
    r"|\b(?:lo|da lo|trot|da trot|lo tay)\b (?:dua|doc|cung cap|chuyen|bam|cai|gui|nhap|quet)\b"
)

# Message-level framing of a warning / awareness text.
WARNING_MARKERS = re.compile(
    r"\b(?:canh bao|(?<!chong )(?<!tranh )(?<!phong )lua dao|gia mao|mao danh|gia danh|canh giac|de phong|thu doan|tinnhiemmang|tin gia|khong bao gio|"
    r"to giac|trinh bao|chieu tro|chieu lua|khuyen cao|bao ngay cho|tinh tao|bi lua|lua gat|ma docz|phan mem docz|docz hai)\b"
)

# Authorities scammers pretend to be (folded).
AUTHORITY = re.compile(
    r"\b(?:cong an|cong an phuong|cong an xa|bo cong an|c06|bao hiem xa hoi|bao hiem y te|bhxh|bo y te|so y te|"
    r"tram y te|benh vien|trung tam y te|bac si|duoc si|y ta|can bo|chien si|dieu tra vien|toa an|vien kiem sat|vneid|dinh danh|"
    r"co quan dieu tra|chinh quyen|uy ban nhan dan|ubnd|ngan hang|nha nuoc|chinh phu|so suc khoe|dien luc|thue|an ninh mang|cuc an ninh|luong huu|canh sat|csgt)\b"
)
_SELF_CLAIM = re.compile(
    rf"\b(?:{_ME}|day) (?:la |o |dang o |goi tu |ben )?(?:can bo|nhan vien|cong an|chien si|bac si|y ta|dieu tra vien|"
    r"dai dien|tong dai vien|phong canh sat|ben bao hiem|ben y te|tram y te|bhxh|bao hiem xa hoi|so y te|bo y te)\b"
    r"|\b(?:goi tu|thay mat|dai dien) (?:cong an|bhxh|bao hiem|so y te|bo y te|tram y te|benh vien|bo cong an|vneid)\b"
)

# Places where the real app is used: "nhập mật khẩu" there is an instruction, not phishing.
_IN_OFFICIAL_APP = re.compile(r"\b(?:ung dung vneid|app vneid|tren vneid|vao vneid|vneid|vssid|app store|ch play|google play)\b")
_STORES = re.compile(r"\b(?:app store|appstore|ch play|chplay|google play|kho ung dung)\b")


@dataclass(frozen=True)
class Rule:
    """A phrase rule: its id, weight, the reason shown to residents and its pattern.

    ``needs``: ``"bad_link"`` — counts only if the message carries a suspicious link;
    ``negatable``: False for rules whose wording is negative by nature ("không được nói
    cho ai biết").
    """

    id: str
    weight: float
    reason: str
    pattern: re.Pattern[str]
    needs: str | None = None
    negatable: bool = True
    framed_ok: bool = False  # still a request inside a clause that speaks of scams


def _r(
    id: str, weight: float, reason: str, pattern: str, needs: str | None = None, negatable: bool = True, framed_ok: bool = False
) -> Rule:
    return Rule(id, weight, reason, re.compile(pattern), needs, negatable, framed_ok)


_OTP_WORDS = r"(?:otp|ma xac thuc|ma xac nhan|ma kich hoat|ma bao mat|ma so (?:vua )?(?:gui|nhanz?)|ma (?:vua )?(?:gui|nhanz?|den|ve)|ma gom \d|ma \d so|\d chu so|ma zzphone)"
_SECRET_WORDS = r"(?:mat khau|passcode|pass\b|ma pin|pin|ma dang nhap|ten dang nhap)"
_DATA_WORDS = r"(?:ho ten|ngay sinh|so can cuoc|so dinh danh|so cccd|thong tin ca nhan|ma bhxh|so the bhyt|so the bao hiem|so chung minh|can cuoc cong dan)"
_CARD_WORDS = r"(?:can cuoc|chung minh|2 mat|hai mat|mat truoc|mat sau|the ngan hang|the atm|the tin dung|khuon mat|chan dung|guong mat|cam tay|giay to)"
_BANK_WORDS = r"(?:so tai khoan|stk|so the|cvv|ma cvv|ngay het han|internet banking|tai khoan ngan hang|thong tin the|ma the)"
# "đồng bộ" (sync) folds like "đóng" (pay): "dong" followed by "bo" is never a payment.
_MONEY_VERB = r"(?:chuyen khoan|chuyen tien|nop tien|dong tien|nap tien|thanh toan|ung truoc|chuyen|nop|nap|dong(?! bo\b)|gui|ck|tra|bo ra|muon|vay)"
_FEE_WORDS = (
    r"(?<!mien )(?<!chi )(?:phi dang ky|le phi|phi xac minh|phi ho so|phi kich hoat|phi dich vu|phi giu cho|phi giu suat|dat coc|tien coc|"
    r"coc truoc|phi xu ly|phi nang cap|phi xac thuc|phi dong bo|phi cap nhat|phi mo khoa|phi tham gia|phi kham|"
    r"phi uu tien|phi in|phi lam so|phi tich hop|phi cap|phi bao mat|tien giu cho|phi van chuyen|thu phi|mat phi|ton phi|"
    r"nop phat|dong phat|tien phat|phi)"
)

# Asking the value of a code just sent ("mã OTP vừa gửi về máy bác là số mấy?"): a request.
_CODE_VALUE = (
    r"\b(?:otp|ma)\b.{0,40}?\b(?:vua|ve may|gui ve|gui den|den may|nhanz? duoc)\b.{0,30}?\b(?:la so may|la bao nhieu|so may|la so gi|la may)\b"
)
RULES: tuple[Rule, ...] = (
    _r("otp_request", 0.85, "Đòi mã OTP / mã xác thực — cơ quan nhà nước không bao giờ xin mã này.",
       rf"\b{_GIVE}\b.{{0,40}}?\b{_OTP_WORDS}|\b{_OTP_WORDS}\b.{{0,30}}?\b(?:gui|doc|bao|nhan|dua) (?:lai )?(?:cho|ve|qua) {_ME}\b"
       rf"|\bgui\b.{{0,6}}?\b{_OTP_WORDS}\b.{{0,20}}?\bcho {_ME}\b|\b{_OTP_WORDS}\b.{{0,20}}?\b{_SEND_TO_ME}"
       # "gửi mã OTP vào 09xx / qua Zalo số này": sending the code to a number is a request.
       rf"|\bgui\b.{{0,6}}?\b{_OTP_WORDS}\b.{{0,12}}?\b(?:vao|toi|den|qua)\b.{{0,8}}?\b(?:so|sdt|zalo|zzphone)"
       rf"|\b(?:gui|doc|bao|nhan)(?: lai)? (?:giup |cho )?{_ME}\b.{{0,10}}?\b{_OTP_WORDS}"
       rf"|\b{_OTP_WORDS}\b.{{0,40}}?\b(?:gui|doc|bao|nhan|dua)(?: lai)? (?:giup|cho|ve cho|qua cho) {_ME}\b"
       rf"|\b{_ME} (?:can|muon|xin|lay)\b.{{0,6}}?\b{_OTP_WORDS}"
       rf"|\b(?:phan hoi|tra loi|rep|reply|nhan lai)\b.{{0,30}}?\b(?:bang|voi|kem)\b.{{0,6}}?\b{_OTP_WORDS}|{_CODE_VALUE}"),
    _r("otp_enter", 0.8, "Bảo nhập mã OTP vào trang lạ.", rf"\b{_ENTER}\b.{{0,30}}?\b{_OTP_WORDS}", needs="bad_link"),
    _r("secret_request", 0.8, "Đòi mật khẩu / passcode — không ai được hỏi thông tin này.",
       rf"\b(?:{_GIVE}|nhan)\b.{{0,50}}?\b{_SECRET_WORDS}"),
    _r("secret_enter", 0.75, "Bảo nhập mật khẩu / passcode vào trang lạ.", rf"\b{_ENTER}\b.{{0,30}}?\b{_SECRET_WORDS}", needs="bad_link"),
    # Alone it may be a relative filling a form; with a claimed authority it is a scam.
    _r("card_photo", 0.4, "Đòi ảnh căn cước / thẻ / khuôn mặt.",
       rf"\b(?:chup|gui|cung cap|nhan tin|up|tai len|dang|quay)\b.{{0,25}}?\b(?:anh|hinh|video|clip)\b.{{0,20}}?\b{_CARD_WORDS}"
       rf"|\b(?:chup|quay)\b.{{0,10}}?\b{_CARD_WORDS}"),
    _r("bank_details", 0.75, "Đòi số tài khoản / thông tin thẻ ngân hàng.",
       rf"\b(?:{_GIVE}|gui|nhan)\b.{{0,60}}?\b{_BANK_WORDS}|\b{_BANK_WORDS}\b.{{0,40}}?\b{_SEND_TO_ME}"),
    _r("bank_enter", 0.7, "Bảo nhập số tài khoản / thẻ ngân hàng vào trang lạ.", rf"\b{_ENTER}\b.{{0,40}}?\b{_BANK_WORDS}", needs="bad_link"),
    # Alone, asking for money is everyday life ("góp 200k"); it weighs in combinations.
    _r("money_transfer", 0.4, "Đòi chuyển tiền.",
       rf"\b{_MONEY_VERB}\b.{{0,25}}?\b(?:zzmoney|tien|{_FEE_WORDS})\b|\bzzmoney\b.{{0,15}}?\b(?:chuyen|ck|nop)\b.{{0,10}}?\b(?:vao|qua|cho)\b"
       r"|\b(?:chuyen|ck|nop|gui)\b(?: tien| het tien| toan bo)? (?:vao|sang|qua) (?:tai khoan|stk|so tai khoan)\b"),
    _r("fee", 0.6, "Đòi thu phí / tiền cọc.", rf"(?<!mien )(?<!chi )\b{_FEE_WORDS}\b.{{0,20}}?zzmoney|zzmoney.{{0,20}}?(?<!mien )(?<!chi )\b{_FEE_WORDS}\b|(?<!mien )(?<!chi )\b(?:phi dang ky|dat coc|tien coc|phi xac minh|phi ho so|phi kich hoat|phi giu cho|coc truoc|phi dong bo|phi nang cap|phi uu tien)\b"),
    _r("prize", 0.6, "Hứa trúng thưởng / quà tặng.",
       r"\b(?:trung thuong|trung giai|nhanz? qua|qua tang|phan thuong|tri an|qua tri an|nhanz? thuong|voucher|giai thuong|"
       # ("nhận hỗ trợ" is not a prize: residents get real support, and the allowance scams
       # are caught by their link or fee.)
       r"may man|nhanz? ngay|hoan tien|tien thuong|duoc tang|tang ngay|li xi|lucky)\b"),
    _r("urgency", 0.3, "Hối thúc gấp (trong 24h, ngay hôm nay…).",
       r"\b(?:trong (?:vong )?\d+ ?(?:h|gio|tieng|phut)|trong (?:vong )?(?:1|2|01|02) ngay|trong ngay|ngay hom nay|truoc \d+ ?h|khan cap|khan|gap|sap het han|het han (?:ngay mai|hom nay|trong|vao|luc|truoc)|han cuoi|"
       r"ngay lap tuc|ngay bay gio|cham nhat|som nhat|hom nay la ngay cuoi|con \d+ (?:suat|cho|gio))\b"),
    _r("threat", 0.4, "Doạ khoá tài khoản / phạt / xử lý.",
       r"\b(?:bi khoa|se khoa|khoa vinh vien|tam khoa|bi vo hieu|vo hieu hoa|bi dinh chi|bi phat|se bi phat|xu ly theo phap luat|"
       r"bi thu hoi|bi cat|khoa sim|cat sim|bi tru tien|tru luong|cat luong|ngung chi tra|bi huy|mat quyen loi|truy cuu|bi bat|lenh bat|trieu tap|khoi to|"
       r"phong toa|bi xoa)\b", negatable=False),
    _r("open_link", 0.3, "Giục bấm vào đường link.",
       r"\b(?:bam|nhan|click|truy cap|vao|mo|an|cham|xem|dang ky|dang nhap|xac thuc|cap nhat)\b(?: vao| ngay| theo| qua| tai)?.{0,15}?\b(?:link|duong link|duong dan|zzlink|trang|lien ket)\b",
       needs="bad_link"),
    _r("install_app", 0.55, "Bảo cài ứng dụng ngoài kho chính thức.",
       r"\b(?:tai|cai|cai dat|download|tai ve|cap nhat)\b.{0,25}?\b(?:ung dung|app|phan mem|file|ban cap nhat|phien ban moi)\b",
       needs="bad_link"),
    _r("apk", 0.85, "Bảo cài file .apk — ứng dụng thật chỉ có trên App Store / CH Play.",
       r"\b(?:apk|file cai|tep cai|cai (?:lai |dat )?(?:app|ung dung|phan mem)\b.{0,20}?\b(?:bang|tu|qua) (?:file|tep))\b"),
    # "máy cảnh báo thì cứ bấm tiếp tục": the scammer pre-empting the phone's own warning.
    _r("ignore_warning", 0.85, "Dặn “máy cảnh báo cứ bấm tiếp tục / cho phép” — đó là cách cài ứng dụng độc hại.",
       r"\b(?:canh bao|bao nguy hiem|bao khong an toan|bao doc hai|bao ung dung doc hai|chan|play protect|nguon khong xac dinh|hoi cho phep)\b"
       r".{0,40}?\b(?:bam|an|chon|cu bam|cu an)\b.{0,12}?\b(?:tiep tuc|bo qua|cai tiep|van cai|cho phep|dong y|cai dat)\b"
       r"|\b(?:tat|tat di)\b.{0,10}?\bplay protect\b|\bcap (?:quyen tro nang|moi quyen|quyen truy cap man hinh)\b"),
    _r("remote_app", 0.75, "Bảo cài phần mềm điều khiển máy từ xa.", r"\b(?:teamviewer|ultraviewer|ultraview|anydesk|rustdesk)\b"),
    _r("qr", 0.45, "Bảo quét mã QR do người lạ gửi.",
       r"\b(?:quet|scan|chup|nop|chuyen|chuyen khoan|thanh toan|dong)\b.{0,20}?\bqr\b|\bqr\b.{0,25}?\b(?:quet|thanh toan|chuyen khoan|nhanz?|nop)\b"),
    _r("vneid_sync", 0.5, "“Đồng bộ / nâng cấp / xác thực lại” tài khoản qua tin nhắn — VNeID không làm vậy.",
       r"(?<!duoc )\b(?:dong bo|nang cap|xac thuc lai|kich hoat lai|chuan hoa|cap nhat lai|cap lai|mo khoa|xac minh lai|dong bo lai)\b"
       r".{0,30}?\b(?:muc 2|muc hai|dinh danh|tai khoan vneid|tai khoan|du lieu dan cu|csdl|co so du lieu|can cuoc|thong tin cu tru|thue bao|sim)\b"),
    _r("level2_remote", 0.7, "Làm định danh mức 2 “online / tại nhà” — mức 2 chỉ làm trực tiếp tại Công an xã/phường.",
       r"\b(?:muc 2|muc hai)\b.{0,40}?\b(?:online|truc tuyen|qua mang|tai nha(?! van)|qua dien thoai|qua zalo|qua link|khong can den|khong can ra|ho tro lam)\b"),
    _r("account_problem", 0.4, "Báo tài khoản / hồ sơ “bị lỗi, sai, chưa đồng bộ”.",
       r"\b(?:tai khoan|vneid|dinh danh|so suc khoe|the bao hiem y te|bao hiem|ho so|can cuoc)\b.{0,30}?\b(?:bi loi|gap loi|bi khoa|sai thong tin|sai lech|"
       r"chua dong bo|chua xac thuc|chua cap nhat|het han|bi vo hieu|bat thuong|chua duoc tich hop|bi trung)\b"),
    _r("call_back", 0.35, "Bảo gọi lại / kết bạn Zalo với số lạ.",
       r"\b(?:goi lai|goi ngay|goi den|goi cho|goi vao|goi|lien he|lien lac|nhan tin|ket ban|add|them|inbox|ib|tong dai|qua so)\b.{0,25}?\b(?:zzphone|zalo)\b"
       r"|\b(?:bat|mo|vao) zalo\b|\bgoi video\b",
       needs="contact"),
    _r("recovery", 0.6, "Hứa “lấy lại tiền bị lừa” — chiêu lừa lần hai.",
       r"\b(?:lay lai|thu hoi|hoan lai|doi lai|ho tro lay lai)\b.{0,15}?\b(?:tien|so tien|tai san)\b.{0,15}?\b(?:bi lua|lua dao|da mat)\b",
       negatable=False, framed_ok=True),
    _r("task_scam", 0.6, "“Việc nhẹ lương cao”, nạp tiền để nhận nhiệm vụ.",
       r"\b(?:nap|nap tien|dong tien)\b.{0,25}?\b(?:kich hoat|nhiem vu|nhan viec|lam viec)\b|\blam nhiem vu\b|\blike (?:video|bai|clip)\b"
       r"|\b(?:viec nhe|lam tai nha|tuyen cong tac vien)\b.{0,50}?\b(?:luong|thu nhap|hoa hong|nhan zzmoney)\b"),
    _r("mistransfer", 0.6, "“Chuyển nhầm tiền” rồi đòi chuyển lại vào số khác.",
       r"\bchuyen nham\b.{0,60}?\b(?:chuyen lai|tra lai|hoan lai|gui lai)\b.{0,25}?\b(?:vao|cho|qua)\b.{0,10}?\b(?:so|stk|tai khoan|zzphone)\b"),
    _r("safe_account", 0.6, "Bảo chuyển tiền sang “tài khoản an toàn / tạm giữ” — cơ quan nào cũng không làm vậy.",
       r"\btai khoan (?:an toan|tam giu|tam khoa|dam bao|bao mat|cua co quan|kho bac)\b"
       r"|\bke khai\b.{0,15}?\b(?:tai san|so tien|tien tiet kiem|tien gui)\b", framed_ok=True),
    _r("secrecy", 0.6, "Dặn giữ bí mật, không được nói với ai.",
       r"\b(?:khong (?:duoc )?(?:noi|bao|ke|tiet lo|chia se) (?:cho|voi) (?:ai|nguoi nha|gia dinh|nguoi than)|giu bi mat|bi mat dieu tra|tuyet mat)\b",
       negatable=False),
    _r("crime_link", 0.6, "Doạ liên quan vụ án / rửa tiền.",
       r"\b(?:lien quan|dinh liu|dinh dang)\b.{0,25}?\b(?:rua tien|ma tuy|duong day|vu an|toi pham)\b|\brua tien\b", framed_ok=True),
    _r("data_request", 0.4, "Xin thông tin cá nhân (họ tên, ngày sinh, số giấy tờ…).",
       rf"\b(?:{_GIVE}|gui|nhan)\b.{{0,25}}?\b{_DATA_WORDS}\b|\b{_DATA_WORDS}\b.{{0,40}}?\b{_SEND_TO_ME}"),
    _r("data_enter", 0.4, "Bảo khai thông tin cá nhân vào trang lạ.", rf"\b{_ENTER}\b.{{0,25}}?\b{_DATA_WORDS}\b", needs="bad_link"),
)

_FREE_SERVICE = re.compile(r"\b(?:kham suc khoe|kham sang loc|kham mien phi|vneid|dinh danh|so suc khoe|bao hiem y te|the bhyt|tich hop|lam so)\b")


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
    last = None
    for m in _NEG.finditer(window):
        if begin + m.start() < start:
            last = m
    if last is None:
        return False
    # A quoted phrase counts as one word ("không có gói 'nâng cấp xét nghiệm' phải trả tiền").
    between = re.sub(r"zzquote .*? zzquote", "q", window[last.end() : start - begin])
    # A negation reaches a few words only: "không có BHYT muốn khám … phải đóng 200k" asks.
    return len(between.split()) <= NEGATION_REACH and not _SCOPE_BREAK.search(between)


# A request put straight to the reader ("chị kết bạn Zalo…", "bạn hãy chuyển…") is asked
# even in a clause that mentions a scam ("hồ sơ liên quan vụ án lừa đảo, chị kết bạn…").
_ADDRESSED = re.compile(
    r"\b(?:ban|anh|chi|ong|ba|bac|quy khach|ba con|ong ba|anh chi|co chu)(?: hay| vui long| can| phai| nho| lien| ngay)? $"
)


# The speaker offers their own details ("mình gửi lại số tài khoản để mọi người góp tiền").
_SELF_OFFER = re.compile(r"(?<!cho )(?<!giup )(?<!voi )\b(?:minh|toi|tao|tui|chung toi|ben minh|nha minh)(?: (?:se|da|vua|xin|gui))? $")
_POLITE_REQUEST = re.compile(
    # "cho em hỏi…" opens a question, not a request.
    rf"\b(?:giup|ho {_ME}|cho {_ME}(?! hoi)|voi a|nhe a|nha a)\b|\b{_ME}\b.*\b(?:duoc khong|dc khong|duoc ko|dc ko)\b|{_CODE_VALUE}"
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
        or WARNING_MARKERS.search(head)
        or re.search(r"\b(?:kieu|dang|nhu|bao|noi|rang|chu|tu|cum tu|cau|noi dung|mau)\s*$", head)
    )


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
_PHONE_WARNS = re.compile(r"\b(?:may|dien thoai|dt|google|play protect|he thong)\b (?:co |se |hien |bao )?canh bao\b")


def scan(clauses: list[Clause]) -> list[PhraseHit]:
    """Every rule hit in every clause, with its asked / mentioned status."""
    hits: list[PhraseHit] = []
    for ci, clause in enumerate(clauses):
        text = clause.folded
        # Scammers described anywhere in the sentence; conditionals and stories only reach
        # their own comma segment ("em lỡ nhập số chị, chị gửi em mã" still asks).
        described_clause = bool(_DESCRIBED.search(_PHONE_WARNS.sub(" ", text)))
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
            if _CONDITIONAL.search(_segment(text, m.start())):
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


def mentions_free_service(folded: str) -> str | None:
    """The words naming a service that is free (check-up, VNeID, health book), if any."""
    m = _FREE_SERVICE.search(folded)
    return m.group(0) if m else None


def mentions_authority(folded: str) -> str | None:
    """The name of a body scammers impersonate (police, BHXH, health, VNeID, bank), if any."""
    m = AUTHORITY.search(folded)
    return m.group(0) if m else None


def claims_authority(folded: str) -> str | None:
    """The words by which the sender presents themselves as an official ("em là cán bộ BHXH")."""
    m = _SELF_CLAIM.search(folded)
    return m.group(0) if m else None


# Advice: a negated action ("đừng gọi lại", "không bấm link") frames the text as a warning.
_ADVICE = re.compile(
    r"\b(?:khong|dung|tuyet doi khong|khong bao gio|dung bao gio|dung co)\b (?:nen )?(?:bam|nhan|goi lai|goi|chuyen|doc|cai|tai|quet|cung cap|gui|nhap|truy cap|click|mo)\b"
)


def warning_markers(folded: str) -> int:
    """How many warning/awareness phrases the text has ("cảnh báo", "lừa đảo", "đừng bấm link")."""
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
