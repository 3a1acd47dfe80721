"""The hybrid scam check: corpus, classifier + combiner, reasons that are true of the message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.errors import DataFileError
from bot.scam import Checker, hybrid, reasons
from bot.scam.context import scam_model
from bot.scam.corpus import CORPUS_DIR, augment, corpus_hash, load_corpus
from bot.scam.model import ScamModel, load_model
from bot.scam.prepare import prepare
from bot.text import fold

ROOT = Path(__file__).resolve().parent.parent
DEV_FILES = ("tests/data/scam_dev_2026-12.jsonl", "tests/data/scam_dev.jsonl", "tests/data/scam_holdout.jsonl")


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
    assert checked > 400


def test_two_not_gov_reasons_never_show_together(checker: Checker) -> None:
    verdict = checker.check("Bộ Công an: đồng bộ VNeID tại vneid-gov.com.top ngay hôm nay kẻo bị khóa.")
    not_gov = [s for s in verdict.shown if reasons.family(s.id) == "not_gov"]
    assert len(not_gov) == 1 and len(verdict.reasons) <= 3
