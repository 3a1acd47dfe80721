"""Offline activities: one entry, file imports (all or nothing), listing, and the CLI."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import typer
from openpyxl import Workbook
from typer.testing import CliRunner

from bot.config import Settings
from bot.errors import DataFileError, LoaError
from bot.features.reports import Reports
from bot.reports.activities import ActivityError, add_activity, import_activities, parse_kind
from bot.store import Store
from bot.store.activities import list_activities
from tests.conftest import make_db

TODAY = date(2026, 11, 24)


def test_add_one_activity(store: Store, settings: Settings) -> None:
    new_id = add_activity(
        store,
        settings,
        kind="phat_thanh_co_so",
        unit="P. Lê Chân",
        date_value="5/10/2026",
        count=12,
        participants=None,
        note="  Phát  thanh 3 buổi/tuần ",
        today=TODAY,
    )
    row = list_activities(store)[0]
    assert row["id"] == new_id
    assert (row["kind"], row["unit"], row["date"], row["count"], row["participants"], row["note"]) == (
        "phat_thanh_co_so",
        "Lê Chân",
        "2026-10-05",
        12,
        None,
        "Phát thanh 3 buổi/tuần",
    )


def test_kind_by_vietnamese_name() -> None:
    assert parse_kind("Hội nghị") == "hoi_nghi"
    assert parse_kind("ngay-hoi-suc-khoe") == "ngay_hoi_suc_khoe"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "party"}, "unknown activity kind 'party'"),
        ({"unit": "Atlantis"}, "unknown unit 'Atlantis'"),
        ({"date_value": "32/10/2026"}, "not a real date"),
        ({"date_value": "01/12/2026"}, "in the future"),
        ({"count": 0}, "count must be at least 1"),
        ({"participants": "many"}, "participants must be a whole number"),
    ],
)
def test_bad_entries_are_refused_clearly(
    store: Store, settings: Settings, fields: dict, message: str
) -> None:
    base = {"kind": "hoi_nghi", "unit": "Lê Chân", "date_value": "10/10/2026", "count": 1, "participants": 30}
    with pytest.raises(ActivityError, match=message):
        add_activity(store, settings, today=TODAY, **{**base, **fields})
    assert list_activities(store) == []


def test_import_csv_with_vietnamese_headers(store: Store, settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "hoat_dong.csv"
    path.write_text(
        'Loại,"Xã, phường",Ngày,Số lượng,Số người,Ghi chú\n'
        "hoi_nghi,Lê Chân,01/10/2026,1,120,Hội nghị triển khai\n"
        "\n"
        "Tin bài,,03/10/2026,4,,Báo Hải Phòng\n",
        encoding="utf-8",
    )
    assert import_activities(store, settings, path, today=TODAY) == 2
    rows = sorted(list_activities(store), key=lambda r: r["date"])
    assert [(r["kind"], r["unit"], r["count"], r["participants"], r["source"]) for r in rows] == [
        ("hoi_nghi", "Lê Chân", 1, 120, "import"),
        ("tin_bai", "", 4, None, "import"),
    ]


def test_import_with_errors_saves_nothing(store: Store, settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "kind,unit,date,count,participants,note\n"
        "hoi_nghi,Lê Chân,01/10/2026,1,120,ok\n"
        "meeting,Lê Chân,01/10/2026,1,,\n"
        "tin_bai,Lê Chân,2026/13/01,1,,\n",
        encoding="utf-8",
    )
    with pytest.raises(
        DataFileError,
        match=r"2 invalid row\(s\), nothing imported: line 3: unknown activity kind"
        r".*line 4: cannot read date",
    ):
        import_activities(store, settings, path, today=TODAY)
    assert list_activities(store) == []


def test_import_xlsx(store: Store, settings: Settings, tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["kind", "unit", "date", "count", "participants", "note"])
    ws.append(["ngay_hoi_suc_khoe", "Ngô Quyền", date(2026, 10, 20), 1, 350, "Ngày hội"])
    path = tmp_path / "a.xlsx"
    wb.save(path)
    assert import_activities(store, settings, path, today=TODAY) == 1
    assert list_activities(store)[0]["date"] == "2026-10-20"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("x.txt", "kind,date\n", "use a .csv or .xlsx"),
        ("x.csv", "unit,count\nLê Chân,1\n", "missing columns kind, date"),
        ("x.csv", "", "the file is empty"),
        ("y.csv", "kind,date\n\n", "no activity rows"),
    ],
)
def test_import_file_problems(
    store: Store, settings: Settings, tmp_path: Path, name: str, content: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataFileError, match=message):
        import_activities(store, settings, path, today=TODAY)
    with pytest.raises(DataFileError, match="file not found"):
        import_activities(store, settings, tmp_path / "missing.csv")


def test_list_filters(store: Store, settings: Settings) -> None:
    add_activity(store, settings, kind="hoi_nghi", unit="Lê Chân", date_value="01/10/2026", today=TODAY)
    add_activity(store, settings, kind="tin_bai", unit="Ngô Quyền", date_value="01/11/2026", today=TODAY)
    assert [r["kind"] for r in list_activities(store, start="2026-10-15")] == ["tin_bai"]
    assert [r["kind"] for r in list_activities(store, unit="Lê Chân")] == ["hoi_nghi"]
    assert [r["kind"] for r in list_activities(store, end="2026-10-31", kind="hoi_nghi")] == ["hoi_nghi"]


# --- CLI (this feature's sub-apps only, so other features' work in progress cannot break it) --------


def _cli() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """Loa."""

    Reports().add_cli(app)
    return app


def _run(settings: Settings, *args: str) -> object:
    env = {"LOA_DB": str(make_db(settings.db)), "LOA_SECRET_KEY": "test-secret-key"}
    return CliRunner().invoke(_cli(), list(args), env=env)


def test_cli_activity_add_list_and_report(settings: Settings, tmp_path: Path) -> None:
    r = _run(
        settings,
        "activity",
        "add",
        "--kind",
        "hoi_nghi",
        "--unit",
        "Lê Chân",
        "--date",
        "01/10/2026",
        "--participants",
        "80",
    )
    assert r.exit_code == 0, r.output
    assert r.output.strip().splitlines()[-1].isdigit()
    r = _run(settings, "activity", "list")
    assert "hoi_nghi" in r.output and "Lê Chân" in r.output and "1 activities" in r.output
    out = tmp_path / "r.md"
    r = _run(settings, "report", "--quarter", "2026-Q4", "--format", "md", "--out", str(out))
    assert r.exit_code == 0, r.output
    assert r.output.strip().splitlines()[-1] == str(out)
    assert "| Hội nghị, tọa đàm | 1 | 80 | 1 |" in out.read_text(encoding="utf-8")


def test_cli_report_errors_are_loa_errors(settings: Settings) -> None:
    r = _run(settings, "report", "--format", "md")
    assert isinstance(r.exception, LoaError) and "choose a period" in str(r.exception)
    r = _run(settings, "report", "--year", "2026", "--format", "pdf")
    assert isinstance(r.exception, LoaError) and "unknown format 'pdf'" in str(r.exception)
    r = _run(settings, "report", "--year", "2026", "--unit", "Atlantis", "--format", "md")
    assert isinstance(r.exception, LoaError) and "unknown unit 'Atlantis'" in str(r.exception)
    r = _run(settings, "activity", "add", "--kind", "x", "--unit", "Lê Chân", "--date", "01/10/2026")
    assert isinstance(r.exception, LoaError) and "unknown activity kind" in str(r.exception)


def test_cli_report_due(settings: Settings) -> None:
    r = _run(settings, "report", "due", "--today", "25/11/2026")
    assert r.exit_code == 0, r.output
    assert "quý IV năm 2026: trước ngày 05/01/2027 (41 ngày nữa)" in r.output
    assert "loa report --quarter 2026-Q4 --format docx" in r.output
