"""Bounded reading of officers' spreadsheet files (CSV and .xlsx), shared by every importer.

Uploaded files are untrusted: a 5 KB .xlsx can declare a cell at XFD1048576, and a 600 KB
one can hold a sheet that inflates to 600 MiB. Before anything is parsed, the .xlsx archive's
entries are checked (count, uncompressed total, compression ratio), the worksheets' cells
are counted on the inflated bytes, and the first sheet's declared size is checked; rows are
then streamed (openpyxl read-only mode) under row and column caps.
CSV files get a size cap, a row cap and a field-length cap. Every refusal is a
``TableTooBig`` with a one-line Vietnamese message (no server path in it).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from bot.errors import DataFileError

MB = 1024 * 1024

#: The limits, in one place (documented in docs/security.md).
MAX_FILE_BYTES = 20 * MB  # a CSV or .xlsx on disk
MAX_ROWS = 20_000  # rows read from one sheet or CSV, blank ones included
MAX_COLUMNS = 64  # columns read per row; cells beyond are never materialised
MAX_CELLS = 300_000  # <c> elements in the worksheets (openpyxl parses every one, wanted or not)
MAX_FIELD_CHARS = 5_000  # characters in one cell
MAX_XLSX_MEMBERS = 500  # entries in the .xlsx archive
MAX_XLSX_UNCOMPRESSED = 100 * MB  # all entries together, uncompressed
MAX_XLSX_RATIO = 100  # uncompressed / compressed, for entries above RATIO_FLOOR
RATIO_FLOOR = 1 * MB
#: Sheets whose XML is at most this size are loaded fully, so merged cells can be filled down.
FULL_LOAD_MAX_XML = 2 * MB


#: A cell element, with or without a namespace prefix: <c r="A1">, <c>, <x:c ...>.
_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,10}:)?c[\s>/]")


class TableTooBig(DataFileError):
    """The file is larger than Loa reads (or is built to explode when opened)."""


def _n(value: int) -> str:
    """12345 → "12.345" (Vietnamese thousands separator)."""
    return f"{value:,}".replace(",", ".")


def check_file_size(path: Path) -> int:
    """The file's size in bytes; ``TableTooBig`` above ``MAX_FILE_BYTES``."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise TableTooBig(f"Tệp lớn hơn {MAX_FILE_BYTES // MB} MB; hãy chia nhỏ tệp rồi gửi lại.")
    return size


def check_xlsx_archive(path: Path) -> int:
    """Refuse a zip bomb before any XML is parsed; return the worksheets' uncompressed size.

    The sizes in the zip directory are binding: Python's zipfile stops at the declared size
    and fails the CRC check if an entry inflates further, so a lying header cannot get past.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return 0  # not an archive: the reader reports that in its own words
    if len(entries) > MAX_XLSX_MEMBERS:
        raise TableTooBig(f"Tệp .xlsx có quá nhiều thành phần ({_n(len(entries))}); hãy lưu lại thành tệp mới.")
    total = sum(e.file_size for e in entries)
    if total > MAX_XLSX_UNCOMPRESSED:
        raise TableTooBig(
            f"Tệp .xlsx khi giải nén lớn hơn {MAX_XLSX_UNCOMPRESSED // MB} MB; hãy xóa phần thừa hoặc chia nhỏ tệp."
        )
    for entry in entries:
        if entry.file_size > RATIO_FLOOR and entry.file_size > MAX_XLSX_RATIO * max(entry.compress_size, 1):
            raise TableTooBig("Tệp .xlsx nén bất thường (có thể là tệp độc hại); Loa không mở tệp này.")
    sheets = [e for e in entries if e.filename.startswith("xl/worksheets/") and e.filename.endswith(".xml")]
    if _count_cells(path, sheets) > MAX_CELLS:
        raise TableTooBig(f"Tệp .xlsx có hơn {_n(MAX_CELLS)} ô dữ liệu; hãy xóa phần thừa hoặc chia nhỏ tệp.")
    return sum(e.file_size for e in sheets)


def _count_cells(path: Path, sheets: list[zipfile.ZipInfo]) -> int:
    """The number of cell elements in the worksheets, counted on the inflated bytes.

    The declared <dimension> can lie and openpyxl parses every cell of a row even when
    only the first columns are wanted, so the real count is taken first: inflating and
    scanning 100 MB at C speed takes a fraction of a second, parsing it takes minutes.
    """
    total = 0
    with zipfile.ZipFile(path) as archive:
        for entry in sheets:
            tail = b""
            with archive.open(entry) as stream:
                while chunk := stream.read(1024 * 1024):
                    data = tail + chunk
                    # A match is at most 16 bytes: those starting in the last 16 are left
                    # for the next round, which starts there.
                    cut = max(0, len(data) - 16)
                    total += sum(1 for m in _CELL.finditer(data) if m.start() < cut)
                    tail = data[cut:]
                    if total > MAX_CELLS:
                        return total
            total += len(_CELL.findall(tail))
    return total


def check_dimensions(rows: int | None, columns: int | None) -> None:
    """Refuse a sheet whose declared used range is beyond the caps."""
    if (rows or 0) > MAX_ROWS or (columns or 0) > MAX_COLUMNS:
        raise TableTooBig(
            f"Trang tính khai báo {_n(rows or 0)} dòng × {_n(columns or 0)} cột, vượt giới hạn"
            f" {_n(MAX_ROWS)} dòng × {MAX_COLUMNS} cột; hãy xóa các dòng, cột thừa rồi lưu lại."
        )


class RowGuard:
    """Counts rows as they stream and refuses past the row and field-length caps."""

    def __init__(self) -> None:
        self.rows = 0

    def take(self, cells: list[Any]) -> list[Any]:
        """``cells`` (cut to ``MAX_COLUMNS``) after counting it; ``TableTooBig`` past a cap."""
        self.rows += 1
        if self.rows > MAX_ROWS:
            raise TableTooBig(f"Tệp có hơn {_n(MAX_ROWS)} dòng; hãy chia nhỏ tệp rồi gửi lại.")
        for value in cells:
            if isinstance(value, str) and len(value) > MAX_FIELD_CHARS:
                raise TableTooBig(
                    f"Dòng {self.rows} có ô dài hơn {_n(MAX_FIELD_CHARS)} ký tự; hãy rút gọn nội dung ô đó."
                )
        return cells[:MAX_COLUMNS]


def guard_rows(rows: Iterable[list[Any]]) -> Iterator[list[Any]]:
    """``rows`` passed through a :class:`RowGuard` (for CSV readers)."""
    guard = RowGuard()
    for cells in rows:
        yield guard.take(cells)


def read_xlsx(path: Path, *, merged: bool = False) -> tuple[list[list[Any]], list[tuple[int, int, int, int]]]:
    """The first sheet's rows (raw cell values) and, when ``merged`` and the sheet is small,
    its merged ranges as (min_col, min_row, max_col, max_row).

    Raises ``TableTooBig`` for a bomb (checked before parsing) and ``DataFileError`` for a
    file that is not a readable workbook.
    """
    import openpyxl

    check_file_size(path)
    sheet_xml = check_xlsx_archive(path)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for a damaged file
        raise DataFileError(f"Không đọc được tệp .xlsx ({type(exc).__name__}).") from exc
    try:
        if not workbook.worksheets:
            raise DataFileError("Tệp .xlsx không có trang tính nào.")
        sheet = workbook.worksheets[0]
        # In read-only mode these come from the sheet's <dimension>, without parsing it.
        check_dimensions(sheet.max_row, sheet.max_column)
        guard = RowGuard()
        rows = [list(guard.take(list(r))) for r in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)]
    except TableTooBig:
        raise
    except DataFileError:
        raise
    except Exception as exc:  # noqa: BLE001 - damaged XML inside a valid archive
        raise DataFileError(f"Không đọc được tệp .xlsx ({type(exc).__name__}).") from exc
    finally:
        workbook.close()
    ranges: list[tuple[int, int, int, int]] = []
    if merged and sheet_xml <= FULL_LOAD_MAX_XML:
        ranges = _merged_ranges(path)
    return rows, ranges


def _merged_ranges(path: Path) -> list[tuple[int, int, int, int]]:
    """Merged ranges of the first sheet (full load: only called for small sheets)."""
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, data_only=True)
    except Exception:  # noqa: BLE001 - the read-only pass already read it; merged cells are a bonus
        return []
    try:
        sheet = workbook.worksheets[0]
        bounds = [m.bounds for m in sheet.merged_cells.ranges]
    finally:
        workbook.close()
    # Clamped to the caps, so a merged A1:XFD1048576 cannot make the fill-down explode.
    return [
        (c1, r1, min(c2, MAX_COLUMNS), min(r2, MAX_ROWS))
        for c1, r1, c2, r2 in bounds
        if c1 <= MAX_COLUMNS and r1 <= MAX_ROWS
    ]
