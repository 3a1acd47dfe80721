"""Correcting one screening session in place: the same checks as a schedule upload.

The form's values are checked as one row of a schedule file (``validate_table``), so a
date, a time or an end-before-start is judged exactly as an upload would judge it. The
commune, kind, targets and contact stay as they are; a changed name or address moves the
session to that site (created if new, without coordinates until a file gives them).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from bot.errors import LoaError
from bot.sites.model import COLUMNS
from bot.sites.validate import validate_table
from bot.store import Store
from bot.store.site_edits import get_session, update_session
from bot.tables import RawTable
from bot.units import unit_index

#: Form fields, named like the schedule file's columns.
FIELDS = ("ngay", "gio_bat_dau", "gio_ket_thuc", "ten_diem", "dia_chi", "ghi_chu")
MAX_FIELD = 1000  # longer than the validator's 500, so it reports the length instead of a cut


class SessionEditError(LoaError):
    """The form's values are not a valid session (``vi``: the reasons, for the officer)."""


@dataclass
class SessionEdit:
    """What an edit changed, as Vietnamese ``field: before → after`` lines (empty: nothing)."""

    session_id: int
    date: str  # the session's (new) date, YYYY-MM-DD
    changes: list[str] = field(default_factory=list)


def _dmy(iso: str) -> str:
    return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}" if len(iso) == 10 else iso


def form_values(session: dict[str, Any]) -> dict[str, str]:
    """A stored session as the edit form shows it (date as DD/MM/YYYY)."""
    return {
        "ngay": _dmy(str(session["date"])),
        "gio_bat_dau": str(session["start"]),
        "gio_ket_thuc": str(session["end"]),
        "ten_diem": str(session["name"] or ""),
        "dia_chi": str(session["address"] or ""),
        "ghi_chu": str(session["note"] or ""),
    }


def _changes(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    pairs = [
        ("ngày", _dmy(before["date"]), _dmy(after["date"])),
        ("giờ", f"{before['start']}–{before['end']}", f"{after['start']}–{after['end']}"),
        ("điểm khám", before["name"], after["name"]),
        ("địa chỉ", before["address"], after["address"]),
        ("ghi chú", before["note"] or "(trống)", after["note"] or "(trống)"),
    ]
    return [f"{what}: {old} → {new}" for what, old, new in pairs if old != new]


def edit_session(store: Store, session_id: int, values: dict[str, str]) -> SessionEdit:
    """Check ``values`` (the form, keyed by :data:`FIELDS`) like an uploaded row and save them.

    Raises ``SessionEditError`` (nothing written) with the reasons, or ``LoaError`` when the
    session no longer exists or would clash with another session of the same site.
    """
    current = get_session(store, session_id)
    if current is None:
        raise LoaError(f"no session with id {session_id}", vi="Không tìm thấy buổi khám này (có thể đã bị xóa).")
    row = {
        "don_vi": str(current["unit"]),
        "loai": str(current["kind"]),
        "doi_tuong": str(current["targets"] or ""),
        "lien_he": str(current["contact"] or ""),
        **{k: str(values.get(k) or "")[:MAX_FIELD].strip() for k in FIELDS},
    }
    table = RawTable(path="form", columns=list(COLUMNS), rows=[(1, row)])
    checked = validate_table(table, unit_index(store, str(current["province"])))
    if checked.problems:
        problem = checked.problems[0]
        shown = problem.shown
        raise SessionEditError(problem.reason, vi=shown[:1].upper() + shown[1:] + ".")
    rec = checked.records[0]
    if rec.site_key == current["site_key"]:
        rec = replace(rec, lat=current["lat"], lon=current["lon"])
    update_session(store, session_id, rec)
    after = {"date": rec.date, "start": rec.start, "end": rec.end, "name": rec.name, "address": rec.address,
             "note": rec.note}
    return SessionEdit(session_id, rec.date, _changes(current, after))
