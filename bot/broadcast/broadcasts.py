"""Broadcasts: create from an approved version, pause, resume, cancel, status.

Creating a broadcast renders the approved text once, computes its content hash and its
verification code, and records when it is due. The sender expands it into the outbox when
it becomes due, so the audience is the one of the moment of sending.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from typing import Any

from bot.broadcast import audiences
from bot.broadcast.codes import content_hash, make_code, with_footer
from bot.broadcast.errors import BroadcastError
from bot.broadcast.messages import approved_version, render, template_variables
from bot.broadcast.timing import after_quiet_hours
from bot.config import Settings
from bot.store import Store, outbox
from bot.store import broadcast as db
from bot.store.events import log_event, to_db_time
from bot.users import require_user

#: Zalo's limit; Telegram allows 4,096 UTF-16 units, so one check covers both.
MAX_SENT_CHARS = 2000


def default_issuer(settings: Settings) -> str:
    """The issuing body shown to residents when the message does not name one."""
    return f"Sở Y tế {settings.province}"


def create_broadcast(
    store: Store,
    settings: Settings,
    *,
    message_id: int,
    selectors: list[str],
    created_by: str,
    at: datetime | None = None,
    variables: dict[str, Any] | None = None,
    schedule_id: int | None = None,
    due_at: datetime | None = None,
    quiet_hours: bool = False,
    check_user: bool = True,
    now: datetime | None = None,
) -> int:
    """Create a broadcast of the approved version of ``message_id``; return its id.

    ``at`` None means now. With ``quiet_hours`` a time inside the quiet hours moves to
    their end (schedules use this; an officer's explicit ``--now`` is sent at once).
    """
    now = now or datetime.now(UTC)
    if check_user and schedule_id is None:
        require_user(store, created_by)
    version, audience, text, issuer = _render(store, settings, message_id, selectors, variables)
    digest = content_hash(text)
    when = at or now
    if quiet_hours:
        when = after_quiet_hours(when, settings)
    secret = settings.secret()
    try:
        with store.transaction():
            broadcast_id = db.insert_broadcast(
                store,
                version_id=version["id"],
                theme=version["theme"],
                kind=version["kind"],
                created_by=created_by,
                created_at=to_db_time(now),
                scheduled_at=to_db_time(when),
                state="scheduled",
                selectors=audience.selectors,
                schedule_id=schedule_id,
                due_at=to_db_time(due_at) if due_at else None,
                text=text,
                content_hash=digest,
                issuer=issuer,
            )
            salt = 0
            code = make_code(secret, settings.code_prefix, broadcast_id, digest)
            while db.code_taken(store, code):
                salt += 1
                code = make_code(secret, settings.code_prefix, broadcast_id, digest, salt=salt)
            db.update_broadcast(store, broadcast_id, code=code)
            log_event(store, "broadcast_created", at=now, topic=version["theme"], value=code, data={"id": broadcast_id})
    except sqlite3.IntegrityError as exc:
        raise BroadcastError(
            "this schedule already created a broadcast for that time", vi="Lịch này đã tạo một đợt gửi cho thời điểm đó."
        ) from exc
    return broadcast_id


def _render(
    store: Store, settings: Settings, message_id: int, selectors: list[str], variables: dict[str, Any] | None
) -> tuple[dict[str, Any], audiences.Audience, str, str]:
    version = approved_version(store, message_id)
    audience = audiences.parse_selectors(store, selectors, province=settings.province)
    values: dict[str, Any] = template_variables(settings)
    values.update(version.get("vars") or {})
    if audience.single_unit:
        values["commune"] = audience.single_unit
    values.update(variables or {})
    text = render(version["body"], values)
    issuer = version.get("issuer") or default_issuer(settings)
    # Check the longest possible footer before anything is stored or sent.
    longest = with_footer(text, f"{'X' * 4}-XXXXXX", issuer)
    if len(longest) > MAX_SENT_CHARS:
        raise BroadcastError(
            f"the rendered message is {len(longest)} characters with its footer; Zalo allows {MAX_SENT_CHARS}",
            vi=f"Tin kèm dòng xác thực dài {len(longest)} ký tự; Zalo chỉ nhận {MAX_SENT_CHARS}.",
        )
    return version, audience, text, issuer


def preview_text(
    store: Store, settings: Settings, message_id: int, selectors: list[str], variables: dict[str, Any] | None = None
) -> str:
    """The text residents would receive (with a placeholder code), without creating anything."""
    _version, _audience, text, issuer = _render(store, settings, message_id, selectors, variables)
    return with_footer(text, f"{settings.code_prefix.upper()}-XXXXXX", issuer)


def get(store: Store, broadcast_id: int) -> dict[str, Any]:
    """The broadcast row, or ``BroadcastError``."""
    row = db.get_broadcast(store, broadcast_id)
    if row is None:
        raise BroadcastError(f"no broadcast with id {broadcast_id}", vi=f"Không có đợt gửi số {broadcast_id}.")
    return row


def delivered_text(row: dict[str, Any]) -> str:
    """The exact text every chat receives: body plus verification footer."""
    return with_footer(row["text"], row["code"], row["issuer"])


def pause(store: Store, broadcast_id: int) -> None:
    """Stop claiming new rows of a broadcast (rows in flight finish)."""
    row = get(store, broadcast_id)
    if row["state"] not in ("scheduled", "sending"):
        raise BroadcastError(
            f"broadcast {broadcast_id} is {row['state']}; only scheduled or sending can pause",
            vi="Chỉ tạm dừng được đợt gửi đang chờ hoặc đang gửi.",
        )
    db.update_broadcast(store, broadcast_id, state="paused")


def resume(store: Store, broadcast_id: int) -> None:
    """Continue a paused broadcast (it goes back to sending, or waits for its time)."""
    row = get(store, broadcast_id)
    if row["state"] != "paused":
        raise BroadcastError(f"broadcast {broadcast_id} is {row['state']}, not paused", vi="Đợt gửi này không tạm dừng.")
    db.update_broadcast(store, broadcast_id, state="sending" if row.get("started_at") else "scheduled")


def cancel(store: Store, broadcast_id: int, *, now: datetime | None = None) -> int:
    """Cancel a broadcast: queued rows become skipped (reason 'cancelled'); return how many."""
    row = get(store, broadcast_id)
    if row["state"] in ("done", "cancelled"):
        raise BroadcastError(
            f"broadcast {broadcast_id} is already {row['state']}", vi="Đợt gửi này đã xong hoặc đã hủy."
        )
    with store.transaction():
        n = outbox.skip_queued(store, broadcast_id, "cancelled")
        db.update_broadcast(store, broadcast_id, state="cancelled", finished_at=to_db_time(now or datetime.now(UTC)))
    return n


def resend_failed(store: Store, broadcast_id: int) -> int:
    """Queue the failed deliveries of a broadcast again (the sender picks them up); return how many."""
    row = get(store, broadcast_id)
    if row["state"] == "cancelled":
        raise BroadcastError(f"broadcast {broadcast_id} is cancelled", vi="Đợt gửi đã hủy nên không gửi lại được.")
    with store.transaction():
        n = outbox.requeue_failed(store, broadcast_id)
        if n and row["state"] == "done":
            db.update_broadcast(store, broadcast_id, state="sending", finished_at=None)
    if not n:
        raise BroadcastError(
            f"broadcast {broadcast_id} has no failed delivery to resend",
            vi="Không có tin lỗi nào gửi lại được (nhóm đã chặn Loa hoặc không còn thì không gửi lại).",
        )
    return n


def status(store: Store, broadcast_id: int) -> dict[str, Any]:
    """State, code, times and delivery counts (queued / sending / sent / failed / skipped + reasons)."""
    row = get(store, broadcast_id)
    counts = outbox.status_counts(store, broadcast_id)
    keys = ("id", "code", "state", "kind", "theme", "created_by", "created_at", "scheduled_at", "started_at", "finished_at")
    return {**{k: row.get(k) for k in keys}, "selectors": row["selectors"], "counts": counts}


def list_recent(store: Store, limit: int = 30) -> list[dict[str, Any]]:
    """Newest broadcasts with their counts."""
    out = []
    for row in db.list_broadcasts(store, limit=limit):
        counts = outbox.status_counts(store, row["id"])
        out.append({**row, "counts": counts})
    return out
