"""Share packs and group heads' links through the real app; QR first visits; the report's figures."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from bot.broadcast.verify import is_genuine
from bot.config import Settings
from bot.reach import links
from bot.reports.model import build_report
from bot.reports.periods import parse_quarter
from bot.reports.xlsx_render import render_xlsx
from bot.store import reach as reach_db
from bot.store.metrics import Scope
from tests.conftest import FIXED_NOW
from tests.reach_support import sent_broadcast
from tests.test_admin import Admin, open_admin

LINK_RE = re.compile(r"(https?://[^\s<\"]+/chia-se/[A-Za-z0-9_-]+)")
KEY_RE = re.compile(r'name="key" value="([^"]+)"')


@pytest.fixture
def admin(settings: Settings) -> Iterator[Admin]:
    yield from open_admin(settings)


def _new_link(admin: Admin, bid: int, unit: str = "Kẻ Sặt", head: str = "Ông Tư, tổ trưởng tổ 5") -> str:
    admin.login("lan")
    r = admin.client.post(
        f"/admin/broadcasts/{bid}/share/links", data={"csrf": admin.csrf(), "unit": unit, "head": head}
    )
    assert r.status_code == 200, r.text
    m = LINK_RE.search(r.text)
    assert m, "the new link is shown once"
    return "/chia-se/" + m.group(1).rsplit("/", 1)[1]


def test_share_pack_is_the_delivered_text_and_still_verifies(admin: Admin) -> None:
    row = sent_broadcast(admin.store, admin.settings)
    admin.add("lan", "editor")
    admin.login("lan")
    page = admin.client.get(f"/admin/broadcasts/{row['id']}/share")
    assert page.status_code == 200
    assert row["code"] in page.text and 'data-copy="pack"' in page.text
    assert "/static/share.js" in page.text and "<script>" not in page.text
    assert "không còn khớp" in page.text
    # The pack carries the unedited body: the code verifies; an edited body does not.
    assert is_genuine(admin.settings, row["code"], broadcast_id=row["id"], text=row["text"])
    assert not is_genuine(admin.settings, row["code"], broadcast_id=row["id"], text=row["text"].replace("01/12", "10/12"))


def test_group_head_link_answer_revoke(admin: Admin) -> None:
    row = sent_broadcast(admin.store, admin.settings)
    admin.add("lan", "editor")
    path = _new_link(admin, row["id"])
    stored = admin.store.conn.execute("SELECT token_hash, unit FROM share_links").fetchall()
    assert [tuple(s)[1] for s in stored] == ["Kẻ Sặt"]
    assert path.rsplit("/", 1)[1] not in stored[0][0], "only a keyed hash of the token is stored"

    phone = TestClient(admin.client.app)  # no admin session: the token is the only credential
    phone.portal = admin.client.portal  # same event loop as the running app (its store's thread)
    page = phone.get(path)
    assert page.status_code == 200 and row["code"] in page.text
    assert page.headers["referrer-policy"] == "no-referrer"
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "Đã chia sẻ vào nhóm nào, khoảng bao nhiêu thành viên?" in page.text
    key = KEY_RE.search(page.text).group(1)  # type: ignore[union-attr]

    bad = phone.post(path, data={"key": "forged", "group": "Tổ 5", "members": "120"})
    assert bad.status_code == 400 and "Biểu mẫu không hợp lệ" in bad.text
    empty = phone.post(path, data={"key": key, "group": "Tổ 5", "members": "nhiều"})
    assert empty.status_code == 400 and "số thành viên" in empty.text
    ok = phone.post(path, data={"key": key, "group": "Tổ 5", "members": "khoảng 120"}, follow_redirects=False)
    assert ok.status_code == 303
    assert "Tổ 5: khoảng 120 thành viên" in phone.get(path + "?ok=1").text
    shares = admin.store.conn.execute("SELECT unit, group_name, members FROM manual_shares").fetchall()
    assert [tuple(s) for s in shares] == [("Kẻ Sặt", "Tổ 5", 120)]

    link_id = admin.store.conn.execute("SELECT id FROM share_links").fetchone()[0]
    r = admin.client.post(
        f"/admin/share-links/{link_id}/revoke", data={"csrf": admin.csrf(), "broadcast": row["id"]},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert phone.get(path).status_code == 404
    assert phone.post(path, data={"key": key, "group": "Tổ 6", "members": "30"}).status_code == 404
    assert admin.store.conn.execute("SELECT count(*) FROM manual_shares").fetchone()[0] == 1
    actions = [a["action"] for a in admin.audit()]
    assert "share_link.create" in actions and "share_link.revoke" in actions


def test_only_editors_and_admins_create_links(admin: Admin) -> None:
    row = sent_broadcast(admin.store, admin.settings)
    admin.add("ha", "reporter")
    admin.login("ha")
    assert admin.client.get(f"/admin/broadcasts/{row['id']}/share").status_code == 200
    r = admin.client.post(
        f"/admin/broadcasts/{row['id']}/share/links", data={"csrf": admin.csrf(), "unit": "Kẻ Sặt", "head": "A"}
    )
    assert r.status_code == 403
    assert admin.store.conn.execute("SELECT count(*) FROM share_links").fetchone()[0] == 0


def test_malformed_and_unknown_tokens_are_gone(admin: Admin) -> None:
    for token in ("x" * 200, "abc", "%00", "a.b"):
        assert admin.client.get(f"/chia-se/{token}").status_code == 404


def test_qr_first_visit_counts_known_units_only(admin: Admin) -> None:
    c = admin.client
    assert c.post("/api/qr-visit", json={"u": "Kẻ Sặt"}).status_code == 204
    assert c.post("/api/qr-visit", json={"u": "<script>"}).status_code == 204
    assert c.post("/api/qr-visit", json={"u": 5}).status_code == 400
    assert c.post("/api/qr-visit", content=b"{").status_code == 400
    rows = admin.store.conn.execute("SELECT unit FROM qr_visits").fetchall()
    assert [r[0] for r in rows] == ["Kẻ Sặt"]


def test_admin_poster_download_is_logged(admin: Admin) -> None:
    sent_broadcast(admin.store, admin.settings)
    admin.add("ha", "reporter")
    admin.login("ha")
    assert "Áp phích" in admin.client.get("/admin/posters").text
    r = admin.client.post("/admin/posters", data={"csrf": admin.csrf(), "unit": "Kẻ Sặt", "message": "", "copies": "25"})
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert r.headers["content-type"] == "application/pdf"
    bad = admin.client.post("/admin/posters", data={"csrf": admin.csrf(), "unit": "Không Có", "copies": "1"})
    assert bad.status_code == 400 and "Không tìm thấy" in bad.text
    rows = admin.store.conn.execute("SELECT unit, copies, source, created_by FROM posters").fetchall()
    assert [tuple(x) for x in rows] == [("Kẻ Sặt", 25, "admin", "ha")]


def test_report_counts_shares_posters_and_qr_visits_per_commune(admin: Admin, tmp_path: Path) -> None:
    store, settings = admin.store, admin.settings
    row = sent_broadcast(store, settings)
    new = links.create_link(
        store, settings, broadcast_id=row["id"], unit="Kẻ Sặt", group_head="Bà Năm", created_by="lan", now=FIXED_NOW
    )
    token = new.url.rsplit("/", 1)[1]
    key = links.form_key(settings, token)
    for group, members in (("Tổ 5", "120"), ("Thôn Đông", "80")):
        links.record_share(store, settings, token, key=key, group_name=group, members=members, now=FIXED_NOW)
    reach_db.insert_poster(store, unit="Lê Chân", message_id=None, broadcast_id=None, copies=30, source="admin",
                           created_by="ha", at="2026-11-20T02:00:00")
    reach_db.insert_qr_visit(store, "Kẻ Sặt", "2026-11-25T02:00:00")
    reach_db.insert_qr_visit(store, "Kẻ Sặt", "2025-01-01T00:00:00")  # outside the quarter
    scope = Scope("2026-10-01T00:00:00", "2027-01-01T00:00:00", "2026-10-01", "2026-12-31")
    assert reach_db.reach_by_unit(store, scope)["Kẻ Sặt"] == {"shares": 2, "members": 200, "posters": 0, "qr_visits": 1}

    rep = build_report(store, settings, parse_quarter("2026-Q4"), now=FIXED_NOW)
    tables = {t.key: t for s in rep.sections for t in s.tables}
    assert tables["1d_chia_se_qr"].rows == [["Kẻ Sặt", 2, 200, 1]]
    assert tables["5c_ap_phich"].rows == [["Lê Chân", 30]]
    assert rep.figures["manual_shares"] == 2 and rep.figures["posters"] == 30
    text = " ".join(p for s in rep.sections for p in s.paragraphs)
    assert "vào 2 nhóm" in text and "200 thành viên" in text and "Đã in 30 áp phích" in text
    wb = load_workbook(io.BytesIO(render_xlsx(rep)))
    sheet = wb["1d_chia_se_qr"]
    assert ["Kẻ Sặt", 2, 200, 1] in [list(r) for r in sheet.iter_rows(values_only=True)]
    assert ["Lê Chân", 30] in [list(r)[:2] for r in wb["5c_ap_phich"].iter_rows(values_only=True)]
