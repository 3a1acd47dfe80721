"""Section 7 (difficulties and proposals): a first draft written from the period's figures.

The reporter's own text (``--notes`` or the admin form) replaces the draft or is added after
it. The draft names what the figures show: communes below the average on both the health-book
integration rate and the outreach they received, the questions Loa could not answer, scam
kinds and rumours on the rise, and delivery failures by channel; then the proposals that
follow from them.
"""

from __future__ import annotations

from typing import Any

from bot.reports import labels as L
from bot.reports import metrics as M
from bot.reports.document import Section, num

TITLE = "Khó khăn, vướng mắc; kiến nghị, đề xuất"
NOTES_MODES = ("replace", "extend")


def _names(items: list[str], limit: int = 8) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f" và {len(items) - limit} địa bàn khác" if len(items) > limit else "")


def lagging_units(ctx: M.Context) -> list[str]:
    """Priority communes (rate below average) whose deliveries are also below the communes' average."""
    rows = M.priority_unit_outreach(ctx)
    if not rows:
        return []
    by_unit = {r[0]: r[2] for r in M.outreach_by_unit(ctx)}
    names = [n for n, _ in M.unit_rates(ctx)] if not ctx.unit else [ctx.unit]
    average = sum(by_unit.get(n, 0) for n in names) / max(len(names), 1)
    return [r[0] for r in rows if r[2] < average]


def rising_scams(ctx: M.Context) -> list[tuple[str, int, int]]:
    """(what, this period, previous period) for scam verdicts and rumours that grew."""
    prev = ctx.period.previous()
    out: list[tuple[str, int, int]] = []
    now_v, before_v = (
        ctx.events("scam_checked", by="value"),
        ctx.events("scam_checked", by="value", period=prev),
    )
    for code in ("scam", "suspicious"):
        if now_v.get(code, 0) > before_v.get(code, 0):
            out.append((f"tin nhắn {L.VERDICTS[code].lower()}", now_v.get(code, 0), before_v.get(code, 0)))
    titles = L.faq_titles(str(ctx.settings.content_dir))
    now_r = ctx.events("rumour_rebutted", by="topic")
    before_r = ctx.events("rumour_rebutted", by="topic", period=prev)
    for topic, n in sorted(now_r.items(), key=lambda kv: -kv[1]):
        if n > before_r.get(topic, 0):
            out.append(
                (f"tin đồn “{L.rumour_label(topic or '', titles).lower()}”", n, before_r.get(topic, 0))
            )
    return out[:4]


def _difficulties(ctx: M.Context, f: dict[str, Any]) -> tuple[list[str], list[str]]:
    problems: list[str] = []
    proposals: list[str] = []
    lagging = lagging_units(ctx)
    if lagging:
        problems.append(
            f"Tỷ lệ tích hợp Sổ sức khỏe điện tử và số lượt tin tuyên truyền đến được đều dưới mức bình quân tại: "
            f"{_names(lagging)}."
        )
        proposals.append(
            f"Đề nghị Ủy ban nhân dân các xã, phường {_names(lagging, 3)} bổ sung danh sách nhóm Zalo, Telegram của thôn, tổ dân "
            "phố để nhận tin, tăng phát thanh cơ sở và tổ chức hướng dẫn trực tiếp việc tích hợp Sổ sức khỏe điện tử."
        )
    unanswered = M.top_unanswered(ctx)[:3]
    if unanswered:
        asked = "; ".join(f"“{q}” ({num(n)} lần)" for q, n in unanswered)
        problems.append(
            f"Còn {num(f.get('questions_unanswered', 0))} câu hỏi Loa chưa trả lời được; được hỏi nhiều nhất: {asked}."
        )
        proposals.append(
            "Đề nghị cơ quan chuyên môn cung cấp nội dung trả lời các câu hỏi trên để cập nhật bộ câu hỏi thường gặp."
        )
    # Without any earlier figures, "rising" would only mean "recorded at all".
    scams = rising_scams(ctx) if f.get("has_earlier_data", True) else []
    if scams:
        rising = "; ".join(f"{what} ({num(a)} lượt, kỳ trước {num(b)})" for what, a, b in scams)
        problems.append(f"Lừa đảo, tin đồn tăng so với kỳ trước: {rising}.")
        proposals.append(
            "Đề nghị Công an và các cơ quan báo chí tiếp tục cảnh báo các thủ đoạn trên; Loa sẽ phát bổ sung bản tin "
            "cảnh báo sau khi được phê duyệt."
        )
    failed = [r for r in M.outreach_by_channel(ctx) if r[3]]
    if failed:
        parts = "; ".join(
            f"{r[0]} {num(r[3])} lượt ({num(round(100.0 * r[3] / (r[2] + r[3]), 1))}% số lượt gửi)" for r in failed
        )
        problems.append(f"Tin gửi lỗi theo kênh: {parts}.")
        proposals.append(
            "Các xã, phường rà soát, cập nhật lại các nhóm không còn hoạt động để tin đến đúng người nhận."
        )
    return problems, proposals


def first_draft(ctx: M.Context, f: dict[str, Any]) -> list[str]:
    """The draft paragraphs of section 7, from the figures already in ``f``."""
    problems, proposals = _difficulties(ctx, f)
    if not problems:
        problems = ["Trong kỳ, số liệu do Loa ghi nhận chưa cho thấy khó khăn, vướng mắc nổi bật."]
    if not proposals:
        proposals = [
            "Tiếp tục duy trì tuyên truyền trên nền tảng số kết hợp tuyên truyền trực tiếp tại cơ sở."
        ]
    return [
        "a) Khó khăn, vướng mắc",
        *(f"- {p}" for p in problems),
        "b) Kiến nghị, đề xuất",
        *(f"- {p}" for p in proposals),
    ]


def closing_section(ctx: M.Context, f: dict[str, Any], notes: str | None, mode: str = "replace") -> Section:
    """Section 7: the officer's notes (replacing or extending the draft) or, without notes, the draft."""
    paragraphs = [" ".join(p.split()) for p in (notes or "").replace("\r\n", "\n").split("\n\n") if p.strip()]
    if not paragraphs:
        body = first_draft(ctx, f)
    elif mode == "extend":
        body = [*first_draft(ctx, f), *paragraphs]
    else:
        body = paragraphs
    return Section(7, TITLE, body, [])
