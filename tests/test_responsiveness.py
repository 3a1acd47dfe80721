"""The concurrency model (docs/architecture.md): one thread per connection, residents' writes
behind a queue that survives a locked database, heavy admin work off the event loop.

Real components: SQLite files, a second real process holding the write lock, the FastAPI app
on a real asyncio loop in debug mode with ``slow_callback_duration``.
"""

from __future__ import annotations

import asyncio
import logging
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bot.config import Settings
from bot.dialog import Dialog, Incoming
from bot.store import Store
from bot.store import chats as chat_store
from bot.store.db import LOOP_BUSY_TIMEOUT_MS, StoreThreadError
from bot.store.events import log_event
from bot.store.workers import run_with_store, start_worker_process
from bot.web.app import create_app
from tests.conftest import FIXED_NOW


def _interactions(path: Path, topic: str) -> int:
    own = Store.open(path, migrate=False)
    try:
        row = own.conn.execute(
            "SELECT count(*) FROM events WHERE type = 'interaction' AND topic = ?", (topic,)
        ).fetchone()
        return int(row[0])
    finally:
        own.close()


# --- one connection, one thread ----------------------------------------------------------------
def test_store_refuses_use_from_another_thread(store: Store) -> None:
    errors: list[BaseException] = []
    answers: list[int] = []

    def other() -> None:
        try:
            store.conn.execute("SELECT 1")
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)
        own = store.open_for_thread()  # the sanctioned way: a connection of the thread's own
        try:
            answers.append(own.conn.execute("SELECT count(*) FROM schema_migrations").fetchone()[0])
        finally:
            own.close()

    worker = threading.Thread(target=other, name="intruder")
    worker.start()
    worker.join()
    assert len(errors) == 1 and isinstance(errors[0], StoreThreadError)
    assert "intruder" in str(errors[0]) and "open_for_thread" in str(errors[0])
    assert answers and answers[0] > 0
    assert store.conn.execute("SELECT 1").fetchone() == (1,)  # the owner still uses it


# --- the lost write: a job rolling back beside a loop write -------------------------------------
def test_job_rollback_beside_a_loop_write_keeps_the_residents_event(dialog: Dialog, settings: Settings) -> None:
    """Before: the job ran in APScheduler's thread on the loop's connection, so its ROLLBACK
    also undid the interaction event the loop logged while the job's transaction was open."""
    in_transaction = threading.Event()
    loop_wrote = threading.Event()

    def job(own: Store) -> None:
        with pytest.raises(RuntimeError), own.transaction():
            log_event(own, "schedule_fired", at=FIXED_NOW, topic="job")
            in_transaction.set()
            assert loop_wrote.wait(5)
            raise RuntimeError("already created")  # create_broadcast's rollback path

    async def main() -> None:
        task = asyncio.ensure_future(run_with_store(dialog.store, job))
        while not in_transaction.is_set():
            await asyncio.sleep(0.01)
        started = time.monotonic()
        replies = dialog.handle(Incoming(channel="telegram", chat_id="42", user_id="42", text="/help"))
        assert replies and time.monotonic() - started < 0.5  # the job's lock did not hold the reply
        loop_wrote.set()
        await task
        for _ in range(100):  # the queued event is written once the job's transaction ended
            if not len(dialog.writes):
                break
            await asyncio.sleep(0.05)

    dialog.store.set_busy_timeout(LOOP_BUSY_TIMEOUT_MS)
    asyncio.run(main())
    assert _interactions(settings.db, "command:help") == 1
    own = Store.open(settings.db, migrate=False)
    try:
        assert own.conn.execute("SELECT count(*) FROM events WHERE type = 'schedule_fired'").fetchone()[0] == 0
    finally:
        own.close()


# --- /start while another process holds the write lock -----------------------------------------
HOLD_LOCK = textwrap.dedent(
    """
    import sqlite3, sys, time
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
    conn.execute("ROLLBACK")
    """
)


@pytest.fixture
def lock_holder(settings: Settings) -> Iterator[subprocess.Popen[str]]:
    """Another process holding SQLite's write lock (BEGIN IMMEDIATE) for 2 s."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(settings.db), "2"], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    yield proc
    proc.kill()
    proc.wait()


def test_start_during_a_held_write_lock_replies_at_once_and_subscribes_after(
    dialog: Dialog, settings: Settings, lock_holder: subprocess.Popen[str]
) -> None:
    start = Incoming(channel="telegram", chat_id="777", user_id="777", text="/start")
    help_msg = Incoming(channel="telegram", chat_id="777", user_id="777", text="/help")

    def subscribed() -> bool:
        own = Store.open(settings.db, migrate=False)
        try:
            chat = chat_store.get_chat(own, "telegram", "777")
            return chat is not None and not chat["opted_out"]
        finally:
            own.close()

    async def main() -> tuple[float, bool, float]:
        began = time.monotonic()
        (reply,) = dialog.handle(start)
        took = time.monotonic() - began
        assert "sẽ nhận tin chính thức" in reply.text
        dialog.handle(help_msg)  # more writes queue behind, in order
        during = subscribed()
        while lock_holder.poll() is None:
            await asyncio.sleep(0.05)
        lock_ended = time.monotonic()
        while len(dialog.writes) and time.monotonic() - lock_ended < 3:
            await asyncio.sleep(0.02)
        return took, during, time.monotonic() - lock_ended

    dialog.store.set_busy_timeout(LOOP_BUSY_TIMEOUT_MS)
    took, during, after = asyncio.run(main())
    assert took < 1.0, f"/start took {took:.2f} s during the lock"
    assert not during  # nothing could be written while the other process held the lock
    assert subscribed(), "the /start was lost"
    assert after < 1.0
    own = Store.open(settings.db, migrate=False)
    try:
        types = [r[0] for r in own.conn.execute("SELECT type FROM events ORDER BY id")]
    finally:
        own.close()
    assert types.count("subscribed") == 1 and types.count("interaction") == 2
    assert types.index("subscribed") < len(types) - 1  # written in the order they happened


def test_write_queue_over_its_limit_warns_and_holds_back_without_dropping(
    dialog: Dialog, settings: Settings, lock_holder: subprocess.Popen[str], caplog: pytest.LogCaptureFixture
) -> None:
    dialog.writes.limit = 5

    async def main() -> float:
        for i in range(8):
            dialog.handle(Incoming(channel="web", chat_id=f"s{i}", user_id=f"s{i}", text="/help"))
        began = time.monotonic()
        await asyncio.wait_for(dialog.writes.room(), timeout=10)  # waits for the lock to end
        return time.monotonic() - began

    dialog.store.set_busy_timeout(LOOP_BUSY_TIMEOUT_MS)
    with caplog.at_level(logging.WARNING, logger="bot.store.writebehind"):
        waited = asyncio.run(main())
    assert waited > 0.2  # backpressure: the channel waited for room instead of dropping
    assert any("over its limit" in r.getMessage() for r in caplog.records)
    assert _interactions(settings.db, "command:help") == 8


# --- heavy admin routes stay off the loop --------------------------------------------------------
PASSWORD = "mat-khau-rat-dai-1"


def _xlsx_schedule(path: Path, store: Store, rows: int) -> None:
    import openpyxl

    from bot.store.units import list_units

    units = [u["name"] for u in list_units(store, "Hải Phòng")][:40]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Đơn vị", "Tên điểm", "Địa chỉ", "Loại", "Ngày", "Giờ bắt đầu", "Giờ kết thúc"])
    for i in range(rows):
        day = FIXED_NOW.date() + timedelta(days=i // (len(units) * 3) % 100)
        hour = 7 + i // (len(units) * 300) % 8
        unit = units[i % len(units)]
        site = i // len(units) % 3
        ws.append([unit, f"Điểm {site} {unit}", f"Nhà văn hóa {site}", "co_dinh", day.strftime("%d/%m/%Y"),
                   f"{hour:02d}:00", f"{hour + 2:02d}:30"])
    wb.save(path)


def test_report_download_xlsx_import_and_login_do_not_block_the_loop(
    settings: Settings, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from bot import users
    from tests.report_fixtures import fill_known_store  # a quarter of events, deliveries, activities

    app = create_app(settings, start_channels=False)
    with TestClient(app, backend_options={"debug": True}) as client:
        own = Store.open(settings.db, migrate=False)
        try:
            users.add_user(own, "lan", ["admin"], PASSWORD)  # real argon2 parameters
            fill_known_store(own, settings)
            upload = tmp_path / "lich.xlsx"
            _xlsx_schedule(upload, own, 5000)
        finally:
            own.close()

        def watch_slow_callbacks() -> None:
            asyncio.get_running_loop().slow_callback_duration = 0.1

        # Startup costs, paid once before serving in production (`loa run` starts the worker
        # process and compiles the templates in its lifespan): not what this test measures.
        for page in ("/admin/login", "/chat", "/admin/sites", "/admin/reports"):
            client.get(page)
        assert client.portal is not None
        client.portal.call(start_worker_process)
        client.portal.call(watch_slow_callbacks)
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="asyncio"):
            page = client.get("/admin/login")
            csrf = page.text.split('name="csrf" value="')[1].split('"')[0]
            r = client.post("/admin/login", data={"name": "lan", "password": PASSWORD, "csrf": csrf},
                            follow_redirects=False)
            assert r.status_code == 303
            r = client.get("/admin/reports/download", params={"period": "quarter", "quarter": "2026-Q4", "format": "docx"})
            assert r.status_code == 200 and r.content[:2] == b"PK"
            csrf = client.get("/admin/sites").text.split('name="csrf" value="')[1].split('"')[0]
            with upload.open("rb") as fh:
                r = client.post("/admin/sites/upload", data={"csrf": csrf},
                                files={"file": ("lich.xlsx", fh, "application/octet-stream")})
            assert r.status_code == 200, r.text[:500]
        slow = [rec.getMessage() for rec in caplog.records if "took" in rec.getMessage()]
        assert not slow, slow


def test_deletion_request_during_a_lock_asks_to_retry_and_deletes_nothing_by_halves(
    dialog: Dialog, settings: Settings, lock_holder: subprocess.Popen[str]
) -> None:
    """/xoadulieu must see every queued write of the resident before deleting: while they
    cannot be written, the resident is asked to retry; afterwards the deletion is whole."""
    msg = Incoming(channel="telegram", chat_id="555", user_id="555", text="/help")
    forget = Incoming(channel="telegram", chat_id="555", user_id="555", text="/xoadulieu")

    async def main() -> tuple[str, str]:
        dialog.handle(msg)  # queued: the lock is held
        (busy,) = dialog.handle(forget)
        while lock_holder.poll() is None:
            await asyncio.sleep(0.05)
        for _ in range(40):
            if not len(dialog.writes):
                break
            await asyncio.sleep(0.05)
        (done,) = dialog.handle(forget)
        return busy.text, done.text

    dialog.store.set_busy_timeout(LOOP_BUSY_TIMEOUT_MS)
    busy, done = asyncio.run(main())
    assert "bận" in busy and "đã xóa" not in busy.lower()
    assert "đã xóa" in done.lower()
    own = Store.open(settings.db, migrate=False)
    try:
        left = own.conn.execute("SELECT count(*) FROM events WHERE channel = 'telegram'").fetchone()[0]
    finally:
        own.close()
    assert left == 0  # the /help and the refused request's events went with the deletion


def test_broadcast_sender_pauses_on_a_locked_database_and_finishes(
    tmp_path: Path, store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    from bot.broadcast import broadcasts
    from bot.broadcast.limits import no_limits
    from bot.broadcast.sender import run_sender
    from tests.fakes.telegram_api import FakeTelegramAPI
    from tests.test_broadcast_support import add_chats, approved_message

    with FakeTelegramAPI() as tg:
        tg.latency = 0.05  # the sends take a while: the lock falls in the middle of the run
        settings = Settings(db=store.path, secret_key="test-secret-key", telegram_token=tg.token,  # type: ignore[call-arg]
                            telegram_base_url=tg.base_url, _env_file=None)
        add_chats(store, 40, kind="private")
        bid = broadcasts.create_broadcast(
            store, settings, message_id=approved_message(store), selectors=["all"], created_by="bien_tap"
        )
        store.set_busy_timeout(LOOP_BUSY_TIMEOUT_MS)  # as in the app, after startup

        async def main() -> None:
            sender = asyncio.ensure_future(run_sender(store, settings, until_done=True, limits=no_limits(), window=4))
            while len(tg.sent) < 5:
                await asyncio.sleep(0.01)
            holder = await asyncio.create_subprocess_exec(
                sys.executable, "-c", HOLD_LOCK, str(store.path), "1.5", stdout=asyncio.subprocess.PIPE
            )
            assert holder.stdout is not None and (await holder.stdout.readline()).strip() == b"locked"
            await asyncio.wait_for(sender, timeout=30)
            await holder.wait()

        with caplog.at_level(logging.WARNING, logger="bot.broadcast.sender"):
            asyncio.run(main())
    assert any("paused" in r.getMessage() for r in caplog.records)
    assert sorted(str(s["chat_id"]) for s in tg.sent) == sorted({str(s["chat_id"]) for s in tg.sent})
    status = broadcasts.status(store, bid)
    assert status["state"] == "done" and status["counts"]["sent"] == 40
