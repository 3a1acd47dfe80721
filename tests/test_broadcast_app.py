"""The lifespan hooks: scheduler and sender run in the app's loop and stop cleanly."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.broadcast import broadcasts
from bot.config import Settings
from bot.features.broadcast import Broadcast
from bot.runtime import open_runtime
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.test_broadcast_support import add_chats, approved_message


def test_start_sends_due_broadcasts_and_stop_is_clean(tmp_path: Path) -> None:
    with FakeTelegramAPI() as tg:
        settings = Settings(
            db=tmp_path / "app.db", secret_key="k", telegram_token=tg.token, telegram_base_url=tg.base_url,
            _env_file=None,  # type: ignore[call-arg]
        )
        runtime = open_runtime(settings)
        store = runtime.store
        add_chats(store, 5)
        feature = Broadcast()

        async def scenario() -> list[str]:
            await feature.start(runtime)
            assert feature.state is not None
            jobs = [job.id for job in feature.state.scheduler.get_jobs()]
            bid = broadcasts.create_broadcast(
                store, settings, message_id=approved_message(store), selectors=["all"], created_by="bien_tap"
            )
            await tg.async_wait_for_sent(5, timeout=15)
            for _ in range(100):
                if broadcasts.get(store, bid)["state"] == "done":
                    break
                await asyncio.sleep(0.05)
            await feature.stop(runtime)
            return jobs

        jobs = asyncio.run(scenario())
        assert "schedules:sync" in jobs
        assert len(tg.sent) == 5
        assert store.get_meta("broadcast_sender_lease") is None  # released on stop
        runtime.store.close()


def test_without_tokens_the_sender_idles(tmp_path: Path) -> None:
    settings = Settings(db=tmp_path / "idle.db", secret_key="k", _env_file=None)  # type: ignore[call-arg]
    runtime = open_runtime(settings)
    feature = Broadcast()

    async def scenario() -> None:
        await feature.start(runtime)
        await asyncio.sleep(0.1)
        await feature.stop(runtime)

    asyncio.run(scenario())
    runtime.store.close()


def test_load_demo_is_idempotent(tmp_path: Path) -> None:
    from bot.broadcast.verify import find_by_code
    from bot.store import broadcast as db

    settings = Settings(db=tmp_path / "demo.db", secret_key="k", _env_file=None)  # type: ignore[call-arg]
    runtime = open_runtime(settings)
    store = runtime.store
    feature = Broadcast()
    feature.load_demo(store, settings)
    banner = feature.load_demo(store, settings)
    rows = db.list_messages(store)
    assert len(rows) >= 6 and all(r["state"] == "approved" for r in rows)
    assert all(r["approver"] == "approver" and r["author"] == "editor" for r in rows)
    bid = int(store.get_meta("broadcast_demo") or 0)
    code = broadcasts.get(store, bid)["code"]
    assert find_by_code(store, code) is not None and code in banner[0]
    assert len(db.list_broadcasts(store)) == 1
    store.close()
