"""A resident's deletion request (``/xoadulieu``): every row that identifies them goes.

What identifies a resident: their keyed hash (events, the residents table, the unanswered
questions they asked, group scam-guard switches they made), their private chat's raw id
(the chats row that subscribes them, broadcast deliveries to it) and that chat's keyed hash
(events, scam flags, the guard switch of the private chat). Groups are not residents: a
group's row stays when one member asks. Delivery rows are kept for the filed reports, but
with the chat id replaced, so they count a message sent and no longer say to whom.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.store.db import Store


@dataclass(frozen=True)
class Erased:
    """How many items went, for the reply to the resident."""

    events: int
    questions: int
    subscriptions: int
    deliveries: int


def erase_resident(
    store: Store, *, resident: str, channel: str, chat_id: str | None = None, chat_ref: str | None = None
) -> Erased:
    """Delete (or, for deliveries, unlink) everything tied to ``resident`` and, when given, to
    their private chat ``channel:chat_id`` / ``chat_ref``. One transaction: all or nothing.

    ``secure_delete`` is on for this transaction, so the freed pages are overwritten with
    zeros instead of keeping the deleted bytes in the file until they are reused."""
    store.conn.execute("PRAGMA secure_delete = ON")
    try:
        return _erase(store, resident, channel, chat_id, chat_ref)
    finally:
        store.conn.execute("PRAGMA secure_delete = OFF")


def _erase(store: Store, resident: str, channel: str, chat_id: str | None, chat_ref: str | None) -> Erased:
    with store.transaction() as conn:
        events = conn.execute("DELETE FROM events WHERE resident = ?", (resident,)).rowcount
        conn.execute("DELETE FROM residents WHERE ref = ?", (resident,))
        questions = _erase_questions(store, resident)
        conn.execute("UPDATE scam_guard SET changed_by = NULL WHERE changed_by = ?", (resident,))
        subscriptions = deliveries = 0
        if chat_ref:
            events += conn.execute("DELETE FROM events WHERE chat_ref = ?", (chat_ref,)).rowcount
            conn.execute("DELETE FROM scam_flags WHERE chat_ref = ?", (chat_ref,))
            conn.execute("DELETE FROM scam_guard WHERE chat_ref = ?", (chat_ref,))
        if chat_id:
            subscriptions = conn.execute(
                "DELETE FROM chats WHERE channel = ? AND chat_id = ? AND kind = 'private'", (channel, chat_id)
            ).rowcount
            deliveries = _unlink_deliveries(store, channel, chat_id)
    return Erased(events, questions, subscriptions, deliveries)


def _erase_questions(store: Store, resident: str) -> int:
    """Take the resident's askings off each question; a question only they asked goes."""
    rows = store.conn.execute(
        "SELECT question_id, count FROM faq_unanswered_askers WHERE resident = ?", (resident,)
    ).fetchall()
    for question_id, count in rows:
        store.conn.execute("UPDATE faq_unanswered SET count = count - ? WHERE id = ?", (count, question_id))
    store.conn.execute("DELETE FROM faq_unanswered WHERE count <= 0")
    # A question only they asked may have been proposed as a sample: an unreviewed proposal goes too.
    store.conn.execute(
        "DELETE FROM faq_sample_drafts WHERE status = 'pending' AND question_id NOT IN (SELECT id FROM faq_unanswered)"
    )
    store.conn.execute("DELETE FROM faq_unanswered_askers WHERE resident = ?", (resident,))
    return len(rows)


def _unlink_deliveries(store: Store, channel: str, chat_id: str) -> int:
    """Replace the chat id in deliveries (sent ones stay counted); queued ones are skipped."""
    store.conn.execute(
        "UPDATE deliveries SET status = 'skipped', reason = 'erased' WHERE channel = ? AND chat_id = ?"
        " AND status = 'queued'",
        (channel, chat_id),
    )
    return store.conn.execute(
        "UPDATE deliveries SET chat_id = 'erased-' || id, moved_from = NULL WHERE channel = ? AND chat_id = ?",
        (channel, chat_id),
    ).rowcount
