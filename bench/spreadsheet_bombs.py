"""Spreadsheet bombs: how fast and how cheaply each importer refuses them.

    python3 bench/spreadsheet_bombs.py

Builds the bombs of tests/test_security_spreadsheets.py (a cell at XFD1048576 with and
without a <dimension>, 150 MiB of sheet XML in ~450 KB, a ratio bomb, a wide sheet of
320,000 cells) and a legitimate 3,000-row schedule, then times ``bot.tablefile.read_xlsx``
on each and prints the peak RSS growth of this process.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import tablefile  # noqa: E402
from tests.test_security_spreadsheets import BOMBS  # noqa: E402


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    from openpyxl import Workbook

    with tempfile.TemporaryDirectory() as tmp:
        files = {name: make(Path(tmp) / name) for name, make in BOMBS.items()}
        wb = Workbook()
        ws = wb.active
        for r in range(3000):
            ws.append([f"phường {r % 40}", f"Trạm {r}", "1 Lê Chân", "co_dinh", "26/11/2026", "07:30", "11:00"])
        files["legit_3000_rows.xlsx"] = Path(tmp) / "legit.xlsx"
        wb.save(files["legit_3000_rows.xlsx"])
        print(f"{'file':24} {'size KB':>8} {'seconds':>8} {'peak RSS MB':>12}  outcome")
        for name, path in files.items():
            start = time.perf_counter()
            try:
                rows, _ = tablefile.read_xlsx(path)
                outcome = f"read {len(rows)} rows"
            except tablefile.TableTooBig as exc:
                outcome = f"refused: {exc}"
            took = time.perf_counter() - start
            size = path.stat().st_size / 1024
            print(f"{name:24} {size:8.0f} {took:8.3f} {_peak_mb():12.0f}  {outcome[:90]}")


if __name__ == "__main__":
    main()
