"""Checking a verification code: is this an official message Loa sent, when, and by whom.

Used by ``/xacthuc CODE`` (bot/features/broadcast.py) and by the scam check, which also
compares forwarded text with :func:`sent_messages`.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.broadcast.codes import CODE_RE, content_hash, find_codes, make_code, normalize_code
from bot.config import Settings
from bot.store import Store
from bot.store import broadcast as db
from bot.store.events import from_db_time, to_db_time

__all__ = [
    "CODE_RE",  # bot/scam/context.py reads it here
    "SentMessage",
    "find_by_code",
    "is_genuine",
    "local_time_text",
    "sent_messages",
    "verification_text",
]


@dataclass(frozen=True)
class SentMessage:
    """A broadcast as residents received it."""

    broadcast_id: int
    code: str  # "HP-7K3Q9X"
    text: str  # the rendered body as sent, WITHOUT the verification footer
    sent_at: datetime  # aware UTC (first delivery, or scheduled time)
    issuer: str  # issuing body shown to residents
    delivered: bool = True  # False: created (and genuine) but nothing delivered yet


def _to_sent(row: dict) -> SentMessage:
    sent_at = from_db_time(row.get("first_sent_at")) or from_db_time(row.get("started_at")) or from_db_time(row["scheduled_at"])
    return SentMessage(
        broadcast_id=int(row["id"]),
        code=row["code"],
        text=row["text"],
        sent_at=sent_at or datetime.now(UTC),
        issuer=row.get("issuer") or "",
        # Sent or being sent: a sending time can be given. A broadcast that is due but never
        # started (no channel configured, sender stopped) has not reached anyone: no time.
        delivered=bool(row.get("first_sent_at") or row.get("started_at")),
    )


def find_by_code(store: Store, code: str) -> SentMessage | None:
    """The official message carrying ``code`` (case, space and O/0 tolerant), or None."""
    canonical = normalize_code(code)
    if canonical is None:
        found = find_codes(code)
        canonical = found[0] if found else None
    if canonical is None:
        return None
    rows = db.genuine_broadcasts(store, code=canonical)
    return _to_sent(rows[0]) if rows else None


def sent_messages(store: Store, *, since: datetime | None = None) -> list[SentMessage]:
    """Every official message residents may have received (since ``since`` if given), oldest first."""
    rows = db.genuine_broadcasts(store, since_iso=to_db_time(since) if since else None)
    return [_to_sent(r) for r in rows]


def is_genuine(
    settings: Settings,
    code: str,
    *,
    broadcast_id: int | None = None,
    text: str | None = None,
    store: Store | None = None,
) -> bool:
    """HMAC check of ``code``.

    With ``broadcast_id`` and ``text`` (the body without footer) the code is recomputed from
    the secret; with only ``store`` the broadcast carrying the code is looked up and its
    stored id and content hash are checked (a row forged into the database fails).
    """
    canonical = normalize_code(code)
    if canonical is None:
        return False
    if broadcast_id is not None and text is not None:
        digest = content_hash(text)
    elif store is not None:
        row = db.get_broadcast_by_code(store, canonical)
        if row is None or not row.get("content_hash"):
            return False
        broadcast_id, digest = int(row["id"]), row["content_hash"]
    else:
        return False
    prefix = canonical.split("-")[0]
    secret = settings.secret()
    # A collision at creation time bumps a salt; accept the few salted forms too.
    return any(
        hmac.compare_digest(make_code(secret, prefix, broadcast_id, digest, salt=salt), canonical) for salt in range(4)
    )


def local_time_text(at: datetime, settings: Settings) -> str:
    """``at`` shown in local time for residents, e.g. ``09:00 ngày 24/11/2026``."""
    local = at.astimezone(ZoneInfo(settings.timezone))
    return local.strftime("%H:%M ngày %d/%m/%Y")


def verification_text(store: Store, settings: Settings, code_text: str) -> tuple[str, str | None]:
    """The resident-facing answer for ``/xacthuc CODE`` and the matched code (None = not genuine)."""
    raw = (code_text or "").strip()
    if not raw:
        return (
            "Gửi mã xác thực in ở cuối tin nhắn, ví dụ: /xacthuc HP-7K3Q9X. "
            "Loa sẽ cho biết đó có phải tin chính thức không.",
            None,
        )
    sent = find_by_code(store, raw)
    if sent is None or not is_genuine(settings, sent.code, store=store):
        shown = normalize_code(raw) or raw[:20]
        return (
            f"⚠️ Mã “{shown}” KHÔNG phải mã của tin chính thức do Loa gửi.\n"
            "Đừng bấm đường link, đừng chuyển tiền hay cung cấp mã OTP, mật khẩu. "
            f"Nếu nghi lừa đảo, hãy báo tới số {settings.spam_report_number} hoặc hỏi {settings.local_contact}.",
            None,
        )
    # A genuine code whose broadcast has not gone out yet has no sending time to give.
    when = f", gửi lúc {local_time_text(sent.sent_at, settings)}" if sent.delivered else " (tin chưa được gửi đi)"
    text = (
        f"✅ Đây là tin chính thức của {sent.issuer}{when}.\n"
        f"Mã xác thực: {sent.code}\n\nNội dung chính thức:\n{sent.text}"
    )
    return text, sent.code
