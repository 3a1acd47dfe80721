"""Benchmark: import a 5,000-row screening schedule (CSV and XLSX), re-import it, look it up.

Run: ``python3 bench/sites_import.py [ROWS]``. Prints seconds per step; uses a temp database.
"""

from __future__ import annotations

import csv
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.config import Settings  # noqa: E402
from bot.reference import ensure_reference_data  # noqa: E402
from bot.sites.importer import import_schedule  # noqa: E402
from bot.sites.lookup import lookup  # noqa: E402
from bot.store import Store  # noqa: E402
from bot.store.units import list_units  # noqa: E402

HEADER = ["Đơn vị", "Tên điểm", "Địa chỉ", "Loại", "Ngày", "Giờ bắt đầu", "Giờ kết thúc", "Vĩ độ", "Kinh độ",
          "Đối tượng", "Liên hệ", "Ghi chú"]


def make_rows(n: int, units: list[str]) -> list[list[str]]:
    """``n`` distinct sessions spread over the units, sites and 120 days."""
    rng = random.Random(7)
    start = date(2026, 11, 20)
    rows = []
    for i in range(n):
        unit = units[i % len(units)]
        site = i // len(units) % 3
        day = start + timedelta(days=(i // (len(units) * 3)) % 120)
        hour = 7 + (i // (len(units) * 3 * 120)) % 8
        kind = "luu_dong" if site == 2 else "co_dinh"
        # Some names written without diacritics, with the prefix, as officers do.
        written = unit if i % 3 else f"xã {unit}"
        rows.append([
            written, f"Điểm khám {site + 1} {unit}", f"Nhà văn hóa khu {site + 1}, {unit}", kind,
            day.strftime("%d/%m/%Y"), f"{hour:02d}:00", f"{hour + 2:02d}:30",
            f"{20.7 + rng.random() * 0.3:.5f}", f"{106.1 + rng.random() * 0.9:.5f}",
            "Người cao tuổi; Trẻ em", "0225 3000 000", "",
        ])
    return rows


def timed(label: str, fn):  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    out = fn()
    print(f"{label:<42} {time.perf_counter() - t0:7.3f} s")
    return out


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        settings = Settings(db=tmpdir / "bench.db", secret_key="bench", _env_file=None)  # type: ignore[call-arg]
        store = Store.open(settings.db)
        ensure_reference_data(store, settings)
        units = [u["name"] for u in list_units(store, "Hải Phòng")]
        rows = make_rows(n, units)
        csv_path = tmpdir / "lich.csv"
        with csv_path.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(HEADER)
            writer.writerows(rows)
        print(f"{n} rows, {len(units)} communes")
        r = timed("CSV import (validate + write)", lambda: import_schedule(store, csv_path, province="Hải Phòng"))
        assert r.ok and r.counts and r.counts.sessions_added == n, r.lines()[:5]
        r = timed("CSV re-import (no changes)", lambda: import_schedule(store, csv_path, province="Hải Phòng"))
        assert r.counts and r.counts.sessions_unchanged == n
        timed("CSV dry run", lambda: import_schedule(store, csv_path, province="Hải Phòng", dry_run=True))

        # Worst case: every row a different site (no repeated names or addresses).
        distinct = [[r[0], f"Điểm khám số {i}", f"Số {i} đường Lạch Tray, {r[0]}", *r[3:]] for i, r in enumerate(rows)]
        distinct_path = tmpdir / "distinct.csv"
        with distinct_path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(HEADER)
            writer.writerows(distinct)
        r = timed(
            f"CSV import, {n} distinct sites", lambda: import_schedule(store, distinct_path, province="Hải Phòng")
        )
        assert r.ok and r.counts and r.counts.sites_added == n

        import openpyxl

        # A normal workbook stores text as shared strings, like files saved by Excel.
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.append(HEADER)
        for row in rows:
            ws.append(row)
        xlsx_path = tmpdir / "lich.xlsx"
        wb.save(xlsx_path)
        r = timed("XLSX re-import (read + validate)", lambda: import_schedule(store, xlsx_path, province="Hải Phòng"))
        assert r.ok, r.lines()[:5]

        now = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)
        queries = ["điểm khám ở Kẻ Sặt tuần này", "le chan thang 12", "12/12", "cam giang"]
        t0 = time.perf_counter()
        for _ in range(50):
            for q in queries:
                lookup(store, q, now=now, timezone="Asia/Ho_Chi_Minh", province="Hải Phòng")
        per = (time.perf_counter() - t0) / (50 * len(queries)) * 1000
        print(f"{'look-up (mean of 200 questions)':<42} {per:7.2f} ms")
        store.close()


if __name__ == "__main__":
    main()
