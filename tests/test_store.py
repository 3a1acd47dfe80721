"""The store: pragmas, migrations (including upgrading an old database), errors."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from bot.config import Settings
from bot.errors import DataFileError, StoreError
from bot.store import Store
from bot.store import chats as chat_store
from bot.store.db import discover_migrations
from bot.store.events import count_events, log_event, recent_events
from bot.store.units import count_units, load_admin_units


def test_open_sets_wal_and_busy_timeout(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "a.db")
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    assert {"admin_units", "chats", "residents", "events", "meta"} <= set(store.db.table_names())
    store.close()


def test_migrations_are_applied_once_and_recorded(tmp_path: Path) -> None:
    path = tmp_path / "b.db"
    store = Store.open(path)
    applied = store.applied_migrations()
    assert applied == [m.id for m in discover_migrations()]
    store.close()
    again = Store.open(path)
    assert again.migrate() == []  # nothing pending on reopen
    again.close()


def test_v1_database_upgrades_to_current(tmp_path: Path) -> None:
    """A database created by the first release (only 0001_core) gains later tables on open."""
    path = tmp_path / "old.db"
    first = discover_migrations()[0]
    assert first.id == "0001_core"
    old = Store.open(path, migrate=False)
    old.conn.execute("CREATE TABLE schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    first.up(old.db)
    old.conn.execute("INSERT INTO schema_migrations VALUES ('0001_core', '2026-01-01T00:00:00')")
    log_event(old, "interaction", channel="web", topic="menu")
    old.close()

    store = Store.open(path)
    assert store.applied_migrations() == [m.id for m in discover_migrations()]
    assert count_events(store, "interaction") == 1  # data kept across the upgrade
    store.close()


def test_read_only_database_gives_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "ro.db"
    Store.open(path).close()
    os.chmod(path, 0o444)
    try:
        store = Store.open(path, migrate=False)
        if os.geteuid() == 0:
            pytest.skip("root can write read-only files")
        with pytest.raises(StoreError, match="read-only|not writable"):
            store.check_writable()
    finally:
        os.chmod(path, 0o644)


def test_not_a_database_gives_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a Loa database|damaged"):
        Store.open(path)


def test_locked_database_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "locked.db"
    Store.open(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        store = Store.open(path, migrate=False)
        store.conn.execute("PRAGMA busy_timeout = 50")
        with pytest.raises(StoreError, match="locked"):
            store.check_writable()
        store.close()
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_admin_units_load_is_idempotent(store: Store, settings: Settings) -> None:
    n = count_units(store)
    assert n == 179  # 114 Hải Phòng + 65 Lạng Sơn
    load_admin_units(store, settings.content_dir / "data" / "admin_units.csv")
    assert count_units(store) == n
    row = store.conn.execute("SELECT health_book_rate_pct FROM admin_units WHERE name = 'Lê Chân'").fetchone()
    assert row[0] == 39


def test_missing_or_broken_units_file(store: Store, tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="not found"):
        load_admin_units(store, tmp_path / "nope.csv")
    bad = tmp_path / "bad.csv"
    bad.write_text("foo,bar\n1,2\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="missing columns"):
        load_admin_units(store, bad)


def test_chats_registry_and_move(store: Store) -> None:
    chat_store.upsert_chat(store, "telegram", "-100", "group", title="Tổ dân phố 5", member_count=42)
    chat_store.set_unit_and_tags(store, "telegram", "-100", unit="Lê Chân", tags=["nguoi_cao_tuoi"])
    chat_store.move_chat(store, "telegram", "-100", "-100200")
    assert chat_store.get_chat(store, "telegram", "-100") is None
    moved = chat_store.get_chat(store, "telegram", "-100200")
    assert moved is not None
    assert moved["unit"] == "Lê Chân" and moved["tags"] == ["nguoi_cao_tuoi"] and moved["member_count"] == 42


def test_forget_resident_removes_rows(store: Store) -> None:
    from bot.store.erasure import erase_resident

    chat_store.touch_resident(store, "abc", "web")
    log_event(store, "interaction", resident="abc")
    log_event(store, "interaction", resident="other")
    assert erase_resident(store, resident="abc", channel="web").events == 1
    assert store.conn.execute("SELECT count(*) FROM residents").fetchone()[0] == 0
    assert [e["resident"] for e in recent_events(store)] == ["other"]
