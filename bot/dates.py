"""Reading a day typed by an officer or found in a spreadsheet cell: ``DD/MM/YYYY`` first.

One reader for the site schedule import and the report / activity commands, so that a
date one accepts the other accepts too. Callers turn ``ValueError`` into their own error.
"""

from __future__ import annotations

import re
from datetime import date

# 05/12/2026, 5/12/2026, 05-12-2026, 05.12.2026, 05 / 12 / 26 (two-digit years are 20YY).
_DMY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4}|\d{2})$")
# 2026-12-05 (ISO, as a spreadsheet or a script writes it).
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


class NotADate(ValueError):
    """The text has no date's shape."""


class NoSuchDay(ValueError):
    """The text has a date's shape but names no real day (31/02/2026)."""


def parse_day(text: str) -> date:
    """``DD/MM/YYYY`` (also ``D/M/YY``, ``-`` or ``.`` between) or ``YYYY-MM-DD`` → a date.

    Raises :class:`NotADate` for another shape and :class:`NoSuchDay` for 31/02/2026
    (both are ``ValueError``).
    """
    raw = (text or "").strip()
    m = _DMY.match(raw)
    if m:
        day, month, year = int(m[1]), int(m[2]), int(m[3])
        year += 2000 if year < 100 else 0
    else:
        m = _YMD.match(raw)
        if not m:
            raise NotADate(raw)
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    try:
        return date(year, month, day)
    except ValueError:
        raise NoSuchDay(raw) from None
