"""Numbered choices: a reply offers "1. … 2. …", and the resident answers with a number.

The payloads of the last reply's choices are remembered per chat for ``CHOICE_TTL_SECONDS``;
an answer like "2", "số 2", "chọn 2 nhé" or "#2 ạ" then stands for the second payload.
"""

from __future__ import annotations

import re
import time

from bot.conversation import Reply
from bot.text import fold

# A number, maybe "số"/"chọn"/"#" before it and a polite particle after it ("2 ạ", "chọn 2 nhé").
_CHOICE = re.compile(r"\s*(?:(?:so|chon|cau|muc)\s*|#)?(\d{1,2})\s*[.)]?\s*(?:(?:a|nhe|nha|nhe a|di|ha)\s*)?[.!]*\s*")

CHOICE_TTL_SECONDS = 600
#: Past this many remembered chats, expired entries are swept.
SWEEP_ABOVE = 10000


class PendingChoices:
    """The numbered choices each chat was last offered (chat_ref -> expiry, payloads)."""

    def __init__(self) -> None:
        self._choices: dict[str, tuple[float, list[str]]] = {}

    def remember(self, chat_ref: str, replies: list[Reply]) -> None:
        """Remember the choices offered by ``replies`` (none forgets the previous ones)."""
        payloads = [c.payload for r in replies for c in r.choices]
        if payloads:
            self._choices[chat_ref] = (time.monotonic() + CHOICE_TTL_SECONDS, payloads)
            if len(self._choices) > SWEEP_ABOVE:
                self._expire()
        else:
            self._choices.pop(chat_ref, None)

    def forget(self, chat_ref: str) -> None:
        """Drop the chat's pending choices."""
        self._choices.pop(chat_ref, None)

    def chosen(self, chat_ref: str, text: str) -> str | None:
        """The payload ``text`` picks by number, or None (no choice pending, not a number)."""
        entry = self._choices.get(chat_ref)
        if not entry:
            return None
        expires, payloads = entry
        if expires < time.monotonic():
            del self._choices[chat_ref]
            return None
        m = _CHOICE.fullmatch(fold(text.lower()))
        if not m:
            return None
        index = int(m.group(1)) - 1
        if 0 <= index < len(payloads):
            return payloads[index]
        return None

    def _expire(self) -> None:
        now = time.monotonic()
        for key in [k for k, (exp, _) in self._choices.items() if exp < now]:
            del self._choices[key]
