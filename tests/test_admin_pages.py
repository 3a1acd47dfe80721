"""Admin pages over the other libraries: sites, activities, reports, unanswered, users, schedules."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import timedelta

import pytest

from bot import users
from bot.broadcast import messages as messages_lib
from bot.broadcast import scheduling
from bot.config import Settings
from bot.store.activities import list_activities
from bot.store.faq import record_unanswered
from bot.store.sites import count_sessions
from tests.conftest import FIXED_NOW
from tests.test_admin import Admin, open_admin
from tests.test_broadcast_support import approve_as_seen

SITES_CSV = (
    "don_vi,ten_diem,dia_chi,loai,ngay,gio_bat_dau,gio_ket_thuc\n"
    "phường Lê Chân,Trạm Y tế Lê Chân,Số 1 phố Chợ Con,co_dinh,26/11/2026,07:30,11:00\n"
    "phường Hồng Bàng,Trạm Y tế Hồng Bàng,Số 2 phố Hoàng Văn Thụ,co_dinh,27/11/2026,13:30,16:30\n"
)


@pytest.fixture
def admin(settings: Settings) -> Iterator[Admin]:
    for adm in open_admin(settings):
        adm.add("lan", "editor")
        adm.add("minh", "approver")
        adm.add("ha", "reporter")
        adm.add("boss", "admin")
        yield adm


def as_(admin: Admin, name: str) -> None:
    admin.client.cookies.clear()
    admin.login(name)


# --- sites ----------------------------------------------------------------------------------------
def upload_sites(admin: Admin, content: str, name: str = "lich.csv", **extra: str):
    return admin.client.post(
        "/admin/sites/upload",
        data={"csrf": admin.csrf(), **extra},
        files={"file": (name, io.BytesIO(content.encode("utf-8")), "text/csv")},
    )


def test_sites_upload_imports_and_lists_sessions(admin: Admin) -> None:
    as_(admin, "lan")
    assert "Chưa có điểm khám nào" in admin.client.get("/admin/sites").text
    r = upload_sites(admin, SITES_CSV, dry_run="1")
    assert r.status_code == 200 and "Mọi dòng đều hợp lệ" in r.text and count_sessions(admin.store) == 0
    r = upload_sites(admin, SITES_CSV)
    assert r.status_code == 200 and "Đã nhập: 2 buổi mới" in r.text
    assert count_sessions(admin.store) == 2
    assert "Trạm Y tế Lê Chân" in r.text and "26/11/2026" in r.text  # within the next 14 days
    entry = admin.audit()[0]
    assert (
        entry["action"] == "sites.import"
        and entry["detail"]["added"] == 2
        and entry["target"] == "file:lich.csv"
    )


def test_sites_upload_with_bad_rows_shows_the_row_report_and_imports_nothing(admin: Admin) -> None:
    as_(admin, "lan")
    bad = SITES_CSV + "phường Không Tồn Tại,X,Y,co_dinh,31/02/2026,25:00,11:00\n"
    r = upload_sites(admin, bad)
    assert r.status_code == 400 and "dòng có lỗi" in r.text and "<td>4</td>" in r.text
    assert count_sessions(admin.store) == 0


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("lich.txt", "x", "Chỉ nhận tệp .csv hoặc .xlsx"),
        ("lich.csv", "", "Tệp trống"),
        ("lich.xlsx", "not a zip", "Không thực hiện được"),
    ],
)
def test_sites_upload_bad_files(admin: Admin, name: str, content: str, message: str) -> None:
    as_(admin, "lan")
    r = upload_sites(admin, content, name=name)
    assert r.status_code == 400 and message in r.text


def test_sites_upload_without_file(admin: Admin) -> None:
    as_(admin, "lan")
    r = admin.client.post("/admin/sites/upload", data={"csrf": admin.csrf()})
    assert r.status_code == 400 and "Chưa chọn tệp" in r.text


# --- activities ---------------------------------------------------------------------------------
def test_activity_form_records_and_lists(admin: Admin) -> None:
    as_(admin, "ha")
    page = admin.client.get("/admin/activities")
    assert "Chưa ghi nhận hoạt động nào" in page.text and 'value="24/11/2026"' in page.text
    data = {
        "csrf": admin.csrf(),
        "kind": "hoi_nghi",
        "unit": "Lê Chân",
        "date": "20/11/2026",
        "count": "2",
        "participants": "80",
        "note": "Hội nghị   phường",
    }
    r = admin.client.post("/admin/activities", data=data, follow_redirects=True)
    assert r.status_code == 200 and "Đã ghi nhận hoạt động" in r.text and "Hội nghị phường" in r.text
    row = list_activities(admin.store)[0]
    assert (
        row["unit"] == "Lê Chân"
        and row["count"] == 2
        and row["participants"] == 80
        and row["source"] == "admin"
    )
    assert admin.audit()[0]["action"] == "activity.add"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("kind", "bay_lua"),
        ("date", "32/13/2026"),
        ("date", "01/12/2026"),
        ("count", "-3"),
        ("unit", "Atlantis xyz"),
    ],
)
def test_activity_form_refuses_bad_values_and_keeps_input(admin: Admin, field: str, value: str) -> None:
    as_(admin, "ha")
    data = {
        "csrf": admin.csrf(),
        "kind": "hoi_nghi",
        "unit": "",
        "date": "20/11/2026",
        "count": "1",
        "note": "ghi chú giữ lại",
    }
    data[field] = value
    r = admin.client.post("/admin/activities", data=data)
    assert r.status_code == 400 and "Không thực hiện được" in r.text and "ghi chú giữ lại" in r.text
    assert list_activities(admin.store) == []


def test_activity_import(admin: Admin) -> None:
    as_(admin, "lan")
    csv_text = "loai,xa_phuong,ngay,so_luong\nphat_thanh_co_so,Lê Chân,10/11/2026,3\ntin_bai,,11/11/2026,1\n"
    r = admin.client.post(
        "/admin/activities/import",
        data={"csrf": admin.csrf()},
        files={"file": ("hd.csv", io.BytesIO(csv_text.encode()), "text/csv")},
        follow_redirects=True,
    )
    assert r.status_code == 200 and "Đã nhập các hoạt động" in r.text
    assert len(list_activities(admin.store)) == 2


# --- reports ------------------------------------------------------------------------------------
def test_report_downloads_in_each_format(admin: Admin) -> None:
    as_(admin, "ha")
    page = admin.client.get("/admin/reports")
    assert page.status_code == 200 and "2026-Q4" in page.text and "Sắp đến hạn" in page.text
    r = admin.client.get(
        "/admin/reports/download", params={"period": "quarter", "quarter": "2026-Q4", "format": "docx"}
    )
    assert r.status_code == 200 and r.content[:2] == b"PK"
    assert 'filename="bao-cao-2026-Q4.docx"' in r.headers["content-disposition"]
    r = admin.client.get(
        "/admin/reports/download",
        params={"period": "year", "year": "2026", "format": "md", "unit": "Lê Chân"},
    )
    assert (
        r.status_code == 200 and "Lê Chân" in r.text and r.headers["content-type"].startswith("text/markdown")
    )
    assert admin.audit()[0]["action"] == "report.download" and admin.audit()[0]["detail"]["format"] == "md"


def test_report_signer_and_section_7_from_the_form(admin: Admin) -> None:
    as_(admin, "ha")
    base = {"period": "quarter", "quarter": "2026-Q4", "format": "md"}
    draft = admin.client.get("/admin/reports/download", params=base).text
    assert "DỰ THẢO" in draft and "a) Khó khăn, vướng mắc" in draft  # no name; the figures' draft
    form = {
        **base,
        "signer_authority": "KT. GIÁM ĐỐC",
        "signer_title": "PHÓ GIÁM ĐỐC",
        "signer_name": "Trần Thị B",
        "notes": "Cần thêm tờ gấp cho xã vùng khó khăn.",
        "notes_mode": "extend",
    }
    signed = admin.client.get("/admin/reports/download", params=form).text
    assert "DỰ THẢO" not in signed and "KT. GIÁM ĐỐC" in signed and "PHÓ GIÁM ĐỐC" in signed
    assert "Trần Thị B" in signed and "a) Khó khăn, vướng mắc" in signed and "tờ gấp cho xã" in signed
    too_long = admin.client.get("/admin/reports/download", params={**base, "notes": "x" * 1300})
    assert too_long.status_code == 400


@pytest.mark.parametrize(
    "params",
    [
        {"period": "quarter", "quarter": "2026-Q9"},
        {"period": "range", "start": "31/12/2026", "end": "01/10/2026"},
        {"period": "quarter", "quarter": "2026-Q4", "format": "exe"},
        {"period": "quarter", "quarter": "2026-Q4", "unit": "Atlantis xyz"},
    ],
)
def test_report_bad_choices_explain(admin: Admin, params: dict) -> None:
    as_(admin, "ha")
    r = admin.client.get("/admin/reports/download", params=params)
    assert r.status_code == 400 and "Không thực hiện được" in r.text


# --- unanswered ---------------------------------------------------------------------------------
def test_unanswered_queue_is_redacted_and_sorted(admin: Admin) -> None:
    as_(admin, "lan")
    assert "Chưa có câu hỏi nào bị bỏ lỡ" in admin.client.get("/admin/unanswered").text
    record_unanswered(admin.store, "gọi 0912345678 hỏi khám mắt", at=FIXED_NOW)
    for _ in range(3):
        record_unanswered(admin.store, "khám răng có miễn phí không", at=FIXED_NOW)
    page = admin.client.get("/admin/unanswered").text
    assert "0912345678" not in page
    assert page.index("khám răng") < page.index("khám mắt")


# --- users --------------------------------------------------------------------------------------
def test_admin_adds_an_officer_who_sets_a_password_through_the_link(admin: Admin) -> None:
    as_(admin, "boss")
    r = admin.client.post(
        "/admin/users", data={"csrf": admin.csrf(), "name": "thu", "role": ["editor", "reporter"]}
    )
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    link = re.search(r'<code id="invite-link">([^<]+)</code>', r.text).group(1)  # type: ignore[union-attr]
    assert users.get_user(admin.store, "thu")["roles"] == ["editor", "reporter"]  # type: ignore[index]
    token = link.rsplit("/", 1)[1]
    assert token not in str(admin.audit())
    admin.client.cookies.clear()
    r = admin.client.post(
        f"/admin/invite/{token}",
        data={"password": "mua-xuan-2026-moi", "password2": "mua-xuan-2026-moi"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    admin.login("thu", "mua-xuan-2026-moi")
    assert admin.client.get("/admin/messages").status_code == 200


def test_users_roles_lock_and_reset(admin: Admin) -> None:
    as_(admin, "lan")
    lan_cookie = admin.client.cookies.get("loa_admin")
    as_(admin, "boss")
    r = admin.client.post(
        "/admin/users/lan/roles",
        data={"csrf": admin.csrf(), "role": ["editor", "approver"]},
        follow_redirects=False,
    )
    assert r.status_code == 303 and users.get_user(admin.store, "lan")["roles"] == ["editor", "approver"]  # type: ignore[index]
    assert (
        admin.client.post("/admin/users/lan/roles", data={"csrf": admin.csrf()}).status_code == 400
    )  # no role
    r = admin.client.post(
        "/admin/users/lan/active", data={"csrf": admin.csrf(), "active": "0"}, follow_redirects=False
    )
    assert r.status_code == 303 and not users.get_user(admin.store, "lan")["active"]  # type: ignore[index]
    # Lan's open session ended at once.
    other = admin.client.cookies.get("loa_admin")
    admin.client.cookies.set("loa_admin", lan_cookie, path="/admin")  # type: ignore[arg-type]
    assert admin.client.get("/admin", follow_redirects=False).status_code == 303
    admin.client.cookies.set("loa_admin", other, path="/admin")  # type: ignore[arg-type]
    admin.client.post("/admin/users/lan/active", data={"csrf": admin.csrf(), "active": "1"})
    r = admin.client.post("/admin/users/lan/password", data={"csrf": admin.csrf()})
    assert r.status_code == 200 and 'id="invite-link"' in r.text
    actions = [e["action"] for e in admin.audit()][:4]
    assert actions == ["user.password_reset", "user.activate", "user.deactivate", "user.roles"]


def test_admin_cannot_lock_self_or_drop_own_admin_role(admin: Admin) -> None:
    as_(admin, "boss")
    assert (
        admin.client.post("/admin/users/boss/active", data={"csrf": admin.csrf(), "active": "0"}).status_code
        == 400
    )
    r = admin.client.post("/admin/users/boss/roles", data={"csrf": admin.csrf(), "role": ["editor"]})
    assert r.status_code == 400 and users.get_user(admin.store, "boss")["roles"] == ["admin"]  # type: ignore[index]
    r = admin.client.post("/admin/users", data={"csrf": admin.csrf(), "name": "lan", "role": ["editor"]})
    assert r.status_code == 400 and "đã có" in r.text
    assert admin.client.post("/admin/users/ghost/password", data={"csrf": admin.csrf()}).status_code == 400


# --- schedules ----------------------------------------------------------------------------------
def approved(admin: Admin) -> int:
    mid, _ = messages_lib.create_message(
        admin.store,
        kind="scam_warning",
        theme="scam_warning",
        title="Cảnh báo",
        body="Cảnh giác cuộc gọi giả.",
        author="lan",
    )
    messages_lib.submit(admin.store, mid)
    approve_as_seen(admin.store, mid, "minh")
    return mid


def test_schedules_add_cron_and_once_then_disable(admin: Admin) -> None:
    mid = approved(admin)
    as_(admin, "lan")
    page = admin.client.get("/admin/schedules")
    assert "Chưa có lịch gửi nào" in page.text and "Cảnh báo" in page.text
    r = admin.client.post(
        "/admin/schedules",
        data={
            "csrf": admin.csrf(),
            "name": "hang-tuan",
            "message": str(mid),
            "repeat": "cron",
            "cron": "0 8 * * mon",
            "kind": "group",
        },
        follow_redirects=True,
    )
    assert r.status_code == 200 and "Đã lưu lịch gửi" in r.text and "Sáng thứ Hai" in r.text
    when = (FIXED_NOW + timedelta(days=2)).strftime("%Y-%m-%dT09:00")
    r = admin.client.post(
        "/admin/schedules",
        data={"csrf": admin.csrf(), "name": "mot-lan", "message": str(mid), "repeat": "once", "at": when},
        follow_redirects=False,
    )
    assert r.status_code == 303
    rows = {s["name"]: s for s in scheduling.list_schedules(admin.store, admin.settings, now=FIXED_NOW)}
    assert rows["hang-tuan"]["selectors"] == ["groups"] and rows["mot-lan"]["at"] == when.replace("T", " ")
    sid = rows["hang-tuan"]["id"]
    r = admin.client.post(
        f"/admin/schedules/{sid}/enabled", data={"csrf": admin.csrf(), "enabled": "0"}, follow_redirects=True
    )
    assert "Đã tắt lịch gửi" in r.text
    assert not {s["name"]: s for s in scheduling.list_schedules(admin.store, admin.settings)}["hang-tuan"][
        "enabled"
    ]
    assert [e["action"] for e in admin.audit()][:3] == ["schedule.disable", "schedule.save", "schedule.save"]


@pytest.mark.parametrize(
    "data",
    [
        {"name": "", "repeat": "cron", "cron": "0 8 * * mon"},
        {"name": "x", "repeat": "cron", "cron": "every monday"},
        {"name": "x", "repeat": "once", "at": ""},
        {"name": "x", "repeat": "cron", "cron": "0 8 * * mon", "message": "999"},
    ],
)
def test_schedules_refuse_bad_input(admin: Admin, data: dict) -> None:
    mid = approved(admin)
    as_(admin, "lan")
    r = admin.client.post("/admin/schedules", data={"csrf": admin.csrf(), "message": str(mid), **data})
    assert r.status_code == 400 and "Không thực hiện được" in r.text
    assert scheduling.list_schedules(admin.store, admin.settings) == []
    assert (
        admin.client.post(
            "/admin/schedules/99/enabled", data={"csrf": admin.csrf(), "enabled": "1"}
        ).status_code
        == 400
    )


def test_approver_sees_schedules_read_only(admin: Admin) -> None:
    approved(admin)
    as_(admin, "minh")
    page = admin.client.get("/admin/schedules").text
    assert "Thêm lịch gửi" not in page
