"""Audiences: selectors like ``unit:Lê Chân`` or ``tag:nguoi_cao_tuoi`` → the chats to send to.

Selectors of the same type are alternatives (OR); different types narrow (AND):
``unit:A unit:B tag:phu_huynh groups`` = groups in A or B tagged phu_huynh. ``all`` alone
means every chat. Opted-out and inactive chats are always excluded, and so are channels that
cannot receive pushed messages (web, console).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from bot.broadcast.errors import BroadcastError
from bot.store import Store, outbox
from bot.text import fold

#: Known priority-group tags (others are allowed; officers may add their own).
PRIORITY_TAGS: tuple[str, ...] = (
    "nguoi_cao_tuoi",
    "phu_huynh",
    "ho_ngheo",
    "nguoi_co_cong",
    "nguoi_khuyet_tat",
    "cong_nhan_kcn",
    "vung_kho_khan",
)

SELECTOR_HELP = "all, channel:telegram|zalo, unit:NAME, tag:TAG, groups, private, priority-units"


@dataclass
class Audience:
    """Parsed selectors."""

    selectors: list[str]
    channels: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    priority_units: bool = False

    @property
    def single_unit(self) -> str | None:
        """The one unit targeted, if exactly one (fills ``{{ commune }}``)."""
        return self.units[0] if len(self.units) == 1 and not self.priority_units else None


def normalize_tag(tag: str) -> str:
    """``Người cao tuổi`` / ``nguoi-cao-tuoi`` → ``nguoi_cao_tuoi``."""
    folded = fold(tag.strip().lower())
    return "_".join(part for part in "".join(c if c.isalnum() else " " for c in folded).split())


def resolve_audience_unit(store: Store, name: str, province: str | None) -> str:
    """The unit name a commune written by an officer targets; ``BroadcastError`` for a typo,
    an ambiguous or an unknown name (a typo must never silently target another commune)."""
    from bot.units import resolve_unit

    match = resolve_unit(store, name, province)
    if match.unit is None and province:
        match = resolve_unit(store, name)
    how = getattr(match, "how", "exact")
    if match.unit is not None and how != "fuzzy":
        return str(match.unit["name"])
    # A typo must not silently target another commune: ask for the exact name.
    if match.unit is not None:
        raise BroadcastError(
            f"unknown unit {name!r}; did you mean {match.unit['name']!r}?",
            vi=f'Không có xã/phường "{name}". Có phải "{match.unit["name"]}"?',
        )
    if match.candidates:
        raise BroadcastError(
            f"unknown or ambiguous unit {name!r}; did you mean: {', '.join(match.candidates)}?",
            vi=f'Không có xã/phường "{name}". Có phải ' + " hay ".join(f'"{c}"' for c in match.candidates) + "?",
        )
    raise BroadcastError(
        f"unknown unit {name!r} (see data/admin_units.csv)", vi=f'Không có xã/phường "{name}" trong danh sách.'
    )


def parse_selectors(store: Store, selectors: list[str], *, province: str | None = None) -> Audience:
    """Check and parse selectors; unknown ones raise ``BroadcastError`` naming the valid forms."""
    items = [s.strip() for raw in selectors for s in raw.split(",") if s.strip()]
    if not items:
        raise BroadcastError(f"choose an audience with --to ({SELECTOR_HELP})", vi="Chọn nơi nhận tin.")
    aud = Audience(selectors=items)
    for item in items:
        key, _, value = item.partition(":")
        key = key.strip().lower()
        value = value.strip()
        if key == "all" and not value:
            continue
        if key in ("groups", "group") and not value:
            aud.kinds.append("group")
        elif key in ("private", "subscribers") and not value:
            aud.kinds.append("private")
        elif key in ("priority-units", "priority_units") and not value:
            aud.priority_units = True
        elif key == "channel" and value.lower() in outbox.PUSH_CHANNELS:
            aud.channels.append(value.lower())
        elif key == "channel":
            raise BroadcastError(
                f"unknown channel {value!r}; use {' or '.join(outbox.PUSH_CHANNELS)}",
                vi=f"Không có kênh «{value}»: chọn Telegram hoặc Zalo.",
            )
        elif key == "unit" and value:
            aud.units.append(resolve_audience_unit(store, value, province))
        elif key == "tag" and value:
            aud.tags.append(normalize_tag(value))
        else:
            raise BroadcastError(f"unknown selector {item!r}; use {SELECTOR_HELP}", vi=f"Không hiểu nơi nhận «{item}».")
    return aud


def select(store: Store, audience: Audience, *, province: str | None = None) -> list[dict[str, Any]]:
    """The chats an audience reaches now."""
    units = list(dict.fromkeys(audience.units))
    if audience.priority_units:
        below = _priority_units(store, province)
        # unit: and priority-units together narrow to the units in both lists.
        units = [u for u in units if u in below] if units else below
        if not units:
            return []
    return outbox.select_chats(
        store,
        channels=sorted(set(audience.channels)),
        units=units,
        tags=sorted(set(audience.tags)),
        kinds=sorted(set(audience.kinds)),
    )


def _priority_units(store: Store, province: str | None) -> list[str]:
    from bot.units import priority_units

    return [str(u["name"]) for u in priority_units(store, province)]


def preview(store: Store, audience: Audience, *, province: str | None = None) -> dict[str, Any]:
    """How many chats an audience reaches, by channel and kind, and the members of the groups."""
    chats = select(store, audience, province=province)
    by = Counter(f"{c['channel']}/{c['kind']}" for c in chats)
    members = sum(int(c.get("member_count") or 0) for c in chats if c["kind"] == "group")
    return {"chats": len(chats), "by_channel_kind": dict(sorted(by.items())), "group_members": members}
