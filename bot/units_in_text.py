"""Finding an administrative unit named inside a sentence ("tuần này phường Lê Chân khám ở đâu").

Three passes, each stricter about what it accepts than the one before is about form:
an exact phrase (diacritics ignored, longest first); then, right after a place marker
("xã", "phường", "ở", "tại"), a short window matched with typo tolerance; then, for a short
message that is nothing but a misspelt name and filler words ("ke sta"), a near-miss of at
most one or two edits. Whole-text resolution lives in ``bot/units.py``.
"""

from __future__ import annotations

from rapidfuzz.distance import DamerauLevenshtein

from bot.store import Store
from bot.text import fold
from bot.units import PREFIX_1, PREFIX_2, UnitIndex, UnitMatch, fresh_match, tokens_of, unit_index

# Words after which a place name is expected (folded).
_MARKERS = {"xa", "phuong", "p", "o", "tai", "khu", "dac", "vung", "x", "tt"}
# Words that, right after a marker, say it is not a name: "phường mình", "xã tôi", "ở nhà".
_NOT_A_NAME = {"minh", "toi", "em", "nha", "ta", "chung", "nay", "kia", "ban", "anh", "co", "khong", "nao", "gan", "day", "dau"}
# Words of a question that are never part of a unit name (checked against the names too).
_FILLER = {
    "kham", "o", "dau", "khi", "nao", "lich", "diem", "co", "khong", "ko", "k", "vay", "a", "nhe", "ad",
    "oi", "cho", "hoi", "xem", "muon", "biet", "voi", "the", "nhi", "ha", "luu", "dong", "suc", "khoe",
    "mien", "phi", "sang", "loc", "tai", "xa", "phuong", "p", "dac", "khu", "x", "tt", "gi", "j", "z",
}
#: Typo tolerance after "ở" / "tại" (which precede ordinary words too) is stricter.
WEAK_MARKER_SCORE = 88.0
#: Lowest score for a suggestion made from inside a sentence.
SENTENCE_SUGGEST_SCORE = 70.0

Span = tuple[int, int]


def find_unit_in_text(store: Store, text: str, province: str | None = None) -> UnitMatch:
    """The unit named somewhere in a sentence ("điểm khám ở Kẻ Sặt tuần này"), if any."""
    return fresh_match(store, find_in_text(unit_index(store, province), text or "")[0])


def find_in_text(index: UnitIndex, text: str) -> tuple[UnitMatch, Span | None, list[str]]:
    """Find a unit named inside ``text``.

    Returns the match, the (start, end) token span it came from (or None) and the
    normalised tokens, so callers can parse the rest of the sentence without it.
    Exact phrase matches win (longest first); then, after a place marker ("xã", "ở",
    "tại"), a short window is matched with typo tolerance.
    """
    tokens, folded = tokens_of(text)
    found = _exact_phrase(index, tokens, folded)
    if found is None:
        # Typo tolerance only right after a place marker, to avoid matching ordinary words.
        found, suggestions = _after_marker(index, folded)
        if found is None and not suggestions:
            found = _bare_name_with_typo(index, folded)
        if found is None:
            return UnitMatch(None, suggestions[:3], "unknown"), None, tokens
    return found[0], found[1], tokens


def _exact_phrase(index: UnitIndex, tokens: list[str], folded: list[str]) -> tuple[UnitMatch, Span] | None:
    """The longest run of words that is a unit name or alias (diacritics ignored)."""
    n = len(tokens)
    for size in range(min(index.max_words, n), 1, -1):
        for start in range(0, n - size + 1):
            end = start + size
            key = " ".join(folded[start:end])
            if key not in index.folded and key not in index.alias_folded:
                continue
            kind = _kind_before(folded, start)
            match = index.resolve_tokens(tokens[start:end], folded[start:end], kind, fuzzy=False)
            if match.unit is not None or match.ambiguous:
                return match, (_with_prefix(folded, start), end)
    return None


def _after_marker(index: UnitIndex, folded: list[str]) -> tuple[tuple[UnitMatch, Span] | None, list[str]]:
    """A typo-tolerant match right after a place marker, else the suggestions gathered."""
    n = len(folded)
    suggestions: list[str] = []
    for i, word in enumerate(folded):
        if word not in _MARKERS:
            continue
        start = i + 1
        if word == "dac" and start < n and folded[start] == "khu":
            start += 1
        if start < n and (folded[start] in _MARKERS or folded[start] in PREFIX_1):
            continue  # "ở xã Hồng Bàng": the next marker carries the name
        if start >= n or folded[start] in _NOT_A_NAME:
            continue
        best_window = _best_window(index, folded, start)
        if best_window is None:
            continue
        score, end, match = best_window
        weak = word in ("o", "tai", "khu", "vung")  # "ở trung tâm" must not become Trường Tân
        if weak and score < WEAK_MARKER_SCORE:
            continue
        if match.unit is not None or match.ambiguous:
            return (match, (i if word not in ("o", "tai") else i + 1, end)), suggestions
        if word not in ("o", "tai") and score >= SENTENCE_SUGGEST_SCORE:
            # "ở đâu" is not a misspelt place name; a weak resemblance is no suggestion.
            suggestions.extend(c for c in match.candidates if c not in suggestions)
    return None, suggestions


def _best_window(index: UnitIndex, folded: list[str], start: int) -> tuple[float, int, UnitMatch] | None:
    """Of the short windows starting at ``start``, the best-scoring one: (score, end, match)."""
    best: tuple[float, int, UnitMatch] | None = None
    for end in range(start + 1, min(len(folded), start + index.max_words) + 1):
        if not folded[end - 1].isalpha():
            break
        key = " ".join(folded[start:end])
        scored = index.scored(key)
        if not scored:
            continue
        if best is None or scored[0][1] > best[0]:
            best = (scored[0][1], end, index.fuzzy(key, _kind_before(folded, start)))
    return best


def _bare_name_with_typo(index: UnitIndex, folded: list[str]) -> tuple[UnitMatch, Span] | None:
    """"ke sta", "kham o le chanh": a short message that is a misspelt name plus filler.

    Filler words that never occur in a unit name are dropped; what is left (1–4 words,
    no digits) gets the typo-tolerant match.
    """
    keep = [i for i, w in enumerate(folded) if w not in _FILLER or w in index.syllables]
    if not 1 <= len(keep) <= 4 or keep[-1] - keep[0] + 1 != len(keep):
        return None
    if any(not folded[i].isalpha() for i in keep):
        return None
    key = " ".join(folded[i] for i in keep)
    match = index.fuzzy(key, None)
    if match.unit is None:
        return None
    # Without a "xã"/"ở" cue, demand a near-miss: one edit or swap (two for long names).
    # "ke sta" is Kẻ Sặt; "thu y" (thú y) is not Tứ Kỳ, "trung tam" is not Trường Tân.
    names = [fold(match.unit["name"].lower())] + [k for k, units in index.alias_folded.items() if match.unit in units]
    allowed = 2 if len(key) >= 10 else 1
    if min(DamerauLevenshtein.distance(key, n) for n in names) > allowed:
        return None
    return match, (keep[0], keep[-1] + 1)


def _kind_before(folded: list[str], start: int) -> str | None:
    """The folded unit type written just before ``start`` ("phuong", "dac khu"), if any."""
    if start >= 2 and (folded[start - 2], folded[start - 1]) in PREFIX_2:
        return f"{folded[start - 2]} {folded[start - 1]}"
    if start >= 1 and folded[start - 1] in PREFIX_1:
        return {"p": "phuong", "f": "phuong", "x": "xa", "tt": "thi tran"}.get(folded[start - 1], folded[start - 1])
    return None


def _with_prefix(folded: list[str], start: int) -> int:
    """Extend a span start back over a unit-type word ("phường Lê Chân")."""
    if start >= 2 and (folded[start - 2], folded[start - 1]) in PREFIX_2:
        return start - 2
    if start >= 1 and folded[start - 1] in PREFIX_1:
        return start - 1
    return start
