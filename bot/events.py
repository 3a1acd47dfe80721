"""The event vocabulary: every ``events.type`` Loa writes, and what its columns mean.

Reports count these; features log them through ``Turn.log`` or ``store.events.log_event``.
Columns: ``channel``, ``chat_kind``, ``chat_ref`` (keyed hash), ``resident`` (keyed hash),
``unit`` (admin unit name), ``topic``, ``value``, ``latency_ms``, ``data`` (small JSON).
"""

from __future__ import annotations

EVENT_TYPES: dict[str, str] = {
    "interaction": "a resident message handled; topic = handler/topic, latency_ms = reply time",
    "subscribed": "a chat subscribed to campaign news (/start, /dangky)",
    "unsubscribed": "a chat opted out (/stop, /huy)",
    "faq_answered": "FAQ answer given; topic = topic id, value = score",
    "faq_abstained": "FAQ could not answer (the redacted question goes to faq_unanswered)",
    "faq_medical": "a medical question got the safety reply",
    "site_lookup": "screening-site look-up; unit = admin unit (if resolved), value = sessions found",
    "scam_checked": "a message was checked; value = verdict (official|scam|suspicious|clean)",
    "scam_flagged_in_group": "the group guard warned under a message; value = verdict",
    "official_verified": "a verification code or forwarded text matched a sent broadcast; value = code",
    "scam_guard_changed": "a group admin switched the scam guard; value = on|off",
    "rumour_rebutted": "a rumour got its rebuttal; topic = rumour.* id",
    "bot_added_to_group": "the bot joined a group",
    "bot_removed_from_group": "the bot left or was removed from a group",
    "official_code_unknown": "a /xacthuc code matched no broadcast (not genuine); value = the code as normalised",
    "broadcast_created": "an officer or schedule created a broadcast; topic = theme, value = code",
    "broadcast_finished": "a broadcast finished sending; value = code, data = counts",
    "schedule_fired": "a schedule created its broadcast; topic = schedule name, value = due time (UTC)",
    "schedule_skipped": "a schedule's run was skipped (missed while down, no approved text); topic = name, value = why",
}
