"""Recording offline activities: validation of one entry (CLI) or a whole file (CSV / XLSX)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.errors import DataFileError, LoaError
from bot.reports.labels import ACTIVITY_KINDS
from bot.reports.periods import PeriodError, parse_date
from bot.store import Store
from bot.store import activities as store_activities
from bot.tablefile import check_file_size, guard_rows, read_xlsx
from bot.text import fold
from bot.units import resolve_unit

MAX_ERRORS_SHOWN = 10

#: Accepted column names (folded) for each field in an import file.
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "kind": ("kind", "loai", "hinh thuc", "loai hoat dong"),
    "unit": ("unit", "xa", "xa phuong", "don vi", "dia ban"),
    "date": ("date", "ngay"),
    "count": ("count", "so luong", "so"),
    "participants": ("participants", "so nguoi", "nguoi tham du", "so nguoi tham du"),
    "note": ("note", "ghi chu", "noi dung"),
}


#: Field names of an activity as officers read them.
FIELD_LABELS = {"count": "Số buổi", "participants": "Số người tham dự"}
COLUMN_VI = {"kind": "loại hoạt động", "date": "ngày"}


class ActivityError(LoaError):
    """An activity entry is invalid (unknown kind or unit, bad date or number)."""


@dataclass(frozen=True)
class UnitChoice:
    """A resolved admin unit: its name (as stored in events) and type (xã / phường / đặc khu)."""

    name: str
    unit_type: str


def resolve_report_unit(store: Store, settings: Settings, text: str) -> UnitChoice:
    """The unit an officer typed, in the configured province, or a clear error with suggestions."""
    match = resolve_unit(store, text, settings.province)
    if match.unit:
        return UnitChoice(match.unit["name"], match.unit["unit_type"])
    # Older resolvers have no ``how``: candidates then always mean "ambiguous".
    how = getattr(match, "how", "ambiguous" if match.candidates else "unknown")
    if how == "ambiguous" and match.candidates:
        raise ActivityError(
            f"unit {text!r} is ambiguous: {', '.join(match.candidates)}",
            vi=f"«{text}» có thể là nhiều nơi: {', '.join(match.candidates)}. Ghi rõ tên có dấu.",
        )
    hint = list(match.candidates) or _suggest(store, settings, text)
    raise ActivityError(
        f"unknown unit {text!r} in {settings.province}" + (f"; did you mean {', '.join(hint)}?" if hint else ""),
        vi=f'Không có xã/phường "{text}" ở {settings.province}.'
        + (" Có phải " + " hay ".join(f'"{h}"' for h in hint) + "?" if hint else ""),
    )


def _suggest(store: Store, settings: Settings, text: str) -> list[str]:
    from rapidfuzz import fuzz, process

    from bot.store.units import list_units

    units = list_units(store, settings.province)
    names = {u["name_folded"]: u["name"] for u in units}
    hits = process.extract(fold(text.lower()), list(names), scorer=fuzz.WRatio, limit=3, score_cutoff=70)
    return [names[h[0]] for h in hits]


def parse_kind(text: str) -> str:
    """An activity kind code from the code itself or its Vietnamese name (any tones/case)."""
    key = fold((text or "").strip().lower()).replace(" ", "_").replace("-", "_")
    if key in ACTIVITY_KINDS:
        return key
    for code, label in ACTIVITY_KINDS.items():
        if fold(label.lower()).replace(" ", "_").startswith(key) and key:
            return code
    raise ActivityError(
        f"unknown activity kind {text!r}; use one of: {', '.join(ACTIVITY_KINDS)}",
        vi=f"Không có loại hoạt động «{text}». Chọn: {', '.join(ACTIVITY_KINDS.values())}.",
    )


def _int(value: Any, field: str, *, minimum: int) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = (
            int(float(str(value).strip().replace(".", "").replace(",", "")))
            if isinstance(value, str)
            else int(value)
        )
    except (TypeError, ValueError) as exc:
        raise ActivityError(
            f"{field} must be a whole number, got {value!r}",
            vi=f"{FIELD_LABELS.get(field, field)} phải là số nguyên (đã nhập «{value}»).",
        ) from exc
    if number < minimum:
        raise ActivityError(
            f"{field} must be at least {minimum}, got {number}",
            vi=f"{FIELD_LABELS.get(field, field)} phải từ {minimum} trở lên (đã nhập {number}).",
        )
    return number


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return parse_date(str(value or ""))
    except PeriodError as exc:
        raise ActivityError(str(exc), vi=exc.vi) from exc


def validate_activity(
    store: Store,
    settings: Settings,
    *,
    kind: Any,
    unit: Any,
    date_value: Any,
    count: Any = None,
    participants: Any = None,
    note: Any = None,
    today: date | None = None,
) -> dict[str, Any]:
    """A clean activity row ready for the store, or :class:`ActivityError`."""
    when = _date(date_value)
    if today and when > today:
        raise ActivityError(
            f"date {when:%d/%m/%Y} is in the future",
            vi=f"Ngày {when:%d/%m/%Y} chưa tới: chỉ ghi hoạt động đã diễn ra (hôm nay hoặc trước đó).",
        )
    unit_text = str(unit or "").strip()
    return {
        "kind": parse_kind(str(kind or "")),
        "unit": resolve_report_unit(store, settings, unit_text).name if unit_text else "",
        "date": when.isoformat(),
        "count": _int(count, "count", minimum=1) or 1,
        "participants": _int(participants, "participants", minimum=0),
        "note": " ".join(str(note or "").split())[:500],
    }


def add_activity(
    store: Store, settings: Settings, *, source: str = "cli", today: date | None = None, **fields: Any
) -> int:
    """Validate and record one activity; return its id."""
    row = validate_activity(store, settings, today=today, **fields)
    return store_activities.add_activity(store, source=source, **row)


def read_rows(path: Path) -> list[dict[str, Any]]:
    """The rows of a CSV (UTF-8) or XLSX file as dicts keyed by the canonical field names."""
    if not path.exists():
        raise DataFileError(f"file not found: {path}")
    suffix = path.suffix.lower()
    raw_rows: list[list[Any]]
    if suffix == ".csv":
        check_file_size(path)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            raise DataFileError(
                f"{path}: not UTF-8 text (save the CSV as UTF-8)", vi="Tệp không phải UTF-8: lưu lại CSV dạng UTF-8."
            ) from exc
        try:
            raw_rows = list(guard_rows(csv.reader(io.StringIO(text))))
        except csv.Error as exc:
            raise DataFileError(f"{path}: unreadable CSV ({exc})", vi="Không đọc được tệp CSV.") from exc
    elif suffix in (".xlsx", ".xlsm"):
        raw_rows, _merged = read_xlsx(path)
    else:
        raise DataFileError(f"{path}: use a .csv or .xlsx file", vi="Chỉ nhận tệp .csv hoặc .xlsx.")
    if not raw_rows:
        raise DataFileError(f"{path}: the file is empty", vi="Tệp trống.")
    # "Xã, phường", "so_nguoi", "Số người": compare folded words only.
    header = [
        " ".join(fold(str(h or "").lower()).replace("_", " ").replace(",", " ").split()) for h in raw_rows[0]
    ]
    mapping: dict[int, str] = {}
    for i, h in enumerate(header):
        for field_name, aliases in COLUMN_ALIASES.items():
            if h in aliases:
                mapping[i] = field_name
    missing = [f for f in ("kind", "date") if f not in mapping.values()]
    if missing:
        raise DataFileError(
            f"{path}: missing columns {', '.join(missing)} (expected kind, unit, date, count, participants, note)",
            vi="Tệp thiếu cột "
            + ", ".join(COLUMN_VI[m] for m in missing)
            + ". Các cột: loại hoạt động, xã/phường, ngày, số buổi, số người, ghi chú.",
        )
    rows: list[dict[str, Any]] = []
    for values in raw_rows[1:]:
        if all(v is None or str(v).strip() == "" for v in values):
            rows.append({})
            continue
        rows.append({mapping[i]: v for i, v in enumerate(values) if i in mapping})
    return rows


def import_activities(store: Store, settings: Settings, path: Path, *, today: date | None = None) -> int:
    """Validate every row of ``path`` and record them all, or none: errors list line numbers."""
    rows = read_rows(path)
    clean, errors = [], []
    for line, row in enumerate(rows, start=2):
        if not row:
            continue
        try:
            clean.append(
                validate_activity(
                    store,
                    settings,
                    kind=row.get("kind"),
                    unit=row.get("unit"),
                    date_value=row.get("date"),
                    count=row.get("count"),
                    participants=row.get("participants"),
                    note=row.get("note"),
                    today=today,
                )
            )
        except ActivityError as exc:
            errors.append((f"line {line}: {exc}", f"dòng {line}: {exc.vi}"))
    if errors:
        shown = "; ".join(en for en, _ in errors[:MAX_ERRORS_SHOWN])
        shown_vi = "; ".join(vi for _, vi in errors[:MAX_ERRORS_SHOWN])
        extra = len(errors) - MAX_ERRORS_SHOWN
        raise DataFileError(
            f"{path.name}: {len(errors)} invalid row(s), nothing imported: {shown}"
            + (f" (and {extra} more)" if extra > 0 else ""),
            vi=f"{len(errors)} dòng có lỗi, chưa nhập gì: {shown_vi}" + (f" (và {extra} dòng khác)." if extra > 0 else "."),
        )
    if not clean:
        raise DataFileError(f"{path.name}: no activity rows", vi="Tệp không có dòng hoạt động nào.")
    for row in clean:
        row["source"] = "import"
    return store_activities.add_activities(store, clean)
