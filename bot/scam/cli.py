"""``loa check``: check messages from the command line, or evaluate a labelled set.

- ``loa check "TEXT"`` — a readable verdict; ``--json`` prints one JSON object.
- ``loa check`` with no TEXT — JSON lines on stdin (one JSON string per line), one JSON
  object per line out, in order. A line that is not a JSON string gets
  ``{"error": ...}`` in its place, and the command fails (status 1) at the end.
- ``loa check --eval FILE`` — precision, recall per kind and the false positives.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from bot.errors import LoaError


def _checker():  # noqa: ANN202 - bot.scam.Checker, imported lazily
    from bot.cli_helpers import load_settings
    from bot.scam.context import build_checker
    from bot.store import Store

    settings = load_settings()
    # Use the database for official matching only when it exists: checking a message
    # must not create an empty database (or a secret file) as a side effect.
    store = Store.open(settings.db) if Path(settings.db).exists() else None
    return build_checker(settings, store), store


def _json(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False)


def run_check(text: str | None, *, as_json: bool = False, eval_file: Path | None = None) -> None:
    """The body of ``loa check`` (see the module docstring)."""
    checker, store = _checker()
    try:
        if eval_file is not None:
            from bot.scam.evaluate import evaluate, format_report, load

            report = evaluate(checker, load(eval_file))
            typer.echo(format_report(report))
            return
        if text is not None:
            verdict = checker.check(text)
            if as_json:
                typer.echo(_json(verdict.to_json()))
            else:
                typer.echo(f"verdict: {verdict.verdict}  score: {verdict.score:.2f}")
                for reason in verdict.reasons:
                    typer.echo(f"  - {reason}")
                if verdict.rumour_topic:
                    typer.echo(f"  rumour: {verdict.rumour_topic}")
            return
        if sys.stdin.isatty():
            raise LoaError('give TEXT, or pipe JSON lines (one JSON string per line), e.g. echo \'"bấm link"\' | loa check --json')
        failed = 0
        for no, line in enumerate(sys.stdin, start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError:
                value = None
            if not isinstance(value, str):
                failed += 1
                typer.echo(_json({"error": f"line {no}: expected a JSON string"}))
                continue
            typer.echo(_json(checker.check(value).to_json()))
            sys.stdout.flush()
        if failed:
            # After every line was answered: the exit status tells scripts something was wrong.
            raise LoaError(f"{failed} input line(s) were not JSON strings")
    finally:
        if store is not None:
            store.close()
