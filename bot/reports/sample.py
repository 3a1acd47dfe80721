"""Regenerate ``docs/sample-report/`` from the demo data: ``python3 -m bot.reports.sample [FOLDER]``.

A fresh temporary demo database (every feature's demo content), the 2026-Q3 report dated
02/10/2026 with ``notes.txt`` as section 7, written as .docx and .md.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.demo import load_demo
from bot.reports.output import make_report, render
from bot.reports.periods import parse_quarter
from bot.store import Store


def write_sample(folder: Path) -> list[Path]:
    """Write the sample report files into ``folder``; return their paths."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            db=Path(tmp) / "demo.db", secret_key="sample", report_signer_name="Nguyễn Văn A", _env_file=None
        )  # type: ignore[call-arg]
        store = Store.open(settings.db)
        try:
            load_demo(store, settings)
            notes = folder / "notes.txt"
            report = make_report(
                store,
                settings,
                parse_quarter("2026-Q3"),
                notes=notes if notes.exists() else None,
                now=datetime(2026, 10, 2, 9, tzinfo=ZoneInfo(settings.timezone)),
            )
            paths = []
            for fmt in ("docx", "md"):
                path = folder / f"bao-cao-2026-Q3.{fmt}"
                path.write_bytes(render(report, fmt))
                paths.append(path)
        finally:
            store.close()
    return paths


if __name__ == "__main__":
    for written in write_sample(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/sample-report")):
        print(written)
