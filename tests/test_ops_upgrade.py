"""Safe upgrades: a database left at every past migration, with rows written at each step,
upgrades with ``loa db migrate`` (taking a backup first), keeps every row, and gives the
same report whatever version it started from (issue 19).

Rows are written with plain SQL, as the code of that version would have: after migration
N the tables it created get realistic rows, filled only in the columns that exist then.
A migration added later is covered without editing this file: its new tables get rows
from the generic filler, and every report must still agree.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils

from bot.config import Settings
from bot.reference import ensure_reference_data
from bot.reports import metrics
from bot.reports.model import build_report
from bot.reports.output import render
from bot.reports.periods import parse_quarter
from bot.store import Store
from bot.store.db import discover_migrations

ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = discover_migrations()
NOW = datetime(2026, 12, 20, 3, 0)

#: Realistic rows for the tables the reports read; other tables get the generic filler.
SEED: dict[str, list[dict[str, Any]]] = {
    "chats": [
        {"channel": "telegram", "chat_id": "-1001", "kind": "group", "title": "Tổ dân phố 3", "unit": "Lê Chân",
         "tags": '["nguoi_cao_tuoi"]', "status": "active", "opted_out": 0, "member_count": 120,
         "created_at": "2026-10-01T01:00:00", "updated_at": "2026-10-01T01:00:00"},
        {"channel": "zalo", "chat_id": "z-77", "kind": "private", "title": "", "unit": "Hồng Bàng", "tags": "[]",
         "status": "active", "opted_out": 0, "created_at": "2026-10-02T01:00:00", "updated_at": "2026-10-02T01:00:00"},
    ],
    "residents": [
        {"ref": f"r{i:031x}", "channel": "zalo", "first_seen": "2026-10-05T02:00:00", "last_seen": "2026-11-05T02:00:00",
         "unit": "Lê Chân"} for i in range(4)
    ],
    "users": [
        {"name": "bien_tap", "roles": '["editor"]', "active": 1, "created_at": "2026-09-01T00:00:00"},
        {"name": "lanh_dao", "roles": '["approver"]', "active": 1, "created_at": "2026-09-01T00:00:00"},
    ],
    "messages": [{"id": 1, "slug": "campaign/lich-kham", "kind": "campaign", "theme": "screening",
                  "title": "Lịch khám", "created_at": "2026-10-01T00:00:00"}],
    "message_versions": [{"id": 1, "message_id": 1, "version": 1, "body": "Khám sức khỏe miễn phí tại trạm y tế.",
                          "author": "bien_tap", "state": "approved", "approved_by": "lanh_dao",
                          "created_at": "2026-10-01T00:00:00"}],
    "broadcasts": [{"id": 1, "version_id": 1, "code": "HP-7K3Q9X", "theme": "screening", "kind": "campaign",
                    "created_by": "bien_tap", "created_at": "2026-11-10T01:00:00", "scheduled_at": "2026-11-10T01:00:00",
                    "state": "done", "selectors": '["all"]', "text": "Khám sức khỏe miễn phí tại trạm y tế.",
                    "started_at": "2026-11-10T01:00:00", "finished_at": "2026-11-10T01:05:00"}],
    "deliveries": [
        {"broadcast_id": 1, "channel": ch, "chat_id": cid, "chat_kind": kind, "unit": unit, "tags": "[]",
         "member_count": members, "status": status, "attempts": 1, "sent_at": sent}
        for ch, cid, kind, unit, members, status, sent in (
            ("telegram", "-1001", "group", "Lê Chân", 120, "sent", "2026-11-10T01:01:00"),
            ("zalo", "z-77", "private", "Hồng Bàng", None, "sent", "2026-11-10T01:02:00"),
            ("zalo", "z-78", "private", "Hồng Bàng", None, "failed", None),
        )
    ],
    "activities": [
        {"kind": "hoi_nghi", "unit": "Lê Chân", "date": "2026-11-12", "count": 1, "participants": 80,
         "note": "Hội nghị triển khai", "source": "cli", "created_by": "bao_cao", "created_at": "2026-11-12T09:00:00"},
    ],
}


def _events(step: int) -> list[dict[str, Any]]:
    """The events a running Loa would have written while at migration ``step``."""
    rows = []
    for i, (type_, topic, value) in enumerate(
        (("interaction", "screening.where", None), ("faq_answered", "screening.where", "0.91"),
         ("scam_checked", None, "scam"), ("faq_abstained", None, "0.20"))
    ):
        rows.append({"at": f"2026-11-{10 + step:02d}T0{i}:00:00", "type": type_, "channel": "zalo", "chat_kind": "private",
                     "resident": f"r{step % 4:031x}", "unit": "Lê Chân", "topic": topic, "value": value, "latency_ms": 40})
    return rows


def _columns(conn: sqlite3.Connection, table: str) -> dict[str, tuple[str, bool, bool]]:
    """name → (type, not null without default, primary key)."""
    return {r[1]: (r[2].upper(), bool(r[3]) and r[4] is None, bool(r[5])) for r in conn.execute(f"PRAGMA table_info({table})")}


def _generic_row(conn: sqlite3.Connection, table: str, i: int) -> dict[str, Any]:
    """A plausible row for a table this test has no realistic rows for."""
    fks = {r[3]: (r[2], r[4]) for r in conn.execute(f"PRAGMA foreign_key_list({table})")}
    row: dict[str, Any] = {}
    columns = _columns(conn, table)
    single_pk = sum(1 for _, _, pk in columns.values() if pk) == 1
    for name, (type_, _required, pk) in columns.items():
        if pk and single_pk and type_ == "INTEGER":
            continue  # the rowid
        if name in fks:
            ref_table, ref_col = fks[name]
            found = conn.execute(f"SELECT {ref_col or 'rowid'} FROM {ref_table} LIMIT 1").fetchone()
            row[name] = found[0] if found else None
        elif type_ in ("INTEGER", "INT"):
            row[name] = i
        elif type_ in ("REAL", "FLOAT"):
            row[name] = 1.5
        elif name.endswith("_at") or name in ("at", "date"):
            row[name] = "2026-11-15T02:00:00"
        else:
            row[name] = f"{table}-{name}-{i}"
    return row


def _insert(conn: sqlite3.Connection, table: str, rows: list[dict[str, Any]]) -> list[tuple[int, dict[str, Any]]]:
    cols = _columns(conn, table)
    written = []
    for row in rows:
        data = {k: v for k, v in row.items() if k in cols}
        if not data:
            continue  # a bookkeeping table with no column a generic row can fill (rollup_pending)
        names = ", ".join(data)
        cur = conn.execute(f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' for _ in data)})", tuple(data.values()))
        written.append((int(cur.lastrowid or 0), data))
    return written


def _tables_by_step() -> list[list[str]]:
    """The tables each migration creates (applied one by one to a scratch database)."""
    db = sqlite_utils.Database(memory=True)
    out = []
    for migration in MIGRATIONS:
        before = set(db.table_names())
        migration.up(db)
        out.append(sorted(set(db.table_names()) - before))
    return out


TABLES_BY_STEP = _tables_by_step()


def _seed_step(conn: sqlite3.Connection, step: int, written: dict[str, list[tuple[int, dict[str, Any]]]]) -> None:
    """The rows Loa would have written while at migration ``step`` (1-based)."""
    for table in _parents_first(conn, TABLES_BY_STEP[step - 1]):
        rows = SEED.get(table)
        if rows is None:
            rows = [] if table in ("events", "meta", "admin_units") else [_generic_row(conn, table, i) for i in (1, 2)]
        written.setdefault(table, []).extend(_insert(conn, table, rows))
    written.setdefault("events", []).extend(_insert(conn, "events", _events(step)))


def _parents_first(conn: sqlite3.Connection, tables: list[str]) -> list[str]:
    """``tables`` ordered so that a table comes after the tables its foreign keys point to."""
    parents = {t: {r[2] for r in conn.execute(f"PRAGMA foreign_key_list({t})")} & set(tables) - {t} for t in tables}
    ordered: list[str] = []
    while len(ordered) < len(tables):
        ready = [t for t in tables if t not in ordered and parents[t] <= set(ordered)]
        ordered.extend(ready or [t for t in tables if t not in ordered])
    return ordered


def build_at(path: Path, upto: int) -> dict[str, list[tuple[int, dict[str, Any]]]]:
    """A database at migration number ``upto`` (1-based), rows written after every step."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    db = sqlite_utils.Database(conn)
    conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    written: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for step, migration in enumerate(MIGRATIONS[:upto], start=1):
        conn.execute("BEGIN")
        migration.up(db)
        conn.execute("INSERT INTO schema_migrations VALUES (?, ?)", (migration.id, "2026-09-01T00:00:00"))
        _seed_step(conn, step, written)
        conn.execute("COMMIT")
    conn.close()
    return written


def finish_year(path: Path, upto: int) -> None:
    """After the upgrade, the newer Loa writes what the later versions would have written."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    for step in range(upto + 1, len(MIGRATIONS) + 1):
        _seed_step(conn, step, {})
    conn.execute("COMMIT")
    conn.close()


def _report(db: Path) -> tuple[str, dict[str, int]]:
    settings = Settings(db=db, secret_key="k", _env_file=None)  # type: ignore[call-arg]
    store = Store.open(db)
    try:
        ensure_reference_data(store, settings)
        period = parse_quarter("2026-Q4")
        ctx = metrics.Context(store, settings, period)
        figures = {
            "answered": metrics.questions_answered(ctx),
            "checked": metrics.messages_checked(ctx),
            "sent": metrics.deliveries_sent(ctx),
            "failed": metrics.deliveries_failed(ctx),
        }
        text = render(build_report(store, settings, period, now=NOW), "md").decode("utf-8")
    finally:
        store.close()
    return text, figures


@pytest.mark.slow
def test_every_past_version_upgrades_keeping_data_and_reports(tmp_path: Path) -> None:
    reports = {}
    steps = len(MIGRATIONS)
    for upto in range(1, steps + 1):
        folder = tmp_path / f"v{upto}"
        folder.mkdir()
        db = folder / "loa.db"
        written = build_at(db, upto)
        env = {k: v for k, v in os.environ.items() if not k.startswith("LOA_")}
        env.update({"LOA_DB": str(db), "PYTHONPATH": str(ROOT), "COLUMNS": "250"})
        r = subprocess.run([sys.executable, "-m", "bot.cli", "db", "migrate"], capture_output=True, text=True,
                           env=env, cwd=folder, timeout=120)
        assert r.returncode == 0, r.stderr
        if upto < steps:
            assert "backup before upgrading" in r.stdout and MIGRATIONS[-1].id in r.stdout
            assert list((folder / "backups").glob("pre-migrate-*.db.gz")), "no backup before the upgrade"
        else:
            assert "up to date" in r.stdout
        conn = sqlite3.connect(db)
        conn.row_factory = sqlite3.Row
        for table, rows in written.items():
            for rowid, data in rows:
                # Found by its values (rollup tables are WITHOUT ROWID), then checked by rowid where there is one.
                where = " AND ".join(f"{k} IS ?" for k in data)
                found = conn.execute(f"SELECT * FROM {table} WHERE {where}", tuple(data.values())).fetchone()
                assert found is not None, f"{table} row {rowid} lost upgrading from step {upto}"
                assert {k: found[k] for k in data} == data, f"{table} row {rowid} changed upgrading from step {upto}"
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()
        finish_year(db, upto)
        reports[upto] = _report(db)
    # Every database now holds the same year, whichever version it started at: the report
    # (figures and text) must be the same, and the figures those of the rows written.
    text, figures = reports[steps]
    assert figures == {"answered": steps, "checked": steps, "sent": 2, "failed": 1}
    assert "Lê Chân" in text
    for upto, (other_text, other_figures) in reports.items():
        assert other_figures == figures, f"figures differ when upgrading from step {upto}"
        assert other_text == text, f"report text differs when upgrading from step {upto}"
