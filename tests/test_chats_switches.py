"""``loa chats subscribe`` and ``loa chats guard``: officers switch what a group cannot
switch itself (Zalo groups do not say who their admins are)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.config import Settings
from bot.conversation import Incoming
from bot.features import build_dialog
from bot.store import Store
from bot.store import chats as chat_store
from tests.conftest import make_db

SCAM = "Công an phường thông báo: tài khoản định danh mức 2 của bạn bị lỗi, bấm vneid-gov.com để đồng bộ ngay trong 24h"


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Settings]:
    db = make_db(tmp_path / "loa.db")
    monkeypatch.setenv("LOA_DB", str(db))
    monkeypatch.setenv("LOA_SECRET_KEY", "switch-secret")
    csv = tmp_path / "chats.csv"
    csv.write_text("channel,chat_id,kind,title,unit,tags\nzalo,g1,group,Tổ 5,Lê Chân,\n", encoding="utf-8")
    runner = CliRunner()
    loa = lambda *args: runner.invoke(app, list(args))  # noqa: E731
    assert loa("chats", "import", str(csv)).exit_code == 0
    settings = Settings(db=db, secret_key="switch-secret", _env_file=None)  # type: ignore[call-arg]
    return loa, settings


def test_subscribe_off_and_on(env: tuple[Any, Settings]) -> None:
    loa, settings = env
    r = loa("chats", "subscribe", "zalo:g1", "off")
    assert r.exit_code == 0 and "opted out" in r.stdout
    store = Store.open(settings.db)
    assert chat_store.get_chat(store, "zalo", "g1")["opted_out"]  # type: ignore[index]
    store.close()
    r = loa("chats", "subscribe", "zalo:g1", "on")
    assert r.exit_code == 0 and "receives broadcasts" in r.stdout
    store = Store.open(settings.db)
    assert not chat_store.get_chat(store, "zalo", "g1")["opted_out"]  # type: ignore[index]
    store.close()


def test_guard_switched_by_an_officer_makes_the_group_guard_speak(env: tuple[Any, Settings]) -> None:
    loa, settings = env
    store = Store.open(settings.db)
    dialog = build_dialog(store, settings)
    msg = Incoming(channel="zalo", chat_id="g1", chat_kind="group", user_id="u7", text=SCAM, addressed=False)
    assert dialog.handle(msg) == []  # off by default: the guard stays quiet
    r = loa("chats", "guard", "zalo:g1", "on", "--by", "lan")
    assert r.exit_code == 0 and "scam guard on" in r.stdout
    msg2 = Incoming(
        channel="zalo", chat_id="g1", chat_kind="group", user_id="u7", text=SCAM, addressed=False, message_id="m2"
    )
    replies = dialog.handle(msg2)
    assert replies and "lừa đảo" in replies[0].text.lower()
    assert loa("chats", "guard", "zalo:g1", "off").exit_code == 0
    store.close()


def test_bad_input_is_one_clear_error(env: tuple[Any, Settings]) -> None:
    loa, _ = env
    r = loa("chats", "guard", "zalo:nope", "on")
    assert r.exit_code != 0 and "no chat zalo:nope" in str(r.exception)
    r = loa("chats", "subscribe", "g1", "on")
    assert r.exit_code != 0 and "CHANNEL:CHAT_ID" in str(r.exception)
    r = loa("chats", "guard", "zalo:g1", "maybe")
    assert r.exit_code != 0 and "on or off" in str(r.exception)
