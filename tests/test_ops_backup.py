"""Backups while another process writes, restore, rotation, the serving lock (issue 19)."""

from __future__ import annotations

import gzip
import os
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.broadcast import broadcasts
from bot.config import Settings
from bot.ops.backup import BackupError, backup_database, check_integrity, last_backup, record_backup, rotate
from bot.ops.jobs import auto_backup
from bot.ops.lock import AlreadyRunning, instance_lock, running_pid
from bot.store import Store
from bot.store.chats import upsert_chat
from tests.test_broadcast_support import approved_message

ROOT = Path(__file__).resolve().parent.parent


def _loa(*args: str, db: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOA_")}
    env.update({"LOA_DB": str(db), "LOA_SECRET_KEY": "test-secret-key", "PYTHONPATH": str(ROOT), **extra})
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args], capture_output=True, text=True, env=env, timeout=120, cwd=db.parent
    )


def _busy_database(settings: Settings, events: int = 60_000) -> int:
    """A database with a broadcast, and enough events that the copy takes many steps."""
    store = Store.open(settings.db)
    upsert_chat(store, "telegram", "-1001", "group", title="Tổ dân phố 1")
    bid = broadcasts.create_broadcast(
        store, settings, message_id=approved_message(store), selectors=["all"], created_by="bien_tap"
    )
    with store.transaction():
        store.conn.executemany(
            "INSERT INTO events (at, type, channel, topic, resident, latency_ms) VALUES (?, ?, ?, ?, ?, ?)",
            (
                ("2026-11-20T02:00:00", "faq_answered", "zalo", "screening.where", f"{i:032x}", 40)
                for i in range(events)
            ),
        )
    store.close()
    return bid


def _acks(path: Path) -> list[tuple[int, str]]:
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    return [(int(a), b) for a, b in (line.split() for line in lines if line.count(" ") == 1)]


def test_backup_under_continuous_writes_then_restore(tmp_path: Path, settings: Settings) -> None:
    bid = _busy_database(settings)
    ack, stop = tmp_path / "acks.txt", tmp_path / "stop"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    writer = subprocess.Popen(
        [sys.executable, "-m", "tests.ops_writer", str(settings.db), str(bid), str(ack), str(stop)], env=env
    )
    try:
        deadline = time.monotonic() + 60
        while len(_acks(ack)) < 50:
            assert writer.poll() is None, "writer died"
            assert time.monotonic() < deadline, "writer never got going"
            time.sleep(0.05)
        before = _acks(ack)  # everything acknowledged before the backup starts
        r = _loa("backup", str(tmp_path / "copy.db"), "--gzip", db=settings.db)
        assert r.returncode == 0, r.stderr
        assert "copy.db.gz" in r.stdout and "integrity ok" in r.stdout
        during = _acks(ack)
    finally:
        stop.touch()
        writer.wait(timeout=30)
    assert len(during) > len(before), "the writer kept writing while the backup ran"
    everything = _acks(ack)

    # Restore over the live file (the writer has stopped; no Loa serves it).
    r = _loa("restore", str(tmp_path / "copy.db.gz"), db=settings.db)
    assert r.returncode == 0, r.stderr
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("loa.db.before-restore-")]
    assert len(kept) == 1 and "kept as" in r.stdout

    check_integrity(settings.db)
    conn = sqlite3.connect(settings.db)
    event_ids = {row[0] for row in conn.execute("SELECT id FROM events WHERE type = 'interaction'")}
    sent = {row[0] for row in conn.execute("SELECT chat_id FROM deliveries WHERE status = 'sent'")}
    conn.close()
    missing = [(e, c) for e, c in before if e not in event_ids or c not in sent]
    assert missing == [], f"acknowledged before the backup but missing: {missing[:5]}"
    # The replaced database is intact and holds everything the writer acknowledged.
    conn = sqlite3.connect(kept[0])
    assert conn.execute("SELECT count(*) FROM events WHERE type = 'interaction'").fetchone()[0] == len(everything)
    conn.close()


def test_backup_of_a_gzip_is_readable_and_recorded(tmp_path: Path, settings: Settings) -> None:
    Store.open(settings.db).close()
    result = backup_database(settings.db, tmp_path / "out", compress=False)  # a file name, not a folder
    assert result.path == tmp_path / "out" and result.size > 0
    zipped = backup_database(settings.db, tmp_path / "z.db", compress=True)
    assert zipped.path.name == "z.db.gz"
    assert gzip.decompress(zipped.path.read_bytes())[:16] == b"SQLite format 3\x00"
    assert oct(zipped.path.stat().st_mode & 0o777) == "0o600"
    record_backup(settings.db, zipped)
    assert last_backup(settings.db)["path"] == str(zipped.path)  # type: ignore[index]


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path: Path, settings: Settings) -> None:
    Store.open(settings.db).close()
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database" * 100)
    r = _loa("restore", str(junk), db=settings.db)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert not any(p.name.startswith("loa.db.before-restore-") for p in tmp_path.iterdir())


def test_lock_is_exclusive_and_released(tmp_path: Path, settings: Settings) -> None:
    assert running_pid(settings.db) is None
    with instance_lock(settings.db):
        assert running_pid(settings.db) == os.getpid()
        with pytest.raises(AlreadyRunning), instance_lock(settings.db):
            pass
    assert running_pid(settings.db) is None


def test_restore_refuses_while_loa_serves(tmp_path: Path, settings: Settings) -> None:
    Store.open(settings.db).close()
    backup = backup_database(settings.db, tmp_path / "b.db").path
    with instance_lock(settings.db):
        r = _loa("restore", str(backup), db=settings.db)
    assert r.returncode == 1
    assert "another Loa process is serving" in r.stderr and str(os.getpid()) in r.stderr
    # A second `loa run` on the same database is refused the same way.
    with instance_lock(settings.db):
        r = _loa("run", db=settings.db, LOA_PORT="1")
    assert r.returncode == 1 and "another Loa process is serving" in r.stderr


def test_daily_backup_rotates_and_skips_when_fresh(tmp_path: Path) -> None:
    settings = Settings(db=tmp_path / "loa.db", backup_keep=3, _env_file=None)  # type: ignore[call-arg]
    Store.open(settings.db).close()
    folder = settings.backup_folder
    folder.mkdir()
    for day in range(1, 6):  # five older automatic backups, and a file that is not ours
        (folder / f"loa-202611{day:02d}-020000.db.gz").write_bytes(b"old")
    (folder / "keep-me.txt").write_text("x")
    now = datetime.now(UTC)
    made = auto_backup(settings, now=now)
    assert made is not None and made.path.parent == folder and made.path.name.endswith(".db.gz")
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["keep-me.txt", "loa-20261104-020000.db.gz", "loa-20261105-020000.db.gz", made.path.name]
    assert auto_backup(settings, now=now + timedelta(hours=2)) is None  # a fresh one exists
    assert last_backup(settings.db)["size"] == made.size  # type: ignore[index]
    assert rotate(folder, 1) and len([p for p in folder.iterdir() if p.name.startswith("loa-")]) == 1


def test_backup_of_missing_database_is_one_clear_line(tmp_path: Path) -> None:
    with pytest.raises(BackupError):
        backup_database(tmp_path / "none.db", tmp_path)
    r = _loa("backup", db=tmp_path / "none.db")
    assert r.returncode == 1 and "no database at" in r.stderr
