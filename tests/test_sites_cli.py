"""``loa sites`` as a real subprocess: exit codes, the report, the JSON interface."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bot.config import PROJECT_ROOT
from tests.conftest import make_db

DEMO = PROJECT_ROOT / "data" / "demo_sites.csv"


def loa(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOA_")}
    env.update({"LOA_DB": str(make_db(tmp_path / "cli.db")), "LOA_SECRET_KEY": "k"})
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60
    )


def test_import_find_list(tmp_path: Path) -> None:
    r = loa(tmp_path, "sites", "import", str(DEMO))
    assert r.returncode == 0, r.stderr
    assert "22 new session(s)" in r.stdout
    r = loa(tmp_path, "sites", "import", str(DEMO))
    assert r.returncode == 0 and "22 unchanged" in r.stdout

    r = loa(tmp_path, "sites", "find", "--json", "--today", "2026-11-24", "điểm khám ở Kẻ Sặt tuần này")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["unit"] == "Kẻ Sặt" and out["candidates"] == []
    assert [s["date"] for s in out["sessions"]] == ["2026-11-25", "2026-11-28"]
    assert out["sessions"][0] == {
        "site": "Trạm Y tế xã Kẻ Sặt",
        "address": "Khu trung tâm xã Kẻ Sặt",
        "date": "2026-11-25",
        "start": "07:30",
        "end": "11:00",
        "kind": "co_dinh",
    }

    r = loa(tmp_path, "sites", "find", "--json", "--today", "2026-11-24", "cam giang")
    assert json.loads(r.stdout) == {"unit": None, "candidates": ["Cẩm Giang", "Cẩm Giàng"], "sessions": []}

    r = loa(tmp_path, "sites", "find", "--today", "2026-11-24", "ke", "sat", "thu", "7")
    assert r.returncode == 0 and "Thứ Bảy 28/11" in r.stdout

    r = loa(tmp_path, "sites", "list")
    assert r.returncode == 0 and "14 site(s)" in r.stdout


def test_import_with_bad_rows_fails_with_report(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "don_vi,ten_diem,dia_chi,ngay,gio_bat_dau,gio_ket_thuc,vi_do,kinh_do\n"
        "Kẻ Sặt,Trạm,Khu 1,05/12/2026,07:30,11:00,,\n"
        "Xã Ma,Trạm,Khu 1,05/12/2026,07:30,11:00,,\n"
        "Kẻ Sặt,Trạm,Khu 1,32/12/2026,07:30,11:00,,\n"
        "Kẻ Sặt,Trạm,Khu 2,05/12/2026,11:00,07:00,,\n"
        "Kẻ Sặt,Trạm,Khu 3,05/12/2026,07:00,11:00,1.0,1.0\n",
        encoding="utf-8",
    )
    r = loa(tmp_path, "sites", "import", "--dry-run", str(bad))
    assert r.returncode == 1
    for n in (3, 4, 5, 6):
        assert f"line {n}:" in r.stdout
    assert "line 2:" not in r.stdout
    assert "nothing imported" in r.stderr and "Traceback" not in r.stderr
    r = loa(tmp_path, "sites", "import", str(bad))
    assert r.returncode == 1
    r = loa(tmp_path, "sites", "find", "--json", "--today", "2026-11-24", "Kẻ Sặt")
    assert json.loads(r.stdout)["sessions"] == []  # nothing was imported


def test_clear_errors(tmp_path: Path) -> None:
    r = loa(tmp_path, "sites", "import", str(tmp_path / "missing.csv"))
    assert r.returncode == 1 and "not found" in r.stderr and "Traceback" not in r.stderr
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    r = loa(tmp_path, "sites", "import", str(empty))
    assert r.returncode == 1 and "empty" in r.stderr
    r = loa(tmp_path, "sites", "find", "--json", "--today", "2026-13-01", "Kẻ Sặt")
    assert r.returncode == 1 and "--today" in r.stderr


def test_rates_and_priority(tmp_path: Path) -> None:
    rates = tmp_path / "rates.csv"
    rates.write_text("don_vi,ty_le\ntoàn thành phố,44\nKê Sắt,34%\nLe Chan,\"41,5\"\nXã Ma,10\n", encoding="utf-8")
    r = loa(tmp_path, "sites", "rates", str(rates))
    assert r.returncode == 1 and "line 5:" in r.stdout and "unknown commune" in r.stdout
    rates.write_text("don_vi,ty_le\ntoàn thành phố,44\nKê Sắt,34%\nLe Chan,\"41,5\"\n", encoding="utf-8")
    r = loa(tmp_path, "sites", "rates", str(rates))
    assert r.returncode == 0, r.stdout + r.stderr
    r = loa(tmp_path, "sites", "priority", "--json")
    rows = json.loads(r.stdout)
    names = [row["name"] for row in rows]
    assert names[0] == "Kẻ Sặt" and "Lê Chân" in names
    assert all(row["province_avg_pct"] == 44 for row in rows)
