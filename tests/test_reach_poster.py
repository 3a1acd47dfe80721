"""``loa poster``: a real PDF for a commune with sessions next week, read back with poppler and zbar."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import Settings
from bot.reference import ensure_reference_data
from bot.store import Store
from tests.reach_support import NEXT_WEEK, schedule_next_week, sent_broadcast

DOCS = Path(__file__).resolve().parent.parent / "docs"


def _loa(tmp_path: Path, *args: str, **env_extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOA_")}
    env.update({"LOA_DB": str(tmp_path / "loa.db"), "LOA_SECRET_KEY": "poster-secret", **env_extra})
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120
    )


@pytest.fixture
def seeded(tmp_path: Path) -> tuple[Path, dict]:
    settings = Settings(db=tmp_path / "loa.db", secret_key="poster-secret", _env_file=None)  # type: ignore[call-arg]
    store = Store.open(settings.db)
    ensure_reference_data(store, settings)
    schedule_next_week(store, settings, tmp_path)
    row = sent_broadcast(store, settings)
    store.close()
    return tmp_path, row


def test_poster_pdf_has_dates_commune_and_a_decodable_qr(seeded: tuple[Path, dict]) -> None:
    tmp_path, row = seeded
    if not shutil.which("pdftoppm") or not shutil.which("pdftotext"):
        pytest.skip("poppler-utils (pdftoppm, pdftotext) is not installed")
    out = tmp_path / "poster.pdf"
    r = _loa(
        tmp_path, "poster", "--unit", "ke sat", "--message", str(row["message_id"]), "--out", str(out),
        "--copies", "40", "--today", "2026-11-24",
        LOA_PUBLIC_URL="https://loa.example.vn", LOA_TELEGRAM_BOT_LINK="https://t.me/loa_hp_bot",
    )
    assert r.returncode == 0, r.stderr
    assert "xã Kẻ Sặt" in r.stdout and row["code"] in r.stdout
    assert out.read_bytes().startswith(b"%PDF")

    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "Kẻ Sặt" in text and "KHÁM SỨC KHỎE MIỄN PHÍ" in text
    for day in NEXT_WEEK:
        assert day in text
    assert "17/11/2026" not in text, "a past session must not be on the poster"
    assert "Lê Chân" not in text, "another commune's session must not be on the poster"
    assert row["code"] in text and "1900 9095" in text

    subprocess.run(["pdftoppm", "-r", "110", "-png", "-singlefile", str(out), str(tmp_path / "poster")], check=True)
    png = tmp_path / "poster.png"
    if not shutil.which("zbarimg"):
        pytest.skip("zbarimg (zbar-tools) is not installed: the QR codes were not decoded")
    decoded = subprocess.run(["zbarimg", "-q", "--raw", str(png)], capture_output=True, text=True).stdout.split()
    assert "https://loa.example.vn/chat?u=K%E1%BA%BB%20S%E1%BA%B7t" in decoded
    assert "https://t.me/loa_hp_bot" in decoded
    assert len(decoded) == 2, "Zalo has no link configured: its QR code is skipped"

    store = Store.open(tmp_path / "loa.db")
    try:
        logged = store.conn.execute("SELECT unit, copies, source FROM posters").fetchall()
    finally:
        store.close()
    assert [tuple(x) for x in logged] == [("Kẻ Sặt", 40, "cli")]
    demo = DOCS / "poster-demo.png"
    if not demo.exists():  # committed once, shown in the README
        shutil.copy(png, demo)


def test_poster_unknown_commune_is_one_clear_line(seeded: tuple[Path, dict]) -> None:
    tmp_path, _ = seeded
    r = _loa(tmp_path, "poster", "--unit", "Xã Không Có", "--out", str(tmp_path / "x.pdf"))
    assert r.returncode != 0
    assert "Không tìm thấy xã, phường" in (r.stdout + r.stderr)
    assert "Traceback" not in r.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_poster_message_never_sent_is_refused(seeded: tuple[Path, dict]) -> None:
    tmp_path, _ = seeded
    r = _loa(tmp_path, "poster", "--unit", "Kẻ Sặt", "--message", "999", "--out", str(tmp_path / "x.pdf"))
    assert r.returncode != 0
    assert "chưa được phát" in (r.stdout + r.stderr)
