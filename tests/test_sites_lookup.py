"""Look-up by commune, date words, kind and location; the chat answers and events."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.config import Settings
from bot.conversation import Incoming, Location
from bot.dialog import Dialog
from bot.features.sites import load_demo
from bot.sites.lookup import distance_km, lookup
from bot.store import Store
from bot.store.events import count_events
from tests.conftest import FIXED_NOW

HP = "Hải Phòng"
TODAY = date(2026, 11, 24)


@pytest.fixture
def demo(store: Store, settings: Settings) -> Store:
    load_demo(store, settings)
    return store


def find(store: Store, text: str, *, location: tuple[float, float] | None = None, today: date = TODAY) -> dict:
    result = lookup(
        store, text, now=FIXED_NOW, timezone="Asia/Ho_Chi_Minh", province=HP, location=location, fixed_today=today
    )
    return result.to_json()


def test_json_shape(demo: Store) -> None:
    out = find(demo, "điểm khám ở Kẻ Sặt")
    assert set(out) == {"unit", "candidates", "sessions"}
    assert out["unit"] == "Kẻ Sặt" and out["candidates"] == []
    assert out["sessions"]
    for s in out["sessions"]:
        assert set(s) == {"site", "address", "date", "start", "end", "kind"}
        assert s["kind"] in ("co_dinh", "luu_dong")
    dates = [s["date"] for s in out["sessions"]]
    assert dates == sorted(dates) and dates[0] >= TODAY.isoformat()


def test_by_commune_and_week(demo: Store) -> None:
    out = find(demo, "tuần này phường Lê Chân khám ở đâu")
    assert out["unit"] == "Lê Chân"
    assert [s["date"] for s in out["sessions"]] == ["2026-11-27", "2026-11-28", "2026-11-29"]


def test_kind_and_tomorrow(demo: Store) -> None:
    out = find(demo, "ngày mai có khám lưu động ở Cát Hải không", today=date(2026, 11, 25))
    assert out["unit"] == "Cát Hải"
    assert [(s["date"], s["kind"]) for s in out["sessions"]] == [("2026-11-26", "luu_dong")]
    assert find(demo, "ngày mai có khám lưu động ở Cát Hải không")["sessions"] == []


def test_old_spelling_and_no_diacritics(demo: Store) -> None:
    assert find(demo, "lich kham xa Kê Sắt thang 12")["unit"] == "Kẻ Sặt"
    assert find(demo, "diem kham chan hung")["unit"] == "Chấn Hưng"


def test_ambiguous_commune(demo: Store) -> None:
    out = find(demo, "cam giang")
    assert out == {"unit": None, "candidates": ["Cẩm Giang", "Cẩm Giàng"], "sessions": []}


def test_date_only_covers_the_province(demo: Store) -> None:
    out = find(demo, "12/12")
    assert out["unit"] is None
    assert {s["site"] for s in out["sessions"]} == {"Trạm Y tế xã Kẻ Sặt", "Trạm Y tế xã Cẩm Giàng"}


def test_only_upcoming_unless_asked(demo: Store) -> None:
    later = date(2026, 12, 1)
    upcoming = [s["date"] for s in find(demo, "Kẻ Sặt", today=later)["sessions"]]
    assert upcoming and min(upcoming) >= "2026-12-01"
    past = [s["date"] for s in find(demo, "Kẻ Sặt tuần trước", today=later)["sessions"]]
    assert past == ["2026-11-25", "2026-11-28"]


def test_nothing_asked_finds_nothing(demo: Store) -> None:
    assert find(demo, "khám ở đâu") == {"unit": None, "candidates": [], "sessions": []}


def test_location_nearest_first(demo: Store) -> None:
    out = find(demo, "", location=(20.862, 106.680))
    sites = [s["site"] for s in out["sessions"]]
    assert sites[0] == "Trạm Y tế phường Hồng Bàng"
    far = find(demo, "", location=(10.78, 106.70))  # Hồ Chí Minh City: nothing within reach
    assert far["sessions"] == []


def test_distance() -> None:
    assert distance_km(20.8449, 106.6881, 20.8449, 106.6881) == 0
    assert 85 < distance_km(21.0285, 105.8542, 20.8449, 106.6881) < 95  # Hà Nội – Hải Phòng, straight line


def test_today_drops_ended_sessions_without_fixed_today(demo: Store) -> None:
    # 2026-11-25 05:00 UTC = 12:00 local: the 07:30–11:00 session has ended.
    now = datetime(2026, 11, 25, 5, 0, tzinfo=UTC)
    result = lookup(demo, "Kẻ Sặt", now=now, timezone="Asia/Ho_Chi_Minh", province=HP)
    assert result.sessions[0]["date"] == "2026-11-28"
    asked = lookup(demo, "Kẻ Sặt hôm nay", now=now, timezone="Asia/Ho_Chi_Minh", province=HP)
    assert [s["date"] for s in asked.sessions] == ["2026-11-25"]


# --- the chat ------------------------------------------------------------------------------
def ask(dialog: Dialog, text: str = "", location: Location | None = None, chat: str = "c1") -> str:
    replies = dialog.handle(Incoming(channel="web", chat_id=chat, text=text, location=location))
    assert replies
    return replies[0].text


def test_chat_answers_site_question(dialog: Dialog, demo: Store) -> None:
    text = ask(dialog, "điểm khám ở Kẻ Sặt")
    assert "xã Kẻ Sặt" in text and "Trạm Y tế xã Kẻ Sặt" in text and "7:30–11:00" in text
    assert "Thứ Tư 25/11" in text
    assert count_events(demo, "site_lookup") >= 1
    row = demo.conn.execute("SELECT unit, value, topic FROM events WHERE type = 'interaction' ORDER BY id DESC").fetchone()
    assert row[2] == "sites"
    ev = demo.conn.execute("SELECT unit, value FROM events WHERE type = 'site_lookup' ORDER BY id DESC").fetchone()
    assert ev[0] == "Kẻ Sặt" and int(ev[1]) >= 4


def test_chat_bare_commune_name(dialog: Dialog, demo: Store) -> None:
    assert "phường Lê Chân" in ask(dialog, "p. le chan")


def test_chat_ambiguous_then_pick_by_number(dialog: Dialog, demo: Store) -> None:
    replies = dialog.handle(Incoming(channel="web", chat_id="c9", text="khám ở cam giang tháng 12"))
    assert "1. Cẩm Giang" in replies[0].text and "2. Cẩm Giàng" in replies[0].text
    assert len(replies[0].choices) == 2
    text = ask(dialog, "2", chat="c9")
    assert "xã Cẩm Giàng" in text and "12/12" in text


def test_chat_none_yet_says_who_to_call(dialog: Dialog, demo: Store, settings: Settings) -> None:
    text = ask(dialog, "ngày mai có khám lưu động ở Cát Hải không")
    assert text.startswith("Chưa có lịch khám lưu động ở đặc khu Cát Hải, ngày mai (25/11).")
    assert "Buổi gần nhất: Thứ Năm 26/11" in text
    assert settings.health_hotline in text
    text = ask(dialog, "lịch khám ở xã An Lão")
    assert "Chưa có lịch khám" in text and settings.local_contact in text


def test_chat_without_commune_asks_for_it(dialog: Dialog, demo: Store) -> None:
    text = ask(dialog, "/diemkham")
    assert "xã/phường nào" in text and "Kẻ Sặt" in text
    text = ask(dialog, "lịch khám ở xã Kẻ Sạtt")  # a typo after "xã": suggest, don't guess silently
    assert "Kẻ Sặt" in text


def test_generic_where_question_is_left_to_the_faq(dialog: Dialog, demo: Store) -> None:
    before = count_events(demo, "site_lookup")
    ask(dialog, "khám sức khỏe miễn phí ở đâu")
    assert count_events(demo, "site_lookup") == before


def test_chat_shared_location(dialog: Dialog, demo: Store) -> None:
    text = ask(dialog, location=Location(20.862, 106.680))
    assert "gần bạn" in text and "cách" in text and "Hồng Bàng" in text


def test_chat_command_with_args(dialog: Dialog, demo: Store) -> None:
    text = ask(dialog, "/diemkham hong bang thang 12")
    assert "phường Hồng Bàng" in text and "tháng 12/2026" in text and "15/12" in text


@pytest.mark.parametrize(
    "text",
    [
        "khám có mất tiền không",
        "cài vneid ntn",
        "đi khám cần mang gì",
        "xin chào",
        "tích hợp sổ sức khỏe ở Lê Chân",
        "ket qua kham suc khoe xem o dau",
        "dang ky kham sang loc o dau",
        "khám ở trạm y tế hay bệnh viện",
    ],
)
def test_other_questions_are_left_to_others(dialog: Dialog, demo: Store, text: str) -> None:
    before = count_events(demo, "site_lookup")
    dialog.handle(Incoming(channel="web", chat_id="c2", text=text))
    assert count_events(demo, "site_lookup") == before


def test_load_demo_is_idempotent(demo: Store, settings: Settings) -> None:
    from bot.store.sites import count_sessions

    n = count_sessions(demo)
    load_demo(demo, settings)
    assert count_sessions(demo) == n == 22


def test_by_place_name_inside_a_commune(demo: Store) -> None:
    out = find(demo, "khám ở Hiền Hào khi nào")
    assert out["unit"] == "Cát Hải"
    assert [s["site"] for s in out["sessions"]] == ["Đội khám lưu động Cát Hải — điểm Hiền Hào"]
    # Generic words alone name no place.
    assert find(demo, "khám ở trạm y tế hay bệnh viện")["sessions"] == []
    assert find(demo, "khám ở trung tâm")["unit"] is None


def test_part_of_day(demo: Store) -> None:
    out = find(demo, "chiều thứ 4 tuần sau ở Kẻ Sặt")
    assert [(s["date"], s["start"]) for s in out["sessions"]] == [("2026-12-02", "13:30")]
    assert find(demo, "sáng thứ 4 tuần sau ở Kẻ Sặt")["sessions"] == []
    assert find(demo, "tôi thứ 7 đi khám ở Kẻ Sặt được không")["sessions"]  # "tôi" is not "tối"


def test_chat_place_question(dialog: Dialog, demo: Store) -> None:
    text = ask(dialog, "khám ở Hiền Hào khi nào")
    assert "Hiền Hào" in text and "03/12" in text
    ev = demo.conn.execute("SELECT unit, value FROM events WHERE type = 'site_lookup' ORDER BY id DESC").fetchone()
    assert tuple(ev) == ("Cát Hải", "1")


def test_chat_location_far_from_every_site(dialog: Dialog, demo: Store, settings: Settings) -> None:
    text = ask(dialog, location=Location(10.78, 106.70))
    assert text.startswith("Chưa có lịch khám sắp tới gần bạn.")
    assert "tên xã/phường" in text and settings.health_hotline in text


def test_answer_marks_ended_sessions_and_per_session_targets(demo: Store, settings: Settings) -> None:
    from bot.sites.format import format_sessions

    now = datetime(2026, 11, 25, 5, 0, tzinfo=UTC)  # 12:00 local
    result = lookup(demo, "Kẻ Sặt hôm nay", now=now, timezone="Asia/Ho_Chi_Minh", province=HP)
    assert "7:30–11:00 (đã kết thúc)" in format_sessions(result, settings)
    text = format_sessions(lookup(demo, "Kẻ Sặt", now=now, timezone="Asia/Ho_Chi_Minh", province=HP, fixed_today=TODAY), settings)
    assert "Thứ Tư 25/11, 7:30–11:00 — Người cao tuổi; Người có thẻ BHYT" in text
    assert "Thứ Bảy 28/11, 7:30–11:00 — Mọi người dân" in text
