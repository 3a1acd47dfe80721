"""What residents read: the verdict, its reasons and what to do — short, for a phone screen."""

from __future__ import annotations

from bot.config import Settings
from bot.scam.checker import Verdict

ASK_TO_PASTE = (
    "Hãy dán (hoặc chuyển tiếp) tin nhắn bạn nghi ngờ vào đây, Loa sẽ kiểm tra ngay.\n"
    "Ví dụ: /kiemtra Công an phường thông báo tài khoản định danh của bạn bị lỗi…"
)


MAX_REASONS = 3


def _bullets(reasons: list[str], limit: int = MAX_REASONS) -> str:
    return "\n".join(f"• {r}" for r in reasons[:limit])


def next_steps(settings: Settings) -> str:
    """What to do, on every verdict: no codes, the report numbers, the ward police."""
    return (
        "Không đọc mã OTP / mã xác nhận cho ai, không chuyển tiền theo tin nhắn. "
        f"Gặp tin đáng ngờ: gọi {settings.spam_report_number} hoặc báo Công an xã/phường. "
        "Lỡ đọc mã hay chuyển tiền rồi: gọi ngay ngân hàng để khóa tài khoản."
    )


def verdict_text(verdict: Verdict, settings: Settings) -> str:
    """The private-chat reply for a checked message."""
    if verdict.verdict == "official":
        text = "✅ TIN CHÍNH THỨC\n" + _bullets(verdict.reasons)
        text += "\nBạn có thể làm theo hướng dẫn trong tin. Trang chính thức luôn kết thúc bằng .gov.vn.\n" + next_steps(settings)
    elif verdict.verdict == "scam":
        text = (
            "⛔ CÓ DẤU HIỆU LỪA ĐẢO — đừng làm theo tin này.\n"
            f"{_bullets(verdict.reasons)}\n\n"
            "Nên làm:\n"
            "1. Không bấm link, không cài ứng dụng, không chuyển tiền, không đọc mã OTP / mật khẩu.\n"
            f"2. Báo tin nhắn, cuộc gọi rác tới {settings.spam_report_number} hoặc Công an xã/phường.\n"
            "3. Lỡ làm theo rồi: gọi ngay ngân hàng để khóa tài khoản, đổi mật khẩu, "
            f"gọi tổng đài VNeID {settings.vneid_hotline}."
        )
    elif verdict.verdict == "suspicious":
        text = (
            "⚠️ ĐÁNG NGỜ — hãy cẩn thận.\n"
            f"{_bullets(verdict.reasons)}\n\n"
            "Trước khi làm theo, hãy tự gọi số chính thức để hỏi lại "
            f"(VNeID {settings.vneid_hotline}, BHXH {settings.bhxh_hotline}, y tế {settings.health_hotline}) "
            f"hoặc hỏi {settings.local_contact}.\n" + next_steps(settings)
        )
    else:
        # Signals too weak for a verdict (often a warning describing a scam): say they are only
        # mentioned, so "no clear sign" is not followed by what reads as an accusation.
        mentioned = verdict.reasons[1:3]
        extra = ("Tin có nhắc tới:\n" + _bullets(mentioned) + "\n") if mentioned else ""
        text = (
            "🟢 Loa chưa thấy dấu hiệu lừa đảo rõ ràng trong tin này.\n"
            f"{extra}"
            "Vẫn nhớ: trang của Nhà nước kết thúc bằng .gov.vn; khám sức khỏe miễn phí không thu phí.\n" + next_steps(settings)
        )
    if verdict.rumour_answer:
        text += "\n\nℹ️ " + verdict.rumour_answer
    return text


def group_warning_text(verdict: Verdict, settings: Settings) -> str:
    """The one short warning the group guard posts under a likely scam."""
    # The two most specific reasons: what it asks for, and usually which link it is.
    top = " ".join(verdict.reasons[:2]) if verdict.reasons else "nhiều dấu hiệu lừa đảo."
    return (
        f"⚠️ Loa cảnh báo: tin nhắn trên có dấu hiệu LỪA ĐẢO — {top}\n"
        "Mọi người đừng bấm link, đừng chuyển tiền, đừng đọc mã OTP. "
        f"Báo lừa đảo: {settings.spam_report_number}."
    )
