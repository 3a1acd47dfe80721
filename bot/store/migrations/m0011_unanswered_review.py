"""Editors review unanswered questions: mark them handled, or propose them as FAQ samples.

- ``faq_unanswered`` gains ``handled_at`` / ``handled_by`` and ``handled_count`` (the count
  when it was handled, so the page can say how often it was asked since);
- ``faq_sample_drafts``: a question proposed as a training sample of a topic, waiting for
  an editor to review it (``loa faq samples export``) and commit it to
  ``messages/faq/samples/*.yaml``. The text is the redacted question, not linked to anyone.
"""

from __future__ import annotations

import sqlite_utils

ID = "0011_unanswered_review"


def up(db: sqlite_utils.Database) -> None:
    """Add the review columns and the pending-samples table."""
    table = db.table("faq_unanswered")
    columns = table.columns_dict
    for name, kind in (("handled_at", str), ("handled_by", str), ("handled_count", int)):
        if name not in columns:
            table.add_column(name, kind)
    table.create_index(["handled_at"], if_not_exists=True)
    db.table("faq_sample_drafts").create(
        {
            "id": int,
            "question_id": int,  # faq_unanswered.id it came from (the row may be purged later)
            "topic": str,  # FAQ topic id
            "text": str,  # redacted question, NFC
            "status": str,  # pending | exported
            "created_by": str,
            "created_at": str,  # UTC ISO
            "exported_at": str,
        },
        pk="id",
        not_null={"topic", "text", "status", "created_at"},
        defaults={"status": "pending"},
        if_not_exists=True,
    )
    # A sample in two topics fails `loa faq check`: one proposal per text.
    db.table("faq_sample_drafts").create_index(["text"], unique=True, if_not_exists=True)
    db.table("faq_sample_drafts").create_index(["status"], if_not_exists=True)
