"""Regenerate ``docs/sample-report/`` from the demo data: ``python3 -m bot.reports.sample [FOLDER]``.

A fresh temporary demo database (every feature's demo content), dated 02/10/2026:
- ``bao-cao-2026-Q3``: the quarterly report signed by a deputy (KT. GIÁM ĐỐC / PHÓ GIÁM
  ĐỐC), section 7 = the draft from the figures extended by ``notes.txt``; .docx, .xlsx, .md;
- ``bao-cao-2026-du-thao``: the yearly report of a year not over yet, from a long-named
  issuing body and without a signer's name, so marked DỰ THẢO; .docx.
With LibreOffice and poppler installed, each .docx and the .xlsx also get a PDF and a PNG of
page 1 (``--no-pdf`` skips them).
"""

from __future__ import annotations

import sys
import tempfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import SecretStr

from bot.config import Settings
from bot.demo import load_demo
from bot.reports import pdf
from bot.reports.output import make_report, render
from bot.reports.periods import parse_quarter, parse_year
from bot.store import Store


def write_sample(folder: Path, *, with_pdf: bool = True) -> list[Path]:
    """Write the sample report files into ``folder``; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            db=Path(tmp) / "demo.db",
            secret_key=SecretStr("sample"),
            report_signer_authority="KT. GIÁM ĐỐC",
            report_signer_title="PHÓ GIÁM ĐỐC",
            report_signer_name="Nguyễn Văn A",
            _env_file=None,
        )  # type: ignore[call-arg]
        store = Store.open(settings.db)
        try:
            load_demo(store, settings)
            notes = folder / "notes.txt"
            now = datetime(2026, 10, 2, 9, tzinfo=ZoneInfo(settings.timezone))
            quarter = make_report(
                store,
                settings,
                parse_quarter("2026-Q3"),
                notes=notes if notes.exists() else None,
                notes_mode="extend",
                now=now,
            )
            for fmt in ("docx", "xlsx", "md"):
                paths.append(folder / f"bao-cao-2026-Q3.{fmt}")
                paths[-1].write_bytes(render(quarter, fmt))
            cdc = settings.model_copy(
                update={
                    "report_issuer": "Trung tâm Kiểm soát bệnh tật thành phố Hải Phòng",
                    "report_code": "BC-TTKSBT",
                    "report_signer_name": "",
                }
            )
            year = make_report(store, cdc, parse_year(2026), now=now)
            paths.append(folder / "bao-cao-2026-du-thao.docx")
            paths[-1].write_bytes(render(year, "docx"))
        finally:
            store.close()
    if with_pdf and pdf.available():
        for source in [p for p in paths if p.suffix in (".docx", ".xlsx")]:
            rendered = pdf.to_pdf(source, folder)
            target = rendered.with_name(f"{source.stem}-{source.suffix[1:]}.pdf")
            rendered.replace(target)
            paths += [target, pdf.first_page_png(target, target.with_suffix(".png"))]
    return paths


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    for written in write_sample(Path(args[0] if args else "docs/sample-report"), with_pdf="--no-pdf" not in sys.argv):
        print(written)
