"""Telegram journeys through the real app's webhook (a local fake Bot API), end to end.

- A resident group: the scam guard (off by default, switched on by an admin only), questions
  addressed to the bot, who may (un)subscribe the whole group, and the report's count.
- Private chats: /start subscribes; a broadcast created with the ``loa`` CLI while the app runs
  is delivered by the app's own sender; the resident checks its code; /stop and /xoadulieu;
  subscription figures count changes, not button presses.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bot.config import Settings
from bot.web.app import create_app
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.test_product_flow import FAKE_VNEID, QUARTER, SECRET, YEAR, loa_exe

# --- a resident group on Telegram, through the app's webhook ---------------------------------
WEBHOOK_SECRET = "product-flow-webhook"
GROUP = -1009001
ADMIN, MEMBER = 4201, 4202


@pytest.fixture(scope="module")
def group_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The real app in Telegram webhook mode, a fake Bot API, one group.

    Content: the demo screening sites and the message library approved by two demo officers,
    but not the demo quarter's invented chats (the app's sender would message them all).
    """
    from bot.features import broadcast as broadcast_feature
    from bot.features import sites as sites_feature
    from bot.reference import ensure_reference_data
    from bot.store import Store

    tmp = tmp_path_factory.mktemp("group")
    with FakeTelegramAPI() as tg:
        tg.admins[str(GROUP)] = {str(ADMIN)}
        settings = Settings(
            db=tmp / "loa.db",
            secret_key=SECRET,
            public_url="https://loa.example.vn",
            telegram_token=tg.token,
            telegram_base_url=tg.base_url,
            telegram_mode="webhook",
            telegram_webhook_secret=WEBHOOK_SECRET,
            _env_file=None,
        )  # type: ignore[call-arg]
        store = Store.open(settings.db)
        ensure_reference_data(store, settings)
        sites_feature.load_demo(store, settings)
        broadcast_feature.load_demo(store, settings)
        store.close()
        with TestClient(create_app(settings)) as client:
            adapter = client.app.state.runtime.channels["telegram"]  # type: ignore[attr-defined]
            deadline = time.monotonic() + 10
            while not adapter.ready.is_set():
                assert time.monotonic() < deadline, "telegram adapter did not start"
                time.sleep(0.01)
            # The app's store belongs to its loop's thread: the test uses a connection of its own.
            own = Store.open(settings.db, migrate=False)
            try:
                yield {"client": client, "tg": tg, "store": own, "tmp": tmp, "settings": settings}
            finally:
                own.close()


_update_ids = iter(range(70_000, 10**9))


def in_group(app: dict[str, Any], user_id: int, text: str, *, expect: int = 1) -> list[dict[str, Any]]:
    """Post one group message to the webhook; wait for ``expect`` replies (0: check silence)."""
    tg: FakeTelegramAPI = app["tg"]
    before = len(tg.sent)
    update = {"update_id": next(_update_ids), "message": tg.make_message(GROUP, text, user_id=user_id, title="Tổ dân phố 9 Kẻ Sặt")}
    r = app["client"].post(
        "/webhook/telegram",
        content=json.dumps(update),
        headers={"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET, "Content-Type": "application/json"},
    )
    assert r.status_code == 200
    if expect:
        return tg.wait_for_sent(before + expect)[before:]
    time.sleep(0.4)
    return tg.sent[before:]


def test_group_chat_guard_and_questions(group_app: dict[str, Any]) -> None:
    # Chatter is ignored; a scam text is ignored too while the guard is off (the default).
    assert in_group(group_app, MEMBER, "chiều nay họp tổ lúc 3 giờ nhé mọi người", expect=0) == []
    assert in_group(group_app, MEMBER, FAKE_VNEID, expect=0) == []
    # A plain question not addressed to the bot: silence; with a mention: the FAQ answers.
    assert in_group(group_app, MEMBER, "kham suc khoe mien phi o dau", expect=0) == []
    (faq,) = in_group(group_app, MEMBER, "@loa_test_bot kham suc khoe mien phi o dau")
    assert "trạm y tế xã/phường nơi cư trú" in faq["text"] and faq["chat_id"] == str(GROUP)
    # /help is answered in the group, as a reply to the asker.
    (menu,) = in_group(group_app, MEMBER, "/help")
    assert "Loa có thể giúp bạn" in menu["text"] and menu["reply_to"]
    # Only a group admin turns the scam guard on.
    (refused,) = in_group(group_app, MEMBER, "/baove on")
    assert "Chỉ quản trị viên" in refused["text"]
    (on,) = in_group(group_app, ADMIN, "/baove on")
    assert on["text"].startswith("🛡️ Đã bật chế độ bảo vệ")
    # Now the same scam text gets one warning, under the message; chatter still gets nothing.
    (warning,) = in_group(group_app, MEMBER, FAKE_VNEID)
    assert warning["text"].startswith("⚠️ Loa cảnh báo") and "vneid-dinhdanh.com" in warning["text"]
    assert "156 / 5656" in warning["text"] and warning["reply_to"]
    assert in_group(group_app, MEMBER, "cảm ơn Loa, mọi người cẩn thận nhé", expect=0) == []
    # Loa's own scam warning, forwarded into the group by a member, is never flagged.
    from bot.broadcast.verify import sent_messages

    own = sent_messages(group_app["store"])[0]
    assert "OTP" in own.text  # the demo broadcast is the fake-calls warning
    assert in_group(group_app, MEMBER, own.text, expect=0) == []
    # Deleting personal data is a private matter; commands addressed "@bot" work too.
    (private_only,) = in_group(group_app, MEMBER, "/xoadulieu")
    assert "tin nhắn riêng" in private_only["text"]
    (menu,) = in_group(group_app, MEMBER, "/help@loa_test_bot")
    assert "Loa có thể giúp bạn" in menu["text"]

    # The quarter's report counts the warning given in the group.
    from bot.reports.output import make_report, render
    from bot.reports.periods import quarter_period

    report = render(make_report(group_app["store"], group_app["settings"], quarter_period(YEAR, QUARTER)), "md").decode()
    assert "| Tin đáng ngờ được cảnh báo trong nhóm | 1 |" in report


def test_group_member_cannot_unsubscribe_the_whole_group(group_app: dict[str, Any]) -> None:
    """A resident group imported by the officer keeps receiving campaign messages when an
    ordinary member (or a scammer who joined) types /stop; a group admin can stop it."""
    from bot.broadcast.audiences import parse_selectors, select

    store = group_app["store"]
    in_group(group_app, MEMBER, "/help")  # the group is known to Loa

    def audience() -> set[str]:
        return {str(c["chat_id"]) for c in select(store, parse_selectors(store, ["groups"]))}

    assert str(GROUP) in audience()
    (reply,) = in_group(group_app, MEMBER, "/stop")
    assert "quản trị viên" in reply["text"]
    assert str(GROUP) in audience(), "one member's /stop silenced the whole group"
    (reply,) = in_group(group_app, ADMIN, "/stop")
    assert reply["text"].startswith("Đã ngừng gửi tin chiến dịch cho nhóm này")
    assert str(GROUP) not in audience()
    (reply,) = in_group(group_app, MEMBER, "/dangky")
    assert "quản trị viên" in reply["text"] and str(GROUP) not in audience()
    (reply,) = in_group(group_app, ADMIN, "/dangky")
    assert "nhóm" in reply["text"] and str(GROUP) in audience()
    # /start shows the menu to anyone, but only an admin's /start (re)subscribes the group.
    in_group(group_app, ADMIN, "/stop")
    (reply,) = in_group(group_app, MEMBER, "/start")
    assert "Loa có thể giúp bạn" in reply["text"] and "sẽ nhận tin" not in reply["text"]
    assert str(GROUP) not in audience()
    (reply,) = in_group(group_app, ADMIN, "/start")
    assert "Nhóm này sẽ nhận tin chính thức" in reply["text"] and str(GROUP) in audience()


def in_private(app: dict[str, Any], chat_id: int, text: str) -> str:
    """A private Telegram message through the webhook; the text of Loa's one reply."""
    tg: FakeTelegramAPI = app["tg"]
    before = len(tg.texts(chat_id))
    update = {"update_id": next(_update_ids), "message": tg.make_message(chat_id, text)}
    r = app["client"].post(
        "/webhook/telegram",
        content=json.dumps(update),
        headers={"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET, "Content-Type": "application/json"},
    )
    assert r.status_code == 200
    deadline = time.monotonic() + 5
    while len(tg.texts(chat_id)) <= before:
        assert time.monotonic() < deadline, f"no reply to {text!r}"
        time.sleep(0.01)
    return tg.texts(chat_id)[before]


def test_telegram_resident_subscribes_receives_a_broadcast_and_verifies_it(group_app: dict[str, Any]) -> None:
    """/start on Telegram subscribes; a broadcast created with the CLI while the app runs is
    delivered by the app's own sender; the resident checks its code; /stop opts out."""
    from bot.broadcast.audiences import parse_selectors, select
    from bot.store import broadcast as db

    store, tg = group_app["store"], group_app["tg"]
    resident, quitter = 6101, 6102
    assert "Bạn sẽ nhận tin chính thức của chiến dịch" in in_private(group_app, resident, "/start")
    in_private(group_app, quitter, "/start")
    assert "Đã ngừng gửi tin chiến dịch cho bạn" in in_private(group_app, quitter, "/stop")
    assert "Tìm điểm khám" in in_private(group_app, resident, "/menu")
    assert "Kẻ Sặt" in in_private(group_app, resident, "2")  # the menu's site finder lists communes

    message = db.get_message_by_slug(store, "campaigns/vneid_level2")  # approved by the demo officers
    assert message is not None
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOA_")}
    env.update({"LOA_DB": str(group_app["settings"].db), "LOA_SECRET_KEY": SECRET})
    r = subprocess.run(
        [*loa_exe(), "broadcast", "create", "--message", str(message["id"]), "--to", "private", "--now"],
        capture_output=True,
        text=True,
        env=env,
        cwd=group_app["tmp"],
        timeout=60,
    )
    assert r.returncode == 0 and "for 1 chat(s)" in r.stdout, (r.stdout, r.stderr)

    deadline = time.monotonic() + 15
    while not any("Mã xác thực" in t for t in tg.texts(resident)):
        assert time.monotonic() < deadline, "the app's sender did not deliver the broadcast"
        time.sleep(0.05)
    received = next(t for t in tg.texts(resident) if "Mã xác thực" in t)
    assert "VNeID" in received and not any("Mã xác thực" in t for t in tg.texts(quitter))
    code = received.split("Mã xác thực: ")[1].split()[0]

    verified = in_private(group_app, resident, f"/xacthuc {code}")
    assert verified.startswith("✅ Đây là tin chính thức của Sở Y tế Hải Phòng") and code in verified
    assert "KHÔNG phải mã" in in_private(group_app, resident, "/xacthuc HP-QQQQQQ")

    def private_audience() -> set[str]:
        return {str(c["chat_id"]) for c in select(store, parse_selectors(store, ["private"]))}

    assert private_audience() == {str(resident)}
    assert "Đã ngừng gửi tin chiến dịch cho bạn" in in_private(group_app, resident, "/stop")
    assert private_audience() == set()
    assert "Đã đăng ký" in in_private(group_app, resident, "/dangky")
    assert "đã xóa các bản ghi" in in_private(group_app, resident, "/xoadulieu")
    assert private_audience() == set()


def test_subscriptions_are_counted_once_and_a_returning_resident_is_reachable(group_app: dict[str, Any]) -> None:
    """The report's subscription figures count changes, not button presses; a resident whose
    chat was marked gone (blocked the bot) and who writes /dangky again receives broadcasts."""
    from bot.broadcast.audiences import parse_selectors, select
    from bot.store import chats as chat_store
    from bot.store.events import count_events

    store = group_app["store"]
    subscribed, unsubscribed = count_events(store, "subscribed"), count_events(store, "unsubscribed")
    resident = 6201
    for command in ("/start", "/start", "/dangky"):
        in_private(group_app, resident, command)
    for command in ("/stop", "/huy"):
        assert "Đã ngừng gửi tin" in in_private(group_app, resident, command)
    assert count_events(store, "subscribed") == subscribed + 1
    assert count_events(store, "unsubscribed") == unsubscribed + 1

    def reachable() -> bool:
        return str(resident) in {str(c["chat_id"]) for c in select(store, parse_selectors(store, ["private"]))}

    in_private(group_app, resident, "/dangky")
    assert reachable()
    chat_store.set_status(store, "telegram", str(resident), "inactive")  # what the sender records on a block
    assert not reachable()
    assert "Đã đăng ký" in in_private(group_app, resident, "/dangky")
    assert reachable(), "Loa said 'Đã đăng ký!' but the chat stays excluded from broadcasts"
