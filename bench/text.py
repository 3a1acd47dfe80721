"""Benchmark: Vietnamese normalisation throughput (the first step of every resident message).

Run: ``python3 bench/text.py`` — prints messages/s and µs per message for ``normalize``,
``fold`` and ``terms`` over a mix of typed-as-residents-type questions.
"""

from __future__ import annotations

import statistics
import time

from bot.text import fold, normalize, terms

SAMPLES = [
    "kham suc khoe mien phi o dau",
    "cài vneid ntn",
    "mẹ em 70t có đc khám ko",
    "Sổ sức khỏe điện tử tích hợp thế nào ạ???",
    "Công an phường thông báo: tài khoản định danh mức 2 của bạn bị lỗi, bấm vneid-gov.com để đồng bộ",
    "tuần này phường Lê Chân khám ở đâu",
    "ko bit lam sao de nhan the bhyt tren vneid, ai chi giup voi",
] * 50


def _time(fn, rounds: int = 5) -> list[float]:
    out = []
    for _ in range(rounds):
        start = time.perf_counter()
        for text in SAMPLES:
            fn(text)
        out.append((time.perf_counter() - start) / len(SAMPLES))
    return out


def main() -> None:
    """Print the median time per message for each normalisation step."""
    print(f"{len(SAMPLES)} messages per round, median of 5 rounds")
    for name, fn in (("normalize", normalize), ("fold(normalize)", lambda t: fold(normalize(t))), ("terms", terms)):
        per = statistics.median(_time(fn))
        print(f"  {name:<16} {per * 1e6:8.1f} µs/message  {1 / per:10.0f} messages/s")


if __name__ == "__main__":
    main()
