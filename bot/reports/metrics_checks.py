"""Report figures of sections 4 (countering false information) and 5 (offline activities).

One function per figure, like ``bot.reports.metrics`` (whose :class:`Context` they take).
"""

from __future__ import annotations

from typing import Any

from bot.reports import labels as L
from bot.reports.metrics import (
    CHECK_TYPES,
    Context,
    broadcast_rows,
    bucketize,
    faq_titles,
    top_pairs,
    unit_order,
)
from bot.store import metrics as sql

# --- section 4: countering false information ----------------------------------------------------------


def scam_warnings_broadcast(ctx: Context) -> int:
    """Scam-warning broadcasts sent in the period."""
    return len({r["broadcast_id"] for r in broadcast_rows(ctx) if r["sent"] and _is_warning(r)})


def scam_warning_deliveries(ctx: Context) -> int:
    """Scam-warning messages delivered."""
    return sum(int(r["sent"] or 0) for r in broadcast_rows(ctx) if _is_warning(r))


def _is_warning(r: dict[str, Any]) -> bool:
    return r["theme"] == "scam_warning" or r["kind"] == "scam_warning"


def checks_by_verdict(ctx: Context) -> list[tuple[str, int]]:
    """Checked messages per verdict (every verdict listed)."""
    counts = ctx.events("scam_checked", by="value")
    rows = [(L.VERDICTS[v], counts.get(v, 0)) for v in L.VERDICTS]
    rows += [
        (v or "Khác", n) for v, n in sorted(counts.items(), key=lambda kv: str(kv[0])) if v not in L.VERDICTS
    ]
    return rows


def flagged_in_groups(ctx: Context) -> int:
    """Suspicious messages the group guard warned about."""
    return ctx.total("scam_flagged_in_group")


def rumours_rebutted(ctx: Context) -> int:
    """Rumour rebuttals given."""
    return ctx.total("rumour_rebutted")


def rumours_by_topic(ctx: Context) -> list[tuple[str, int]]:
    """Rebuttals per rumour, most frequent first."""
    counts = ctx.events("rumour_rebutted", by="topic")
    titles = faq_titles(ctx)
    return sorted(
        ((L.rumour_label(t or "", titles), n) for t, n in counts.items()), key=lambda p: (-p[1], p[0])
    )


def official_verified(ctx: Context) -> int:
    """Official messages verified by code or forwarded text."""
    return ctx.total("official_verified")


def codes_not_genuine(ctx: Context) -> int:
    """Verification codes residents sent that matched no broadcast (possible forgeries)."""
    return ctx.total("official_code_unknown")


def checks_by_week(ctx: Context) -> list[tuple[str, int]]:
    """Checks (scam checks + verifications) per week."""
    return bucketize(ctx.period, ctx.events(*CHECK_TYPES, by="day"))


def checks_by_unit(ctx: Context) -> list[tuple[str, int]]:
    """Checks per commune (where known), largest first."""
    return top_pairs([(k, n) for k, n in ctx.events(*CHECK_TYPES, by="unit").items() if k])


# --- section 5: offline activities ----------------------------------------------------------------------


def activities_by_kind(ctx: Context) -> list[list[Any]]:
    """Rows per activity kind (every kind listed): count, participants, records."""
    totals = ctx.q(sql.activity_totals, "kind")
    rows = []
    for code, label in L.ACTIVITY_KINDS.items():
        count, people, records = totals.get(code, (0, 0, 0))
        # Articles, broadcasts and banners have no attendees: "—", not a misleading 0.
        rows.append([label, count, None if code in L.NO_ATTENDEES else people, records])
    return rows


def activities_by_unit(ctx: Context) -> list[list[Any]]:
    """Rows per commune with activities: count, participants, records."""
    totals = ctx.q(sql.activity_totals, "unit")
    return [
        [k or "Toàn tỉnh/thành phố", *v] for k, v in sorted(totals.items(), key=lambda kv: unit_order(kv[0]))
    ]


def activities_total(ctx: Context) -> tuple[int, int]:
    """(activities, participants) in the period."""
    totals = ctx.q(sql.activity_totals, "kind").values()
    return sum(t[0] for t in totals), sum(t[1] for t in totals)
