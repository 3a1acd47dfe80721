"""Library codes as officers read them: cron lines, audiences, delivery reasons, audit entries.

Pure functions (no request, no store), registered as template filters in ``deps`` so pages
never print a raw code. Anything unknown falls back to a plain Vietnamese description rather
than the code itself.
"""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import Any

from bot.web.admin.labels import CHANNELS, ROLES, TAGS

#: Weekday names, standard cron numbering (0 and 7 = Sunday).
WEEKDAYS = ["Chủ nhật", "thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật"]
_DOW_WORDS = {"sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6}
_NUMBER = re.compile(r"^\d{1,2}$")


def _dow_number(token: str) -> int | None:
    token = token.strip().lower()
    if token in _DOW_WORDS:
        return _DOW_WORDS[token]
    if _NUMBER.match(token) and int(token) <= 7:
        return int(token) % 7
    return None


def _weekdays(field: str) -> str | None:
    """``1`` → "thứ Hai", ``1-5`` → "thứ Hai đến thứ Sáu", ``1,4`` → "thứ Hai và thứ Năm"."""
    names = []
    for part in field.split(","):
        lo, dash, hi = part.partition("-")
        a = _dow_number(lo)
        if a is None:
            return None
        if dash:
            b = _dow_number(hi)
            if b is None:
                return None
            names.append(f"{WEEKDAYS[a]} đến {WEEKDAYS[b if b else 7]}")
        else:
            names.append(WEEKDAYS[a])
    return _join(names)


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " và " + items[-1]


def _clock(minute: str, hour: str) -> str | None:
    """``30``, ``8`` → "08:30"; ``0``, ``8,17`` → "08:00 và 17:00"; other forms → None."""
    if not _NUMBER.match(minute):
        return None
    hours = hour.split(",")
    if not all(_NUMBER.match(h) and int(h) < 24 for h in hours) or int(minute) > 59:
        return None
    return _join([f"{int(h):02d}:{int(minute):02d}" for h in hours])


def _days(day: str, month: str) -> str | None:
    """The day-of-month and month fields as words, or None for forms not covered."""
    if day == "*" and month == "*":
        return "hằng ngày"
    if not all(_NUMBER.match(d) for d in day.split(",")):
        return None
    days = "ngày " + _join(day.split(","))
    if month == "*":
        return f"{days} hằng tháng"
    step = re.fullmatch(r"\*/(\d{1,2})", month)
    if step:
        return f"{days}, {step.group(1)} tháng một lần"
    if all(_NUMBER.match(m) and 1 <= int(m) <= 12 for m in month.split(",")):
        months = month.split(",")
        if len(months) == 1:
            return f"{days} tháng {int(months[0])} hằng năm"
        return f"{days} các tháng {', '.join(str(int(m)) for m in months)}"
    return None


def cron_text(expr: str | None) -> str:
    """A 5-field cron line in Vietnamese: ``30 8 1 * *`` → "08:30 ngày 1 hằng tháng".

    Covers the forms of ``schedules/*.yaml`` and the usual ones (daily, weekly on given
    weekdays, monthly on given days, every N minutes); anything else is described field by field.
    """
    fields = (expr or "").split()
    if len(fields) != 5:
        return f"Lịch lặp không rõ ({expr or 'trống'})"
    minute, hour, day, month, dow = fields
    every = re.fullmatch(r"\*/(\d{1,2})", minute)
    if every and hour == "*" and day == month == dow == "*":
        return f"Mỗi {every.group(1)} phút"
    if _NUMBER.match(minute) and hour == "*" and day == month == dow == "*":
        return f"Phút {int(minute):02d} mỗi giờ"
    clock = _clock(minute, hour)
    if clock:
        if dow == "*":
            days = _days(day, month)
            if days:
                return f"{clock} {days}"
        elif day == "*" and month == "*":
            weekdays = _weekdays(dow)
            if weekdays:
                return f"{clock} {weekdays} hằng tuần"
    return f"Phút {minute}, giờ {hour}, ngày {day}, tháng {month}, thứ {dow} (theo cú pháp cron)".replace("*", "mọi")


def unit_text(name: str, unit_types: dict[str, str] | None = None) -> str:
    """``Kẻ Sặt`` → "Xã Kẻ Sặt" (its type from ``unit_types``; "Xã/phường" when unknown)."""
    kind = (unit_types or {}).get(name, "xã/phường")
    return f"{kind[:1].upper()}{kind[1:]} {name}"


def role_text(roles: str | list[str] | tuple[str, ...] | None) -> str:
    """Role codes as labels: ``editor,approver`` → "Biên tập (soạn tin), Duyệt tin"."""
    items = roles.split(",") if isinstance(roles, str) else list(roles or [])
    return ", ".join(ROLES.get(r.strip(), r.strip()) for r in items if r.strip())


def tag_text(tag: str) -> str:
    """A chat tag as words: ``to_dan_pho`` → "Tổ dân phố"; unknown tags lose their underscores."""
    if tag in TAGS:
        return TAGS[tag]
    words = tag.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]


def selector_text(selector: str, unit_types: dict[str, str] | None = None) -> str:
    """One audience selector in Vietnamese: ``all`` → "Tất cả", ``unit:Kẻ Sặt`` → "Xã Kẻ Sặt"."""
    key, _, value = selector.strip().partition(":")
    fixed = {
        "all": "Tất cả",
        "groups": "Các nhóm",
        "private": "Người đăng ký nhận tin",
        "priority-units": "Các xã/phường ưu tiên",
    }
    if not value and key in fixed:
        return fixed[key]
    if key == "unit":
        return unit_text(value, unit_types)
    if key == "tag":
        return tag_text(value)
    if key == "channel":
        return f"Kênh {CHANNELS.get(value, value)}"
    return selector


def audience_text(selectors: list[str] | str | None, unit_types: dict[str, str] | None = None) -> str:
    """Audience selectors as one line: ``["groups", "tag:phu_huynh"]`` → "Các nhóm, Phụ huynh"."""
    if isinstance(selectors, str):
        selectors = [s for s in selectors.split(",") if s.strip()]
    return ", ".join(selector_text(s, unit_types) for s in selectors or []) or "—"


#: Why a delivery failed or was skipped (the sender's reason codes).
REASONS = {
    "chat_gone": "không tìm thấy cuộc trò chuyện hoặc Loa đã bị chặn",
    "bad_message": "nền tảng từ chối nội dung tin",
    "moved_twice": "nhóm đổi địa chỉ nhiều lần",
    "moved_duplicate": "nhóm đã chuyển, tin đã gửi ở địa chỉ mới",
    "channel_off": "kênh chưa được cấu hình",
    "cancelled": "đợt gửi đã bị hủy",
    "rate_limited": "nền tảng yêu cầu gửi chậm lại",
    "transient": "lỗi mạng tạm thời",
    "error": "lỗi không rõ",
    "unknown": "không rõ lý do",
}
_PLATFORM_PHRASES = {
    "chat not found": "không tìm thấy cuộc trò chuyện",
    "blocked": "người nhận đã chặn Loa",
    "kicked": "Loa đã bị mời ra khỏi nhóm",
    "timed out": "quá thời gian chờ",
}


def reason_text(key: str) -> str:
    """A ``status:reason`` count key as words: ``failed:demo: chat not found: 9`` →
    "Không gửi được: không tìm thấy cuộc trò chuyện"."""
    status, _, reason = key.partition(":")
    head = {"failed": "Không gửi được", "skipped": "Bỏ qua"}.get(status, "Khác")
    reason = reason.strip()
    code = reason.split(":", 1)[0].strip()
    if code in REASONS:
        text = REASONS[code]
        if "gave up after" in reason:
            text += " (đã thử lại nhiều lần)"
        return f"{head}: {text}"
    lowered = reason.lower()
    for phrase, words in _PLATFORM_PHRASES.items():
        if phrase in lowered:
            return f"{head}: {words}"
    return f"{head}: {REASONS['unknown']}"


#: Audit actions as officers read them.
AUDIT_ACTIONS = {
    "activity.add": "Ghi hoạt động",
    "activity.import": "Nhập hoạt động từ tệp",
    "broadcast.create": "Tạo đợt gửi",
    "broadcast.pause": "Tạm dừng đợt gửi",
    "broadcast.resume": "Tiếp tục đợt gửi",
    "broadcast.cancel": "Hủy đợt gửi",
    "broadcast.resend": "Gửi lại tin lỗi",
    "chats.bulk": "Sửa nhiều nhóm",
    "chat.scam_guard": "Bật/tắt cảnh báo lừa đảo của nhóm",
    "login": "Đăng nhập",
    "login.failed": "Đăng nhập sai",
    "login.throttled": "Đăng nhập bị tạm chặn",
    "logout": "Đăng xuất",
    "message.create": "Tạo bản tin",
    "message.edit": "Sửa bản tin",
    "message.submit": "Gửi duyệt",
    "message.approve": "Duyệt tin",
    "message.reject": "Từ chối tin",
    "message.retire": "Ngừng dùng tin",
    "report.download": "Tải báo cáo",
    "schedule.save": "Lưu lịch gửi",
    "schedule.enable": "Bật lịch gửi",
    "schedule.disable": "Tắt lịch gửi",
    "sites.import": "Nhập lịch khám",
    "session.edit": "Sửa buổi khám",
    "unanswered.handled": "Đánh dấu câu hỏi đã xử lý",
    "unanswered.sample": "Thêm câu hỏi mẫu cho chủ đề",
    "unanswered.reopen": "Đưa câu hỏi trở lại danh sách chưa xử lý",
    "user.add": "Tạo tài khoản",
    "user.roles": "Đổi vai trò",
    "user.activate": "Mở khóa tài khoản",
    "user.deactivate": "Khóa tài khoản",
    "user.password_reset": "Đặt lại mật khẩu",
    "user.password_change": "Đổi mật khẩu",
    "user.password_change_refused": "Đổi mật khẩu không thành công",
    "user.invite_accepted": "Nhận link mời",
}
#: Keys of audit details as words.
DETAIL_KEYS = {
    "rows": "số dòng",
    "added": "thêm",
    "updated": "cập nhật",
    "removed": "xóa",
    "replace": "thay thế",
    "roles": "vai trò",
    "before": "trước",
    "after": "sau",
    "format": "định dạng",
    "period": "kỳ",
    "version": "bản",
    "title": "tiêu đề",
    "kind": "loại",
    "theme": "chủ đề",
    "selectors": "người nhận",
    "to": "người nhận",
    "at": "lúc",
    "count": "số lượng",
    "chats": "số nhóm",
    "unit": "xã/phường",
    "tags": "thẻ",
    "message": "tin",
    "reason": "lý do",
    "enabled": "bật",
    "n": "số lượng",
    "file": "tệp",
    "topic": "chủ đề",
    "changes": "thay đổi",
}


def audit_action_text(action: str) -> str:
    """An audit action in words: ``message.create`` → "Tạo bản tin"."""
    if action in AUDIT_ACTIONS:
        return AUDIT_ACTIONS[action]
    area = action.split(".", 1)[0]
    return {"message": "Thao tác với tin", "broadcast": "Thao tác với đợt gửi", "user": "Thao tác tài khoản"}.get(
        area, "Thao tác khác"
    )


def _value_text(key: str, value: Any) -> str:
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, list):
        return ", ".join(_value_text(key, v) for v in value)
    text = str(value)
    if key in ("roles", "before", "after"):
        return ", ".join(ROLES.get(r.strip(), r.strip()) for r in text.replace(";", ",").split(",") if r.strip())
    if key in ("selectors", "to"):
        return audience_text(text)
    if key == "tags":
        return ", ".join(tag_text(t) for t in text.split(",") if t)
    return text


def audit_detail_text(detail: dict[str, Any] | None) -> str:
    """Audit details as "số dòng: 12; thêm: 3" (keys in words, role and tag codes translated)."""
    return "; ".join(f"{DETAIL_KEYS.get(k, k.replace('_', ' '))}: {_value_text(k, v)}" for k, v in (detail or {}).items())


def target_text(target: str | None) -> str:
    """An audit target: ``message:12`` → "tin số 12", ``file:lich.xlsx`` → "tệp lich.xlsx"."""
    if not target:
        return ""
    kind, sep, ident = target.partition(":")
    if not sep:
        return target
    words = {
        "message": "tin số",
        "broadcast": "đợt gửi số",
        "schedule": "lịch",
        "file": "tệp",
        "user": "tài khoản",
        "question": "câu hỏi số",
        "session": "buổi khám số",
    }
    return f"{words.get(kind, kind)} {ident}"


def dmy(value: str | None) -> str:
    """An ISO date (``2026-12-05``, or the date part of a time) as "05/12/2026"; '' for none."""
    text = str(value or "")[:10]
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        return f"{text[8:10]}/{text[5:7]}/{text[:4]}"
    return text


def local_at(text: str | None) -> str:
    """A local time as typed in a schedule (``2026-12-01 08:30``) as "08:30 01/12/2026"."""
    from datetime import datetime

    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"):
        try:
            return datetime.strptime((text or "").strip(), fmt).strftime("%H:%M %d/%m/%Y")
        except ValueError:
            continue
    return text or "—"


#: Titles of the default schedules shipped in ``schedules/*.yaml``.
SCHEDULE_TITLES = {
    "monthly_fake_links": "Cảnh báo đường link giả (hằng tháng)",
    "weekly_scam_warning": "Cảnh báo cuộc gọi lừa đảo (hằng tuần)",
}


def schedule_title(name: str) -> str:
    """A schedule id or file name as a title: ``monthly_fake_links.yaml`` → "Cảnh báo đường link giả
    (hằng tháng)"; an officer's own name keeps its words, without dashes or underscores."""
    stem = PurePath(name).stem if name.endswith((".yaml", ".yml")) else name
    if stem in SCHEDULE_TITLES:
        return SCHEDULE_TITLES[stem]
    words = stem.replace("_", " ").replace("-", " ").strip()
    return (words[:1].upper() + words[1:]) or name


def schedule_source(source: str | None) -> str:
    """Where a schedule came from, in words (the file name is not shown)."""
    if source and source.endswith((".yaml", ".yml")):
        return "Lịch mặc định"
    return {"cli": "Tạo bằng dòng lệnh", "admin": "Tạo trên trang quản trị"}.get(source or "", "")
