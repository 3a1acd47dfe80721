"""Every admin page, as every role, on a phone (390 px) and a desktop (1280 px), in Chromium:
no English error phrase and no raw code is visible; each form, sent once with bad input,
answers in Vietnamese (issue 17).

One browser; one context per (role, width), signed in once. The database holds the demo
content (messages, broadcasts with failed deliveries, schedules, chats, activities), so
the pages show real rows rather than empty states.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import users
from bot.config import Settings
from bot.demo import load_demo
from bot.store import Store, officers
from bot.web.admin import route_permissions
from bot.web.admin.codes import AUDIT_ACTIONS
from bot.web.admin.labels import TAGS
from bot.web.admin.permissions import allowed
from tests.test_admin import PASSWORD, fast_hash
from tests.test_admin_browser import CHROMIUM, Server, _free_port

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium"),
]

ROLES = {"bientap": "editor", "duyet": "approver", "baocao": "reporter", "quantri": "admin"}
WIDTHS = (390, 1280)

#: English phrases that must never reach an officer (library errors, framework defaults, CLI hints).
ENGLISH = [
    "Not Found", "Method Not Allowed", "Internal Server Error", '"detail"', "Traceback", "must be",
    "did you mean", "already exists", "no message with id", "bad time", "bad date", "is empty",
    "is in the future", "unknown unit", "unknown format", "unknown role", "missing column", "not after start",
    "the quarter number", "--var", "--reason", "loa messages", "/tmp/", "loa-upload-", "four-eyes", "Error:",
]
#: Raw codes: selector prefixes, delivery reason keys, audit actions, tag ids, role ids, ISO dates, files.
RAW = [
    re.compile(r"\b(unit|tag|channel):\S"),
    re.compile(r"\b(failed|skipped):"),
    re.compile(r"\b20\d\d-\d\d-\d\d\b"),
    re.compile(r"\.ya?ml\b"),
    re.compile(r"(?<![\w.])\d{1,2} \d{1,2} [\d*]+ [\d*]+ [\d*a-z,-]+(?!\w)"),  # a cron line
    re.compile("|".join(rf"\b{re.escape(a)}\b" for a in AUDIT_ACTIONS)),
    re.compile("|".join(rf"\b{t}\b" for t in (*TAGS, "to_dan_pho"))),
]

#: Visible text of the page, without parts allowed to show syntax (the cron help of the form).
#: Role codes are looked for in labels only: the demo's accounts are named "editor", "approver".
VISIBLE_TEXT = """() => {
  const root = document.body.cloneNode(true);
  root.querySelectorAll('[data-raw-ok], script, style').forEach(e => e.remove());
  const roleCodes = ['editor', 'approver', 'reporter', 'admin'];
  const badLabels = Array.from(document.querySelectorAll('label'))
    .map(l => l.innerText.trim()).filter(t => roleCodes.includes(t));
  return root.innerText + (badLabels.length ? ' Error: role label ' + badLabels.join(', ') : '');
}"""

#: Fill a form by field name, bypassing the browser's own checks, and submit it.
SUBMIT_BAD = """([selector, fields]) => {
  const form = document.querySelector(selector);
  form.noValidate = true;
  for (const [name, value] of Object.entries(fields)) {
    let els = form.querySelectorAll(`[name="${name}"]`);
    if (!els.length) {
      const extra = document.createElement('input');
      extra.type = 'hidden'; extra.name = name; form.appendChild(extra); els = [extra];
    }
    els.forEach(el => {
      if (el.type === 'radio' || el.type === 'checkbox') { el.checked = el.value === value; return; }
      if (el.tagName === 'SELECT') {
        const o = document.createElement('option'); o.value = value; o.textContent = value; el.appendChild(o);
      }
      ['maxlength', 'minlength', 'required', 'pattern'].forEach(a => el.removeAttribute(a));
      if (el.type === 'datetime-local' || el.type === 'number' || el.type === 'date') { el.type = 'text'; }
      el.value = value;
    });
  }
  HTMLFormElement.prototype.submit.call(form);
}"""


def problems_in(text: str) -> list[str]:
    """English phrases and raw codes found in ``text``."""
    found = [p for p in ENGLISH if p in text]
    for rx in RAW:
        m = rx.search(text)
        if m:
            found.append(m.group(0))
    return found


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("admin-vi")
    settings = Settings(  # type: ignore[call-arg]
        db=tmp / "loa.db", secret_key="admin-vi-secret", port=_free_port(), _env_file=None
    )
    store = Store.open(settings.db)
    load_demo(store, settings)
    for name, role in ROLES.items():
        users.add_user(store, name, [role])
        officers.update_user(store, users.get_user(store, name)["id"], password_hash=fast_hash(PASSWORD))  # type: ignore[index]
    store.close()
    with Server(settings) as srv:
        yield srv


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        try:
            yield b
        finally:
            b.close()


def _signed_in(browser: object, base: str, name: str, width: int) -> object:
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="vi-VN")  # type: ignore[attr-defined]
    page = context.new_page()
    page.on("dialog", lambda d: d.accept())
    page.goto(f"{base}/admin/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('Đăng nhập')")
    page.wait_for_url(f"{base}/admin")
    return page


def _pages(role: str) -> list[str]:
    """The admin pages a role can open (GET, no path parameter), plus a missing one (404)."""
    skip = {"/admin/login", "/admin/logout", "/admin/reports/download", "/admin/broadcasts/count"}
    paths = sorted(
        path
        for (method, path), perm in route_permissions().items()
        if method == "GET" and "{" not in path and path not in skip and "invite" not in path
        and (perm is None or allowed([role], perm))
        and not path.endswith(("/progress", "/preview", "/count"))
    )
    return [*paths, "/admin/khong-co-trang-nay"]


def _check(page: object, where: str) -> None:
    text = page.evaluate(VISIBLE_TEXT)  # type: ignore[attr-defined]
    found = problems_in(text)
    assert not found, f"{where}: {found}"


def test_every_page_every_role_both_widths(server: Server, browser: object) -> None:
    base = server.url
    for name, role in ROLES.items():
        for width in WIDTHS:
            page = _signed_in(browser, base, name, width)
            extra = []
            for path in _pages(role):
                page.goto(base + path)  # type: ignore[attr-defined]
                _check(page, f"{role} {width}px {path}")
                if path in ("/admin/messages", "/admin/broadcasts"):
                    link = page.locator(f"main a[href^='{path}/']").first  # type: ignore[attr-defined]
                    if link.count():
                        extra.append(link.get_attribute("href"))
            for path in extra:
                page.goto(base + path)  # type: ignore[attr-defined]
                _check(page, f"{role} {width}px {path}")
            if width == 390:
                # Nothing wider than the phone: tables became cards.
                scroll = page.evaluate("document.documentElement.scrollWidth")  # type: ignore[attr-defined]
                assert scroll <= 392, f"{role}: page is {scroll}px wide on a 390px phone"
            page.context.close()  # type: ignore[attr-defined]


BAD_SCHEDULE = (
    "don_vi,ten_diem,dia_chi,loai,ngay,gio_bat_dau,gio_ket_thuc\n"
    "Không Có Xã,Trạm,Số 1,co_dinh,32/13/2026,13:00,11:00\n"
)

#: (officer, page, form selector, fields, uploaded file, expected Vietnamese words)
FORMS = [
    ("bientap", "/admin/messages/new", "#msgform", {"title": "Thử", "body": "", "action": "save"}, None, "Nội dung tin đang trống"),
    ("bientap", "/admin/broadcasts/new", "#bcform", {"message": "9999", "when": "at", "at": "32/13/2026 25:00"}, None, "Không"),
    ("bientap", "/admin/schedules", "#scform", {"name": "thu", "repeat": "cron", "cron": "99 99 * * *"}, None, "Không"),
    ("bientap", "/admin/activities", "form[action='/admin/activities']", {"date": "05/12/2099", "count": "-3"}, None, "chưa tới"),
    ("bientap", "/admin/activities", "form[action='/admin/activities/import']", {}, ("hd.csv", "a,b\n1,2\n"), "thiếu cột"),
    ("bientap", "/admin/sites", "form[action='/admin/sites/upload']", {}, ("lich.csv", BAD_SCHEDULE), "không có trên lịch"),
    ("quantri", "/admin/users", "form[action='/admin/users']", {"name": "bientap", "role": "editor"}, None, "đã có"),
    ("baocao", "/admin/reports", "form[action='/admin/reports/download']", {"period": "quarter", "quarter": "2026-Q5", "format": "pdf"}, None, "Không"),
]


@pytest.mark.parametrize("width", WIDTHS)
def test_each_form_with_bad_input_answers_in_vietnamese(server: Server, browser: object, width: int, tmp_path: Path) -> None:
    base = server.url
    pages: dict[str, object] = {}
    try:
        for name, path, selector, fields, upload, expected in FORMS:
            page = pages.get(name) or pages.setdefault(name, _signed_in(browser, base, name, width))
            page.goto(base + path)  # type: ignore[attr-defined]
            if upload:
                file = tmp_path / upload[0]
                file.write_text(upload[1], encoding="utf-8")
                page.set_input_files(f"{selector} input[type=file]", str(file))  # type: ignore[attr-defined]
            with page.expect_navigation():  # type: ignore[attr-defined]
                page.evaluate(SUBMIT_BAD, [selector, fields])  # type: ignore[attr-defined]
            text = page.evaluate(VISIBLE_TEXT)  # type: ignore[attr-defined]
            assert expected in text, f"{path} {fields}: {page.url} {page.content()[:400]}"  # type: ignore[attr-defined]
            assert not problems_in(text), f"{path}: {problems_in(text)}"
    finally:
        for page in pages.values():
            page.context.close()  # type: ignore[attr-defined]
