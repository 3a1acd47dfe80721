"""The officers' own actions in Chromium at 390 px and 1280 px (issue 17): changing one's
password, marking an unanswered question handled or adding it as a FAQ sample, editing one
screening session. Each form is sent with bad input first (a Vietnamese reason, values
kept), then used for real; no page shows an English phrase or a raw code (the lists of
``test_admin_vi_browser``), and nothing is wider than the phone.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import users
from bot.config import Settings
from bot.demo import load_demo
from bot.store import Store, officers
from bot.store.faq import record_unanswered
from bot.store.faq_review import pending_samples
from bot.store.sites import find_sessions
from tests.test_admin import PASSWORD, fast_hash
from tests.test_admin_browser import CHROMIUM, Server, _free_port, _shot
from tests.test_admin_vi_browser import SUBMIT_BAD, VISIBLE_TEXT, WIDTHS, problems_in

PHONE = 390  # the screenshots for docs/ are taken at phone width

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium"),
]

QUESTIONS = [
    "cho hỏi khám mắt ở trạm nào gần nhất 0912345678",
    "bác hỏi khám răng có mất tiền không cháu",
    "xin hỏi có khám phụ khoa không",
    "khám xong bao lâu thì có kết quả trên sổ",
]


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Settings, int, str]]:
    tmp = tmp_path_factory.mktemp("admin-actions")
    settings = Settings(  # type: ignore[call-arg]
        db=tmp / "loa.db", secret_key="admin-actions-secret", port=_free_port(), _env_file=None
    )
    store = Store.open(settings.db)
    load_demo(store, settings)
    for name, role in (("bientap", "editor"), ("quantri", "admin")):
        users.add_user(store, name, [role])
        officers.update_user(store, users.get_user(store, name)["id"], password_hash=fast_hash(PASSWORD))  # type: ignore[index]
    from datetime import UTC, datetime

    for q in QUESTIONS:
        record_unanswered(store, q, at=datetime.now(UTC), best_topic="screening.where", best_score=0.2)
    session = find_sessions(store, province=settings.province, limit=1)[0]
    day = str(session["date"])
    store.close()
    with Server(settings) as srv:
        yield srv, settings, int(session["session_id"]), f"{day[8:10]}/{day[5:7]}/{day[:4]}"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        try:
            yield b
        finally:
            b.close()


def _signed_in(browser: object, base: str, name: str, width: int, password: str = PASSWORD) -> object:
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="vi-VN")  # type: ignore[attr-defined]
    page = context.new_page()
    page.on("dialog", lambda d: d.accept())
    page.goto(f"{base}/admin/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", password)
    page.click("button:has-text('Đăng nhập')")
    page.wait_for_url(f"{base}/admin")
    return page


def _clean(page: object, where: str, width: int) -> str:
    """The visible text, after checking it for English, raw codes and a phone-wide layout."""
    text = str(page.evaluate(VISIBLE_TEXT))  # type: ignore[attr-defined]
    assert not problems_in(text), f"{where}: {problems_in(text)}"
    if width == 390:
        scroll = page.evaluate("document.documentElement.scrollWidth")  # type: ignore[attr-defined]
        assert scroll <= 392, f"{where}: page is {scroll}px wide on a 390px phone"
    return text


def _submit_bad(page: object, selector: str, fields: dict[str, str]) -> None:
    with page.expect_navigation():  # type: ignore[attr-defined]
        page.evaluate(SUBMIT_BAD, [selector, fields])  # type: ignore[attr-defined]


def _account(page: object, base: str, width: int, new_password: str) -> None:
    page.goto(f"{base}/admin/account")  # type: ignore[attr-defined]
    _clean(page, "account", width)
    form = "form[action='/admin/account']"
    _submit_bad(page, form, {"current": "khong-dung-mat-khau", "password": "a" * 12, "password2": "a" * 12})
    assert "Mật khẩu hiện tại không đúng" in _clean(page, "account: wrong current", width)
    _submit_bad(page, form, {"current": PASSWORD, "password": "ngắn", "password2": "khác"})
    assert "Hai lần nhập mật khẩu mới không khớp nhau" in _clean(page, "account: mismatch", width)
    _submit_bad(page, form, {"current": PASSWORD, "password": "ngắn", "password2": "ngắn"})
    _clean(page, "account: weak", width)
    assert users.password_rule() in page.inner_text("[role=alert]")  # type: ignore[attr-defined]
    page.fill("input[name=current]", PASSWORD)  # type: ignore[attr-defined]
    page.fill("input[name=password]", new_password)  # type: ignore[attr-defined]
    page.fill("input[name=password2]", new_password)  # type: ignore[attr-defined]
    with page.expect_navigation():  # type: ignore[attr-defined]
        page.click(f"{form} button[type=submit]")  # type: ignore[attr-defined]
    assert "mật khẩu" in _clean(page, "account: changed", width).lower()


def _unanswered(page: object, base: str, width: int, tmp: Path) -> None:
    page.goto(f"{base}/admin/unanswered")  # type: ignore[attr-defined]
    text = _clean(page, "unanswered", width)
    if width == PHONE:
        _shot(page, "admin-unanswered-phone.png", tmp, full_page=False)  # the list is long
    assert "Thêm làm câu mẫu cho chủ đề" in text and "0912345678" not in text
    _submit_bad(page, "form.sample-form", {"topic": ""})
    assert "Hãy chọn chủ đề" in _clean(page, "unanswered: no topic", width)
    _submit_bad(page, "form.sample-form", {"topic": "khong.co.chu.de"})
    assert "không có trong bộ giải đáp" in _clean(page, "unanswered: unknown topic", width)
    # For real: pick a topic by its title, then mark another question handled.
    first = page.locator("form.sample-form").first  # type: ignore[attr-defined]
    first.locator("select[name=topic]").select_option(label="Khám ở đâu?")
    with page.expect_navigation():  # type: ignore[attr-defined]
        first.locator("button[type=submit]").click()
    assert "Đã thêm câu hỏi làm câu mẫu" in _clean(page, "unanswered: sample added", width)
    with page.expect_navigation():  # type: ignore[attr-defined]
        page.locator("form.handled-form button").first.click()  # type: ignore[attr-defined]
    assert "Đã đánh dấu câu hỏi là đã xử lý" in _clean(page, "unanswered: handled", width)
    page.goto(f"{base}/admin/unanswered?xem=da-xu-ly")  # type: ignore[attr-defined]
    assert "Khám ở đâu?" in _clean(page, "unanswered: handled list", width)


def _session(page: object, base: str, width: int, session_id: int, day: str, tmp: Path) -> None:
    page.goto(f"{base}/admin/sites?tu={day}")  # type: ignore[attr-defined]
    _clean(page, "sites from a day", width)
    _submit_bad(page, "#sessions-from", {"tu": "31/02/2026"})
    assert "Không xem được lịch từ ngày đó" in _clean(page, "sites: bad day", width)
    page.goto(f"{base}/admin/sites?tu={day}")  # type: ignore[attr-defined]
    with page.expect_navigation():  # type: ignore[attr-defined]
        page.click(f"a[href='/admin/sites/sessions/{session_id}/edit']")  # type: ignore[attr-defined]
    _clean(page, "session form", width)
    _submit_bad(page, "#sessionform", {"ngay": "32/13/2026", "gio_bat_dau": "13:00", "gio_ket_thuc": "11:00"})
    text = _clean(page, "session: bad input", width)
    assert "không có trên lịch" in text and "không sau giờ bắt đầu" in text, text
    if width == PHONE:
        _shot(page, "admin-session-errors-phone.png", tmp)
    assert page.input_value("input[name=ngay]") == "32/13/2026"  # type: ignore[attr-defined]
    page.fill("input[name=ngay]", day)  # type: ignore[attr-defined]
    page.fill("input[name=gio_bat_dau]", "7h15")  # type: ignore[attr-defined]
    page.fill("input[name=gio_ket_thuc]", "11:45")  # type: ignore[attr-defined]
    page.fill("textarea[name=ghi_chu]", f"Sửa thử ở màn hình {width}px")  # type: ignore[attr-defined]
    with page.expect_navigation():  # type: ignore[attr-defined]
        page.click("#sessionform button[type=submit]")  # type: ignore[attr-defined]
    text = _clean(page, "session: saved", width)
    assert "Đã lưu buổi khám" in text and "07:15–11:45" in text and f"Sửa thử ở màn hình {width}px" in text


@pytest.mark.parametrize("width", WIDTHS)
def test_officer_actions_with_bad_then_good_input(
    setup: tuple[Server, Settings, int, str], browser: object, width: int, tmp_path: Path
) -> None:
    server, settings, session_id, day = setup
    base = server.url
    page = _signed_in(browser, base, "bientap", width)
    new_password = f"mat-khau-moi-{width}-dai"
    try:
        _unanswered(page, base, width, tmp_path)
        _session(page, base, width, session_id, day, tmp_path)
        _account(page, base, width, new_password)
    finally:
        page.context.close()  # type: ignore[attr-defined]
    # The new password works (and becomes the account's for the next width).
    page = _signed_in(browser, base, "bientap", width, password=new_password)
    page.context.close()  # type: ignore[attr-defined]
    users_store = Store.open(settings.db, migrate=False)
    try:
        officers.update_user(
            users_store, users.get_user(users_store, "bientap")["id"], password_hash=fast_hash(PASSWORD)  # type: ignore[index]
        )
        assert pending_samples(users_store), "the sample proposed in the browser is stored"
    finally:
        users_store.close()
    # The administrator reads the audit log of these actions in words.
    page = _signed_in(browser, base, "quantri", width)
    try:
        page.goto(f"{base}/admin/audit")  # type: ignore[attr-defined]
        text = _clean(page, "audit", width)
        for label in ("Thêm câu hỏi mẫu cho chủ đề", "Đánh dấu câu hỏi đã xử lý", "Sửa buổi khám", "Đổi mật khẩu"):
            assert label in text, label
    finally:
        page.context.close()  # type: ignore[attr-defined]
