"""SQL for the editors' review of unanswered questions: handled marks and proposed samples.

A proposed sample (``faq_sample_drafts``) is the redacted question text filed under a FAQ
topic. It does not change what Loa answers: ``loa faq samples export`` writes the pending
ones as YAML for an editor to review and commit to ``messages/faq/samples/``, and the
classifier learns them on the next start.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.errors import LoaError
from bot.store.db import Store
from bot.store.events import to_db_time
from bot.text import nfc, redact

MAX_SAMPLE_CHARS = 500


class ReviewError(LoaError):
    """A review action that cannot be done (no such question, sample already proposed)."""


def _question(store: Store, question_id: int) -> dict[str, Any]:
    rows = list(
        store.db.query("SELECT id, question, count, handled_at FROM faq_unanswered WHERE id = ?", [int(question_id)])
    )
    if not rows:
        raise ReviewError(
            f"no unanswered question with id {question_id}",
            vi="Không tìm thấy câu hỏi này (có thể đã bị xóa theo thời hạn lưu).",
        )
    return rows[0]


def list_questions(store: Store, *, handled: bool = False, limit: int = 200) -> list[dict[str, Any]]:
    """Open (or, with ``handled``, handled) questions, most asked first, with any proposed sample.

    Each row: id, question (redacted again on the way out), count, best_topic, best_score,
    first_at, last_at, handled_at, handled_by, asked_since (askings after it was handled),
    sample_topic and sample_status (None when not proposed).
    """
    where = "q.handled_at IS NOT NULL" if handled else "q.handled_at IS NULL"
    order = "q.handled_at DESC" if handled else "q.count DESC, q.last_at DESC"
    sql = (
        "SELECT q.id, q.question, q.count, q.best_topic, q.best_score, q.first_at, q.last_at,"
        " q.handled_at, q.handled_by, max(q.count - coalesce(q.handled_count, q.count), 0) AS asked_since,"
        " d.topic AS sample_topic, d.status AS sample_status"
        " FROM faq_unanswered q LEFT JOIN faq_sample_drafts d ON d.question_id = q.id"
        f" WHERE {where} ORDER BY {order} LIMIT ?"
    )
    return [{**dict(r), "question": redact(r["question"])} for r in store.db.query(sql, [int(limit)])]


def count_questions(store: Store) -> dict[str, int]:
    """How many questions are open and handled: ``{"open": n, "handled": m}``."""
    row = store.conn.execute(
        "SELECT count(*) - count(handled_at), count(handled_at) FROM faq_unanswered"
    ).fetchone()
    return {"open": int(row[0]), "handled": int(row[1])}


def mark_handled(store: Store, question_id: int, *, by: str, at: datetime) -> str:
    """Mark a question handled (it leaves the default list); returns its redacted text.

    Marking again keeps the first mark. Raises ``ReviewError`` for an unknown id.
    """
    with store.transaction():
        row = _question(store, question_id)
        store.conn.execute(
            "UPDATE faq_unanswered SET handled_at = ?, handled_by = ?, handled_count = count"
            " WHERE id = ? AND handled_at IS NULL",
            (to_db_time(at), by, int(question_id)),
        )
    return redact(str(row["question"]))


def reopen(store: Store, question_id: int) -> None:
    """Put a handled question back in the open list (its proposed sample, if any, stays)."""
    with store.transaction():
        _question(store, question_id)
        store.conn.execute(
            "UPDATE faq_unanswered SET handled_at = NULL, handled_by = NULL, handled_count = NULL WHERE id = ?",
            (int(question_id),),
        )


def propose_sample(store: Store, question_id: int, topic: str, *, by: str, at: datetime) -> str:
    """File the question's (redacted) text as a pending sample of ``topic`` and mark it handled.

    Returns the stored text. The caller checks that ``topic`` exists. Raises ``ReviewError``
    when the question is unknown or the same text was already proposed (a sample may belong
    to one topic only).
    """
    with store.transaction():
        row = _question(store, question_id)
        text = nfc(redact(str(row["question"]))).strip()[:MAX_SAMPLE_CHARS]
        taken = store.conn.execute("SELECT topic FROM faq_sample_drafts WHERE text = ?", (text,)).fetchone()
        if taken is not None:
            raise ReviewError(
                f"this question is already proposed as a sample of {taken[0]}",
                vi="Câu này đã được đề xuất làm câu mẫu rồi.",
            )
        when = to_db_time(at)
        store.conn.execute(
            "INSERT INTO faq_sample_drafts (question_id, topic, text, status, created_by, created_at)"
            " VALUES (?, ?, ?, 'pending', ?, ?)",
            (int(question_id), topic, text, by, when),
        )
        store.conn.execute(
            "UPDATE faq_unanswered SET handled_at = ?, handled_by = ?, handled_count = count"
            " WHERE id = ? AND handled_at IS NULL",
            (when, by, int(question_id)),
        )
    return text


def pending_samples(store: Store, *, include_exported: bool = False) -> list[dict[str, Any]]:
    """Proposed samples waiting for review (oldest first): id, topic, text, created_by, created_at."""
    sql = "SELECT id, topic, text, status, created_by, created_at, exported_at FROM faq_sample_drafts"
    if not include_exported:
        sql += " WHERE status = 'pending'"
    return list(store.db.query(sql + " ORDER BY topic, id"))


def mark_exported(store: Store, ids: list[int], *, at: datetime) -> int:
    """Mark proposed samples as exported (they leave the pending list); returns rows changed."""
    changed = 0
    with store.transaction():
        for start in range(0, len(ids), 500):
            chunk = [int(i) for i in ids[start : start + 500]]
            changed += store.conn.execute(
                f"UPDATE faq_sample_drafts SET status = 'exported', exported_at = ?"
                f" WHERE status = 'pending' AND id IN ({','.join('?' * len(chunk))})",
                (to_db_time(at), *chunk),
            ).rowcount
    return changed
