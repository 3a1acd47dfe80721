"""Official match: near-duplicates of sent broadcasts, verification codes, altered copies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from bot.broadcast import broadcasts
from bot.config import Settings
from bot.dialog import Dialog, Incoming
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
