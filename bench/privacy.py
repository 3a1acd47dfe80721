"""Redaction and password-hashing figures (issue 12: accounts and privacy).

    python3 bench/privacy.py

Prints: microseconds to redact a typical 100-character question holding four identifiers
and a 4,000-character message (the longest Loa reads), worst-case shapes included (one
digit run, letters and digits alternating, spaced digits), and the argon2 hash / verify
time that the web admin runs off the event loop.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.privacy import redact  # noqa: E402
from bot.users import hash_password, password_matches  # noqa: E402

QUESTION = "Cho em hỏi thẻ GD4797932145678, cccd 079 123 456 791, sđt 0912.345.678, stk 1903 5678 9012 34 ạ"
SHAPES = {
    "question": QUESTION,
    "4000 mixed": (QUESTION + " ") * 40,
    "4000 digits": "1" * 4000,
    "4000 a1a1": "a1" * 2000,
    "4000 '1 '": "1 " * 2000,
    "4000 '1 - '": "1 - " * 1000,
}


def per_call(fn: object, arg: str, repeat: int) -> float:
    """Seconds per call, best of three batches."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for _ in range(repeat):
            fn(arg)  # type: ignore[operator]
        best = min(best, (time.perf_counter() - start) / repeat)
    return best


def main() -> None:
    """Print the figures."""
    for name, text in SHAPES.items():
        repeat = 2000 if len(text) < 500 else 50
        print(f"redact {name:<14} {len(text):>5} chars  {per_call(redact, text, repeat) * 1e6:>8.0f} µs")
    start = time.perf_counter()
    digest = hash_password("mua-xuan-2026-moi")
    hashed = time.perf_counter() - start
    start = time.perf_counter()
    password_matches(digest, "mua-xuan-2026-moi")
    checked = time.perf_counter() - start
    print(f"argon2 hash {hashed * 1000:.0f} ms, verify {checked * 1000:.0f} ms (run in a worker thread)")


if __name__ == "__main__":
    main()
