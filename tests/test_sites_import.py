"""Schedule import: valid files, every bad row reported, all-or-nothing, re-import, odd files."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import DataFileError
from bot.sites.importer import import_schedule
from bot.store import Store
from bot.store.sites import count_sessions, find_sessions

HP = "Hải Phòng"
HEADER = "don_vi,ten_diem,dia_chi,loai,ngay,gio_bat_dau,gio_ket_thuc,vi_do,kinh_do,doi_tuong,lien_he,ghi_chu"
GOOD = [
    'xã Kẻ Sặt,Trạm Y tế xã Kẻ Sặt,"Khu trung tâm, xã Kẻ Sặt",co_dinh,05/12/2026,07:30,11:00,20.91,106.15,Người cao tuổi; Trẻ em,0220 111,',
    "phường Lê Chân,Đội lưu động 1,Nhà văn hóa TDP 5,luu_dong,06/12/2026,13:30,16:30,,,,,",
]


def write(tmp_path: Path, lines: list[str], name: str = "s.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


def test_imports_valid_csv(store: Store, tmp_path: Path) -> None:
    report = import_schedule(store, write(tmp_path, [HEADER, *GOOD]), province=HP)
    assert report.ok, report.lines()
    assert report.counts is not None and report.counts.sessions_added == 2 and report.counts.sites_added == 2
    rows = find_sessions(store, province=HP)
    assert [(r["unit"], r["date"], r["start"], r["end"], r["kind"]) for r in rows] == [
        ("Kẻ Sặt", "2026-12-05", "07:30", "11:00", "co_dinh"),
        ("Lê Chân", "2026-12-06", "13:30", "16:30", "luu_dong"),
    ]
    assert rows[0]["address"] == "Khu trung tâm, xã Kẻ Sặt"
    assert rows[0]["targets"] == "Người cao tuổi; Trẻ em"
    assert rows[0]["lat"] == pytest.approx(20.91) and rows[1]["lat"] is None


def test_reimport_does_not_duplicate_and_updates_in_place(store: Store, tmp_path: Path) -> None:
    path = write(tmp_path, [HEADER, *GOOD])
    import_schedule(store, path, province=HP)
    again = import_schedule(store, path, province=HP)
    assert again.counts is not None and again.counts.sessions_added == 0 and again.counts.sessions_unchanged == 2
    assert count_sessions(store) == 2
    changed = write(tmp_path, [HEADER, GOOD[0].replace("11:00", "11:30"), GOOD[1]], name="s2.csv")
    third = import_schedule(store, changed, province=HP)
    assert third.counts is not None and third.counts.sessions_updated == 1
    assert count_sessions(store) == 2
    assert find_sessions(store, province=HP)[0]["end"] == "11:30"


def test_every_bad_row_is_reported_and_nothing_imported(store: Store, tmp_path: Path) -> None:
    lines = [
        HEADER,
        GOOD[0],  # line 2: fine
        "xã Không Có Thật,Trạm,Địa chỉ,co_dinh,05/12/2026,07:30,11:00,,,,,",  # 3 unknown
        "Kẻ Sặt,Trạm,Địa chỉ,co_dinh,31/02/2026,07:30,11:00,,,,,",  # 4 bad date
        "Kẻ Sặt,Trạm,Địa chỉ,co_dinh,2026/12/05,07:30,11:00,,,,,",  # 5 bad date format
        "Kẻ Sặt,Trạm,Địa chỉ,co_dinh,05/12/2026,11:00,07:30,,,,,",  # 6 end before start
        "Kẻ Sặt,Trạm,Địa chỉ,co_dinh,05/12/2026,07:30,11:00,48.85,2.35,,,",  # 7 Paris
        "Kẻ Sặt,Trạm,Địa chỉ,co_dinh,05/12/2026,07:30,11:00,106.15,20.91,,,",  # 8 swapped
        "Kẻ Sặt,Trạm,Địa chỉ,xe buyt,05/12/2026,07:30,11:00,,,,,",  # 9 bad kind
        "Kẻ Sặt,,Địa chỉ,co_dinh,05/12/2026,25:00,11:00,,,,,",  # 10 missing name, bad time
        "cam giang,Trạm,Địa chỉ,co_dinh,05/12/2026,07:30,11:00,,,,,",  # 11 ambiguous
        "Kẻ Sặt,Trạm,Số 5, đường X,co_dinh,05/12/2026,07:30,11:00,,,,,,",  # 12 unquoted comma
        "Kẻ Sặt,Trạm,Địa chỉ,co_dinh,05/12/2026,07:30,11:00,20.9,,,,",  # 13 lat without lon
        GOOD[0],  # 14 duplicate of line 2
    ]
    report = import_schedule(store, write(tmp_path, lines), province=HP)
    assert not report.ok and report.counts is None
    by_line = {p.line: p.reason for p in report.problems}
    assert sorted(by_line) == list(range(3, 15))
    assert "unknown commune 'xã Không Có Thật'" in by_line[3] and "did you mean" in by_line[3]
    assert "bad date" in by_line[4] and "bad date" in by_line[5]
    assert "not after start" in by_line[6]
    assert "outside Vietnam" in by_line[7]
    assert "swapped" in by_line[8]
    assert "bad kind" in by_line[9]
    assert "missing ten_diem" in by_line[10] and "bad time" in by_line[10]
    assert "ambiguous" in by_line[11] and "Cẩm Giàng" in by_line[11]
    assert "more cells" in by_line[12]
    assert "both vi_do and kinh_do" in by_line[13]
    assert "line 2" in by_line[14]
    assert count_sessions(store) == 0
    text = "\n".join(report.lines())
    assert "line 3:" in text and "nothing imported" in text


def test_dry_run_writes_nothing(store: Store, tmp_path: Path) -> None:
    report = import_schedule(store, write(tmp_path, [HEADER, *GOOD]), province=HP, dry_run=True)
    assert report.ok and report.counts is None
    assert "dry run" in report.lines()[-1]
    assert count_sessions(store) == 0


def test_headers_with_diacritics_any_order_extra_columns(store: Store, tmp_path: Path) -> None:
    lines = [
        "Ghi chú;Ngày;Giờ kết thúc;Giờ bắt đầu;Tên điểm;Địa chỉ;Xã/Phường;Loại;Người nhập;Đối tượng",
        "ghi;05/12/2026;11h;7h30;Trạm Y tế;Khu 1;Kê Sắt;Lưu động;Chị Lan;",
    ]
    report = import_schedule(store, write(tmp_path, lines), province=HP)
    assert report.ok, report.lines()
    assert report.ignored_columns == ["Người nhập"]
    row = find_sessions(store, province=HP)[0]
    assert (row["unit"], row["start"], row["end"], row["kind"], row["note"]) == ("Kẻ Sặt", "07:30", "11:00", "luu_dong", "ghi")


def test_bom_crlf_nfd_and_comment_lines(store: Store, tmp_path: Path) -> None:
    import unicodedata

    text = "# lịch tháng 12\r\n" + HEADER + "\r\n" + unicodedata.normalize("NFD", GOOD[0]) + "\r\n"
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    report = import_schedule(store, path, province=HP)
    assert report.ok, report.lines()
    assert find_sessions(store, province=HP)[0]["name"] == "Trạm Y tế xã Kẻ Sặt"


def test_utf16_tab_separated(store: Store, tmp_path: Path) -> None:
    lines = [HEADER.replace(",", "\t"), "Kẻ Sặt\tTrạm\tKhu 1\tco_dinh\t05/12/2026\t07:30\t11:00\t\t\t\t\t"]
    path = write(tmp_path, lines, name="u16.txt", encoding="utf-16")
    assert import_schedule(store, path, province=HP).ok


def test_line_numbers_count_multiline_cells(store: Store, tmp_path: Path) -> None:
    lines = [HEADER, 'Kẻ Sặt,Trạm,"Khu 1\nngõ 2",co_dinh,05/12/2026,07:30,11:00,,,,,', "Kẻ Sặt,Trạm,Khu,co_dinh,bad,07:30,11:00,,,,,"]
    report = import_schedule(store, write(tmp_path, lines), province=HP)
    assert [p.line for p in report.problems] == [4]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\xef\xbb\xbf", "empty"),
        (b"   \n\n", "empty"),
        (b"# only a comment\n", "no header"),
        ("ngày,giờ\n1,2\n".encode(), "missing column"),
        ("don_vi,Đơn vị,ten_diem,dia_chi,ngay,gio_bat_dau,gio_ket_thuc\n".encode(), "both mean don_vi"),
        (b"don_vi,ten_diem\nK\xea S\xe1t,Tr\xe0m\n", "not UTF-8"),  # Windows-1258 / Latin-1 bytes
        (b"\x00\x01\x02binary", "not a text"),
    ],
)
def test_broken_files_give_clear_errors(store: Store, tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(DataFileError, match=message):
        import_schedule(store, path, province=HP)
    assert count_sessions(store) == 0


def test_header_only_is_reported(store: Store, tmp_path: Path) -> None:
    report = import_schedule(store, write(tmp_path, [HEADER]), province=HP)
    assert not report.ok and "no data rows" in report.lines()[1]


def test_missing_file_and_folder_and_xls(store: Store, tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="not found"):
        import_schedule(store, tmp_path / "nope.csv", province=HP)
    with pytest.raises(DataFileError, match="folder"):
        import_schedule(store, tmp_path, province=HP)
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(DataFileError, match=r"\.xls"):
        import_schedule(store, old, province=HP)


def test_xlsx_with_real_date_and_time_cells(store: Store, tmp_path: Path) -> None:
    from datetime import date, datetime, time

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Kinh độ", "Vĩ độ", "Đơn vị", "Tên điểm", "Địa chỉ", "Ngày", "Giờ bắt đầu", "Giờ kết thúc", "Loại"])
    ws.append([106.15, 20.91, "xa ke sat", "Trạm Y tế", "Khu 1", datetime(2026, 12, 5), time(7, 30), time(11, 0), "co_dinh"])
    ws.append([None, None, "Lê Chân", "Đội 1", "NVH", date(2026, 12, 6), "13:30", "16:30", "luu_dong"])
    ws.append([None, None, None, None, None, None, None, None, None])
    ws.append([None, None, "Lê Chân", "Đội 1", "NVH", "32/12/2026", "13:30", "12:00", "luu_dong"])
    path = tmp_path / "lich.xlsx"
    wb.save(path)
    report = import_schedule(store, path, province=HP)
    assert [p.line for p in report.problems] == [5]
    assert "bad date" in report.problems[0].reason and "not after start" in report.problems[0].reason
    ws.delete_rows(5)
    wb.save(path)
    report = import_schedule(store, path, province=HP)
    assert report.ok, report.lines()
    rows = find_sessions(store, province=HP)
    assert [(r["unit"], r["date"], r["start"]) for r in rows] == [("Kẻ Sặt", "2026-12-05", "07:30"), ("Lê Chân", "2026-12-06", "13:30")]


def test_damaged_xlsx(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(DataFileError, match="xlsx"):
        import_schedule(store, path, province=HP)


def test_demo_schedule_and_template_are_valid(store: Store, settings) -> None:  # type: ignore[no-untyped-def]
    data = settings.content_dir / "data"
    for name in ("demo_sites.csv", "sites_template.csv"):
        report = import_schedule(store, data / name, province=HP, dry_run=True)
        assert report.ok, (name, report.lines())


def test_replace_drops_sessions_no_longer_listed(store: Store, tmp_path: Path) -> None:
    import_schedule(store, write(tmp_path, [HEADER, *GOOD]), province=HP)
    moved = GOOD[0].replace("05/12/2026", "07/12/2026")
    report = import_schedule(store, write(tmp_path, [HEADER, moved], name="v2.csv"), province=HP, replace=True)
    assert report.counts is not None and report.counts.sessions_removed == 1
    rows = find_sessions(store, province=HP)
    # Kẻ Sặt now has only the moved session; Lê Chân (not in the file) is untouched.
    assert [(r["unit"], r["date"]) for r in rows] == [("Lê Chân", "2026-12-06"), ("Kẻ Sặt", "2026-12-07")]


def test_commune_of_another_province_is_explained(store: Store, tmp_path: Path) -> None:
    line = "Tuấn Sơn,Trạm,Khu 1,co_dinh,05/12/2026,07:30,11:00,,,,,"
    report = import_schedule(store, write(tmp_path, [HEADER, line]), province=HP)
    assert "is in Lạng Sơn" in report.problems[0].reason
    assert import_schedule(store, write(tmp_path, [HEADER, line], name="ls.csv"), province="Lạng Sơn").ok


def test_title_rows_above_the_header_are_skipped(store: Store, tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["LỊCH KHÁM SỨC KHỎE MIỄN PHÍ XÃ KẺ SẶT — THÁNG 12/2026"])
    ws.append([])
    ws.append(["Đơn vị", "Tên điểm", "Địa chỉ", "Ngày", "Giờ bắt đầu", "Giờ kết thúc"])
    ws.append(["Kẻ Sặt", "Trạm Y tế", "Khu 1", "05/12/2026", "07:30", "11:00"])
    ws.append(["Kẻ Sặt", "Trạm Y tế", "Khu 1", "06/12/2026", "07:30", "bad"])
    path = tmp_path / "title.xlsx"
    wb.save(path)
    report = import_schedule(store, path, province=HP)
    assert [p.line for p in report.problems] == [5]


@pytest.mark.parametrize(
    ("written", "expected"),
    [("05/12/2026", "2026-12-05"), ("5/12/26", "2026-12-05"), ("5.12.2026", "2026-12-05"), ("2026-12-05", "2026-12-05"), ("46361", "2026-12-05")],
)
def test_date_spellings(written: str, expected: str) -> None:
    from bot.sites.validate import parse_date

    assert parse_date(written).isoformat() == expected


@pytest.mark.parametrize(
    ("written", "expected"),
    [("07:30", "07:30"), ("7:30", "07:30"), ("7h30", "07:30"), ("7h", "07:00"), ("13.30", "13:30"), ("07:30:00", "07:30"), ("0.3125", "07:30")],
)
def test_time_spellings(written: str, expected: str) -> None:
    from bot.sites.validate import parse_time

    assert parse_time(written) == expected


@pytest.mark.parametrize("written", ["24:00", "7:60", "sáng", "", "25h"])
def test_bad_times(written: str) -> None:
    from bot.sites.validate import CellError, parse_time

    with pytest.raises(CellError):
        parse_time(written)


def test_xlsx_merged_cells_are_filled_down(store: Store, tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["STT", "Đơn vị", "Tên điểm", "Địa chỉ", "Ngày", "Giờ bắt đầu", "Giờ kết thúc"])
    ws.append([1, "Kẻ Sặt", "Trạm Y tế", "Khu 1", "05/12/2026", "07:30", "11:00"])
    ws.append([2, None, None, None, "06/12/2026", "07:30", "11:00"])
    ws.append([3, "Lê Chân", "Đội 1", "NVH", "06/12/2026", "13:30", "16:30"])
    ws.merge_cells("B2:B3")
    ws.merge_cells("C2:C3")
    ws.merge_cells("D2:D3")
    path = tmp_path / "merged.xlsx"
    wb.save(path)
    report = import_schedule(store, path, province=HP)
    assert report.ok, report.lines()
    assert report.ignored_columns == ["STT"]
    rows = find_sessions(store, province=HP)
    assert [(r["unit"], r["date"]) for r in rows] == [("Kẻ Sặt", "2026-12-05"), ("Kẻ Sặt", "2026-12-06"), ("Lê Chân", "2026-12-06")]
