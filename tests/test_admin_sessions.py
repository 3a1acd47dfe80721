"""Correcting one screening session in place from the sites page (real app, real SQLite):
the upload's rules, Vietnamese reasons at the form, nothing lost on error, audit."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from bot.config import Settings
from bot.store.sites import find_sessions, list_sites
from tests.test_admin import Admin, open_admin
from tests.test_admin_pages import upload_sites

SCHEDULE = (
    "don_vi,ten_diem,dia_chi,loai,ngay,gio_bat_dau,gio_ket_thuc,lien_he\n"
    "phường Lê Chân,Trạm Y tế Lê Chân,Số 1 phố Chợ Con,co_dinh,26/11/2026,07:30,11:00,0225 3 111 222\n"
    "phường Lê Chân,Trạm Y tế Lê Chân,Số 1 phố Chợ Con,co_dinh,27/11/2026,07:30,11:00,\n"
    "phường Hồng Bàng,Trạm Y tế Hồng Bàng,Số 2 phố Hoàng Văn Thụ,co_dinh,27/11/2026,13:30,16:30,\n"
)
GOOD = {
    "ngay": "28/11/2026",
    "gio_bat_dau": "8h",
    "gio_ket_thuc": "11:30",
    "ten_diem": "Trạm Y tế Lê Chân",
    "dia_chi": "Số 1 phố Chợ Con",
    "ghi_chu": "Mang theo CCCD",
}


@pytest.fixture
def admin(settings: Settings) -> Iterator[Admin]:
    for adm in open_admin(settings):
        adm.add("lan", "editor")
        adm.add("ha", "reporter")
        adm.add("boss", "admin")
        adm.login("lan")
        assert upload_sites(adm, SCHEDULE).status_code == 200
        yield adm


def sessions(admin: Admin) -> list[dict]:
    return find_sessions(admin.store)


def first_id(admin: Admin) -> int:
    return int(sessions(admin)[0]["session_id"])


def save(admin: Admin, session_id: int, **fields: str):
    return admin.client.post(
        f"/admin/sites/sessions/{session_id}/edit",
        data={"csrf": admin.csrf(), **GOOD, **fields},
        follow_redirects=False,
    )


def test_sites_page_links_each_session_to_its_form_prefilled(admin: Admin) -> None:
    sid = first_id(admin)
    page = admin.client.get("/admin/sites").text
    assert f'href="/admin/sites/sessions/{sid}/edit"' in page
    form = admin.client.get(f"/admin/sites/sessions/{sid}/edit")
    assert form.status_code == 200
    for value in ("26/11/2026", "07:30", "11:00", "Trạm Y tế Lê Chân", "Số 1 phố Chợ Con"):
        assert f'value="{value}"' in form.text
    assert "Lê Chân" in form.text and "2026-11-26" not in form.text


def test_saving_updates_the_session_in_place_and_audits_in_vietnamese(admin: Admin) -> None:
    sid = first_id(admin)
    r = save(admin, sid)
    assert r.status_code == 303
    assert r.headers["location"] == "/admin/sites?tu=28%2F11%2F2026&ok=session_saved"
    (row,) = [s for s in sessions(admin) if s["session_id"] == sid]
    assert (row["date"], row["start"], row["end"], row["note"]) == ("2026-11-28", "08:00", "11:30", "Mang theo CCCD")
    assert row["contact"] == "0225 3 111 222" and row["unit"] == "Lê Chân"  # untouched fields stay
    assert len(sessions(admin)) == 3
    page = admin.client.get(r.headers["location"]).text
    assert "Đã lưu buổi khám" in page and "28/11/2026" in page and "Mang theo CCCD" in page
    entry = admin.audit()[0]
    assert entry["action"] == "session.edit" and entry["target"] == f"session:{sid}"
    assert entry["detail"]["changes"] == (
        "ngày: 26/11/2026 → 28/11/2026; giờ: 07:30–11:00 → 08:00–11:30; ghi chú: (trống) → Mang theo CCCD"
    )
    admin.client.cookies.clear()
    admin.login("boss")
    audit_page = admin.client.get("/admin/audit").text
    assert "Sửa buổi khám" in audit_page and f"buổi khám số {sid}" in audit_page
    assert "session.edit" not in audit_page


def test_bad_input_is_refused_at_the_form_with_the_uploads_reasons_and_nothing_lost(admin: Admin) -> None:
    sid = first_id(admin)
    before = sessions(admin)
    r = save(admin, sid, ngay="32/13/2026", gio_bat_dau="13:00", gio_ket_thuc="11:00", ghi_chu="giữ lại ghi chú này")
    assert r.status_code == 400
    # Every reason of the row at once, like the upload's report for a line.
    assert (
        "Không thực hiện được: Ngày «32/13/2026» không có trên lịch; giờ kết thúc 11:00 không sau giờ bắt đầu 13:00."
        in r.text
    )
    assert "bad date" not in r.text
    for value in ("32/13/2026", "13:00", "11:00", "Trạm Y tế Lê Chân"):
        assert f'value="{value}"' in r.text
    assert "giữ lại ghi chú này" in r.text
    assert sessions(admin) == before and admin.audit()[0]["action"] != "session.edit"


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"gio_bat_dau": "13:00", "gio_ket_thuc": "11:00"}, "Giờ kết thúc 11:00 không sau giờ bắt đầu 13:00"),
        ({"gio_bat_dau": "25:00"}, "giờ «25:00» không có"),
        ({"ngay": "hôm nay"}, "không đọc được (viết DD/MM/YYYY"),
        ({"ten_diem": "  "}, "Thiếu tên điểm"),
        ({"dia_chi": "x" * 600}, "Địa chỉ dài quá 500 ký tự"),
    ],
)
def test_each_rule_of_the_upload_applies(admin: Admin, fields: dict[str, str], reason: str) -> None:
    sid = first_id(admin)
    before = sessions(admin)
    r = save(admin, sid, **fields)
    assert r.status_code == 400 and reason in r.text, re.findall(r'role="alert">([^<]*)', r.text)
    assert sessions(admin) == before


def test_a_new_address_moves_only_this_session_to_another_site(admin: Admin) -> None:
    sid = first_id(admin)
    r = save(admin, sid, ngay="26/11/2026", gio_bat_dau="07:30", gio_ket_thuc="11:00", dia_chi="Nhà văn hóa tổ 5")
    assert r.status_code == 303
    moved = next(s for s in sessions(admin) if s["session_id"] == sid)
    stayed = next(s for s in sessions(admin) if s["unit"] == "Lê Chân" and s["session_id"] != sid)
    assert moved["address"] == "Nhà văn hóa tổ 5" and moved["site_id"] != stayed["site_id"]
    assert stayed["address"] == "Số 1 phố Chợ Con"
    assert {(t["address"], t["sessions"]) for t in list_sites(admin.store) if t["unit"] == "Lê Chân"} == {
        ("Nhà văn hóa tổ 5", 1),
        ("Số 1 phố Chợ Con", 1),
    }
    # Only the spelling changed: the same site, now spelt as typed.
    r = save(admin, sid, ngay="26/11/2026", gio_bat_dau="07:30", gio_ket_thuc="11:00", dia_chi="nhà văn hóa  Tổ 5")
    assert r.status_code == 303
    again = next(s for s in sessions(admin) if s["session_id"] == sid)
    assert again["site_id"] == moved["site_id"] and again["address"] == "nhà văn hóa Tổ 5"


def test_a_clash_with_another_session_of_the_site_is_refused(admin: Admin) -> None:
    first, second = [s for s in sessions(admin) if s["unit"] == "Lê Chân"]
    r = save(admin, int(second["session_id"]), ngay="26/11/2026", gio_bat_dau="07:30", gio_ket_thuc="10:00")
    assert r.status_code == 400 and "đã có một buổi khác cùng ngày và cùng giờ bắt đầu" in r.text
    assert next(s for s in sessions(admin) if s["session_id"] == second["session_id"])["date"] == "2026-11-27"


def test_roles_csrf_and_unknown_sessions(admin: Admin) -> None:
    sid = first_id(admin)
    r = admin.client.post(f"/admin/sites/sessions/{sid}/edit", data={**GOOD, "csrf": "x"})
    assert r.status_code == 403 and "Biểu mẫu đã hết hạn" in r.text
    r = admin.client.get("/admin/sites/sessions/999999/edit")
    assert r.status_code == 404 and "Không tìm thấy trang" in r.text and "Not Found" not in r.text
    admin.client.cookies.clear()
    admin.login("ha")
    assert "/edit" not in admin.client.get("/admin/sites").text
    assert admin.client.get(f"/admin/sites/sessions/{sid}/edit").status_code == 403
    r = admin.client.post(f"/admin/sites/sessions/{sid}/edit", data={**GOOD, "csrf": admin.csrf("/admin/sites")})
    assert r.status_code == 403 and sessions(admin)[0]["date"] == "2026-11-26"


def test_sessions_list_from_a_chosen_day(admin: Admin) -> None:
    page = admin.client.get("/admin/sites", params={"tu": "27/11/2026"}).text
    assert "14 ngày từ 27/11/2026" in page and "Hồng Bàng" in page
    assert "26/11/2026" not in page.split("Các buổi khám", 1)[1].split("Tất cả điểm khám", 1)[0]
    page = admin.client.get("/admin/sites", params={"tu": "31/02/2026"}).text
    assert "Không xem được lịch từ ngày đó: ngày «31/02/2026» không có trên lịch" in page
