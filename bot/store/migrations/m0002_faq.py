"""FAQ: questions Loa could not answer, redacted, counted, for editors."""

from __future__ import annotations

import sqlite_utils

ID = "0002_faq"


def up(db: sqlite_utils.Database) -> None:
    """Create ``faq_unanswered``: one row per distinct (normalised) redacted question."""
    db["faq_unanswered"].create(
        {
            "id": int,
            "question": str,  # redacted text as first asked (bot.text.redact)
            "normalized": str,  # redacted, normalised and folded: the dedup key
            "count": int,
            "best_topic": str,  # closest topic when Loa abstained (may be empty)
            "best_score": float,
            "first_at": str,  # UTC ISO like events.at
            "last_at": str,
        },
        pk="id",
        not_null={"question", "normalized", "count", "first_at", "last_at"},
        defaults={"count": 1},
        if_not_exists=True,
    )
    db["faq_unanswered"].create_index(["normalized"], unique=True, if_not_exists=True)
    db["faq_unanswered"].create_index(["last_at"], if_not_exists=True)
