"""Codes shown to officers become Vietnamese words (bot.web.admin.codes)."""

from __future__ import annotations

import pytest

from bot.web.admin import codes


@pytest.mark.parametrize(
    ("expr", "words"),
    [
        ("30 8 1 * *", "08:30 ngày 1 hằng tháng"),
        ("0 9 * * 1", "09:00 thứ Hai hằng tuần"),
        ("0 8 * * mon", "08:00 thứ Hai hằng tuần"),
        ("30 7 * * *", "07:30 hằng ngày"),
        ("0 9 1 * *", "09:00 ngày 1 hằng tháng"),
        ("0 7 * * 1-5", "07:00 thứ Hai đến thứ Sáu hằng tuần"),
        ("0 8 * * 0", "08:00 Chủ nhật hằng tuần"),
        ("0 8 * * 7", "08:00 Chủ nhật hằng tuần"),
        ("0 8 * * 1,4", "08:00 thứ Hai và thứ Năm hằng tuần"),
        ("0 8,17 * * *", "08:00 và 17:00 hằng ngày"),
        ("0 8 15 1 *", "08:00 ngày 15 tháng 1 hằng năm"),
        ("0 8 1 1,4,7,10 *", "08:00 ngày 1 các tháng 1, 4, 7, 10"),
        ("*/15 * * * *", "Mỗi 15 phút"),
    ],
)
def test_cron_lines_read_as_vietnamese(expr: str, words: str) -> None:
    assert codes.cron_text(expr) == words


def test_unusual_cron_lines_are_described_not_echoed() -> None:
    text = codes.cron_text("5-10 8 * * *")
    assert text.startswith("Phút 5-10, giờ 8") and "*" not in text
    assert codes.cron_text("nonsense").startswith("Lịch lặp không rõ")


def test_audiences_tags_and_units() -> None:
    types = {"Kẻ Sặt": "xã", "Lê Chân": "phường"}
    assert codes.audience_text(["all"]) == "Tất cả"
    assert codes.audience_text(["groups", "tag:phu_huynh"]) == "Các nhóm, Phụ huynh"
    assert codes.selector_text("unit:Kẻ Sặt", types) == "Xã Kẻ Sặt"
    assert codes.selector_text("unit:Lê Chân", types) == "Phường Lê Chân"
    assert codes.tag_text("to_dan_pho") == "Tổ dân phố"
    assert codes.selector_text("channel:zalo") == "Kênh Zalo"


def test_delivery_reasons() -> None:
    assert codes.reason_text("failed:demo: chat not found: 9") == "Không gửi được: không tìm thấy cuộc trò chuyện"
    assert codes.reason_text("failed:chat_gone").startswith("Không gửi được: không tìm thấy")
    assert codes.reason_text("skipped:channel_off") == "Bỏ qua: kênh chưa được cấu hình"
    assert "thử lại" in codes.reason_text("failed:transient: gave up after 5 attempts")
    assert codes.reason_text("failed:weird thing") == "Không gửi được: không rõ lý do"


def test_audit_entries() -> None:
    assert codes.audit_action_text("message.create") == "Tạo bản tin"
    assert codes.audit_action_text("report.download") == "Tải báo cáo"
    assert codes.audit_action_text("message.unheard_of") == "Thao tác với tin"
    assert codes.audit_detail_text({"roles": "editor,approver", "rows": 3}) == (
        "vai trò: Biên tập (soạn tin), Duyệt tin; số dòng: 3"
    )
    assert codes.target_text("message:12") == "tin số 12"


def test_schedule_titles_and_dates() -> None:
    assert codes.schedule_title("monthly_fake_links.yaml") == "Cảnh báo đường link giả (hằng tháng)"
    assert codes.schedule_title("canh-bao-hang-tuan") == "Canh bao hang tuan"
    assert codes.schedule_source("weekly_scam_warning.yaml") == "Lịch mặc định"
    assert codes.dmy("2026-12-05") == "05/12/2026"
    assert codes.local_at("2026-12-01 08:30") == "08:30 01/12/2026"
