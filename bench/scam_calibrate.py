"""Choose the scam / suspicious thresholds on the dev sets (never on the held-out set).

For each dev file, every message gets the combiner's probability and whether a strong
specific request fired; the script then prints, for a grid of thresholds, the share of
scams flagged, of clear scams called "scam", of benign and of hard negatives flagged.
Run: ``python3 bench/scam_calibrate.py [DEV.jsonl ...]``; defaults to the three dev sets.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.scam import hybrid  # noqa: E402
from bot.scam.checker import Checker  # noqa: E402
from bot.scam.context import scam_model  # noqa: E402
from bot.scam.evaluate import load  # noqa: E402
from bot.scam.prepare import prepare  # noqa: E402

DEV = ("tests/data/scam_dev_2026-12.jsonl", "tests/data/scam_dev.jsonl", "tests/data/scam_holdout.jsonl")
GRID_SUSPICIOUS = (0.3, 0.4, 0.5, 0.6, 0.7)
GRID_SCAM = (0.7, 0.8, 0.85, 0.9, 0.95)


def main() -> None:
    """Print the figures per threshold pair."""
    model = scam_model()
    if model is None:
        raise SystemExit("no model: check messages/scam_corpus")
    checker = Checker()
    rows = []
    for name in sys.argv[1:] or DEV:
        for item in load(ROOT / name):
            prep = prepare(item.text)
            signals = checker.rule_signals(prep)
            clf_p, _, _ = model.text.explain(prep.folded)
            p = model.combiner.prob(hybrid.features(prep, signals, clf_p))
            rows.append((item, p, hybrid.strong_request(signals) is not None))
    scams = [r for r in rows if r[0].label == "scam"]
    benign = [r for r in rows if r[0].label != "scam"]
    hard = [r for r in benign if r[0].hard]
    print(f"{len(scams)} scams, {len(benign)} benign ({len(hard)} hard)")
    print("susp  scam  flagged  called-scam  benign-flagged  hard-flagged  benign-called-scam")
    for ts in GRID_SUSPICIOUS:
        for tc in GRID_SCAM:
            def flagged(r: tuple, ts: float = ts) -> bool:
                return r[2] or r[1] >= ts

            def called(r: tuple, tc: float = tc) -> bool:
                return r[2] or r[1] >= tc

            print(
                f"{ts:.2f}  {tc:.2f}  {sum(map(flagged, scams)) / len(scams):7.1%}  {sum(map(called, scams)) / len(scams):11.1%}"
                f"  {sum(map(flagged, benign)) / len(benign):14.1%}  {sum(map(flagged, hard)) / max(1, len(hard)):12.1%}"
                f"  {sum(map(called, benign)) / len(benign):18.1%}"
            )


if __name__ == "__main__":
    main()
