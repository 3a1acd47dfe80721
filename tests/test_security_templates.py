"""Issue 12, finding 1: officer-written text never runs as code (template injection).

The payload is the classic Jinja2 escape; if it ever ran, the shell command would create a
marker file, so every test checks the file is absent afterwards. Text stored before these
checks existed is put straight into the store (as an old database would hold it) to show
that opening, previewing and broadcasting it are safe too. Unknown variables are refused
when the draft is saved or submitted, in Vietnamese, naming the variable.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from bot import templating
from bot.broadcast import broadcasts, messages
from bot.broadcast.errors import BroadcastError
from bot.config import Settings
from bot.errors import DataFileError
from bot.faq import KnowledgeBase, Topic
from bot.store import Store
from bot.store import broadcast as db
from tests.conftest import make_db
from tests.test_admin import Admin, open_admin
from tests.test_broadcast_support import officers


def payload(marker: Path) -> str:
    """The template-injection payload from the issue, made to leave a trace if it runs."""
    return '{{ cycler.__init__.__globals__.os.popen("echo ran > ' + str(marker) + '").read() }}'


@pytest.fixture
def marker(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "payload-ran"
    yield path
    assert not path.exists(), "the template payload ran on the server"


def stored_version(store: Store, body: str, state: str) -> int:
    """A message whose only version holds ``body`` in ``state``, written straight to the store."""
    officers(store)
    with store.transaction():
        mid = db.insert_message(store, "campaign", "screening", "Cũ")
        vid = db.insert_version(store, mid, body, "bien_tap", state=state)
    if state == "approved":
        db.set_version_state(store, vid, "approved", approver="lanh_dao")
    return mid


@pytest.fixture
def admin(settings: Settings) -> Iterator[Admin]:
    for adm in open_admin(settings):
        adm.add("lan", "editor")
        adm.add("minh", "approver")
        yield adm


# --- the payload ---------------------------------------------------------------------------------
def test_payload_refused_at_save_by_the_library(store: Store, marker: Path) -> None:
    officers(store)
    with pytest.raises(BroadcastError, match="Mẫu tin không được dùng"):
        messages.create_message(
            store, kind="campaign", theme="screening", title="t", body=payload(marker), author="bien_tap"
        )
    mid, _ = messages.create_message(store, kind="campaign", theme="screening", title="t", body="Xin chào", author="bien_tap")
    with pytest.raises(BroadcastError, match="Mẫu tin không được dùng"):
        messages.edit_message(store, mid, "Chào " + payload(marker), "bien_tap")
    assert [v["body"] for v in db.versions_of(store, mid)] == ["Xin chào"]


def test_payload_refused_at_save_in_the_admin(admin: Admin, marker: Path) -> None:
    admin.login("lan")
    r = admin.client.post(
        "/admin/messages/new",
        data={"csrf": admin.csrf(), "kind": "campaign", "theme": "screening", "title": "x", "body": payload(marker)},
        follow_redirects=True,
    )
    assert r.status_code == 400 and "Mẫu tin không được dùng" in r.text
    assert messages.list_messages(admin.store) == []


def test_payload_never_runs_when_an_approver_opens_it(admin: Admin, marker: Path) -> None:
    mid = stored_version(admin.store, payload(marker), "pending")
    admin.login("minh")
    page = admin.client.get(f"/admin/messages/{mid}")
    assert page.status_code == 200 and "Mẫu tin chưa hợp lệ" in page.text
    assert 'name="text_hash"' not in page.text  # a text that cannot be shown cannot be approved
    r = admin.client.post(f"/admin/messages/{mid}/approve", data={"csrf": admin.csrf(), "version_id": "1", "text_hash": "0" * 64})
    assert r.status_code == 400
    assert messages.review(admin.store, admin.settings, mid).state == "pending"


def test_payload_never_runs_in_the_preview(admin: Admin, marker: Path) -> None:
    admin.login("lan")
    assert admin.client.get("/admin/messages/preview", params={"body": payload(marker)}).status_code == 405
    r = admin.client.post("/admin/messages/preview", data={"csrf": admin.csrf(), "body": payload(marker)})
    assert r.status_code == 200 and "Mẫu tin chưa hợp lệ" in r.text


def test_preview_needs_the_csrf_token(admin: Admin, marker: Path) -> None:
    admin.login("lan")
    r = admin.client.post("/admin/messages/preview", data={"body": payload(marker)})
    assert r.status_code == 403 and "Zalo" not in r.text


def test_payload_never_runs_at_broadcast_or_in_the_cli(store: Store, settings: Settings, marker: Path) -> None:
    mid = stored_version(store, payload(marker), "approved")
    with pytest.raises(BroadcastError, match="Mẫu tin không được dùng"):
        broadcasts.create_broadcast(store, settings, message_id=mid, selectors=["all"], created_by="bien_tap")
    with pytest.raises(BroadcastError):
        broadcasts.preview_text(store, settings, mid, ["all"])
    assert messages.review(store, settings, mid).problem


@pytest.mark.parametrize(
    "body",
    [
        "{{ cycler.__init__ }}",
        "{{ hotline.__class__ }}",
        "{{ hotline['__class__'] }}",
        "{{ hotline | attr('__class__') }}",
        "{{ range(99999999) }}",
        "{% for i in 'xxxxxxxxxx' %}{% for j in 'xxxxxxxxxx' %}x{% endfor %}{% endfor %}",
        "{% set x = 1 %}",
        "{{ 'a' * 999999 }}",
        "{% include 'admin/base.html' %}",
        "{{ lipsum() }}",
    ],
)
def test_every_construct_beyond_names_and_filters_is_refused(body: str) -> None:
    with pytest.raises(templating.TemplateRefused):
        templating.check(body, templating.VARIABLES)
    with pytest.raises(templating.TemplateRefused):
        templating.render(body, {"hotline": "1900 9095"})


def test_allowed_syntax_renders_and_falls_back() -> None:
    body = '{{ province | upper }}: {{ place | default("trạm y tế") }} {{ dates | d("sắp tới") }}'
    assert templating.check(body, templating.VARIABLES) == {"province", "place", "dates"}
    assert templating.render(body, {"province": "Hải Phòng", "dates": "01/12"}) == "HẢI PHÒNG: trạm y tế 01/12"


def test_faq_answers_render_in_the_same_sandbox(marker: Path) -> None:
    topic = Topic(id="x.y", title="T", samples=("a",), answer="Gọi " + payload(marker))
    kb = KnowledgeBase([topic])
    with pytest.raises(DataFileError, match="FAQ template error"):
        kb.render(topic.answer, {"province": "Hải Phòng"})
    with pytest.raises(DataFileError, match="nope"):
        kb.render("xem {{ nope }}", {})


# --- unknown variables, refused at save and at submit -------------------------------------------
def test_unknown_variable_refused_at_save_naming_it(store: Store) -> None:
    officers(store)
    with pytest.raises(BroadcastError) as caught:
        messages.create_message(
            store, kind="campaign", theme="screening", title="t", body="Chào {{ ten_nguoi }}.", author="bien_tap"
        )
    text = str(caught.value)
    assert text.startswith("Biến {{ ten_nguoi }} không có.") and "Các biến dùng được:" in text
    assert "{{ hotline }}" in text and "{{ commune }}" in text
    assert messages.list_messages(store) == []


def test_declared_variables_of_a_library_file_are_allowed(store: Store, settings: Settings) -> None:
    officers(store)
    mid, _ = messages.create_message(
        store, kind="campaign", theme="screening", title="t", body="Khám ở {{ phong }}.", author="bien_tap",
        vars={"phong": "phòng 2"},
    )
    assert messages.review(store, settings, mid).text == "Khám ở phòng 2."


def test_unknown_variable_refused_at_submit_for_an_old_draft(store: Store) -> None:
    mid = stored_version(store, "Chào {{ ten_nguoi }}.", "draft")
    with pytest.raises(BroadcastError, match=r"Biến \{\{ ten_nguoi \}\} không có"):
        messages.submit(store, mid)
    assert db.versions_of(store, mid)[-1]["state"] == "draft"


def test_unknown_variable_refused_in_the_admin_form(admin: Admin) -> None:
    admin.login("lan")
    r = admin.client.post(
        "/admin/messages/new",
        data={
            "csrf": admin.csrf(), "kind": "campaign", "theme": "screening", "title": "x",
            "body": "Chào {{ ten_nguoi }}.", "action": "submit",
        },
    )
    assert r.status_code == 400
    assert "Biến {{ ten_nguoi }} không có. Các biến dùng được:" in r.text
    assert messages.list_messages(admin.store) == []


def test_unknown_variable_refused_by_loa_messages_add(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.cli import app

    monkeypatch.setenv("LOA_DB", str(make_db(tmp_path / "cli.db")))
    monkeypatch.setenv("LOA_SECRET_KEY", "cli-secret")
    runner = CliRunner()

    def loa(*args: str) -> Any:
        return runner.invoke(app, list(args))

    assert loa("users", "add", "bien_tap", "--role", "editor").exit_code == 0
    draft = tmp_path / "tin.txt"
    draft.write_text("Chào {{ ten_nguoi }}, mời đi khám.\n", encoding="utf-8")
    r = loa("messages", "add", str(draft), "--author", "bien_tap")
    assert r.exit_code != 0 and "Biến {{ ten_nguoi }} không có" in str(r.exception)
    assert "No messages yet" in loa("messages", "list").stdout


# --- officer text reaches the admin pages as data ------------------------------------------------
def test_officer_text_is_escaped_data_in_admin_pages(admin: Admin) -> None:
    admin.login("lan")
    body = "<script>alert(1)</script> Gọi {{ hotline }}"
    r = admin.client.post("/admin/messages/preview", data={"csrf": admin.csrf(), "body": body})
    assert "<script>alert(1)</script>" not in r.text and "&lt;script&gt;" in r.text
    admin.client.post(
        "/admin/messages/new",
        data={"csrf": admin.csrf(), "kind": "campaign", "theme": "screening", "title": "{{ 7 * 7 }}", "body": body},
    )
    page = admin.client.get("/admin/messages/1").text
    assert "{{ 7 * 7 }}" in page and ">49<" not in page and "<script>alert(1)" not in page


def test_report_notes_are_data_not_template_source(store: Store, settings: Settings, marker: Path) -> None:
    from bot.reports.model import build_report
    from bot.reports.periods import parse_quarter
    from bot.reports.text import render_html, render_markdown

    notes = "Kiến nghị {{ 7 * 7 }} thêm loa. " + payload(marker)
    report = build_report(store, settings, parse_quarter("2026-Q4"), notes=notes)
    md, page = render_markdown(report), render_html(report, charts=False)
    assert "{{ 7 * 7 }}" in md and "{{ 7 * 7 }}" in page and "Kiến nghị 49" not in md


def test_values_filled_at_send_time_are_inserted_literally(store: Store, settings: Settings, marker: Path) -> None:
    """Schedules and ``--var`` give values, never template source: a value is not rendered again."""
    from tests.test_broadcast_support import approved_message

    mid = approved_message(store, "Khám {{ dates }}.")
    value = "{{ hotline }} " + payload(marker)
    bid = broadcasts.create_broadcast(
        store, settings, message_id=mid, selectors=["all"], created_by="bien_tap", variables={"dates": value}
    )
    assert broadcasts.get(store, bid)["text"] == f"Khám {value}."
