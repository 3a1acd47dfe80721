"""The admin speaks Vietnamese: error pages, codes turned into words, domain errors (issue 17)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot import users
from bot.config import Settings
from bot.reports.activities import ActivityError, validate_activity
from bot.store import Store
from tests.test_admin import Admin, open_admin


@pytest.fixture
def admin(settings: Settings) -> Iterator[Admin]:
    yield from open_admin(settings)


def test_unknown_admin_path_is_a_vietnamese_page(admin: Admin) -> None:
    r = admin.client.get("/admin/khong-co-trang-nay")
    assert r.status_code == 404 and "text/html" in r.headers["content-type"]
    assert "Không tìm thấy trang" in r.text and "detail" not in r.text
    admin.add("boss", "admin")
    admin.login("boss")
    r = admin.client.get("/admin/khong-co")
    assert r.status_code == 404 and "Đăng xuất" in r.text  # the menu is there for a signed-in officer


def test_wrong_method_is_a_vietnamese_page_and_other_paths_keep_json(admin: Admin) -> None:
    r = admin.client.put("/admin/messages")
    assert r.status_code == 405 and "Không thực hiện được" in r.text
    r = admin.client.get("/api/khong-co")
    assert r.status_code == 404 and r.json() == {"detail": "Not Found"}


def test_favicon_is_served_and_linked(admin: Admin) -> None:
    r = admin.client.get("/static/favicon.svg")
    assert r.status_code == 200 and r.text.startswith("<svg")
    assert 'rel="icon"' in admin.client.get("/admin/login").text


def test_audit_page_shows_actions_in_words(admin: Admin) -> None:
    admin.add("boss", "admin")
    admin.login("boss")
    r = admin.client.post("/admin/users", data={"csrf": admin.csrf(), "name": "lan", "role": ["editor"]})
    assert r.status_code in (200, 303)
    page = admin.client.get("/admin/audit").text
    assert "Tạo tài khoản" in page or "Đổi vai trò" in page or "Đăng nhập" in page
    assert "user.add" not in page and "login.failed" not in page


def test_users_page_role_checkboxes_are_vietnamese(admin: Admin) -> None:
    admin.add("boss", "admin")
    admin.add("lan", "editor")
    admin.login("boss")
    page = admin.client.get("/admin/users").text
    assert "> editor</label>" not in page and "> approver</label>" not in page
    assert "Duyệt tin</label>" in page


def test_duplicate_user_error_is_vietnamese(admin: Admin) -> None:
    admin.add("boss", "admin")
    admin.add("lan", "editor")
    admin.login("boss")
    r = admin.client.post("/admin/users", data={"csrf": admin.csrf(), "name": "lan", "role": ["editor"]})
    assert r.status_code == 400 and "Tài khoản «lan» đã có" in r.text and "already exists" not in r.text


def test_activity_errors_are_vietnamese_with_one_source(admin: Admin) -> None:
    from datetime import date

    store: Store = admin.store
    with pytest.raises(ActivityError) as info:
        validate_activity(
            store, admin.settings, kind="hoi_nghi", unit="", date_value="05/12/2026", today=date(2026, 12, 3)
        )
    assert "in the future" in str(info.value) and "chưa tới" in info.value.vi
    with pytest.raises(ActivityError) as info:
        validate_activity(store, admin.settings, kind="hoi_nghi", unit="", date_value="01/12/2026", count="-3")
    assert "at least 1" in str(info.value) and "Số buổi phải từ 1" in info.value.vi


def test_schedule_upload_row_errors_are_vietnamese(admin: Admin) -> None:
    admin.add("boss", "admin")
    admin.login("boss")
    csv = (
        "don_vi,ten_diem,dia_chi,loai,ngay,gio_bat_dau,gio_ket_thuc\n"
        "Lê Chân,Trạm y tế,Số 1,co_dinh,32/13/2026,13:00,11:00\n"
    )
    r = admin.client.post(
        "/admin/sites/upload",
        data={"csrf": admin.csrf("/admin/sites"), "dry_run": "1"},
        files={"file": ("lich.csv", csv.encode(), "text/csv")},
    )
    assert r.status_code == 400
    assert "không có trên lịch" in r.text and "không sau giờ bắt đầu" in r.text
    assert "bad date" not in r.text and "is not after" not in r.text
    r = admin.client.post(
        "/admin/sites/upload",
        data={"csrf": admin.csrf("/admin/sites"), "dry_run": "1"},
        files={"file": ("lich.csv", b"a,b\n1,2\n", "text/csv")},
    )
    assert r.status_code == 400 and "thiếu cột" in r.text and "loa-upload-" not in r.text and "/tmp" not in r.text


def test_role_check_is_vietnamese(admin: Admin) -> None:
    with pytest.raises(users.UserError) as info:
        users.add_user(admin.store, "chef", ["chef"])
    assert "unknown role" in str(info.value) and "Không có vai trò" in info.value.vi


def test_broadcast_without_any_channel_says_so(admin: Admin) -> None:
    from bot.store.chats import set_unit_and_tags, upsert_chat
    from tests.test_admin_broadcasts import approved_message, create

    admin.add("lan", "editor")
    admin.add("minh", "approver")
    upsert_chat(admin.store, "telegram", "-1001", "group", title="Nhóm", member_count=5)
    set_unit_and_tags(admin.store, "telegram", "-1001", tags=["phu_huynh"])
    mid = approved_message(admin)
    admin.login("lan")
    bid, _text = create(admin, mid, tag="phu_huynh")
    assert bid
    page = admin.client.get(f"/admin/broadcasts/{bid}").text
    assert "chưa cấu hình kênh Telegram hay Zalo" in page


def test_officer_switches_a_groups_scam_guard_from_the_chats_page(admin: Admin) -> None:
    from bot.privacy import keyed_hash
    from bot.store.chats import get_chat, upsert_chat
    from bot.store.scam import guard_enabled

    admin.add("lan", "editor")
    upsert_chat(admin.store, "zalo", "g42", "group", title="Tổ dân phố 42")
    row_id = get_chat(admin.store, "zalo", "g42")["id"]  # type: ignore[index]
    admin.login("lan")
    page = admin.client.get("/admin/chats").text
    assert "Cảnh báo lừa đảo: đang tắt" in page and f"/admin/chats/{row_id}/guard" in page
    r = admin.client.post(f"/admin/chats/{row_id}/guard", data={"csrf": admin.csrf(), "guard": "on"})
    assert r.status_code == 200 and "Đã bật cảnh báo lừa đảo" in r.text and "đang bật" in r.text
    ref = keyed_hash(admin.settings.secret(), "chat", "zalo", "g42")
    assert guard_enabled(admin.store, ref)
    admin.client.post(f"/admin/chats/{row_id}/guard", data={"csrf": admin.csrf(), "guard": "off"})
    assert not guard_enabled(admin.store, ref)
    assert any(e["action"] == "chat.scam_guard" for e in admin.audit())


def test_failed_deliveries_can_be_resent_but_not_to_gone_chats(admin: Admin) -> None:
    from bot.broadcast import broadcasts as lib
    from bot.store import outbox
    from bot.store.chats import set_unit_and_tags, upsert_chat
    from tests.test_admin_broadcasts import approved_message, create

    admin.add("lan", "editor")
    admin.add("minh", "approver")
    upsert_chat(admin.store, "telegram", "-1001", "group", title="Nhóm", member_count=5)
    set_unit_and_tags(admin.store, "telegram", "-1001", tags=["phu_huynh"])
    mid = approved_message(admin)
    admin.login("lan")
    bid, _ = create(admin, mid, tag="phu_huynh")
    outbox.expand(admin.store, bid, [{"channel": "telegram", "chat_id": c, "kind": "group"} for c in ("-1", "-2")])
    ids = [r[0] for r in admin.store.conn.execute("SELECT id FROM deliveries WHERE broadcast_id = ? ORDER BY id", (bid,))]
    outbox.settle(
        admin.store,
        [
            {"id": ids[0], "status": "failed", "reason": "transient: gave up after 5 attempts"},
            {"id": ids[1], "status": "failed", "reason": "chat_gone"},
        ],
    )
    page = admin.client.get(f"/admin/broadcasts/{bid}").text
    assert "Gửi lại 2 tin lỗi" in page and "Không gửi được: lỗi mạng tạm thời" in page
    r = admin.client.post(f"/admin/broadcasts/{bid}/resend", data={"csrf": admin.csrf()})
    assert r.status_code == 200 and "gửi lại" in r.text
    counts = lib.status(admin.store, bid)["counts"]
    assert counts["queued"] == 1 and counts["failed"] == 1
    r = admin.client.post(f"/admin/broadcasts/{bid}/resend", data={"csrf": admin.csrf()})
    assert r.status_code == 400 and "Không có tin lỗi nào gửi lại được" in r.text
