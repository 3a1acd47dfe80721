"""Benchmark: FAQ index build time, per-query latency (p50/p99) and memory.

Run: ``python3 bench/faq.py`` — with the real KB (messages/faq) and a synthetic KB ten
times larger (every topic copied ten times with perturbed samples). Queries are the
questions of tests/data/faq_eval*.jsonl (in scope, out of scope, medical), each classified
end to end (medical rules + retrieval + abstention), as the dialog does. Target: p99 < 5 ms
per query with the real KB.
"""

from __future__ import annotations

import gc
import json
import os
import random
import statistics
import time
import tracemalloc
from dataclasses import replace
from pathlib import Path

from bot.config import Settings
from bot.faq import KnowledgeBase, Topic, faq_dir, load_topics

ROOT = Path(__file__).resolve().parent.parent
EVAL_FILES = sorted((ROOT / "tests" / "data").glob("faq_eval*.jsonl"))


def _questions() -> list[str]:
    out = []
    for path in EVAL_FILES:
        out += [json.loads(line)["q"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return out


def _synthetic(topics: list[Topic], negatives: list[str], factor: int) -> tuple[list[Topic], list[str]]:
    """``factor`` copies of every topic; copies get shuffled samples with an extra syllable."""
    rng = random.Random(7)
    filler = ["xã", "phường", "thôn", "tổ", "năm", "tháng", "ngày", "nhà", "cho", "mới"]
    out = list(topics)
    for k in range(1, factor):
        for t in topics:
            samples = []
            for s in t.samples:
                words = s.split()
                rng.shuffle(words)
                words.insert(rng.randrange(len(words) + 1), rng.choice(filler) + str(k))
                samples.append(" ".join(words))
            out.append(replace(t, id=f"{t.id}.copy{k}", samples=tuple(samples), related=()))
    return out, negatives * factor


def _percentiles(times: list[float]) -> tuple[float, float]:
    times = sorted(times)
    return statistics.median(times) * 1000, times[max(0, int(len(times) * 0.99) - 1)] * 1000


def _measure(name: str, topics: list[Topic], negatives: list[str], questions: list[str]) -> None:
    gc.collect()
    started = time.perf_counter()
    kb = KnowledgeBase(topics, negatives)
    build = time.perf_counter() - started
    # Memory in a second build: tracemalloc slows allocation down, so it must not be timed.
    tracemalloc.start()
    KnowledgeBase(topics, negatives)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    for q in questions:  # warm caches (normalisation, typo corrections) as a running bot has
        kb.classify(q)
    wall, cpu = [], []
    for _ in range(3):
        for q in questions:
            w0, c0 = time.perf_counter(), time.thread_time()
            kb.classify(q)
            cpu.append(time.thread_time() - c0)
            wall.append(time.perf_counter() - w0)
    w50, w99 = _percentiles(wall)
    c50, c99 = _percentiles(cpu)
    docs = sum(len(t.samples) + 1 for t in topics) + len(negatives)
    print(
        f"{name}: {len(topics)} topics, {docs} documents\n"
        f"  index build     {build * 1000:8.1f} ms   peak memory while building {peak / 1e6:6.1f} MB\n"
        f"  query wall time p50 {w50:6.3f} ms   p99 {w99:6.3f} ms   ({len(wall)} queries)\n"
        f"  query CPU time  p50 {c50:6.3f} ms   p99 {c99:6.3f} ms   (excludes waiting for a busy CPU)"
    )


def main() -> None:
    """Print build time, latency and memory for the real and the 10× synthetic KB."""
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{len(EVAL_FILES)} question files, {os.cpu_count()} CPUs, load average {load:.1f}")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    topics, negatives = load_topics(faq_dir(settings.content_dir))
    questions = _questions()
    _measure("real KB", topics, negatives, questions)
    big_topics, big_negatives = _synthetic(topics, negatives, 10)
    _measure("synthetic 10x", big_topics, big_negatives, questions)


if __name__ == "__main__":
    main()
