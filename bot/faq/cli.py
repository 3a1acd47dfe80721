"""``loa faq``: ask the knowledge base, validate it, evaluate it, list unanswered questions."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from bot.cli_helpers import console, load_settings, open_store
from bot.errors import DataFileError, LoaError

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.faq.kb import KnowledgeBase

faq_app = typer.Typer(help="The FAQ knowledge base (messages/faq/*.yaml).", no_args_is_help=True)


def ask_one(kb: KnowledgeBase, settings: Settings, question: str) -> dict[str, object]:
    """The stable JSON shape of one answer: question, topic (or null), score, answer."""
    from bot.faq.kb import MEDICAL_TOPIC, abstain_text, medical_line
    from bot.faq.register import address_of, address_reply

    decision = kb.classify(question)
    address = address_of(question)
    if decision.topic is None:
        answer = abstain_text(settings)
        if decision.medical_hint:
            answer = medical_line(settings) + "\n" + answer
    elif decision.kind == "medical":
        answer = address_reply(kb.answer(MEDICAL_TOPIC, settings), address)
    else:
        parts = [kb.answer(t, settings) for t in decision.topics or (decision.topic,)]
        answer = address_reply("\n\n".join(parts), address)
    return {"question": question, "topic": decision.topic, "score": round(float(decision.score), 4), "answer": answer}


@faq_app.command("ask")
def ask(
    question: str = typer.Argument(None, help="The question; omit it to read one question per line from stdin."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object per question."),
) -> None:
    """Answer a question as Loa would (no database needed)."""
    from bot.faq import knowledge_base

    settings = load_settings()
    kb = knowledge_base(settings)
    questions = [question] if question is not None else [line.rstrip("\r\n") for line in sys.stdin]
    for q in questions:
        if question is None and not q.strip():
            continue
        result = ask_one(kb, settings, q)
        if as_json:
            typer.echo(json.dumps(result, ensure_ascii=False))
        else:
            console.print(f"[bold]{result['topic'] or '(không trả lời)'}[/bold]  score {result['score']:.2f}")
            console.print(str(result["answer"]), highlight=False, markup=False)


@faq_app.command("check")
def check() -> None:
    """Validate the KB: required ids, samples, duplicates, templates, length, NFC, links."""
    from bot.faq.check import check_knowledge_base

    settings = load_settings()
    report = check_knowledge_base(settings)
    for warning in report.warnings:
        console.print(f"warning: {warning}", highlight=False, markup=False)
    for problem in report.problems:
        console.print(f"problem: {problem}", highlight=False, markup=False)
    if not report.ok:
        raise LoaError(f"FAQ check failed: {len(report.problems)} problem(s)")
    console.print(f"FAQ OK: {report.topics} topics, {report.samples} samples, {len(report.warnings)} warning(s)")


@faq_app.command("eval")
def eval_(
    file: Path = typer.Argument(..., help="JSON lines: {\"q\": ..., \"topic\": id|null, \"style\": ...}"),
    show_misses: bool = typer.Option(True, "--misses/--no-misses", help="List the questions answered wrongly."),
) -> None:
    """Accuracy on an evaluation file, per style and per topic."""
    from bot.faq import knowledge_base
    from bot.faq.evaluate import evaluate, format_report, load_eval

    settings = load_settings()
    if not file.exists():
        raise DataFileError(f"evaluation file not found: {file}")
    report = evaluate(knowledge_base(settings), load_eval(file))
    if not show_misses:
        report.misses.clear()
    typer.echo(format_report(report))


@faq_app.command("unanswered")
def unanswered(
    limit: int = typer.Option(30, min=1, help="How many questions to list."),
    handled: bool = typer.Option(False, "--handled", help="Also list questions marked handled in the admin."),
) -> None:
    """The most frequent questions Loa could not answer (redacted), for editors."""
    from bot.store.faq import list_unanswered

    settings = load_settings()
    store = open_store(settings)
    try:
        rows = list_unanswered(store, limit=limit, include_handled=handled)
    finally:
        store.close()
    if not rows:
        console.print("No unanswered questions yet.")
        return
    for row in rows:
        hint = f"  (gần nhất: {row['best_topic']} {row['best_score']:.2f})" if row["best_topic"] else ""
        console.print(f"{row['count']:>5}  {row['question']}{hint}", highlight=False, markup=False)


samples_app = typer.Typer(
    help="Samples proposed by officers in the admin, waiting for an editor's review.", no_args_is_help=True
)
faq_app.add_typer(samples_app, name="samples")


@samples_app.command("list")
def samples_list() -> None:
    """List the proposed samples not exported yet (topic, text, who proposed it)."""
    from bot.store.faq_review import pending_samples

    settings = load_settings()
    store = open_store(settings)
    try:
        rows = pending_samples(store)
    finally:
        store.close()
    if not rows:
        console.print("No proposed samples waiting for review.")
        return
    for row in rows:
        console.print(f"{row['id']:>5}  {row['topic']}  {row['text']}  ({row['created_by']})", highlight=False, markup=False)


@samples_app.command("export")
def samples_export(
    out: Path = typer.Option(None, "--out", "-o", help="Write the YAML to this file instead of stdout."),
    mark: bool = typer.Option(
        False, "--mark-exported", help="Mark the exported samples so the next export leaves them out."
    ),
) -> None:
    """Write the proposed samples as YAML in the format of messages/faq/samples/*.yaml.

    Nothing changes what Loa answers until an editor moves the reviewed lines into
    messages/faq/samples/, runs `loa faq check`, commits, and restarts Loa.
    """
    from datetime import UTC, datetime

    from bot.faq.kb import faq_dir
    from bot.faq.proposals import export_proposals
    from bot.store.faq_review import mark_exported, pending_samples

    settings = load_settings()
    store = open_store(settings)
    try:
        result = export_proposals(pending_samples(store), faq_dir(settings.content_dir))
        if out is not None:
            try:
                out.write_text(result.text, encoding="utf-8")
            except OSError as exc:
                raise DataFileError(f"cannot write {out}: {exc.strerror or exc}") from exc
        else:
            typer.echo(result.text, nl=False)
        if mark and result.exported_ids:
            mark_exported(store, result.exported_ids, at=datetime.now(UTC))
    finally:
        store.close()
    for line in result.skipped:
        typer.echo(f"skipped {line}", err=True)
    typer.echo(
        f"{len(result.exported_ids)} sample(s) exported" + (f" to {out}" if out else "")
        + (", marked as exported" if mark and result.exported_ids else ""),
        err=True,
    )
