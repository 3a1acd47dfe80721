"""Issue 12, finding 2: an approval applies only to the version and text the approver saw.

The race from the issue: the editor submits v1, the approver opens it, the editor re-submits
v2 with a fee demand, the approver clicks "approve". The click names v1 (id and text hash),
so it is refused and v2 stays unapproved; the audit log records the exact hash approved.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from bot.broadcast import messages
from bot.broadcast.errors import ApprovalError
from bot.config import Settings
from bot.store import Store
from bot.store import admin as admin_store
from bot.store import broadcast as db
from tests.conftest import make_db
from tests.test_admin import Admin, open_admin
from tests.test_broadcast_support import officers

V1 = "Khám sức khỏe miễn phí tại trạm y tế. Hỏi thêm: {{ hotline }}."
V2 = "Khám sức khỏe: nộp phí 500.000 đồng trước qua số tài khoản 0123456789. Hỏi thêm: {{ hotline }}."
CHANGED = "Nội dung đã thay đổi sau khi bạn mở; hãy xem lại bản mới"


def _submitted(store: Store, body: str = V1) -> int:
    officers(store)
    mid, _ = messages.create_message(store, kind="campaign", theme="screening", title="Lịch", body=body, author="bien_tap")
    messages.submit(store, mid)
    return mid


def _states(store: Store, mid: int) -> list[str]:
    return [v["state"] for v in db.versions_of(store, mid)]


# --- the library --------------------------------------------------------------------------------
def test_v1_seen_v2_submitted_approving_v1_is_refused(store: Store, settings: Settings) -> None:
    mid = _submitted(store)
    seen = messages.review(store, settings, mid)  # the approver opens v1
    messages.edit_message(store, mid, V2, "bien_tap")  # the editor re-submits
    messages.submit(store, mid)
    with pytest.raises(ApprovalError, match=CHANGED):
        messages.approve(store, settings, mid, "lanh_dao", version_id=seen.version_id, text_hash=seen.text_hash)
    with pytest.raises(ApprovalError, match=CHANGED):  # the hash alone (the CLI) is refused as well
        messages.approve(store, settings, mid, "lanh_dao", version_id=None, text_hash=seen.short_hash)
    assert _states(store, mid) == ["retired", "pending"]
    with pytest.raises(ApprovalError, match="no approved version"):
        messages.approved_version(store, mid)
    fresh = messages.review(store, settings, mid)
    assert "500.000" in fresh.text and fresh.text_hash != seen.text_hash
    done = messages.approve(store, settings, mid, "lanh_dao", version_id=fresh.version_id, text_hash=fresh.text_hash)
    assert done.text_hash == hashlib.sha256(fresh.text.encode("utf-8")).hexdigest()
    assert messages.approved_version(store, mid)["id"] == fresh.version_id


def test_same_text_in_another_version_is_refused_by_its_id(store: Store, settings: Settings) -> None:
    mid = _submitted(store)
    seen = messages.review(store, settings, mid)
    messages.edit_message(store, mid, V1, "bien_tap")
    messages.submit(store, mid)
    assert messages.review(store, settings, mid).text_hash == seen.text_hash
    with pytest.raises(ApprovalError, match=CHANGED):
        messages.approve(store, settings, mid, "lanh_dao", version_id=seen.version_id, text_hash=seen.text_hash)


@pytest.mark.parametrize("given", ["", "abc", "zzzzzzzzzzzz", "0" * 64])
def test_missing_short_or_wrong_hash_is_refused(store: Store, settings: Settings, given: str) -> None:
    mid = _submitted(store)
    vid = messages.review(store, settings, mid).version_id
    with pytest.raises(ApprovalError):
        messages.approve(store, settings, mid, "lanh_dao", version_id=vid, text_hash=given)
    assert _states(store, mid) == ["pending"]


def test_rejection_is_pinned_too(store: Store, settings: Settings) -> None:
    mid = _submitted(store)
    seen = messages.review(store, settings, mid)
    messages.edit_message(store, mid, V2, "bien_tap")
    messages.submit(store, mid)
    with pytest.raises(ApprovalError, match=CHANGED):
        messages.reject(store, settings, mid, "lanh_dao", "sai", version_id=seen.version_id, text_hash=seen.text_hash)
    assert _states(store, mid) == ["retired", "pending"]


# --- the admin ----------------------------------------------------------------------------------
@pytest.fixture
def admin(settings: Settings) -> Iterator[Admin]:
    for adm in open_admin(settings):
        adm.add("lan", "editor")
        adm.add("minh", "approver")
        yield adm


def _as(admin: Admin, name: str) -> None:
    admin.client.cookies.clear()
    admin.login(name)


def _form_fields(page: str) -> dict[str, str]:
    """The hidden fields of the approve form ({} on a page without them, as before the fix)."""
    version = re.search(r'name="version_id" value="(\d+)"', page)
    digest = re.search(r'name="text_hash" value="([0-9a-f]{64})"', page)
    return {"version_id": version.group(1), "text_hash": digest.group(1)} if version and digest else {}


def _new(admin: Admin, body: str) -> int:
    r = admin.client.post(
        "/admin/messages/new",
        data={"csrf": admin.csrf(), "kind": "campaign", "theme": "screening", "title": "Lịch", "body": body, "action": "submit"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    return int(r.headers["location"].split("/")[-1].split("?")[0])


def test_admin_approve_form_of_v1_cannot_approve_v2(admin: Admin) -> None:
    admin.login("lan")
    mid = _new(admin, V1)
    _as(admin, "minh")
    page = admin.client.get(f"/admin/messages/{mid}").text
    seen = _form_fields(page)  # the approver's open page, with v1's id and hash
    _as(admin, "lan")
    r = admin.client.post(
        f"/admin/messages/{mid}/edit", data={"csrf": admin.csrf(), "body": V2, "action": "submit"}, follow_redirects=False
    )
    assert r.status_code == 303
    _as(admin, "minh")
    r = admin.client.post(f"/admin/messages/{mid}/approve", data={"csrf": admin.csrf(), **seen})
    assert r.status_code == 400 and CHANGED in r.text
    assert _states(admin.store, mid) == ["retired", "pending"]
    refused = admin.audit()[0]
    assert refused["action"] == "message.approve.refused" and refused["user"] == "minh"
    # Without the fields (an old page, a forged form) nothing is approved either.
    assert admin.client.post(f"/admin/messages/{mid}/approve", data={"csrf": admin.csrf()}).status_code == 400
    assert _states(admin.store, mid) == ["retired", "pending"]


def test_admin_audit_records_the_exact_text_hash_approved(admin: Admin) -> None:
    admin.login("lan")
    mid = _new(admin, V1)
    _as(admin, "minh")
    page = admin.client.get(f"/admin/messages/{mid}").text
    fields = _form_fields(page)
    assert fields and fields["text_hash"][:12] in page  # the short hash is shown to the officer
    r = admin.client.post(f"/admin/messages/{mid}/approve", data={"csrf": admin.csrf(), **fields}, follow_redirects=False)
    assert r.status_code == 303
    entry = admin.audit()[0]
    shown = messages.review(admin.store, admin.settings, mid).text
    assert entry["action"] == "message.approve" and entry["user"] == "minh"
    assert entry["detail"]["text_sha256"] == hashlib.sha256(shown.encode("utf-8")).hexdigest() == fields["text_hash"]
    assert entry["detail"]["version"] == int(fields["version_id"])
    assert admin.settings.health_hotline in shown  # the hash covers the rendered text, not the template


# --- the CLI ------------------------------------------------------------------------------------
@pytest.fixture
def loa(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    from bot.cli import app

    monkeypatch.setenv("LOA_DB", str(make_db(tmp_path / "cli.db")))
    monkeypatch.setenv("LOA_SECRET_KEY", "cli-secret")
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args))


def _hash_shown(loa: Any, mid: str) -> str:
    out = loa("messages", "show", mid).stdout
    found = re.search(r"text hash: ([0-9a-f]{12})", out)
    assert found, out
    return found.group(1)


def test_cli_approve_needs_the_hash_of_the_text_read(loa: Any, tmp_path: Path) -> None:
    assert loa("users", "add", "bien_tap", "--role", "editor").exit_code == 0
    assert loa("users", "add", "lanh_dao", "--role", "approver").exit_code == 0
    v1, v2 = tmp_path / "v1.txt", tmp_path / "v2.txt"
    v1.write_text(V1, encoding="utf-8")
    v2.write_text(V2, encoding="utf-8")
    mid = loa("messages", "add", str(v1), "--author", "bien_tap").stdout.strip().splitlines()[-1]
    assert loa("messages", "submit", mid).exit_code == 0
    first = _hash_shown(loa, mid)
    r = loa("messages", "approve", mid, "--by", "lanh_dao")
    assert r.exit_code == 2 and "--hash" in r.output  # required option
    assert loa("messages", "edit", mid, str(v2), "--author", "bien_tap").exit_code == 0
    assert loa("messages", "submit", mid).exit_code == 0
    r = loa("messages", "approve", mid, "--by", "lanh_dao", "--hash", first)
    assert r.exit_code == 1 and CHANGED in str(r.exception)
    second = _hash_shown(loa, mid)
    r = loa("messages", "approve", mid, "--by", "lanh_dao", "--hash", second)
    assert r.exit_code == 0 and f"approved by lanh_dao (text hash {second})" in r.stdout
    store = Store.open(tmp_path / "cli.db")
    try:
        entry = admin_store.list_audit(store, action="message.approve")[0]
    finally:
        store.close()
    assert entry["user"] == "lanh_dao" and entry["target"] == f"message:{mid}"
    assert entry["detail"]["via"] == "cli" and entry["detail"]["text_sha256"].startswith(second)
