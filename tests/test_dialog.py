"""The conversation core: commands, aliases, menu, numbered choices, seams, events."""

from __future__ import annotations

from bot.conversation import Choice, Incoming, Reply
from bot.dialog import Dialog, Turn
from bot.store import Store
from bot.store import chats as chat_store
from bot.store.events import recent_events


def _msg(text: str, **kw: object) -> Incoming:
    base: dict[str, object] = {"channel": "telegram", "chat_id": "42", "user_id": "7", "text": text}
    base.update(kw)
    return Incoming(**base)  # type: ignore[arg-type]


def test_help_and_vietnamese_alias_show_menu(dialog: Dialog) -> None:
    for cmd in ("/help", "/trogiup", "/menu", "/HELP@LoaBot"):
        (reply,) = dialog.handle(_msg(cmd))
        assert "Loa có thể giúp bạn" in reply.text
        assert "1. " in reply.text and reply.choices
        assert "/stop" in reply.text


def test_start_subscribes_private_chat_and_stop_opts_out(dialog: Dialog, store: Store) -> None:
    (reply,) = dialog.handle(_msg("/start"))
    assert "Xin chào" in reply.text
    chat = chat_store.get_chat(store, "telegram", "42")
    assert chat is not None and chat["opted_out"] == 0 and chat["kind"] == "private"
    (reply,) = dialog.handle(_msg("/huy"))
    assert "ngừng" in reply.text
    assert chat_store.get_chat(store, "telegram", "42")["opted_out"] == 1  # type: ignore[index]
    types = [e["type"] for e in recent_events(store)]
    assert "subscribed" in types and "unsubscribed" in types


def test_web_channel_cannot_subscribe(dialog: Dialog, store: Store) -> None:
    (reply,) = dialog.handle(Incoming(channel="web", chat_id="s1", user_id="s1", text="/dangky"))
    assert "Zalo" in reply.text
    assert chat_store.get_chat(store, "web", "s1") is None


def test_unknown_command_explains_and_shows_menu(dialog: Dialog) -> None:
    (reply,) = dialog.handle(_msg("/khongco"))
    assert "chưa hiểu lệnh /khongco" in reply.text


def test_empty_message_gets_menu(dialog: Dialog) -> None:
    (reply,) = dialog.handle(_msg("   "))
    assert reply.kind == "menu"


def test_group_chatter_is_ignored_but_commands_answered(dialog: Dialog, store: Store) -> None:
    group = {"chat_id": "-5", "chat_kind": "group", "chat_title": "Khu phố 3", "message_id": "99"}
    assert dialog.handle(_msg("chào cả nhà, mai đi chợ không", addressed=False, **group)) == []
    (reply,) = dialog.handle(_msg("/help", **group))
    assert reply.reply_to == "99"  # in groups, answer under the message
    chat = chat_store.get_chat(store, "telegram", "-5")
    assert chat is not None and chat["kind"] == "group" and chat["title"] == "Khu phố 3"


def test_private_only_command_refused_in_group(dialog: Dialog) -> None:
    (reply,) = dialog.handle(_msg("/xoadulieu", chat_id="-5", chat_kind="group"))
    assert "tin nhắn riêng" in reply.text


def test_huge_and_odd_input_is_answered(dialog: Dialog) -> None:
    huge = "khám " * 40_000  # 200 kB
    replies = dialog.handle(_msg(huge))
    assert replies and all(r.text for r in replies)
    replies = dialog.handle(_msg("\x00\ud800\u202e\ufeff🙂" * 100))
    assert replies and replies[0].text


def test_text_handler_seam_priority_and_numbered_choices(store: Store, settings: object) -> None:
    from bot.features import build_dialog

    d = build_dialog(store, settings)  # type: ignore[arg-type]
    seen: list[str] = []

    def early(turn: Turn) -> list[Reply] | None:
        seen.append("early:" + turn.text)
        if turn.text == "chọn":
            return [Reply("Bạn chọn:\n1. A\n2. B", (Choice("A", "trả lời A"), Choice("B", "trả lời B")))]
        return None

    def late(turn: Turn) -> list[Reply] | None:
        turn.topic = "test.topic"
        return [Reply(f"nhận: {turn.text}")]

    d.add_text_handler("late", late, priority=-1)
    d.add_text_handler("early", early, priority=-2)
    assert d.handle(_msg("chọn"))[0].choices
    (reply,) = d.handle(_msg("2"))  # the number picks the pending choice
    assert reply.text == "nhận: trả lời B"
    (reply,) = d.handle(_msg("2"))  # choices are consumed: now "2" is plain text
    assert reply.text == "nhận: 2"
    assert seen[0] == "early:chọn"
    last = recent_events(store, type="interaction")[0]
    assert last["topic"] == "test.topic" and last["latency_ms"] is not None
    assert last["resident"] and last["resident"] != "7"  # keyed hash, never the raw id


def test_forget_deletes_my_rows(dialog: Dialog, store: Store) -> None:
    dialog.handle(_msg("/start"))
    assert recent_events(store)
    (reply,) = dialog.handle(_msg("/xoadulieu"))
    assert "đã xóa" in reply.text.lower()
    # the deletion request itself leaves no trace either
    assert recent_events(store) == []


def test_events_kept_in_memory_when_database_locked(dialog: Dialog, store: Store, settings: object) -> None:
    import sqlite3

    holder = sqlite3.connect(str(store.path), isolation_level=None)
    store.conn.execute("PRAGMA busy_timeout = 20")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        (reply,) = dialog.handle(_msg("/help"))  # the resident still gets the answer
        assert "Loa có thể giúp bạn" in reply.text
        assert len(dialog.writes)  # kept, not lost
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert dialog.flush_backlog()
    assert any(e["topic"] == "command:help" for e in recent_events(store, type="interaction"))
