"""Benchmark: backup and restore of a heavy year, while a writer keeps committing.

Generates (or reuses with --db) the heavy year of bench/report.py (2,000,000 events,
500,000 deliveries), then times: ``backup_database`` plain and gzipped, with a writer
thread committing one event every 10 ms on its own connection (its worst commit time
shows whether the backup starves writers), and ``restore_database`` of the gzipped copy.

    python3 bench/backup.py [--events N] [--deliveries N] [--db PATH]
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import generate  # noqa: E402

from bot.config import Settings  # noqa: E402
from bot.ops.backup import backup_database, restore_database  # noqa: E402
from bot.reference import ensure_reference_data  # noqa: E402
from bot.store import Store  # noqa: E402


class Writer(threading.Thread):
    """Commits one event every 10 ms and records each commit's duration."""

    def __init__(self, db: Path) -> None:
        super().__init__(daemon=True)
        self.db = db
        self.stop = threading.Event()
        self.times: list[float] = []

    def run(self) -> None:
        conn = sqlite3.connect(self.db, timeout=30, isolation_level=None)
        conn.execute("PRAGMA synchronous = NORMAL")  # as the Store sets it (WAL: no fsync per commit)
        while not self.stop.is_set():
            started = time.perf_counter()
            conn.execute("INSERT INTO events (at, type, channel) VALUES ('2026-12-01T00:00:00', 'interaction', 'web')")
            self.times.append(time.perf_counter() - started)
            time.sleep(0.01)
        conn.close()


def _timed_backup(db: Path, dest: Path, compress: bool) -> None:
    writer = Writer(db)
    writer.start()
    cpu = time.process_time()
    result = backup_database(db, dest, compress=compress)
    cpu = time.process_time() - cpu
    writer.stop.set()
    writer.join()
    times = sorted(writer.times) or [0.0]
    worst, p99 = times[-1] * 1000, times[int(len(times) * 0.99)] * 1000
    label = "gzip" if compress else "plain"
    print(
        f"  backup ({label:5}) {result.seconds:7.2f} s wall  {cpu:7.2f} s cpu   {result.size / 1e6:8.1f} MB"
        f"   writer: {len(writer.times)} commits meanwhile, p99 {p99:.1f} ms, worst {worst:.1f} ms"
    )


def main() -> None:
    """Generate or reuse the heavy year, then time backups and a restore."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=2_000_000)
    ap.add_argument("--deliveries", type=int, default=500_000)
    ap.add_argument("--chats", type=int, default=2_000)
    ap.add_argument("--db", type=Path, help="Store file (reused if it already holds the data).")
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="loa-bench-backup-"))
    db = args.db or folder / "heavy.db"
    settings = Settings(db=db, secret_key="bench", _env_file=None)  # type: ignore[call-arg]
    store = Store.open(db)
    ensure_reference_data(store, settings)
    if store.conn.execute("SELECT count(*) FROM events").fetchone()[0] == 0:
        started = time.perf_counter()
        generate(store, settings, args.events, args.deliveries, args.chats)
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        print(f"Generated in {time.perf_counter() - started:.0f} s")
    events = store.conn.execute("SELECT count(*) FROM events").fetchone()[0]
    store.close()
    print(f"Database: {events:,} events, {db.stat().st_size / 1e6:,.1f} MB ({db})")
    out = folder / "backups"
    out.mkdir()
    _timed_backup(db, out / "plain.db", compress=False)
    _timed_backup(db, out / "zipped.db", compress=True)
    target = folder / "restored.db"
    cpu = time.process_time()
    _, seconds = restore_database(out / "zipped.db.gz", target)
    print(f"  restore (gzip)  {seconds:7.2f} s wall  {time.process_time() - cpu:7.2f} s cpu   (gunzip, integrity_check, copy)")


if __name__ == "__main__":
    main()
