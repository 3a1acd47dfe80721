"""Scam check: the per-group guard switch and the guard's per-group rate-limit state."""

from __future__ import annotations

import sqlite_utils

ID = "0005_scam"


def up(db: sqlite_utils.Database) -> None:
    """Create ``scam_guard`` (one row per group) and ``scam_flags`` (messages warned about)."""
    # Groups are keyed by the chat's keyed hash: the guard never needs the raw chat id.
    db["scam_guard"].create(
        {
            "chat_ref": str,
            "channel": str,
            "enabled": int,
            "changed_by": str,  # keyed hash of the admin who switched it
            "changed_at": str,
            "window_start": str,  # start of the current rate-limit window (UTC ISO)
            "window_count": int,  # warnings sent in that window
            "last_flag_at": str,
        },
        pk="chat_ref",
        not_null={"enabled"},
        defaults={"enabled": 0, "window_count": 0},
        if_not_exists=True,
    )
    # One warning per message: the message key is a keyed hash of the message id (or text).
    db["scam_flags"].create(
        {"chat_ref": str, "message_key": str, "at": str, "score": float},
        pk=("chat_ref", "message_key"),
        if_not_exists=True,
    )
    db["scam_flags"].create_index(["at"], if_not_exists=True)
