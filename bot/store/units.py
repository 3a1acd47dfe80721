"""Administrative units (xã / phường / đặc khu) and their health-book integration rates."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from bot.errors import DataFileError
from bot.store.db import Store
from bot.text import fold

REQUIRED_COLUMNS = ("province", "unit_type", "name")


def load_admin_units(store: Store, path: Path) -> int:
    """Load (or refresh) admin units from the CSV at ``path``; return the number of rows.

    Existing units are updated in place, so re-loading is safe and keeps ids stable.
    """
    if not path.exists():
        raise DataFileError(f"admin units file not found: {path}")
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise DataFileError(f"{path}: missing columns {', '.join(missing)}")
            rows = list(reader)
    except UnicodeDecodeError as exc:
        raise DataFileError(f"{path}: not UTF-8 text") from exc
    with store.transaction() as conn:
        for line, row in enumerate(rows, start=2):
            name = (row.get("name") or "").strip()
            if not name:
                raise DataFileError(f"{path}:{line}: empty unit name")
            rate_text = (row.get("health_book_rate_pct") or "").strip()
            try:
                rate = float(rate_text) if rate_text else None
            except ValueError as exc:
                raise DataFileError(f"{path}:{line}: bad rate {rate_text!r}") from exc
            conn.execute(
                "INSERT INTO admin_units (province, unit_type, name, name_folded, former_province, health_book_rate_pct)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(province, name) DO UPDATE SET unit_type = excluded.unit_type,"
                " name_folded = excluded.name_folded, former_province = excluded.former_province,"
                " health_book_rate_pct = COALESCE(excluded.health_book_rate_pct, admin_units.health_book_rate_pct)",
                (
                    row["province"].strip(),
                    row["unit_type"].strip(),
                    name,
                    fold(name.lower()),
                    (row.get("former_province") or "").strip(),
                    rate,
                ),
            )
    return len(rows)


def list_units(store: Store, province: str | None = None) -> list[dict[str, Any]]:
    """All units (of one province if given), ordered by name."""
    if province:
        rows = store.db.query("SELECT * FROM admin_units WHERE province = ? ORDER BY name", [province])
    else:
        rows = store.db.query("SELECT * FROM admin_units ORDER BY province, name")
    return [dict(r) for r in rows]


def count_units(store: Store) -> int:
    """Number of admin units loaded."""
    return int(store.conn.execute("SELECT count(*) FROM admin_units").fetchone()[0])


def units_signature(store: Store) -> tuple[int, int, float]:
    """(count, max id, sum of rates) of the admin units: a cheap cache key that changes when
    units are added or their rates re-imported."""
    row = store.conn.execute(
        "SELECT count(*), coalesce(max(id), 0), total(health_book_rate_pct) FROM admin_units"
    ).fetchone()
    return int(row[0]), int(row[1]), float(row[2])


def get_unit(store: Store, unit_id: int) -> dict[str, Any] | None:
    """One admin unit row by id."""
    rows = list(store.db.query("SELECT * FROM admin_units WHERE id = ?", [unit_id]))
    return dict(rows[0]) if rows else None


def set_unit_rate(store: Store, unit_id: int, rate_pct: float) -> None:
    """Set one unit's health-book integration rate (percent)."""
    store.conn.execute("UPDATE admin_units SET health_book_rate_pct = ? WHERE id = ?", (rate_pct, unit_id))


def set_province_rate(store: Store, province: str, rate_pct: float, *, as_of: str = "", source: str = "") -> None:
    """Record the official province-wide average integration rate (percent)."""
    store.conn.execute(
        "INSERT INTO province_rates (province, rate_pct, as_of, source) VALUES (?, ?, ?, ?)"
        " ON CONFLICT(province) DO UPDATE SET rate_pct = excluded.rate_pct, as_of = excluded.as_of,"
        " source = excluded.source",
        (province, rate_pct, as_of, source),
    )


def province_average(store: Store, province: str) -> float | None:
    """The official average rate of ``province`` if imported, else the mean of known unit rates."""
    if "province_rates" in store.db.table_names():
        row = store.conn.execute("SELECT rate_pct FROM province_rates WHERE province = ?", (province,)).fetchone()
        if row and row[0] is not None:
            return float(row[0])
    row = store.conn.execute(
        "SELECT avg(health_book_rate_pct) FROM admin_units WHERE province = ? AND health_book_rate_pct IS NOT NULL",
        (province,),
    ).fetchone()
    return float(row[0]) if row and row[0] is not None else None
