"""Vietnamese labels for the library's codes (states, kinds, themes, roles)."""

from __future__ import annotations

KINDS = {"campaign": "Tin chiến dịch", "scam_warning": "Cảnh báo lừa đảo"}
THEMES = {
    "screening": "Khám sàng lọc",
    "vneid": "VNeID",
    "health_book": "Sổ sức khỏe điện tử",
    "scam_warning": "Cảnh báo lừa đảo",
    "other": "Khác",
}
MESSAGE_STATES = {
    "draft": "Bản nháp",
    "pending": "Chờ duyệt",
    "approved": "Đã duyệt",
    "rejected": "Bị từ chối",
    "retired": "Ngừng dùng",
}
BROADCAST_STATES = {
    "scheduled": "Đã lên lịch",
    "sending": "Đang gửi",
    "paused": "Tạm dừng",
    "done": "Đã xong",
    "cancelled": "Đã hủy",
}
DELIVERY_STATES = {
    "queued": "Đang chờ",
    "sending": "Đang gửi",
    "sent": "Đã gửi",
    "failed": "Lỗi",
    "skipped": "Bỏ qua",
}
ROLES = {
    "editor": "Biên tập (soạn tin)",
    "approver": "Duyệt tin",
    "reporter": "Báo cáo",
    "admin": "Quản trị",
}
CHANNELS = {"telegram": "Telegram", "zalo": "Zalo", "web": "Web"}
CHAT_KINDS = {"group": "Nhóm", "private": "Cá nhân"}
TAGS = {
    "nguoi_cao_tuoi": "Người cao tuổi",
    "phu_huynh": "Phụ huynh",
    "ho_ngheo": "Hộ nghèo",
    "nguoi_co_cong": "Người có công",
    "nguoi_khuyet_tat": "Người khuyết tật",
    "cong_nhan_kcn": "Công nhân KCN",
    "vung_kho_khan": "Vùng khó khăn",
    "to_dan_pho": "Tổ dân phố",
    "thon": "Thôn",
    "hoi_phu_nu": "Hội Phụ nữ",
    "doan_thanh_nien": "Đoàn Thanh niên",
    "hoi_nguoi_cao_tuoi": "Hội Người cao tuổi",
}


def failure(exc: Exception) -> str:
    """An error from a library call as shown to the officer: its Vietnamese text (``exc.vi``)."""
    from bot.errors import vietnamese

    return f"Không thực hiện được: {vietnamese(exc).strip()}"

#: Account changes shown on the dashboard, by audit action ({target}: the officer concerned).
ACCOUNT_ACTIONS = {
    "user.add": "tạo tài khoản {target}",
    "user.roles": "đổi vai trò của {target}",
    "user.password_reset": "đặt lại mật khẩu của {target} (gửi link mới)",
    "user.invite_accepted": "{target} tự đặt mật khẩu qua link mời",
    "user.password_change": "{target} đổi mật khẩu",
    "user.deactivate": "khóa tài khoản {target}",
    "user.activate": "mở khóa tài khoản {target}",
}


def role_list(roles: str) -> str:
    """Comma-separated role codes as Vietnamese labels."""
    return ", ".join(ROLES.get(r, r) for r in roles.split(",") if r)
