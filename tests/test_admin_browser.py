"""The officers' whole flow in a real browser (Debian's headless Chromium through Playwright).

An editor drafts and submits a message; an approver approves it; the editor tags a group
with its commune and priority group and broadcasts the message to that tag; the local
Telegram Bot API server receives it; a reporter downloads the report. The app runs under uvicorn on 127.0.0.1 (a random port) in a thread, with the real
lifespan: Telegram adapter and broadcast sender pointed at the fake Bot API server.
Screenshots of the main pages are written next to the test's temp files, and to
``docs/screenshots/`` when missing there (they are committed once).
"""

from __future__ import annotations

import random
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot import users
from bot.config import Settings
from bot.reference import ensure_reference_data
from bot.store import Store, officers
from bot.store.chats import set_unit_and_tags, upsert_chat
from bot.store.events import log_event
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.test_admin import PASSWORD, fast_hash

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium"
    ),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """uvicorn serving the real app in a background thread."""

    def __init__(self, settings: Settings) -> None:
        import uvicorn

        from bot.web.app import create_app

        self.url = f"http://127.0.0.1:{settings.port}"
        config = uvicorn.Config(
            create_app(settings), host="127.0.0.1", port=settings.port, log_level="warning", lifespan="on"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="uvicorn", daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


@pytest.fixture
def telegram() -> Iterator[FakeTelegramAPI]:
    with FakeTelegramAPI() as tg:
        yield tg


@pytest.fixture
def server(tmp_path: Path, telegram: FakeTelegramAPI) -> Iterator[Server]:
    settings = Settings(  # type: ignore[call-arg]
        db=tmp_path / "loa.db",
        secret_key="browser-test-secret",
        port=_free_port(),
        telegram_token=telegram.token,
        telegram_base_url=telegram.base_url,
        _env_file=None,
    )
    store = Store.open(settings.db)
    ensure_reference_data(store, settings)
    for name, role in (("lan", "editor"), ("minh", "approver"), ("ha", "reporter")):
        users.add_user(store, name, [role])
        officers.update_user(store, users.get_user(store, name)["id"], password_hash=fast_hash(PASSWORD))  # type: ignore[index]
    # The elderly group arrives untagged: the editor tags it in the browser.
    upsert_chat(store, "telegram", "-1001", "group", title="Hội người cao tuổi tổ 5", member_count=120)
    upsert_chat(store, "telegram", "-1002", "group", title="Phụ huynh lớp 5A", member_count=40)
    set_unit_and_tags(store, "telegram", "-1002", unit="Lê Chân", tags=["phu_huynh"])
    upsert_chat(store, "telegram", "-1003", "group", title="Tổ dân phố 7 (chưa gắn thẻ)")
    _seed_activity(store)
    store.close()
    with Server(settings) as srv:
        yield srv


def _seed_activity(store: Store) -> None:
    """Two weeks of residents' questions, so the dashboard (and its screenshot) has a chart."""
    rng = random.Random(7)
    topics = [
        "screening.where",
        "vneid.level2",
        "health_book.integrate",
        "screening.bring",
        "screening.cost",
    ]
    now = datetime.now(UTC)
    for day in range(14):
        for i in range(rng.randint(20, 60) + 4 * (14 - day)):
            at = now - timedelta(days=day, minutes=rng.randint(0, 600))
            resident = f"r{rng.randint(1, 400)}"
            log_event(store, "interaction", at=at, channel="zalo", resident=resident)
            if i % 3 == 0:
                log_event(store, "faq_answered", at=at, resident=resident, topic=rng.choice(topics))
            if i % 11 == 0:
                log_event(store, "scam_checked", at=at, resident=resident, value="scam")


@pytest.fixture
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        try:
            yield b
        finally:
            b.close()


def _shot(page: object, name: str, tmp_path: Path, *, full_page: bool = True) -> None:
    target = tmp_path / name
    page.screenshot(path=str(target), full_page=full_page)  # type: ignore[attr-defined]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    if not (SCREENSHOTS / name).exists():
        shutil.copyfile(target, SCREENSHOTS / name)


def _login(page: object, base: str, name: str) -> None:
    page.goto(f"{base}/admin/login")  # type: ignore[attr-defined]
    page.fill("input[name=name]", name)  # type: ignore[attr-defined]
    page.fill("input[name=password]", PASSWORD)  # type: ignore[attr-defined]
    page.click("button:has-text('Đăng nhập')")  # type: ignore[attr-defined]
    page.wait_for_url(f"{base}/admin")  # type: ignore[attr-defined]


def _logout(page: object) -> None:
    page.click("button:has-text('Đăng xuất')")  # type: ignore[attr-defined]
    page.wait_for_url(re.compile(r".*/admin/login\?ok=logged_out$"))  # type: ignore[attr-defined]


def test_draft_approve_broadcast_report_in_chromium(
    server: Server, browser: object, telegram: FakeTelegramAPI, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    base = server.url
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN", accept_downloads=True)  # type: ignore[attr-defined]
    page = phone.new_page()
    page.on("dialog", lambda d: d.accept())

    # 1. The editor drafts a message, sees it on Zalo and Telegram, and submits it.
    _login(page, base, "lan")
    page.click("nav.menu >> text=Tin nhắn")
    page.click("text=+ Soạn tin mới")
    page.select_option("select[name=kind]", "campaign")
    page.select_option("select[name=theme]", "screening")
    page.fill("input[name=title]", "Lịch khám sức khỏe miễn phí tháng 12")
    page.fill(
        "textarea[name=body]",
        "Khám sức khỏe miễn phí cho người cao tuổi tại {{ commune }} từ 01/12/2026.\n\n"
        "Mang CCCD hoặc VNeID. Hỏi thêm: {{ hotline }}.",
    )
    expect(page.locator("#preview .preview.zalo")).to_contain_text("[xã/phường]")
    expect(page.locator("#preview .preview.telegram")).to_contain_text("1900 9095")
    _shot(page, "admin-message-preview.png", tmp_path)
    page.click("button:has-text('Lưu và gửi duyệt')")
    expect(page.locator(".flash.ok")).to_contain_text("Đã gửi đi chờ duyệt")
    expect(page.locator("text=không phải người soạn")).to_be_visible()
    message_url = page.url.split("?")[0]
    _logout(page)

    # 2. The approver (another officer) approves it.
    _login(page, base, "minh")
    page.goto(message_url)
    page.click("button:has-text('Duyệt tin')")
    expect(page.locator(".flash.ok")).to_contain_text("Đã duyệt tin")
    _logout(page)

    # 3. The editor tags the elderly group with its commune, then broadcasts to that tag.
    _login(page, base, "lan")
    page.click("nav.menu >> text=Nhóm & người nhận")
    page.check("input[aria-label='Chọn Hội người cao tuổi tổ 5']")
    page.select_option("form[action='/admin/chats/bulk'] select[name=unit]", "Lê Chân")
    page.check("input[name=add_tag][value=nguoi_cao_tuoi]")
    page.click("button:has-text('Áp dụng')")
    expect(page.locator(".flash.ok")).to_contain_text("Đã cập nhật")
    expect(page.locator("tr", has_text="Hội người cao tuổi tổ 5")).to_contain_text("Người cao tuổi")
    page.goto(message_url)
    page.click("text=Tạo đợt gửi")
    expect(page.locator("#count")).to_contain_text("3 nhóm/người nhận")
    page.check("input[name=tag][value=nguoi_cao_tuoi]")
    expect(page.locator("#count")).to_contain_text("1 nhóm/người nhận")
    expect(page.locator("#count")).to_contain_text("khoảng 120 thành viên")
    page.check("input[name=unit][value='Lê Chân']")  # one commune fills {{ commune }}
    expect(page.locator("#count")).to_contain_text("1 nhóm/người nhận")
    page.check("input[name=when][value=now]")
    page.click("button:has-text('Tạo đợt gửi')")
    assert page.locator(".flash.err").count() == 0, page.locator(".flash.err").all_inner_texts()
    expect(page.locator(".flash.ok")).to_contain_text("Đã tạo đợt gửi")
    code = page.locator("h1 code").inner_text()
    assert re.fullmatch(r"HP-[0-9A-Z]{6}", code)
    # The sender delivers through the fake Bot API; the page polls its progress.
    expect(page.locator("#progress")).to_contain_text("Đã gửi 1", timeout=20_000)
    expect(page.locator("#progress .badge")).to_contain_text("Đã xong", timeout=20_000)
    sent = [m for m in telegram.sent if code in m["text"]]
    assert [str(m["chat_id"]) for m in sent] == ["-1001"]
    assert "người cao tuổi tại Lê Chân" in sent[0]["text"]
    desktop = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")  # type: ignore[attr-defined]
    wide = desktop.new_page()
    wide.context.add_cookies(phone.cookies())
    wide.goto(page.url.split("?")[0])
    _shot(wide, "admin-broadcast.png", tmp_path)
    wide.goto(f"{base}/admin")
    _shot(wide, "admin-dashboard.png", tmp_path)
    desktop.close()
    _logout(page)

    # 4. The reporter downloads this quarter's report.
    _login(page, base, "ha")
    page.click("nav.menu >> text=Báo cáo")
    page.select_option("select[name=format]", "docx")
    with page.expect_download() as info:
        page.click("button:has-text('Tải báo cáo')")
    download = info.value
    assert download.suggested_filename.startswith("bao-cao-") and download.suggested_filename.endswith(
        ".docx"
    )
    path = tmp_path / download.suggested_filename
    download.save_as(str(path))
    assert path.read_bytes()[:2] == b"PK"
    # The reporter cannot approve or broadcast: the server says so even for a typed URL.
    page.goto(f"{base}/admin/broadcasts/new")
    expect(page.locator("h1")).to_contain_text("Không có quyền")
    phone.close()
