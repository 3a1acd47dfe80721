"""Audience selectors: OR within a type, AND across types, exclusions, priority units."""

from __future__ import annotations

import pytest

from bot.broadcast.audiences import normalize_tag, parse_selectors, preview, select
from bot.broadcast.errors import BroadcastError
from bot.config import Settings
from bot.store import Store
from tests.test_broadcast_support import add_chats


def _ids(store: Store, *selectors: str) -> set[str]:
    return {c["chat_id"] for c in select(store, parse_selectors(store, list(selectors)))}


@pytest.fixture
def chats(store: Store) -> Store:
    add_chats(store, 3, unit="Lê Chân", tags=["nguoi_cao_tuoi"], start=1)  # -1000001..3
    add_chats(store, 2, unit="Hồng Bàng", tags=["phu_huynh"], start=10)  # -1000010..11
    add_chats(store, 2, kind="private", unit="Lê Chân", tags=["phu_huynh"], start=20)  # 500020..21
    add_chats(store, 2, channel="zalo", kind="private", start=30)
    add_chats(store, 1, channel="web", kind="private", start=40)
    store.conn.execute("UPDATE chats SET opted_out = 1 WHERE chat_id = '-1000003'")
    store.conn.execute("UPDATE chats SET status = 'inactive' WHERE chat_id = '-1000011'")
    return store


def test_all_excludes_opted_out_inactive_and_web(chats: Store) -> None:
    ids = _ids(chats, "all")
    assert len(ids) == 7 and "-1000003" not in ids and "-1000011" not in ids and "500040" not in ids


def test_or_within_and_across_types(chats: Store) -> None:
    assert _ids(chats, "unit:Lê Chân") == {"-1000001", "-1000002", "500020", "500021"}
    assert _ids(chats, "unit:Lê Chân", "unit:Hồng Bàng", "groups") == {"-1000001", "-1000002", "-1000010"}
    assert _ids(chats, "tag:phu_huynh", "private") == {"500020", "500021"}
    assert _ids(chats, "tag:Phụ huynh,tag:nguoi-cao-tuoi", "channel:telegram", "groups") == {
        "-1000001", "-1000002", "-1000010"}
    assert _ids(chats, "channel:zalo") == {"500030", "500031"}
    assert _ids(chats, "tag:ho_ngheo") == set()


def test_priority_units(chats: Store, settings: Settings) -> None:
    chats.conn.execute("UPDATE admin_units SET health_book_rate_pct = 80")
    chats.conn.execute("UPDATE admin_units SET health_book_rate_pct = 20 WHERE name = 'Hồng Bàng'")
    assert _ids(chats, "priority-units") == {"-1000010"}
    assert _ids(chats, "priority-units", "unit:Lê Chân") == set()
    p = preview(chats, parse_selectors(chats, ["priority-units"]))
    assert p["chats"] == 1 and p["by_channel_kind"] == {"telegram/group": 1} and p["group_members"] == 25


@pytest.mark.parametrize(
    ("selector", "message"),
    [("everyone", "unknown selector"), ("channel:facebook", "unknown channel"), ("unit:", "unknown selector"),
     ("tag:", "unknown selector"), ("", "choose an audience")],
)
def test_bad_selectors(store: Store, selector: str, message: str) -> None:
    with pytest.raises(BroadcastError, match=message):
        parse_selectors(store, [selector])


def test_single_unit_fills_commune(store: Store) -> None:
    assert parse_selectors(store, ["unit:le chan"]).single_unit == "Lê Chân"
    assert parse_selectors(store, ["unit:Lê Chân", "unit:Hồng Bàng"]).single_unit is None
    assert normalize_tag("Người khuyết tật") == "nguoi_khuyet_tat"
