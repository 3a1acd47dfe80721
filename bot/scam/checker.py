"""The scam checker: signals from links and phrases → a score → a verdict with reasons.

Verdicts: ``official`` (a copy of one of our broadcasts, or its genuine code), ``scam``,
``suspicious`` and ``clean``. Signal weights are combined as independent evidence
(noisy-OR: ``1 - Π(1 - w)``), so two weak signs make a stronger one and no sum exceeds 1.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.scam import hybrid, phrases, reasons
from bot.scam.official import OfficialIndex, OfficialMatch, SentLike, changed_clauses, normalize_code
from bot.scam.prepare import (
    DEFAULT_CODE_RE,
    Prepared,
    body_tokens,
    content_words,
    digits,
    is_footer,
    prepare,
    sub_message,
)
from bot.scam.signals import Found, rule_signals
from bot.scam.urls import is_official_host
from bot.scam.verdict import GROUP_CONFIDENCE, VERDICTS, RumourLookup, Signal, Verdict

__all__ = ["Checker", "Signal", "Verdict", "GROUP_CONFIDENCE", "VERDICTS", "RumourLookup"]

if TYPE_CHECKING:
    from bot.scam.model import ScamModel

SCAM_AT = 0.8
SUSPICIOUS_AT = 0.45
QUOTE_CHARS = 120
# Words besides a genuine code that still only present or ask about it (see _asks_about_code).
_CODE_LABEL_WORDS = 3
_CODE_QUESTION_WORDS = 20  # how much of a genuine broadcast is quoted when its code is misused

# What words added to a broadcast may not ask for, grouped as the reason names them.
_DEMAND_LABELS = (
    ("tiền", {"money_transfer", "fee", "bank_details", "bank_enter", "account_number", "fee_for_free", "safe_account", "task_scam"}),
    ("mã OTP / mật khẩu", {"otp_request", "otp_enter", "secret_request", "secret_enter"}),
    ("giấy tờ / thông tin cá nhân", {"card_photo", "data_request", "data_enter", "docs_to_chat"}),
    ("cài ứng dụng / quét mã QR", {"apk", "install_app", "remote_app", "qr"}),
    ("gọi / kết bạn Zalo số lạ", {"call_back", "impersonation_call"}),
    ("đồng bộ / nâng cấp tài khoản", {"vneid_sync", "level2_remote"}),
)
_DOCTORED_DEMANDS = frozenset().union(*(ids for _, ids in _DEMAND_LABELS))
# Signals below this were damped as a question or a warning's mention ("có phải nộp phí không?").
_UNDAMPED = 0.3
_ADDED_CLAIM = 0.4
# "không bị phạt", "chẳng ai bị khóa": the threat rule ignores negation (see phrases.threat).
_DENIED_THREAT = re.compile(r"\b(?:khong|chang|cung khong|khong ai|chang ai) (?:\w+ ){0,2}?bi (?:phat|khoa|cat|xu ly|thu hoi|huy)\b")

# A text that denies a rumour ("không có chuyện…", "là sai sự thật") is its rebuttal, not the rumour.
_DENIES = re.compile(
    r"\b(?:khong co chuyen|sai su that|khang dinh|bac bo|khong he|khong bat buoc|van con gia tri|khong co (?:bat ky|khoan|loai|goi|quy dinh)|"
    # "… thì đừng tin", "hỏi ra mới biết là lừa": the writer already calls the claim false.
    r"dung (?:tin|nghe theo)|(?:biet|chinh|deu|do) la (?:lua|gia|tin gia|tin don)|khong dung su that)\b"
)

# A notice sending people to an office in person is the official way, not the rumour it resembles.
_IN_PERSON = re.compile(r"\b(?:truc tiep tai|tai tru so|den tru so|ra tru so|tai cua hang|tai diem giao dich|tai bo phan mot cua)\b")


class Checker:
    """Checks messages. Pure: everything it knows comes in through the constructor."""

    def __init__(
        self,
        *,
        official_domains: Iterable[str] = (),
        sent: Sequence[SentLike] = (),
        code_re: re.Pattern[str] | None = None,
        code_prefix: str = "HP",
        code_lookup: Callable[[str], SentLike | None] | None = None,
        code_is_genuine: Callable[[str], bool] | None = None,
        rumours: RumourLookup | None = None,
        hotlines: Iterable[str] = (),
        timezone: str = "Asia/Ho_Chi_Minh",
        model: ScamModel | None = None,
    ) -> None:
        self.extra_domains = frozenset(d.strip().lower().removeprefix("www.") for d in official_domains if d.strip())
        self.code_re = code_re or DEFAULT_CODE_RE
        self.index = OfficialIndex(sent, self.code_re)
        self.code_prefix = code_prefix.upper()
        self.code_lookup = code_lookup
        self.code_is_genuine = code_is_genuine
        self.rumours = rumours
        self.hotlines = frozenset(digits(h) for h in hotlines if digits(h))
        self.tz = ZoneInfo(timezone)
        self._originals: dict[str, Prepared] = {}
        self.model = model

    # --- public -----------------------------------------------------------------------------
    def check(self, text: str) -> Verdict:
        """Check one message and return the verdict with its reasons (Vietnamese)."""
        prep = prepare(text or "", self.code_re)
        question = phrases.is_question(prep.text, prep.folded)
        official = self._official(prep)
        if official is not None:
            return official
        found, fake = self._found(prep)
        signals, official_links = list(found.signals.values()), found.official_links
        if self.model is not None:
            verdict = hybrid.decide(prep, signals, self.model, warning_only=found.warning_only or found.ordinary)
        else:
            verdict = self._decide(signals)
        if verdict.verdict == "clean" and official_links and len(official_links) == len(prep.links):
            verdict.reasons.append(f"Chỉ có link chính thức: {', '.join(sorted(official_links))}.")
        verdict.is_question = question
        if fake:
            verdict.fake_code = True
            verdict.code = fake
        self._rumour(prep, verdict, question)
        return verdict

    # --- official match and codes --------------------------------------------------------------
    def _date(self, when: datetime) -> str:
        return when.astimezone(self.tz).strftime("%d/%m/%Y")

    def _official_verdict(self, sent: SentLike, match: OfficialMatch | None, how: str) -> Verdict:
        reason = f"Đây là tin chính thức {how}: gửi ngày {self._date(sent.sent_at)}, mã {sent.code}"
        if sent.issuer:
            reason += f", do {sent.issuer} phát hành"
        score = 1.0 if match is None else round(min(1.0, (match.containment + match.coverage) / 2), 3)
        return Verdict("official", score, [reason + "."], match=match, sent=sent, code=sent.code)

    def _lookup_code(self, code: str) -> SentLike | None:
        sent = self.index.by_code(code)
        if sent is None and self.code_lookup is not None:
            sent = self.code_lookup(code)
        return sent

    def _claims_code(self, prep: Prepared, code: str) -> bool:
        """Is ``code`` presented as a verification code (our prefix, or labelled so)?"""
        if normalize_code(code).split("-")[0] == self.code_prefix:
            return True
        return bool(re.search(r"\bma (?:xac thuc|xac minh|kiem tra|chinh thuc)\b", prep.folded))

    def _official(self, prep: Prepared) -> Verdict | None:
        toks = body_tokens(prep)
        match = self.index.match_tokens(toks)
        if match is not None:
            doctored = self._doctored(prep, match.sent, match)
            if doctored is not None:
                return doctored
            if self._altered(prep, match):
                return None  # a broadcast with a link or number slipped in: judged by the rules
            return self._official_verdict(match.sent, match, "Loa đã gửi")
        for code in prep.codes:
            sent = self._lookup_code(code)
            if sent is None:
                continue
            if self.index.similarity(toks, sent) >= 0.5:  # an excerpt of the broadcast
                return self._doctored(prep, sent, None) or self._official_verdict(sent, None, "(mã xác thực đúng)")
            if self._asks_about_code(prep):
                return self._official_verdict(sent, None, "(mã xác thực đúng)")
            # A genuine code under another text vouches for nothing: the rules judge the
            # text, and the code's signal says whose code it is ("thuộc một tin khác").
            return None
        return None

    def _quote(self, sent: SentLike) -> str:
        """The genuine broadcast a code belongs to, quoted short: "Tin thật (20/11/2026): “…”"."""
        body = " ".join(sent.text.split())
        if len(body) > QUOTE_CHARS:
            body = body[:QUOTE_CHARS].rsplit(" ", 1)[0] + "…"
        return f"Tin thật mang mã này (gửi ngày {self._date(sent.sent_at)}): “{body}”"

    def _asks_about_code(self, prep: Prepared) -> bool:
        """Is the text besides the code nothing, a label, or a question with no scam sign?

        "HP-…", "Mã xác thực của tin: HP-…" and "Mã HP-… này có thật không?" ask about the
        code; "Mã xác thực: HP-…. Chuyển 500.000đ…" and "HP-… chuyển khoản 300k phí hồ sơ"
        borrow it, and so does any other sentence ("Lịch khám đổi sang thứ 7").
        """
        body = sub_message(prep, [i for i, c in enumerate(prep.clauses) if not is_footer(c)])
        words = content_words(body.folded)
        if not words:
            return True
        if len(words) > (_CODE_QUESTION_WORDS if phrases.is_question(body.text, body.folded) else _CODE_LABEL_WORDS):
            return False
        signals, _, _ = self._signals(body)
        return self._decide(signals).verdict == "clean"

    def _original(self, sent: SentLike) -> Prepared:
        """The broadcast's text, prepared once (cached per code)."""
        key = normalize_code(sent.code)
        original = self._originals.get(key)
        if original is None:
            original = self._originals[key] = prepare(sent.text, self.code_re)
        return original

    def _doctored(self, prep: Prepared, sent: SentLike, match: OfficialMatch | None) -> Verdict | None:
        """A copy of ``sent`` whose added or changed sentences ask for money, a code, data…

        Only the sentences that differ from the broadcast are judged, with the same rules,
        and only for signs the broadcast itself does not carry. Requests (money, OTP,
        documents, an app) make it a scam; other signs (threats, urgency) make it suspicious.
        """
        original = self._original(sent)
        changed, counterpart = changed_clauses(prep, original)
        if not changed:
            return None
        added = sub_message(prep, changed)
        signals, _, _ = self._signals(added)
        before, _, _ = self._signals(sub_message(original, counterpart)) if counterpart else ([], None, set())
        original_ids = {s.id for s in before}
        new = [s for s in signals if s.id not in original_ids and s.weight >= 0.1]
        demands = [s for s in new if s.id in _DOCTORED_DEMANDS and s.weight >= _UNDAMPED]
        score = self._decide(new).score
        # Short of a request, a threat or a prize added to a broadcast is a false claim in
        # its name ("ai không đi khám sẽ bị phạt"); a nudge ("đi sớm nhé") is not.
        claims = [s for s in new if s.weight >= _ADDED_CLAIM and not _DENIED_THREAT.search(added.folded)]
        if not demands and not claims and score < SUSPICIOUS_AT:
            return None
        score = max(score, SUSPICIOUS_AT)
        asked = [label for label, ids in _DEMAND_LABELS if any(s.id in ids for s in demands)]
        if asked:
            reasons = [f"Tin chính thức đã bị sửa: phần thêm vào đòi {' / '.join(asked)}."]
        else:
            reasons = ["Tin chính thức đã bị sửa: phần thêm vào không có trong tin gốc."]
        reasons += [s.reason for s in sorted(new, key=lambda s: -s.weight)][:2]
        reasons.append(f"Tin gốc (gửi ngày {self._date(sent.sent_at)}, mã {sent.code}) không có {'yêu cầu' if asked else 'nội dung'} này.")
        if demands:
            remain = 1.0
            for s in demands:
                remain *= 1.0 - s.weight
            # A broadcast rewritten to ask for money is a scam by design: at least SCAM_AT.
            return Verdict("scam", round(1.0 - (1.0 - SCAM_AT) * remain, 3), reasons, signals=new, match=match)
        return Verdict("suspicious", score, reasons, signals=new, match=match)

    def _altered(self, prep: Prepared, match: OfficialMatch) -> bool:
        """A copy of a broadcast with a non-official link or a phone number added."""
        original = self._original(match.sent)
        hosts = {link.host for link in original.links}
        for link in prep.links:
            if link.host not in hosts and not is_official_host(link.host, self.extra_domains):
                return True
        phones = set(original.phones) | self.hotlines
        return any(p not in phones for p in prep.phones)

    # --- rules ------------------------------------------------------------------------------
    def rule_signals(self, prep: Prepared) -> list[Signal]:
        """The rule signals of a prepared message (no official match, no model)."""
        return self._signals(prep)[0]

    def _signals(self, prep: Prepared) -> tuple[list[Signal], str | None, set[str]]:
        """Signals, the forged code (if any) and the official hosts linked to."""
        found, fake = self._found(prep)
        return list(found.signals.values()), fake, found.official_links

    def _found(self, prep: Prepared) -> tuple[Found, str | None]:
        """Every rule step's findings, and the forged code (if any)."""
        found = Found()
        fake = self._code_signals(prep, found)
        rule_signals(prep, self.extra_domains, self.hotlines, found, fake is not None)
        return found, fake

    def _code_signals(self, prep: Prepared, found: Found) -> str | None:
        """A verification code that we never issued is forged; one of ours on another text is borrowed."""
        fake: str | None = None
        for code in prep.codes:
            if not self._claims_code(prep, code):
                continue
            owner = self._lookup_code(code)
            if owner is not None:
                found.add(Signal("code_other_text", 0.85, f"Mã xác thực {code} thuộc một tin khác, bị gắn vào nội dung này. {self._quote(owner)}", (code,)))
                continue
            if self.code_is_genuine is not None and self.code_is_genuine(code):
                continue
            fake = code
            found.add(Signal("fake_code", 0.95, f"Mã xác thực giả: {code} không phải mã Loa đã cấp.", (code,)))
        return fake

    def _decide(self, signals: list[Signal]) -> Verdict:
        remain = 1.0
        for s in signals:
            remain *= 1.0 - s.weight
        score = round(1.0 - remain, 3)
        ordered = sorted(signals, key=lambda s: -s.weight)
        if score >= SCAM_AT:
            verdict = "scam"
        elif score >= SUSPICIOUS_AT:
            verdict = "suspicious"
        else:
            verdict = "clean"
        picked = reasons.pick(ordered)
        if verdict == "clean":
            return Verdict(verdict, score, ["Không thấy dấu hiệu lừa đảo rõ ràng."] + [s.reason for s in picked[:2]], signals=ordered)
        return Verdict(verdict, score, [s.reason for s in picked], signals=ordered, shown=picked)

    def _rumour(self, prep: Prepared, verdict: Verdict, question: bool) -> None:
        if self.rumours is None:
            return
        hit = self.rumours(prep.text, prep.folded)
        if hit is None:
            return
        topic, score, answer = hit
        verdict.rumour_topic = topic
        verdict.rumour_answer = answer
        if (phrases.warning_markers(prep.folded) or _DENIES.search(prep.folded) or _IN_PERSON.search(prep.folded)) and not question:
            # A warning quoting the rumour in order to deny it needs no rebuttal.
            verdict.rumour_topic = verdict.rumour_answer = None
            return
        if not question and verdict.verdict == "clean" and score >= 0.6:
            verdict.verdict = "suspicious"
            verdict.score = max(verdict.score, SUSPICIOUS_AT)
            verdict.reasons = ["Nội dung giống một tin đồn sai đã được cơ quan chức năng bác bỏ."]
