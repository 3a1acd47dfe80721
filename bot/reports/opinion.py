"""Section 6 (public opinion): what residents ask most, and how it moved against the
previous period of the same length."""

from __future__ import annotations

from collections import Counter
from typing import Any

from bot.reports import labels as L
from bot.reports import metrics as M
from bot.reports.document import Section, Table, num
from bot.reports.periods import Period, bucketize, short_date, time_word


def _interest(ctx: M.Context, period: Period | None) -> Counter[str]:
    counts: Counter[str] = Counter()
    titles = L.faq_titles(str(ctx.settings.content_dir))
    for topic, n in ctx.events("faq_answered", by="topic", period=period).items():
        counts[L.topic_label(topic, titles)] += n
    for type_, n in ctx.events(*L.INTEREST_EVENTS, by="type", period=period).items():
        counts[L.INTEREST_EVENTS[type_]] += n
    return counts


def has_earlier_data(ctx: M.Context) -> bool:
    """Whether the previous period recorded anything residents asked (else no comparison)."""
    return sum(_interest(ctx, ctx.period.previous()).values()) > 0


def interest_topics(ctx: M.Context, n: int = 10) -> list[list[Any]]:
    """Rows: what residents asked most, this period vs the previous one of equal length, change.

    Without any earlier data the previous-period and change cells are None ("—"): a
    comparison against nothing would read as a jump from zero."""
    now, before = _interest(ctx, None), _interest(ctx, ctx.period.previous())
    top = sorted(now.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
    if not sum(before.values()):
        return [[name, count, None, None] for name, count in top]
    return [[name, count, before.get(name, 0), count - before.get(name, 0)] for name, count in top]


def rising_topics(ctx: M.Context, n: int = 3) -> list[tuple[str, int]]:
    """Topics whose count grew most versus the previous period (growth > 0; none without earlier data)."""
    now, before = _interest(ctx, None), _interest(ctx, ctx.period.previous())
    if not sum(before.values()):
        return []
    growth = [(name, c - before.get(name, 0)) for name, c in now.items() if c > before.get(name, 0)]
    return sorted(growth, key=lambda p: (-p[1], p[0]))[:n]


def questions_by_week(ctx: M.Context) -> list[tuple[str, int]]:
    """Residents' questions (every asking event) per week (per month for long periods)."""
    return bucketize(ctx.period, ctx.events(*M.QUESTION_TYPES, by="day"))


def public_opinion(ctx: M.Context, f: dict[str, Any]) -> Section:
    """Section 6: what residents ask most, trends against the previous period. Adds its figures to ``f``."""
    interest = interest_topics(ctx)
    rising = rising_topics(ctx)
    weekly = questions_by_week(ctx)
    f["questions_total"] = sum(n for _, n in weekly)
    f["has_earlier_data"] = has_earlier_data(ctx)
    text = [f"Trong kỳ có {num(f['questions_total'])} lượt người dân hỏi, tra cứu, nhờ kiểm tra thông tin."]
    if interest:
        top = "; ".join(f"{r[0]} ({num(r[1])} lượt)" for r in interest[:3])
        text.append(f"Người dân quan tâm nhiều nhất: {top}.")
    prev = ctx.period.previous()
    if not f["has_earlier_data"]:
        text.append(
            f"Kỳ trước (từ {short_date(prev.start)} đến {short_date(prev.end)}) chưa có số liệu nên chưa so sánh "
            "được mức tăng, giảm."
        )
    elif rising:
        text.append(
            "Nội dung tăng so với kỳ trước: "
            + "; ".join(f"{n} (tăng {num(d)} lượt)" for n, d in rising)
            + "."
        )
    unit_word = "Tuần" if time_word(ctx.period) == "theo tuần" else "Tháng"
    return Section(
        6,
        "Tình hình dư luận xã hội",
        text,
        [
            Table(
                "6a_quan_tam",
                "Nội dung người dân quan tâm nhiều nhất",
                ["Nội dung", "Kỳ này", "Kỳ trước", "Tăng/giảm"],
                interest,
                note=None if f["has_earlier_data"] else "“—”: kỳ trước chưa có số liệu để so sánh.",
            ),
            Table(
                "6b_dien_bien",
                f"Diễn biến số lượt hỏi {time_word(ctx.period)}",
                [unit_word, "Số lượt"],
                [list(p) for p in weekly],
                [
                    "Tổng cộng",
                    f["questions_total"],
                ]
                if weekly
                else None,
            ),
        ],
    )
