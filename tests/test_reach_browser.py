"""Share pack to a group head's phone in a real browser (Debian's Chromium through Playwright).

An editor opens an approved broadcast's "Chia sẻ" page and makes a personal link for a group
head; the link opens on a 390 px phone viewport, the head copies the text (the clipboard
holds the delivered text with its code), answers "Tổ 5, 120 thành viên", and the reporter's
downloaded report shows that share under the commune.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from bot import users
from bot.broadcast.broadcasts import delivered_text
from bot.config import Settings
from bot.reference import ensure_reference_data
from bot.store import Store, officers
from tests.reach_support import sent_broadcast
from tests.test_admin import PASSWORD, fast_hash
from tests.test_admin_browser import CHROMIUM, Server, _free_port, _login, _logout, _shot
from tests.test_admin_browser import browser as browser  # noqa: F401  (the Chromium fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium"),
]


@pytest.fixture
def seeded(tmp_path: Path) -> Iterator[tuple[Server, dict]]:
    settings = Settings(db=tmp_path / "loa.db", secret_key="reach-browser", port=_free_port(), _env_file=None)  # type: ignore[call-arg]
    store = Store.open(settings.db)
    ensure_reference_data(store, settings)
    row = sent_broadcast(store, settings)
    text = delivered_text(row)
    for name, role in (("lan", "editor"), ("ha", "reporter")):
        users.add_user(store, name, [role])
        officers.update_user(store, users.get_user(store, name)["id"], password_hash=fast_hash(PASSWORD))  # type: ignore[index]
    store.close()
    with Server(settings) as srv:
        yield srv, {**row, "delivered": text}


def test_share_link_on_a_phone_is_counted_in_the_report(
    seeded: tuple[Server, dict], browser: object, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    server, row = seeded
    base = server.url
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN", accept_downloads=True)  # type: ignore[attr-defined]
    page = desk.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("dialog", lambda d: d.accept())

    # 1. The editor opens the approved broadcast and its share pack, and makes a link.
    _login(page, base, "lan")
    page.goto(f"{base}/admin/broadcasts/{row['id']}")
    page.click("text=Chia sẻ vào nhóm Zalo thôn, tổ")
    expect(page.locator("h1")).to_contain_text(row["code"])
    expect(page.locator("#pack")).to_contain_text(row["code"])
    page.fill("input[name=unit]", "Kẻ Sặt")
    page.fill("input[name=head]", "Ông Tư, tổ trưởng tổ 5")
    page.click("button:has-text('Tạo đường dẫn')")
    link = page.locator("#new-url").inner_text().strip()
    assert re.fullmatch(rf"{re.escape(base)}/chia-se/[A-Za-z0-9_-]{{20,}}", link), link
    _shot(page, "admin-share-pack.png", tmp_path)
    _logout(page)

    # 2. The group head opens it on a phone, copies, and answers the question.
    phone = browser.new_context(  # type: ignore[attr-defined]
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True,
        locale="vi-VN", permissions=["clipboard-read", "clipboard-write"],
    )
    mobile = phone.new_page()
    mobile.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    mobile.goto(link)
    expect(mobile.locator("h2")).to_contain_text("Đã chia sẻ vào nhóm nào, khoảng bao nhiêu thành viên?")
    assert mobile.evaluate("document.documentElement.scrollWidth") <= 390, "no sideways scrolling on a phone"
    size = mobile.evaluate("parseFloat(getComputedStyle(document.getElementById('pack')).fontSize)")
    assert size >= 18, f"large type for elderly group heads, got {size}px"
    mobile.click("#copy")
    expect(mobile.locator("#copy-status")).to_contain_text("Đã sao chép")
    copied = mobile.evaluate("navigator.clipboard.readText()")
    assert copied.strip() == row["delivered"].strip(), "the copy is the delivered text, footer and code included"
    mobile.fill("#group", "Tổ 5")
    mobile.fill("#members", "120")
    mobile.click("button:has-text('Gửi')")
    expect(mobile.locator(".ok")).to_contain_text("Cảm ơn")
    expect(mobile.locator(".answers")).to_contain_text("Tổ 5: khoảng 120 thành viên")
    _shot(mobile, "share-link-phone.png", tmp_path)

    # A resident scans the poster's QR code: the first visit is counted, a second one is not.
    chat = f"{base}/chat?u={quote('Kẻ Sặt')}"
    with mobile.expect_response(lambda r: "/api/qr-visit" in r.url) as visit:
        mobile.goto(chat)
    assert visit.value.status == 204
    mobile.goto(chat)
    mobile.wait_for_load_state("networkidle")
    phone.close()

    # 3. The reporter's report shows the share under the commune.
    _login(page, base, "ha")
    page.click("nav.menu >> text=Báo cáo")
    page.select_option("select[name=format]", "html")
    with page.expect_download() as info:
        page.click("button:has-text('Tải báo cáo')")
    path = tmp_path / "report.html"
    info.value.save_as(str(path))
    body = html.unescape(path.read_text(encoding="utf-8"))
    flat = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))
    assert "Chia sẻ vào nhóm của thôn, tổ dân phố" in flat
    assert re.search(r"Kẻ Sặt 1 120 1", flat), "Kẻ Sặt: 1 group, 120 members, 1 QR first visit"
    assert "vào 1 nhóm" in flat and "120 thành viên" in flat
    desk.close()
    assert not [e for e in errors if "Content Security Policy" in e], errors
