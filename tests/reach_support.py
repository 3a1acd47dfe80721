"""Shared set-up for the reach tests: a commune's schedule next week and a sent broadcast."""

from __future__ import annotations

from pathlib import Path

from bot.broadcast import broadcasts
from bot.config import Settings
from bot.sites.importer import import_schedule
from bot.store import Store
from bot.store import broadcast as broadcast_db
from tests.conftest import FIXED_NOW
from tests.test_broadcast_support import add_chats, approved_message

#: FIXED_NOW is Tuesday 24/11/2026; these sessions fall in the next week.
NEXT_WEEK = ("01/12/2026", "03/12/2026")
HEADER = "don_vi,ten_diem,dia_chi,loai,ngay,gio_bat_dau,gio_ket_thuc\n"


def schedule_next_week(store: Store, settings: Settings, tmp_path: Path) -> None:
    """Two sessions at Kẻ Sặt next week, one last week (not on the poster), one elsewhere."""
    rows = [
        f"xã Kẻ Sặt,Trạm Y tế xã Kẻ Sặt,Khu trung tâm xã Kẻ Sặt,co_dinh,{NEXT_WEEK[0]},07:30,11:00",
        f"xã Kẻ Sặt,Nhà văn hóa thôn Đông,Thôn Đông xã Kẻ Sặt,luu_dong,{NEXT_WEEK[1]},13:30,16:30",
        "xã Kẻ Sặt,Trạm Y tế xã Kẻ Sặt,Khu trung tâm xã Kẻ Sặt,co_dinh,17/11/2026,07:30,11:00",
        "phường Lê Chân,Trạm Y tế phường Lê Chân,Số 1 Lê Chân,co_dinh,02/12/2026,07:30,11:00",
    ]
    path = tmp_path / "lich.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    report = import_schedule(store, path, province=settings.province)
    assert report.ok, report.lines()


def sent_broadcast(store: Store, settings: Settings, body: str = "Khám sức khỏe miễn phí tại trạm y tế xã từ 01/12.") -> dict:
    """An approved message broadcast to three groups and marked sent; returns the broadcast row."""
    message_id = approved_message(store, body)
    add_chats(store, 3, unit="Kẻ Sặt")
    bid = broadcasts.create_broadcast(
        store, settings, message_id=message_id, selectors=["all"], created_by="bien_tap", now=FIXED_NOW
    )
    broadcast_db.update_broadcast(store, bid, state="done", started_at="2026-11-24T03:00:00")
    row = broadcast_db.get_broadcast(store, bid)
    assert row is not None
    return {**row, "message_id": message_id}
