"""Residents' personal details (numbers, names, places), greetings, context and two questions."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.faq import KnowledgeBase, knowledge_base
from bot.faq_index import asking_sentence, split_sentences
from bot.faq_personal import NUMBER_WORD, mask_numbers, number_label_spans, strip_names
from bot.text import fold, normalize


@pytest.fixture()
def kb(settings: Settings) -> KnowledgeBase:
    return knowledge_base(settings)


def _kept(text: str) -> str:
    folded = fold(normalize(mask_numbers(text))).split()
    drop = number_label_spans(folded)
    return " ".join(w for i, w in enumerate(folded) if i not in drop)


@pytest.mark.parametrize(
    "text",
    ["0912345678", "0912 345 678", "0912.345.678", "+84912345678", "048095001234", "123456789"],
)
def test_phone_and_id_numbers_become_one_placeholder(text: str) -> None:
    assert mask_numbers(f"sđt {text} ạ").split() == ["sđt", NUMBER_WORD, "ạ"]


@pytest.mark.parametrize("text", ["năm 2026", "tổ 7", "80 tuổi", "nộp 150 nghìn", "15/3/2026", "mã 123456"])
def test_short_numbers_are_not_masked(text: str) -> None:
    assert mask_numbers(text) == text


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("em sdt 0912345678 muon dang ky kham", "em muon dang ky kham"),
        ("sđt của em là 0987.654.321 em muốn đăng ký khám", "em muon dang ky kham"),
        ("sdt em là 0912345678 em muốn đăng ký khám", "em muon dang ky kham"),
        ("0912345678 là sđt của em, em muốn đăng ký khám", "em muon dang ky kham"),
        ("cccd của em 048095001234 em cài vneid", "em cai vneid"),
        ("quên mật khẩu vneid, sđt đăng ký là 0912 345 678", "quen mat khau vneid"),
        ("chuyển tiền vào stk 0123456789 rồi", "chuyen tien vao roi"),
    ],
)
def test_a_number_and_its_label_are_set_aside(text: str, kept: str) -> None:
    assert _kept(text) == kept


@pytest.mark.parametrize(
    "text",
    ["em đổi số điện thoại 0935111222 rồi", "em vừa đổi sang số điện thoại mới 0935111222", "mất sim 0912345678"],
)
def test_the_label_stays_when_the_number_is_the_subject(text: str) -> None:
    assert "dien thoai" in _kept(text) or "sim" in _kept(text)


def test_names_and_places_are_removed(kb: KnowledgeBase) -> None:
    unknown = kb.index._is_unknown
    assert strip_names("Chào ad, em tên Nguyễn Thị Hoa, năm nay 65", unknown) == "Chào ad, em năm nay 65"
    assert strip_names("nhà em ở tổ 7 phường Hòa Khánh Bắc thì đi khám ở đâu", unknown) == (
        "nhà em ở thì đi khám ở đâu"
    )
    assert strip_names("con em tên bé Na có làm được không", unknown) == "con em có làm được không"
    assert strip_names("nha em o phuong hoa khanh kham o dau", unknown) == "nha em o kham o dau"
    # Known syllables, but a name after "tên là" and a place after "ở".
    assert strip_names("em tên là Lý Thị Lan, cho em hỏi", unknown) == "em cho em hỏi"
    assert strip_names("mình ở Hải Châu, sổ sức khỏe", unknown) == "mình ở sổ sức khỏe"


@pytest.mark.parametrize(
    "text",
    [
        "Khám Sức Khỏe Miễn Phí Ở Đâu",  # everything in Title Case: case tells nothing
        "tích hợp Sổ Sức Khỏe Điện Tử thế nào",  # known words only: a phrase, not a name
        "khám ở trạm y tế phường có mất tiền không",  # "phường" without a name stays
        "tải ứng dụng Momo",  # a lone capitalised word without a name marker stays
    ],
)
def test_phrases_that_are_not_names_stay(kb: KnowledgeBase, text: str) -> None:
    assert strip_names(text, kb.index._is_unknown) == text


def test_sentences_and_the_asking_one() -> None:
    text = "Em cài VNeID rồi. Giờ tích hợp sổ thế nào ạ? Cảm ơn ad"
    assert split_sentences(text) == ["Em cài VNeID rồi.", "Giờ tích hợp sổ thế nào ạ?", "Cảm ơn ad"]
    assert asking_sentence(text) == "Giờ tích hợp sổ thế nào ạ?"
    assert asking_sentence("khám ở đâu") is None


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        # The QA bug: the phone number and "sdt" pulled it to vneid.new_phone.
        ("em sdt 0912345678 muon dang ky kham", "screening.register"),
        ("ad ơi em quên mật khẩu vneid, sđt đăng ký là 0912 345 678 ạ", "vneid.password"),
        ("em đổi số điện thoại 0935111222 rồi vneid đăng nhập thế nào", "vneid.new_phone"),
        ("Chào ad, em tên Nguyễn Thị Hoa, năm nay 65 tuổi, em có được khám miễn phí không ạ", "screening.eligibility"),
        ("ad ơi nhà em ở tổ 7 phường Hòa Khánh Bắc thì đi khám ở đâu ạ", "screening.where"),
        ("em bị lừa chuyển 5 triệu vào tk 0123456789 rồi giờ làm sao ạ", "scam.victim"),
        (
            "Hôm trước tổ trưởng khu phố có đến nhà thông báo là sắp có đợt khám sức khỏe miễn phí, "
            "nhưng hôm đó em đi làm không có nhà. Giờ em muốn đăng ký thì làm sao ạ?",
            "screening.register",
        ),
        ("Chào ad. Em cài VNeID rồi. Giờ tích hợp sổ sức khỏe điện tử vào thế nào ạ?", "health_book.integrate"),
        ("alo ad, sdt e 0935.123.456, có ai gọi lại tư vấn cho e được ko", "bot.human"),
    ],
)
def test_real_resident_messages_get_the_right_answer(kb: KnowledgeBase, question: str, topic: str) -> None:
    decision = kb.classify(question)
    assert (decision.kind, decision.topic) == ("answer", topic)


def test_two_questions_in_one_message_offer_both_in_order(kb: KnowledgeBase) -> None:
    decision = kb.classify("khám miễn phí ở đâu ạ? với lại mấy giờ bắt đầu khám ạ")
    assert decision.kind == "choose"
    assert [h.topic for h in decision.hits] == ["screening.where", "screening.when"]


@pytest.mark.parametrize(
    "question",
    [
        "Xe máy của em bị hỏng. Sửa ở đâu ạ?",
        "Em tên Minh, sđt 0912345678. Em muốn đổi CCCD thì làm ở đâu ạ?",
        "em muốn chuyển số điện thoại 0912345678 sang nhà mạng khác giữ nguyên số",
        "Chào ad. Hôm nay trời mưa to quá. Mấy giờ rồi ạ?",
        "sdt 0912345678",
    ],
)
def test_out_of_scope_messages_with_personal_details_still_abstain(kb: KnowledgeBase, question: str) -> None:
    assert kb.classify(question).kind == "abstain"


def test_a_phone_number_is_not_a_measured_value(kb: KnowledgeBase) -> None:
    decision = kb.classify("xem kết quả khám ở đâu ạ, sđt em 0912345678")
    assert decision.topic == "screening.results"
    assert kb.classify("mẹ em đo huyết áp 170/100, sdt em 0912000111, có sao không").topic == "safety.medical"


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("em sdt muon dang ky kham", "screening.register"),
        ("sdt của em đăng ký khám được không", "screening.register"),
        ("em muốn đổi sdt đăng ký vneid", "vneid.new_phone"),
        ("cho xin số điện thoại trạm y tế phường", "bot.human"),
    ],
)
def test_sdt_alone_weighs_less_than_the_question(kb: KnowledgeBase, question: str, topic: str) -> None:
    """"sdt" expands to three syllables ("số điện thoại"): together they weigh about one word."""
    assert kb.classify(question).topic == topic
