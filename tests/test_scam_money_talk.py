"""Everyday money talk and quoted messages are not scams; the scam twins still are."""

from __future__ import annotations

import pytest

from bot.scam import Checker
from bot.scam.context import scam_model


@pytest.fixture(scope="module")
def checker() -> Checker:
    model = scam_model()
    assert model is not None
    return Checker(model=model)


GENUINE = [
    # the message received, quoted by the one who did not act on it
    "Mẹ tôi nhận được tin 'chụp màn hình tin nhắn vừa nhận gửi lại em', may mà hỏi con trước, không gửi.",
    # cash handed over in person
    "Em ơi chị mượn tạm 1 triệu, cuối tháng chị trả, chiều chị qua nhà lấy luôn khỏi chuyển khoản.",
    "Bác ơi tiền gạo tháng này cháu gửi tiền mặt cho bà Tư rồi, bác khỏi chuyển khoản nhé.",
]
SCAM_TWINS = [
    "Em chuyển nhầm 2 triệu vào tài khoản chị, chị chuyển lại giúp em vào số 0912 345 678 này nhé, gấp lắm.",
    "Chị ơi cho em mượn tạm 3 triệu, chị chuyển vào số tài khoản 1903 5566 7788 giúp em, tối em trả.",
    "Tin nhắn vừa nhận có 6 số, bác chụp màn hình gửi lại cho cháu nhé.",
]


@pytest.mark.parametrize("text", GENUINE)
def test_everyday_money_talk_and_quotes_are_clean(checker: Checker, text: str) -> None:
    verdict = checker.check(text)
    assert verdict.verdict == "clean", verdict.reasons


@pytest.mark.parametrize("text", SCAM_TWINS)
def test_their_scam_twins_are_flagged(checker: Checker, text: str) -> None:
    verdict = checker.check(text)
    assert verdict.verdict in ("scam", "suspicious"), verdict.reasons


# --- a self-introduced "new officer" asking to be added or messaged privately ---------------
NEW_OFFICER_SCAMS = [
    "Chị ơi em bên trạm y tế mới về phụ trách khu mình, chị lưu số em nhé",
    "Chào cả nhóm, tôi là cán bộ công an khu vực mới, bà con kết bạn Zalo với tôi để tiện trao đổi.",
    "Kính gửi bà con: tôi mới nhận nhiệm vụ ở trạm y tế phường, ai có người già trên 60 tuổi thì ib riêng cho tôi để lập danh sách.",
]
NEW_OFFICER_GENUINE = [
    "UBND phường giới thiệu đồng chí N.V.A, cán bộ y tế mới phụ trách khu phố 3, số máy bàn trạm 02xx 3456 789. Bà con có việc gì đến trạm gặp trực tiếp.",
    "Hôm qua có người tự xưng cán bộ y tế mới về, bảo tôi kết bạn Zalo, tôi không kết.",
]


@pytest.mark.parametrize("text", NEW_OFFICER_SCAMS)
def test_a_new_officer_asking_for_private_contact_is_flagged(checker: Checker, text: str) -> None:
    verdict = checker.check(text)
    assert verdict.verdict in ("scam", "suspicious"), verdict.reasons
    assert "new_contact" in {s.id for s in verdict.signals}


@pytest.mark.parametrize("text", NEW_OFFICER_GENUINE)
def test_an_introduced_officer_or_a_story_is_not(checker: Checker, text: str) -> None:
    assert checker.check(text).verdict == "clean"
