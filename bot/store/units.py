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
