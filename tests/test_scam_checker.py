"""The scam checker: targets on the labelled dev set, hosts, phrases with negation, codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.scam import Checker
from bot.scam.evaluate import evaluate, load
from bot.scam.urls import analyse_host, extract_links

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker(hotlines=["1900 9095", "1900 0368", "1900 9068", "115", "113", "156", "5656"])


def test_dev_set_meets_the_targets(checker: Checker) -> None:
    items = load(DATA / "scam_dev.jsonl")
    assert len(items) >= 200
    scams = [i for i in items if i.label == "scam"]
    assert len(scams) >= 100 and len(items) - len(scams) >= 100
    assert len({i.kind for i in scams}) >= 12
    report = evaluate(checker, items)
    assert report.recall >= 0.95, [i.text for i, _ in report.misses]
    assert report.fp_rate <= 0.03, [i.text for i, _ in report.false_positives]
    assert report.n_hard >= 40
    assert report.hard_fp_rate <= 0.02, [i.text for i, _ in report.false_positives]


def test_holdout_set_keeps_a_floor(checker: Checker) -> None:
    """The holdout's honest figures are its first runs (docs/scam.md); this is a regression floor."""
    path = DATA / "scam_holdout.jsonl"
    report = evaluate(checker, load(path))
    assert report.n_scam + report.n_benign >= 150
    assert report.recall >= 0.9
    assert report.fp_rate <= 0.05


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("bấm vneid-gov.com/dongbo", "brand_in_host"),
        ("https://vneid.gov.vn.app-update.top/x", "official_inside"),
        ("http://vneіd.gov.vn/login", "homoglyph"),  # Cyrillic і
        ("https://xn--vneid-8ve.com", "homoglyph"),
        ("vào baohiemxahoi.gov.vm nhé", "lookalike"),
        ("http://vneid.govvn.com/capnhat", "brand_in_host"),
        ("rb.gy/vneid2", "shortener"),
        ("http://103.45.67.89/vneid.apk", "ip_host"),
    ],
)
def test_suspicious_hosts(text: str, finding: str) -> None:
    links = extract_links(text)
    assert links, text
    ids = {f.id for f in analyse_host(links[0].host)}
    assert finding in ids, (text, ids)


@pytest.mark.parametrize(
    "text", ["https://vneid.gov.vn", "dichvucong.gov.vn", "https://soyte.haiphong.gov.vn/x", "tinnhiemmang.vn", "https://vnexpress.net/a.html"]
)
def test_official_and_safe_hosts_have_no_findings(text: str) -> None:
    links = extract_links(text)
    assert links and analyse_host(links[0].host) == ()


def test_numbers_and_dates_are_not_links() -> None:
    assert extract_links("ngày 06.5.2026 giá 1.500.000đ v.v. và 3.5 triệu") == []


def test_scheme_less_links_are_found_and_marked() -> None:
    (link,) = extract_links("vào vneid-hotro.com để được hỗ trợ")
    assert not link.has_scheme and link.host == "vneid-hotro.com"


def test_extra_official_domains_from_configuration() -> None:
    c = Checker(official_domains=["haiphong.vn"])
    assert c.check("Lịch khám xem tại https://haiphong.vn/lich-kham").verdict == "clean"


def test_negation_and_warning_framing(checker: Checker) -> None:
    assert checker.check("Cho em xin mã OTP vừa gửi về máy chị nhé").flagged
    assert not checker.check("Không cung cấp mã OTP cho bất kỳ ai, kể cả người xưng là công an.").flagged
    assert not checker.check("Các đối tượng mạo danh BHXH yêu cầu người dân đọc mã OTP.").flagged
    assert not checker.check("Nếu ai gọi xin mã OTP, hãy cúp máy.").flagged


def test_warning_that_quotes_a_fake_site_is_not_flagged(checker: Checker) -> None:
    v = checker.check("Trang vneid-gov.com là giả mạo, không truy cập. Trang thật là vneid.gov.vn.")
    assert v.verdict == "clean"


def test_no_need_to_go_in_person_is_not_a_negation(checker: Checker) -> None:
    v = checker.check("Không cần đến công an, chỉ cần bấm link vneid-hotro.top để nâng cấp mức 2 online")
    assert v.verdict == "scam"


def test_official_notice_with_gov_link_is_clean(checker: Checker) -> None:
    v = checker.check("Khám miễn phí tại trạm y tế phường ngày 15/12, mang căn cước. Chi tiết: https://dichvucong.gov.vn")
    assert v.verdict == "clean" and v.score < 0.2


def test_fake_code_is_a_scam(checker: Checker) -> None:
    v = checker.check("Tin chính thức. Mã xác thực: HP-ZZ12AB. Đóng phí giữ chỗ 50k.")
    assert v.verdict == "scam" and v.fake_code and any("Mã xác thực giả" in r for r in v.reasons)


def test_verdict_json_shape(checker: Checker) -> None:
    out = checker.check("bấm bit.ly/abc nhận quà").to_json()
    assert set(out) == {"verdict", "score", "reasons"}
    assert out["verdict"] in ("official", "scam", "suspicious", "clean")
    assert isinstance(out["score"], float) and 0 <= out["score"] <= 1
    assert all(isinstance(r, str) and r for r in out["reasons"])


@pytest.mark.parametrize("text", ["", "   ", "😀😀", "a" * 5000, "\x00\u200b", "http://", "....", "0" * 40])
def test_odd_input_never_raises(checker: Checker, text: str) -> None:
    v = checker.check(text)
    assert v.verdict in ("scam", "suspicious", "clean")


def test_the_campaigns_own_messages_are_never_flagged(checker: Checker) -> None:
    """Every campaign message and scam warning in messages/ (rendered) is a hard negative."""
    from bot.broadcast import library
    from bot.broadcast.messages import render, template_variables
    from bot.config import Settings

    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    values = {**template_variables(settings), "commune": "phường Lê Chân", "dates": "ngày 05/12"}
    files = library.library_files(settings.content_dir)
    assert files, "the message library is empty"
    for path in files:
        item = library.parse_file(path)
        text = render(item.body, {**values, **item.vars})
        verdict = checker.check(text)
        assert not verdict.flagged, (path.name, verdict.reasons)


def test_any_text_gets_a_well_formed_verdict() -> None:
    """Property: whatever the input, a verdict in the fixed set, a score in [0, 1], reasons."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    c = Checker()
    alphabet = st.sampled_from(list("abcdđơưáàảãạ .,:/-?!0123456789\n\"'“”") + ["http://", ".gov.vn", ".com", "OTP", "HP-", "zalo"])

    @settings(max_examples=300, deadline=None)
    @given(st.lists(alphabet, max_size=80).map("".join))
    def check(text: str) -> None:
        v = c.check(text)
        assert v.verdict in ("official", "scam", "suspicious", "clean")
        assert 0.0 <= v.score <= 1.0 and v.reasons
        for link in extract_links(text):
            analyse_host(link.host)

    check()


# Residents' own questions and stories, typed without diacritics or "?": never "suspicious".
RESIDENT_QUESTIONS = [
    "the bhyt het han co duoc kham mien phi khong",
    "Thẻ BHYT hết hạn có được khám miễn phí không",
    "co can nop phi dang ky truoc khong",
    "tai khoan dinh danh het han thi co sao khong",
    "cho hoi kham co phai dong tien khong",
    "co phai chuyen khoan tien xet nghiem ko",
    "tai khoan vneid bi khoa thi lam sao",
    "the bhyt het han roi muon gia han thi lam the nao",
    "nguoi ta goi bao toi nop phi kham 200k co dung khong",
    "the bhyt bi loi thi sao",
    "toi da dong bo muc 2 roi",
    "minh vua cai app vneid tren ch play roi",
    "cho hoi ma otp la gi",
    "quet ma qr o tram y te de lam gi",
    "toi can nang cap muc 2 thi ra dau",
]


@pytest.mark.parametrize("text", RESIDENT_QUESTIONS)
def test_residents_questions_are_not_flagged(checker: Checker, text: str) -> None:
    v = checker.check(text)
    assert not v.flagged, v.reasons


def test_yes_no_questions_without_question_mark() -> None:
    from bot.scam.phrases import is_question
    from bot.scam.prepare import prepare

    for text in ("co duoc kham mien phi khong", "kham xong co ket qua chua", "the bhyt het han thi sao", "cho em hoi lich kham"):
        assert is_question(text, prepare(text).folded), text
    for text in ("Tài khoản của bạn sẽ bị khóa trong 24h", "Không đọc mã OTP cho bất kỳ ai."):
        assert not is_question(text, prepare(text).folded), text


def test_expiry_is_urgent_only_with_a_deadline(checker: Checker) -> None:
    assert "urgency" not in {s.id for s in checker.check("thẻ BHYT của tôi hết hạn tháng trước").signals}
    assert "urgency" in {s.id for s in checker.check("Tài khoản định danh của bạn sắp hết hạn, gia hạn ngay").signals}


def test_a_notice_word_does_not_make_a_fee_demand_a_warning(checker: Checker) -> None:
    # "Lưu ý" opens real notices and scams alike; it is no sign of a warning.
    v = checker.check("Lưu ý: nộp phí hồ sơ 200.000đ qua chuyển khoản trước khi đến khám sức khỏe miễn phí.")
    assert v.flagged and {"fee", "money_transfer"} <= {s.id for s in v.signals}
    assert not checker.check("Lưu ý: khám hoàn toàn miễn phí, không ai được thu phí đăng ký.").flagged


def test_asking_the_value_of_a_code_just_sent_is_an_otp_request(checker: Checker) -> None:
    # Put as a question, and after "cho em hỏi" (which otherwise opens a resident's question).
    v = checker.check("Cho em hỏi mã OTP vừa gửi về máy bác là số mấy để em cập nhật sổ sức khỏe ạ?")
    assert v.verdict == "scam" and "otp_request" in {s.id for s in v.signals}


def test_a_qr_code_offered_is_still_a_sign(checker: Checker) -> None:
    assert checker.check("Bác quét mã QR này để nhận quà tri ân của BHXH nhé").verdict == "scam"
    # "Chúng tôi đã nâng cấp…" is the sender speaking, not a resident's own story.
    v = checker.check("Chúng tôi đã nâng cấp hệ thống, quý khách vui lòng đồng bộ lại tài khoản định danh trong hôm nay")
    assert "vneid_sync" in {s.id for s in v.signals}


def test_the_points_of_a_listed_warning_are_not_requests(checker: Checker) -> None:
    """A leaflet listing the signs as points is a warning; a recovery scam's steps still ask for the code."""
    leaflet = checker.check(
        "Thủ đoạn mới của kẻ gian:\n- Gọi xưng cán bộ y tế phường\n- Bảo tải tệp sosuckhoe.apk để nhận kết quả\n"
        "- Bảo đọc mã xác nhận gửi về máy\nBà con cảnh giác, báo Công an phường."
    )
    assert not leaflet.flagged, leaflet.reasons
    steps = checker.check("Bạn bị lừa mất tiền? Các bước lấy lại: 1) gửi sao kê; 2) đọc mã OTP cho chuyên viên; 3) chuyển phí 500k.")
    assert steps.verdict == "scam", steps.reasons


def test_a_clean_warning_lists_what_it_only_mentions() -> None:
    """A warning that describes a scam is clean; the signals it only mentions are labelled as
    mentions, so "no clear sign" is never followed by what reads as an accusation."""
    from bot.config import Settings
    from bot.scam.context import build_checker
    from bot.scam.replies import verdict_text

    # (A negated list — "không bao giờ yêu cầu cung cấp mã OTP, mật khẩu hay cài ứng dụng" — now
    # leaves nothing to mention; a described scam does.)
    warning = "Công an phường cảnh báo: kẻ gian gọi điện bảo người dân chuyển tiền vào tài khoản an toàn. Không bấm vào link lạ."
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    verdict = build_checker(settings, rumours=False).check(warning)
    assert verdict.verdict == "clean"
    text = verdict_text(verdict, settings)
    mentioned = verdict.reasons[1:3]
    assert mentioned, "the warning's damped signals are still shown"
    head, _, rest = text.partition("Tin có nhắc tới:\n")
    assert "chưa thấy dấu hiệu lừa đảo" in head and rest
    for reason in mentioned:
        assert f"• {reason}" in rest and reason not in head


def test_a_reason_for_an_undescribed_kind_reads_as_a_sentence() -> None:
    from bot.scam.hybrid import _classifier_signal
    from bot.scam.prepare import prepare

    prep = prepare("Thông báo tài khoản của bạn bị khóa do chưa cập nhật")
    signal = _classifier_signal(prep, 0.9, "a_kind_without_text", ["bi khoa"])
    assert signal is not None
    assert signal.reason == "Cách viết giống các tin lừa đảo đã gặp (“bị khóa”)."


# Our own sentences (not corpus lines): a negated request whose objects run past a comma.
NEGATED_SERIES = [
    "Phòng khám phường không thu tiền khám, tiền giữ số hay phí làm hồ sơ nào trong đợt này.",
    "Bưu điện không bao giờ nhắn tin bắt bà con đọc mật khẩu, mã OTP hoặc chuyển tiền phí giao hàng.",
    "Ban quản lý chợ KHÔNG yêu cầu tiểu thương cài ứng dụng lạ, cung cấp mã OTP hay chuyển khoản.",
]


@pytest.mark.parametrize("text", NEGATED_SERIES)
def test_a_negated_series_after_a_comma_is_no_request(checker: Checker, text: str) -> None:
    assert checker.check(text).verdict == "clean", checker.check(text).signals


@pytest.mark.parametrize(
    "text",
    [
        "Đừng lo, đọc mã OTP hay chuyển tiền cho em là xong.",
        "Không phải lo gì cả, anh gửi em mã OTP hay mật khẩu là được.",
        "Ai hỏi thì bác cứ đọc mã OTP cho cháu nhé.",
    ],
)
def test_a_request_after_a_reassurance_or_a_then_is_still_asked(checker: Checker, text: str) -> None:
    assert checker.check(text).verdict == "scam", checker.check(text).signals


@pytest.mark.parametrize(
    "text",
    [
        "Mẹ tôi dặn cả nhà: ai gọi điện xin mấy số trong tin nhắn thì cúp máy, báo cho con cái.",
        "Nghe bà con bàn ở chợ, ai đòi đóng tiền giữ chỗ khám miễn phí là lừa đảo cả đấy.",
    ],
)
def test_a_whoever_asks_case_is_no_request(checker: Checker, text: str) -> None:
    assert checker.check(text).verdict == "clean", checker.check(text).signals


def test_a_bank_switchboard_number_is_not_a_stranger(checker: Checker) -> None:
    text = "Ngân hàng X: thẻ của quý khách vừa bị tạm khóa do nhập sai PIN 3 lần. Cần hỗ trợ gọi 1800 1234."
    ids = {s.id for s in checker.check(text).signals}
    assert "impersonation_call" not in ids and checker.check(text).verdict == "clean"
    stranger = "Ngân hàng X: thẻ của quý khách bị khóa, gọi ngay 0912 345 678 để mở lại."
    assert "impersonation_call" in {s.id for s in checker.check(stranger).signals}


def test_a_link_quoted_in_a_warning_is_an_example(checker: Checker) -> None:
    warning = 'CẢNH BÁO: bà con nhận tin "Điện lực hoàn tiền, truy cập hoantien-evn.top để nhận" là giả mạo, xóa ngay.'
    assert checker.check(warning).verdict == "clean", checker.check(warning).signals
    scam = "Điện lực hoàn tiền cho khách hàng, truy cập hoantien-evn.top để nhận trong hôm nay."
    assert checker.check(scam).flagged


@pytest.mark.parametrize(
    "text",
    [
        "Hôm qua có người bảo phải nộp phí mới được khám sức khỏe miễn phí, tôi hỏi cán bộ phường thì mới biết là lừa.",
        "Ai nói không đi khám sức khỏe định kỳ sẽ bị phạt tiền thì đừng tin, bà con cứ yên tâm.",
    ],
)
def test_a_rumour_the_writer_already_calls_false_is_not_suspicious(text: str) -> None:
    """Telling a rumour in order to deny it ("đừng tin", "biết là lừa") is not spreading it."""
    from bot.config import Settings
    from bot.scam.context import build_checker

    checker = build_checker(Settings(_env_file=None), rumours=True)  # type: ignore[call-arg]
    assert checker.check(text).verdict == "clean"
    claim = "Không đi khám sức khỏe định kỳ sẽ bị phạt 2 triệu đồng, mọi người nhớ đi khám nhé."
    assert checker.check(claim).verdict == "suspicious"  # the rumour itself still is
