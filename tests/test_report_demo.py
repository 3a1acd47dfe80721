"""The demo quarter (idempotent, deterministic, marked as demo) and the real `loa report` command."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from docx import Document

from bot.config import Settings
from bot.reports.demo import load_demo_quarter
from bot.reports.output import make_report, render
from bot.reports.periods import parse_quarter
from bot.store import Store
from tests.conftest import make_db


def _counts(store: Store) -> tuple[int, int]:
    return (
        store.conn.execute("SELECT count(*) FROM events").fetchone()[0],
        store.conn.execute("SELECT count(*) FROM activities").fetchone()[0],
    )


def test_demo_quarter_is_believable_marked_and_idempotent(store: Store, settings: Settings) -> None:
    assert load_demo_quarter(store, settings) is True
    first = _counts(store)
    assert load_demo_quarter(store, settings) is False
    assert _counts(store) == first and first[0] > 10_000 and first[1] > 100
    assert (
        store.conn.execute(
            "SELECT count(*) FROM events WHERE data IS NULL OR data NOT LIKE '%demo%'"
        ).fetchone()[0]
        == 0
    )
    rep = make_report(
        store,
        settings,
        parse_quarter("2026-Q3"),
        now=datetime(2026, 10, 2, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")),
    )
    assert rep.demo
    f = rep.figures
    assert f["unique_residents"] > 500 and f["questions_answered"] > 1000 and f["activities"] > 100
    assert f["priority_units"] > 0
    assert "DỮ LIỆU MẪU (DEMO)" in render(rep, "md").decode()


def test_demo_is_deterministic(tmp_path: Path) -> None:
    from bot.reference import ensure_reference_data

    figures = []
    for name in ("a.db", "b.db"):
        s = Settings(db=tmp_path / name, secret_key="k", _env_file=None)  # type: ignore[call-arg]
        st = Store.open(s.db)
        ensure_reference_data(st, s)
        load_demo_quarter(st, s)
        figures.append(make_report(st, s, parse_quarter("2026-Q3")).figures)
        st.close()
    assert figures[0] == figures[1]


def test_loa_report_command_writes_a_docx(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOA_")}
    env.update(
        {"LOA_DB": str(make_db(tmp_path / "c.db")), "LOA_SECRET_KEY": "k", "LOA_REPORT_SIGNER_NAME": "Trần Thị B"}
    )
    out = tmp_path / "out" / "bc.docx"
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot.cli",
            "report",
            "--quarter",
            "2026-Q4",
            "--format",
            "docx",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().splitlines()[-1] == str(out)
    doc = Document(io.BytesIO(out.read_bytes()))
    assert "Trần Thị B" in doc.tables[-1].rows[0].cells[1].text
    r = subprocess.run(
        [sys.executable, "-m", "bot.cli", "report", "--quarter", "2026-Q0"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert r.returncode == 1 and "must be 1-4" in r.stderr and "Traceback" not in r.stderr
