"""Leave-one-author-out estimate of the scam check: how it does on wording it never learnt.

The corpus files were written by different authors, told apart by the file-name suffix
(``kind.jsonl`` = author "plain", ``kind_b.jsonl`` = "b", ``_c``, ``_d``, ``_e``, ``_f``…).
For each author the classifier and combiner are trained on every *other* author's files
and the full checker (rules + that model) is run on the held-out author's messages. The
dev sets score near 100 % because the engine has learnt them; this figure rewards what
carries over to a new writer instead. The rules were written with the whole corpus in
view, so the estimate is still somewhat optimistic.

Printed per held-out author: scams flagged (recall), scams called ``scam``, benign
flagged, hard negatives flagged (genuine notices, warnings, stories, service SMS, money
talk between relatives and friends, shop ads), then the pooled figures.
``--dev`` also evaluates the dev sets with the full model (as ``loa check --eval``).
``--misses`` lists the held-out messages that went wrong. Deterministic.
Run: ``PYTHONPATH=. python3 bench/scam_authors.py [--dev] [--misses] [--only b,c]``.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import Settings  # noqa: E402
from bot.scam import hybrid  # noqa: E402
from bot.scam.checker import Checker  # noqa: E402
from bot.scam.context import hotlines, scam_model  # noqa: E402
from bot.scam.corpus import CORPUS_DIR, Sample, author_of, load_corpus  # noqa: E402
from bot.scam.evaluate import evaluate, load  # noqa: E402
from bot.scam.hybrid import train  # noqa: E402

DEV = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests/data").glob("scam_*.jsonl"))
# Benign kinds that look like scams on the surface; the rest is chat and residents' questions.
EASY_BENIGN = frozenset({"chit_chat", "errands_chat", "resident_question", "resident_contact"})
author = author_of

@dataclass
class Figures:
    """Counts for one held-out author (or the pool)."""

    name: str
    scams: int = 0
    flagged: int = 0
    called: int = 0
    benign: int = 0
    fp: int = 0
    hard: int = 0
    fp_hard: int = 0
    wrong: list[str] = field(default_factory=list)

    def add(self, s: Sample, verdict: str, why: str = "") -> None:
        """Count one held-out message and its verdict (``why``: its score and signals)."""
        flagged = verdict in ("scam", "suspicious")
        if s.is_scam:
            self.scams += 1
            self.flagged += flagged
            self.called += verdict == "scam"
        else:
            self.benign += 1
            self.fp += flagged
            hard = s.kind not in EASY_BENIGN
            self.hard += hard
            self.fp_hard += flagged and hard
        if flagged != s.is_scam:
            self.wrong.append(f"  [{verdict}] ({s.kind}) {s.text[:150]}" + (f"\n      {why}" if why else ""))

    def row(self) -> str:
        """One table row."""
        def pct(a: int, b: int) -> str:
            return f"{100 * a / b:5.1f}%" if b else "    -"

        return (
            f"{self.name:<7} {self.scams:>5} {pct(self.flagged, self.scams)} {pct(self.called, self.scams)}"
            f" {self.benign:>6} {pct(self.fp, self.benign)} {self.hard:>5} {pct(self.fp_hard, self.hard)}"
        )


HEADER = f"{'author':<7} {'scams':>5} {'recall':>6} {'called':>6} {'benign':>6} {'b-flag':>6} {'hard':>5} {'h-flag':>6}"


def leave_one_out(samples: list[Sample], only: set[str] | None, misses: bool, sweep: list[float] | None = None) -> None:
    """Train without each author in turn and print the held-out figures; ``sweep`` also
    pools the figures the checker would give at each of those ``suspicious`` thresholds."""
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    authors = sorted({author(s) for s in samples})
    pool = Figures("pooled")
    swept = {t: Figures(f"p>={t:.2f}") for t in sweep or []}
    print(HEADER)
    for name in authors:
        if only and name not in only:
            continue
        started = time.perf_counter()
        model = train([s for s in samples if author(s) != name])
        checker = Checker(model=model, hotlines=hotlines(settings))
        fig = Figures(name)
        for s in (s for s in samples if author(s) == name):
            v = checker.check(s.text)
            why = f"p={v.score:.2f} " + " ".join(f"{g.id}:{g.weight:.2f}" for g in v.signals) if misses else ""
            fig.add(s, v.verdict, why)
            pool.add(s, v.verdict)
            for t, f in swept.items():
                f.add(s, _at_threshold(checker, s.text, t))
        print(fig.row(), f"  ({time.perf_counter() - started:.0f} s)", flush=True)
        if misses and fig.wrong:
            print("\n".join(fig.wrong))
    print(pool.row())
    for f in swept.values():
        print(f.row())


def _at_threshold(checker: Checker, text: str, threshold: float) -> str:
    """The verdict with the ``suspicious`` threshold set to ``threshold`` (bench only)."""
    saved = hybrid.SUSPICIOUS_P
    hybrid.SUSPICIOUS_P = threshold
    try:
        return checker.check(text).verdict
    finally:
        hybrid.SUSPICIOUS_P = saved


def dev_sets() -> None:
    """The dev sets with the full model (what ``loa check --eval`` prints, in one table)."""
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    checker = Checker(model=scam_model(), hotlines=hotlines(settings))
    print(f"{'dev set':<28} {'scams':>5} {'recall':>6} {'clear→scam':>10} {'benign':>6} {'b-flag':>6} {'hard':>5} {'h-flag':>6}")
    for name in DEV:
        if "heldout" in name:
            continue  # never measured here: held-out sets are not for tuning
        r = evaluate(checker, load(ROOT / name))
        print(
            f"{Path(name).stem:<28} {r.n_scam:>5} {100 * r.recall:5.1f}% {100 * r.clear_rate:9.1f}%"
            f" {r.n_benign:>6} {100 * r.fp_rate:5.1f}% {r.n_hard:>5} {100 * r.hard_fp_rate:5.1f}%"
        )


def main() -> None:
    """Parse the options and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", action="store_true", help="also evaluate the dev sets with the full model")
    parser.add_argument("--misses", action="store_true", help="list the held-out messages that went wrong")
    parser.add_argument("--only", default="", help="comma-separated authors to hold out (default: all)")
    parser.add_argument("--no-cv", action="store_true", help="skip the leave-one-author-out part")
    parser.add_argument("--sweep", default="", help="comma-separated `suspicious` thresholds to pool figures for (e.g. 0.5,0.6)")
    args = parser.parse_args()
    if not args.no_cv:
        only = {a.strip() for a in args.only.split(",") if a.strip()} or None
        sweep = [float(t) for t in args.sweep.split(",") if t.strip()] or None
        leave_one_out(load_corpus(CORPUS_DIR), only, args.misses, sweep)
    if args.dev:
        dev_sets()


if __name__ == "__main__":
    main()
