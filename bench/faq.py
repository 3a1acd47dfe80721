"""Benchmark: FAQ classifier training time, per-question latency (p50/p99) and memory.

Run: ``PYTHONPATH=$PWD python3 bench/faq.py`` — with the real KB (messages/faq and
messages/faq/samples). Questions are those of the dev files (tests/data/faq_dev*.jsonl only;
the held-out sets are never read), each classified end to end as the dialog does (number masking,
sentences, classifier, medical rule, abstention). Target: p99 < 5 ms per question.
Reports: training time (no cache), cached load time, p50/p99 wall and CPU per question,
peak Python allocations while training (tracemalloc) and the process's max RSS.
"""

from __future__ import annotations

import gc
import json
import os
import resource
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path

from bot.faq import faq_dir, load_samples, load_topics
from bot.faq.kb import KnowledgeBase
from bot.faq.model import fit, load_or_fit

ROOT = Path(__file__).resolve().parent.parent
# Only the dev sets: the held-out files (faq_eval_heldout*, heldout*/) stay unseen.
DEV_FILES = sorted((ROOT / "tests" / "data").glob("faq_dev*.jsonl"))


def _questions() -> list[str]:
    out = []
    for path in DEV_FILES:
        out += [json.loads(line)["q"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return out


def _percentiles(times: list[float]) -> tuple[float, float]:
    times = sorted(times)
    return statistics.median(times) * 1000, times[max(0, int(len(times) * 0.99) - 1)] * 1000


def main() -> None:
    """Print the figures."""
    folder = faq_dir(ROOT)
    topics, negatives = load_topics(folder)
    kb = KnowledgeBase(topics, negatives, load_samples(folder, {t.id for t in topics}))
    data = kb.training_set()
    questions = _questions()
    gc.collect()
    started, cpu_started = time.perf_counter(), time.process_time()
    fit(data)
    train, train_cpu = time.perf_counter() - started, time.process_time() - cpu_started
    tracemalloc.start()
    fit(data)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    with tempfile.TemporaryDirectory() as tmp:
        load_or_fit(data, Path(tmp))
        started = time.perf_counter()
        load_or_fit(data, Path(tmp))
        cached = time.perf_counter() - started
    kb.model  # noqa: B018 - fit once before timing questions
    for q in questions[:50]:
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
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"training samples: {len(data.texts)} ({len(kb.topics)} topics + out of scope)")
    print(f"training (fit, no cache): {train:.2f} s wall, {train_cpu:.2f} s CPU; load from cache: {cached * 1000:.0f} ms")
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"questions: {len(questions)} x 3; wall p50 {w50:.2f} ms, p99 {w99:.2f} ms; cpu p50 {c50:.2f} ms, p99 {c99:.2f} ms")
    print(f"memory: peak Python allocations while fitting {peak / 1e6:.1f} MB; process max RSS {rss:.0f} MB")


if __name__ == "__main__":
    main()
