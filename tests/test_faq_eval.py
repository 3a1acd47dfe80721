"""FAQ quality on our own evaluation files (written apart from the KB samples)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings
from bot.faq import knowledge_base
from bot.faq.evaluate import EvalReport, evaluate, format_report, load_eval
from bot.text import fold, normalize

DATA = Path(__file__).parent / "data"
DEV = DATA / "faq_dev.jsonl"
HELDOUT = DATA / "faq_eval_heldout.jsonl"
HELDOUT2 = DATA / "faq_eval_heldout2.jsonl"
HELDOUT3 = DATA / "faq_eval_heldout3.jsonl"
# Residents' personal details, greetings, two questions, context before the question.
HELDOUT4 = DATA / "faq_eval_heldout4.jsonl"


def _key(text: str) -> str:
    return fold(normalize(text))


@pytest.mark.parametrize("path", [DEV, HELDOUT, HELDOUT2, HELDOUT3, HELDOUT4])
def test_eval_questions_are_not_kb_samples(settings: Settings, path: Path) -> None:
    kb = knowledge_base(settings)
    samples = {_key(s) for t in kb.topics.values() for s in t.samples} | {_key(n) for n in kb.negatives}
    rows = load_eval(path)
    leaked = [r["q"] for r in rows if _key(r["q"]) in samples]
    assert not leaked, leaked
    assert all(r["topic"] is None or r["topic"] in kb.topics for r in rows)
    if path in (HELDOUT2, HELDOUT3, HELDOUT4):
        return  # small later held-out sets: 1-2 questions per topic
    in_scope = [r for r in rows if r["topic"] not in (None, "safety.medical")]
    for topic in kb.topics:
        if topic != "safety.medical":
            assert sum(r["topic"] == topic for r in in_scope) >= 3, topic
    assert sum(r["topic"] is None for r in rows) >= 20
    assert sum(r["topic"] == "safety.medical" for r in rows) >= 15


def test_dev_set_targets(settings: Settings) -> None:
    rows = load_eval(DEV)
    assert len(rows) >= 300
    report = evaluate(knowledge_base(settings), rows)
    summary = format_report(report)
    rate = EvalReport.rate
    assert rate(report.in_scope) >= 0.95, summary
    assert rate(report.out_of_scope) >= 0.90, summary
    assert rate(report.medical) == 1.0, summary
    for style, pair in report.by_style.items():
        assert rate(pair) >= 0.90, f"{style}: {summary}"
    assert report.false_medical == 0, summary


def test_heldout_sets_regression_floor(settings: Settings) -> None:
    """Held-out questions (not used to pick thresholds): floors a little under today's figures
    (in scope 95.5%, out of scope 96.0%, medical 100% over the three files)."""
    rows = load_eval(HELDOUT) + load_eval(HELDOUT2) + load_eval(HELDOUT3) + load_eval(HELDOUT4)
    report = evaluate(knowledge_base(settings), rows)
    summary = format_report(report)
    rate = EvalReport.rate
    assert rate(report.in_scope) >= 0.93, summary
    assert rate(report.out_of_scope) >= 0.90, summary
    assert rate(report.medical) == 1.0, summary
    assert report.false_medical == 0, summary
