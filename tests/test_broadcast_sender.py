"""The sender against real local Bot API servers: delivery, footer, errors, pause/cancel."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.broadcast import broadcasts
from bot.broadcast.limits import Limits, no_limits
from bot.broadcast.sender import Sender, run_sender
from bot.channels.outbound import close_outbound, open_outbound
from bot.config import Settings
from bot.store import Store
from bot.store import chats as chat_store
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.fakes.zalo_api import FakeZaloAPI
from tests.test_broadcast_support import add_chats, approved_message


def _settings(tmp_path: Path, tg: FakeTelegramAPI | None = None, zl: FakeZaloAPI | None = None) -> Settings:
    extra: dict[str, object] = {}
    if tg:
        extra.update(telegram_token=tg.token, telegram_base_url=tg.base_url)
    if zl:
        extra.update(zalo_token=zl.token, zalo_base_url=zl.base_url)
    return Settings(db=tmp_path / "loa.db", secret_key="test-secret-key", _env_file=None, **extra)  # type: ignore[call-arg]


def _create(store: Store, settings: Settings, selectors: list[str] | None = None) -> int:
    mid = approved_message(store)
    return broadcasts.create_broadcast(
        store, settings, message_id=mid, selectors=selectors or ["all"], created_by="bien_tap"
    )


async def _run(store: Store, settings: Settings, **options: object) -> object:
    options.setdefault("limits", no_limits())
    options.setdefault("backoff_base", 0.02)
    return await run_sender(store, settings, until_done=True, **options)  # type: ignore[arg-type]


def test_every_chat_gets_text_with_footer(tmp_path: Path, store: Store) -> None:
    with FakeTelegramAPI() as tg, FakeZaloAPI() as zl:
        settings = _settings(tmp_path, tg, zl)
        add_chats(store, 30, unit="Lê Chân", tags=["nguoi_cao_tuoi"])
        add_chats(store, 10, channel="zalo", kind="private", start=100)
        add_chats(store, 5, channel="web", kind="private", start=200)  # cannot receive pushes
        store.conn.execute("UPDATE chats SET opted_out = 1 WHERE chat_id = '-1000001'")
        store.conn.execute("UPDATE chats SET status = 'inactive' WHERE chat_id = '-1000002'")
        bid = _create(store, settings)
        asyncio.run(_run(store, settings))
        code = broadcasts.get(store, bid)["code"]
        assert len(tg.sent) == 28 and len(zl.sent) == 10
        assert all(code in s["text"] and "Khám sức khỏe miễn phí" in s["text"] for s in tg.sent + zl.sent)
        assert {str(s["chat_id"]) for s in tg.sent}.isdisjoint({"-1000001", "-1000002"})
        status = broadcasts.status(store, bid)
        assert status["state"] == "done" and status["counts"]["sent"] == 38 and status["counts"]["total"] == 38
        row = store.conn.execute(
            "SELECT unit, tags, member_count, sent_at FROM deliveries WHERE channel = 'telegram' LIMIT 1"
        ).fetchone()
        assert row[0] == "Lê Chân" and "nguoi_cao_tuoi" in row[1] and row[2] == 25 and len(row[3]) == 19


def test_blocked_missing_and_migrated_chats(tmp_path: Path, store: Store) -> None:
    with FakeTelegramAPI() as tg:
        settings = _settings(tmp_path, tg)
        ids = add_chats(store, 6)
        tg.block(ids[0])
        tg.not_found(ids[1])
        tg.migrate(ids[2], "-1009999")
        bid = _create(store, settings)
        asyncio.run(_run(store, settings))
        counts = broadcasts.status(store, bid)["counts"]
        assert counts["sent"] == 4 and counts["failed"] == 2
        assert counts["reasons"] == {"failed:chat_gone": 2}
        assert chat_store.get_chat(store, "telegram", ids[0])["status"] == "inactive"
        assert chat_store.get_chat(store, "telegram", "-1009999") is not None
        assert chat_store.get_chat(store, "telegram", ids[2]) is None
        assert "-1009999" in {str(s["chat_id"]) for s in tg.sent}
        moved = store.conn.execute("SELECT chat_id, moved_from, status FROM deliveries WHERE moved_from IS NOT NULL").fetchall()
        assert moved == [("-1009999", ids[2], "sent")]


def test_transient_errors_retry_then_give_up(tmp_path: Path, store: Store) -> None:
    with FakeTelegramAPI() as tg:
        settings = _settings(tmp_path, tg)
        add_chats(store, 3)
        tg.fail_next("500", 2, method="sendMessage")
        bid = _create(store, settings)
        asyncio.run(_run(store, settings))
        assert broadcasts.status(store, bid)["counts"]["sent"] == 3
        # A chat that always fails ends as failed with a reason after max_attempts.
        tg.reset()
        tg.failure_rate, tg.failure_kinds = 1.0, ("502",)
        bid2 = _create(store, settings)
        asyncio.run(_run(store, settings, max_attempts=3))
        counts = broadcasts.status(store, bid2)["counts"]
        assert counts["failed"] == 3 and list(counts["reasons"]) == ["failed:transient: gave up after 3 attempts"]


def test_429_waits_retry_after_and_delivers(tmp_path: Path, store: Store) -> None:
    with FakeTelegramAPI() as tg:
        settings = _settings(tmp_path, tg)
        tg.retry_after = 1
        add_chats(store, 4)
        tg.fail_next("429", 1, method="sendMessage")
        bid = _create(store, settings)
        asyncio.run(_run(store, settings))
        assert broadcasts.status(store, bid)["counts"]["sent"] == 4
        times = sorted(s["at"] for s in tg.sent)
        # Everything after the 429 waited at least retry_after.
        assert times[-1] - times[0] >= 0.9


def test_pause_resume_cancel(tmp_path: Path, store: Store) -> None:
    with FakeTelegramAPI() as tg:
        settings = _settings(tmp_path, tg)
        add_chats(store, 20)
        bid = _create(store, settings)
        broadcasts.pause(store, bid)
        asyncio.run(_run(store, settings))
        assert tg.sent == [] and broadcasts.get(store, bid)["state"] == "paused"
        broadcasts.resume(store, bid)
        assert broadcasts.get(store, bid)["state"] == "scheduled"
        bid2 = _create(store, settings)
        assert broadcasts.cancel(store, bid2) == 0
        asyncio.run(_run(store, settings))
        assert len(tg.sent) == 20
        assert broadcasts.get(store, bid2)["state"] == "cancelled"
        with pytest.raises(Exception, match="already cancelled"):
            broadcasts.cancel(store, bid2)
        with pytest.raises(Exception, match="not paused"):
            broadcasts.resume(store, bid)


def test_cancel_mid_broadcast_skips_queued(tmp_path: Path, store: Store) -> None:
    with FakeTelegramAPI() as tg:
        settings = _settings(tmp_path, tg)
        add_chats(store, 40)
        bid = _create(store, settings)

        async def scenario() -> None:
            channels = await open_outbound(settings)
            sender = Sender(store, settings, channels, limits={"telegram": Limits(20.0, None, None)}, window=4)
            stop = asyncio.Event()
            task = asyncio.create_task(sender.run(stop=stop, poll_interval=0.05))
            while len(tg.sent) < 5:
                await asyncio.sleep(0.01)
            broadcasts.cancel(store, bid)
            await asyncio.sleep(0.3)
            stop.set()
            await task
            await close_outbound(channels)

        asyncio.run(scenario())
        counts = broadcasts.status(store, bid)["counts"]
        assert counts["queued"] == 0 and counts["sending"] == 0
        assert counts["sent"] + counts["skipped"] == 40 and counts["skipped"] > 20
        assert len(tg.sent) == counts["sent"]


def test_second_sender_is_refused(tmp_path: Path, store: Store) -> None:
    with FakeTelegramAPI() as tg:
        settings = _settings(tmp_path, tg)

        async def scenario() -> None:
            channels = await open_outbound(settings)
            first = Sender(store, settings, channels)
            first.acquire_lease()
            second = Sender(store, settings, channels)
            with pytest.raises(Exception, match="another broadcast sender"):
                second.acquire_lease()
            first.release_lease()
            second.acquire_lease()
            second.release_lease()
            await close_outbound(channels)

        asyncio.run(scenario())


def test_zalo_blocked_chat_becomes_inactive(tmp_path: Path, store: Store) -> None:
    with FakeZaloAPI() as zl:
        settings = _settings(tmp_path, zl=zl)
        ids = add_chats(store, 4, channel="zalo", kind="private")
        zl.block(ids[0])
        bid = _create(store, settings)
        asyncio.run(_run(store, settings, limits={"zalo": Limits(50.0, 1.0, 20)}))
        counts = broadcasts.status(store, bid)["counts"]
        assert counts["sent"] == 3 and counts["reasons"] == {"failed:chat_gone": 1}
        assert chat_store.get_chat(store, "zalo", ids[0])["status"] == "inactive"
        # The next broadcast leaves the inactive chat out.
        bid2 = _create(store, settings)
        asyncio.run(_run(store, settings))
        assert broadcasts.status(store, bid2)["counts"]["total"] == 3


def test_sigterm_stops_after_in_flight(tmp_path: Path, store: Store) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    with FakeTelegramAPI() as tg:
        settings = _settings(tmp_path, tg)
        add_chats(store, 300)
        bid = _create(store, settings)
        env = {k: v for k, v in os.environ.items() if not k.startswith("LOA_")}
        env.update(LOA_DB=str(settings.db), LOA_SECRET_KEY="test-secret-key", LOA_TELEGRAM_TOKEN=tg.token,
                   LOA_TELEGRAM_BASE_URL=tg.base_url, LOA_TELEGRAM_RATE_PER_SECOND="50")
        proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "broadcast", "run", "--quiet"], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 30
        while len(tg.sent) < 20 and time.monotonic() < deadline:
            time.sleep(0.01)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
        assert proc.returncode == 0, err
        assert "sender stopped" in out
        counts = broadcasts.status(store, bid)["counts"]
        assert counts["sending"] == 0  # nothing left in flight: a clean stop
        assert counts["sent"] == len(tg.sent) and 0 < counts["sent"] < 300
        assert store.get_meta("broadcast_sender_lease") is None
