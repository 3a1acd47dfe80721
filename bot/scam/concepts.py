"""Concept tokens: what a message talks about, above its exact words, for the classifier.

Character and word n-grams learn an author's wording; a new author says the same thing in
other words ("đọc dãy số vừa nhận", "nhập mã hủy giao dịch"). Each concept below is a
small lexicon of the common ways to say one thing that matters for a scam (a payment, a
code, an authority, a threat, a cure claim, a warning…). The classifier gets one token
per *pair* of concepts present ("authority+pay", "code+give"), so it learns which
combinations make a scam from every author's messages at once, and a new wording that
hits the lexicon carries over. Folding makes many short words ambiguous ("ngay" is both
"ngày" and "ngay", "khoa" "khóa" and "khoa", "vay" "vay" and "vậy", "lai" "lãi" and
"lại"): such words only count inside a longer phrase. The lexicons are written
from general knowledge of the scam families, on the checker's folded text (no
diacritics, teencode expanded, links/phones/amounts replaced by ``zzlink``/``zzphone``/
``zzmoney``).
"""

from __future__ import annotations

import re

_LEXICON: dict[str, str] = {
    "pay": r"chuyen (?:khoan|tien|truoc|giup|vao|lai|ngay|gap)|nap (?:tien|them|vao)|gui tien|dong (?:tien|phi|truoc)|nop (?:tien|phi|phat)"
    r"|thanh toan|tam ung|dat coc|tien coc|ung ho|quyen gop|gop (?:von|tien)|hoan tra|rut tien",
    "money": r"zzmoney|\d+ ?(?:trieu|nghin|ngan|tr|k)\b|\btrieu\b",
    "account": r"\bstk\b|so tai khoan|tai khoan (?:ca nhan|rieng|nay|sau|ben duoi)|\bvi (?:dien tu|momo|zalopay)|momo|zalopay|\d{4} ?\d{3,4} ?\d{2,}",
    "code": r"\botp\b|\bma (?:xac (?:nhan|thuc|minh)|kich hoat|so|pin|bi mat|huy|dang nhap)|day so|\d chu so|mat khau|\bpass",
    "give": r"\bdoc (?:lai|cho|ma|giup|nhanh|so|day)|\bnhap (?:ma|so|vao|thong tin)|\bgui (?:lai|cho|qua|ve)|chup (?:man hinh|anh|lai)|cung cap|dien (?:thong tin|vao)",
    "link": r"zzlink|duong (?:link|dan)|\blink\b|bam vao|nhan vao|truy cap|dang nhap",
    "install": r"\bcai (?:dat|app|ung dung|ban|them|vao)|tai (?:app|ung dung|ve)|\bapk\b|ban (?:moi|cap nhat)|cap nhat|ho so cau hinh|cho phep|quyen truy cap",
    "authority": r"cong an|\bbhxh\b|bao hiem|dien luc|ngan hang|nha mang|\bthue\b|csgt|canh sat|bo y te|so y te|\bubnd\b|toa an|vien kiem sat"
    r"|dang kiem|buu dien|tong dai|chinh phu|nha nuoc|\bcan bo\b|chuyen vien|nhan vien",
    "id_docs": r"can cuoc|\bcccd\b|vneid|dinh danh|muc 2|\bbhyt\b|giay to|ho so|thong tin ca nhan|anh (?:chup )?(?:hai|2) mat",
    "urgent": r"(?:goi|bam|lam|chuyen|nhan|dang ky|truy cap|nop|thanh toan) ngay|ngay lap tuc|ngay bay gio|khan cap|trong hom nay|truoc \d+ ?h|het han|keo het|co han|chi con|trong dem|toi nay",
    "threat": r"bi khoa|tam khoa|khoa (?:tai khoan|sim|the|vneid|dinh danh|thue bao)|cat (?:dien|nuoc|sim|song)|bi phat|phat nguoi|dieu tra|khoi to|thu hoi"
    r"|dinh chi|bi xu ly|xu ly (?:hinh su|theo phap luat)|vo hieu|mat quyen|bi huy",
    "prize": r"trung (?:thuong|giai|xe|tu lanh|ti vi|dien thoai|phieu)|qua (?:tang|tri an|tet)|(?:duoc|tang) (?:qua|kem|ngay)|phan thuong|tri an|phieu qua|quay so|khach hang (?:thu|may man|than thiet)",
    "fee": r"\bphi\b|le phi|phi (?:ship|van chuyen|kich hoat|ho so|dich vu|xu ly|luu kho)|tien (?:ship|van chuyen|cong|bao lanh|ho so)",
    "cure": r"khoi (?:han|hoan toan|benh)|chua khoi|dut diem|danh bay|khong can (?:uong|dung|mo)|bo (?:duoc )?thuoc tay|than (?:duoc|ky|toc)|gia truyen|thao duoc",
    "disease": r"ung thu|tieu duong|huyet ap|dot quy|\bgut\b|tai bien|xuong khop|mo mau|tim mach|dau da day|than yeu",
    "gain": r"lai suat|tien lai|lai (?:cao|khung|hang thang|moi ngay|\d)|\d+ ?% ?(?:/|mot|moi|hang) ?(?:thang|ngay|tuan)|loi nhuan|hoa hong|co tuc|nhan ve"
    r"|cam ket|khong (?:lo|rui ro)|gap doi|\bx2\b|thu nhap",
    "job": r"viec (?:nhe|lam)|luong cao|cong tac vien|\bctv\b|nhiem vu|lam tai nha|online|tuyen (?:dung|ctv|cong tac vien|nhan vien|nguoi)",
    "secret": r"dung (?:bao|noi|ke)|khong (?:noi|bao) (?:voi )?ai|bi mat|giu kin|kin dao",
    "contact": r"zzphone|zalo|ket ban|\binbox\b|\bib\b|nhan tin|lien he|telegram|messenger|goi (?:lai|cho|ngay|so)",
    "emergency": r"cap cuu|tai nan|(?:phai|ca|can) mo\b|phau thuat|nhap vien|hon me|nguy kich|bi thuong|dang o benh vien",
    "new_number": r"doi so|so moi|may hong|hong (?:mic|loa)|khong goi duoc|mat sim|sim moi|tai khoan moi",
    "borrow": r"(?:vay|muon) (?:tien|tam|gap|nong|\d)|cho (?:em|minh|chau|con|to|anh) (?:muon|vay)|tra (?:lai|sau) (?:ngay|cuoi|toi|mai)",
    "benefit": r"hoan tien|tro cap|ho tro|an sinh|giam gia|duoc giam|\bchinh sach\b|tien thuong|nhan tien",
    "warning": r"canh bao|lua dao|mao danh|gia mao|thu doan|can trong|canh giac|chieu tro|khong bao gio|tuyet doi khong|khong (?:yeu cau|thu|gui|goi)",
    "official_way": r"truc tiep|tai tru so|tai tram|tai (?:quay|diem giao dich|bo phan)|\bmien phi\b|khong thu|\b1900\b|so (?:chinh thuc|tong dai)|nha van hoa",
    "story": r"\btoi vua\b|\bme ke\b|co nguoi (?:goi|nhan)|ho bao|hom qua|vua (?:nhan|bi)|nghe noi|ke lai",
    "delivery": r"don hang|buu (?:pham|kien)|giao hang|shipper|kien hang|luu kho|van don|\bship\b|\bcod\b",
    "checkup": r"kham (?:suc khoe|benh|mien phi)|phieu kham|so suc khoe|tram y te|xet nghiem|ket qua kham",
    "greeting_money": r"tien (?:an|hoc|dien|nuoc|phong|quy|ve)|quy lop|chia (?:tien|deu)|moi nguoi (?:gui|gop)",
}
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple((name, re.compile(rx)) for name, rx in _LEXICON.items())


def concept_tokens(folded: str) -> list[str]:
    """Every pair of concepts present in ``folded`` (checker-folded text), as "a+b".

    Pairs only: one concept alone is said by genuine messages too (a hospital names its
    emergency ward, a bank its locked card); the combination is what a scam makes.

    Used as the analyzer of the classifier's third feature block; deterministic and
    a few tens of microseconds per message.
    """
    present = [name for name, rx in _PATTERNS if rx.search(folded)]
    return [f"{a}+{b}" for i, a in enumerate(present) for b in present[i + 1 :]]
