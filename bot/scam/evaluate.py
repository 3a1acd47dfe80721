"""Evaluation on a labelled set: recall on scams, false positives on benign messages.

The file is JSON lines: ``{"text": str, "label": "scam"|"benign", "kind": str, "clear": bool,
"hard": bool}``. ``hard`` marks hard negatives (warnings and genuine official notices);
``clear`` marks scams so plain that the verdict should be ``scam``, not just
``suspicious``. A message counts as *flagged* when the verdict is ``scam`` or ``suspicious``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from bot.errors import DataFileError
from bot.scam.checker import Checker, Verdict

LABELS = ("scam", "benign")


@dataclass(frozen=True)
class Item:
    """One labelled message."""

    text: str
    label: str
    kind: str
    hard: bool = False
    clear: bool = False


@dataclass
class KindFigures:
    """Counts for one kind of message."""

    kind: str
    label: str
    n: int = 0
    flagged: int = 0
    called_scam: int = 0

    @property
    def rate(self) -> float:
        """Share flagged: recall for scam kinds, false-positive rate for benign kinds."""
        return self.flagged / self.n if self.n else 0.0


@dataclass
class Report:
    """The figures of one evaluation run."""

    n_scam: int = 0
    n_benign: int = 0
    n_hard: int = 0
    tp: int = 0  # scams flagged
    fp: int = 0  # benign flagged
    fp_hard: int = 0
    scam_verdicts: int = 0
    scam_verdicts_correct: int = 0
    n_clear: int = 0
    clear_called_scam: int = 0  # clear scams whose verdict is ``scam``
    group_scams: int = 0  # scams the group guard would warn about
    group_benign: int = 0  # benign messages it would wrongly warn about
    kinds: dict[str, KindFigures] = field(default_factory=dict)
    false_positives: list[tuple[Item, Verdict]] = field(default_factory=list)
    misses: list[tuple[Item, Verdict]] = field(default_factory=list)

    @property
    def recall(self) -> float:
        """Share of scams flagged."""
        return self.tp / self.n_scam if self.n_scam else 0.0

    @property
    def fp_rate(self) -> float:
        """Share of benign messages flagged."""
        return self.fp / self.n_benign if self.n_benign else 0.0

    @property
    def hard_fp_rate(self) -> float:
        """Share of hard negatives flagged."""
        return self.fp_hard / self.n_hard if self.n_hard else 0.0

    @property
    def clear_rate(self) -> float:
        """Share of clear scams called ``scam``."""
        return self.clear_called_scam / self.n_clear if self.n_clear else 0.0

    @property
    def precision(self) -> float:
        """Share of flagged messages that are scams."""
        flagged = self.tp + self.fp
        return self.tp / flagged if flagged else 1.0

    @property
    def scam_precision(self) -> float:
        """Share of ``scam`` verdicts that are scams (what the group guard relies on)."""
        return self.scam_verdicts_correct / self.scam_verdicts if self.scam_verdicts else 1.0


def load(path: Path) -> list[Item]:
    """Read a labelled JSONL file; a malformed line is a clear DataFileError."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise DataFileError(f"cannot read {path}: {exc.strerror or exc}") from exc
    items: list[Item] = []
    for no, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DataFileError(f"{path}:{no}: not valid JSON ({exc.msg})") from exc
        if not isinstance(row, dict) or not isinstance(row.get("text"), str) or row.get("label") not in LABELS:
            raise DataFileError(f'{path}:{no}: expected {{"text": str, "label": "scam"|"benign", "kind": str}}')
        items.append(
            Item(row["text"], row["label"], str(row.get("kind") or "other"), bool(row.get("hard", False)), bool(row.get("clear", False)))
        )
    if not items:
        raise DataFileError(f"{path}: no labelled messages")
    return items


def evaluate(checker: Checker, items: list[Item]) -> Report:
    """Run the checker over ``items`` and count."""
    report = Report()
    kinds: dict[str, KindFigures] = {}
    for item in items:
        verdict = checker.check(item.text)
        flagged = verdict.flagged
        fig = kinds.setdefault(f"{item.label}:{item.kind}", KindFigures(item.kind, item.label))
        fig.n += 1
        fig.flagged += int(flagged)
        fig.called_scam += int(verdict.verdict == "scam")
        if verdict.group_worthy:
            report.group_scams += int(item.label == "scam")
            report.group_benign += int(item.label != "scam")
        if verdict.verdict == "scam":
            report.scam_verdicts += 1
            report.scam_verdicts_correct += int(item.label == "scam")
        if item.label == "scam":
            report.n_scam += 1
            if item.clear:
                report.n_clear += 1
                report.clear_called_scam += int(verdict.verdict == "scam")
            report.tp += int(flagged)
            if not flagged:
                report.misses.append((item, verdict))
        else:
            report.n_benign += 1
            report.n_hard += int(item.hard)
            if flagged:
                report.fp += 1
                report.fp_hard += int(item.hard)
                report.false_positives.append((item, verdict))
    report.kinds = dict(sorted(kinds.items(), key=lambda kv: (kv[1].label != "scam", kv[1].kind)))
    return report


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def format_report(report: Report, *, show_misses: bool = True) -> str:
    """Plain-text figures: totals, per kind, then the false positives (and the misses)."""
    out = [
        f"messages: {report.n_scam + report.n_benign} (scam {report.n_scam}, benign {report.n_benign}, hard negatives {report.n_hard})",
        f"recall (scams flagged scam|suspicious): {_pct(report.recall)}",
        f"precision (flagged that are scams):      {_pct(report.precision)}",
        f"precision of `scam` verdicts:            {_pct(report.scam_precision)}",
        f"benign flagged:                          {_pct(report.fp_rate)}",
        f"warnings + official notices (hard) flagged: {_pct(report.hard_fp_rate)} of {report.n_hard}",
        f"clear scams called `scam`:               {_pct(report.clear_rate)} of {report.n_clear}",
        f"group guard would warn: {report.group_scams} scams ({_pct(report.group_scams / report.n_scam if report.n_scam else 0)}),"
        f" {report.group_benign} benign",
        "",
        "per kind (scam kinds: recall; benign kinds: share wrongly flagged)",
        f"  {'label':<7} {'kind':<24} {'n':>4} {'flagged':>8} {'rate':>7} {'scam':>5}",
    ]
    by_label: dict[str, list[KindFigures]] = defaultdict(list)
    for fig in report.kinds.values():
        by_label[fig.label].append(fig)
    for label in LABELS:
        for fig in by_label.get(label, []):
            out.append(f"  {fig.label:<7} {fig.kind:<24} {fig.n:>4} {fig.flagged:>8} {_pct(fig.rate):>7} {fig.called_scam:>5}")
    out.append("")
    out.append(f"false positives ({len(report.false_positives)}):")
    for item, verdict in report.false_positives:
        out.append(f"  [{verdict.verdict} {verdict.score:.2f}] ({item.kind}) {item.text[:140]}")
        out.append(f"      because: {'; '.join(verdict.reasons[:3])}")
    if show_misses:
        out.append(f"missed scams ({len(report.misses)}):")
        for item, verdict in report.misses:
            out.append(f"  [{verdict.verdict} {verdict.score:.2f}] ({item.kind}) {item.text[:140]}")
    return "\n".join(out)
