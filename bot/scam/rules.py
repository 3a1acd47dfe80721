"""The phrase rules: what a message may ask of the reader, as patterns over folded text.

Each ``Rule`` names a request ("đọc mã OTP", "đặt cọc", "cài file .apk"…), its weight and
the reason a resident reads. Whether a match is really *asked* (not negated, described,
conditional or quoted) is decided by ``phrases.scan``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# --- building blocks (folded, lowercase) -------------------------------------------------
ME = r"(?:em|chau|toi|minh|anh|chi|ben (?:em|toi|minh)|con|chung toi|can bo|nhan vien|tao|tui|to)"
# Giving something *to the asker*. Bare "gửi" is not here: "hệ thống gửi mã về máy" is the
# system sending to you; "gửi ... cho em" is caught by _SEND_TO_ME.
_GIVE = (
    rf"(?:cung cap|doc|doc lai|gui lai|gui qua|nhan tin|nhan tin lai|nhan rieng|inbox|ib|nhan lai|nhan ve|bao lai|xin|dua|cho {ME} xin|de lai|chia se|"
    rf"soan|soan tin|nhan(?: cho)? {ME}|(?<!thong )(?<!canh )(?<!khai )(?<!cong )(?<!thue )bao(?! hiem| ve| mat| dam| quan| tri| hanh| lanh| ho| cao| chi| nhieu| gio| lau))"
)
# The reader, as scammers address them ("của chị", "của bác").
_YOU = r"(?:chi|anh|ban|bac|ong|ba|co|chu|em|di|cau|mo|quy khach|anh chi|ong ba)"
_SEND_TO_ME = rf"(?:gui|nhan|chuyen|dua|doc|bao)\b.{{0,30}}?\b(?:(?:cho|ve cho|qua cho|ve zalo|qua zalo) {ME}|(?:den |toi |ve |cho )?(?:so )?zzphone)"
_ENTER = r"(?:nhap|khai|dien|dang nhap|khai bao)"

# Authorities scammers pretend to be (folded).
AUTHORITY = re.compile(
    r"\b(?:cong an|cong an phuong|cong an xa|bo cong an|c06|bao hiem xa hoi|bao hiem y te|bhxh|bo y te|so y te|"
    r"tram y te|benh vien|trung tam y te|bac si|duoc si|y ta|can bo|chien si|dieu tra vien|toa an|vien kiem sat|vneid|dinh danh|"
    r"co quan dieu tra|chinh quyen|uy ban nhan dan|ubnd|ngan hang|nha nuoc|chinh phu|so suc khoe|dien luc|(?<!cho )(?<!gia )(?<!tien )thue(?! xe| nha| phong| ao| vay| dich vu)|an ninh mang|cuc an ninh|luong huu|canh sat|csgt)\b"
)
_SELF_CLAIM = re.compile(
    rf"\b(?:{ME}|day) (?:la |o |dang o |goi tu |ben )?(?:can bo|nhan vien|cong an|chien si|bac si|y ta|dieu tra vien|"
    r"dai dien|tong dai vien|phong canh sat|ben bao hiem|ben y te|tram y te|bhxh|bao hiem xa hoi|so y te|bo y te)\b"
    r"|\b(?:goi tu|thay mat|dai dien) (?:cong an|bhxh|bao hiem|so y te|bo y te|tram y te|benh vien|bo cong an|vneid)\b"
)


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


_OTP_WORDS = r"(?:otp|ma xac thuc|ma xac nhan|ma xac minh|ma kich hoat|ma bao mat(?! (?:hien|tren|o) (?:tren )?man hinh)|ma so (?:vua )?(?:gui|nhanz?)|ma (?:vua )?(?:gui|nhanz?|den|ve)|ma gom \d|ma \d so|\d chu so|ma zzphone)"
_SECRET_WORDS = r"(?:mat khau|mat ma|passcode|pass\b|ma pin|pin|ma dang nhap|ten dang nhap)"
_DATA_WORDS = r"(?:ho ten|ngay sinh|so can cuoc|so dinh danh|so cccd|thong tin ca nhan|ma bhxh|so the bhyt|so the bao hiem|so chung minh|can cuoc cong dan)"
_CARD_WORDS = r"(?:can cuoc|chung minh|2 mat|hai mat|mat truoc|mat sau|the ngan hang|the atm|the tin dung|khuon mat|chan dung|guong mat|cam tay|giay to)"
_BANK_WORDS = r"(?:so tai khoan|stk|so the|cvv|ma cvv|ngay het han|internet banking|tai khoan ngan hang|thong tin the|ma the)"
# "đồng bộ" (sync) folds like "đóng" (pay): "dong" followed by "bo" is never a payment.
_MONEY_VERB = r"(?:chuyen khoan|chuyen tien|nop tien|dong tien|nap tien|thanh toan|ung truoc|chuyen|nop|nap|dong(?! bo\b)|gui|ck|tra|bo ra|muon|vay)"
_FEE_WORDS = (
    r"(?<!mien )(?<!chi )(?:phi dang ky|le phi|phi xac minh|phi ho so|phi kich hoat|phi dich vu|phi giu cho|phi giu suat|dat coc|tien coc|"
    r"coc truoc|phi xu ly|phi nang cap|phi xac thuc|phi dong bo|phi cap nhat|phi mo khoa|phi tham gia|phi kham|"
    r"phi uu tien|phi xep hang|phieu kham|mua phieu|tien phieu|phi in|tien in(?: an)?|phi lam so|phi tich hop|phi cap|phi bao mat|tien giu cho|phi van chuyen|thu phi|mat phi|ton phi|"
    r"nop phat|dong phat|tien phat|phi)"
)

# A code that is never called "OTP": "dãy số", "mấy con số", "6 số", "tin nhắn vừa nhận",
# "nguyên tin đó" (forwarding the whole SMS gives the code away just the same).
_CODE_NOUN = (
    r"(?:day so|day ma|may (?:con )?so|con so|(?:cac|tung) (?:con )?so|(?:4|5|6|8|bon|nam|sau|tam) (?:con |chu )?so|"
    r"so (?:vua )?(?:gui|nhanz?|nhanz? duoc|bao) ve|tin nhan (?:vua (?:nhanz?|nhanz? duoc|gui|roi|den|toi|bao)|truoc|moi nhat|moi nhanz?|"
    r"co ma|co so|chua ma|ngan hang gui)|nguyen (?:tin|tin nhan)|noi dung tin nhan|(?:ma|day so|so) trong tin nhan)"
)
# Reading, forwarding or replying with it, to the asker ("đọc cho cháu", "nhắn lại cho số này").
_PASS_ON = r"(?:doc|doc lai|nhan lai|gui lai|bao lai|chup(?: man hinh)?|chuyen tiep|forward|soan tin|tra loi kem|nhan tin lai|copy|dan)"
_TO_ASKER = rf"(?:(?: \w+){{0,3}}? (?:cho|giup|ho|dum|ve cho|qua cho|den|toi|vao|qua|ve) (?:{ME}|so|sdt|zzphone|zalo|tong dai|can bo))"
_CODE_PASSED = (
    rf"\b{_PASS_ON}\b(?: (?:lai|giup|ngay|nhanh|cham|het|dung|ca|nguyen|tung))*.{{0,25}}?\b{_CODE_NOUN}\b"
    rf"|\b{_CODE_NOUN}\b.{{0,60}}?\b{_PASS_ON}\b{_TO_ASKER}"
)

# Any character, but not across a negation ("máy báo nguy hiểm thì dừng lại, không bấm tiếp tục").
_NO_STOP = r"(?:(?! (?:khong|dung|chang)(?! sao) ).)"  # "cũng không sao, bấm bỏ qua" still asks

# Asking the value of a code just sent ("mã OTP vừa gửi về máy bác là số mấy?"): a request.
CODE_VALUE = (
    r"\b(?:otp|ma)\b.{0,40}?\b(?:vua|ve may|gui ve|gui den|den may|nhanz? duoc)\b.{0,30}?\b(?:la so may|la bao nhieu|so may|la so gi|la may)\b"
)
RULES: tuple[Rule, ...] = (
    _r("otp_request", 0.85, "Đòi mã OTP / mã xác thực — cơ quan nhà nước không bao giờ xin mã này.",
       rf"\b{_GIVE}\b.{{0,40}}?\b{_OTP_WORDS}|\b{_OTP_WORDS}\b.{{0,30}}?\b(?:gui|doc|bao|nhan|dua) (?:lai )?(?:cho|ve|qua) {ME}\b"
       rf"|\bgui\b.{{0,6}}?\b{_OTP_WORDS}\b.{{0,20}}?\bcho {ME}\b|\b{_OTP_WORDS}\b.{{0,20}}?\b{_SEND_TO_ME}"
       # "gửi mã OTP vào 09xx / qua Zalo số này": sending the code to a number is a request.
       rf"|\bgui\b.{{0,6}}?\b{_OTP_WORDS}\b.{{0,12}}?\b(?:vao|toi|den|qua)\b.{{0,8}}?\b(?:so|sdt|zalo|zzphone)"
       rf"|\b(?:gui|doc|bao|nhan)(?: lai)? (?:giup |cho )?{ME}\b.{{0,10}}?\b{_OTP_WORDS}"
       rf"|\b{_OTP_WORDS}\b.{{0,40}}?\b(?:gui|doc|bao|nhan|dua)(?: lai)? (?:giup|cho|ve cho|qua cho) {ME}\b"
       rf"|\b{ME} (?:can|muon|xin|lay)\b.{{0,6}}?\b{_OTP_WORDS}"
       rf"|\b(?:phan hoi|tra loi|rep|reply|nhan lai)\b.{{0,30}}?\b(?:bang|voi|kem)\b.{{0,6}}?\b{_OTP_WORDS}|{CODE_VALUE}|{_CODE_PASSED}"),
    _r("otp_enter", 0.8, "Bảo nhập mã OTP vào trang lạ.", rf"\b{_ENTER}\b.{{0,30}}?\b{_OTP_WORDS}", needs="bad_link"),
    _r("secret_request", 0.8, "Đòi mật khẩu / passcode — không ai được hỏi thông tin này.",
       rf"\b(?:{_GIVE}|(?<!ca )nhan)\b.{{0,50}}?\b{_SECRET_WORDS}|\bgui\b.{{0,30}}?\b{_SECRET_WORDS}\b.{{0,40}}?\b(?:cho|ve cho|qua cho) {ME}\b"
       rf"|\bgui (?:cho |lai cho |lai )?{ME}\b.{{0,30}}?\b{_SECRET_WORDS}"
       # "mã PIN thẻ ATM của chị là bao nhiêu": asking its value, of the reader's own.
       rf"|\b{_SECRET_WORDS}\b(?: \w+){{0,4}}? cua {_YOU}\b.{{0,10}}?\b(?:la bao nhieu|la gi|la so may|la so nao|la may)\b"),
    _r("secret_enter", 0.75, "Bảo nhập mật khẩu / passcode vào trang lạ.", rf"\b{_ENTER}\b.{{0,30}}?\b{_SECRET_WORDS}", needs="bad_link"),
    # Alone it may be a relative filling a form; with a claimed authority it is a scam.
    _r("card_photo", 0.4, "Đòi ảnh căn cước / thẻ / khuôn mặt.",
       rf"\b(?:chup|gui|cung cap|nhan tin|up|tai len|dang|quay)\b.{{0,25}}?\b(?:anh|hinh|video|clip)\b.{{0,20}}?\b{_CARD_WORDS}"
       rf"|\b(?:chup|quay)\b.{{0,10}}?\b{_CARD_WORDS}"),
    _r("bank_details", 0.75, "Đòi số tài khoản / thông tin thẻ ngân hàng.",
       rf"\b(?:{_GIVE}|gui|(?<!ca )nhan)\b.{{0,60}}?\b{_BANK_WORDS}\b|\b{_BANK_WORDS}\b.{{0,40}}?\b{_SEND_TO_ME}"),
    _r("bank_enter", 0.7, "Bảo nhập số tài khoản / thẻ ngân hàng vào trang lạ.", rf"\b{_ENTER}\b.{{0,40}}?\b{_BANK_WORDS}\b", needs="bad_link"),
    # Alone, asking for money is everyday life ("góp 200k"); it weighs in combinations.
    _r("money_transfer", 0.4, "Đòi chuyển tiền.",
       rf"\b{_MONEY_VERB}\b.{{0,25}}?\b(?:zzmoney|tien|{_FEE_WORDS})\b|\bzzmoney\b.{{0,15}}?\b(?:chuyen|ck|nop)\b.{{0,10}}?\b(?:vao|qua|cho)\b"
       r"|\b(?:chuyen|ck|nop|gui)\b(?: tien| het tien| toan bo)? (?:vao|sang|qua) (?:tai khoan|stk|so tai khoan)\b"
       # Paid into an e-wallet: "nạp qua Viettel Money", "chuyển vào ví MoMo".
       rf"|\b(?:{_MONEY_VERB}|coc)\b.{{0,25}}?\b(?:qua|vao|bang) (?:vi|momo|zalopay|viettel ?money|shopeepay|vnpay)\b"),
    _r("fee", 0.6, "Đòi thu phí / tiền cọc.", rf"(?<!mien )(?<!chi )\b{_FEE_WORDS}\b.{{0,20}}?zzmoney|zzmoney.{{0,20}}?(?<!mien )(?<!chi )\b{_FEE_WORDS}\b|(?<!mien )(?<!chi )\b(?:phi dang ky|dat coc|tien coc|phi xac minh|phi ho so|phi kich hoat|phi giu cho|coc truoc|phi dong bo|phi nang cap|phi uu tien)\b"),
    _r("prize", 0.6, "Hứa trúng thưởng / quà tặng.",
       r"\b(?:trung thuong|trung giai|nhanz? qua|qua tang|phan thuong|tri an|qua tri an|nhanz? thuong|voucher|giai thuong|"
       # ("nhận hỗ trợ" is not a prize: residents get real support, and the allowance scams
       # are caught by their link or fee.)
       r"may man|nhanz? ngay|hoan tien|tien thuong|duoc tang|tang ngay|li xi|lucky)\b"),
    # Miracle-cure ads: a cure no medicine gives, sold to a number or a Zalo.
    _r("cure_claim", 0.55, "Quảng cáo thuốc “chữa khỏi hoàn toàn / thần dược” — không thuốc nào làm được, hãy hỏi bác sĩ ở trạm y tế.",
       r"\b(?:chua (?:dut diem|dut benh|dut|khoi(?! benh cho)|khoi hoan toan|khoi han|khoi 100|tan goc|bach benh)|khoi (?:han|hoan toan|100)|than duoc|"
       r"thay (?:the )?thuoc(?: tay)?|vut (?:bo )?gay|cam ket khoi|gia truyen)\b", needs="contact"),
    # A bad result announced by message, then something to buy or pay.
    _r("result_upsell", 0.55, "Báo kết quả khám xấu rồi bán thuốc / gói khám — cơ sở y tế thật hẹn bạn đến khám lại.",
       r"\b(?:ket qua|chi so|xet nghiem|sieu am)\b.{0,60}?\b(?:bat thuong|vuot nguong|co van de|xau|ung thu|khoi u|nguy hiem|cao)\b"
       r".{0,80}?\b(?:mua|dat mua|dat qua|chuyen|thanh toan|dong|nop)\b", needs="contact"),
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
       r"\b(?:apk|file cai|tep cai|ban cai|cai (?:lai |dat )?(?:app|ung dung|phan mem)\b.{0,20}?\b(?:bang|tu|qua) (?:file|tep))\b"
       # An app sent as a file in a chat, to be installed: the store never sends files.
       r"|\b(?:file|tep|ung dung|app|phan mem)\b.{0,40}?\b(?:qua|tren|trong) (?:zalo|tin nhan|messenger|nhom)\b.{0,40}?\b(?:cai|cai dat|tai ve|mo file)\b"
       r"|\b(?:tai|cai|cai dat)\b(?: \w+){0,2}? (?:app|ung dung|phan mem|ban cap nhat)\b.{0,25}?\b(?:theo|qua|bang|tu|o) (?:file|tep)\b"
       r"|\b(?:file|tep)(?: dinh kem| tai xuong| em gui| chau gui| anh gui)?\b.{0,12}?\b(?:de|roi|va|ma|la) (?:cai|cai dat|cap nhat)\b"),
    # "máy cảnh báo thì cứ bấm tiếp tục": the scammer pre-empting the phone's own warning.
    _r("ignore_warning", 0.85, "Dặn “máy cảnh báo cứ bấm tiếp tục / cho phép” — đó là cách cài ứng dụng độc hại.",
       r"\b(?:canh bao|bao nguy hiem|bao khong an toan|bao doc hai|bao ung dung doc hai|chan|play protect|nguon khong xac dinh|hoi cho phep|"
       # "nếu máy báo / hiện bảng / hỏi gì thì cứ bấm…": the phone's warning, named any way.
       r"(?:may|dien thoai|dt) (?:co |se |no )?(?:bao|hien|hoi|thong bao|chan))\b"
       rf"{_NO_STOP}{{0,50}}?\b(?:bam|an|chon|cu|nhan|tick)\b.{{0,15}}?\b(?:tiep tuc|bo qua|cai tiep|van cai|cho phep|dong y|cai dat|ok)\b"
       r"|\b(?:tat|tat di)\b.{0,10}?\bplay protect\b|\bcap (?:quyen tro nang|moi quyen|quyen truy cap man hinh|quyen cho (?:no|app|ung dung))\b"
       r"|\b(?:bat|bam|chon|an) (?:cho phep|quyen) (?:cai dat|cai|tu nguon|nguon nay|cai ung dung)\b|\bcho phep cai dat\b"),
    _r("remote_app", 0.75, "Bảo cài phần mềm điều khiển máy từ xa.", r"\b(?:teamviewer|ultraviewer|ultraview|anydesk|rustdesk)\b"),
    _r("qr", 0.45, "Bảo quét mã QR do người lạ gửi.",
       r"\b(?:quet|scan|chup|nop|chuyen|chuyen khoan|thanh toan|dong)\b.{0,20}?\bqr\b|\bqr\b.{0,25}?\b(?:quet|thanh toan|chuyen khoan|nhanz?|nop)\b"),
    _r("vneid_sync", 0.5, "“Đồng bộ / nâng cấp / xác thực lại” tài khoản qua tin nhắn — VNeID không làm vậy.",
       r"(?<!duoc )\b(?:dong bo|nang cap|xac thuc lai|kich hoat lai|chuan hoa|cap nhat lai|cap lai|mo khoa|xac minh lai|dong bo lai)\b"
       r".{0,30}?\b(?:muc 2|muc hai|dinh danh|tai khoan vneid|vneid|tai khoan|du lieu dan cu|csdl|co so du lieu|can cuoc|thong tin cu tru|thue bao|sim)\b"),
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
       r"\b(?:lay lai|thu hoi|hoan lai|doi lai|ho tro lay lai)\b.{0,15}?\b(?:tien|so tien|tai san)\b.{0,15}?\b(?:bi lua|lua dao|da mat)\b"
       r"|\b(?:tien|so tien|tai san)\b.{0,20}?\b(?:bi lua|lua dao|da mat)\b.{0,25}?\b(?:da duoc |se duoc )?(?:thu hoi|lay lai|hoan lai|nhan lai)\b"
       r"|\b(?:bi lua|lua dao|ke lua|bi mat tien)\b.{0,120}?\b(?:lay lai duoc|lay lai|thu hoi|hoan tien|truy vet)\b",
       negatable=False, framed_ok=True),
    _r("task_scam", 0.6, "“Việc nhẹ lương cao”, nạp tiền để nhận nhiệm vụ.",
       r"\b(?:nap|nap tien|dong tien)\b.{0,25}?\b(?:kich hoat|nhiem vu|nhan viec|lam viec)\b|\blam nhiem vu\b|\blike (?:video|bai|clip)\b"
       r"|\b(?:viec nhe|lam tai nha|tuyen cong tac vien)\b.{0,50}?\b(?:luong|thu nhap|hoa hong|nhan zzmoney)\b"),
    _r("mistransfer", 0.6, "“Chuyển nhầm tiền” rồi đòi chuyển lại vào số khác.",
       r"\bchuyen nham\b.{0,60}?\b(?:chuyen lai|tra lai|hoan lai|gui lai)\b.{0,25}?\b(?:vao|cho|qua)\b.{0,10}?\b(?:so|stk|tai khoan|zzphone)\b"
       # "vào số cũ của em", "như mọi lần": the sender's usual account, the honest refund.
       r"(?! (?:cu|quen|nhu moi lan|nhu cu|hom truoc)\b)(?!.{0,20}\b(?:nhu moi lan|nhu cu|so cu)\b)"),
    _r("safe_account", 0.6, "Bảo chuyển tiền sang “tài khoản an toàn / tạm giữ” — cơ quan nào cũng không làm vậy.",
       r"\btai khoan (?:an toan|tam giu|tam khoa|dam bao|bao mat|cua co quan|kho bac)\b"
       r"|\bke khai\b.{0,15}?\b(?:tai san|so tien|tien tiet kiem|tien gui)\b", framed_ok=True),
    _r("secrecy", 0.6, "Dặn giữ bí mật, không được nói với ai.",
       r"\b(?:khong (?:duoc )?(?:noi|bao|ke|tiet lo|chia se) (?:cho|voi) (?:ai|nguoi nha|gia dinh|nguoi than)|giu bi mat|bi mat dieu tra|tuyet mat|"
       # Cutting the reader off from family: "ra chỗ vắng người", "đi một mình để được tư vấn kín".
       r"giu kin|tu van kin|ra cho vang|cho vang nguoi|mot minh de (?:duoc )?(?:tu van|lam|nghe|xac minh))\b",
       negatable=False),
    _r("crime_link", 0.6, "Doạ liên quan vụ án / rửa tiền.",
       r"\b(?:lien quan|dinh liu|dinh dang)\b.{0,25}?\b(?:rua tien|ma tuy|duong day|vu an|toi pham)\b|\brua tien\b"
       r"|\b(?:buu pham|buu kien|kien hang|goi hang|hang gui)\b.{0,30}?\b(?:ma tuy|hang cam|vu khi|tien gia)\b", framed_ok=True),
    _r("data_request", 0.4, "Xin thông tin cá nhân (họ tên, ngày sinh, số giấy tờ…).",
       rf"\b(?:{_GIVE}|gui|(?<!ca )nhan)\b.{{0,25}}?\b{_DATA_WORDS}\b|\b{_DATA_WORDS}\b.{{0,40}}?\b{_SEND_TO_ME}"),
    _r("data_enter", 0.4, "Bảo khai thông tin cá nhân vào trang lạ.", rf"\b{_ENTER}\b.{{0,25}}?\b{_DATA_WORDS}\b", needs="bad_link"),
)

_FREE_SERVICE = re.compile(r"\b(?:kham suc khoe|kham sang loc|kham mien phi|vneid|dinh danh|so suc khoe|bao hiem y te|the bhyt|tich hop|lam so)\b")


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
