"""/xoadulieu (issue 12, finding 9): after it, nothing in the database identifies the resident.

A real SQLite file; the resident subscribes, asks questions Loa cannot answer, checks a
suspicious message, speaks in a group and switches its scam guard, and receives a broadcast.
After /xoadulieu every table is searched for the raw chat id, the resident's keyed hash and
the private chat's keyed hash; another resident's data and the group stay.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bot.config import Settings
from bot.conversation import Incoming
from bot.dialog import Dialog
from bot.privacy import keyed_hash
from bot.store import Store
from bot.store import chats as chat_store
from bot.store.faq import list_unanswered
from bot.store.outbox import expand

RESIDENT = "5550001234"
OTHER = "5550009999"
GROUP = "-100777"
UNANSWERED = "giá vàng hôm nay thế nào"
ONLY_MINE = "xem bói tuổi dần năm nay"


def _private(text: str, who: str = RESIDENT) -> Incoming:
    return Incoming(channel="telegram", chat_id=who, user_id=who, text=text)


def _in_group(text: str, who: str = RESIDENT, admin: bool = False) -> Incoming:
    return Incoming(
        channel="telegram", chat_id=GROUP, user_id=who, chat_kind="group", text=text, sender_is_admin=admin
    )


def _every_value(path: Path) -> list[tuple[str, str]]:
    """(table, value) for every cell of every table, read through a separate connection."""
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return [(t, str(v)) for t in tables for row in conn.execute(f'SELECT * FROM "{t}"') for v in row]
    finally:
        conn.close()


def _live(dialog: Dialog, store: Store) -> None:
    for who in (RESIDENT, OTHER):
        dialog.handle(_private("/start", who))
        dialog.handle(_private(UNANSWERED, who))
    dialog.handle(_private(ONLY_MINE))
    dialog.handle(_private("/kiemtra Tài khoản VNeID của bạn bị khóa, bấm http://vneid-gov.top/mo-khoa để mở"))
    dialog.handle(_in_group("/help"))
    dialog.handle(_in_group("/baove on", admin=True))
    dialog.handle(_in_group("/help", OTHER))
    store.conn.execute(
        "INSERT INTO broadcasts (id, version_id, code, theme, kind, created_by, created_at, scheduled_at, state,"
        " selectors) VALUES (1, 1, 'HP-TEST01', 'screening', 'campaign', 'lan', '2026-11-20T00:00:00',"
        " '2026-11-20T00:00:00', 'done', '[]')"
    )
    expand(store, 1, [chat_store.get_chat(store, "telegram", c) or {} for c in (RESIDENT, OTHER, GROUP)])
    store.conn.execute("UPDATE deliveries SET status = 'sent', sent_at = '2026-11-20T01:00:00'")


def test_after_xoadulieu_no_table_holds_the_resident(dialog: Dialog, store: Store, settings: Settings) -> None:
    secret = settings.secret()
    resident = keyed_hash(secret, "resident", "telegram", RESIDENT)
    chat_ref = keyed_hash(secret, "chat", "telegram", RESIDENT)
    _live(dialog, store)
    before = _every_value(Path(settings.db))
    for needle in (RESIDENT, resident, chat_ref):
        assert any(needle in v for _, v in before), needle  # the scenario did store them

    (reply,) = dialog.handle(_private("/xoadulieu"))

    after = _every_value(Path(settings.db))
    for needle in (RESIDENT, resident, chat_ref):
        found = sorted({t for t, v in after if needle in v})
        assert not found, (needle, found)
    # Not even the deletion request left a row or an event behind.
    assert store.conn.execute("SELECT count(*) FROM events WHERE topic = 'command:xoadulieu'").fetchone()[0] == 0
    # What stays: the other resident, the group, the shared question (now asked once), the
    # sent broadcasts as counts.
    other = keyed_hash(secret, "resident", "telegram", OTHER)
    assert any(other in v for _, v in after) and chat_store.get_chat(store, "telegram", OTHER)
    group = chat_store.get_chat(store, "telegram", GROUP)
    assert group is not None and group["kind"] == "group"  # groups are not residents
    questions = {q["question"]: q["count"] for q in list_unanswered(store)}
    assert questions == {UNANSWERED: 1}
    assert store.conn.execute("SELECT count(*) FROM deliveries WHERE status = 'sent'").fetchone()[0] == 3
    # The reply says what went, in numbers, politely and briefly.
    text = reply.text
    assert text.startswith("Loa đã xóa các bản ghi gắn với bạn:") and "2 câu hỏi chưa được trả lời" in text
    assert "đăng ký nhận tin" in text and "1 tin Loa đã gửi bạn" in text and len(text) < 400


def test_the_database_file_keeps_no_bytes_of_the_raw_chat_id(dialog: Dialog, store: Store, settings: Settings) -> None:
    _live(dialog, store)
    dialog.handle(_private("/xoadulieu"))
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = Path(settings.db).read_bytes()
    assert RESIDENT.encode() not in data and OTHER.encode() in data
