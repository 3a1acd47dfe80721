"""Symptoms told in everyday words (bot/faq/symptoms.py) are medical; campaign questions
that mention a body part, a vaccine or a finding as context are not."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.faq import knowledge_base
from bot.faq.kb import KnowledgeBase
from bot.faq.model import MEDICAL_TOPIC
from bot.faq.safety import medical_reason


@pytest.fixture
def kb(settings: Settings) -> KnowledgeBase:
    return knowledge_base(settings)


EVERYDAY_SYMPTOMS = [
    "em bị rát lưỡi mấy hôm nay",
    "mắt em hay bị giật giật",
    "mat em hay bi giat giat",
    "dạo này tai bác cứ ù ù",
    "chân bà sưng phù ấn vào lõm",
    "chân bác hay bị tê bì",
    "gót chân tôi buốt mỗi sáng ngủ dậy",
    "bị ong đốt sưng cả mặt",
    "tui bị rắn cắn ngoài ruộng",
    "bé 2 tháng tiêm mũi gì",
    "con em 9 tháng tuổi đã tiêm sởi được chưa",
    "tiêm xong bé bị sốt có sao không",
    "siêu âm thấy nhân tuyến giáp có sao không",
    "mẹ tôi hay lẫn, có phải bị lẫn không",
    "ông đi tiểu đêm 4 lần",
    "bị chuột rút bắp chân",
    "sáng nào em cũng hắt hơi liên tục",
    "bị điện giật ngã ra đất, giờ tỉnh rồi có cần đi khám không",
    "mổ cắt túi mật xong ăn mỡ vào là đi ngoài ngay",
    "ngón chân bị móng quặp vào thịt sưng mủ",
    "khám miễn phí xong người ta nói phổi có nốt mờ, giờ có cần sinh thiết không",
]

CONTEXT_NOT_MEDICAL = [
    "bị giật mất điện thoại thì VNeID sao",
    "bi giat mat dien thoai roi phai lam gi",
    "bà 85 tuổi, chân yếu không ra khỏi nhà được, có ai tới khám tại chỗ không",
    "Mẹ tôi 70 tuổi, tay run, ra công an làm định danh mức 2 có khó không",
    "cho bác nhận thông báo của chiến dịch với, bác hay quên lắm",
    "tiêm phòng dại ở đâu mất bao nhiêu tiền",
    "chụp x quang trong đợt khám có phải bù thêm tiền không",
    "lương hưu của ông bị chậm, ông cần liên hệ ai",
    "mn ơi mua bhyt tự nguyện ở bưu điện hay ở xã vậy",
    "app tải chậm quá",
    "nhận tin nhắn lạ có sao không",
    "rat mat thoi gian di lai",
    "có phải lần đầu đi khám thì đăng ký không",
    # an ambulance's cost or an emergency room's hours are not a doctor's question
    "gọi xe cấp cứu 115 chở lên viện tỉnh có mất tiền không",
    "bệnh viện huyện nghỉ tết, cấp cứu có trực không",
    # a bedridden parent as the reason for a home visit
    "mẹ em liệt nửa người, muốn được khám thì báo ai để người ta đến",
    "điện thoại tự bấm lung tung sau khi cài app lạ",
    "lịch thi đấu bóng đá tối nay",
]


@pytest.mark.parametrize("question", [*EVERYDAY_SYMPTOMS, "tóc em bạc sớm"])
def test_everyday_symptoms_match_the_medical_rule(question: str) -> None:
    assert medical_reason(question) is not None


@pytest.mark.parametrize("question", CONTEXT_NOT_MEDICAL)
def test_body_words_as_context_do_not(question: str) -> None:
    assert medical_reason(question) is None


def test_everyday_symptoms_get_the_medical_reply(kb: KnowledgeBase) -> None:
    got = {q: kb.classify(q).topic for q in EVERYDAY_SYMPTOMS}
    assert all(t == MEDICAL_TOPIC for t in got.values()), got
