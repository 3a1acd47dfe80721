"""Residents' personal details (numbers, names, places), context before the question, two questions."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.faq import KnowledgeBase, knowledge_base
from bot.faq.personal import NUMBER_WORD, mask_numbers
from bot.faq.sentences import asking_sentences, split_sentences


@pytest.fixture()
def kb(settings: Settings) -> KnowledgeBase:
    return knowledge_base(settings)


@pytest.mark.parametrize(
    "text",
    ["0912345678", "0912 345 678", "0912.345.678", "+84912345678", "048095001234", "123456789"],
)
def test_phone_and_id_numbers_become_one_placeholder(text: str) -> None:
    assert mask_numbers(f"gọi {text} ạ").split() == ["gọi", NUMBER_WORD, "ạ"]
    assert mask_numbers(f"sđt {text} ạ").split() == [NUMBER_WORD, "ạ"]  # the label goes with it


def test_sentences_and_the_asking_one() -> None:
    text = "Em cài VNeID rồi. Giờ tích hợp sổ thế nào ạ? Cảm ơn ad"
    assert split_sentences(text) == ["Em cài VNeID rồi.", "Giờ tích hợp sổ thế nào ạ?", "Cảm ơn ad"]
    assert asking_sentences(text) == ["Giờ tích hợp sổ thế nào ạ?"]
    assert asking_sentences("khám ở đâu") == ["khám ở đâu"]


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
    assert decision.kind == "answer"
    assert decision.topics == ("screening.where", "screening.when")


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


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("di xe buýt đến trạm, sdt 0912345678 cccd 001203004567", "di xe buýt đến trạm,"),
        ("ad ơi em quên mật khẩu vneid, sđt đăng ký là 0912 345 678 ạ", "ad ơi em quên mật khẩu vneid, ạ"),
        ("em đổi số điện thoại 0935111222 rồi", "em đổi số điện thoại rồi"),  # the number is the subject
    ],
)
def test_a_number_and_its_label_are_set_aside(text: str, kept: str) -> None:
    assert " ".join(mask_numbers(text).replace(NUMBER_WORD, "").split()) == kept
