"""Is a resident's message a screening-site question? (The site handler runs before the FAQ.)

The site look-up answers only when the message is clearly about where or when to get
checked, or is little more than a commune name; anything else ("khám có mất tiền không",
"cần mang gì") is left to the FAQ.
"""

from __future__ import annotations

import re

from bot.text import fold, normalize

# Phrases that make a message a site/when question on their own (folded).
_SITE_PHRASES = re.compile(
    r"\b(diem kham|dia diem kham|noi kham|cho kham|kham o dau|o dau kham|kham tai dau|lich kham|"
    r"kham luu dong|doi kham|tram y te|bao gio kham|khi nao kham|may gio kham|ngay nao kham|"
    r"kham vao ngay nao|kham vao luc nao|kham luc nao|kham khi nao|kham bao gio|kham may gio|"
    r"kham ngay nao|di kham o dau|kham gan|diem kham gan|lich kham sang loc)\b"
)
# "khám" plus a where/when word anywhere in the message.
_KHAM = re.compile(r"\bkham\b")
_WHERE_WHEN = re.compile(r"\b(o dau|cho nao|noi nao|khi nao|bao gio|may gio|luc nao|ngay nao|hom nao|lich|gan nhat|gan day)\b")
# Questions that mention a place or date but are about something else: leave them to the FAQ.
_OTHER_TOPIC = re.compile(
    r"\b(mang gi|mang theo|can gi|giay to|mat tien|ton tien|tra tien|bao nhieu tien|chi phi|mien phi khong|"
    r"vneid|dinh danh|so suc khoe|bhyt|bao hiem|otp|mat khau|lua dao|link|cai dat|tich hop|nhin an|an sang|"
    r"ket qua|dang ky|dang ki|dky)\b"
)


def is_site_question(text: str) -> bool:
    """True when ``text`` asks where/when screening happens (with or without a commune)."""
    folded = fold(normalize(text))
    if not folded or _OTHER_TOPIC.search(folded):
        return False
    if _SITE_PHRASES.search(folded):
        return True
    return bool(_KHAM.search(folded) and _WHERE_WHEN.search(folded))


def mentions_screening(text: str) -> bool:
    """True when ``text`` talks about a check-up at all ("khám", "điểm khám")."""
    folded = fold(normalize(text))
    return bool(_KHAM.search(folded)) and not _OTHER_TOPIC.search(folded)


def is_bare_place(text: str, max_words: int = 6) -> bool:
    """True for a short message that could be just a commune name ("Kẻ Sặt", "p. Lê Chân")."""
    words = normalize(text).split()
    return 0 < len(words) <= max_words and not _OTHER_TOPIC.search(fold(" ".join(words)))
