"""The hybrid scam check: corpus, classifier + combiner, reasons that are true of the message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.errors import DataFileError
from bot.scam import Checker, hybrid, reasons
from bot.scam.concepts import concept_tokens
from bot.scam.context import scam_model
from bot.scam.corpus import CORPUS_DIR, Sample, augment, author_of, corpus_hash, load_corpus
from bot.scam.model import ScamModel, load_model, wording_weights
from bot.scam.prepare import prepare
from bot.text import fold

ROOT = Path(__file__).resolve().parent.parent
# Every scam dev set (new ones join by their name), and the old holdout; never tests/data/heldout*/.
DEV_FILES = tuple(
    sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests/data").glob("scam_dev*.jsonl")) + ["tests/data/scam_holdout.jsonl"]
)


@pytest.fixture(scope="module")
def checker() -> Checker:
    model = scam_model()
    assert model is not None
    return Checker(model=model)


def _dev_rows() -> list[dict]:
    rows = []
    for name in DEV_FILES:
        rows += [json.loads(line) for line in (ROOT / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows


def test_corpus_has_the_kinds_and_sizes_the_check_needs() -> None:
    samples = load_corpus()
    scams = [s for s in samples if s.is_scam]
    benign = [s for s in samples if not s.is_scam]
    assert len(scams) >= 600 and len(benign) >= 600
    assert len({s.kind for s in scams}) >= 15
    # No dev message is in the training corpus.
    corpus = {s.text for s in samples}
    assert not corpus & {r["text"] for r in _dev_rows()}


def test_a_bad_corpus_line_names_its_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text(
        '{"text": "Chào Loa", "label": "benign", "kind": "chat"}\n{"text": "x", "label": "maybe"}\n', encoding="utf-8"
    )
    with pytest.raises(DataFileError, match=r"a\.jsonl:2"):
        load_corpus(tmp_path)
    with pytest.raises(DataFileError, match="no \\*.jsonl"):
        load_corpus(tmp_path / "empty")


def test_augmentation_is_deterministic_and_drops_diacritics_or_abbreviates() -> None:
    text = "Bác đọc giúp cháu mã xác nhận vừa gửi về máy không ạ"
    assert augment(text, 7) == augment(text, 7)
    variants = {augment(text, seed) for seed in range(10)}
    assert any(v == fold(v) for v in variants)  # some without diacritics
    assert len(variants) > 3


def test_training_is_deterministic_and_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A small corpus keeps this quick: every 6th sample of each file.
    small = tmp_path / "corpus"
    small.mkdir()
    for path in sorted(CORPUS_DIR.glob("*.jsonl")):
        lines = path.read_text(encoding="utf-8").splitlines()[::6]
        (small / path.name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    samples = load_corpus(small)
    first, second = hybrid.train(samples), hybrid.train(samples)
    probe = prepare("Bác đọc giúp cháu 6 số vừa nhận được nhé").folded
    assert first.text.prob(probe) == second.text.prob(probe)
    assert first.combiner.prob([1.0, 0.5, 0.8, 0.0, 0.0, 0.0, 0.0]) == second.combiner.prob([1.0, 0.5, 0.8, 0.0, 0.0, 0.0, 0.0])
    monkeypatch.setenv("LOA_CACHE_DIR", str(tmp_path / "cache"))
    calls: list[int] = []

    def trainer(s: list) -> ScamModel:
        calls.append(len(s))
        return first

    assert load_model(trainer, small) is first
    assert list((tmp_path / "cache").glob(f"scam-model-{corpus_hash(samples)}-*.pkl"))
    assert load_model(trainer, small) is first and calls == [len(samples)]  # trained once


@pytest.mark.parametrize(
    "text",
    [
        "Em vừa gửi nhầm mã về máy chị, chị đọc giúp em 6 số vừa nhận được nhé.",
        "Bác đọc cho cháu dãy số trong tin nhắn vừa gửi để cháu kích hoạt khám miễn phí.",
        "Anh cung cấp passcode VNeID cho cán bộ để xác minh hồ sơ.",
        "Cháu gửi file cài đặt Sổ sức khỏe qua Zalo, bác cài vào, nếu máy cảnh báo cứ bấm tiếp tục nhé.",
        "Để giữ chỗ khám sức khỏe miễn phí, bác đặt cọc 100k qua ví MoMo số 0987 654 321.",
        "Muốn khám trước không xếp hàng thì đóng phí ưu tiên 200k cho em.",
    ],
)
def test_a_strong_specific_request_is_a_scam_not_just_suspicious(checker: Checker, text: str) -> None:
    assert checker.check(text).verdict == "scam"


@pytest.mark.parametrize(
    "text",
    [
        "Công an phường không yêu cầu cung cấp thông tin qua điện thoại. Không bao giờ cung cấp mật khẩu, OTP cho ai.",
        "Ngân hàng không bao giờ gửi link qua tin nhắn hay yêu cầu khách hàng cung cấp mã OTP.",
        "Tôi đã đồng bộ mức 2 ở công an phường hôm qua, không mất đồng nào.",
        "Trạm Y tế phường Lê Chân thông báo khám sức khỏe miễn phí sáng thứ Bảy 13/12 tại nhà văn hóa tổ 5. Điện thoại trạm: 0225 3822 114.",
        "Viettel thông báo: quý khách vui lòng mang căn cước đến cửa hàng Viettel gần nhất để chuẩn hóa thông tin thuê bao, miễn phí.",
        "Cho tôi hỏi mã OTP là gì, sao ngân hàng cứ gửi về máy tôi?",
    ],
)
def test_warnings_notices_and_residents_are_not_flagged(checker: Checker, text: str) -> None:
    assert checker.check(text).verdict == "clean"


def test_meaning_fixes_sync_is_not_a_fee_and_support_is_not_a_prize(checker: Checker) -> None:
    sync = checker.check("Công an phường gọi bảo bác đồng bộ dữ liệu định danh qua vneid-dongbo.com trong hôm nay.")
    assert sync.flagged
    assert not {s.id for s in sync.signals} & {"fee", "money_transfer", "fee_for_free"}
    support = checker.check("Bà con nhận hỗ trợ gạo tại nhà văn hóa khu 3 sáng mai.")
    assert "prize" not in {s.id for s in support.signals}


def test_every_reason_shown_is_true_of_its_message(checker: Checker) -> None:
    """On the dev sets: ≤ 3 reasons, one per family, each backed by evidence found in the message."""
    checked = 0
    for row in _dev_rows():
        verdict = checker.check(row["text"])
        if not verdict.flagged:
            continue
        checked += 1
        assert 1 <= len(verdict.reasons) <= reasons.MAX_REASONS, row["text"]
        families = [reasons.family(s.id) for s in verdict.shown]
        assert len(families) == len(set(families)), (row["text"], families)
        prep = prepare(row["text"])
        seen_in = (prep.folded, row["text"].lower(), fold(row["text"].lower()))
        for sig in verdict.shown:
            assert sig.evidence, (sig.id, row["text"])
            for ev in sig.evidence:
                assert any(ev.lower() in hay for hay in seen_in), (sig.id, ev, row["text"])
    assert checked > 500


def test_two_not_gov_reasons_never_show_together(checker: Checker) -> None:
    verdict = checker.check("Bộ Công an: đồng bộ VNeID tại vneid-gov.com.top ngay hôm nay kẻo bị khóa.")
    not_gov = [s for s in verdict.shown if reasons.family(s.id) == "not_gov"]
    assert len(not_gov) == 1 and len(verdict.reasons) <= 3


# --- issue 14: wordings seen in real quoted texts (none of these sentences is in the corpus) -----
CODE_WORDINGS = [
    "Chú ơi tin nhắn vừa về máy chú có mấy con số, chú đọc lần lượt cho cháu để cháu hoàn tất hồ sơ khám.",
    "Chi nhan lai nguyen tin nhan ngan hang vua gui cho so 0912 443 776 giup em de em huy giao dich nhe",
    "Dạ bác chụp màn hình tin nhắn có dãy số đó gửi qua Zalo cho con là xong thủ tục ạ.",
    "Để xác nhận lịch khám, ông bà soạn tin trả lời kèm 6 số trong tin nhắn trước.",
    "Em gửi anh cái passcode VNeID của anh cho em nhé, em cập nhật hồ sơ hộ.",
    # the value of the reader's own PIN, a "mật mã", a "mã xác minh" sent back
    "Chị ơi mã PIN thẻ ATM của chị là bao nhiêu, em cần để làm thẻ mới cho chị tại nhà.",
    "[Cuộc gọi] Bà đọc giúp con mật mã mở khóa app ngân hàng, con kiểm tra xem có bị kẻ gian xâm nhập không.",
    "Mình vừa gửi mã xác minh tài khoản đến bạn, bạn gửi lại cho mình để xác nhận bạn là người thật nha.",
    # "nhắn riêng" / "inbox" is how group posts ask for it
    "Bác nào chưa có lịch khám thì nhắn riêng mã OTP vừa nhận cho cháu, cháu xếp lịch giúp.",
    "ai cần hỗ trợ kích hoạt thì inbox mã xác nhận cho ad nhé",
]
APP_WORDINGS = [
    "Con gửi bố file Y tế điện tử qua Zalo, bố bấm cài, máy hỏi gì bố cứ chọn tiếp tục nhé.",
    "Tải file đính kèm để cập nhật ứng dụng BHXH, điện thoại báo không an toàn thì chọn vẫn cài đặt.",
    "Cô mở tệp em gửi ra cài, nếu máy chặn thì vào cài đặt bật cho phép cài đặt từ nguồn này.",
]
FEE_WORDINGS = [
    "Suất khám miễn phí có hạn, bà con cọc 50k qua ví ZaloPay để giữ chỗ nhé.",
    "Phiếu khám sức khỏe miễn phí bán tại nhà em 30k một phiếu, chuyển qua MoMo là có.",
    "Ai muốn khám sớm khỏi chờ thì nộp 100k phí xếp hàng cho chị tổ phó.",
]


@pytest.mark.parametrize("text", CODE_WORDINGS)
def test_a_code_never_called_otp_is_a_code_request(checker: Checker, text: str) -> None:
    verdict = checker.check(text)
    assert verdict.verdict == "scam", verdict.reasons
    assert reasons.family(verdict.shown[0].id) in {"code", "secret"}, verdict.reasons


@pytest.mark.parametrize("text", APP_WORDINGS)
def test_an_app_sent_as_a_file_is_a_scam(checker: Checker, text: str) -> None:
    verdict = checker.check(text)
    assert verdict.verdict == "scam", verdict.reasons
    assert {s.id for s in verdict.shown} & {"apk", "ignore_warning"}, verdict.reasons


@pytest.mark.parametrize("text", FEE_WORDINGS)
def test_money_for_the_free_check_up_is_a_scam(checker: Checker, text: str) -> None:
    verdict = checker.check(text)
    assert verdict.verdict == "scam", verdict.reasons
    assert verdict.shown[0].id == "fee_for_free", verdict.reasons


@pytest.mark.parametrize(
    "text",
    [
        "BHXH Việt Nam: hệ thống gặp sự cố, người tham gia đăng nhập lại tài khoản qua bhxh-suco.online để không mất quyền lợi.",
        "Bộ Y tế: người đi khám sức khỏe được phụ cấp 400.000đ, đăng ký nhận online tại boyte-phucap.net.",
        "Cô ơi sau sáp nhập địa chỉ cô đổi rồi, cô cập nhật VNeID qua link con gửi thì mới xem được địa chỉ mới.",
        "Mày ơi chuyển tao mượn 4 triệu vào số tài khoản này, tối tao trả, đừng gọi tao đang họp.",
        "Thuốc gia truyền chữa dứt điểm tiểu đường sau 1 liệu trình, thay thuốc tây, gọi 0978 221 554 để đặt.",
        "Kết quả xét nghiệm của chú có chỉ số ung thư cao, chú cần mua gói thuốc 3 triệu, chuyển khoản qua 0934 118 227.",
    ],
)
def test_everyday_scam_families_are_called_scams(checker: Checker, text: str) -> None:
    verdict = checker.check(text)
    assert verdict.verdict == "scam", verdict.reasons
    assert 1 <= len(verdict.reasons) <= reasons.MAX_REASONS


@pytest.mark.parametrize(
    "text",
    [
        "BHXH khuyến cáo: BHXH không gọi điện, nhắn tin yêu cầu người dân cung cấp mã OTP hay đăng nhập qua đường link.",
        "Ngân hàng không bao giờ gửi đường link hay file cài đặt qua tin nhắn. Quý khách chỉ cài ứng dụng từ App Store, CH Play.",
        "Công an phường không gọi điện yêu cầu cung cấp thông tin cá nhân, dãy số trong tin nhắn hay ảnh căn cước.",
        "Tuyệt đối không đọc mã xác nhận, passcode hay mấy số gửi về máy cho bất kỳ ai, kể cả người xưng cán bộ.",
        "Cảnh báo thủ đoạn gửi file cài ứng dụng qua Zalo rồi dặn máy cảnh báo cứ bấm tiếp tục. Người dân không cài.",
        "Trạm y tế nhắc: khám miễn phí, không cần đặt cọc hay mua phiếu. Có gì gọi trạm 0225 3841 552.",
        "Khám sức khỏe miễn phí, không phải mua phiếu hay đóng tiền gì cả.",
        "VinaPhone thông báo: thuê bao của quý khách cần chuẩn hóa thông tin, vui lòng mang căn cước đến cửa hàng VinaPhone gần nhất.",
        "Cách tra cứu phạt nguội: vào csgt.vn, nhập biển số và mã bảo mật hiện trên màn hình.",
        "Đổi mật khẩu VNeID: vào mục Cá nhân, chọn Đổi mật khẩu, nhập mật khẩu cũ rồi mật khẩu mới.",
        # "không cần" reaches two words: nothing to pay
        "Khám sức khỏe miễn phí: người dân mang căn cước, thẻ BHYT nếu có. Không cần chuyển khoản đặt cọc.",
        "Con ơi mật khẩu wifi nhà mình là gì nhỉ, mẹ quên mất rồi.",
    ],
)
def test_warnings_and_notices_that_list_scam_signs_stay_clean(checker: Checker, text: str) -> None:
    verdict = checker.check(text)
    assert verdict.verdict == "clean", verdict.reasons


def test_a_health_station_landline_alone_is_not_suspicious(checker: Checker) -> None:
    text = "Trạm y tế phường nhắc bác Tư sáng thứ Năm đến trạm tái khám huyết áp, cần gì bác gọi 0236 3822 417."
    verdict = checker.check(text)
    assert verdict.verdict == "clean" and "call_back" not in {s.id for s in verdict.signals}
    mobile = checker.check("Bác sĩ trạm y tế đây, kết quả của bác bất thường, bác gọi ngay 0936 118 442 để được tư vấn thuốc.")
    assert mobile.flagged  # the same message with a stranger's mobile number is not


def test_the_most_specific_reason_comes_first(checker: Checker) -> None:
    verdict = checker.check("Công an phường: gấp trong 24h, bác đọc cho cháu 6 số vừa nhận để đồng bộ định danh, không thì bị khóa.")
    assert verdict.verdict == "scam"
    assert verdict.shown[0].id == "otp_request"
    ranks = [reasons.rank(s.id) for s in verdict.shown]
    assert ranks == sorted(ranks) and len(verdict.reasons) <= 3


def test_the_real_style_dev_set_meets_the_issue_targets(checker: Checker) -> None:
    """tests/data/scam_dev_real.jsonl (dev, tuned on): the issue's targets, as a regression floor."""
    from bot.scam.evaluate import evaluate, load

    report = evaluate(checker, load(ROOT / "tests/data/scam_dev_real.jsonl"))
    assert report.n_scam >= 100 and report.n_benign >= 80 and report.n_hard >= 50
    assert report.recall >= 0.97, [i.text for i, _ in report.misses]
    assert report.clear_rate >= 0.9
    assert report.fp_rate <= 0.02 and report.hard_fp_rate <= 0.02, [i.text for i, _ in report.false_positives]


def test_a_teacher_emergency_is_named_once_not_twice(checker: Checker) -> None:
    """The specific rule names the kind; the classifier's "written like…" would say it again."""
    verdict = checker.check(
        "Chào chị, em là cô giáo chủ nhiệm của bé Su, bé bị ngã đang cấp cứu, chị chuyển gấp 12 triệu qua số tài khoản em gửi để bác sĩ mổ."
    )
    assert verdict.verdict == "scam"
    assert verdict.shown[0].id == "emergency_money"
    assert "classifier" not in {s.id for s in verdict.shown}
    # A parent's own message about a hospital stay asks nothing of the kind.
    family = checker.check("Mẹ ơi bố nhập viện rồi, con chuyển 5 triệu tiền viện phí vào tài khoản mẹ nhé, mẹ kiểm tra giúp con.")
    assert "emergency_money" not in {s.id for s in family.signals}


@pytest.mark.parametrize(
    "text",
    [
        "Đọc thêm: https://vnexpress.net/nhieu-nguoi-mat-tien-vi-cai-app-gia-vneid-4801",
        "Lịch khám của phường đây mọi người: https://haiphong.gov.vn/lich-kham-suc-khoe-2026",
        "ket qua kham co gui qua zalo khong",
    ],
)
def test_nothing_asked_and_nowhere_unknown_to_go_is_not_flagged(checker: Checker, text: str) -> None:
    """A link only to newspapers / .gov.vn, or a short question, with no request left: clean."""
    assert checker.check(text).verdict == "clean"


def test_a_long_call_transcript_opening_with_a_question_is_still_read(checker: Checker) -> None:
    verdict = checker.check(
        "Alo anh Minh phải không? Tôi là cán bộ công an quận, anh có liên quan đường dây rửa tiền, "
        "anh không được nói với ai, chuyển toàn bộ tiền sang tài khoản tạm giữ để chúng tôi xác minh."
    )
    assert verdict.verdict == "scam"


@pytest.mark.parametrize(
    "text",
    [
        "Bánh bao nhân thịt 15k/cái, nhận đặt trước cho tiệc, cọc 30% giữ đơn, giao tận nơi trong phường.",
        "Lớp đàn piano cho bé, học phí 900k/tháng, chuyển khoản trước 50% để giữ chỗ, học thử miễn phí 1 buổi.",
        "Cửa hàng giày Thanh Hà: quét mã QR ở quầy nhận voucher 30k, giảm giá 20% toàn bộ dép, giao hàng COD.",
    ],
)
def test_a_shop_ad_with_prices_and_a_deposit_stays_clean(checker: Checker, text: str) -> None:
    """Ordinary commerce (prices, deposits for goods ordered, delivery, vouchers) is not a fee for a free service."""
    verdict = checker.check(text)
    assert verdict.verdict == "clean", verdict.reasons
    assert "fee_for_free" not in {s.id for s in verdict.signals}


@pytest.mark.parametrize(
    "text",
    [
        "Không có cơ quan nào yêu cầu bà con đọc lại mã xác nhận gửi về điện thoại, ai hỏi thì cúp máy.",
        "Cán bộ thật chẳng bao giờ xin mấy con số trong tin nhắn của cô chú đâu, cứ từ chối nhé.",
    ],
)
def test_a_warning_quoting_a_code_request_stays_clean(checker: Checker, text: str) -> None:
    verdict = checker.check(text)
    assert verdict.verdict == "clean", verdict.reasons


def test_a_relative_paying_the_reader_back_is_not_a_demand(checker: Checker) -> None:
    verdict = checker.check("Dượng ơi dượng nhắn con số tài khoản, con chuyển trả tiền dượng cho mượn mua xe hôm tết.")
    assert verdict.verdict == "clean", verdict.reasons
    # ...but a "relative" who needs the reader to pay into an account is still read.
    borrow = checker.check("Dượng ơi con cần gấp 4 triệu, dượng chuyển vào stk 1903 4455 6677 giúp con, mai con gửi lại.")
    assert borrow.flagged


def test_a_teacher_emergency_with_secrecy_is_flagged_before_money_is_asked(checker: Checker) -> None:
    verdict = checker.check(
        "Anh ơi em là cô dạy văn lớp con anh, cháu bị bạn đánh ngất trong giờ ra chơi, anh gọi em ngay số 0931 442 706, đừng gọi cho nhà trường kẻo lộ."
    )
    assert verdict.verdict == "scam", verdict.reasons
    assert verdict.shown[0].id == "secret_urgent"
    # The school's own notice with its landline asks no secrecy.
    notice = checker.check("Nhà trường báo: học sinh lớp 5A bị ngã nhẹ đã được sơ cứu, phụ huynh cần gì gọi văn phòng 0236 3822 115.")
    assert notice.verdict == "clean", notice.reasons


@pytest.mark.parametrize(
    "text",
    [
        "Để app hoàn tiền khám bệnh chạy trên iPhone, chú vào Cài đặt chung, mục quản lý thiết bị, bấm tin cậy hồ sơ của công ty là xong.",
        "Cài hồ sơ cấu hình em gửi rồi bấm tin cậy chứng chỉ thì mới nhận được tiền hỗ trợ nha chị.",
    ],
)
def test_an_iphone_profile_install_is_a_scam(checker: Checker, text: str) -> None:
    verdict = checker.check(text)
    assert verdict.verdict == "scam", verdict.reasons
    assert "mdm_profile" in {s.id for s in verdict.shown}


def test_the_families_dev_set_meets_the_issue_targets(checker: Checker) -> None:
    """tests/data/scam_dev_families.jsonl (dev, tuned on): the families a held-out run missed or over-flagged."""
    from bot.scam.evaluate import evaluate, load

    report = evaluate(checker, load(ROOT / "tests/data/scam_dev_families.jsonl"))
    assert report.n_scam >= 100 and report.n_benign >= 100
    assert report.recall >= 0.97, [i.text for i, _ in report.misses]
    assert report.clear_rate >= 0.9
    assert report.fp_rate <= 0.02 and report.hard_fp_rate <= 0.02, [i.text for i, _ in report.false_positives]


# --- generalisation: concept pairs, one weight per wording, authors ------------------------------
def test_concept_pairs_name_what_is_said_whatever_the_words() -> None:
    """Two wordings of "an authority wants the code" share their concept pair; a folded short
    word that means something else ("đa khoa", "cản lại", "ngày") starts no concept."""
    a = concept_tokens(prepare("Cán bộ công an cần bác đọc lại mã xác nhận vừa nhận").folded)
    b = concept_tokens(prepare("Nhân viên ngân hàng nhờ chị nhập mã OTP vào đây").folded)
    assert "code+give" in a and "code+give" in b
    assert {t for t in a if "authority" in t} & {t for t in b if "authority" in t}
    genuine = concept_tokens(prepare("Bệnh viện đa khoa nghỉ khám ngày lễ, cấp cứu vẫn trực, may con gái cản lại.").folded)
    assert not [t for t in genuine if "threat" in t or "gain" in t or "urgent" in t], genuine


def test_repeated_wordings_share_one_weight_and_classes_keep_theirs() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = ["chuyen tien gap cho em"] * 4 + ["doc ma otp cho anh", "lich kham suc khoe sang mai", "hop to dan pho toi nay"]
    labels = [1, 1, 1, 1, 1, 0, 0]
    weights = wording_weights(TfidfVectorizer().fit_transform(docs), labels)
    assert weights is not None
    assert weights[0] == weights[3] < weights[4]  # four copies of one sentence share one wording's weight
    assert abs(weights[:5].sum() - 5) < 1e-9 and abs(weights[5:].sum() - 2) < 1e-9


def test_a_corpus_file_suffix_names_its_author() -> None:
    assert author_of(Sample("x", "scam", "k", "code_request_b.jsonl:3")) == "b"
    assert author_of(Sample("x", "benign", "k", "chit_chat.jsonl:1")) == "plain"
    assert author_of(Sample("x", "benign", "k", "shop_ad_g.jsonl:9")) == "g"


@pytest.mark.parametrize(
    "text",
    [
        "Cong an: Anh/chi co 1 buu pham chua ma tuy gui tu nuoc ngoai mang ten anh/chi. Goi lai ngay 0912 xxx 331, khong duoc bao cho nguoi than.",
        "Thông báo từ đoàn khám: kết quả của bà có khối u, mời bà đến phòng khám đối tác, đi một mình để được tư vấn kín, gọi 0936 118 442.",
    ],
)
def test_a_parcel_with_drugs_or_a_private_consultation_alone_is_flagged(checker: Checker, text: str) -> None:
    """Crime bait and cutting the reader off from family are signs before any money is asked."""
    assert checker.check(text).flagged


@pytest.mark.parametrize(
    "text",
    [
        "Bà ơi cháu là công an xã, bà ở nhà một mình à? Thế con cháu bà đi làm đến mấy giờ mới về hả bà?",
        "e chao bac, e la cs khu vuc, bac o nha 1 minh ha bac? chieu e ghe qua lam ho so cho bac",
    ],
)
def test_an_officer_asking_if_the_reader_is_home_alone_is_flagged(checker: Checker, text: str) -> None:
    verdict = checker.check(text)
    assert verdict.flagged and "home_alone" in {s.id for s in verdict.shown}, verdict.reasons


@pytest.mark.parametrize(
    "text",
    [
        "Trạm y tế: chiều nay đoàn khám lưu động đến thôn, bác nào ở nhà một mình không đi được thì báo tổ trưởng để cán bộ đến tận nhà.",
        "Bà ơi bà ở nhà một mình à, tối con qua ăn cơm với bà nhé",
    ],
)
def test_home_alone_in_a_notice_or_from_family_is_not_flagged(checker: Checker, text: str) -> None:
    assert checker.check(text).verdict == "clean"
