"""Recording offline activities: validation of one entry (CLI) or a whole file (CSV / XLSX)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, field_validator

from bot.config import Settings
from bot.errors import DataFileError, LoaError
from bot.reports.labels import ACTIVITY_KINDS
from bot.reports.periods import PeriodError, parse_date
from bot.store import Store
from bot.store import activities as store_activities
from bot.tables import Columns, read_table, typed_rows
from bot.text import fold
from bot.units import resolve_unit

MAX_ERRORS_SHOWN = 10

#: The import file's columns: canonical names and other spellings (header_key form).
ACTIVITY_COLUMNS = Columns(
    known=("kind", "unit", "date", "count", "participants", "note"),
    required=("kind", "date"),
    synonyms={
        "loai": "kind", "hinh_thuc": "kind", "loai_hoat_dong": "kind",
        "xa": "unit", "xa_phuong": "unit", "don_vi": "unit", "dia_ban": "unit",
        "ngay": "date",
        "so_luong": "count", "so": "count", "so_buoi": "count",
        "so_nguoi": "participants", "nguoi_tham_du": "participants", "so_nguoi_tham_du": "participants",
        "ghi_chu": "note", "noi_dung": "note",
    },
    labels={
        "kind": "loại hoạt động", "unit": "xã/phường", "date": "ngày", "count": "số buổi",
        "participants": "số người", "note": "ghi chú",
    },
)

#: A date and time as a workbook's date-time cell reads ("20/10/2026 08:00"): the day counts.
_CELL_DATETIME = re.compile(r"^(\d{2}/\d{2}/\d{4}) \d{2}:\d{2}$")


class ActivityRow(BaseModel):
    """One row of an activities file, as text; ``validate_activity`` checks the values."""

    kind: str = ""
    unit: str = ""
    date: str = ""
    count: str = ""
    participants: str = ""
    note: str = ""

    @field_validator("date")
    @classmethod
    def _day_of_datetime(cls, value: str) -> str:
        m = _CELL_DATETIME.match(value)
        return m.group(1) if m else value


#: Field names of an activity as officers read them.
FIELD_LABELS = {"count": "Số buổi", "participants": "Số người tham dự"}


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


def read_rows(path: Path) -> list[tuple[int, ActivityRow]]:
    """The rows of a CSV (UTF-8) or XLSX file with their line numbers (shared table reader)."""
    if not path.exists():
        raise DataFileError(f"file not found: {path}")
    if path.suffix.lower() not in (".csv", ".xlsx", ".xlsm"):
        raise DataFileError(f"{path}: use a .csv or .xlsx file", vi="Chỉ nhận tệp .csv hoặc .xlsx.")
    rows, refused = typed_rows(read_table(path, ACTIVITY_COLUMNS), ActivityRow)
    if refused:  # every field is text: only a broken model gets here
        line, reason = refused[0]
        raise DataFileError(f"{path}: line {line}: {reason}", vi=f"Dòng {line}: không đọc được.")
    return rows


def import_activities(store: Store, settings: Settings, path: Path, *, today: date | None = None) -> int:
    """Validate every row of ``path`` and record them all, or none: errors list line numbers."""
    clean: list[dict[str, Any]] = []
    errors: list[tuple[str, str]] = []
    for line, row in read_rows(path):
        try:
            clean.append(
                validate_activity(
                    store,
                    settings,
                    kind=row.kind,
                    unit=row.unit,
                    date_value=row.date,
                    count=row.count,
                    participants=row.participants,
                    note=row.note,
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
    for record in clean:
        record["source"] = "import"
    return store_activities.add_activities(store, clean)
