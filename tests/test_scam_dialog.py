"""Scam check in chats: private auto-check, /kiemtra, FAQ fall-through, the group guard."""

from __future__ import annotations

from datetime import timedelta

from bot.conversation import Incoming
from bot.dialog import Dialog
from bot.store import Store
from bot.store.events import count_events, recent_events
from tests.conftest import FIXED_NOW

SCAM = "Công an phường thông báo: tài khoản định danh mức 2 của bạn bị lỗi, bấm vneid-gov.com để đồng bộ trong 24h."
WARNING = "Cảnh báo: Công an không bao giờ yêu cầu cung cấp mã OTP. Không bấm link lạ, không cài file .apk."


def _private(text: str, **kw: object) -> Incoming:
    return Incoming(channel="web", chat_id="p1", user_id="p1", text=text, **kw)  # type: ignore[arg-type]


def _group(text: str, *, mid: str = "1", admin: bool = False, addressed: bool = False, at=FIXED_NOW) -> Incoming:
    return Incoming(
        channel="telegram", chat_id="-100", user_id="u7", text=text, chat_kind="group", addressed=addressed,
        sender_is_admin=admin, message_id=mid, chat_title="Tổ dân phố 3", received_at=at,
    )


def test_pasted_scam_in_private_gets_a_verdict_and_an_event(dialog: Dialog, store: Store) -> None:
    (reply,) = dialog.handle(_private(SCAM))
    assert "LỪA ĐẢO" in reply.text and "vneid-gov.com" in reply.text
    ev = recent_events(store, type="scam_checked", limit=1)[0]
    assert ev["value"] == "scam"
    # The raw message is never stored in events.
    assert "vneid-gov" not in (ev["data"] or "")


def test_forwarded_warning_is_not_flagged(dialog: Dialog, store: Store) -> None:
    (reply,) = dialog.handle(_private(WARNING, forwarded=True))
    assert "chưa thấy dấu hiệu" in reply.text
    assert recent_events(store, type="scam_checked", limit=1)[0]["value"] == "clean"


def test_kiemtra_with_text_and_alone(dialog: Dialog, store: Store) -> None:
    (reply,) = dialog.handle(_private("/kiemtra Chào bác, cháu ở trạm y tế, bác đọc giúp cháu mã OTP vừa gửi về máy ạ"))
    assert "LỪA ĐẢO" in reply.text
    (ask,) = dialog.handle(_private("/kiemtra"))
    assert "dán" in ask.text
    # The next message is checked whatever it contains.
    (reply,) = dialog.handle(_private("chúc mừng bạn trúng thưởng xe máy, nhận quà tại quatang-boyte.com"))
    assert "LỪA ĐẢO" in reply.text
    assert count_events(store, "scam_checked") == 2


def test_question_without_scam_sign_falls_through_to_faq(dialog: Dialog, store: Store) -> None:
    replies = dialog.handle(_private("Khám sức khỏe miễn phí có mất phí đăng ký không?"))
    assert replies and "LỪA ĐẢO" not in replies[0].text
    assert count_events(store, "scam_checked") == 0


def test_ordinary_chat_is_not_checked(dialog: Dialog, store: Store) -> None:
    dialog.handle(_private("xin chào Loa"))
    assert count_events(store, "scam_checked") == 0


def test_rumour_gets_the_rebuttal(dialog: Dialog, store: Store) -> None:
    (reply,) = dialog.handle(_private("Khám sức khỏe miễn phí nhưng phải nộp phí đăng ký 200k nhé cả nhà", forwarded=True))
    assert "miễn phí" in reply.text and "Không nộp" in reply.text  # the rebuttal leads with the fact
    assert recent_events(store, type="rumour_rebutted", limit=1)[0]["topic"] == "rumour.fee"


def test_group_guard_is_off_by_default(dialog: Dialog, store: Store) -> None:
    assert dialog.handle(_group(SCAM)) == []
    assert count_events(store, "scam_flagged_in_group") == 0


def test_only_admins_switch_the_guard(dialog: Dialog) -> None:
    (reply,) = dialog.handle(_group("/baove on", addressed=True))
    assert "quản trị viên" in reply.text
    (reply,) = dialog.handle(_group("/baove", addressed=True))
    assert "ĐANG TẮT" in reply.text
    (reply,) = dialog.handle(_group("/baove on", admin=True, addressed=True))
    assert "Đã bật" in reply.text
    (reply,) = dialog.handle(_group("/baove", addressed=True))
    assert "ĐANG BẬT" in reply.text
    (reply,) = dialog.handle(_private("/baove on"))
    assert "trong nhóm" in reply.text


def test_guard_warns_once_per_message_and_stays_quiet_otherwise(dialog: Dialog, store: Store) -> None:
    dialog.handle(_group("/baove on", admin=True, addressed=True))
    (warn,) = dialog.handle(_group(SCAM, mid="10"))
    assert "LỪA ĐẢO" in warn.text and warn.reply_to == "10" and warn.kind == "scam_warning"
    assert dialog.handle(_group(SCAM, mid="10", at=FIXED_NOW + timedelta(minutes=5))) == []  # same message again
    assert dialog.handle(_group(WARNING, mid="11")) == []
    assert dialog.handle(_group("mai họp tổ lúc 8h nhé", mid="12")) == []
    # Suspicious but not confident: silence in groups.
    assert dialog.handle(_group("Nhận quà tại abc-qua.com nhé", mid="13")) == []
    assert count_events(store, "scam_flagged_in_group") == 1


def test_guard_is_rate_limited_per_group(dialog: Dialog, store: Store) -> None:
    dialog.handle(_group("/baove on", admin=True, addressed=True))
    sent = 0
    for i in range(10):
        at = FIXED_NOW + timedelta(seconds=40 * i)
        sent += len(dialog.handle(_group(SCAM + f" #{i}", mid=str(100 + i), at=at)))
    assert sent == 3  # at most three per ten minutes
    # Too soon after the previous warning: quiet.
    later = FIXED_NOW + timedelta(minutes=20)
    assert len(dialog.handle(_group(SCAM, mid="200", at=later))) == 1
    assert dialog.handle(_group(SCAM, mid="201", at=later + timedelta(seconds=5))) == []


def test_guard_off_again(dialog: Dialog, store: Store) -> None:
    dialog.handle(_group("/baove on", admin=True, addressed=True))
    dialog.handle(_group("/baove off", admin=True, addressed=True))
    assert dialog.handle(_group(SCAM, mid="300")) == []
    assert count_events(store, "scam_guard_changed") == 2


def test_guard_state_survives_a_restart_and_old_flags_are_purged(dialog: Dialog, store: Store, settings) -> None:
    from bot.features import build_dialog
    from bot.store import scam as scam_store

    dialog.handle(_group("/baove on", admin=True, addressed=True))
    assert len(dialog.handle(_group(SCAM, mid="400"))) == 1
    restarted = build_dialog(store, settings, clock=lambda: FIXED_NOW)
    # Same message after a restart: still warned only once; the guard is still on.
    assert restarted.handle(_group(SCAM, mid="400", at=FIXED_NOW + timedelta(minutes=1))) == []
    assert len(restarted.handle(_group(SCAM, mid="401", at=FIXED_NOW + timedelta(minutes=2)))) == 1
    assert scam_store.purge_flags(store, before=FIXED_NOW + timedelta(days=8)) == 2
    assert scam_store.guarded_groups(store) == 1


def test_start_hook_warms_the_checker_in_the_background(settings) -> None:
    import asyncio

    from bot.features.scam import Scam
    from bot.runtime import open_runtime

    runtime = open_runtime(settings)
    scam = next(f for f in runtime.features if isinstance(f, Scam))

    async def run() -> None:
        await scam.start(runtime)
        assert scam.state.warmup is not None
        await scam.state.warmup

    asyncio.run(run())
    # The dialog's scam route shares the feature's state: its checker is built.
    assert scam.state.cache is not None and scam.state.cache._checker is not None
    runtime.store.close()


def test_kiemtra_alone_in_a_group_asks_for_the_text_inline(dialog: Dialog) -> None:
    (reply,) = dialog.handle(_group("/kiemtra", addressed=True))
    assert "/kiemtra <tin nhắn>" in reply.text
    # The next group message is not checked on that account (the guard is off).
    assert dialog.handle(_group(SCAM, mid="500")) == []


def test_a_clean_question_after_a_bare_kiemtra_is_also_answered(dialog: Dialog, store: Store) -> None:
    dialog.handle(_private("/kiemtra"))
    replies = dialog.handle(_private("Khám sức khỏe miễn phí ở đâu vậy?"))
    assert len(replies) == 2
    assert replies[0].kind == "scam_check" and "chưa thấy dấu hiệu" in replies[0].text
    assert replies[1].kind != "scam_check" and replies[1].text
    assert count_events(store, "scam_checked") == 1


def test_a_question_without_diacritics_or_mark_after_a_bare_kiemtra_is_answered(dialog: Dialog, store: Store) -> None:
    """Issue 14.4: residents type without "?" or diacritics; the question is answered all the same."""
    dialog.handle(_private("/kiemtra"))
    replies = dialog.handle(_private("kham suc khoe mien phi co phai dong tien khong"))
    assert [r.kind for r in replies][0] == "scam_check" and "chưa thấy dấu hiệu" in replies[0].text
    assert len(replies) == 2 and replies[1].kind != "scam_check" and replies[1].text != replies[0].text
    assert replies[1].kind == "answer" and "MIỄN PHÍ" in replies[1].text  # the FAQ's answer to the question
    # Even a clean verdict says what to do if a code was already read out or money sent.
    assert "Lỡ đọc mã hay chuyển tiền rồi" in replies[0].text and "ngân hàng" in replies[0].text
    # The wait is over: the next message is an ordinary one, not checked again.
    dialog.handle(_private("cảm ơn Loa"))
    assert count_events(store, "scam_checked") == 1


def test_a_scam_after_a_bare_kiemtra_gets_no_faq_answer(dialog: Dialog) -> None:
    dialog.handle(_private("/kiemtra"))
    replies = dialog.handle(_private("Bác đọc giúp cháu 6 số vừa nhận được trong tin nhắn nhé?"))
    assert len(replies) == 1 and "LỪA ĐẢO" in replies[0].text
