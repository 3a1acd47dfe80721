"""Evaluate the FAQ on a JSON-lines file of questions: accuracy per style and per topic.

Each line: ``{"q": "...", "topic": "screening.where" | "safety.medical" | null, "style": "..."}``.
``topic: null`` marks an out-of-scope question (Loa must abstain).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from bot.errors import DataFileError
from bot.faq import MEDICAL_TOPIC, KnowledgeBase


@dataclass
class EvalReport:
    """Counts per group, and the misses for inspection."""

    total: int = 0
    in_scope: list[int] = field(default_factory=lambda: [0, 0])  # [correct, total]
    out_of_scope: list[int] = field(default_factory=lambda: [0, 0])
    medical: list[int] = field(default_factory=lambda: [0, 0])
    false_medical: int = 0  # in-scope or out-of-scope questions wrongly given the medical reply
    by_style: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    by_topic: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    misses: list[tuple[str, str | None, str | None, float]] = field(default_factory=list)

    @staticmethod
    def rate(pair: list[int]) -> float:
        """correct / total (1.0 for an empty group)."""
        return pair[0] / pair[1] if pair[1] else 1.0


def load_eval(path: Path) -> list[dict]:
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
        rows.append(row)
    return rows


def evaluate(kb: KnowledgeBase, rows: list[dict]) -> EvalReport:
    """Run every question through ``kb.classify`` and count the outcomes."""
    report = EvalReport()
    for row in rows:
        expected = row["topic"]
        style = row.get("style") or "other"
        got = kb.classify(row["q"])
        ok = got.topic == expected
        report.total += 1
        if expected is None:
            group = report.out_of_scope
            style = "out_of_scope"
        elif expected == MEDICAL_TOPIC:
            group = report.medical
            style = "medical"
        else:
            group = report.in_scope
        if got.topic == MEDICAL_TOPIC and expected != MEDICAL_TOPIC:
            report.false_medical += 1
        for pair in (group, report.by_style[style], report.by_topic[str(expected)]):
            pair[1] += 1
            pair[0] += int(ok)
        if not ok:
            report.misses.append((row["q"], expected, got.topic, got.score))
    return report


def format_report(report: EvalReport) -> str:
    """Plain-text summary: overall groups, per style, per topic (worst first), misses."""
    r = EvalReport.rate
    lines = [
        f"questions: {report.total}",
        f"in-scope top-1 accuracy: {r(report.in_scope):.1%} ({report.in_scope[0]}/{report.in_scope[1]})",
        f"out-of-scope abstention: {r(report.out_of_scope):.1%} ({report.out_of_scope[0]}/{report.out_of_scope[1]})",
        f"medical detection:       {r(report.medical):.1%} ({report.medical[0]}/{report.medical[1]})",
        f"wrongly sent to medical: {report.false_medical}",
        "",
        "per style:",
    ]
    for style, pair in sorted(report.by_style.items()):
        lines.append(f"  {style:<14} {r(pair):6.1%}  ({pair[0]}/{pair[1]})")
    lines.append("per topic (worst first):")
    for topic, pair in sorted(report.by_topic.items(), key=lambda kv: (r(kv[1]), kv[0])):
        lines.append(f"  {topic:<30} {r(pair):6.1%}  ({pair[0]}/{pair[1]})")
    if report.misses:
        lines.append("misses:")
        for q, exp, got, score in report.misses:
            lines.append(f"  {q!r}: expected {exp}, got {got} ({score:.2f})")
    return "\n".join(lines)
