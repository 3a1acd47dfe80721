"""Invitation links for officers, and which resident asked which unanswered question.

- ``user_invites``: a new or reset account gets a single-use, expiring link; only the
  SHA-256 of its token is stored, so a leaked database hands out no live link.
- ``faq_unanswered_askers``: one row per (question, resident keyed hash), so that
  ``/xoadulieu`` can find and remove a resident's unanswered questions.
"""

from __future__ import annotations

import sqlite_utils

ID = "0008_accounts_privacy"


def up(db: sqlite_utils.Database) -> None:
    """Create the invitation and question-asker tables."""
    db["user_invites"].create(
        {
            "id": int,
            "token_hash": str,  # sha256 hex of the link's token
            "user": str,  # officer name
            "purpose": str,  # new | reset
            "created_by": str,  # who issued it (officer name or cli:<os user>)
            "created_at": str,  # UTC ISO
            "expires_at": str,
            "used_at": str,  # set once the officer chose a password; NULL = open
            "revoked_at": str,  # set when a newer link replaced this one
        },
        pk="id",
        not_null={"token_hash", "user", "purpose", "created_at", "expires_at"},
        if_not_exists=True,
    )
    db["user_invites"].create_index(["token_hash"], unique=True, if_not_exists=True)
    db["user_invites"].create_index(["user"], if_not_exists=True)

    db["faq_unanswered_askers"].create(
        {"question_id": int, "resident": str, "count": int, "last_at": str},
        pk=("question_id", "resident"),
        not_null={"question_id", "resident", "count", "last_at"},
        defaults={"count": 1},
        if_not_exists=True,
    )
    db["faq_unanswered_askers"].create_index(["resident"], if_not_exists=True)
