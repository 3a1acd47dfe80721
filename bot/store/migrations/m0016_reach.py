"""Reach beyond the bot: group heads' share links, their manual shares, posters, QR first visits."""

from __future__ import annotations

import sqlite_utils

ID = "0016_reach"


def up(db: sqlite_utils.Database) -> None:
    """Create the share-link, manual-share, poster and QR-visit tables."""
    db["share_links"].create(
        {
            "id": int,
            "token_hash": str,  # HMAC-SHA256(secret, token); the token itself is never stored
            "broadcast_id": int,
            "unit": str,
            "group_head": str,
            "created_by": str,
            "created_at": str,
            "revoked_at": str,
            "revoked_by": str,
        },
        pk="id",
        not_null={"token_hash", "broadcast_id", "unit", "group_head"},
        if_not_exists=True,
    )
    db["share_links"].create_index(["token_hash"], unique=True, if_not_exists=True)
    db["manual_shares"].create(
        {"id": int, "link_id": int, "broadcast_id": int, "unit": str, "group_name": str, "members": int, "at": str},
        pk="id",
        not_null={"unit", "group_name", "members", "at"},
        if_not_exists=True,
    )
    db["manual_shares"].create_index(["at"], if_not_exists=True)
    db["posters"].create(
        {
            "id": int,
            "unit": str,
            "message_id": int,
            "broadcast_id": int,
            "copies": int,
            "source": str,  # cli | admin
            "created_by": str,
            "at": str,
        },
        pk="id",
        not_null={"unit", "copies", "at"},
        if_not_exists=True,
    )
    db["posters"].create_index(["at"], if_not_exists=True)
    # One row per first visit of a browser arriving from a poster's QR code: unit and time only.
    db["qr_visits"].create({"id": int, "unit": str, "at": str}, pk="id", not_null={"unit", "at"}, if_not_exists=True)
    db["qr_visits"].create_index(["at"], if_not_exists=True)
