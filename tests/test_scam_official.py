"""Official match: near-duplicates of sent broadcasts, verification codes, altered copies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from bot.broadcast import broadcasts
from bot.config import Settings
from bot.conversation import Incoming
from bot.dialog import Dialog
from bot.scam import Checker
from bot.scam.context import build_checker
from bot.scam.official import OfficialIndex
from bot.store import Store
from bot.store.events import recent_events
from tests.conftest import FIXED_NOW
from tests.test_broadcast_support import add_chats, approved_message

BODY = (
    "Sở Y tế thông báo: từ ngày 01/12 người dân phường Lê Chân được khám sức khỏe định kỳ miễn phí tại trạm y tế "
    "phường, sáng 7h30–11h, chiều 13h30–16h30 các ngày trong tuần.\n"
    "Mang theo thẻ căn cước hoặc VNeID mức 2 và thẻ BHYT.\n"
    "Khám hoàn toàn miễn phí, không ai được thu phí đăng ký. Hỏi thêm: 1900 9095."
)
# A forwarded copy: greeting and emoji added, footer cut, lines merged, a few words changed.
FORWARDED = (
    "🔥🔥 Mọi người đọc nhé 👇 Sở Y tế thông báo: từ ngày 01/12 người dân phường Lê Chân được khám sức khỏe định kỳ "
    "miễn phí tại trạm y tế phường, sáng 7h30-11h, chiều 13h30-16h30 các ngày trong tuần. Nhớ mang theo thẻ căn cước "
    "hoặc VNeID mức 2 và thẻ BHYT nha. Khám hoàn toàn miễn phí, không ai được thu phí đăng ký!!! ✅"
)


@dataclass(frozen=True)
class Sent:
    broadcast_id: int
    code: str
    text: str
    sent_at: datetime
    issuer: str


def _sent() -> list[Sent]:
    other = "Cảnh báo: công an không gọi điện yêu cầu đồng bộ định danh mức 2. Không bấm link lạ, không đọc mã OTP."
    return [
        Sent(1, "HP-7K3Q9X", BODY, datetime(2026, 11, 20, 2, 0, tzinfo=UTC), "Sở Y tế Hải Phòng"),
        Sent(2, "HP-ABCD12", other, datetime(2026, 11, 21, 2, 0, tzinfo=UTC), "Công an thành phố"),
    ]


def test_pure_index_matches_an_edited_copy() -> None:
    index = OfficialIndex(_sent())
    match = index.match(FORWARDED)
    assert match is not None and match.sent.code == "HP-7K3Q9X"
    assert index.match("Sở Y tế thông báo lịch khám ở Kiến An vào tháng sau, mang theo căn cước nhé mọi người") is None
    assert index.match("") is None
    assert OfficialIndex([]).match(FORWARDED) is None


def test_checker_says_official_with_date_and_code() -> None:
    v = Checker(sent=_sent()).check(FORWARDED)
    assert v.verdict == "official" and v.code == "HP-7K3Q9X"
    assert "20/11/2026" in v.reasons[0] and "HP-7K3Q9X" in v.reasons[0]


def test_copy_with_a_link_slipped_in_is_not_official() -> None:
    tampered = FORWARDED + " Đăng ký giữ chỗ tại kham-lechan.com, phí 50k."
    v = Checker(sent=_sent()).check(tampered)
    assert v.verdict in ("scam", "suspicious")


def test_genuine_code_on_other_text_and_unknown_code() -> None:
    c = Checker(sent=_sent())
    assert c.check("HP-7K3Q9X").verdict == "official"
    assert c.check("mã xác thực hp-7k3q9x").verdict == "official"
    v = c.check("Mã xác thực HP-7K3Q9X. Người dân chuyển khoản phí hồ sơ 100k cho tổ trưởng để được khám.")
    assert v.verdict == "scam"
    v = c.check("Tin chính thức, mã xác thực HP-QQQQ99: đóng phí giữ chỗ khám 50k")
    assert v.verdict == "scam" and v.fake_code


def _real_broadcast(store: Store, settings: Settings) -> str:
    message_id = approved_message(store, BODY)
    add_chats(store, 2)
    bid = broadcasts.create_broadcast(store, settings, message_id=message_id, selectors=["all"], created_by="bien_tap", now=FIXED_NOW)
    return broadcasts.get(store, bid)["code"]


def test_real_broadcast_forwarded_is_official(store: Store, settings: Settings) -> None:
    code = _real_broadcast(store, settings)
    checker = build_checker(settings, store, rumours=False)
    v = checker.check(FORWARDED)
    assert v.verdict == "official" and v.code == code
    # The delivered text with its footer is official too, and its code alone as well.
    delivered = broadcasts.delivered_text(broadcasts.get(store, 1))
    assert checker.check(delivered).verdict == "official"
    assert checker.check(code.lower()).verdict == "official"
    # A code of the right shape that Loa never issued is forged.
    fake = "HP-" + ("Z" if code[3] != "Z" else "Y") + code[4:]
    assert checker.check(f"Tin chính thức, mã xác thực {fake}. Đóng phí giữ chỗ 50k.").verdict == "scam"


def test_forwarded_broadcast_in_chat_logs_official_verified(dialog: Dialog, store: Store, settings: Settings) -> None:
    code = _real_broadcast(store, settings)
    replies = dialog.handle(Incoming(channel="web", chat_id="r1", user_id="r1", text=FORWARDED, forwarded=True))
    assert replies and "TIN CHÍNH THỨC" in replies[0].text and code in replies[0].text
    types = {e["type"]: e for e in recent_events(store, limit=20)}
    assert types["official_verified"]["value"] == code
    assert types["scam_checked"]["value"] == "official"


def test_checker_cache_sees_a_new_broadcast(dialog: Dialog, store: Store, settings: Settings) -> None:
    first = dialog.handle(Incoming(channel="web", chat_id="r2", user_id="r2", text=FORWARDED, forwarded=True))
    assert "TIN CHÍNH THỨC" not in first[0].text
    _real_broadcast(store, settings)
    again = dialog.handle(Incoming(channel="web", chat_id="r2", user_id="r2", text=FORWARDED, forwarded=True))
    assert "TIN CHÍNH THỨC" in again[0].text


def test_retyped_without_diacritics_and_excerpts_still_match() -> None:
    from bot.text import fold

    c = Checker(sent=_sent())
    assert c.check(fold(FORWARDED)).verdict == "official"
    first_two_sentences = ". ".join(BODY.split(". ")[:1]) + "."
    assert c.check(first_two_sentences).verdict == "official"
    # A handful of shared words is not a match.
    assert c.check("Sở Y tế thông báo: mai mưa to, mọi người ở nhà.").verdict != "official"


# --- doctored copies: the words that differ from the broadcast are judged ----------------------
FOOTER = "\n\n—\nTin chính thức của Sở Y tế Hải Phòng. Mã xác thực: HP-7K3Q9X\nKiểm tra: gửi “/xacthuc HP-7K3Q9X” cho Loa."
WARNING = _sent()[1].text


@pytest.mark.parametrize(
    ("doctored", "asks"),
    [
        (BODY + "\nLưu ý: nộp phí hồ sơ 200.000đ qua chuyển khoản trước khi đến khám." + FOOTER, "tiền"),
        (BODY.replace("Khám hoàn toàn miễn phí", "Khám miễn phí, đặt cọc giữ chỗ 50k qua STK 0123456789") + FOOTER, "tiền"),
        (BODY.replace("Khám hoàn toàn miễn phí, không ai được thu phí đăng ký.", "Hãy đọc mã OTP cho cán bộ y tế khi được gọi."), "mã OTP"),
        (WARNING.replace("không đọc mã OTP", "đọc mã OTP cho cán bộ"), "mã OTP"),
        (WARNING.replace("không đọc mã OTP", "đọc mã OTP"), "mã OTP"),  # only the negation removed
        (FORWARDED + " Kết bạn Zalo cán bộ phường để được xếp lịch.", "Zalo"),
        (BODY + "\nGửi ảnh 2 mặt căn cước qua Zalo cho tổ trưởng để được xếp lịch." + FOOTER, "giấy tờ"),
        # The demand hidden in the footer's code line, or worded with "mã xác thực".
        (BODY + FOOTER.replace("Mã xác thực: HP-7K3Q9X", "Mã xác thực: HP-7K3Q9X, chuyển khoản 50k phí xác minh"), "tiền"),
        (BODY + "\nĐọc mã xác thực gửi về máy cho cán bộ y tế khi được gọi.", "mã OTP"),
    ],
)
def test_doctored_copy_is_a_scam_not_official(doctored: str, asks: str) -> None:
    v = Checker(sent=_sent()).check(doctored)
    assert v.verdict == "scam", v.reasons
    assert v.reasons[0].startswith("Tin chính thức đã bị sửa: phần thêm vào đòi") and asks in v.reasons[0]
    assert "Tin gốc (gửi ngày" in v.reasons[-1]


def test_doctored_copy_with_a_false_threat_is_suspicious() -> None:
    c = Checker(sent=_sent())
    v = c.check(BODY + "\nAi không đi khám sẽ bị phạt và bị cắt bảo hiểm y tế.")
    assert v.verdict == "suspicious" and v.reasons[0].startswith("Tin chính thức đã bị sửa")
    # Denying a threat, or urging people to go early, changes nothing.
    assert c.check(BODY + "\nKhông đi khám cũng không bị phạt đâu, nhưng nên đi.").verdict == "official"
    assert c.check(BODY + "\nĐi sớm nhất có thể nhé cả nhà!").verdict == "official"


@pytest.mark.parametrize(
    "copy",
    [
        BODY + FOOTER,
        FORWARDED,
        "Mọi người ơi đọc kỹ nhé, chia sẻ cho ông bà cha mẹ!\n" + BODY,
        # A resident's own question added on top, about a fee: a question, not a demand.
        "Tin này có thật không, có phải nộp phí không? " + BODY,
        BODY + "\nAi biết cho hỏi có phải đóng tiền không ạ",
        WARNING,
    ],
)
def test_plain_or_commented_copy_stays_official(copy: str) -> None:
    assert Checker(sent=_sent()).check(copy).verdict == "official"


def test_genuine_code_on_another_text_names_and_quotes_the_real_message() -> None:
    c = Checker(sent=_sent())
    v = c.check("Mã xác thực: HP-7K3Q9X. Chuyển 500.000đ để nhận kết quả khám.")
    assert v.verdict == "scam"
    assert "thuộc một tin khác" in v.reasons[0] and "“Sở Y tế thông báo: từ ngày 01/12" in v.reasons[0]
    # Even with no money asked: a real code does not vouch for a text it was not issued with.
    v = c.check("Mã xác thực HP-7K3Q9X. Lịch khám đổi sang thứ 7 tuần sau.")
    assert v.verdict != "official" and "thuộc một tin khác" in v.reasons[0]
    # A bare code on the same line as a fee demand (no "mã xác thực" label).
    v = c.check("HP-7K3Q9X chuyển khoản 300k phí hồ sơ khám sức khỏe")
    assert v.verdict == "scam" and "thuộc một tin khác" in v.reasons[0]
    # An excerpt of the broadcast with a fee added is a doctored copy.
    excerpt = (
        "Sở Y tế thông báo: từ ngày 01/12 người dân phường Lê Chân được khám sức khỏe định kỳ miễn phí tại trạm y tế "
        "phường. Nộp lệ phí 50k cho tổ trưởng. Mã xác thực: HP-7K3Q9X"
    )
    assert c.check(excerpt).reasons[0].startswith("Tin chính thức đã bị sửa")


@pytest.mark.parametrize(
    "question",
    [
        "HP-7K3Q9X",
        "Mã xác thực của tin: HP-7K3Q9X",
        "Kiểm tra: gửi “/xacthuc HP-7K3Q9X” cho Loa.",
        "Mã HP-7K3Q9X này có thật không?",
        "Tin nhắn có mã xác thực HP-7K3Q9X có phải của Sở Y tế không",
    ],
)
def test_asking_about_a_genuine_code_is_official(question: str) -> None:
    assert Checker(sent=_sent()).check(question).verdict == "official"
