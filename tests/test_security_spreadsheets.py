"""Spreadsheet bombs are refused before they are parsed (issue 12, finding 4).

The bombs are built here with zipfile: a 2 KB .xlsx declaring (or holding) a cell at
XFD1048576, and a 450 KB .xlsx whose sheet XML inflates to 150 MiB. Every importer (web
upload of sites and activities, ``loa sites import``, ``loa activity import``, the chats
CSV import) answers with the guard's Vietnamese one-liner. The refusal happens before the
sheet is read: the guard is called on the archive's directory and the sheet's dimension.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import tablefile
from bot.broadcast.chat_import import read_chats
from bot.config import Settings
from bot.errors import DataFileError
from bot.reports.activities import import_activities
from bot.sites.importer import import_schedule
from bot.store import Store
from tests.conftest import make_db
from tests.test_admin import Admin, open_admin

_CT = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
    'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
    '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WB = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
    '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WB_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
    '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
_HEAD = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
_FAR = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>loai</t></is></c></row>'
    '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
)


def _xlsx(path: Path, sheet_parts: Iterator[bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CT)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WB)
        archive.writestr("xl/_rels/workbook.xml.rels", _WB_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            for part in sheet_parts:
                sheet.write(part)
    return path


def far_cell(path: Path, *, declared: bool) -> Path:
    """One cell at XFD1048576, with or without a <dimension> saying so."""
    dim = '<dimension ref="A1:XFD1048576"/>' if declared else ""
    return _xlsx(path, iter([f"{_HEAD}{dim}<sheetData>{_FAR}</sheetData></worksheet>".encode()]))


def inflating(path: Path, mib: int = 150) -> Path:
    """A sheet whose XML inflates to ``mib`` MiB (the archive stays a few hundred KB)."""

    def parts() -> Iterator[bytes]:
        yield f"{_HEAD}<sheetData>".encode()
        row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * 20_000
        for _ in range(mib * 1024 * 1024 // len(row)):
            yield row
        yield b"</sheetData></worksheet>"

    return _xlsx(path, parts())


def dense_ratio(path: Path) -> Path:
    """20 MiB of XML in a few KB: under the absolute cap, far over the ratio cap."""
    return inflating(path, mib=20)


def wide(path: Path) -> Path:
    """400 rows of 800 distinct numbers: compresses normally, declares nothing, and would
    make openpyxl parse 320,000 cells however few columns are wanted."""

    def parts() -> Iterator[bytes]:
        yield f"{_HEAD}<sheetData>".encode()
        for r in range(400):
            yield ("<row>" + "".join(f"<c><v>{r * 7919 + c * 104729}</v></c>" for c in range(800)) + "</row>").encode()
        yield b"</sheetData></worksheet>"

    return _xlsx(path, parts())


BOMBS = {
    "far_declared.xlsx": lambda p: far_cell(p, declared=True),
    "far_undeclared.xlsx": lambda p: far_cell(p, declared=False),
    "inflating.xlsx": inflating,
    "dense.xlsx": dense_ratio,
    "wide.xlsx": wide,
}
#: Each bomb's refusal, in Vietnamese.
REFUSALS = ("vượt giới hạn", "hơn 20.000 dòng", "khi giải nén lớn hơn", "nén bất thường", "300.000 ô dữ liệu")


def _refused(message: str) -> bool:
    return any(r in message for r in REFUSALS)


@pytest.fixture(params=sorted(BOMBS))
def bomb(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    return BOMBS[request.param](tmp_path / request.param)  # type: ignore[no-any-return]


def test_bombs_fit_in_an_upload(bomb: Path) -> None:
    assert bomb.stat().st_size < 2 * 1024 * 1024


def test_inflating_bomb_is_refused_from_the_zip_directory_alone(tmp_path: Path) -> None:
    path = inflating(tmp_path / "b.xlsx")
    with pytest.raises(tablefile.TableTooBig, match="khi giải nén lớn hơn 100 MB"):
        tablefile.check_xlsx_archive(path)
    with pytest.raises(tablefile.TableTooBig, match="nén bất thường"):
        tablefile.check_xlsx_archive(dense_ratio(tmp_path / "d.xlsx"))


def test_wide_sheet_is_refused_by_counting_cells_before_parsing(tmp_path: Path) -> None:
    with pytest.raises(tablefile.TableTooBig, match="hơn 300.000 ô dữ liệu"):
        tablefile.check_xlsx_archive(wide(tmp_path / "w.xlsx"))


def test_declared_far_cell_is_refused_from_the_dimension(tmp_path: Path) -> None:
    with pytest.raises(tablefile.TableTooBig, match="1.048.576 dòng × 16.384 cột"):
        tablefile.read_xlsx(far_cell(tmp_path / "f.xlsx", declared=True))


def test_sites_import_refuses_every_bomb(bomb: Path, store: Store) -> None:
    with pytest.raises(tablefile.TableTooBig) as info:
        import_schedule(store, bomb, province="Hải Phòng", dry_run=True)
    assert _refused(str(info.value)) and "\n" not in str(info.value)


def test_activities_import_refuses_every_bomb(bomb: Path, store: Store, settings: Settings) -> None:
    with pytest.raises(tablefile.TableTooBig) as info:
        import_activities(store, settings, bomb)
    assert _refused(str(info.value))


def test_csv_caps_rows_and_field_length(tmp_path: Path, store: Store, settings: Settings) -> None:
    many = tmp_path / "many.csv"
    many.write_text("channel,chat_id,kind\n" + "telegram,1,group\n" * 25_000, encoding="utf-8")
    with pytest.raises(tablefile.TableTooBig, match="hơn 20.000 dòng"):
        read_chats(store, many)
    sites = tmp_path / "sites.csv"
    row = "phường Lê Chân,Trạm Y tế,1 Lê Chân,co_dinh,26/11/2026,07:30,11:00\n"
    sites.write_text("xa_phuong,ten_diem,dia_chi,loai,ngay,gio_bat_dau,gio_ket_thuc\n" + row * 25_000, encoding="utf-8")
    with pytest.raises(tablefile.TableTooBig, match="hơn 20.000 dòng"):
        import_schedule(store, sites, province="Hải Phòng", dry_run=True)
    long = tmp_path / "long.csv"
    long.write_text("loai,ngay\nhop," + "x" * 6_000 + "\n", encoding="utf-8")
    with pytest.raises(tablefile.TableTooBig, match="dài hơn 5.000 ký tự"):
        import_activities(store, settings, long)
    huge = tmp_path / "huge.csv"
    with huge.open("wb") as fh:
        fh.truncate(tablefile.MAX_FILE_BYTES + 1)
    with pytest.raises(tablefile.TableTooBig, match="lớn hơn 20 MB"):
        read_chats(store, huge)


def test_normal_xlsx_still_imports(tmp_path: Path, store: Store) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["xa_phuong", "ten_diem", "dia_chi", "loai", "ngay", "gio_bat_dau", "gio_ket_thuc"])
    ws.append(["phường Lê Chân", "Trạm Y tế", "1 Lê Chân", "co_dinh", "26/11/2026", "07:30", "11:00"])
    wb.save(tmp_path / "ok.xlsx")
    report = import_schedule(store, tmp_path / "ok.xlsx", province="Hải Phòng", dry_run=True)
    assert report.rows == 1


@pytest.fixture
def admin(settings: Settings) -> Iterator[Admin]:
    yield from open_admin(settings)


@pytest.mark.parametrize("route", ["/admin/sites/upload", "/admin/activities/import"])
def test_admin_uploads_refuse_bombs_in_vietnamese_without_temp_paths(
    admin: Admin, route: str, tmp_path: Path
) -> None:
    admin.add("lan", "editor")
    admin.login("lan")
    for make in (BOMBS["far_declared.xlsx"], BOMBS["inflating.xlsx"]):
        data = make(tmp_path / "lich.xlsx").read_bytes()
        r = admin.client.post(
            route, data={"csrf": admin.csrf()}, files={"file": ("lich.xlsx", io.BytesIO(data))}
        )
        assert r.status_code == 400, r.text
        assert _refused(r.text)
        assert "loa-upload-" not in r.text and "/tmp" not in r.text


def test_upload_errors_name_the_officers_file_not_the_temp_path(admin: Admin) -> None:
    admin.add("lan", "editor")
    admin.login("lan")
    r = admin.client.post(
        "/admin/sites/upload",
        data={"csrf": admin.csrf()},
        files={"file": ("lich-thang-12.csv", io.BytesIO(b"khong,co,cot\n1,2,3\n"))},
    )
    assert r.status_code == 400 and "lich-thang-12.csv" in r.text
    assert "loa-upload-" not in r.text and "/tmp" not in r.text


@pytest.mark.parametrize("command", [["sites", "import", "--dry-run"], ["activity", "import"]])
def test_cli_imports_refuse_a_bomb_with_one_line(command: list[str], tmp_path: Path) -> None:
    path = far_cell(tmp_path / "lich.xlsx", declared=False)
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOA_")}
    env |= {"LOA_DB": str(make_db(tmp_path / "loa.db")), "LOA_SECRET_KEY": "k"}
    r = subprocess.run(
        [sys.executable, "-m", "bot.cli", *command, str(path)],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )
    assert r.returncode != 0
    assert "hơn 20.000 dòng" in r.stderr + r.stdout, r.stderr
    assert "Traceback" not in r.stderr


def test_guard_messages_are_data_file_errors() -> None:
    assert issubclass(tablefile.TableTooBig, DataFileError)
