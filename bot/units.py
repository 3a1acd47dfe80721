"""Resolving what a resident or officer typed to an administrative unit (xã/phường/đặc khu).

``resolve_unit`` is the one entry point every feature uses (site look-up, broadcast
selectors, report filters, imports). It never raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bot.store import Store
from bot.store.units import list_units
from bot.text import fold, normalize

_PREFIX = re.compile(r"^(?:xa|phuong|p|x|dac khu|thi tran|tt)[.\s]+")


@dataclass
class UnitMatch:
    """The resolved unit row (or None) and, when ambiguous or unknown, candidate names."""

    unit: dict[str, Any] | None
    candidates: list[str] = field(default_factory=list)


def _key(text: str) -> str:
    key = fold(normalize(text))
    return _PREFIX.sub("", key).strip()


def resolve_unit(store: Store, text: str, province: str | None = None) -> UnitMatch:
    """Match ``text`` ("P. Lê Chân", "xa ke sat") to one admin unit of ``province`` (or any).

    Exact match on the folded name without the xã/phường prefix; several units with the
    same folded name give candidates instead of a guess.
    """
    key = _key(text)
    if not key:
        return UnitMatch(None, [])
    units = list_units(store, province)
    hits = [u for u in units if u["name_folded"] == key]
    if len(hits) == 1:
        return UnitMatch(hits[0], [])
    if len(hits) > 1:
        return UnitMatch(None, [f"{u['unit_type']} {u['name']}" for u in hits])
    return UnitMatch(None, [])
