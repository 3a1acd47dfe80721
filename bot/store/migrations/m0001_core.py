"""Core tables: admin units, chats, residents (keyed hashes), events, meta."""

from __future__ import annotations

import sqlite_utils

ID = "0001_core"


def up(db: sqlite_utils.Database) -> None:
    """Create the core tables and their indexes."""
    db["meta"].create({"key": str, "value": str}, pk="key", if_not_exists=True)
    db["admin_units"].create(
        {
            "id": int,
            "province": str,
            "unit_type": str,
            "name": str,
            "name_folded": str,
            "former_province": str,
            "health_book_rate_pct": float,
        },
        pk="id",
        not_null={"province", "unit_type", "name", "name_folded"},
        if_not_exists=True,
    )
    db["admin_units"].create_index(["province", "name"], unique=True, if_not_exists=True)
    db["admin_units"].create_index(["name_folded"], if_not_exists=True)

    db["chats"].create(
        {
            "id": int,
            "channel": str,
            "chat_id": str,
            "kind": str,  # private | group
            "title": str,
            "unit": str,  # admin unit name, may be empty
            "tags": str,  # JSON list of tags
            "status": str,  # active | inactive | left
            "opted_out": int,
            "member_count": int,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"channel", "chat_id", "kind", "status"},
        defaults={"tags": "[]", "status": "active", "opted_out": 0, "title": "", "unit": ""},
        if_not_exists=True,
    )
    db["chats"].create_index(["channel", "chat_id"], unique=True, if_not_exists=True)
    db["chats"].create_index(["unit"], if_not_exists=True)

    db["residents"].create(
        {"ref": str, "channel": str, "first_seen": str, "last_seen": str, "unit": str},
        pk="ref",
        if_not_exists=True,
    )

    # Append-only log of interactions and outreach, the source of every report figure.
    db["events"].create(
        {
            "id": int,
            "at": str,  # UTC, ISO 8601 "YYYY-MM-DDTHH:MM:SS"
            "type": str,
            "channel": str,
            "chat_kind": str,
            "chat_ref": str,  # keyed hash of the chat, never the raw id
            "resident": str,  # keyed hash of the resident
            "unit": str,
            "topic": str,
            "value": str,
            "latency_ms": int,
            "data": str,  # JSON, small
        },
        pk="id",
        not_null={"at", "type"},
        if_not_exists=True,
    )
    db["events"].create_index(["type", "at"], if_not_exists=True)
    db["events"].create_index(["at"], if_not_exists=True)
