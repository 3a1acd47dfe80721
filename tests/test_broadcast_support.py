"""Helpers shared by the broadcast tests (no tests here): officers, messages, chats."""

from __future__ import annotations

from bot.broadcast import messages
from bot.config import Settings
from bot.store import Store
from bot.store import chats as chat_store
from bot.users import add_user

BODY = (
    "Khám sức khỏe miễn phí tại {{ commune | default('xã/phường của bạn') }} {{ dates | default('trong tháng 12') }}.\n"
    "Mang theo CCCD và thẻ BHYT. Hỏi thêm: {{ hotline }}."
)


def officers(store: Store) -> None:
    """An editor (bien_tap) and an approver (lanh_dao)."""
    add_user(store, "bien_tap", ["editor"])
    add_user(store, "lanh_dao", ["approver"])


def approved_message(store: Store, body: str = BODY, *, kind: str = "campaign", theme: str = "screening") -> int:
    """A message written by bien_tap and approved by lanh_dao; returns the message id."""
    if store.conn.execute("SELECT count(*) FROM users").fetchone()[0] == 0:
        officers(store)
    message_id, _ = messages.create_message(
        store, kind=kind, theme=theme, title="Lịch khám", body=body, author="bien_tap"
    )
    messages.submit(store, message_id)
    approve_as_seen(store, message_id, "lanh_dao")
    return message_id


def approve_as_seen(store: Store, message_id: int, by: str, settings: Settings | None = None) -> int:
    """Approve the latest version the way an approver does: naming the version and text hash they saw."""
    settings = settings or Settings(_env_file=None)  # type: ignore[call-arg]
    seen = messages.review(store, settings, message_id)
    return messages.approve(
        store, settings, message_id, by, version_id=seen.version_id, text_hash=seen.text_hash
    ).version_id


def add_chats(
    store: Store, n: int, *, channel: str = "telegram", kind: str = "group", unit: str = "", tags: list[str] | None = None,
    start: int = 1,
) -> list[str]:
    """``n`` chats with ids start..start+n-1 (negative for groups, like Telegram)."""
    ids = []
    rows = []
    for i in range(start, start + n):
        chat_id = str(-1000000 - i if kind == "group" else 500000 + i)
        rows.append((channel, chat_id, kind, f"Nhóm {i}", unit, _tags_json(tags), 25))
        ids.append(chat_id)
    with store.transaction() as conn:
        conn.executemany(
            "INSERT OR IGNORE INTO chats (channel, chat_id, kind, title, unit, tags, status, opted_out, member_count,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'active', 0, ?, '2026-11-01T00:00:00',"
            " '2026-11-01T00:00:00')",
            rows,
        )
    return ids


def _tags_json(tags: list[str] | None) -> str:
    import json

    return json.dumps(sorted(tags or []))


__all__ = ["BODY", "add_chats", "approved_message", "chat_store", "officers"]
