"""Finding sessions for a question: by commune, by shared location, by date words, combined."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.sites.dates import DateRange, parse_date_words
from bot.sites.places import distinctive_pairs, match_sites
from bot.store import Store
from bot.store import sites as site_store
from bot.text import fold
from bot.units import UnitMatch, unit_index
from bot.units_in_text import find_in_text

MAX_DISTANCE_KM = 30.0  # a shared location farther than this from every site finds nothing
NEAREST = 5


@dataclass
class Query:
    """What a question asks for."""

    unit_match: UnitMatch
    dates: DateRange | None = None
    kind: str | None = None  # co_dinh | luu_dong when the question says so
    location: tuple[float, float] | None = None
    part_of_day: str | None = None  # sang | chieu | toi
    sites: list[dict[str, Any]] = field(default_factory=list)  # sites named in the question

    @property
    def unit(self) -> dict[str, Any] | None:
        """The resolved unit row, if any."""
        return self.unit_match.unit

    @property
    def unit_name(self) -> str | None:
        """The commune asked about: the resolved unit, or the one unit of the named sites."""
        if self.unit is not None:
            return str(self.unit["name"])
        units = {s["unit"] for s in self.sites}
        return units.pop() if len(units) == 1 else None


@dataclass
class LookupResult:
    """Sessions found for a query, each a dict (site, address, date, start, end, kind, unit,
    targets, contact, note, lat, lon, and ``distance_km`` for location look-ups)."""

    query: Query
    today: date
    sessions: list[dict[str, Any]] = field(default_factory=list)
    searched: bool = False  # False when the question lacked a commune, date and location
    now_hhmm: str | None = None  # local time of the question, to mark today's ended sessions

    def to_json(self) -> dict[str, Any]:
        """The stable JSON shape of ``loa sites find --json``."""
        return {
            "unit": self.query.unit_name,
            "candidates": list(self.query.unit_match.candidates),
            "sessions": [
                {
                    "site": s["name"],
                    "address": s["address"],
                    "date": s["date"],
                    "start": s["start"],
                    "end": s["end"],
                    "kind": s["kind"],
                }
                for s in self.sessions
            ],
        }


def local_today(now: datetime, timezone: str) -> tuple[date, str]:
    """The local date and HH:MM time of an aware ``now`` in ``timezone``."""
    local = now.astimezone(ZoneInfo(timezone))
    return local.date(), local.strftime("%H:%M")


_PARTS = {"sang": ("00:00", "11:59"), "trua": ("10:30", "13:59"), "chieu": ("12:00", "17:59"), "toi": ("17:00", "23:59")}


def _part_of_day(folded: str) -> str | None:
    """"sáng thứ bảy" → sang; "chiều mai" → chieu (the session must start in that part)."""
    m = re.search(r"\b(buoi\s+)?(sang|trua|chieu|toi)\b", folded)
    if not m:
        return None
    if m.group(1):
        return m.group(2)
    # Without "buổi", the word must lead a day ("sáng mai", "chiều thứ 7"); "tôi" (I) folds
    # like "tối" (evening), so "toi" only counts before "nay" / "mai".
    follow = r"(mai|nay)" if m.group(2) == "toi" else r"(mai|nay|thu|chu|t\d|\d)"
    if re.search(rf"\b{m.group(2)}\s+{follow}\b", folded):
        return m.group(2)
    return None


def _kind_of(text: str) -> str | None:
    folded = fold(text.lower())
    if re.search(r"\bluu\s*dong\b", folded):
        return "luu_dong"
    if re.search(r"\bco\s*dinh\b|\btai tram\b", folded):
        return "co_dinh"
    return None


def parse_query(
    store: Store,
    text: str,
    *,
    today: date,
    province: str | None,
    location: tuple[float, float] | None = None,
) -> Query:
    """Read the commune, date words and kind out of a resident's question."""
    match, span, tokens = find_in_text(unit_index(store, province), text or "")
    rest = tokens if span is None else tokens[: span[0]] + tokens[span[1] :]
    folded_rest = fold(" ".join(rest))
    sites: list[dict[str, Any]] = []
    if match.unit is None and not match.ambiguous and location is None and distinctive_pairs(folded_rest.split()):
        sites = match_sites(site_store.site_places(store, province), folded_rest.split())
    return Query(
        unit_match=match,
        dates=parse_date_words(" ".join(rest), today),
        kind=_kind_of(" ".join(rest)),
        location=location,
        part_of_day=_part_of_day(folded_rest),
        sites=sites,
    )


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine) in kilometres."""
    r = 6371.0088
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(min(1.0, math.sqrt(a)))


def run_query(
    store: Store,
    query: Query,
    *,
    today: date,
    now_hhmm: str | None = None,
    province: str | None,
    limit: int | None = None,
) -> LookupResult:
    """Sessions for ``query``: upcoming only unless the question asked for past dates.

    ``now_hhmm`` (local time) drops today's sessions that have already ended when no date
    was asked; pass None to keep all of today's sessions (``--today`` in the CLI).
    """
    result = LookupResult(query=query, today=today, now_hhmm=now_hhmm)
    if query.unit is None and query.dates is None and query.location is None and not query.sites:
        return result
    if query.unit_match.ambiguous:
        return result
    result.searched = True
    start, end = today, None
    if query.dates is not None:
        start, end = query.dates.start, query.dates.end
        if end >= today:
            start = max(start, today)  # only upcoming, unless the whole range is in the past
    rows = site_store.find_sessions(
        store,
        province=province,
        unit_ids=[int(query.unit["id"])] if query.unit else None,
        date_from=start.isoformat(),
        date_to=end.isoformat() if end else None,
        kind=query.kind,
        with_coordinates=query.location is not None and query.unit is None,
        site_ids=[int(s["id"]) for s in query.sites] if query.sites else None,
    )
    if query.part_of_day:
        low, high = _PARTS[query.part_of_day]
        rows = [r for r in rows if low <= r["start"] <= high]
    if now_hhmm and query.dates is None:
        today_iso = today.isoformat()
        rows = [r for r in rows if not (r["date"] == today_iso and r["end"] <= now_hhmm)]
    if query.location is not None:
        lat, lon = query.location
        for r in rows:
            if r["lat"] is not None and r["lon"] is not None:
                r["distance_km"] = distance_km(lat, lon, r["lat"], r["lon"])
        if query.unit is None:
            rows = [r for r in rows if r.get("distance_km", math.inf) <= MAX_DISTANCE_KM]
            rows = _nearest_sites(rows)
    result.sessions = rows[:limit] if limit else rows
    return result


def _nearest_sites(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Nearest sites first; each site's sessions in date order; at most NEAREST sites."""
    by_site: dict[int, list[dict[str, Any]]] = {}
    for r in rows:
        by_site.setdefault(r["site_id"], []).append(r)
    ordered = sorted(by_site.values(), key=lambda group: (group[0]["distance_km"], group[0]["date"]))
    return [r for group in ordered[:NEAREST] for r in group]


def lookup(
    store: Store,
    text: str = "",
    *,
    now: datetime,
    timezone: str,
    province: str | None,
    location: tuple[float, float] | None = None,
    fixed_today: date | None = None,
    limit: int | None = None,
) -> LookupResult:
    """Parse ``text`` (and an optional shared location) and find the matching sessions.

    ``fixed_today`` pins "today" for date words and keeps all of that day's sessions.
    """
    if fixed_today is not None:
        today, hhmm = fixed_today, None
    else:
        today, hhmm = local_today(now, timezone)
    query = parse_query(store, text, today=today, province=province, location=location)
    return run_query(store, query, today=today, now_hhmm=hhmm, province=province, limit=limit)
