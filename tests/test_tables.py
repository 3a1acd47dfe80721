"""The one table reader shared by the sites, rates, activities and chats imports (bot/tables.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from pydantic import BaseModel, field_validator

from bot import tablefile
from bot.broadcast.audiences import parse_selectors
from bot.broadcast.chat_import import import_chats
from bot.broadcast.errors import BroadcastError
from bot.config import Settings
from bot.errors import DataFileError
from bot.reports.activities import import_activities
from bot.store import Store
from bot.store import chats as chat_store
from bot.store.activities import list_activities
from bot.tables import Columns, read_table, typed_rows

PEOPLE = Columns(
    known=("ten", "xa", "so"),
    required=("ten", "xa"),
    synonyms={"ho_ten": "ten", "xa_phuong": "xa", "so_luong": "so"},
    labels={"ten": "họ tên", "xa": "xã/phường", "so": "số lượng"},
)


class Person(BaseModel):
    ten: str
    xa: str
    so: int = 0

    @field_validator("ten")
    @classmethod
    def _named(cls, value: str) -> str:
        if not value:
            raise ValueError("empty name")
        return value


def _xlsx(path: Path, rows: list[list[object]], merge: str | None = None) -> Path:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    if merge:
        ws.merge_cells(merge)
    wb.save(path)
    return path


def test_csv_and_xlsx_read_into_the_same_rows(tmp_path: Path) -> None:
    # A BOM, a semicolon delimiter, a title row, headers with diacritics and synonyms, a
    # comment line and an unknown column: what officers' exports look like.
    csv_path = tmp_path / "people.csv"
    csv_path.write_bytes(
        "\ufeff# danh sách\nDANH SÁCH;;\nHọ tên;Xã, phường;Số lượng;Khác\nAn;Lê Chân;3;x\n\nBình;Lê Chân;4;\n".encode()
    )
    xlsx_path = _xlsx(
        tmp_path / "people.xlsx",
        [["DANH SÁCH"], ["Họ tên", "Xã, phường", "Số lượng", "Khác"], ["An", "Lê Chân", 3, "x"], ["Bình", None, 4.0]],
        merge="B3:B4",  # the commune written once for two rows
    )
    from_csv = read_table(csv_path, PEOPLE)
    from_xlsx = read_table(xlsx_path, PEOPLE)
    expected = [{"ten": "An", "xa": "Lê Chân", "so": "3"}, {"ten": "Bình", "xa": "Lê Chân", "so": "4"}]
    assert [row for _, row in from_csv.rows] == expected
    assert [row for _, row in from_xlsx.rows] == expected
    assert [line for line, _ in from_csv.rows] == [4, 6]
    assert [line for line, _ in from_xlsx.rows] == [3, 4]
    assert from_csv.columns == ["ten", "xa", "so"] and from_csv.ignored_columns == ["Khác"]


def test_typed_rows_keep_line_numbers_and_reasons(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("ten,xa,so\nAn,Lê Chân,2\n,Lê Chân,1\nCúc,Lê Chân,ba\n", encoding="utf-8")
    good, bad = typed_rows(read_table(path, PEOPLE), Person)
    assert [(line, p.ten, p.so) for line, p in good] == [(2, "An", 2)]
    assert bad[0] == (3, "empty name")
    assert bad[1][0] == 4 and bad[1][1].startswith("so: ")


def test_missing_columns_are_named_for_officers(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("ten,so\nAn,1\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="missing columns xa") as info:
        read_table(path, PEOPLE)
    assert "thiếu cột xã/phường" in info.value.vi and "xa," not in info.value.vi


def test_formulas_are_never_read_as_text(tmp_path: Path) -> None:
    # openpyxl writes no cached value: the reader takes values only, so the cell is empty.
    path = _xlsx(tmp_path / "f.xlsx", [["ten", "xa"], ["=HYPERLINK(\"http://x\",\"An\")", "Lê Chân"]])
    rows = read_table(path, PEOPLE).rows
    assert rows == [(2, {"ten": "", "xa": "Lê Chân"})]


def test_sizes_are_bounded(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_text("ten,xa\n" + "An,Lê Chân\n" * (tablefile.MAX_ROWS + 1), encoding="utf-8")
    with pytest.raises(tablefile.TableTooBig, match="hơn 20.000 dòng"):
        read_table(path, PEOPLE)
    wide = tmp_path / "wide.csv"
    wide.write_text("ten,xa\nAn," + "x" * (tablefile.MAX_FIELD_CHARS + 1) + "\n", encoding="utf-8")
    with pytest.raises(tablefile.TableTooBig, match="dài hơn 5.000 ký tự"):
        read_table(wide, PEOPLE)


def test_activities_and_chats_read_what_sites_read(store: Store, settings: Settings, tmp_path: Path) -> None:
    # Semicolons, a BOM and Vietnamese headers: accepted by every import through the one reader.
    activities = tmp_path / "hd.csv"
    activities.write_bytes("\ufeffLoại hoạt động;Xã, phường;Ngày;Số người\nhoi_nghi;Lê Chân;01/10/2026;40\n".encode())
    assert import_activities(store, settings, activities, today=date(2026, 10, 2)) == 1
    assert list_activities(store)[0]["participants"] == 40
    chats = tmp_path / "chats.xlsx"
    _xlsx(chats, [["channel", "chat_id", "kind", "unit"], ["telegram", -1001, "group", "le chan"]])
    assert import_chats(store, chats) == (1, 0)
    assert chat_store.get_chat(store, "telegram", "-1001")["unit"] == "Lê Chân"


def test_chat_import_refuses_a_mistyped_commune_as_audiences_do(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "chats.csv"
    path.write_text("channel,chat_id,kind,unit\ntelegram,-1001,group,Lê Chânn\ntelegram,-1002,group,\n", encoding="utf-8")
    with pytest.raises(BroadcastError) as audience:
        parse_selectors(store, ["unit:Lê Chânn"])
    with pytest.raises(DataFileError) as imported:
        import_chats(store, path)
    assert f"line 2: {audience.value}" in str(imported.value)
    assert "did you mean 'Lê Chân'" in str(imported.value)
    assert chat_store.get_chat(store, "telegram", "-1002") is None  # nothing half-imported
