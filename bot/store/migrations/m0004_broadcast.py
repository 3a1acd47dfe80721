"""Broadcast tables: officers (users), messages and versions, broadcasts, deliveries, schedules."""

from __future__ import annotations

import sqlite_utils

ID = "0004_broadcast"


def up(db: sqlite_utils.Database) -> None:
    """Create the broadcast tables (see notes/contracts.md) and their indexes."""
    db["users"].create(
        {
            "id": int,
            "name": str,
            "roles": str,  # comma list: editor,approver,reporter,admin
            "password_hash": str,
            "active": int,
            "created_at": str,
        },
        pk="id",
        not_null={"name"},
        defaults={"active": 1, "roles": ""},
        if_not_exists=True,
    )
    db["users"].create_index(["name"], unique=True, if_not_exists=True)

    db["messages"].create(
        {
            "id": int,
            "kind": str,  # campaign | scam_warning
            "theme": str,  # screening | vneid | health_book | scam_warning | other
            "title": str,
            "slug": str,  # library key, e.g. "campaigns/screening_dates"; NULL for ad-hoc texts
            "issuer": str,  # issuing body shown to residents; NULL = default
            "created_at": str,
        },
        pk="id",
        if_not_exists=True,
    )
    db["messages"].create_index(["slug"], unique=True, if_not_exists=True)

    db["message_versions"].create(
        {
            "id": int,
            "message_id": int,
            "version": int,
            "body": str,  # Jinja2 template text
            "state": str,  # draft | pending | approved | rejected | retired
            "author": str,
            "approver": str,
            "reason": str,
            "vars": str,  # JSON object: default template variables
            "created_at": str,
            "submitted_at": str,
            "decided_at": str,
        },
        pk="id",
        not_null={"message_id", "version", "body", "state", "author"},
        if_not_exists=True,
    )
    db["message_versions"].create_index(["message_id", "version"], unique=True, if_not_exists=True)

    db["broadcasts"].create(
        {
            "id": int,
            "version_id": int,
            "code": str,  # e.g. HP-7K3Q9X
            "theme": str,
            "kind": str,
            "created_by": str,
            "created_at": str,
            "scheduled_at": str,  # UTC ISO
            "state": str,  # scheduled | sending | paused | done | cancelled
            "selectors": str,  # JSON list
            "schedule_id": int,
            "due_at": str,  # nominal fire time of a schedule (before quiet-hours shift)
            "text": str,  # rendered body as sent, without the verification footer
            "content_hash": str,
            "issuer": str,
            "started_at": str,
            "finished_at": str,
        },
        pk="id",
        not_null={"version_id", "state", "created_at", "scheduled_at"},
        if_not_exists=True,
    )
    db["broadcasts"].create_index(["code"], unique=True, if_not_exists=True)
    db["broadcasts"].create_index(["state", "scheduled_at"], if_not_exists=True)
    # A schedule fires at most once per due time, even after a restart.
    db["broadcasts"].create_index(["schedule_id", "due_at"], unique=True, if_not_exists=True)

    db["deliveries"].create(
        {
            "id": int,
            "broadcast_id": int,
            "channel": str,
            "chat_id": str,
            "chat_kind": str,  # private | group
            "unit": str,
            "tags": str,  # JSON list copied from the chat
            "member_count": int,
            "status": str,  # queued | sending | sent | failed | skipped
            "reason": str,
            "attempts": int,
            "claimed_at": str,
            "sent_at": str,  # UTC ISO
            "next_attempt_at": str,  # UTC ISO; a retry waits until then
            "moved_from": str,  # old chat id after a group migration
        },
        pk="id",
        not_null={"broadcast_id", "channel", "chat_id", "status"},
        defaults={"attempts": 0, "status": "queued", "tags": "[]"},
        if_not_exists=True,
    )
    db["deliveries"].create_index(["broadcast_id", "channel", "chat_id"], unique=True, if_not_exists=True)
    db["deliveries"].create_index(["broadcast_id", "status"], if_not_exists=True)
    db["deliveries"].create_index(["status", "next_attempt_at"], if_not_exists=True)

    db["schedules"].create(
        {
            "id": int,
            "name": str,  # stable key (file stem for seeded schedules)
            "message": str,  # message slug or numeric id
            "selectors": str,  # JSON list
            "cron": str,  # 5-field cron in the local time zone, or NULL
            "at": str,  # one-off local time "YYYY-MM-DD HH:MM", or NULL
            "vars": str,  # JSON object of template variables
            "grace_minutes": int,  # misfire window
            "enabled": int,
            "last_due_at": str,  # UTC ISO of the last due time handled (fired or skipped)
            "source": str,  # file it was seeded from, or "cli"
            "created_at": str,
        },
        pk="id",
        not_null={"name", "message", "selectors"},
        defaults={"enabled": 1, "grace_minutes": 180},
        if_not_exists=True,
    )
    db["schedules"].create_index(["name"], unique=True, if_not_exists=True)
