"""Vietnamese text normalisation shared by every feature.

Residents type with or without diacritics, with telex leftovers (``khams``), teencode
(``ko``, ``dc``, ``ntn``) and either tone-placement convention (``hoà`` / ``hòa``).
Everything that compares text goes through :func:`normalize` and, when tones must
not matter, :func:`fold`.

The functions here never raise on any ``str`` input and are idempotent:
``normalize(normalize(x)) == normalize(x)`` and ``fold(fold(x)) == fold(x)``.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from bot.privacy import redact  # re-exported: resident text is redacted in one place

__all__ = [
    "nfc",
    "normalize",
    "fold",
    "syllables",
    "bigrams",
    "terms",
    "redact",
    "unify_tones",
    "TEENCODE",
]

# Tone marks as combining characters (after NFD): grave, acute, hook, tilde, dot below.
_TONES = {"\u0300": "f", "\u0301": "s", "\u0309": "r", "\u0303": "x", "\u0323": "j"}
_TONE_OF_TELEX = {v: k for k, v in _TONES.items()}

_VOWELS = "aăâeêioôơuưy"

# Characters that are neither letters nor digits become spaces, except a few that carry
# meaning inside tokens we must keep whole (URLs, decimals, codes like HP-7K3Q9X).
_KEEP_INSIDE = "./:-_@"

_WS = re.compile(r"\s+")
_CONTROL = re.compile(r"[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")


def nfc(text: str) -> str:
    """Return ``text`` in NFC with control and zero-width characters removed."""
    if not isinstance(text, str):
        text = str(text)
    # Lone surrogates (from badly decoded input) cannot be normalised: replace them.
    text = text.encode("utf-8", "replace").decode("utf-8")
    text = _CONTROL.sub("", text)
    return unicodedata.normalize("NFC", text)


def _split_tone(syllable: str) -> tuple[str, str | None]:
    """Split a lowercase syllable into (toneless syllable, tone mark or None)."""
    decomposed = unicodedata.normalize("NFD", syllable)
    tone = None
    out = []
    for ch in decomposed:
        if ch in _TONES:
            tone = ch
        else:
            out.append(ch)
    return unicodedata.normalize("NFC", "".join(out)), tone


def _tone_index(base: str) -> int | None:
    """Index of the vowel carrying the tone in a toneless syllable (new-style rule).

    The convention used in official texts ("hòa", "khỏe", "thủy", "hoàng"): a vowel with
    a diacritic (ă â ê ô ơ ư) takes the tone; in an open syllable the first vowel of a
    two-vowel nucleus takes it (the middle one of three); with a final consonant the
    last vowel of the nucleus.
    """
    positions = [i for i, ch in enumerate(base) if ch in _VOWELS]
    if not positions:
        return None
    # "gi" and "qu" start consonants: their i/u is not part of the nucleus.
    if base.startswith("qu") and 1 in positions and len(positions) > 1:
        positions.remove(1)
    if base.startswith("gi") and 1 in positions and len(positions) > 1:
        positions.remove(1)
    for i in positions:
        if base[i] in "ăâêôơư":
            # "ươ": the tone goes on ơ.
            if base[i] == "ư" and i + 1 < len(base) and base[i + 1] == "ơ":
                return i + 1
            return i
    if len(positions) == 1:
        return positions[0]
    last = positions[-1]
    ends_open = last == len(base) - 1
    if ends_open:
        # Open syllables keep the classic placement used in official texts: hòa, khỏe, thủy.
        if len(positions) >= 3:
            return positions[1]
        return positions[0]
    return last


def _place_tone(base: str, tone: str) -> str:
    idx = _tone_index(base)
    if idx is None:
        return base + tone
    return unicodedata.normalize("NFC", base[: idx + 1] + tone + base[idx + 1 :])


_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def unify_tones(text: str) -> str:
    """Move tone marks to one placement (``hoà`` → ``hòa``, ``thuỷ`` → ``thủy``, ``khoẻ`` → ``khỏe``).

    Expects NFC lowercase text; non-Vietnamese words pass through unchanged.
    """

    return _WORD.sub(_unify_match, text)


def _unify_match(m: re.Match[str]) -> str:
    word = m.group(0)
    if len(word) > 7 or word.isascii():
        return word
    return _unify_word(word)


@lru_cache(maxsize=50000)
def _unify_word(word: str) -> str:
    # Cached: the same few thousand syllables recur in every message (and training text).
    base, tone = _split_tone(word)
    if tone is None or _tone_index(base) is None:
        return word
    return _place_tone(base, tone)


# Telex leftovers: a syllable typed in telex without the IME converting it, e.g.
# "khams" (khám), "dduwowcj" (được), "vaays" (vấy). Conservative: only applied to
# syllables whose result is a plausible Vietnamese syllable.
_TELEX_TOKEN = re.compile(r"^[a-z]+$")
_VALID_SYLLABLE = re.compile(
    r"^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?"
    r"(uyê|uya|ươi|ươu|oai|oay|oeo|uôi|iêu|yêu|uây|uơ|oă|oa|oe|uy|uê|uâ|ươ|ưa|ưi|ưu|ua|uô|uơ|ui|"
    r"iê|yê|ia|iu|ai|ao|au|ay|âu|ây|eo|êu|oi|ôi|ơi|[aăâeêioôơuưy])"
    r"(ng|nh|ch|[cmnpt])?$"
)


def _telex_syllable(token: str) -> str:
    if not _TELEX_TOKEN.match(token) or len(token) < 3:
        return token
    tone = None
    body = token
    if body[-1] in _TONE_OF_TELEX and len(body) > 2:
        tone = _TONE_OF_TELEX[body[-1]]
        body = body[:-1]
    changed = tone is not None
    for src, dst in (("dd", "đ"), ("uow", "ươ"), ("aw", "ă"), ("aa", "â"), ("ee", "ê"), ("oo", "ô"), ("ow", "ơ"), ("uw", "ư"), ("w", "ư")):
        if src in body:
            body = body.replace(src, dst)
            changed = True
    if not changed:
        return token
    # A stray tone letter inside ("khoong" has none; "vaays" → "vấy").
    if not _VALID_SYLLABLE.match(body):
        return token
    if tone is None:
        return body
    return _place_tone(body, tone)


def _load_teencode() -> dict[str, str]:
    table: dict[str, str] = {}
    with (Path(__file__).parent / "teencode.csv").open(encoding="utf-8") as fh:
        for row in csv.reader(fh):
            if not row or row[0].startswith("#") or len(row) < 2:
                continue
            key = unicodedata.normalize("NFC", row[0].strip().lower())
            table[key] = unicodedata.normalize("NFC", row[1].strip().lower())
    return table


TEENCODE: dict[str, str] = _load_teencode()

_PUNCT_TABLE = {ord(c): " " for c in "!\"#$%&'()*+,;<=>?[\\]^`{|}~“”‘’«»…–—•·"}


def _tokens_raw(text: str) -> list[str]:
    text = text.translate(_PUNCT_TABLE)
    out = []
    for tok in text.split():
        tok = tok.strip(_KEEP_INSIDE)
        if tok:
            out.append(tok)
    return out


@lru_cache(maxsize=20000)
def _normalize_token(tok: str) -> str:
    tok = _telex_syllable(tok)
    return TEENCODE.get(tok, tok)


def normalize(text: str) -> str:
    """NFC, lowercase, unified tone placement, telex and teencode expanded, spaces collapsed.

    Diacritics are kept (use :func:`fold` to drop them). Punctuation between words becomes
    a space; dots, colons, dashes and slashes inside tokens are kept so URLs, dates and
    codes survive.
    """
    words: list[str] = []
    for tok in _tokens_raw(nfc(text).lower()):
        words.extend(_token_words(tok))
    return unicodedata.normalize("NFC", " ".join(words))


@lru_cache(maxsize=50000)
def _token_words(tok: str) -> tuple[str, ...]:
    # Tone unification only touches letter runs, which never span the spaces and
    # punctuation tokens are split on: per token (cached) it gives what it gives per text.
    return tuple(_normalize_token(unify_tones(tok)).split())


_FOLD_EXTRA = str.maketrans({"đ": "d", "Đ": "D"})


@lru_cache(maxsize=50000)
def _fold_word(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word.translate(_FOLD_EXTRA))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """Drop every diacritic (tones and vowel marks) and map đ→d: ``"Được"`` → ``"Duoc"``."""
    text = nfc(text)
    return unicodedata.normalize("NFC", " ".join(_fold_word(w) for w in text.split(" ")))


def syllables(text: str) -> list[str]:
    """Tokens of the normalised text (Vietnamese words are written syllable by syllable)."""
    norm = normalize(text)
    return norm.split() if norm else []


def bigrams(tokens: list[str]) -> list[str]:
    """Adjacent token pairs joined with ``_``: ``["kham", "suc", "khoe"]`` → ``["kham_suc", "suc_khoe"]``."""
    return [f"{a}_{b}" for a, b in zip(tokens, tokens[1:], strict=False)]


def terms(text: str) -> list[str]:
    """Index terms for lexical matching: unigrams and bigrams, exact and folded (deduplicated)."""
    toks = syllables(text)
    folded = [fold(t) for t in toks]
    seen: dict[str, None] = {}
    for group in (toks, bigrams(toks), folded, bigrams(folded)):
        for term in group:
            seen.setdefault(term, None)
    return list(seen)


# Vietnamese alphabetical order: ă, â after a; đ after d; ê after e; ô, ơ after o; ư after u.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {c: i for i, c in enumerate(_ALPHABET)}
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn: part of the letter
# Tones in dictionary order: level, grave (huyền), hook (hỏi), tilde (ngã), acute (sắc), dot (nặng).
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def collation_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """A sort key in Vietnamese dictionary order: letters first (``Cát Hải`` before ``Chấn
    Hưng``, ``đ`` after ``d``), tones only to break ties (``Ca`` < ``Cà`` < ``Cả`` < ``Cá``)."""
    letters: list[int] = []
    tones: list[int] = []
    for char in nfc(text).lower():
        parts = unicodedata.normalize("NFD", char)
        base = parts[0]
        letter = unicodedata.normalize("NFC", base + "".join(m for m in parts[1:] if m in _LETTER_MARKS))
        tone = next((_TONE_RANK[m] for m in parts[1:] if m in _TONE_RANK), 0)
        if letter in _LETTER_RANK:
            letters.append(100 + _LETTER_RANK[letter])
        elif letter.isspace():
            letters.append(0)
        elif letter.isdigit():
            letters.append(10 + int(letter) if letter.isascii() else 50)
        else:
            letters.append(200 + ord(letter))
        tones.append(tone)
    return tuple(letters), tuple(tones)
