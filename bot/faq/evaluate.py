"""Evaluate the FAQ on a JSON-lines file of questions: accuracy per group, style and topic.

Each line: ``{"q": "...", "topic": "screening.where" | "safety.medical" | null, "style": "..."}``,
optionally ``"topics": [a, b]`` (two questions in one message, in the order asked) and
``"elder": true`` (written by an elder: the reply must address them as bác / ông / bà).
``topic: null`` marks an out-of-scope question (Loa must abstain).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.errors import DataFileError
from bot.faq.kb import MEDICAL_TOPIC, KnowledgeBase
from bot.faq.register import address_of


@dataclass
class EvalReport:
    """Counts per group (``[correct, total]``), the confusions, and the misses."""

    total: int = 0
    in_scope: list[int] = field(default_factory=lambda: [0, 0])
    out_of_scope: list[int] = field(default_factory=lambda: [0, 0])
    medical: list[int] = field(default_factory=lambda: [0, 0])
    two_questions: list[int] = field(default_factory=lambda: [0, 0])  # both topics, in order
    elder_register: list[int] = field(default_factory=lambda: [0, 0])  # elders addressed as elders
    false_elder: int = 0  # others addressed as elders
    false_medical: int = 0  # in-scope or out-of-scope questions given the medical reply
    by_style: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    by_topic: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    confusions: Counter[tuple[str, str]] = field(default_factory=Counter)
    misses: list[tuple[str, str | None, str | None, float]] = field(default_factory=list)

    @staticmethod
    def rate(pair: list[int]) -> float:
        """correct / total (1.0 for an empty group)."""
        return pair[0] / pair[1] if pair[1] else 1.0


def load_eval(path: Path) -> list[dict[str, Any]]:
    """Read an evaluation file; malformed lines raise DataFileError with the line number."""
    rows = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise DataFileError(f"cannot read {path}: {exc.strerror or exc}") from exc
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DataFileError(f"{path.name}:{n}: not JSON ({exc.msg})") from exc
        if not isinstance(row, dict) or not isinstance(row.get("q"), str) or "topic" not in row:
            raise DataFileError(f'{path.name}:{n}: needs "q" and "topic"')
        topics = row.get("topics")
        if topics is not None and not (isinstance(topics, list) and all(isinstance(t, str) for t in topics)):
            raise DataFileError(f'{path.name}:{n}: "topics" must be a list of topic ids')
        rows.append(row)
    return rows


def _group(report: EvalReport, expected: str | None) -> tuple[list[int], str | None]:
    """The group counter of an expected topic, and the style it forces (if any)."""
    if expected is None:
        return report.out_of_scope, "out_of_scope"
    if expected == MEDICAL_TOPIC:
        return report.medical, "medical"
    return report.in_scope, None


def evaluate(kb: KnowledgeBase, rows: list[dict[str, Any]]) -> EvalReport:
    """Run every question through ``kb.classify`` and count the outcomes."""
    report = EvalReport()
    for row in rows:
        topics = row.get("topics") or []
        expected = topics[0] if topics else row["topic"]
        got = kb.classify(row["q"])
        ok = got.topic == expected
        report.total += 1
        group, forced = _group(report, expected)
        style = forced or row.get("style") or "other"
        if got.topic == MEDICAL_TOPIC and expected != MEDICAL_TOPIC:
            report.false_medical += 1
        pairs = [group, report.by_style[style], report.by_topic[str(expected)]]
        if row.get("elder"):
            pairs.append(report.by_style["elder"])
        for pair in pairs:
            pair[1] += 1
            pair[0] += int(ok)
        if len(topics) > 1:
            report.two_questions[1] += 1
            report.two_questions[0] += int(tuple(got.topics) == tuple(topics))
        elder = address_of(row["q"]).elder
        if row.get("elder"):
            report.elder_register[1] += 1
            report.elder_register[0] += int(elder)
        elif elder:
            report.false_elder += 1
        if not ok:
            report.confusions[(str(expected), str(got.topic))] += 1
            report.misses.append((row["q"], expected, got.topic, got.score))
    return report


def format_report(report: EvalReport, *, confusions: int = 25) -> str:
    """Plain-text summary: groups, per style, per topic (worst first), confusions, misses."""
    r = EvalReport.rate

    def line(label: str, pair: list[int]) -> str:
        return f"{label:<26}{r(pair):6.1%} ({pair[0]}/{pair[1]})"

    lines = [
        f"questions: {report.total}",
        line("in-scope top-1 accuracy:", report.in_scope),
        line("out-of-scope abstention:", report.out_of_scope),
        line("medical detection:", report.medical),
        line("two questions, in order:", report.two_questions),
        line("elders addressed as elders:", report.elder_register),
        f"others addressed as elders: {report.false_elder}",
        f"wrongly sent to medical:   {report.false_medical}",
        "",
        "per style:",
    ]
    lines += [f"  {style:<14} {r(pair):6.1%}  ({pair[0]}/{pair[1]})" for style, pair in sorted(report.by_style.items())]
    lines.append("per topic (worst first):")
    for topic, pair in sorted(report.by_topic.items(), key=lambda kv: (r(kv[1]), kv[0])):
        lines.append(f"  {topic:<30} {r(pair):6.1%}  ({pair[0]}/{pair[1]})")
    if report.confusions:
        lines.append("confusions (expected → got, count):")
        for (exp_topic, got_topic), n in report.confusions.most_common(confusions):
            lines.append(f"  {exp_topic} → {got_topic}: {n}")
    if report.misses:
        lines.append("misses:")
        for q, exp, got, score in report.misses:
            lines.append(f"  {q!r}: expected {exp}, got {got} ({score:.2f})")
    return "\n".join(lines)
