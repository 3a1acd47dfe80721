"""Split long texts into messages a platform accepts, on paragraph / line boundaries.

Telegram counts a message's length in UTF-16 code units (4096 max; an emoji outside the
BMP counts 2), Zalo in characters (2000 max). The splitter prefers, in order: a blank line,
a line break, the end of a sentence, a space, and only then a hard cut (never inside a
base letter + combining mark pair). Whitespace at a cut is dropped; nothing else is.
"""

from __future__ import annotations

import unicodedata
from typing import Literal

from telegram.constants import MessageLimit

Units = Literal["chars", "utf16"]

TELEGRAM_LIMIT: int = MessageLimit.MAX_TEXT_LENGTH  # 4096 UTF-16 code units
ZALO_LIMIT = 2000  # characters

# Boundaries tried in order of preference.
_BOUNDARIES = ("\n\n", "\n", ". ", "! ", "? ", "; ", ", ", " ")


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units (what Telegram counts)."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def measure(text: str, units: Units = "chars") -> int:
    """Length of ``text`` in the given units."""
    return utf16_len(text) if units == "utf16" else len(text)


def _fit(text: str, limit: int, units: Units) -> int:
    """The longest prefix length (in characters) whose measure is within ``limit``."""
    if units == "chars":
        return min(len(text), limit)
    used = 0
    for i, ch in enumerate(text):
        used += 2 if ord(ch) > 0xFFFF else 1
        if used > limit:
            return i
    return len(text)


def _cut_position(text: str, limit: int, units: Units) -> int:
    n = _fit(text, limit, units)
    window = text[:n]
    # Strict preference: the last blank line in the window, else the last line break, ...
    # A shorter part is better than a paragraph cut in two.
    for sep in _BOUNDARIES:
        pos = window.rfind(sep)
        if pos >= 1:
            # Keep sentence punctuation with the sentence; cut after it.
            return pos + (1 if sep[0] in ".!?;," else 0)
    # Hard cut: step back over combining marks so a letter keeps its tone mark.
    pos = n
    while pos > 1 and unicodedata.combining(text[pos]):
        pos -= 1
    return max(pos, 1)


def split_text(text: str, limit: int, *, units: Units = "chars") -> list[str]:
    """Split ``text`` into parts of at most ``limit`` units each (none empty).

    A blank text gives no parts. Parts keep the original order and every non-whitespace
    character, so ``"".join(parts)`` equals the text with some boundary whitespace removed.
    """
    if limit < 2:
        raise ValueError("limit must be at least 2")
    rest = text.strip()
    parts: list[str] = []
    while rest and measure(rest, units) > limit:
        pos = _cut_position(rest, limit, units)
        head = rest[:pos].rstrip()
        rest = rest[pos:].lstrip()
        if head:
            parts.append(head)
    if rest:
        parts.append(rest)
    return parts
