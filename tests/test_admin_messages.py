"""Messages in the admin: draft with preview, submit, approve / reject, four-eyes, audit."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from bot.broadcast import messages as lib
from bot.config import Settings
from tests.test_admin import Admin, open_admin

BODY = "Khám sức khỏe miễn phí tại {{ commune }}. Gọi {{ hotline }} nếu cần hỗ trợ."


@pytest.fixture
def admin(settings: Settings) -> Iterator[Admin]:
    for adm in open_admin(settings):
        adm.add("lan", "editor")
        adm.add("minh", "approver")
        adm.add("hoa", "editor", "approver")
        yield adm


def draft(admin: Admin, body: str = BODY, action: str = "save") -> int:
    r = admin.client.post(
        "/admin/messages/new",
        data={
            "csrf": admin.csrf(),
            "kind": "campaign",
            "theme": "screening",
            "title": "Lịch khám",
            "body": body,
            "action": action,
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    return int(re.search(r"/admin/messages/(\d+)", r.headers["location"]).group(1))  # type: ignore[union-attr]


def switch(admin: Admin, name: str) -> None:
    admin.client.cookies.clear()
    admin.login(name)


def seen(admin: Admin, mid: int) -> dict[str, str]:
    """The version id and text hash the approve form names, read from the page the approver sees."""
    page = admin.client.get(f"/admin/messages/{mid}").text
    version = re.search(r'name="version_id" value="(\d+)"', page)
    digest = re.search(r'name="text_hash" value="([0-9a-f]{64})"', page)
    assert version and digest, page
    return {"version_id": version.group(1), "text_hash": digest.group(1)}


def preview(admin: Admin, body: str | None) -> str:
    data = {"csrf": admin.csrf()} | ({"body": body} if body is not None else {})
    r = admin.client.post("/admin/messages/preview", data=data)
    assert r.status_code == 200
    return r.text


def test_editor_drafts_with_preview_and_submits(admin: Admin) -> None:
    admin.login("lan")
    form = admin.client.get("/admin/messages/new")
    assert form.status_code == 200 and "Xem trước trên từng kênh" in form.text
    frag = preview(admin, BODY)
    assert "Zalo" in frag and "Telegram" in frag and "[xã/phường]" in frag
    assert admin.settings.health_hotline in frag
    mid = draft(admin)
    page = admin.client.get(f"/admin/messages/{mid}")
    assert "Bản nháp" in page.text and "Gửi duyệt" in page.text
    r = admin.client.post(
        f"/admin/messages/{mid}/submit", data={"csrf": admin.csrf()}, follow_redirects=False
    )
    assert r.status_code == 303
    assert lib.message_detail(admin.store, mid)["versions"][-1]["state"] == "pending"
    actions = [e["action"] for e in admin.audit()]
    assert actions[:2] == ["message.submit", "message.create"]


def test_preview_warns_about_length_and_bad_templates(admin: Admin) -> None:
    admin.login("lan")
    long = preview(admin, "a" * 1650)
    assert "Gần giới hạn" in long or "Quá dài" in long
    bad = preview(admin, "Xin chào {{ ")
    assert "Mẫu tin chưa hợp lệ" in bad
    empty = preview(admin, None)
    assert "Mẫu tin chưa hợp lệ" in empty


def test_invalid_draft_is_shown_with_the_error(admin: Admin) -> None:
    admin.login("lan")
    r = admin.client.post(
        "/admin/messages/new",
        data={"csrf": admin.csrf(), "kind": "campaign", "theme": "nope", "title": "x", "body": "Nội dung"},
    )
    assert r.status_code == 400 and "Không thực hiện được" in r.text and "Nội dung" in r.text
    assert lib.list_messages(admin.store) == []


def test_approver_approves_someone_elses_message(admin: Admin) -> None:
    admin.login("lan")
    mid = draft(admin, action="submit")
    switch(admin, "minh")
    page = admin.client.get(f"/admin/messages/{mid}")
    assert "Duyệt tin" in page.text and "Từ chối" in page.text
    r = admin.client.post(
        f"/admin/messages/{mid}/approve", data={"csrf": admin.csrf(), **seen(admin, mid)}, follow_redirects=False
    )
    assert r.status_code == 303 and r.headers["location"].endswith("ok=approved")
    version = lib.approved_version(admin.store, mid)
    assert version["approver"] == "minh" and version["author"] == "lan"
    assert admin.audit()[0]["action"] == "message.approve" and admin.audit()[0]["user"] == "minh"


def test_four_eyes_author_cannot_approve_own_text(admin: Admin) -> None:
    admin.login("hoa")  # editor and approver
    mid = draft(admin, action="submit")
    page = admin.client.get(f"/admin/messages/{mid}")
    assert "không thể tự duyệt" in page.text
    assert f'action="/admin/messages/{mid}/approve"' not in page.text
    # Forcing the request anyway: the library refuses, nothing changes, the refusal is audited.
    version = lib.review(admin.store, admin.settings, mid)
    forced = {"version_id": str(version.version_id), "text_hash": version.text_hash}
    r = admin.client.post(f"/admin/messages/{mid}/approve", data={"csrf": admin.csrf(), **forced})
    assert r.status_code == 400 and "không tự duyệt" in r.text
    assert lib.message_detail(admin.store, mid)["versions"][-1]["state"] == "pending"
    assert admin.audit()[0]["action"] == "message.approve.refused"
    r = admin.client.post(
        f"/admin/messages/{mid}/reject", data={"csrf": admin.csrf(), "reason": "tự từ chối"}
    )
    assert r.status_code == 400


def test_reject_needs_a_reason_and_shows_it(admin: Admin) -> None:
    admin.login("lan")
    mid = draft(admin, action="submit")
    switch(admin, "minh")
    r = admin.client.post(f"/admin/messages/{mid}/reject", data={"csrf": admin.csrf(), "reason": "  "})
    assert r.status_code == 400
    r = admin.client.post(
        f"/admin/messages/{mid}/reject",
        data={"csrf": admin.csrf(), "reason": "Sai ngày khám"},
        follow_redirects=True,
    )
    assert r.status_code == 200 and "Sai ngày khám" in r.text and "Bị từ chối" in r.text
    assert admin.audit()[0]["detail"]["reason"] == "Sai ngày khám"


def test_edit_makes_a_new_draft_and_approved_stays(admin: Admin) -> None:
    admin.login("lan")
    mid = draft(admin, action="submit")
    switch(admin, "minh")
    admin.client.post(f"/admin/messages/{mid}/approve", data={"csrf": admin.csrf(), **seen(admin, mid)})
    switch(admin, "lan")
    assert "Khám sức khỏe" in admin.client.get(f"/admin/messages/{mid}/edit").text
    r = admin.client.post(
        f"/admin/messages/{mid}/edit",
        data={"csrf": admin.csrf(), "body": "Bản mới {{ hotline }}"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    versions = lib.message_detail(admin.store, mid)["versions"]
    assert [v["state"] for v in versions] == ["approved", "draft"]
    bad = admin.client.post(f"/admin/messages/{mid}/edit", data={"csrf": admin.csrf(), "body": ""})
    assert bad.status_code == 400


def test_unknown_message_is_404(admin: Admin) -> None:
    admin.login("minh")
    assert admin.client.get("/admin/messages/999").status_code == 404
    assert admin.client.post("/admin/messages/999/approve", data={"csrf": admin.csrf()}).status_code == 404
    assert admin.client.get("/admin/messages/abc").status_code == 404


def test_list_filters_by_state(admin: Admin) -> None:
    admin.login("lan")
    assert "Chưa có tin nhắn nào" in admin.client.get("/admin/messages").text
    draft(admin)
    draft(admin, action="submit")
    page = admin.client.get("/admin/messages?state=pending").text
    assert page.count("/admin/messages/2") >= 1 and '/admin/messages/1"' not in page
    assert "Chờ duyệt (1)" in page


def test_retire_stops_a_message_from_being_broadcast(admin: Admin) -> None:
    admin.login("lan")
    mid = draft(admin, action="submit")
    switch(admin, "minh")
    admin.client.post(f"/admin/messages/{mid}/approve", data={"csrf": admin.csrf(), **seen(admin, mid)})
    switch(admin, "lan")
    assert "Tạo đợt gửi" in admin.client.get(f"/admin/messages/{mid}").text
    r = admin.client.post(f"/admin/messages/{mid}/retire", data={"csrf": admin.csrf()}, follow_redirects=True)
    assert "Đã ngừng dùng tin này" in r.text and "Tạo đợt gửi" not in r.text
    with pytest.raises(lib.ApprovalError):
        lib.approved_version(admin.store, mid)
    assert admin.audit()[0]["action"] == "message.retire"
