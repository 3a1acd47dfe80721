"""Answers about screening sessions, in Vietnamese, short enough for a phone screen."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.config import Settings
from bot.sites.dates import WEEKDAY_NAMES
from bot.sites.lookup import LookupResult
from bot.sites.model import KIND_LABELS
from bot.text import collation_key, fold
from bot.units import unit_label

MAX_SITES = 4  # sites shown in one answer
MAX_DATES_PER_SITE = 3
MAX_UNITS_LISTED = 8  # communes named when asking which one; the rest are counted


def _hhmm(value: str) -> str:
    """"07:30" → "7:30"."""
    return value[1:] if value.startswith("0") else value


def _day(iso: str) -> str:
    d = date.fromisoformat(iso)
    return f"{WEEKDAY_NAMES[d.weekday()]} {d.day:02d}/{d.month:02d}"


def _km(value: float) -> str:
    if value < 1:
        return f"{int(round(value * 1000, -1))} m"
    return f"{value:.1f}".replace(".", ",") + " km"


def where_text(result: LookupResult) -> str:
    """"ở xã Kẻ Sặt", "gần bạn" or "" for the answer's heading."""
    unit = result.query.unit
    if unit:
        return f"ở {unit_label(unit)}"
    if result.query.location:
        return "gần bạn"
    if len(result.query.sites) == 1:
        return f"tại {result.query.sites[0]['name']}"
    if result.query.unit_name:
        return f"ở {result.query.unit_name}"
    return ""


_PART_LABELS = {"sang": "buổi sáng", "trua": "buổi trưa", "chieu": "buổi chiều", "toi": "buổi tối"}


def when_text(result: LookupResult) -> str:
    """"tuần này", "buổi chiều Thứ Bảy 28/11" or "sắp tới"."""
    label = result.query.dates.label if result.query.dates else "sắp tới"
    part = _PART_LABELS.get(result.query.part_of_day or "")
    return f"{part} {label}" if part else label


def _group_by_site(sessions: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    groups: dict[int, list[dict[str, Any]]] = {}
    for s in sessions:
        groups.setdefault(s["site_id"], []).append(s)
    return list(groups.values())


def format_sessions(
    result: LookupResult,
    settings: Settings,
    *,
    contacts: list[str] | None = None,
    next_session: dict[str, Any] | None = None,
) -> str:
    """The answer to a look-up: the sessions grouped by site, or who to call when none.

    ``next_session`` (the unit's next session outside the asked dates) is mentioned when
    nothing matched, so "none on Saturday" still tells the resident when there is one.
    """
    where = where_text(result)
    when = when_text(result)
    kind = f" {KIND_LABELS[result.query.kind]}" if result.query.kind else ""
    if not result.sessions:
        return _nothing_found(result, settings, contacts, next_session, where, when, kind)
    head = f"Lịch khám sức khỏe miễn phí{kind} {where}, {when}:".replace("  ", " ").replace(" ,", ",")
    lines = [head]
    groups = _group_by_site(result.sessions)
    for group in groups[:MAX_SITES]:
        lines.append("")
        lines.extend(_site_lines(group, result))
    if len(groups) > MAX_SITES:
        rest = sum(len(g) for g in groups[MAX_SITES:])
        lines.append("")
        lines.append(f"Còn {rest} buổi ở {len(groups) - MAX_SITES} điểm khác. Nhắn kèm tên xã/phường hoặc ngày để xem gọn hơn.")
    lines.append("")
    lines.append("Nhớ mang CCCD (hoặc VNeID) và thẻ BHYT nếu có.")
    return "\n".join(lines)


def _nothing_found(
    result: LookupResult,
    settings: Settings,
    contacts: list[str] | None,
    next_session: dict[str, Any] | None,
    where: str,
    when: str,
    kind: str,
) -> str:
    """No session matched: say so, mention the next one if known, and who to call."""
    if result.query.dates:
        first = f"Chưa có lịch khám{kind} {where}, {when}."
    else:
        first = f"Chưa có lịch khám{kind} sắp tới {where}."
    lines = [first.replace("  ", " ").replace(" ,", ",").replace(" .", ".")]
    if next_session:
        lines.append(
            f"Buổi gần nhất: {_day(next_session['date'])}, {_hhmm(next_session['start'])}–"
            f"{_hhmm(next_session['end'])} tại {next_session['name']} ({_address(next_session)})."
        )
    if result.query.location and not result.query.unit:
        lines.append("Bạn có thể nhắn tên xã/phường của mình để Loa tìm lịch khám.")
    lines.append(_who_to_call(settings, contacts))
    return "\n".join(lines)


def _site_lines(group: list[dict[str, Any]], result: LookupResult) -> list[str]:
    """One site's block: name, address, its sessions (at most MAX_DATES_PER_SITE), details."""
    s = group[0]
    title = f"📍 {s['name']} ({KIND_LABELS.get(s['kind'], s['kind'])})"
    if s.get("distance_km") is not None:
        title += f" — cách {_km(s['distance_km'])}"
    lines = [title]
    if s["address"]:
        lines.append(f"Địa chỉ: {_address(s)}")
    today = result.today.isoformat()
    shown = group[:MAX_DATES_PER_SITE]
    # Target groups said once when every shown session has the same, else per session.
    same_targets = len({x["targets"] for x in shown}) == 1
    for session in shown:
        ended = session["date"] == today and result.now_hhmm is not None and session["end"] <= result.now_hhmm
        line = f"🗓 {_day(session['date'])}, {_hhmm(session['start'])}–{_hhmm(session['end'])}"
        if ended:
            line += " (đã kết thúc)"
        if not same_targets and session["targets"]:
            line += f" — {session['targets']}"
        lines.append(line)
    if len(group) > MAX_DATES_PER_SITE:
        lines.append(f"… và {len(group) - MAX_DATES_PER_SITE} buổi khác")
    if same_targets and s["targets"]:
        lines.append(f"Dành cho: {s['targets']}")
    if s["contact"]:
        lines.append(f"Liên hệ: {s['contact']}")
    if s["note"]:
        lines.append(f"Ghi chú: {s['note']}")
    return lines


def _address(session: dict[str, Any]) -> str:
    """The address, with the unit name added when the officer left it out."""
    address, unit = str(session["address"]), str(session["unit"])
    if fold(unit.lower()) in fold(address.lower()):
        return address
    return f"{address}, {unit}"


def _who_to_call(settings: Settings, contacts: list[str] | None) -> str:
    if contacts:
        return f"Bạn có thể liên hệ {contacts[0]} hoặc gọi đường dây nóng {settings.health_hotline} để hỏi lịch."
    return f"Bạn có thể hỏi {settings.local_contact} hoặc gọi đường dây nóng {settings.health_hotline}."


def format_ask_unit(settings: Settings, suggestions: list[str], units_with_sessions: list[str]) -> str:
    """When the question names no commune (or an unknown one): ask for it."""
    lines = []
    if suggestions:
        lines.append(f"Loa chưa tìm thấy xã/phường này. Có phải bạn muốn hỏi: {', '.join(suggestions)}?")
    else:
        # The example names a commune of this province (a Lạng Sơn deployment must not say Kẻ Sặt).
        from bot.faq.kb import example_unit

        example = units_with_sessions[0] if units_with_sessions else example_unit(str(settings.content_dir), settings.province)
        lines.append(f"Bạn ở xã/phường nào? Nhắn tên xã/phường, ví dụ: “điểm khám ở {example} tuần này”,")
        lines.append("hoặc gửi vị trí của bạn để Loa tìm điểm khám gần nhất.")
    if units_with_sessions:
        ordered = sorted(units_with_sessions, key=collation_key)
        shown = ", ".join(ordered[:MAX_UNITS_LISTED])
        more = len(ordered) - MAX_UNITS_LISTED
        lines.append("")
        lines.append(f"Đã có lịch khám ở: {shown}" + (f" và {more} xã/phường khác." if more > 0 else "."))
        if more > 0:
            lines.append("Nhắn tên xã/phường của bạn để xem lịch ở đó.")
    lines.append(_who_to_call(settings, None))
    return "\n".join(lines)


def format_ambiguous(candidates: list[str]) -> str:
    """Ask which of several communes the resident meant (choices follow, numbered)."""
    lines = ["Bạn muốn hỏi xã/phường nào?"]
    lines += [f"{i}. {name}" for i, name in enumerate(candidates, start=1)]
    lines.append("Gõ số để chọn.")
    return "\n".join(lines)
