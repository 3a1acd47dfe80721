"""``loa check``: one text, JSON lines on stdin, evaluation, bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

DEV = Path(__file__).parent / "data" / "scam_dev.jsonl"


def _loa(*args: str, input: str | None = None, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOA_")}
    env["LOA_DB"] = str(cwd / "loa.db")
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "check", *args], capture_output=True, text=True, env=env, input=input, cwd=cwd, timeout=60
    )


def test_check_json_one_text(tmp_path: Path) -> None:
    r = _loa("--json", "Công an phường: tài khoản định danh mức 2 bị lỗi, bấm vneid-gov.com để đồng bộ", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["verdict"] == "scam" and 0.8 <= out["score"] <= 1 and out["reasons"]
    # Checking must not create a database or a secret file as a side effect.
    assert not (tmp_path / "loa.db").exists() and not (tmp_path / "loa.db.secret").exists()


def test_check_human_output(tmp_path: Path) -> None:
    r = _loa("tối nay ăn lẩu không", cwd=tmp_path)
    assert r.returncode == 0 and r.stdout.startswith("verdict: clean")


def test_check_json_lines_in_order(tmp_path: Path) -> None:
    texts = ["bấm bit.ly/abc nhận quà trúng thưởng", "mai họp tổ lúc 8h", "Không cung cấp mã OTP cho ai."]
    stdin = "".join(json.dumps(t, ensure_ascii=False) + "\n" for t in texts) + "\n"
    r = _loa("--json", input=stdin, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    assert [row["verdict"] for row in rows] == ["scam", "clean", "clean"]
    assert all(set(row) == {"verdict", "score", "reasons"} for row in rows)


def test_bad_stdin_line_is_reported_in_place(tmp_path: Path) -> None:
    r = _loa("--json", input='"mai họp"\nnot json\n42\n"bấm bit.ly/x nhận quà"\n', cwd=tmp_path)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    assert len(rows) == 4 and "error" in rows[1] and "error" in rows[2] and rows[3]["verdict"] == "scam"


def test_eval_prints_figures(tmp_path: Path) -> None:
    r = _loa("--eval", str(DEV), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "recall" in r.stdout and "precision" in r.stdout and "false positives" in r.stdout
    assert "per kind" in r.stdout and "vneid_sync" in r.stdout


def test_eval_bad_file_is_one_clear_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "x", "label": "maybe"}\n', encoding="utf-8")
    r = _loa("--eval", str(bad), cwd=tmp_path)
    assert r.returncode == 1 and "bad.jsonl:1" in r.stderr and "Traceback" not in r.stderr
    r = _loa("--eval", str(tmp_path / "missing.jsonl"), cwd=tmp_path)
    assert r.returncode == 1 and "Traceback" not in r.stderr
