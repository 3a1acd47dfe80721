"""Verification codes: HMAC, readable, tolerant look-up, /xacthuc answers."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.broadcast import broadcasts
from bot.broadcast.codes import ALPHABET, CODE_RE, content_hash, find_codes, make_code, normalize_code
from bot.broadcast.verify import SentMessage, find_by_code, is_genuine, sent_messages, verification_text
from bot.config import Settings
from bot.store import Store
from tests.conftest import FIXED_NOW
from tests.test_broadcast_support import add_chats, approved_message


def _broadcast(store: Store, settings: Settings) -> int:
    message_id = approved_message(store)
    add_chats(store, 3, unit="Lê Chân")
    return broadcasts.create_broadcast(
        store, settings, message_id=message_id, selectors=["all"], created_by="bien_tap", now=FIXED_NOW
    )


def test_code_shape_and_determinism() -> None:
    code = make_code(b"k", "HP", 42, content_hash("xin chào"))
    assert CODE_RE.fullmatch(code) and code.startswith("HP-")
    assert all(c in ALPHABET for c in code[3:])
    assert code == make_code(b"k", "HP", 42, content_hash("xin chào"))
    assert code != make_code(b"k", "HP", 43, content_hash("xin chào"))
    assert code != make_code(b"other", "HP", 42, content_hash("xin chào"))
    assert code != make_code(b"k", "HP", 42, content_hash("xin chao"))


def test_normalize_code_is_tolerant() -> None:
    assert normalize_code(" hp-7k3q9x ") == "HP-7K3Q9X"
    assert normalize_code("HP 7K3Q9X") == "HP-7K3Q9X"
    assert normalize_code("HP7K3Q9X") == "HP-7K3Q9X"
    assert normalize_code("HP-7K3QOX") == "HP-7K3Q0X"  # letter O typed for zero
    assert normalize_code("xin chào") is None
    assert normalize_code("") is None
    assert find_codes("Tin nhắn có mã HP-7K3Q9X ở cuối") == ["HP-7K3Q9X"]


def test_broadcast_gets_code_and_is_found(store: Store, settings: Settings) -> None:
    bid = _broadcast(store, settings)
    row = broadcasts.get(store, bid)
    assert row["code"].startswith("HP-")
    assert row["code"] in broadcasts.delivered_text(row)
    sent = find_by_code(store, row["code"].lower().replace("-", " "))
    assert isinstance(sent, SentMessage)
    assert sent.broadcast_id == bid and sent.code == row["code"]
    assert "Mã xác thực" not in sent.text and "Khám sức khỏe miễn phí" in sent.text
    assert sent.sent_at.tzinfo is not None and sent.issuer == "Sở Y tế Hải Phòng"
    assert is_genuine(settings, row["code"], store=store)
    assert is_genuine(settings, row["code"], broadcast_id=bid, text=sent.text)
    assert not is_genuine(settings, row["code"], broadcast_id=bid, text=sent.text + "!")
    assert not is_genuine(settings, "HP-AAAAAA", store=store)
    assert not is_genuine(settings, row["code"])
    assert [m.code for m in sent_messages(store)] == [row["code"]]
    assert sent_messages(store, since=datetime(2030, 1, 1, tzinfo=UTC)) == []


def test_forged_row_is_not_genuine(store: Store, settings: Settings) -> None:
    bid = _broadcast(store, settings)
    code = broadcasts.get(store, bid)["code"]
    store.conn.execute("UPDATE broadcasts SET content_hash = 'x' WHERE id = ?", (bid,))
    assert not is_genuine(settings, code, store=store)
    text, matched = verification_text(store, settings, code)
    assert matched is None and "KHÔNG" in text


def test_verification_text_answers(store: Store, settings: Settings) -> None:
    bid = _broadcast(store, settings)
    code = broadcasts.get(store, bid)["code"]
    # Created and due, but not started (no sender ran): genuine, with no sending time.
    text, matched = verification_text(store, settings, code.lower())
    assert matched == code
    assert "tin chính thức của Sở Y tế Hải Phòng (tin chưa được gửi đi)" in text and "gửi lúc" not in text
    # Once the sender started it, the answer gives the time.
    from bot.broadcast.expansion import start_due_broadcasts

    assert start_due_broadcasts(store, settings, FIXED_NOW) == [bid]
    text, matched = verification_text(store, settings, code)
    assert matched == code
    assert "tin chính thức của Sở Y tế Hải Phòng, gửi lúc 10:00 ngày 24/11/2026" in text
    text, matched = verification_text(store, settings, "HP-ZZZZZZ")
    assert matched is None and "KHÔNG phải" in text
    text, matched = verification_text(store, settings, "")
    assert matched is None and "/xacthuc" in text


def test_cancelled_unsent_broadcast_is_not_genuine(store: Store, settings: Settings) -> None:
    bid = _broadcast(store, settings)
    code = broadcasts.get(store, bid)["code"]
    broadcasts.cancel(store, bid)
    assert find_by_code(store, code) is None


def test_dialog_verifies_command_and_bare_code(store: Store, settings: Settings) -> None:
    from bot.conversation import Incoming
    from bot.features import build_dialog
    from bot.store.events import count_events

    dialog = build_dialog(store, settings, clock=lambda: FIXED_NOW)
    bid = _broadcast(store, settings)
    code = broadcasts.get(store, bid)["code"]
    replies = dialog.handle(Incoming("telegram", "42", f"/xacthuc {code.lower()}"))
    assert "tin chính thức" in replies[0].text and code in replies[0].text
    replies = dialog.handle(Incoming("zalo", "43", code))
    assert "tin chính thức" in replies[0].text
    assert count_events(store, "official_verified") == 2
    replies = dialog.handle(Incoming("telegram", "42", "/xacthuc HP-ZZZZZZ"))
    assert "KHÔNG" in replies[0].text
    assert count_events(store, "official_code_unknown") == 1
    # A name with a code's shape is not taken for a code.
    replies = dialog.handle(Incoming("telegram", "42", "Thu Nguyen"))
    assert count_events(store, "official_code_unknown") == 1 and "KHÔNG phải mã" not in replies[0].text
    replies = dialog.handle(Incoming("telegram", "42", "/xacthuc"))
    assert "/xacthuc HP-" in replies[0].text


def test_scam_check_knows_every_line_of_the_footer() -> None:
    """The footer is written in bot/broadcast/codes.py and read by the scam check: one
    pattern for codes, and every footer line is recognised as footer, not content."""
    from bot.broadcast.codes import CODE_RE, with_footer
    from bot.scam.prepare import DEFAULT_CODE_RE, is_footer, prepare

    assert DEFAULT_CODE_RE is CODE_RE
    prep = prepare(with_footer("Khám sức khỏe miễn phí năm 2026.", "HP-7K3Q9X", "Sở Y tế Hải Phòng"))
    assert [is_footer(c) for c in prep.clauses] == [False, True, True, True]
