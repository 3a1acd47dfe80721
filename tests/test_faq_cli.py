"""``loa faq``: ask (single and stdin batch, stable JSON), check, eval, unanswered — as subprocesses."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from bot.config import PROJECT_ROOT
from bot.store import Store
from bot.store.faq import record_unanswered
from tests.conftest import make_db

DEV = Path(__file__).parent / "data" / "faq_dev.jsonl"


def _loa(*args: str, env: dict[str, str] | None = None, input: str | None = None, cwd: Path) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("LOA_")}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        capture_output=True, text=True, env=full_env, input=input, cwd=cwd, timeout=60,
    )


def test_ask_json_single_question(tmp_path: Path, seed_faq_model: Callable[[Path], None]) -> None:
    seed_faq_model(tmp_path / "loa.db")  # the default LOA_DB, in cwd
    r = _loa("faq", "ask", "--json", "cài vneid ntn", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    (line,) = r.stdout.strip().splitlines()
    obj = json.loads(line)
    assert set(obj) == {"question", "topic", "score", "answer"}
    assert obj["question"] == "cài vneid ntn" and obj["topic"] == "vneid.install"
    assert isinstance(obj["score"], float) and 0 <= obj["score"] <= 1
    assert "App Store" in obj["answer"]


def test_ask_json_stdin_batch_in_order_from_the_cached_model(tmp_path: Path) -> None:
    questions = [json.loads(line)["q"] for line in DEV.read_text(encoding="utf-8").splitlines()]
    questions = (questions * 2)[:400]
    warm = _loa("faq", "ask", "--json", "khám ở đâu", cwd=tmp_path)  # fits and caches the model next to loa.db
    assert warm.returncode == 0, warm.stderr
    cached = {p: p.stat().st_mtime_ns for p in (tmp_path / "cache").glob("faq-model-*.joblib")}
    assert cached
    r = _loa("faq", "ask", "--json", input="\n".join(questions) + "\n", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    # The batch reads the cached model instead of fitting again (speed is measured in bench/faq.py).
    assert {p: p.stat().st_mtime_ns for p in (tmp_path / "cache").glob("faq-model-*.joblib")} == cached
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    assert [row["question"] for row in rows] == questions
    by_q = {row["question"]: row for row in rows}
    assert by_q["thời tiết Hải Phòng ngày mai thế nào"]["topic"] is None
    medical = by_q["con tôi sốt 39 độ phải làm sao"]
    assert medical["topic"] == "safety.medical" and "115" in medical["answer"]


def test_ask_plain_output_and_configured_values(tmp_path: Path, seed_faq_model: Callable[[Path], None]) -> None:
    seed_faq_model(tmp_path / "loa.db")  # the default LOA_DB, in cwd
    r = _loa("faq", "ask", "tôi bị đau ngực uống thuốc gì", env={"LOA_EMERGENCY_NUMBER": "114-TEST"}, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "safety.medical" in r.stdout and "114-TEST" in r.stdout


def test_check_passes_on_the_real_kb(tmp_path: Path, seed_faq_model: Callable[[Path], None]) -> None:
    seed_faq_model(tmp_path / "loa.db")  # the default LOA_DB, in cwd
    r = _loa("faq", "check", cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "FAQ OK" in r.stdout


def test_check_reports_problems_in_one_line_error(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(PROJECT_ROOT / "messages" / "faq", content / "messages" / "faq")
    bad = content / "messages" / "faq" / "zz_bad.yaml"
    bad.write_text(
        "topics:\n  - id: screening.about\n    title: Dup\n    samples: [a]\n    answer: 'xem {{ nope }} http://evil.com'\n",
        encoding="utf-8",
    )
    r = _loa("faq", "check", env={"LOA_CONTENT_DIR": str(content)}, cwd=tmp_path)
    assert r.returncode == 1
    assert "duplicate FAQ topic ids: screening.about" in r.stdout + r.stderr
    assert "Traceback" not in r.stderr
    bad.write_text(
        "topics:\n  - id: extra.topic\n    title: X\n    samples: [khám ở đâu]\n    answer: 'xem {{ nope }} tại evil.com'\n",
        encoding="utf-8",
    )
    r = _loa("faq", "check", env={"LOA_CONTENT_DIR": str(content)}, cwd=tmp_path)
    assert r.returncode == 1
    out = r.stdout + r.stderr
    assert "1 samples, at least 8" in out and "template error" in out and "FAQ check failed" in out


def test_eval_prints_per_style_and_topic(tmp_path: Path, seed_faq_model: Callable[[Path], None]) -> None:
    seed_faq_model(tmp_path / "loa.db")  # the default LOA_DB, in cwd
    r = _loa("faq", "eval", str(DEV), "--no-misses", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "in-scope top-1 accuracy" in r.stdout and "per style:" in r.stdout and "screening.where" in r.stdout
    r = _loa("faq", "eval", str(tmp_path / "missing.jsonl"), cwd=tmp_path)
    assert r.returncode == 1 and "not found" in r.stderr


def test_unanswered_lists_redacted_questions(tmp_path: Path) -> None:
    db = make_db(tmp_path / "u.db")
    r = _loa("faq", "unanswered", env={"LOA_DB": str(db)}, cwd=tmp_path)
    assert r.returncode == 0 and "No unanswered" in r.stdout
    store = Store.open(db)
    at = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)
    for _ in range(3):
        record_unanswered(store, "giá vàng hôm nay, sđt tôi 0987654321", at=at)
    record_unanswered(store, "xem bói", at=at)
    store.close()
    r = _loa("faq", "unanswered", env={"LOA_DB": str(db)}, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.strip().splitlines()
    assert lines[0].split()[0] == "3" and "[sđt]" in lines[0] and "0987654321" not in r.stdout
