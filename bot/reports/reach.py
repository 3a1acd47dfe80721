"""The report's figures for reach beyond the bot: manual shares into residents' groups and QR
first visits (digital outreach), posters (offline activities), per commune.

Kept apart from the section builders so each section adds one table and one sentence.
"""

from __future__ import annotations

from typing import Any

from bot.reports import metrics as M
from bot.reports.document import Table, num
from bot.store.reach import reach_by_unit


def _rows(ctx: M.Context, *keys: str) -> list[list[Any]]:
    per_unit = ctx.q(reach_by_unit)
    rows = [[unit or "Chưa rõ xã/phường", *(v[k] for k in keys)] for unit, v in per_unit.items()]
    return sorted((r for r in rows if any(r[1:])), key=lambda r: str(r[0]))


def _total(rows: list[list[Any]]) -> list[Any] | None:
    if not rows:
        return None
    return ["Tổng cộng", *(sum(r[i] for r in rows) for i in range(1, len(rows[0])))]


def digital_reach(ctx: M.Context, f: dict[str, Any]) -> tuple[str | None, Table]:
    """Section 1's sentence (None when there is nothing to say) and table of shares and QR visits."""
    rows = _rows(ctx, "shares", "members", "qr_visits")
    f["manual_shares"] = sum(r[1] for r in rows)
    f["manual_share_members"] = sum(r[2] for r in rows)
    f["qr_first_visits"] = sum(r[3] for r in rows)
    sentence = None
    if rows:
        sentence = (
            f"Trưởng thôn, tổ trưởng đã chia sẻ nguyên văn tin chính thức vào {num(f['manual_shares'])} nhóm "
            f"(khoảng {num(f['manual_share_members'])} thành viên theo ước tính của người chia sẻ); "
            f"{num(f['qr_first_visits'])} người dân mở Loa lần đầu từ mã QR trên áp phích."
        )
    table = Table(
        "1d_chia_se_qr",
        "Chia sẻ vào nhóm của thôn, tổ dân phố và lượt mở Loa từ mã QR",
        ["Xã, phường", "Nhóm được chia sẻ", "Thành viên (ước tính)", "Lượt mở lần đầu từ mã QR"],
        rows,
        _total(rows),
    )
    return sentence, table


def poster_reach(ctx: M.Context, f: dict[str, Any]) -> tuple[str | None, Table]:
    """Section 5's sentence and table of posters generated or printed per commune."""
    rows = _rows(ctx, "posters")
    f["posters"] = sum(r[1] for r in rows)
    sentence = None
    if rows:
        sentence = f"Đã in {num(f['posters'])} áp phích, tờ rơi có mã QR dẫn tới Loa tại {num(len(rows))} xã, phường."
    table = Table("5c_ap_phich", "Áp phích, tờ rơi có mã QR theo xã, phường", ["Xã, phường", "Số bản"], rows, _total(rows))
    return sentence, table
