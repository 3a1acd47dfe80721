"""Residents' phone and ID numbers, set aside before FAQ classification.

Residents write "em sdt 0912345678 muon dang ky kham" or "huyết áp ..., sđt 0912...". The
number is not what the question is about, and digits must not read as a measured value to
the medical rule. :func:`mask_numbers` turns phone numbers and ID numbers (9–12 digits)
into one placeholder word before anything else reads the text (so "0912 345 678" is one
token). Short numbers (ages, "tổ 7", years) stay.
"""

from __future__ import annotations

import re

# One placeholder word for a masked number: ASCII letters only, so normalisation keeps it
# whole and no teencode or telex rule touches it.
NUMBER_WORD = "qqnumber"

# Vietnamese mobile/landline numbers (+84 or 0, spaces, dots or dashes between digits) and
# ID numbers (9-digit ID cards, 12-digit citizen IDs).
_PHONE = re.compile(r"(?<![\w+])(?:\+?84|0)(?:[\s.\-]?\d){8,10}(?!\d)")
_LONG_NUMBER = re.compile(r"(?<![\w])\d{9,12}(?!\d)")


def mask_numbers(text: str) -> str:
    """``text`` with phone numbers and ID numbers replaced by :data:`NUMBER_WORD`."""
    text = _PHONE.sub(f" {NUMBER_WORD} ", text)
    return _LONG_NUMBER.sub(f" {NUMBER_WORD} ", text)
