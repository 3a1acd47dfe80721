"""SQL for the FAQ: unanswered questions (redacted) with counts, for the learning loop."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.store.db import Store
from bot.store.events import to_db_time
from bot.text import fold, normalize, redact

MAX_QUESTION_CHARS = 500


def record_unanswered(
    store: Store,
    question: str,
    *,
    at: datetime,
    best_topic: str | None = None,
    best_score: float = 0.0,
    resident: str | None = None,
) -> str:
    """Count one unanswered question; the text is redacted before it is stored.

    Returns the stored (redacted) text. Questions equal after normalisation and folding
    share a row, so editors see "asked 12 times" instead of 12 rows. ``resident`` (the
    asker's keyed hash) is kept beside the question only so that a deletion request can
    take their askings back off it.
    """
    text = redact(question).strip()[:MAX_QUESTION_CHARS]
    key = fold(normalize(text))[:MAX_QUESTION_CHARS] or text
    when = to_db_time(at)
    with store.transaction():
        store.conn.execute(
            "INSERT INTO faq_unanswered (question, normalized, count, best_topic, best_score, first_at, last_at)"
            " VALUES (?, ?, 1, ?, ?, ?, ?)"
            " ON CONFLICT(normalized) DO UPDATE SET count = count + 1, last_at = excluded.last_at,"
            " best_topic = excluded.best_topic, best_score = excluded.best_score",
            (text, key, best_topic or "", float(best_score), when, when),
        )
        if resident:
            store.conn.execute(
                "INSERT INTO faq_unanswered_askers (question_id, resident, count, last_at)"
                " SELECT id, ?, 1, ? FROM faq_unanswered WHERE normalized = ?"
                " ON CONFLICT(question_id, resident) DO UPDATE SET count = count + 1, last_at = excluded.last_at",
                (resident, when, key),
            )
    return text


def list_unanswered(
    store: Store, *, limit: int = 50, since: datetime | None = None, include_handled: bool = True
) -> list[dict[str, Any]]:
    """The most frequent unanswered questions (most asked first, then most recent).

    ``include_handled=False`` leaves out those an editor marked handled (``bot.store.faq_review``).
    """
    sql = "SELECT question, count, best_topic, best_score, first_at, last_at FROM faq_unanswered"
    where: list[str] = []
    args: list[Any] = []
    if since is not None:
        where.append("last_at >= ?")
        args.append(to_db_time(since))
    if not include_handled:
        where.append("handled_at IS NULL")
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY count DESC, last_at DESC LIMIT ?"
    args.append(int(limit))
    # Redacted again on the way out: rows stored by an older, weaker redaction stay covered.
    return [{**dict(r), "question": redact(r["question"])} for r in store.db.query(sql, args)]


def purge_unanswered(store: Store, *, before: datetime) -> int:
    """Delete questions last asked before ``before`` (retention); returns rows removed."""
    with store.transaction():
        cur = store.conn.execute("DELETE FROM faq_unanswered WHERE last_at < ?", (to_db_time(before),))
        store.conn.execute("DELETE FROM faq_unanswered_askers WHERE last_at < ?", (to_db_time(before),))
        store.conn.execute(
            "DELETE FROM faq_unanswered_askers WHERE question_id NOT IN (SELECT id FROM faq_unanswered)"
        )
    return int(cur.rowcount or 0)
