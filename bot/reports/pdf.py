"""PDF and PNG renderings of a report through LibreOffice (``soffice --headless``) and
poppler's ``pdftoppm``: how a receiving office that converts the .docx will see it.

Optional tools: :func:`available` says whether they are installed; nothing in the report
path depends on them (the sample generator and a marked test use them).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from bot.errors import LoaError

SOFFICE_TIMEOUT_S = 180


def soffice() -> str | None:
    """Path of the LibreOffice binary, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def available() -> bool:
    """Whether LibreOffice and pdftoppm are both installed."""
    return bool(soffice() and shutil.which("pdftoppm"))


def to_pdf(source: Path, outdir: Path) -> Path:
    """Convert ``source`` (.docx, .xlsx) to PDF in ``outdir`` with a private LibreOffice profile
    (so it runs beside an open LibreOffice or another conversion)."""
    binary = soffice()
    if not binary:
        raise LoaError("LibreOffice (soffice) is not installed")
    with tempfile.TemporaryDirectory(prefix="loa-lo-") as profile:
        cmd = [
            binary,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            str(source),
        ]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=SOFFICE_TIMEOUT_S, check=False)
    pdf = outdir / (source.stem + ".pdf")
    if done.returncode != 0 or not pdf.exists():
        raise LoaError(f"LibreOffice could not convert {source.name}: {done.stderr.strip()[:200]}")
    return pdf


def first_page_png(pdf: Path, png: Path, dpi: int = 80) -> Path:
    """Page 1 of ``pdf`` as ``png`` (pdftoppm)."""
    binary = shutil.which("pdftoppm")
    if not binary:
        raise LoaError("pdftoppm (poppler-utils) is not installed")
    stem = png.with_suffix("")
    cmd = [binary, "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)]
    subprocess.run(cmd, capture_output=True, timeout=60, check=True)
    return png


def pdf_text(pdf: Path) -> str:
    """The text of ``pdf`` in reading layout (pdftotext -layout)."""
    binary = shutil.which("pdftotext")
    if not binary:
        raise LoaError("pdftotext (poppler-utils) is not installed")
    done = subprocess.run([binary, "-layout", str(pdf), "-"], capture_output=True, text=True, timeout=60, check=True)
    return done.stdout
