"""Welcome and subscriptions: /start, /help, /dangky, /stop and /xoadulieu — who receives
campaign messages, and a resident's request to delete what Loa keeps about them.

/start subscribes the chat, so the commands that open a conversation live here, first in
``/help``. A group's subscription belongs to the group: only its admins change it.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.dialog import Command, Reply, Turn
from bot.features.base import Feature
from bot.store import Store
from bot.store import chats as chat_store
from bot.store.events import log_event


def can_subscribe(turn: Turn) -> bool:
    """Can this chat receive pushed broadcasts at all?"""
    # The web chat and the console cannot receive pushed broadcasts.
    return turn.msg.channel not in ("web", "console")


def may_change_subscription(turn: Turn) -> bool:
    """May the sender change this chat's subscription?"""
    # A group's subscription is the group's: one member (or a scammer who joined) must not
    # silence official messages and warnings for everyone.
    return not turn.is_group or turn.msg.sender_is_admin


def _admins_only() -> list[Reply]:
    return [Reply("Chỉ quản trị viên nhóm mới bật/tắt nhận tin chiến dịch cho cả nhóm.")]


def subscribe(turn: Turn) -> None:
    """Mark the chat active and subscribed; log a subscription only when it is a new one.

    Queued (write-behind): the reply does not wait, and during a lock the chat is
    subscribed once the lock ends. Read and write happen together, in order.
    """
    msg = turn.msg
    event = turn.event_fields()

    def write(store: Store) -> None:
        before = chat_store.get_chat(store, msg.channel, msg.chat_id)
        # The resident is writing to us, so a chat once marked gone (blocked) is reachable again.
        chat_store.upsert_chat(store, msg.channel, msg.chat_id, msg.chat_kind, title=msg.chat_title, status="active")
        chat_store.set_opted_out(store, msg.channel, msg.chat_id, False)
        # Reports count subscriptions: pressing /start again is not a new one.
        if before is None or before["opted_out"] or before["status"] != "active":
            log_event(store, "subscribed", **event)

    turn.write("subscribe", write)


def cmd_subscribe(turn: Turn) -> list[Reply]:
    """/dangky: subscribe this chat to campaign messages."""
    if not can_subscribe(turn):
        return [
            Reply(
                "Trang trò chuyện này không gửi tin tự động được. "
                "Hãy nhắn /dangky cho Loa trên Zalo hoặc Telegram để nhận tin chiến dịch."
            )
        ]
    if not may_change_subscription(turn):
        return _admins_only()
    subscribe(turn)
    where = "nhóm này" if turn.is_group else "bạn"
    return [Reply(f"Đã đăng ký! Loa sẽ gửi {where} tin chính thức về khám sức khỏe miễn phí. Gõ /stop để ngừng.")]


def cmd_stop(turn: Turn) -> list[Reply]:
    """/stop: opt this chat out of campaign messages."""
    msg = turn.msg
    if not may_change_subscription(turn):
        return _admins_only()
    chat = chat_store.get_chat(turn.store, msg.channel, msg.chat_id)
    where = "nhóm này" if turn.is_group else "bạn"
    if chat is None:
        # Nothing to stop (the web chat never subscribes): say so rather than claim a change.
        return [Reply("Bạn chưa đăng ký nhận tin chiến dịch nên không có gì cần ngừng. Gõ /dangky nếu muốn nhận tin.")]
    if chat["opted_out"]:
        return [Reply(f"Đã ngừng gửi tin chiến dịch cho {where} từ trước. Gõ /dangky nếu muốn nhận lại.")]
    event = turn.event_fields()

    def write(store: Store) -> None:
        # Re-read inside the queued write: only a real change counts (not a repeat).
        current = chat_store.get_chat(store, msg.channel, msg.chat_id)
        if current is not None and not current["opted_out"]:
            chat_store.set_opted_out(store, msg.channel, msg.chat_id, True)
            log_event(store, "unsubscribed", **event)

    turn.write("unsubscribe", write)
    return [Reply(f"Đã ngừng gửi tin chiến dịch cho {where}. Gõ /dangky nếu muốn nhận lại.")]


def cmd_forget(turn: Turn) -> list[Reply]:
    """/xoadulieu (private chats only): delete everything that identifies the resident and
    say what went. The deletion itself writes nothing: no event, no resident row."""
    from bot.store.erasure import erase_resident

    msg = turn.msg
    turn.dialog.drop_pending(resident=turn.resident, chat_ref=turn.chat_ref)
    erased = erase_resident(
        turn.store, resident=turn.resident, channel=msg.channel, chat_id=msg.chat_id, chat_ref=turn.chat_ref
    )
    turn.forgotten = True
    turn.topic = "command:xoadulieu"
    parts = [f"{erased.events} bản ghi hoạt động", f"{erased.questions} câu hỏi chưa được trả lời"]
    if erased.subscriptions:
        parts.append("đăng ký nhận tin")
    text = "Loa đã xóa các bản ghi gắn với bạn: " + ", ".join(parts) + "."
    if erased.deliveries:
        text += f" {erased.deliveries} tin Loa đã gửi bạn chỉ còn được đếm, không còn gắn với bạn."
    text += " Loa sẽ không gửi tin cho bạn nữa. Loa không lưu số giấy tờ, mã OTP hay mật khẩu của bạn."
    return [Reply(text)]


def cmd_start(turn: Turn) -> list[Reply]:
    """/start: welcome, subscribe the chat where it can receive broadcasts, show the menu."""
    note = ""
    if can_subscribe(turn) and may_change_subscription(turn):
        subscribe(turn)
        who = "Nhóm này" if turn.is_group else "Bạn"
        note = f"\n{who} sẽ nhận tin chính thức của chiến dịch. Gõ /stop để ngừng nhận."
    welcome = (
        "Xin chào! Loa là trợ lý tin nhắn của chiến dịch khám sức khỏe định kỳ, "
        f"khám sàng lọc miễn phí tại {turn.settings.province}."
    )
    return [turn.dialog.menu.reply(greeting=welcome + note)]


def cmd_help(turn: Turn) -> list[Reply]:
    """/help: the menu and every command."""
    return [turn.dialog.menu.help_reply()]


class Subscriptions(Feature):
    """/start, /help, /dangky, /stop, /xoadulieu."""

    name = "subscriptions"

    def commands(self) -> Sequence[Command]:
        """The opening commands and the subscription switches."""
        return (
            Command(("start", "batdau"), cmd_start, "bắt đầu, nhận tin chiến dịch"),
            Command(("help", "trogiup", "menu"), cmd_help, "xem hướng dẫn"),
            Command(("dangky", "subscribe"), cmd_subscribe, "nhận tin khám sức khỏe miễn phí"),
            Command(("stop", "huy", "huydangky"), cmd_stop, "ngừng nhận tin"),
            Command(("xoadulieu", "forget"), cmd_forget, "xóa dữ liệu của bạn mà Loa lưu", private_only=True),
        )
