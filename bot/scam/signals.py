"""Rule signals of one message: its links, its phrases, and what they add up to.

``rule_signals`` is the checker's reading of a prepared message (forged codes aside, which
need the official index): every link finding, every phrase rule the message really asks,
the combinations (who asks whom for what), and the damping of a warning's or a question's
leftovers. Each step is a function below; they share a ``Found`` (the strongest signal
per id).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.scam import families, phrases
from bot.scam.prepare import Prepared
from bot.scam.urls import analyse_host, is_official_host, is_safe_host
from bot.scam.verdict import Signal

# Requests that make a self-declared official an impersonator.
_REQUESTS = {
    "otp_request", "otp_enter", "secret_request", "secret_enter", "card_photo", "bank_details", "bank_enter",
    "money_transfer", "fee", "call_back", "vneid_sync", "level2_remote", "data_request", "data_enter", "install_app",
    "apk", "qr", "open_link", "remote_app", "ignore_warning",
}
# Requests no authority makes by message: money, codes, secrets, documents, personal data.
_SENSITIVE = {
    "otp_request", "otp_enter", "secret_request", "secret_enter", "card_photo", "bank_details", "bank_enter",
    "money_transfer", "fee", "data_request", "data_enter", "qr", "remote_app", "apk", "install_app", "ignore_warning",
}
# Pretexts a fake official opens with: an account "error", a threat, a needed "sync".
_PRETEXTS = {"account_problem", "threat", "vneid_sync", "crime_link"}
# A link that is mentioned but not in the text ("cài ứng dụng theo link cán bộ gửi").
_LINK_ELSEWHERE = re.compile(r"\b(?:theo|qua|bam vao|vao) (?:duong )?(?:link|duong dan|lien ket)\b(?! zzlink)")
_ALWAYS_ASKED = {"otp_request", "secret_request"}
_ASKED_BY_NATURE = frozenset({"favour_opener", "home_alone", "new_contact"})
# Steps a link elsewhere would be for ("cập nhật / đồng bộ / cài … qua link").
_LINK_STEPS = {"vneid_sync", "open_link", "install_app", "data_enter", "secret_enter", "otp_enter", "bank_enter"}
# "đừng gọi, tao đang họp": a borrower who cannot be called back.
_NO_CALL = re.compile(r"\b(?:dung goi|khong nghe may|khong nghe duoc|dang hop|khong goi duoc|khong tien nghe|dang ban khong nghe)\b")
_IMPERATIVE = re.compile(r"\b(?:vui long|yeu cau (?:ban|quy khach|ong ba|anh chi|bac|co chu)|de nghi (?:ban|quy khach)|ban can|ban phai|quy khach)\b")
_WARNED_LINK = re.compile(
    r"\b(?:gia mao|(?<!chong )(?<!tranh )(?<!phong )lua dao|mao danh|gia danh|trang gia|web gia|link gia|khong (?:truy cap|bam|nhan|mo|vao|click)|dung (?:truy cap|bam|nhan|mo|vao|click)|"
    r"canh bao|canh giac|khong phai trang|nhai|la gia|deu gia|gia do|gia het)\b"
)
# An account number offered for payment: "STK 9704 2211 3344", "số tài khoản: 0123456789".
ACCOUNT_NUMBER = families.ACCOUNT_NUMBER
_QUEUE_FEE = re.compile(r"\b(?:phi uu tien|phi xep hang|tien xep hang|phi giu (?:cho|suat)|tien giu (?:cho|suat)|dat coc|tien coc|mua phieu|tien phieu|phieu kham)\b")
_CHECKUP = re.compile(r"\bkham\b")
_SHORT_QUESTION_WORDS = 15  # a call transcript opening "…phải không?" is longer
_VICTIM_HOOK = re.compile(r"\b(?:ban|ai|anh chi|quy khach|ba con)(?: da)? bi lua(?: dao)?\b")
# Accounts people are told to "update" through someone's link.
_ACCOUNT_APP = re.compile(r"\b(?:vneid|vssid|bao hiem xa hoi|bhxh|ngan hang|dich vu cong|so suc khoe|dinh danh)\b")
_APP_NAMES = {"vneid": "VNeID", "vssid": "VssID", "bhxh": "BHXH", "bao hiem xa hoi": "BHXH", "ngan hang": "tài khoản ngân hàng"}
# A teacher or a doctor speaking ("tôi là giáo viên chủ nhiệm", "em là bác sĩ trực") about an emergency.
_CARER_CLAIM = re.compile(
    r"\b(?:toi|em|co|chi|minh|day|thay)(?: la| o| ben)? (?:giao vien|co giao|thay giao|co chu nhiem|chu nhiem|hieu truong|bac si|y ta|dieu duong)\b"
    r"|\b(?:giao vien|co giao|bac si)(?: chu nhiem| truc| khoa cap cuu)? (?:day|o day)\b"
)
_EMERGENCY = re.compile(r"\b(?:cap cuu|tai nan|mo gap|phau thuat|hon me|nguy kich|nhap vien|bi nga|te nga|co giat|gay tay|gay chan)\b")
# A way to reach the sender besides a number or a link ("liên hệ fanpage", "inbox Zalo").
_CONTACT_ELSEWHERE = re.compile(r"\b(?:lien he|inbox|ib|nhan tin|ket ban)\b.{0,15}?\b(?:fanpage|page|facebook|zalo|telegram|messenger)\b")
_APK_REASON = "Link tải file .apk — ứng dụng thật chỉ có trên App Store / CH Play."


@dataclass
class Found:
    """The strongest signal per id, and what the steps learnt about the message."""

    signals: dict[str, Signal] = field(default_factory=dict)
    bad_link: bool = False
    official_links: set[str] = field(default_factory=set)
    # A warning, or a short question, with nothing to act on: no unknown link, number or account.
    warning_only: bool = False
    # Everyday money talk (a sale with prices, a relative paying the reader), nothing else asked.
    ordinary: bool = False

    def add(self, sig: Signal) -> None:
        """Keep ``sig`` unless a stronger signal with its id is already there."""
        if sig.id not in self.signals or self.signals[sig.id].weight < sig.weight:
            self.signals[sig.id] = sig

    def evidence(self, ids: set[str]) -> tuple[str, ...]:
        """The evidence of the signals ``ids``, in a stable order."""
        return tuple(e for sid in sorted(ids) for e in (self.signals[sid].evidence if sid in self.signals else ()))


def link_signals(prep: Prepared, extra_domains: frozenset[str], found: Found) -> None:
    """Findings on every link, unless it is quoted as an example of a fake site."""
    # A link quoted inside a warning's example (a resident asking about a quoted link still
    # gets the link's findings: that is what they want to know).
    warning = phrases.warns(prep.folded) and not phrases.is_question(prep.text, prep.folded)
    places = [m.start() for m in re.finditer(r"\bzzlink\b", prep.folded)] if warning else []
    for i, link in enumerate(prep.links):
        clause = prep.clauses[prep.link_clause[i]].folded if i in prep.link_clause else ""
        if _WARNED_LINK.search(clause) and not _IMPERATIVE.search(clause):
            continue  # the link is quoted as an example of a fake site
        if len(places) == len(prep.links) and phrases.quoted_example(prep.folded, places[i]):
            continue  # inside a scam text the message quotes ("CẢNH BÁO: tin nhắn “… bhxh-vn.cc …” là giả")
        if is_official_host(link.host, extra_domains):
            found.official_links.add(link.host)
            if link.is_apk:
                found.add(Signal("apk_link", 0.85, _APK_REASON, (link.raw,)))
                found.bad_link = True
            continue
        findings = analyse_host(link.host, extra_domains)
        if link.is_apk:
            found.add(Signal("apk_link", 0.9, _APK_REASON, (link.raw,)))
            found.bad_link = True
        if findings:
            found.bad_link = True
            strongest = max(findings, key=lambda f: f.weight)
            found.add(Signal(f"link_{strongest.id}", strongest.weight, strongest.reason, (link.raw,)))
            for f in findings:
                if f.id == "cheap_tld" and strongest.id != "cheap_tld":
                    found.add(Signal("link_cheap_tld", f.weight, f.reason, (link.raw,)))
        elif not is_safe_host(link.host):
            found.bad_link = True
            found.add(Signal("unknown_link", 0.15, f"Link “{link.host}” không phải trang chính thức (.gov.vn).", (link.raw,)))
        if not link.has_scheme and not is_safe_host(link.host):
            found.add(Signal("schemeless", 0.1, "Link viết không có http:// để lọt qua bộ lọc.", (link.raw,)))


def odd_phones(prep: Prepared, hotlines: frozenset[str]) -> list[str]:
    """Phone numbers that are neither a known hotline, a landline (02xx: a station, a ward)
    nor a registered service number (1800 / 1900: a bank's, a carrier's switchboard)."""
    return [p for p in prep.phones if p not in hotlines and not p.startswith(("02", "1800", "1900"))]


def phrase_signals(prep: Prepared, hits: list[phrases.PhraseHit], odd: list[str], found: Found) -> bool:
    """Add the phrase rules the message asks; return whether it points somewhere unknown."""
    asked = {h.rule.id for h in hits if h.asked}
    # A QR code from a stranger hides its destination just like an unknown link.
    # ...unless a resident asks what the code is for ("quét mã QR ở trạm y tế để làm gì").
    asking_about = phrases.is_question(prep.text, prep.folded) and bool(phrases.ASKING_ABOUT.search(prep.folded))
    unknown_target = found.bad_link or ("qr" in asked and not asking_about) or bool(_LINK_ELSEWHERE.search(prep.folded))
    contact = bool(odd) or "zalo" in prep.folded
    for hit in hits:
        if not hit.asked:
            continue
        rule = hit.rule
        if rule.needs == "bad_link" and not unknown_target:
            continue
        if rule.needs == "contact" and not contact:
            continue
        found.add(Signal(rule.id, rule.weight, rule.reason, (hit.evidence,)))
    return unknown_target


def combination_signals(prep: Prepared, asked: set[str], odd: list[str], extra_domains: frozenset[str], found: Found) -> None:
    """Who is asking, and for what: impersonation, fees for a free service, accounts to pay."""
    folded = prep.folded
    authority = phrases.mentions_authority(folded)
    claims = phrases.claims_authority(folded)
    requests = asked & _REQUESTS
    of = found.evidence
    add = found.add
    bad_hosts = tuple(link.raw for link in prep.links if not is_official_host(link.host, extra_domains) and not is_safe_host(link.host))
    elsewhere = _LINK_ELSEWHERE.search(folded)
    if authority and found.bad_link and bad_hosts:
        add(Signal("gov_bad_link", 0.6, "Nhân danh cơ quan nhà nước nhưng link không phải tên miền .gov.vn.", (authority, *bad_hosts)))
    elif authority and elsewhere and not phrases.negated(folded, elsewhere.start()) and requests & _LINK_STEPS:
        # "cập nhật VNeID qua link cháu gửi": the link is elsewhere, and it is not a .gov.vn page.
        account = _ACCOUNT_APP.search(folded)
        if account:
            add(Signal("account_via_link", 0.75, f"Bảo cập nhật / đăng nhập {_APP_NAMES.get(account.group(0), 'tài khoản')} qua link người gửi — việc này chỉ làm trong ứng dụng chính thức.", (account.group(0), elsewhere.group(0))))
        else:
            add(Signal("gov_bad_link", 0.5, "Nhân danh cơ quan nhưng bảo làm theo link người gửi — trang thật có tên miền .gov.vn.", (authority, elsewhere.group(0))))
    carer = _CARER_CLAIM.search(folded)
    if carer and asked & {"money_transfer", "fee"} and (emergency := _EMERGENCY.search(folded)):
        add(Signal("emergency_money", 0.8, "Tự xưng thầy cô / bác sĩ báo người nhà cấp cứu rồi đòi chuyển tiền gấp — hãy gọi thẳng nhà trường, bệnh viện.", (carer.group(0), emergency.group(0), *of(asked & {"money_transfer", "fee"}))))
    if "result_upsell" in found.signals and asked & {"money_transfer", "fee"}:
        # A bad result by message, then money to pay: the upsell itself, not just its setting.
        sig = found.signals["result_upsell"]
        add(Signal("result_upsell", 0.8, sig.reason, (*sig.evidence, *of(asked & {"money_transfer", "fee"}))))
    if "money_transfer" in asked and (no_call := _NO_CALL.search(folded)):
        add(Signal("no_call_borrow", 0.5, "Hỏi vay / chuyển tiền gấp mà dặn đừng gọi lại — dấu hiệu tài khoản người quen bị chiếm.", (no_call.group(0), *of({"money_transfer"}))))
    if claims and requests:
        add(Signal("impersonation", 0.5, "Tự xưng cán bộ / cơ quan rồi yêu cầu bạn làm theo — dấu hiệu mạo danh.", (claims, *of(requests))))
    elif claims and asked & _PRETEXTS:
        add(Signal("impersonation", 0.5, "Tự xưng cán bộ / cơ quan để báo lỗi, doạ khoá — dấu hiệu mạo danh.", (claims, *of(asked & _PRETEXTS))))
    elif authority and requests & _SENSITIVE:
        add(Signal("authority_request", 0.45, "Nhân danh cơ quan để đòi tiền, mã hoặc thông tin cá nhân.", (authority, *of(requests & _SENSITIVE))))
    if authority and "call_back" in asked and odd:
        add(Signal("impersonation_call", 0.5, "Nhân danh cơ quan, bảo gọi / kết bạn Zalo số lạ.", (authority, *of({"call_back"}))))
    contact = bool(odd) or "zalo" in folded
    if asked & {"card_photo", "data_request"} and contact:
        add(Signal("docs_to_chat", 0.35, "Bảo gửi giấy tờ, thông tin cá nhân qua Zalo / tin nhắn.", of(asked & {"card_photo", "data_request"})))
    # Paying to jump the queue or keep a place is paying for the free check-up too.
    free = phrases.mentions_free_service(folded)
    queue = _QUEUE_FEE.search(folded) if free is None and _CHECKUP.search(folded) else None
    free = free or (queue.group(0) if queue else None)
    if asked & {"fee", "money_transfer"} and free and not families.pays_reader(folded):
        add(Signal("fee_for_free", 0.5, "Đòi tiền cho dịch vụ miễn phí (khám sức khỏe, VNeID, sổ sức khỏe).", (free, *of(asked & {"fee", "money_transfer"}))))
    # An account number to pay into adds up only with another sign: neighbours share
    # theirs to collect a fund every day.
    others = set(found.signals) - {"money_transfer", "fee", "bank_details", "urgency"}
    account = ACCOUNT_NUMBER.search(prep.text)
    if asked & {"money_transfer", "fee", "bank_details"} and others and account:
        add(Signal("account_number", 0.4, "Kèm số tài khoản để chuyển tiền.", (account.group(0),)))


def damp_framed(prep: Prepared, hits: list[phrases.PhraseHit], actionable: bool, fake: bool, found: Found) -> None:
    """A warning, or a resident's own question, with nothing to act on (no unknown link, no
    number to call, no account to pay): what is left are mentions, not requests."""
    question = phrases.is_question(prep.text, prep.folded)
    # ("đừng gọi, tao đang họp" is the borrower dodging a call, not advice.)
    framed = phrases.warning_markers(_NO_CALL.sub(" ", prep.folded)) >= 1 or question
    # A request for a code or a password that survived the negation and description
    # checks is a real request, whatever the framing ("để chống lừa đảo, hãy đọc OTP").
    # ...unless a request is put straight to the reader ("…lừa đảo 300 triệu, anh phải gửi tiền").
    addressed = any(h.asked and h.addressed and h.rule.id in found.signals for h in hits)
    # A scam that itself speaks of scams ("lấy lại tiền bị lừa", "tài khoản an toàn") is no warning.
    own_talk = any(h.asked and h.rule.framed_ok for h in hits)
    reachable = actionable or bool(_CONTACT_ELSEWHERE.search(prep.folded))
    # ("Ai bị lừa…", "Bạn bị lừa tiền?" is a recovery scam's hook, not a warning.)
    warned = phrases.warns(_VICTIM_HOOK.sub(" ", prep.folded))
    # A resident's short question ("kết quả khám có gửi qua Zalo không") is read the same way.
    short_question = question and len(prep.folded.split()) <= _SHORT_QUESTION_WORDS
    framed_only = (warned and not question) or short_question
    found.warning_only = framed_only and not reachable and not fake and not addressed and not own_talk
    if framed and not actionable and not fake and not addressed:
        found.signals = {
            # (A favour opener or a home-alone check is a question by nature: "đang rảnh không?".)
            k: sig if (k in _ALWAYS_ASKED and not question) or k in _ASKED_BY_NATURE else Signal(sig.id, round(sig.weight * 0.3, 3), sig.reason, sig.evidence)
            for k, sig in found.signals.items()
        }


def rule_signals(prep: Prepared, extra_domains: frozenset[str], hotlines: frozenset[str], found: Found, fake: bool) -> None:
    """Every rule step on ``prep``, into ``found`` (which may already hold code signals)."""
    link_signals(prep, extra_domains, found)
    hits = phrases.scan(prep.clauses)
    odd = odd_phones(prep, hotlines)
    unknown_target = phrase_signals(prep, hits, odd, found)
    asked = {h.rule.id for h in hits if h.asked and h.rule.id in found.signals}
    combination_signals(prep, asked, odd, extra_domains, found)
    families.family_signals(prep, odd, found.signals)
    if families.ordinary_money(prep.text, prep.folded, found.signals):
        found.signals = families.damp_ordinary(found.signals)
        found.ordinary = True
    actionable = unknown_target or bool(odd) or bool(ACCOUNT_NUMBER.search(prep.text))
    damp_framed(prep, hits, actionable, fake, found)
