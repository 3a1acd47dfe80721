"""Resolving what a resident or officer typed to an administrative unit (xã/phường/đặc khu).

``resolve_unit`` is the one entry point every feature uses (site look-up, broadcast
selectors, report filters, imports). It never raises. It accepts names typed without
diacritics, with a typo, with or without the "xã" / "phường" / "P." prefix, and old or
variant spellings listed in ``data/unit_aliases.csv`` (the city's letters write "Kê Sắt"
for Kẻ Sặt and "Chân Hưng" for Chấn Hưng). When a name is genuinely ambiguous ("cam giang":
Cẩm Giang or Cẩm Giàng) it returns candidates instead of guessing.

Finding a unit inside a sentence ("tuần này phường Lê Chân khám ở đâu") is
``bot/units_in_text.py``.
``priority_units`` lists the units whose health-book integration rate is below the average.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from bot.config import PROJECT_ROOT
from bot.store import Store
from bot.store.units import get_unit, list_units, province_average, units_signature
from bot.text import fold, normalize

ALIASES_FILE = PROJECT_ROOT / "data" / "unit_aliases.csv"

# Leading words that name the unit type (folded). Two-word ones are checked first.
PREFIX_2 = {("dac", "khu"), ("thi", "tran"), ("thi", "xa")}
PREFIX_1 = {"xa", "phuong", "p", "x", "tt", "f"}
# "P.Lê Chân", "X.Kẻ Sặt": a dotted abbreviation glued to the name.
_GLUED_ABBREV = re.compile(r"(?i)\b(p|x|tt|f)\.(?=\w)")

#: Fuzzy score (0–100, rapidfuzz ratio on folded names) needed to accept a typo.
ACCEPT_SCORE = 80.0
#: How far ahead of the runner-up a fuzzy match must be to be taken without asking.
MARGIN = 6.0
#: Lowest score still offered as a suggestion.
SUGGEST_SCORE = 55.0

@dataclass
class UnitMatch:
    """The resolved unit row (or None) and, when ambiguous or unknown, candidate names.

    ``candidates`` are plain unit names ("Cẩm Giang", "Cẩm Giàng"). ``how`` says how the
    match was made: ``exact``, ``folded`` (diacritics ignored), ``alias``, ``fuzzy`` (typo),
    ``ambiguous`` (several units fit: ask), ``unknown`` (candidates are suggestions) or ``empty``.
    """

    unit: dict[str, Any] | None
    candidates: list[str] = field(default_factory=list)
    how: str = "unknown"

    @property
    def ambiguous(self) -> bool:
        """True when several units fit equally and the resident should choose."""
        return self.how == "ambiguous"


def unit_label(unit: dict[str, Any]) -> str:
    """"xã Kẻ Sặt", "phường Lê Chân", "đặc khu Cát Hải"."""
    return f"{unit['unit_type']} {unit['name']}"


def _split_prefix(tokens: list[str], folded: list[str]) -> tuple[list[str], list[str], str | None]:
    """Drop a leading unit-type word; return (tokens, folded tokens, folded type or None)."""
    if len(folded) > 2 and (folded[0], folded[1]) in PREFIX_2:
        return tokens[2:], folded[2:], f"{folded[0]} {folded[1]}"
    if len(folded) > 1 and folded[0] in PREFIX_1:
        kind = {"p": "phuong", "f": "phuong", "x": "xa", "tt": "thi tran"}.get(folded[0], folded[0])
        return tokens[1:], folded[1:], kind
    return tokens, folded, None


def tokens_of(text: str) -> tuple[list[str], list[str]]:
    """Normalised tokens (diacritics kept) and their folded forms."""
    text = _GLUED_ABBREV.sub(r"\1 ", text or "")
    tokens = normalize(text).split()
    return tokens, [fold(t) for t in tokens]


@lru_cache(maxsize=4)
def _load_aliases(path: Path) -> tuple[tuple[str, str, str], ...]:
    """(province, alias, unit name) rows of the alias file; a missing file means no aliases."""
    if not path.exists():
        return ()
    out = []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(line for line in fh if not line.startswith("#")):
            alias = (row.get("alias") or "").strip()
            unit = (row.get("unit") or "").strip()
            if alias and unit:
                out.append(((row.get("province") or "").strip(), alias, unit))
    return tuple(out)


class UnitIndex:
    """Every unit of a province (or all), indexed by exact, folded and alias names."""

    def __init__(self, units: list[dict[str, Any]], aliases: tuple[tuple[str, str, str], ...] = ()) -> None:
        self.units = units
        self.exact: dict[str, list[dict[str, Any]]] = {}
        self.folded: dict[str, list[dict[str, Any]]] = {}
        by_name: dict[tuple[str, str], dict[str, Any]] = {(u["province"], u["name"]): u for u in units}
        for u in units:
            self._add(normalize(u["name"]), u, "name")
        self.alias_exact: dict[str, list[dict[str, Any]]] = {}
        self.alias_folded: dict[str, list[dict[str, Any]]] = {}
        for province, alias, name in aliases:
            targets = [u for (p, n), u in by_name.items() if n == name and (not province or p == province)]
            for u in targets:
                self._add(normalize(alias), u, "alias")
        # Every syllable of a name or alias: filler words that are also name syllables stay.
        self.syllables = {w for key in list(self.folded) + list(self.alias_folded) for w in key.split()}
        # Fuzzy choices: folded names and folded aliases, each mapped to its units.
        self._fuzzy_keys = sorted(set(self.folded) | set(self.alias_folded))
        self.max_words = max((len(k.split()) for k in self._fuzzy_keys), default=1)

    def _add(self, key: str, unit: dict[str, Any], source: str) -> None:
        exact, folded = (self.exact, self.folded) if source == "name" else (self.alias_exact, self.alias_folded)
        for table, k in ((exact, key), (folded, fold(key))):
            bucket = table.setdefault(k, [])
            if unit not in bucket:
                bucket.append(unit)

    # --- whole-text resolution -------------------------------------------------------------
    def resolve(self, text: str) -> UnitMatch:
        """Match a whole text ("P. Lê Chân", "xa ke sat", "Kê Sắt") to one unit."""
        tokens, folded = tokens_of(text)
        tokens, folded, kind = _split_prefix(tokens, folded)
        if not tokens:
            return UnitMatch(None, [], "empty")
        return self.resolve_tokens(tokens, folded, kind, fuzzy=True)

    def resolve_tokens(self, tokens: list[str], folded: list[str], kind: str | None, *, fuzzy: bool) -> UnitMatch:
        exact_key = " ".join(tokens)
        folded_key = " ".join(folded)
        # 1. Written exactly (diacritics decide: Cẩm Giàng is not Cẩm Giang).
        hits = self._by_kind(self.exact.get(exact_key, []), kind)
        if len(hits) == 1:
            return UnitMatch(hits[0], [], "exact")
        # 2. An old or variant spelling written exactly ("Kê Sắt").
        alias_hits = self._by_kind(self.alias_exact.get(exact_key, []), kind)
        if not hits and len(alias_hits) == 1:
            return UnitMatch(alias_hits[0], [], "alias")
        # 3. Diacritics missing or wrong: every unit whose folded name (or alias) fits.
        if not hits:
            hits = self._by_kind(self.folded.get(folded_key, []), kind)
            how = "folded"
            if not hits:
                hits = self._by_kind(self.alias_folded.get(folded_key, []), kind)
                how = "alias"
            if len(hits) == 1:
                return UnitMatch(hits[0], [], how)
        if len(hits) > 1:
            return UnitMatch(None, unit_names(hits), "ambiguous")
        if not fuzzy:
            return UnitMatch(None, [], "unknown")
        return self.fuzzy(folded_key, kind)

    def _by_kind(self, units: list[dict[str, Any]], kind: str | None) -> list[dict[str, Any]]:
        """Narrow to the typed unit type when that still leaves a match."""
        if kind and len(units) > 1:
            narrowed = [u for u in units if fold(u["unit_type"]) == kind]
            if narrowed:
                return narrowed
        return units

    def scored(self, folded_key: str) -> list[tuple[dict[str, Any], float]]:
        """Units by fuzzy score on folded names and aliases, best first, one entry per unit."""
        if not self._fuzzy_keys:
            return []
        results = process.extract(folded_key, self._fuzzy_keys, scorer=fuzz.ratio, limit=8, score_cutoff=SUGGEST_SCORE)
        best: dict[int, tuple[dict[str, Any], float]] = {}
        for key, score, _ in results:
            for u in self.folded.get(key, []) + self.alias_folded.get(key, []):
                if u["id"] not in best or best[u["id"]][1] < score:
                    best[u["id"]] = (u, score)
        return sorted(best.values(), key=lambda pair: (-pair[1], pair[0]["name"]))

    def fuzzy(self, folded_key: str, kind: str | None) -> UnitMatch:
        scored = self.scored(folded_key)
        if not scored:
            return UnitMatch(None, [], "unknown")
        top, top_score = scored[0]
        runner_up = scored[1][1] if len(scored) > 1 else 0.0
        if top_score >= ACCEPT_SCORE and top_score - runner_up >= MARGIN:
            return UnitMatch(top, [], "fuzzy")
        close = [u for u, s in scored if s >= ACCEPT_SCORE and top_score - s < MARGIN]
        # The typed unit type only breaks ties: residents often say "xã" for a phường.
        if kind and len(close) > 1:
            typed = [u for u in close if fold(u["unit_type"]) == kind]
            if len(typed) == 1:
                return UnitMatch(typed[0], [], "fuzzy")
        if len(close) > 1:
            return UnitMatch(None, unit_names(close), "ambiguous")
        return UnitMatch(None, unit_names([u for u, _ in scored[:3]]), "unknown")

    def suggest(self, text: str, limit: int = 3) -> list[str]:
        """The closest unit names to ``text`` (for "did you mean" messages)."""
        tokens, folded = tokens_of(text)
        _, folded, _ = _split_prefix(tokens, folded)
        return unit_names([u for u, _ in self.scored(" ".join(folded))[:limit]])


def unit_names(units: list[dict[str, Any]]) -> list[str]:
    """Plain names, or "type name" where two units share a name."""
    names = [u["name"] for u in units]
    out = [unit_label(u) if names.count(u["name"]) > 1 else u["name"] for u in units]
    return list(dict.fromkeys(out))


# One index per (store, province), rebuilt when the admin units change.
_INDEX_CACHE: dict[tuple[int, str | None], tuple[tuple[Any, ...], UnitIndex]] = {}


def unit_index(store: Store, province: str | None = None) -> UnitIndex:
    """The (cached) unit index of ``province`` (or every province) with the shipped aliases."""
    key = (id(store), province)
    signature = (store.path, *units_signature(store))
    cached = _INDEX_CACHE.get(key)
    if cached and cached[0] == signature:
        return cached[1]
    index = UnitIndex(list_units(store, province), _load_aliases(ALIASES_FILE))
    if len(_INDEX_CACHE) > 32:
        _INDEX_CACHE.clear()
    _INDEX_CACHE[key] = (signature, index)
    return index


def resolve_unit(store: Store, text: str, province: str | None = None) -> UnitMatch:
    """Match ``text`` ("P. Lê Chân", "xa ke sat", "Kê Sắt", "le chanh") to one admin unit
    of ``province`` (or any province).

    Order: exact name with diacritics → alias → name without diacritics → typo-tolerant
    match that is clearly ahead of the runner-up. Several equally good units give
    ``candidates`` (``how == "ambiguous"``) instead of a guess; an unknown name gives the
    closest names as suggestions. Never raises.
    """
    try:
        return fresh_match(store, unit_index(store, province).resolve(text or ""))
    except Exception:  # noqa: BLE001 - a resolver must never break the caller's answer
        return UnitMatch(None, [], "unknown")


def fresh_match(store: Store, match: UnitMatch) -> UnitMatch:
    """The match with its unit row re-read, so a rate imported a moment ago is current."""
    if match.unit is not None:
        row = get_unit(store, int(match.unit["id"]))
        if row is not None:
            match = UnitMatch(row, match.candidates, match.how)
    return match


def priority_units(store: Store, province: str | None = None) -> list[dict[str, Any]]:
    """Units with a known health-book integration rate below their province's average.

    The average is the official figure imported with the rates CSV (``loa sites rates``)
    when there is one, otherwise the mean of the units' known rates. Each row is the admin
    unit with ``province_avg_pct`` added; lowest rate first.
    """
    units = [u for u in list_units(store, province) if u.get("health_book_rate_pct") is not None]
    out = []
    averages: dict[str, float | None] = {}
    for u in units:
        prov = u["province"]
        if prov not in averages:
            averages[prov] = province_average(store, prov)
        avg = averages[prov]
        if avg is not None and u["health_book_rate_pct"] < avg:
            out.append({**u, "province_avg_pct": avg})
    out.sort(key=lambda u: (u["health_book_rate_pct"], u["province"], u["name"]))
    return out
