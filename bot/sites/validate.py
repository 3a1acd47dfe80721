"""Checking schedule rows: every problem is reported with its line number and reason."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from bot.dates import NoSuchDay, NotADate, parse_day
from bot.sites.model import COLUMN_VI, KINDS, LAT_RANGE, LON_RANGE, REQUIRED, RowProblem
from bot.store.sites import SessionRecord
from bot.tables import EXTRA, SURPLUS, RawTable
from bot.text import fold, normalize
from bot.units import UnitIndex, UnitMatch, unit_label

MAX_TEXT = 500  # characters per cell: a longer one is a paste accident

_EXCEL_SERIAL = re.compile(r"^\d{5}(?:\.0+)?$")
_EXCEL_EPOCH = date(1899, 12, 30)
_TIME = re.compile(r"^(\d{1,2})\s*(?:[:hg.]\s*(\d{1,2})?)?\s*(?:p|phut)?(?::00)?$")
_DAY_FRACTION = re.compile(r"^0?\.\d+$")  # an Excel time cell without a time format
_KIND_WORDS = {
    "co_dinh": "co_dinh", "co dinh": "co_dinh", "fixed": "co_dinh", "tram": "co_dinh", "tai tram": "co_dinh",
    "luu_dong": "luu_dong", "luu dong": "luu_dong", "mobile": "luu_dong",
}


_COORD_VI = {"latitude (vi_do)": "vĩ độ", "longitude (kinh_do)": "kinh độ"}


_EXTRA_CELLS = (
    "more cells than columns (a comma inside an unquoted address?)",
    "nhiều ô hơn số cột (có dấu phẩy trong địa chỉ?)",
)


class CellError(ValueError):
    """A cell that cannot be read; the message is the reason (English, CLI) and ``vi`` the admin's."""

    def __init__(self, message: str, vi: str) -> None:
        super().__init__(message)
        self.vi = vi


def parse_date(text: str) -> date:
    """``"12/12/2026"`` (also 1/2/2026, 12-12-2026, 12.12.2026, 2026-12-12) → a date."""
    value = text.strip()
    if _EXCEL_SERIAL.match(value):
        # An Excel date cell without a date format arrives as its serial number.
        parsed = _EXCEL_EPOCH + timedelta(days=int(float(value)))
        if 2020 <= parsed.year <= 2100:
            return parsed
    try:
        parsed = parse_day(value)
    except NoSuchDay as exc:
        raise CellError(f"bad date '{text}' (no such day)", f"ngày «{text}» không có trên lịch") from exc
    except NotADate as exc:
        raise CellError(
            f"bad date '{text}' (write DD/MM/YYYY, e.g. 05/12/2026)",
            f"ngày «{text}» không đọc được (viết DD/MM/YYYY, ví dụ 05/12/2026)",
        ) from exc
    if not 2020 <= parsed.year <= 2100:
        raise CellError(f"bad date '{text}' (year out of range)", f"ngày «{text}»: năm không hợp lý")
    return parsed


@lru_cache(maxsize=4096)
def parse_time(text: str) -> str:
    """``"7:30"``, ``"07h30"``, ``"7h"``, ``"13.30"`` → ``"HH:MM"``."""
    value = fold(text.strip().lower())
    if _DAY_FRACTION.match(value):
        minutes = round(float(value) * 24 * 60)
        if minutes < 24 * 60:
            return f"{minutes // 60:02d}:{minutes % 60:02d}"
    m = _TIME.match(value)
    if not m:
        raise CellError(
            f"bad time '{text}' (write HH:MM, e.g. 07:30)", f"giờ «{text}» không đọc được (viết HH:MM, ví dụ 07:30)"
        )
    hour, minute = int(m.group(1)), int(m.group(2) or 0)
    if hour > 23 or minute > 59:
        raise CellError(f"bad time '{text}' (no such time)", f"giờ «{text}» không có")
    return f"{hour:02d}:{minute:02d}"


@lru_cache(maxsize=256)
def parse_kind(text: str) -> str:
    """``co_dinh`` / ``luu_dong`` (also "cố định", "lưu động", "Lưu Động"); empty → co_dinh."""
    value = fold(normalize(text)).replace("-", " ").strip()
    if not value:
        return "co_dinh"
    kind = _KIND_WORDS.get(value) or _KIND_WORDS.get(value.replace(" ", "_"))
    if kind is None:
        raise CellError(
            f"bad kind '{text}' (write {' or '.join(KINDS)})", f"loại «{text}» không rõ (viết «cố định» hoặc «lưu động»)"
        )
    return kind


def parse_coordinate(text: str, what: str) -> float:
    """A decimal degree; a decimal comma is accepted ("20,86")."""
    value = text.strip().replace(",", ".")
    try:
        number = float(value)
    except ValueError as exc:
        raise CellError(
            f"bad {what} '{text}' (write a decimal number, e.g. 20.8449)",
            f"{_COORD_VI.get(what, what)} «{text}» không đọc được (viết số thập phân, ví dụ 20.8449)",
        ) from exc
    if number != number or number in (float("inf"), float("-inf")):
        raise CellError(f"bad {what} '{text}'", f"{_COORD_VI.get(what, what)} «{text}» không dùng được")
    return number


def _clean(text: str) -> str:
    return " ".join((text or "").split())


@dataclass
class Validation:
    """The outcome of checking a table: records to write, problems, and notes."""

    records: list[SessionRecord] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    notes: list[RowProblem] = field(default_factory=list)  # accepted, but worth a look (typo fixed)
    rows: int = 0


def _unit_problem(written: str, match: UnitMatch, index: UnitIndex, other: UnitIndex | None) -> tuple[str, str]:
    if other is not None and not match.ambiguous:
        elsewhere = other.resolve(written)
        if elsewhere.unit is not None and elsewhere.how in ("exact", "folded", "alias"):
            province = elsewhere.unit["province"]
            return (
                f"commune '{written}' is in {province}, not this province (set LOA_PROVINCE or --province)",
                f"«{written}» thuộc {province}, không thuộc tỉnh/thành này",
            )
    if match.ambiguous:
        return (
            f"ambiguous commune '{written}': could be {' or '.join(match.candidates)} — write it with diacritics",
            f"«{written}» có thể là {' hoặc '.join(match.candidates)}: ghi tên có dấu",
        )
    suggestions = match.candidates or index.suggest(written)
    hint = f" — did you mean {', '.join(suggestions)}?" if suggestions else ""
    hint_vi = " Có phải " + " hay ".join(f'"{s}"' for s in suggestions) + "?" if suggestions else ""
    return f"unknown commune '{written}'{hint}", f'Không có xã/phường "{written}".{hint_vi}'


Reasons = list[tuple[str, str]]  # (English for the CLI, Vietnamese for the admin)


@dataclass
class _Cells:
    """The parsed cells of one row (None where missing or unreadable)."""

    day: date | None = None
    start: str | None = None
    end: str | None = None
    kind: str = "co_dinh"
    lat: float | None = None
    lon: float | None = None


def validate_table(table: RawTable, index: UnitIndex, *, other: UnitIndex | None = None) -> Validation:
    """Check every row of ``table`` against the units in ``index``; nothing is written.

    ``other`` (every province) only improves the message for a commune of another province.
    """
    result = Validation(rows=len(table.rows))
    unit_cache: dict[str, UnitMatch] = {}
    seen: dict[tuple[int, str, str, str, str], int] = {}
    for line, row in table.rows:
        reasons = _shape_problems(row)
        unit = _row_unit(line, row, index, other, unit_cache, reasons, result.notes)
        cells = _parse_cells(row, reasons)
        if reasons and row.get(SURPLUS) and not row.get(EXTRA):
            reasons.append(_EXTRA_CELLS)
        if reasons:
            result.problems.append(
                RowProblem(line, "; ".join(en for en, _ in reasons), "; ".join(vi for _, vi in reasons))
            )
            continue
        assert unit is not None
        record = _record(row, unit, cells)
        key = (record.unit_id, record.kind, record.site_key, record.date, record.start)
        if key in seen:
            result.problems.append(
                RowProblem(
                    line,
                    f"same site, date and start time as line {seen[key]}",
                    f"trùng điểm, ngày và giờ bắt đầu với dòng {seen[key]}",
                )
            )
            continue
        seen[key] = line
        result.records.append(record)
    return result


def _shape_problems(row: dict[str, str]) -> Reasons:
    """Surplus cells, missing required cells, cells too long to be real."""
    reasons: Reasons = []
    if row.get(EXTRA):
        reasons.append(_EXTRA_CELLS)
    for column in REQUIRED:
        if not row.get(column):
            reasons.append((f"missing {column}", f"thiếu {COLUMN_VI.get(column, column)}"))
    for column, value in row.items():
        if column not in (EXTRA, SURPLUS) and len(value) > MAX_TEXT:
            reasons.append(
                (
                    f"{column} is longer than {MAX_TEXT} characters",
                    f"{COLUMN_VI.get(column, column)} dài quá {MAX_TEXT} ký tự",
                )
            )
    return reasons


def _row_unit(
    line: int,
    row: dict[str, str],
    index: UnitIndex,
    other: UnitIndex | None,
    cache: dict[str, UnitMatch],
    reasons: Reasons,
    notes: list[RowProblem],
) -> dict[str, Any] | None:
    """The row's commune (a typo fixed is noted; an unknown one is a reason)."""
    written = _clean(row.get("don_vi", ""))
    if not written:
        return None
    match = cache.get(written)
    if match is None:
        match = cache[written] = index.resolve(written)
    if match.unit is None:
        reasons.append(_unit_problem(written, match, index, other))
        return None
    if match.how == "fuzzy":
        label = unit_label(match.unit)
        notes.append(RowProblem(line, f"'{written}' read as {label}", f"«{written}» hiểu là {label}"))
    return match.unit


def _parse_cells(row: dict[str, str], reasons: Reasons) -> _Cells:
    """Date, times, kind and coordinates of a row; each unreadable cell adds a reason."""
    cells = _Cells()
    try:
        if row.get("ngay"):
            cells.day = parse_date(row["ngay"])
    except CellError as exc:
        reasons.append((str(exc), exc.vi))
    cells.start, cells.end = _times(row, reasons)
    try:
        cells.kind = parse_kind(row.get("loai", ""))
    except CellError as exc:
        reasons.append((str(exc), exc.vi))
    cells.lat, cells.lon = _coordinates(row, reasons)
    return cells


def _times(row: dict[str, str], reasons: Reasons) -> tuple[str | None, str | None]:
    times: dict[str, str | None] = {"gio_bat_dau": None, "gio_ket_thuc": None}
    for column in times:
        try:
            if row.get(column):
                times[column] = parse_time(row[column])
        except CellError as exc:
            reasons.append((f"{column}: {exc}", f"{COLUMN_VI[column]}: {exc.vi}"))
    start, end = times["gio_bat_dau"], times["gio_ket_thuc"]
    if start and end and end <= start:
        reasons.append((f"end {end} is not after start {start}", f"giờ kết thúc {end} không sau giờ bắt đầu {start}"))
    return start, end


def _coordinates(row: dict[str, str], reasons: Reasons) -> tuple[float | None, float | None]:
    lat_text, lon_text = row.get("vi_do", ""), row.get("kinh_do", "")
    if not (lat_text or lon_text):
        return None, None
    if not (lat_text and lon_text):
        reasons.append(("give both vi_do and kinh_do, or neither", "ghi cả vĩ độ và kinh độ, hoặc bỏ trống cả hai"))
        return None, None
    try:
        lat = parse_coordinate(lat_text, "latitude (vi_do)")
        lon = parse_coordinate(lon_text, "longitude (kinh_do)")
    except CellError as exc:
        reasons.append((str(exc), exc.vi))
        return None, None
    reasons.extend(_coordinate_problems(lat, lon))
    return lat, lon


def _record(row: dict[str, str], unit: dict[str, Any], cells: _Cells) -> SessionRecord:
    """The session a valid row describes."""
    assert cells.day is not None and cells.start is not None and cells.end is not None
    name = _clean(row["ten_diem"])
    address = _clean(row["dia_chi"])
    targets = "; ".join(t for t in (_clean(p) for p in row.get("doi_tuong", "").split(";")) if t)
    return SessionRecord(
        unit_id=int(unit["id"]),
        province=unit["province"],
        unit=unit["name"],
        kind=cells.kind,
        name=name,
        address=address,
        site_key=_site_key(name, address),
        lat=cells.lat,
        lon=cells.lon,
        date=cells.day.isoformat(),
        start=cells.start,
        end=cells.end,
        targets=targets,
        contact=_clean(row.get("lien_he", "")),
        note=_clean(row.get("ghi_chu", "")),
    )


_PUNCT = re.compile(r"[^\w]+")


def plain_key(text: str) -> str:
    """Lower case, no diacritics, punctuation as spaces, spaces collapsed (fast; for keys)."""
    return " ".join(_PUNCT.sub(" ", fold(text.lower())).split())


@lru_cache(maxsize=8192)
def _site_key(name: str, address: str) -> str:
    """Identity of a site across re-imports: name and address, folded (case, tones, spacing)."""
    return f"{plain_key(name)}|{plain_key(address)}"


def _coordinate_problems(lat: float, lon: float) -> list[tuple[str, str]]:
    lat_ok = LAT_RANGE[0] <= lat <= LAT_RANGE[1]
    lon_ok = LON_RANGE[0] <= lon <= LON_RANGE[1]
    if lat_ok and lon_ok:
        return []
    if LAT_RANGE[0] <= lon <= LAT_RANGE[1] and LON_RANGE[0] <= lat <= LON_RANGE[1]:
        return [
            (
                f"lat/lon {lat}, {lon} is outside Vietnam (vi_do and kinh_do look swapped)",
                f"tọa độ {lat}, {lon} nằm ngoài Việt Nam (có lẽ vĩ độ và kinh độ bị đảo)",
            )
        ]
    return [(f"lat/lon {lat}, {lon} is outside Vietnam", f"tọa độ {lat}, {lon} nằm ngoài Việt Nam")]
