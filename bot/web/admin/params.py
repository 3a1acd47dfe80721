"""Integers from the URL, query string and forms, always within SQLite's range.

A 23-digit ``?page=`` or id is valid Python but overflows SQLite's 64-bit integers (a 500).
Path ids use a bounded ``int`` convertor (at most 18 digits: a longer id matches no route,
so it is a 404); query and form values go through :func:`bounded_int`.
"""

from __future__ import annotations

from starlette.convertors import IntegerConvertor, register_url_convertor

#: Largest id or page number accepted anywhere in the admin (SQLite holds up to 2**63 - 1).
MAX_INT = 10**15


class BoundedIntConvertor(IntegerConvertor):
    """Starlette's ``{name:int}``, limited to 18 digits."""

    regex = "[0-9]{1,18}"


def register() -> None:
    """Make ``{name:int}`` in every route compiled from now on bounded (public Starlette API)."""
    register_url_convertor("int", BoundedIntConvertor())


def bounded_int(value: object, default: int, *, lo: int = 1, hi: int = MAX_INT) -> int:
    """``value`` as an int in [lo, hi], or ``default`` when it is missing, malformed or out of range."""
    text = str(value if value is not None else "").strip()
    if not text or len(text) > 18 or not text.lstrip("-").isdigit():
        return default
    number = int(text)
    return number if lo <= number <= hi else default
