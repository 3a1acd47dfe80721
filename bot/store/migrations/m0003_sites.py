"""Screening sites and their sessions (a fixed station has many, a mobile team one per stop)."""

from __future__ import annotations

import sqlite_utils

ID = "0003_sites"


def up(db: sqlite_utils.Database) -> None:
    """Create ``sites``, ``site_sessions`` and ``province_rates``."""
    db["sites"].create(
        {
            "id": int,
            "unit_id": int,  # admin_units.id
            "province": str,
            "unit": str,  # admin unit name, denormalised for events and reports
            "kind": str,  # co_dinh | luu_dong
            "name": str,
            "address": str,
            "site_key": str,  # folded name + address: identifies the site across re-imports
            "lat": float,
            "lon": float,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"unit_id", "province", "unit", "kind", "name", "site_key"},
        if_not_exists=True,
    )
    db["sites"].create_index(["unit_id", "kind", "site_key"], unique=True, if_not_exists=True)
    db["sites"].create_index(["province"], if_not_exists=True)

    db["site_sessions"].create(
        {
            "id": int,
            "site_id": int,
            "date": str,  # local date YYYY-MM-DD (Asia/Ho_Chi_Minh)
            "start": str,  # HH:MM local
            "end": str,  # HH:MM local
            "targets": str,  # target groups, "; "-separated as written by the officer
            "contact": str,
            "note": str,
            "imported_at": str,  # UTC ISO of the import that last wrote the row
        },
        pk="id",
        not_null={"site_id", "date", "start", "end"},
        defaults={"targets": "", "contact": "", "note": ""},
        foreign_keys=[("site_id", "sites", "id")],
        if_not_exists=True,
    )
    # Re-importing the same schedule updates rows in place instead of duplicating them.
    db["site_sessions"].create_index(["site_id", "date", "start"], unique=True, if_not_exists=True)
    db["site_sessions"].create_index(["date"], if_not_exists=True)

    # Official province-wide average of the health-book integration rate (from the rates CSV);
    # units below it are priority areas for broadcasts and reports.
    db["province_rates"].create(
        {"province": str, "rate_pct": float, "as_of": str, "source": str},
        pk="province",
        if_not_exists=True,
    )
