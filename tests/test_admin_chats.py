"""Chats page: filters, opted-out / inactive shown, bulk unit and tags, audit."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.config import Settings
from bot.store.chats import get_chat, set_opted_out, set_status, set_unit_and_tags, upsert_chat
from tests.test_admin import Admin, open_admin


@pytest.fixture
def admin(settings: Settings) -> Iterator[Admin]:
    for adm in open_admin(settings):
        adm.add("lan", "editor")
        adm.add("ha", "reporter")
        upsert_chat(adm.store, "telegram", "-1001", "group", title="Tổ dân phố 1", member_count=40)
        upsert_chat(adm.store, "telegram", "-1002", "group", title="Phụ huynh lớp 5A")
        upsert_chat(adm.store, "zalo", "z9", "private")
        set_opted_out(adm.store, "zalo", "z9", True)
        upsert_chat(adm.store, "telegram", "-1003", "group", title="Nhóm cũ")
        set_status(adm.store, "telegram", "-1003", "inactive")
        set_unit_and_tags(adm.store, "telegram", "-1002", unit="Lê Chân", tags=["phu_huynh"])
        yield adm


def ids(admin: Admin, *chat_ids: str) -> list[str]:
    return [
        str(next(c for c in [get_chat(admin.store, ch, cid)] if c)["id"])
        for ch, cid in (x.split(":") for x in chat_ids)
    ]


def test_list_shows_status_flags_and_filters(admin: Admin) -> None:
    admin.login("lan")
    page = admin.client.get("/admin/chats").text
    assert "4 nhóm/người nhận" in page
    assert "Đã hủy nhận tin" in page and "Không còn nhận được" in page and "Tổ dân phố 1" in page
    assert "1 nhóm/người nhận khớp bộ lọc" in admin.client.get("/admin/chats?tag=phu_huynh").text
    assert "Tổ dân phố 1" in admin.client.get("/admin/chats?unit=-&kind=group&status=active").text
    assert "Tổ dân phố 1" not in admin.client.get("/admin/chats?status=opted_out").text
    assert "Phụ huynh lớp 5A" in admin.client.get("/admin/chats?q=lớp 5").text
    assert "Không có nhóm nào khớp" in admin.client.get("/admin/chats?q=100%_").text


def test_bulk_assign_unit_and_tags(admin: Admin) -> None:
    admin.login("lan")
    picked = ids(admin, "telegram:-1001", "telegram:-1002")
    r = admin.client.post(
        "/admin/chats/bulk",
        data={
            "csrf": admin.csrf(),
            "id": picked,
            "unit": "Hồng Bàng",
            "add_tag": ["nguoi_cao_tuoi"],
            "new_tags": "Tổ dân phố 3, ",
            "remove_tag": ["phu_huynh"],
            "back": "tag=x&evil=1",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == "/admin/chats?tag=x&ok=chats_updated"
    for cid in ("-1001", "-1002"):
        chat = get_chat(admin.store, "telegram", cid) or {}
        assert chat["unit"] == "Hồng Bàng" and chat["tags"] == ["nguoi_cao_tuoi", "to_dan_pho_3"]
    entry = admin.audit()[0]
    assert (
        entry["action"] == "chats.bulk"
        and entry["target"] == "chats:2"
        and entry["detail"]["unit"] == "Hồng Bàng"
    )
    # "-" clears the unit and leaves tags alone.
    admin.client.post("/admin/chats/bulk", data={"csrf": admin.csrf(), "id": picked[:1], "unit": "-"})
    chat = get_chat(admin.store, "telegram", "-1001") or {}
    assert chat["unit"] == "" and chat["tags"] == ["nguoi_cao_tuoi", "to_dan_pho_3"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"unit": "Hồng Bàng"}, "Chưa chọn nhóm nào"),
        ({"id": ["abc"], "unit": "Hồng Bàng"}, "Chưa chọn nhóm nào"),
        ({"id": ["1"], "unit": "Thành phố Atlantis"}, "không có trong danh sách"),
        ({"id": ["1"]}, "Chưa chọn thay đổi nào"),
    ],
)
def test_bulk_refuses_bad_input(admin: Admin, data: dict, message: str) -> None:
    admin.login("lan")
    r = admin.client.post("/admin/chats/bulk", data={"csrf": admin.csrf(), **data})
    assert r.status_code == 400 and message in r.text
    assert (get_chat(admin.store, "telegram", "-1001") or {})["unit"] == ""


def test_reporter_cannot_see_chats(admin: Admin) -> None:
    admin.login("ha")
    assert admin.client.get("/admin/chats").status_code == 403


def test_unnormalised_tags_can_be_removed_but_are_not_offered_for_adding(admin: Admin) -> None:
    admin.store.conn.execute("UPDATE chats SET tags = '[\"hộ nghèo\"]' WHERE chat_id = '-1001'")
    admin.login("lan")
    page = admin.client.get("/admin/chats").text
    assert 'name="remove_tag" value="hộ nghèo"' in page and 'name="add_tag" value="hộ nghèo"' not in page
    r = admin.client.post(
        "/admin/chats/bulk",
        data={
            "csrf": admin.csrf(),
            "id": ids(admin, "telegram:-1001"),
            "remove_tag": ["hộ nghèo"],
            "add_tag": ["ho_ngheo"],
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert (get_chat(admin.store, "telegram", "-1001") or {})["tags"] == ["ho_ngheo"]
