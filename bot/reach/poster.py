"""What goes on a commune's poster: upcoming sessions, steps, hotlines, links, the carried code.

Gathering reads the store (fast queries, on the caller's thread); rendering the PDF
(``bot.reach.poster_pdf``) takes only this plain data, so the admin can run it off the loop.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

from bot.config import Settings
from bot.reach.links import ShareError
from bot.store import Store
from bot.store import reach as db
from bot.store.events import to_db_time
from bot.store.sites import find_sessions
from bot.units import resolve_unit, unit_label

MAX_SESSIONS = 5
MAX_COPIES = 10_000


@dataclass(frozen=True)
class PosterData:
    """Everything printed on one poster (plain values, no store)."""

    unit: str  # the unit's name, as stored ("Kẻ Sặt")
    unit_label: str  # "xã Kẻ Sặt"
    province: str
    sessions: list[dict[str, Any]]
    more_sessions: int
    chat_url: str
    bot_links: list[tuple[str, str]] = field(default_factory=list)  # (label, url)
    hotlines: list[tuple[str, str]] = field(default_factory=list)  # (label, number)
    code: str | None = None
    message_title: str | None = None
    message_id: int | None = None
    broadcast_id: int | None = None


def chat_link(settings: Settings, unit: str) -> str:
    """The web chat URL a poster's QR code opens: it carries the unit so first visits are counted."""
    return f"{settings.base_url}/chat?u={quote(unit)}"


def find_unit(store: Store, settings: Settings, text: str) -> dict[str, Any]:
    """The province's unit named ``text``, or a Vietnamese error naming the closest names."""
    match = resolve_unit(store, text, settings.province)
    if match.unit is None:
        hint = f" Có phải: {', '.join(match.candidates[:3])}?" if match.candidates else ""
        raise ShareError(f"Không tìm thấy xã, phường “{text.strip()[:60]}” ở {settings.province}.{hint}")
    return match.unit


def gather(
    store: Store, settings: Settings, unit_text: str, *, today: date, message_id: int | None = None
) -> PosterData:
    """The poster's content for ``unit_text`` on ``today`` (optionally carrying message ``message_id``)."""
    unit = find_unit(store, settings, unit_text)
    sessions = find_sessions(store, unit_ids=[int(unit["id"])], date_from=today.isoformat(), limit=50)
    carried = db.latest_broadcast(store, message_id)
    if message_id is not None and carried is None:
        raise ShareError("Tin này chưa được phát (chưa có mã xác thực); hãy chọn một tin đã gửi.")
    links = [("Zalo", settings.zalo_bot_link.strip()), ("Telegram", settings.telegram_bot_link.strip())]
    return PosterData(
        unit=str(unit["name"]),
        unit_label=unit_label(unit),
        province=settings.province,
        sessions=sessions[:MAX_SESSIONS],
        more_sessions=max(0, len(sessions) - MAX_SESSIONS),
        chat_url=chat_link(settings, str(unit["name"])),
        bot_links=[(label, url) for label, url in links if url.startswith(("https://", "http://"))],
        hotlines=[
            ("Đường dây nóng Bộ Y tế", settings.health_hotline),
            ("Hỗ trợ VNeID", settings.vneid_hotline),
            ("Cấp cứu", settings.emergency_number),
            ("Báo tin nhắn, cuộc gọi lừa đảo", settings.spam_report_number),
        ],
        code=carried["code"] if carried else None,
        message_title=carried["title"] if carried else None,
        message_id=int(carried["message_id"]) if carried else None,
        broadcast_id=int(carried["id"]) if carried else None,
    )


def log_posters(
    store: Store, data: PosterData, *, copies: int, source: str, created_by: str | None, now: datetime
) -> int:
    """Record ``copies`` posters for the unit (generated, or printed as the officer says)."""
    if not 1 <= copies <= MAX_COPIES:
        raise ShareError(f"Số bản in cần từ 1 đến {MAX_COPIES:,}".replace(",", ".") + ".")
    return db.insert_poster(
        store,
        unit=data.unit,
        message_id=data.message_id,
        broadcast_id=data.broadcast_id,
        copies=copies,
        source=source,
        created_by=created_by,
        at=to_db_time(now),
    )
