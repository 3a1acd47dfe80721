"""Medical-question detection: symptoms, medicines, test values, emergencies.

Loa never gives medical advice. A question that describes a symptom, asks about a
medicine or a dose, asks what a measured value means, or describes an emergency gets the
``safety.medical`` reply (see a doctor; call the emergency number). Rules work on the
tone-folded, normalised text so "dau nguc" and "đau ngực" match alike; ambiguous folded
syllables (``ho`` = ho/hộ/họ, ``sot`` = sốt/sót) only count inside a telling phrase.

Campaign questions that merely mention a disease ("khám có đo huyết áp không", "người bị
tiểu đường có được ưu tiên không", "mang theo thuốc đang uống") are NOT medical.
"""

from __future__ import annotations

import re

from bot.faq import symptoms
from bot.text import fold, normalize

_SYMPTOMS = (
    r"dau (nguc|dau|bung|lung|hong|rang|khop|da day|bao tu|mat|tim|vai|co|goi|tai|nua dau|quan|nhoi|tuc|du doi)",
    r"(bi|hay|thuong|cu|dang) (dau|nhuc|sot|ngua|tieu chay|non|chong mat|mat ngu|te)", r"(bi|hay) ho",
    r"(toi|em|con|me|bo|ong|ba|chau) (dau|nhuc|sot|ngua|chong mat)",
    r"nhuc (dau|moi|xuong)", r"sot (cao|nhe|\d|keo dai|ve dem|li bi|may ngay)", r"\d+ ?do",
    r"ho (khan|ra mau|co dom|nhieu|keo dai|mai|suot|may ngay|ca dem)", r"kho tho", r"tuc nguc", r"chong mat",
    r"buon non", r"non (mua|ra)", r"tieu chay", r"tao bon", r"phat ban", r"noi (man|me day|ban)", r"di ung",
    r"te (tay|chan|bi tay|bi chan|nua nguoi)", r"mat ngu", r"hoa mat", r"choang", r"ngat xiu", r"bat tinh", r"co giat", r"dot quy",
    r"chay mau", r"ra mau", r"soi than", r"viem (hong|hong|phoi|da day|gan|xoang|hong)", r"cam cum", r"so mui",
    r"ngo doc", r"bong (nuoc|lua|nang)", r"vet thuong", r"gay xuong", r"tim dap nhanh", r"hoi hop danh trong nguc",
    r"mat( (em|toi|bac|minh|ba|ong|chau|con|me|bo))? (bi |hay |cu |tu nhien )?(nhin )?(mo|nhoe|khong ro)",
    r"kho nuot", r"sut can", r"rung toc", r"noi mun", r"ham ta", r"phu chan", r"vang da", r"tieu (ra mau|buot|nhieu)", r"ngua (ngay|khap|da)",
)
_MEDICINES = (
    r"uong thuoc (gi|nao|j|gi de|ha)", r"thuoc (gi|nao) (de|cho|tri|chua)?", r"nen uong",
    r"uong (gi|j|bao nhieu|may vien|luc nao)", r"uong .{0,30} (?<![a-z])(duoc khong|co sao khong|co duoc khong)",
    r"lieu (dung|luong|thuoc)", r"khang sinh", r"paracetamol", r"panadol", r"aspirin", r"ibuprofen",
    r"efferalgan", r"vitamin", r"thuoc (ha|giam|tri|chua|bo|ngu|dau|ho|sot|cam|huyet ap|tieu duong|tim|da day)",
    r"(chua|tri) (benh|dut|khoi|tan goc)",
    r"dieu tri (benh|the nao|nhu the nao|sao|o dau)", r"(an|kieng) (gi|nhung gi|j) (de|khi|cho|thi)",
    r"nen an (gi|j)", r"co nen (tiem|mo|noi soi|chup)", r"tiem (thuoc|vac xin|vaccine|vacxin) .{0,20}(?<![a-z])(khong|ko)\b",
    r"bai thuoc", r"thuoc nam", r"thuoc bac", r"dong y",
    # Whether a vaccine or a medicine is safe or has side effects is a doctor's question.
    r"(tiem|vac xin|vacxin|vaccine|thuoc) .{0,40}(?<![a-z])(an toan|tac dung phu|phan ung phu|co hai|bi phan ung)",
    r"(uong|dung|mua|an) thuc pham chuc nang .{0,30}(?<![a-z])(khong|ko|k|nao|gi|duoc|tot)(?![a-z])",
    r"thuc pham chuc nang (nao|gi|co (tot|nen|hieu qua|tac dung|hai))",
)
_MEASURES = r"(huyet ap|duong huyet|duong mau|cholesterol|mo mau|men gan|axit uric|acid uric|hba1c|spo2|nhip tim|creatinin|ure|tieu cau|hong cau|bach cau|chi so|ket qua xet nghiem)"
_VALUES = (
    _MEASURES + r"\D{0,25}\d",
    _MEASURES + r" .{0,25}(?<![a-z])(cao|thap|tang|giam|on dinh|binh thuong|nguy hiem|co sao|la bao nhieu|bat thuong)",
    r"\d+ ?(/ ?\d+)? ?(mmhg|mmol|mg ?/ ?dl|mg|ml)",
)
_WORRY = (
    r"co (bi )?(benh|ung thu) (gi|khong|ko)", r"la (benh|bi) gi", r"bi (benh )?gi (vay|the|a|khong)",
    r"phai lam (sao|gi|the nao|j) .{0,15}(?<![a-z])(dau|sot|ho|non|benh|ngat|chay mau|kho tho)",
)
# One's own body: pregnancy and the foetus, menstruation, contraception ("chụp X-quang có ảnh
# hưởng gì đến thai nhi không", "chậm kinh có phải có thai không").
_BODY = (
    r"(mang thai|co thai|co bau|ba bau|bau \d+|dang bau|thai nhi|thai phu|cho con bu)\b.{0,60}"
    r"(anh huong|co hai|hai gi|co sao|nguy hiem|an toan|duoc khong|co duoc)",
    r"(anh huong|co hai|hai) .{0,25}(thai nhi|em be trong bung|thai)(?![a-z])",
    r"kinh nguyet", r"hanh kinh", r"(dang|moi|sap) (co|bi|den|toi) kinh", r"(den|toi) ky kinh", r"(cham|tre|roi loan|mat) kinh", r"man kinh", r"den thang (ma|bi|dau|ra)",
    r"khi hu", r"thuoc tranh thai", r"vong tranh thai", r"que thu thai",
    r"co phai (bi|la|da) (benh|mang thai|co thai|co bau|viem|ung thu|tieu duong|huyet ap|suy)",
)
# Diet and exercise advice for a condition ("bị tiểu đường có ăn được trái cây không").
_CONDITIONS = (
    r"(tieu duong|dai thao duong|huyet ap|gout|gut|da day|mo mau|benh than|suy than|benh tim|viem gan|"
    r"mang thai|co thai|co bau|cho con bu|ung thu|hen suyen)"
)
_DIET = (
    _CONDITIONS + r" (.{0,30} )?(an|uong|kieng|tap|nen an|nen uong)( .{1,20})? (gi|j|khong|ko|k|duoc)(?![a-z])",
)
_EMERGENCY = (
    r"cap cuu", r"dot quy", r"ngung tho", r"khong tho duoc", r"ngat", r"bat tinh", r"co giat", r"ngo doc",
    # Stroke and collapse as families describe them ("méo miệng, nói ngọng", "gọi không tỉnh").
    r"meo mieng", r"noi ngong", r"yeu (nua nguoi|tay|chan|hai chan)", r"liet (nua nguoi|tay|chan)",
    r"(goi|lay) (khong|chang|ko) (tinh|day)", r"sui bot",
)

_MEDICAL = re.compile(
    r"(?<![a-z0-9])(" + "|".join(_SYMPTOMS + _MEDICINES + _VALUES + _WORRY + _BODY + _DIET + _EMERGENCY + symptoms.ALL) + r")(?![a-z])"
)
# Always medical, whatever else the message asks: which medicine or dose, emergencies
# ("đang uống thuốc huyết áp" is context; "uống thuốc gì" is a question for a doctor).
_HARD = re.compile(
    r"(?<![a-z0-9])(uong thuoc (gi|nao|j)|thuoc (gi|nao) (de|cho|tri|chua)|nen uong|lieu (dung|luong)|"
    r"uong (may vien|bao nhieu)|(uong|an|boi) gi (cho|de) (khoi|het|do|lanh)|(co can|nen) sinh thiet|khang sinh|(anh huong|co hai) .{0,25}thai nhi|cap cuu|ngung tho|khong tho duoc|bat tinh|co giat|ngo doc|dot quy)(?![a-z])"
)
# A campaign question about a person with a condition ("bố em huyết áp cao có được ưu tiên
# khám không", "bà tôi bị tiểu đường thì khám ở đâu"): the condition is context, not the ask.
_CAMPAIGN_FRAME = re.compile(
    r"(?<![a-z])(co duoc (uu tien|kham|mien phi|vao danh sach|di kham)|duoc (uu tien|kham truoc|kham mien phi)|"
    r"(thi|de|duoc) kham (o dauq|o dau|khi nao|bao gio|truoc)|dang ky kham|"
    r"doi tuong uu tien|thuoc dien uu tien|kham mien phi (khong|ko|k|chua)|co mat tien (khong|ko|k)|"
    r"kham luu dong|doi kham|den tan nha|kham tai nha|mang theo|can mang|so suc khoe|vneid|"
    r"(muon|xin) (duoc )?kham|nguoi ta (den|toi) (nha|tan nha|kham)?)(?![a-z])"
)

# Phrases that make an apparent trigger part of a campaign question instead.
_NOT_MEDICAL = re.compile(
    r"(?<![a-z])(mang (theo )?thuoc|thuoc dang (dung|uong)|don thuoc (cu|dang)|"
    r"kham (co|gom|nhung) .{0,40}(?<![a-z])(xet nghiem|huyet ap|duong huyet)|do huyet ap (khong|ko|k|chua)|"
    r"co (duoc )?(xet nghiem|do huyet ap|do duong huyet|thu mau)|xet nghiem (gi|nhung gi|nao)|"
    r"ket qua (kham|xet nghiem) (xem|o dau|co tren|tra cuu|cap nhat|bao gio|khi nao|len)|"
    r"xem ket qua|tra cuu ket qua|kham chua benh|lich su (tiem chung|tiem|kham chua benh|kham benh|kham|benh)|thong tin tiem|so tiem|"
    r"tiem chung (co|duoc) (luu|cap nhat|tich hop)|"
    # the cost, the refund or the opening hours of an ambulance or an emergency room
    r"(xe )?cap cuu .{0,60}(matx? tien|bao nhieu|gia|chi phi|hoan tien|tra tien|co truc|truc khong|mien phi|bhyt|bao hiem|ho so))(?![a-z])"
)


# Syllables whose folded form collides with a medical word: "ở đâu" (where) vs "đau"
# (pain), "thuộc hộ nghèo" vs "thuốc ho", "y tế" vs "tê", "bỏ sót" vs "sốt". With diacritics
# they are told apart before folding; without, the context below decides.
_EXACT_MARKS = {
    "đâu": "dauq", "thuộc": "thuocb", "hộ": "hoh", "họ": "hoh", "tế": "tex", "sót": "sotx",
    # "con dâu", "dầu", "dấu hiệu" are not pain; "thuốc bác uống" is not "thuốc bắc".
    "dâu": "dauz", "dầu": "dauz", "dấu": "dauz", "dẫu": "dauz", "bác": "bacx",
    # "chồng mất sớm" (husband died) is not "chóng mặt" (dizzy).
    "chồng": "chongx", "mất": "matx",
    # "đang có kính cận" (glasses) is not "đang có kinh" (a period).
    "kính": "kinhx",
    # "bấm đồng ý" (agree) is not "đông y" (traditional medicine).
    "đồng": "dongx",
}
_EXACT_WORD = re.compile(r"(?<!\w)(" + "|".join(_EXACT_MARKS) + r")(?!\w)")
_PLAIN_CONTEXT = (
    (re.compile(r"(?<![a-z])(o|di|den|tu|noi|cho|khoi|dang|chon|bang) dau(?![a-z])"), r"\1 dauq"),
    (re.compile(r"(?<![a-z])dau (vay|a|z|v|nhi|ha|the|nhe|roi|ca)(?![a-z])"), r"dauq \1"),
    (re.compile(r"(?<![a-z])thuoc (ho ngheo|ho can ngheo|ho gia dinh|dien|doi tuong|nhom|xa|phuong|tinh)(?![a-z])"), r"thuocb \1"),
    (re.compile(r"(?<![a-z])y te(?![a-z])"), "y tex"),
    (re.compile(r"(?<![a-z])(bam|nhan|chon|an|cham|co|khong|ko|neu|thi|da|roi|phai|duoc) dong y(?![a-z])"), r"\1 dongx y"),
    (re.compile(r"(?<![a-z])chong mat (som|roi|nam|tu|lau|vi|do|nen|de|khi|da|sau|trong)(?![a-z])"), r"chongx matx \1"),
    (re.compile(r"(?<![a-z])ho (tro|khau|gia dinh|ngheo|can ngheo|chieu|ten|va)(?![a-z])"), r"hoh \1"),
)


def _medical_form(text: str) -> str:
    """Normalised, folded text with the colliding syllables disambiguated."""
    norm = _EXACT_WORD.sub(lambda m: _EXACT_MARKS[m.group(1)], normalize(text))
    folded = fold(norm)
    for pattern, repl in _PLAIN_CONTEXT:
        folded = pattern.sub(repl, folded)
    return folded


def medical_reason(text: str) -> str | None:
    """The matched medical phrase (folded) if ``text`` asks for medical advice, else None."""
    folded = _medical_form(text)
    if not folded:
        return None
    if _CAMPAIGN_FRAME.search(folded) and not _HARD.search(folded):
        return None
    m = _MEDICAL.search(folded)
    if m is None:
        return None
    # A campaign phrase covering the trigger wins ("kết quả xét nghiệm xem ở đâu").
    for nm in _NOT_MEDICAL.finditer(folded):
        if nm.start() <= m.start() < nm.end() or m.start() <= nm.start() < m.end():
            rest = folded[: nm.start()] + " " + folded[nm.end() :]
            again = _MEDICAL.search(rest)
            return again.group(1) if again else None
    return m.group(1)

