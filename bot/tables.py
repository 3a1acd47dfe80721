"""The one reader of officers' tables (CSV or .xlsx) for every import: sites, rates,
activities, chats.

A file becomes a :class:`RawTable`: rows of canonical column → text, each with its line
number. Officers export from Excel, LibreOffice or Google Sheets, so this accepts: a UTF-8
BOM, UTF-16 text with a BOM, comma / semicolon / tab delimiters, headers with or without
diacritics in any order (synonyms per import, extra columns ignored), title rows, blank
lines and ``#`` comment lines before the header, merged cells (filled down). Sizes are
bounded and bombs refused before parsing (``bot/tablefile.py``); workbooks are read with
cached values only, so a formula is never evaluated or passed on as text.

:func:`typed_rows` then validates each row into the import's pydantic model; a row that
does not fit gives its line number and a one-line reason.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from bot.errors import DataFileError
from bot.tablefile import RowGuard, check_file_size, read_xlsx
from bot.text import fold, nfc

HEADER_SEARCH_ROWS = 15  # rows searched for the header (title rows may come first)
EXTRA = "__extra__"  # key holding surplus non-empty cells of a row longer than the header
SURPLUS = "__surplus__"  # number of cells beyond the header (even empty ones)

_NON_WORD = re.compile(r"[^a-z0-9]+")

Lines = Iterable[tuple[int, list[str]]]
Model = TypeVar("Model", bound=BaseModel)


@dataclass
class RawTable:
    """A file read into rows of canonical column → text, each with its line number."""

    path: str
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]
    ignored_columns: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Columns:
    """What one import expects: canonical names, the required ones, other spellings,
    and the names officers read in messages (``labels``; the canonical name if absent)."""

    known: tuple[str, ...]
    required: tuple[str, ...]
    synonyms: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)

    def label(self, name: str) -> str:
        """The column's name as officers read it."""
        return self.labels.get(name, name)


def header_key(header: str) -> str:
    """``"Giờ bắt đầu"`` → ``"gio_bat_dau"``; ``"Đơn vị (xã/phường)"`` → ``"don_vi_xa_phuong"``."""
    folded = fold(nfc(header or "").strip().lower())
    return _NON_WORD.sub("_", folded).strip("_")


def _canonical(header: str, columns: Columns) -> str | None:
    key = header_key(header)
    if key in columns.known:
        return key
    if key in columns.synonyms:
        return columns.synonyms[key]
    # "don_vi_xa_phuong_dac_khu", "ngay_dd_mm_yyyy": a known name followed by a hint.
    for name in sorted(columns.known, key=len, reverse=True):
        if key.startswith(name + "_"):
            return name
    return None


def read_table(path: Path, columns: Columns) -> RawTable:
    """Read ``path`` (.csv/.tsv/.txt or .xlsx) into a :class:`RawTable`.

    Raises ``DataFileError`` for a missing, empty, undecodable or malformed file, a
    duplicate column or missing required columns. Row problems are left to the import.
    """
    path = Path(path)
    if not path.exists():
        raise DataFileError(f"file not found: {path}")
    if path.is_dir():
        raise DataFileError(f"{path} is a folder, not a file")
    if check_file_size(path) == 0:
        raise DataFileError(f"{path}: the file is empty", vi="Tệp trống.")
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise DataFileError(
            f"{path}: old Excel .xls files are not supported; save it as .xlsx or CSV UTF-8",
            vi="Tệp Excel .xls đời cũ không đọc được: lưu lại thành .xlsx hoặc CSV UTF-8.",
        )
    with path.open("rb") as fh:
        magic = fh.read(4)
    is_xlsx = suffix in (".xlsx", ".xlsm") or magic == b"PK\x03\x04"
    lines = _xlsx_lines(path) if is_xlsx else _csv_lines(path)
    return _to_table(str(path), lines, columns)


def typed_rows(table: RawTable, model: type[Model]) -> tuple[list[tuple[int, Model]], list[tuple[int, str]]]:
    """Each row of ``table`` validated into ``model``: (line, row) pairs and (line, reason) refusals.

    The reason is the validator's own message (a field validator's ``ValueError`` text), or
    "column: what pydantic says" for a type error.
    """
    good: list[tuple[int, Model]] = []
    bad: list[tuple[int, str]] = []
    for line, row in table.rows:
        try:
            good.append((line, model.model_validate(row)))
        except ValidationError as exc:
            bad.append((line, _reason(exc)))
    return good, bad


def _reason(exc: ValidationError) -> str:
    first = exc.errors()[0]
    error = (first.get("ctx") or {}).get("error")
    if isinstance(error, ValueError):
        return str(error)
    where = ".".join(str(part) for part in first["loc"])
    return f"{where}: {first['msg']}" if where else str(first["msg"])


# --- CSV -------------------------------------------------------------------------------------
def _decode(path: Path) -> str:
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise DataFileError(f"{path}: broken UTF-16 text", vi="Tệp văn bản bị hỏng.") from exc
    if b"\x00" in data:
        raise DataFileError(
            f"{path}: this is not a text (CSV) file; use .csv (UTF-8) or .xlsx",
            vi="Đây không phải tệp CSV: dùng .csv (UTF-8) hoặc .xlsx.",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataFileError(
            f"{path}: not UTF-8 text (first bad byte on line {line}); in Excel use Save As → 'CSV UTF-8'",
            vi=f"Tệp không phải UTF-8 (lỗi ở dòng {line}): trong Excel chọn Lưu thành → «CSV UTF-8».",
        ) from exc


def _csv_lines(path: Path) -> Iterator[tuple[int, list[str]]]:
    # NFC and control-character clean-up once for the whole text (keeps \t \r \n).
    text = nfc(_decode(path))
    if not text.strip():
        raise DataFileError(f"{path}: the file is empty", vi="Tệp trống.")
    raw_lines = text.splitlines(keepends=True)
    # Skip comment and blank lines before the header, remembering how many.
    skipped = 0
    while skipped < len(raw_lines) and (not raw_lines[skipped].strip() or raw_lines[skipped].lstrip().startswith("#")):
        skipped += 1
    if skipped == len(raw_lines):
        raise DataFileError(
            f"{path}: no header line (only comments or blank lines)", vi="Tệp không có dòng tiêu đề cột."
        )
    header_line = raw_lines[skipped]
    delimiter = max((",", ";", "\t"), key=header_line.count)
    body = "".join(raw_lines[skipped:])
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=delimiter, strict=False)
    guard = RowGuard()
    line_no = skipped + 1
    try:
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            yield line_no, guard.take(cells)
            line_no = skipped + reader.line_num + 1
    except csv.Error as exc:
        raise DataFileError(
            f"{path}: line {skipped + reader.line_num}: unreadable CSV ({exc})",
            vi=f"Dòng {skipped + reader.line_num}: không đọc được CSV.",
        ) from exc


# --- XLSX ------------------------------------------------------------------------------------
def cell_text(value: object) -> str:
    """An Excel cell as the text an officer would have typed."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.strftime("%d/%m/%Y")
        if value.date() == date(1899, 12, 30) or value.year < 1900:
            return value.strftime("%H:%M")
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def _xlsx_lines(path: Path) -> Iterator[tuple[int, list[str]]]:
    # Bounded (bot.tablefile): bombs are refused before parsing. Small sheets also get
    # their merged cells (a commune or date written once for several rows, as officers
    # often do) filled down.
    values, merged = read_xlsx(path, merged=True)
    rows = [(i, [cell_text(v) for v in row]) for i, row in enumerate(values, start=1)]
    _fill_merged(rows, merged)
    if not any(any(c.strip() for c in cells) for _, cells in rows):
        raise DataFileError(f"{path}: the first sheet is empty", vi="Trang tính đầu tiên trống.")
    yield from rows


def _fill_merged(rows: list[tuple[int, list[str]]], merged: list[tuple[int, int, int, int]]) -> None:
    """Copy each merged range's top-left value into every cell of the range."""
    for min_col, min_row, max_col, max_row in merged:
        if min_row > len(rows):
            continue
        top = rows[min_row - 1][1]
        value = top[min_col - 1] if min_col - 1 < len(top) else ""
        for r in range(min_row, min(max_row, len(rows)) + 1):
            cells = rows[r - 1][1]
            while len(cells) < max_col:
                cells.append("")
            for c in range(min_col, max_col + 1):
                if (r, c) != (min_row, min_col):
                    cells[c - 1] = value


# --- header and rows ---------------------------------------------------------------------------
def _to_table(path: str, lines: Lines, columns: Columns) -> RawTable:
    it = iter(lines)
    header, header_line = _find_header(path, it, columns)
    mapping, ignored = _column_mapping(path, header, header_line, columns)
    return RawTable(path=path, columns=[c for c in mapping if c], rows=_mapped_rows(it, mapping), ignored_columns=ignored)


def _names(cells: list[str], columns: Columns) -> set[str | None]:
    return {_canonical(nfc(c).strip(), columns) for c in cells if nfc(c).strip()}


def _find_header(path: str, it: Iterator[tuple[int, list[str]]], columns: Columns) -> tuple[list[str], int]:
    """The header row and its line: the first row naming the required columns.

    Title rows above it (a merged "LỊCH KHÁM ..." line in Excel) are skipped; only the
    first ``HEADER_SEARCH_ROWS`` rows are searched.
    """
    first: tuple[int, list[str]] | None = None
    for scanned, (line_no, cells) in enumerate(it):
        if not any(nfc(c).strip() for c in cells) or nfc(cells[0]).strip().startswith("#"):
            continue
        if first is None:
            first = (line_no, cells)
        if all(r in _names(cells, columns) for r in columns.required):
            return cells, line_no
        if scanned >= HEADER_SEARCH_ROWS:
            break
    if first is None:
        raise DataFileError(f"{path}: the file is empty", vi="Tệp trống.")
    line_no, cells = first
    found = ", ".join(nfc(c).strip() for c in cells if nfc(c).strip()) or "(none)"
    missing = [c for c in columns.required if c not in _names(cells, columns)]
    raise DataFileError(
        f"{path}: line {line_no}: missing columns {', '.join(missing)} (found: {found})."
        f" Expected headers: {', '.join(columns.known)}",
        vi=f"Dòng {line_no}: thiếu cột {', '.join(columns.label(m) for m in missing)} (tệp có: {found})."
        f" Các cột cần có: {', '.join(columns.label(k) for k in columns.known)}.",
    )


def _column_mapping(
    path: str, header: list[str], header_line: int, columns: Columns
) -> tuple[list[str | None], list[str]]:
    """Canonical name per header cell (None = ignored) and the ignored headers' texts."""
    mapping: list[str | None] = []
    seen: dict[str, str] = {}
    ignored: list[str] = []
    for cell in header:
        text = nfc(cell).strip()
        name = _canonical(text, columns) if text else None
        if name and name in seen:
            raise DataFileError(
                f"{path}: line {header_line}: columns '{seen[name]}' and '{text}' both mean {name}",
                vi=f"Dòng {header_line}: hai cột «{seen[name]}» và «{text}» cùng nghĩa {columns.label(name)}.",
            )
        if name:
            seen[name] = text
        elif text:
            ignored.append(text)
        mapping.append(name)
    return mapping, ignored


def _mapped_rows(it: Iterator[tuple[int, list[str]]], mapping: list[str | None]) -> list[tuple[int, dict[str, str]]]:
    """The non-blank rows after the header as canonical column → trimmed NFC text."""
    rows: list[tuple[int, dict[str, str]]] = []
    for line_no, cells in it:
        values = [c.strip() if c.isascii() or c == nfc(c) else nfc(c).strip() for c in cells]
        if not any(values):
            continue
        row: dict[str, str] = {}
        for i, value in enumerate(values):
            if i < len(mapping):
                name = mapping[i]
                if name:
                    row[name] = value
            elif value:
                row[EXTRA] = row.get(EXTRA, "") + ("|" if EXTRA in row else "") + value
        if len(values) > len(mapping):
            row[SURPLUS] = str(len(values) - len(mapping))
        rows.append((line_no, row))
    return rows
