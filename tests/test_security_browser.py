"""Issue 12, findings 1 and 2 in a real browser: a page on another origin cannot make a
signed-in officer's browser run a template or change anything.

The app runs under uvicorn on 127.0.0.1; the attacker's pages are served by a second
HTTP server on 127.0.0.1 with another port. Ports do not make a different *site*, so the
browser sends the SameSite=Lax session cookie with every one of these requests: only the
CSRF token and "no officer text rendered on a GET" stand in the way, which is what this
test shows. Headless Debian Chromium driven by Playwright, as in ``test_admin_browser``.
"""

from __future__ import annotations

import html
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

import pytest

from bot import users
from bot.broadcast import messages
from bot.config import Settings
from bot.reference import ensure_reference_data
from bot.store import Store, officers
from tests.test_admin import PASSWORD, fast_hash
from tests.test_admin_browser import CHROMIUM, Server
from tests.test_security_templates import payload

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium"),
]


class AttackerSite:
    """A tiny HTTP server on 127.0.0.1 serving the attacker's pages (path -> HTML)."""

    def __init__(self, pages: dict[str, str]) -> None:
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = pages.get(self.path.split("?")[0], "<p>nothing</p>").encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:  # keep the test output quiet
                return

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="attacker", daemon=True)

    def __enter__(self) -> AttackerSite:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _auto_post(action: str, fields: dict[str, str]) -> str:
    inputs = "".join(
        f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">' for k, v in fields.items()
    )
    return f'<form id="f" method="post" action="{html.escape(action)}">{inputs}</form><script>f.submit()</script>'


@pytest.fixture
def app_and_message(tmp_path: Path) -> Iterator[tuple[Server, Settings, int]]:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    settings = Settings(db=tmp_path / "loa.db", secret_key="browser-secret", port=port, _env_file=None)  # type: ignore[call-arg]
    store = Store.open(settings.db)
    ensure_reference_data(store, settings)
    for name, role in (("lan", "editor"), ("minh", "approver")):
        users.add_user(store, name, [role])
        officers.update_user(store, users.get_user(store, name)["id"], password_hash=fast_hash(PASSWORD))  # type: ignore[index]
    mid, _ = messages.create_message(
        store, kind="campaign", theme="screening", title="Lịch khám", body="Khám miễn phí. Gọi {{ hotline }}.", author="lan"
    )
    messages.submit(store, mid)
    store.close()
    with Server(settings) as srv:
        yield srv, settings, mid


@pytest.fixture
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
        try:
            yield b
        finally:
            b.close()


def _state(settings: Settings, mid: int) -> str:
    store = Store.open(settings.db)
    try:
        return messages.review(store, settings, mid).state
    finally:
        store.close()


def test_cross_site_pages_cannot_render_templates_or_approve(
    app_and_message: tuple[Server, Settings, int], browser: object, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    server, settings, mid = app_and_message
    app = server.url
    marker = tmp_path / "payload-ran"
    evil = payload(marker)
    store = Store.open(settings.db)
    seen = messages.review(store, settings, mid)  # even an attacker who knows the id and hash
    store.close()
    pages = {
        "/navigate": f'<script>location.href = "{app}/admin/messages/preview?body={quote(evil)}";</script>',
        "/preview": _auto_post(f"{app}/admin/messages/preview", {"body": evil}),
        "/approve": _auto_post(
            f"{app}/admin/messages/{mid}/approve", {"version_id": str(seen.version_id), "text_hash": seen.text_hash}
        ),
        "/fetch": (
            f'<script>fetch("{app}/admin/messages/{mid}/approve", {{method: "POST", mode: "no-cors",'
            f' credentials: "include", body: new URLSearchParams({{version_id: "{seen.version_id}",'
            f' text_hash: "{seen.text_hash}"}})}}).finally(() => document.title = "sent");</script>'
        ),
    }
    context = browser.new_context(locale="vi-VN")  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(f"{app}/admin/login")
    page.fill("input[name=name]", "minh")
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('Đăng nhập')")
    page.wait_for_url(f"{app}/admin")

    with AttackerSite(pages) as evil_site:
        # 1. A top-level navigation to the preview URL (the cookie goes along): nothing renders.
        with page.expect_response(lambda r: "/admin/messages/preview" in r.url) as nav:
            page.goto(f"{evil_site.url}/navigate")
        assert nav.value.status == 405
        expect(page.locator("body")).not_to_contain_text("Zalo")
        # 2. A cross-site form POST to the preview: no CSRF token, refused before any rendering.
        with page.expect_response(lambda r: r.url.endswith("/admin/messages/preview")) as post:
            page.goto(f"{evil_site.url}/preview")
        assert post.value.status == 403
        # 3. A cross-site form POST to approve, naming the right version and hash: refused.
        with page.expect_response(lambda r: r.url.endswith(f"/admin/messages/{mid}/approve")) as approve:
            page.goto(f"{evil_site.url}/approve")
        assert approve.value.status == 403
        # 4. A background fetch with the cookie: the response is opaque and nothing changes.
        page.goto(f"{evil_site.url}/fetch")
        expect(page).to_have_title("sent")
    assert not marker.exists(), "the template payload ran on the server"
    assert _state(settings, mid) == "pending"

    # The session was live all along: the officer's own click on the real page approves.
    page.goto(f"{app}/admin/messages/{mid}")
    page.click("button:has-text('Duyệt tin')")
    expect(page.locator(".flash.ok")).to_contain_text("Đã duyệt tin")
    assert _state(settings, mid) == "approved"
    context.close()
