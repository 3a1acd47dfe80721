"""Message versions and the four-eyes approval rule, enforced by the library."""

from __future__ import annotations

import pytest

from bot.broadcast import broadcasts, messages
from bot.broadcast.errors import ApprovalError, BroadcastError
from bot.config import Settings
from bot.store import Store
from bot.store import broadcast as db
from bot.users import add_user
from tests.test_broadcast_support import BODY, approve_as_seen, officers


def _draft(store: Store, body: str = BODY) -> int:
    officers(store)
    message_id, _ = messages.create_message(
        store, kind="campaign", theme="screening", title="Lịch khám", body=body, author="bien_tap"
    )
    return message_id


def _state(store: Store, message_id: int) -> str:
    return db.list_messages(store)[message_id - 1]["state"]


def test_draft_pending_approved(store: Store) -> None:
    mid = _draft(store)
    assert _state(store, mid) == "draft"
    messages.submit(store, mid)
    assert _state(store, mid) == "pending"
    approve_as_seen(store, mid, "lanh_dao")
    assert _state(store, mid) == "approved"
    version = messages.approved_version(store, mid)
    assert version["approver"] == "lanh_dao" and version["author"] == "bien_tap" and version["decided_at"]


def test_author_cannot_approve_own_text_even_as_approver(store: Store, settings: Settings) -> None:
    add_user(store, "ca_hai", ["editor", "approver"])
    mid, _ = messages.create_message(store, kind="campaign", theme="vneid", title="t", body="Xin chào", author="ca_hai")
    messages.submit(store, mid)
    with pytest.raises(ApprovalError, match="four-eyes"):
        approve_as_seen(store, mid, "CA_HAI")
    with pytest.raises(ApprovalError, match="four-eyes"):
        messages.reject(store, settings, mid, "ca_hai", "không rõ")
    assert _state(store, mid) == "pending"


def test_only_approvers_approve_and_only_approved_can_be_sent(store: Store, settings: Settings) -> None:
    mid = _draft(store)
    add_user(store, "bien_tap_2", ["editor"])
    with pytest.raises(ApprovalError, match="submit it first"):
        approve_as_seen(store, mid, "lanh_dao")
    messages.submit(store, mid)
    with pytest.raises(Exception, match="approver role"):
        approve_as_seen(store, mid, "bien_tap_2")
    with pytest.raises(Exception, match="no such user"):
        approve_as_seen(store, mid, "ghost")
    with pytest.raises(ApprovalError, match="no approved version"):
        broadcasts.create_broadcast(store, settings, message_id=mid, selectors=["all"], created_by="bien_tap")


def test_reject_needs_reason_and_edit_makes_new_draft(store: Store, settings: Settings) -> None:
    mid = _draft(store)
    messages.submit(store, mid)
    with pytest.raises(ApprovalError, match="reason"):
        messages.reject(store, settings, mid, "lanh_dao", "  ")
    messages.reject(store, settings, mid, "lanh_dao", "Sai ngày khám")
    assert _state(store, mid) == "rejected"
    vid = messages.edit_message(store, mid, BODY + "\nĐã sửa ngày.", "bien_tap")
    versions = db.versions_of(store, mid)
    assert [v["state"] for v in versions] == ["rejected", "draft"] and versions[-1]["id"] == vid
    assert versions[0]["reason"] == "Sai ngày khám"


def test_editing_approved_keeps_it_in_force_until_new_approval(store: Store) -> None:
    mid = _draft(store)
    messages.submit(store, mid)
    first = approve_as_seen(store, mid, "lanh_dao")
    messages.edit_message(store, mid, "Nội dung mới {{ hotline }}", "bien_tap")
    assert messages.approved_version(store, mid)["id"] == first
    messages.submit(store, mid)
    second = approve_as_seen(store, mid, "lanh_dao")
    states = [v["state"] for v in db.versions_of(store, mid)]
    assert states == ["retired", "approved"] and messages.approved_version(store, mid)["id"] == second
    messages.retire(store, mid, "lanh_dao")
    with pytest.raises(ApprovalError):
        messages.approved_version(store, mid)


@pytest.mark.parametrize(
    ("body", "match"),
    [("", "empty"), ("{% if %}", "Mẫu tin có lỗi ở dòng 1"), ("x" * 1800, "limit")],
)
def test_bad_bodies_are_refused(store: Store, body: str, match: str) -> None:
    officers(store)
    with pytest.raises(BroadcastError, match=match):
        messages.create_message(store, kind="campaign", theme="screening", title="t", body=body, author="bien_tap")


def test_bad_kind_theme_and_non_editor(store: Store) -> None:
    officers(store)
    with pytest.raises(BroadcastError, match="kind"):
        messages.create_message(store, kind="spam", theme="screening", title="t", body="x", author="bien_tap")
    with pytest.raises(BroadcastError, match="theme"):
        messages.create_message(store, kind="campaign", theme="x", title="t", body="x", author="bien_tap")
    with pytest.raises(ApprovalError, match="editor role"):
        messages.create_message(store, kind="campaign", theme="other", title="t", body="x", author="lanh_dao")


def test_missing_variable_is_clear(store: Store, settings: Settings) -> None:
    from tests.test_broadcast_support import approved_message

    mid = approved_message(store, "Khám ngày {{ dates }}")
    with pytest.raises(BroadcastError, match="Chưa có giá trị cho {{ dates }}"):
        broadcasts.create_broadcast(store, settings, message_id=mid, selectors=["all"], created_by="bien_tap")
    bid = broadcasts.create_broadcast(
        store, settings, message_id=mid, selectors=["all"], created_by="bien_tap", variables={"dates": "01/12"}
    )
    assert broadcasts.get(store, bid)["text"] == "Khám ngày 01/12"
