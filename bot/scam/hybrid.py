"""The hybrid verdict: rule signals + the text classifier → one calibrated score → a verdict.

``features`` turns a message's rule signals and the classifier's probability into the
combiner's input row; ``train`` fits both models on the corpus; ``decide`` gives the
verdict. A strong, specific request (a code, a password, an APK, a fee for a free
service…) that survived the negation/warning reading is a scam whatever the score.
Thresholds were chosen on the dev sets (see docs/scam.md, ``python3 bench/scam_calibrate.py``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.scam import phrases, reasons
from bot.scam.model import ScamModel, TextClassifier, fit_combiner, logit, out_of_fold, training_docs
from bot.scam.prepare import Prepared, prepare
from bot.scam.urls import is_official_host, is_safe_host
from bot.scam.verdict import Signal, Verdict
from bot.text import fold

if TYPE_CHECKING:
    from bot.scam.corpus import Sample

#: Calibrated P(scam) at or above which the verdict is ``scam`` / ``suspicious``.
SCAM_P = 0.8
SUSPICIOUS_P = 0.5
#: A request this strong, not damped as a mention, makes the message a scam on its own.
STRONG_AT = 0.75
#: Below this weight a rule signal is a damped mention (a warning's or a question's).
WARNING_LEFTOVER = 0.3
#: The classifier's own reason is shown from this probability on.
CLASSIFIER_REASON_P = 0.6
STRONG = frozenset(
    {
        "otp_request", "secret_request", "otp_enter", "secret_enter", "apk", "apk_link", "remote_app", "fee_for_free",
        "ignore_warning", "level2_remote", "safe_account", "mistransfer", "task_scam", "recovery", "fake_code", "code_other_text",
        "link_official_inside", "link_lookalike", "link_homoglyph", "link_brand_in_host", "bank_details", "bank_enter",
        "account_via_link", "result_upsell", "emergency_money", "secret_urgent", "mdm_profile", "fixer", "cutoff_pay", "cod_prepay", "fixed_return",
    }
)
# A fee for a free service is specific even though its noisy-OR weight is moderate.
_STRONG_ANY_WEIGHT = frozenset({"fee_for_free"})
# Signals that make a message at least ``suspicious`` whatever the score.
_AT_LEAST_SUSPICIOUS = frozenset({"favour_opener", "home_alone", "new_contact"})
_LINK_IDS = re.compile(r"^(?:link_|unknown_link$|apk_link$|schemeless$)")

# What each scam kind of the corpus looks like, for the classifier's reason.
KIND_TEXT: dict[str, str] = {
    "police_sync": "giả công an gọi / nhắn “đồng bộ dữ liệu”",
    "level2_support": "“hỗ trợ làm định danh mức 2 online”",
    "code_request": "xin mã xác nhận / dãy số gửi về máy",
    "apk_install": "dụ cài ứng dụng ngoài kho chính thức",
    "lookalike_link": "link giả trang cơ quan nhà nước",
    "qr_code": "bảo quét mã QR để đóng tiền / đăng nhập",
    "fee_free_service": "thu tiền, đặt cọc cho dịch vụ miễn phí",
    "bhxh_bhyt": "giả BHXH / BHYT hoàn tiền, báo thẻ bị dùng trái phép",
    "fake_test_result": "báo kết quả khám xấu rồi bán thuốc, gói khám",
    "prize": "báo trúng thưởng, nhận quà phải đóng phí",
    "investment": "mời đầu tư lãi cao, cam kết không lỗ",
    "wrong_transfer": "“chuyển nhầm tiền” rồi đòi chuyển lại",
    "ward_officer_zalo": "giả cán bộ phường trong nhóm Zalo",
    "fake_health_app": "ứng dụng sổ sức khỏe giả",
    "delivery_fee": "đòi phí giao hàng, phí lưu kho",
    "hacked_borrow": "tài khoản người quen bị chiếm, hỏi vay tiền gấp",
    "miracle_cure": "quảng cáo thuốc “chữa khỏi hoàn toàn”",
    "charity_child": "kêu gọi ủng hộ vào tài khoản cá nhân",
    "fake_emergency": "giả giáo viên / bác sĩ báo người thân cấp cứu",
    "traffic_fine": "giả CSGT đòi nộp phạt nguội qua link",
    "tax_power_refund": "giả điện lực / thuế hoàn tiền, doạ cắt điện",
    "social_allowance": "mời nhận trợ cấp, hỗ trợ qua mạng",
    "vneid_address": "bảo “cập nhật VNeID để xem địa chỉ sau sáp nhập”",
    "carrier_prize": "giả nhà mạng / sàn thương mại tặng quà",
    "easy_money_job": "“việc nhẹ lương cao”, làm nhiệm vụ phải nạp tiền",
    "mdm_profile": "bảo cài / “tin cậy” hồ sơ cấu hình trên iPhone",
    "fixer": "“có người quen trong cơ quan, làm nhanh”",
    "family_impersonation": "giả người thân đổi số, đổi tài khoản rồi nhờ chuyển tiền",
    "data_harvest": "xin số căn cước, số thẻ, tài khoản “để đăng ký”",
}

# The rule signals that name a scam kind themselves (the classifier's reason would repeat them).
_KIND_SIGNALS: dict[str, frozenset[str]] = {
    "fake_emergency": frozenset({"emergency_money", "secret_urgent"}),
    "delivery_fee": frozenset({"cod_prepay"}),
    "tax_power_refund": frozenset({"cutoff_pay"}),
    "fake_test_result": frozenset({"result_upsell", "secret_urgent"}),
    "hacked_borrow": frozenset({"no_call_borrow", "favour_opener"}),
    "code_request": frozenset({"otp_request"}),
    "apk_install": frozenset({"apk", "apk_link", "ignore_warning"}),
    "fee_free_service": frozenset({"fee_for_free"}),
    "wrong_transfer": frozenset({"mistransfer"}),
    "easy_money_job": frozenset({"task_scam"}),
    "vneid_address": frozenset({"account_via_link"}),
    "level2_support": frozenset({"level2_remote"}),
    "recovery_scam": frozenset({"recovery"}),
    "police_sync": frozenset({"vneid_sync", "home_alone"}),
    "ward_officer_zalo": frozenset({"new_contact"}),
    "mdm_profile": frozenset({"mdm_profile"}),
    "fixer": frozenset({"fixer"}),
    "investment": frozenset({"fixed_return"}),
    "miracle_cure": frozenset({"cure_claim", "slim_claim"}),
}


def rule_score(signals: list[Signal]) -> float:
    """Noisy-OR of the signal weights."""
    remain = 1.0
    for s in signals:
        remain *= 1.0 - s.weight
    return 1.0 - remain


def strong_request(signals: list[Signal]) -> Signal | None:
    """The strongest specific request left undamped, if any."""
    best = None
    for s in signals:
        strong = s.id in STRONG and (s.weight >= STRONG_AT or (s.id in _STRONG_ANY_WEIGHT and s.weight >= 0.45))
        if strong and (best is None or s.weight > best.weight):
            best = s
    return best


def features(prep: Prepared, signals: list[Signal], clf_p: float) -> list[float]:
    """The combiner's row: [classifier log-odds, rule score, strongest specific signal,
    strongest link signal, warning framing, question, only known links]."""
    strong = max((s.weight for s in signals if s.id in STRONG), default=0.0)
    link = max((s.weight for s in signals if _LINK_IDS.match(s.id)), default=0.0)
    warn = min(phrases.warning_markers(prep.folded), 3) / 3
    question = float(phrases.is_question(prep.text, prep.folded))
    # Every link goes to a government or well-known site (news, app stores).
    known = float(bool(prep.links) and all(is_official_host(k.host) or is_safe_host(k.host) for k in prep.links))
    return [logit(clf_p), rule_score(signals), strong, link, warn, question, known]


def train(samples: list[Sample]) -> ScamModel:
    """Fit the classifier on the corpus and the combiner on out-of-fold scores."""
    from bot.scam.checker import Checker
    from bot.scam.corpus import corpus_hash

    rules = Checker()
    preps = [prepare(s.text) for s in samples]
    docs, labels, kinds, origin = training_docs(samples, lambda t: prepare(t).folded, [p.folded for p in preps])
    text = TextClassifier(docs, labels, kinds)
    oof = out_of_fold(text, samples, docs, labels, origin)
    rows = [features(p, rules.rule_signals(p), q) for p, q in zip(preps, oof, strict=True)]
    weights = text.weights[::2] if text.weights is not None else None  # the originals' rows (same wording weights)
    combiner = fit_combiner(rows, [int(s.is_scam) for s in samples], weights)
    text.train_matrix = None  # not needed to predict; keeps the cached model small
    return ScamModel(text=text, combiner=combiner, corpus=corpus_hash(samples), n_samples=len(samples))


def _original_words(prep: Prepared, term: str) -> str | None:
    """``term`` (folded words) as the resident wrote it, or None if it cannot be found."""
    raw = [w.strip(".,;:!?()[]\"“”'‘’…") for w in prep.text.split()]
    folded = [fold(w.lower()) for w in raw]
    want = [w.rstrip("z") if w.endswith(("nhanz", "dongz", "dungz", "docz", "choz", "chiz", "duaz")) else w for w in term.split()]
    for i in range(len(folded) - len(want) + 1):
        if folded[i : i + len(want)] == want:
            return " ".join(raw[i : i + len(want)])
    return None


def _classifier_signal(prep: Prepared, clf_p: float, kind: str | None, terms: list[str]) -> Signal | None:
    """The classifier's reason: which known scam kind the wording is like, quoting the telling words."""
    found = [(t, _original_words(prep, t)) for t in terms if t in prep.folded]
    shown = [(t, w) for t, w in found if w][:2]
    if clf_p < CLASSIFIER_REASON_P or not shown:
        return None
    like = KIND_TEXT.get(kind or "")
    # A kind without a description reads "like scams seen before", never "like the scam kind <blank>".
    what = f"kiểu lừa đảo {like}" if like else "các tin lừa đảo đã gặp"
    quoted = ", ".join(f"“{w}”" for _, w in shown)
    return Signal("classifier", round(clf_p, 3), f"Cách viết giống {what} ({quoted}).", tuple(t for t, _ in shown))


_MOBILE = re.compile(r"^0[35789]\d{8}$")


def _only_known_places(prep: Prepared) -> bool:
    """Links, all to government or well-known sites, and no mobile number to call."""
    known = all(is_official_host(k.host) or is_safe_host(k.host) for k in prep.links)
    return bool(prep.links) and known and not any(_MOBILE.match(p) for p in prep.phones)


def decide(prep: Prepared, signals: list[Signal], model: ScamModel, *, warning_only: bool = False) -> Verdict:
    """The verdict for a message from its rule signals and the trained model.

    ``warning_only``: the rules read the text as a warning with nothing to act on.
    """
    clf_p, row = model.text.score(prep.folded)
    p = model.combiner.prob(features(prep, signals, clf_p))
    strong = strong_request(signals)
    nothing_asked = max((s.weight for s in signals), default=0.0) < WARNING_LEFTOVER
    if strong is None and nothing_asked and (warning_only or _only_known_places(prep)):
        # A warning (or a short question) with nothing to act on, whose every request was read
        # as a mention, or a message pointing only to official sites and newspapers and asking
        # nothing: its wording (a warning quotes scam text on purpose) is not a sign on its own.
        p = min(p, SUSPICIOUS_P - 0.01)
    if any(s.id in _AT_LEAST_SUSPICIOUS and s.weight >= SUSPICIOUS_P for s in signals):
        p = max(p, SUSPICIOUS_P)  # an opener that asks nothing yet, but is how hijacked accounts start
    if strong is not None or p >= SCAM_P:
        verdict = "scam"
        score = max(p, rule_score(signals)) if strong is not None else p
    elif p >= SUSPICIOUS_P:
        verdict, score = "suspicious", p
    else:
        verdict, score = "clean", p
    shown = list(signals)
    extra = None
    if verdict != "clean" and clf_p >= CLASSIFIER_REASON_P:
        _, kind, terms = model.text.explain(prep.folded, top=6, row=row)  # only for flagged messages
        # A rule that already names this kind says it better than "written like…".
        if not {s.id for s in signals if s.weight >= STRONG_AT - 0.3} & _KIND_SIGNALS.get(kind or "", frozenset()):
            extra = _classifier_signal(prep, clf_p, kind, terms)
    if extra is not None:
        shown.append(extra)
    picked = reasons.pick(shown)
    if verdict == "scam" and not picked:
        # Nothing to point at in the message: say only that it reads like known scams.
        verdict = "suspicious"
    if verdict == "clean":
        text = ["Không thấy dấu hiệu lừa đảo rõ ràng."] + [s.reason for s in picked[:2] if s.weight >= 0.3]
    else:
        text = [s.reason for s in picked]
        if not text:
            text = ["Cách viết giống các tin lừa đảo Loa đã biết; hãy hỏi lại qua số điện thoại chính thức."]
    ordered = sorted(shown, key=lambda s: -s.weight)
    return Verdict(verdict, round(float(score), 3), text, signals=ordered, shown=picked if verdict != "clean" else [])
