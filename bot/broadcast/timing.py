"""Local time, quiet hours and parsing of officer-typed times."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.broadcast.errors import BroadcastError
from bot.config import Settings


def parse_quiet_hours(text: str) -> tuple[time, time] | None:
    """``"21:00-07:00"`` → (21:00, 07:00); empty or ``off`` → None (no quiet hours)."""
    text = (text or "").strip().lower()
    if text in ("", "off", "none", "0"):
        return None
    try:
        start_text, end_text = (part.strip() for part in text.split("-"))
        start = datetime.strptime(start_text, "%H:%M").time()
        end = datetime.strptime(end_text, "%H:%M").time()
    except ValueError as exc:
        raise BroadcastError(
            f"bad quiet hours {text!r}; use HH:MM-HH:MM, e.g. 21:00-07:00",
            vi=f"Giờ yên lặng «{text}» không đúng: viết dạng 21:00-07:00.",
        ) from exc
    return (start, end) if start != end else None


def in_quiet_hours(at: datetime, settings: Settings) -> bool:
    """True if ``at`` (aware) falls in the configured quiet hours, local time."""
    return after_quiet_hours(at, settings) != at


def after_quiet_hours(at: datetime, settings: Settings) -> datetime:
    """``at`` itself, or — when it falls in quiet hours — the end of those quiet hours (aware UTC)."""
    window = parse_quiet_hours(settings.quiet_hours)
    at = at if at.tzinfo else at.replace(tzinfo=UTC)
    if window is None:
        return at.astimezone(UTC)
    start, end = window
    tz = ZoneInfo(settings.timezone)
    local = at.astimezone(tz)
    t = local.time()
    if start < end:
        quiet = start <= t < end
        end_day = local.date()
    else:  # spans midnight, e.g. 21:00-07:00
        quiet = t >= start or t < end
        end_day = local.date() + timedelta(days=1) if t >= start else local.date()
    if not quiet:
        return at.astimezone(UTC)
    return datetime.combine(end_day, end, tzinfo=tz).astimezone(UTC)


def parse_local_time(text: str, settings: Settings) -> datetime:
    """``"2026-12-01 08:30"`` in the configured time zone → aware UTC."""
    text = (text or "").strip()
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"):
        try:
            local = datetime.strptime(text, fmt)
            break
        except ValueError:
            continue
    else:
        raise BroadcastError(
            f"bad time {text!r}; use \"YYYY-MM-DD HH:MM\" ({settings.timezone})",
            vi=f"Không đọc được thời điểm «{text}»: chọn ngày và giờ có thật, ví dụ 01/12/2026 08:30.",
        )
    return local.replace(tzinfo=ZoneInfo(settings.timezone)).astimezone(UTC)


def parse_future_time(text: str, settings: Settings, now: datetime | None = None) -> datetime:
    """Like :func:`parse_local_time`, but a time already past is refused (CLI and admin alike)."""
    when = parse_local_time(text, settings)
    if when < (now or datetime.now(UTC)):
        raise BroadcastError(
            f"the time {text.strip()!r} has already passed; choose a time in the future",
            vi="Thời điểm gửi đã qua; chọn một thời điểm trong tương lai.",
        )
    return when

