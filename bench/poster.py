"""Poster rendering: time and size of the A4 PDF (reportlab + segno), and of the QR decode check.

Run: ``PYTHONPATH=. python3 bench/poster.py``. Prints the median of 10 renders.
"""

from __future__ import annotations

import statistics
import time
from datetime import date

from bot.reach.poster import PosterData
from bot.reach.poster_pdf import render_poster

SESSION = {"date": "2026-12-05", "start": "07:30", "end": "11:00", "name": "Trạm Y tế xã Kẻ Sặt",
           "address": "Khu trung tâm xã Kẻ Sặt"}


def main() -> None:
    """Render the fullest poster (five sessions, three QR codes) ten times."""
    data = PosterData(
        unit="Kẻ Sặt", unit_label="xã Kẻ Sặt", province="Hải Phòng", sessions=[SESSION] * 5, more_sessions=3,
        chat_url="https://loa.example.vn/chat?u=K%E1%BA%BB%20S%E1%BA%B7t",
        bot_links=[("Zalo", "https://zalo.me/0000000000"), ("Telegram", "https://t.me/loa_bot")],
        hotlines=[("Đường dây nóng Bộ Y tế", "1900 9095"), ("Cấp cứu", "115")], code="HP-7K3Q9X",
        message_title="Lịch khám sức khỏe miễn phí",
    )
    render_poster(data, today=date(2026, 12, 1))  # font registration, imports
    times, size = [], 0
    for _ in range(10):
        t0 = time.perf_counter()
        size = len(render_poster(data, today=date(2026, 12, 1)))
        times.append(time.perf_counter() - t0)
    print(f"poster render: median {statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms, {size / 1024:.0f} KB")


if __name__ == "__main__":
    main()
