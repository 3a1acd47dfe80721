"""Broadcasts in the admin: audience count, create now / at, progress, pause / resume / cancel."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest

from bot.broadcast import broadcasts as lib
from bot.broadcast import messages as messages_lib
from bot.config import Settings
from bot.store.chats import set_unit_and_tags, upsert_chat
from tests.conftest import FIXED_NOW
from tests.test_admin import Admin, open_admin
from tests.test_broadcast_support import approve_as_seen


def approved_message(admin: Admin, body: str = "Khám miễn phí. Gọi {{ hotline }}.") -> int:
    mid, _ = messages_lib.create_message(
        admin.store, kind="campaign", theme="screening", title="Lịch khám", body=body, author="lan"
    )
    messages_lib.submit(admin.store, mid)
    approve_as_seen(admin.store, mid, "minh")
    return mid


@pytest.fixture
def admin(settings: Settings) -> Iterator[Admin]:
    for adm in open_admin(settings):
        adm.add("lan", "editor")
        adm.add("minh", "approver")
        adm.add("ha", "reporter")
        for i in range(3):
            upsert_chat(adm.store, "telegram", f"-100{i}", "group", title=f"Nhóm {i}", member_count=50)
        set_unit_and_tags(adm.store, "telegram", "-1000", tags=["nguoi_cao_tuoi"])
        set_unit_and_tags(adm.store, "telegram", "-1001", tags=["phu_huynh"])
        upsert_chat(adm.store, "zalo", "z1", "private")
        yield adm


def create(admin: Admin, mid: int, **extra: object) -> tuple[int, str]:
    data = {"csrf": admin.csrf(), "message": str(mid), "when": "now", **extra}
    r = admin.client.post("/admin/broadcasts/new", data=data, follow_redirects=False)
    if r.status_code != 303:
        return 0, r.text
    return int(re.search(r"/admin/broadcasts/(\d+)", r.headers["location"]).group(1)), ""  # type: ignore[union-attr]


def test_form_lists_only_approved_messages_and_counts_live(admin: Admin) -> None:
    mid = approved_message(admin)
    messages_lib.create_message(
        admin.store, kind="campaign", theme="other", title="Nháp", body="x", author="lan"
    )
    admin.store.conn.execute("UPDATE chats SET tags = '[\"hộ nghèo\"]' WHERE chat_id = '-1002'")
    admin.login("lan")
    page = admin.client.get(f"/admin/broadcasts/new?message={mid}")
    assert page.status_code == 200 and "Lịch khám" in page.text and "Nháp" not in page.text
    assert "<strong>4</strong> nhóm/người nhận" in page.text
    # Only tags a selector can match are offered.
    assert 'value="nguoi_cao_tuoi"' in page.text and 'value="hộ nghèo"' not in page.text
    frag = admin.client.get("/admin/broadcasts/count?tag=nguoi_cao_tuoi")
    assert "<strong>1</strong>" in frag.text and "khoảng 50 thành viên" in frag.text
    frag = admin.client.get("/admin/broadcasts/count?channel=zalo&kind=group")
    assert "<strong>0</strong>" in frag.text and "Không có ai" in frag.text
    frag = admin.client.get("/admin/broadcasts/count?unit=Không có xã này")
    assert "Chưa chọn đúng người nhận" in frag.text


def test_no_approved_message_explains(admin: Admin) -> None:
    admin.login("lan")
    assert "Chưa có tin nào được duyệt" in admin.client.get("/admin/broadcasts/new").text


def test_create_now_to_a_tag_and_watch_progress(admin: Admin) -> None:
    mid = approved_message(admin)
    admin.login("lan")
    bid, err = create(admin, mid, tag="phu_huynh", channel="telegram")
    assert bid, err
    st = lib.status(admin.store, bid)
    assert st["state"] == "scheduled" and st["selectors"] == ["channel:telegram", "tag:phu_huynh"]
    assert st["created_by"] == "lan" and st["scheduled_at"] == FIXED_NOW.strftime("%Y-%m-%dT%H:%M:%S")
    page = admin.client.get(f"/admin/broadcasts/{bid}")
    assert st["code"] in page.text and admin.settings.health_hotline in page.text and "Tạm dừng" in page.text
    assert "data-poll" in page.text
    assert "Đã lên lịch" in admin.client.get(f"/admin/broadcasts/{bid}/progress").text
    entry = admin.audit()[0]
    assert (
        entry["action"] == "broadcast.create"
        and entry["detail"]["selectors"] == "channel:telegram tag:phu_huynh"
    )
    assert st["code"] in admin.client.get("/admin/broadcasts").text


def test_create_at_a_local_time(admin: Admin) -> None:
    mid = approved_message(admin)
    admin.login("lan")
    bid, err = create(admin, mid, when="at", at="2026-11-25T08:30")
    assert bid, err
    assert (
        lib.status(admin.store, bid)["scheduled_at"] == "2026-11-25T01:30:00"
    )  # 08:30 in Hà Nội = 01:30 UTC


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        ({"when": "at", "at": "2026-11-01T08:30"}, "đã qua"),
        ({"when": "at", "at": "ngày mai"}, "Không đọc được thời điểm"),
        ({"unit": "Không có xã này"}, "Không có xã này"),
        ({"channel": "fax"}, "Không có kênh"),
        ({"message": "999"}, "Không có tin số 999"),
        ({"message": "abc"}, "Không thực hiện được"),
    ],
)
def test_bad_broadcasts_are_refused_with_the_form_kept(admin: Admin, extra: dict, fragment: str) -> None:
    mid = approved_message(admin)
    admin.login("lan")
    bid, text = create(admin, mid, tag="phu_huynh", **extra)
    assert bid == 0 and fragment in text
    assert 'value="phu_huynh" checked' in text
    assert lib.list_recent(admin.store) == []


def test_unapproved_message_cannot_be_broadcast(admin: Admin) -> None:
    mid, _ = messages_lib.create_message(
        admin.store, kind="campaign", theme="other", title="t", body="x", author="lan"
    )
    admin.login("lan")
    bid, text = create(admin, mid)
    assert bid == 0 and "chưa có bản đã duyệt" in text


def test_pause_resume_cancel(admin: Admin) -> None:
    mid = approved_message(admin)
    admin.login("lan")
    bid, _ = create(admin, mid)
    for action, state in (("pause", "paused"), ("resume", "scheduled"), ("cancel", "cancelled")):
        r = admin.client.post(
            f"/admin/broadcasts/{bid}/{action}", data={"csrf": admin.csrf()}, follow_redirects=False
        )
        assert r.status_code == 303, r.text
        assert lib.status(admin.store, bid)["state"] == state
    r = admin.client.post(f"/admin/broadcasts/{bid}/cancel", data={"csrf": admin.csrf()})
    assert r.status_code == 400 and "đã xong hoặc đã hủy" in r.text
    assert [e["action"] for e in admin.audit()][:3] == [
        "broadcast.cancel",
        "broadcast.resume",
        "broadcast.pause",
    ]
    assert admin.client.post("/admin/broadcasts/99/pause", data={"csrf": admin.csrf()}).status_code == 404


def test_reporter_sees_progress_but_cannot_act(admin: Admin) -> None:
    mid = approved_message(admin)
    admin.login("lan")
    bid, _ = create(admin, mid)
    admin.clock.at += timedelta(minutes=1)
    admin.client.cookies.clear()
    admin.login("ha")
    page = admin.client.get(f"/admin/broadcasts/{bid}")
    assert page.status_code == 200 and "Tạm dừng" not in page.text
    assert (
        admin.client.post(f"/admin/broadcasts/{bid}/cancel", data={"csrf": admin.csrf()}).status_code == 403
    )
    assert admin.client.get("/admin/broadcasts/99").status_code == 404
