"""One function per report figure. Each takes a :class:`Context` and calls SQL in
``bot/store/metrics.py``; the context memoises store calls so figures sharing a scan
(e.g. every delivery figure) cost one query."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.reports import labels as L
from bot.reports.periods import Period, bucketize
from bot.store import Store, rollup_deliveries, rollups
from bot.store import metrics as sql
from bot.text import fold, redact

#: Events that are a resident asking something (section 2 "interactions", section 6 interest).
QUESTION_TYPES = (
    "faq_answered",
    "faq_abstained",
    "faq_medical",
    "site_lookup",
    "scam_checked",
    "official_verified",
    "official_code_unknown",
)
CHECK_TYPES = ("scam_checked", "official_verified", "official_code_unknown")


@dataclass
class Context:
    """A report's inputs (store, settings, period, optional unit) and a memo of store calls."""

    store: Store
    settings: Settings
    period: Period
    unit: str | None = None
    use_rollups: bool = True  # False: every figure from the raw log (the reference path, for tests)
    _memo: dict[tuple[Any, ...], Any] = field(default_factory=dict, repr=False)
    _rollup_ok: bool | None = field(default=None, repr=False)
    deliveries_through: date | None = field(default=None, repr=False)  # last settled day of the outbox rollup

    @property
    def scope(self) -> sql.Scope:
        """The store-level scope of this report."""
        return self._scope_for(self.period)

    def _scope_for(self, period: Period) -> sql.Scope:
        lo, hi = period.utc_bounds(self.settings.timezone)
        start = datetime.combine(period.start, datetime.min.time(), ZoneInfo(self.settings.timezone))
        offset = start.utcoffset() or timedelta(0)
        return sql.Scope(
            lo,
            hi,
            period.start.isoformat(),
            period.end.isoformat(),
            self.unit,
            int(offset.total_seconds() // 60),
        )

    def q(self, fn: Callable[..., Any], *args: Any, period: Period | None = None) -> Any:
        """``fn(store, scope, *args)``, computed once per report."""
        scope = self._scope_for(period) if period else self.scope
        key = (fn.__name__, scope, args)
        if key not in self._memo:
            self._memo[key] = fn(self.store, scope, *args)
        return self._memo[key]

    def rollups_ready(self) -> bool:
        """Whether the daily aggregates can answer this report: the rollup tables exist, the
        zone keeps one UTC offset over the report and its previous period (no daylight saving:
        a local day is then a fixed UTC range), and the catch-up of new events succeeded."""
        if self._rollup_ok is None:
            self._rollup_ok = False
            offsets = {self._scope_for(p).tz_minutes for p in (self.period, self.period.previous())}
            zone = ZoneInfo(self.settings.timezone)
            end = datetime.combine(self.period.end, datetime.max.time(), zone).utcoffset() or timedelta(0)
            offsets.add(int(end.total_seconds() // 60))
            if self.use_rollups and len(offsets) == 1 and rollups.available(self.store):
                tz = offsets.pop()
                try:
                    rollups.catch_up(self.store, tz)
                    self.deliveries_through = rollup_deliveries.catch_up(self.store, tz)
                    self._rollup_ok = rollups.usable_for(self.store, tz)
                except sqlite3.Error:
                    # A read-only or busy database still gets its report, from the raw log.
                    self._rollup_ok = False
        return self._rollup_ok

    def source(self, name: str) -> Callable[..., Any]:
        """The store function ``name`` from the rollups when they can answer, else from the raw log."""
        return getattr(rollups if self.rollups_ready() else sql, name)

    def events(self, *types: str, by: str | None = None, period: Period | None = None) -> dict[Any, int]:
        """Event counts of ``types`` grouped ``by`` a column."""
        return self.q(self.source("event_counts"), tuple(types), by, period=period)

    def total(self, *types: str) -> int:
        """How many events of ``types`` in the period."""
        return sum(self.events(*types).values())


def faq_titles(ctx: Context) -> dict[str, str]:
    """FAQ topic titles (the names editors and residents see), for readable tables."""
    return L.faq_titles(str(ctx.settings.content_dir))


# --- section 1: digital outreach -----------------------------------------------------------------


def _chats(ctx: Context) -> list[dict[str, Any]]:
    if ctx.rollups_ready():
        return ctx.q(rollup_deliveries.delivery_chats, ctx.deliveries_through)
    return ctx.q(sql.delivery_chats)


def broadcast_rows(ctx: Context) -> list[dict[str, Any]]:
    """Per (broadcast, channel, unit) in the period: theme, kind, sent, failed."""
    if ctx.rollups_ready():
        return ctx.q(rollup_deliveries.delivery_broadcasts, ctx.deliveries_through)
    return ctx.q(sql.delivery_broadcasts)


def broadcasts_sent(ctx: Context) -> int:
    """Broadcasts with at least one delivery sent in the period (and area)."""
    return len({r["broadcast_id"] for r in broadcast_rows(ctx) if r["sent"]})


def deliveries_sent(ctx: Context) -> int:
    """Messages delivered (delivery rows with status sent)."""
    return sum(int(r["sent"] or 0) for r in _chats(ctx))


def deliveries_failed(ctx: Context) -> int:
    """Deliveries that failed for good."""
    return sum(int(r["failed"] or 0) for r in _chats(ctx))


def _reached(ctx: Context) -> list[dict[str, Any]]:
    return [r for r in _chats(ctx) if r["sent"]]


def groups_reached(ctx: Context) -> int:
    """Distinct groups that received at least one message."""
    return sum(1 for r in _reached(ctx) if r["chat_kind"] == "group")


def subscribers_reached(ctx: Context) -> int:
    """Distinct private subscribers that received at least one message."""
    return sum(1 for r in _reached(ctx) if r["chat_kind"] != "group")


def _reach(rows: list[dict[str, Any]]) -> int:
    # A subscriber is one resident; a group counts its members when the platform told us.
    return sum(int(r["member_count"] or 0) if r["chat_kind"] == "group" else 1 for r in rows)


def estimated_reach(ctx: Context) -> int:
    """Estimated residents reached: subscribers + known member counts of the groups reached."""
    return _reach(_reached(ctx))


def _outreach_rows(ctx: Context, key: str) -> dict[str, list[int]]:
    table: dict[str, list[int]] = defaultdict(lambda: [0] * 6)
    bset: dict[str, set[int]] = defaultdict(set)
    for r in broadcast_rows(ctx):
        if r["sent"]:
            bset[r[key] or ""].add(r["broadcast_id"])
    for r in _chats(ctx):
        row = table[r[key] or ""]
        row[1] += int(r["sent"] or 0)
        row[2] += int(r["failed"] or 0)
        if r["sent"]:
            row[3 if r["chat_kind"] == "group" else 4] += 1
            row[5] += _reach([r])
    for k, ids in bset.items():
        table[k][0] = len(ids)
    return table


def outreach_by_channel(ctx: Context) -> list[list[Any]]:
    """Rows: channel, broadcasts, sent, failed, groups, subscribers, estimated reach (every channel listed)."""
    table = _outreach_rows(ctx, "channel")
    codes = list(L.CHANNELS) + sorted(k for k in table if k not in L.CHANNELS)
    return [[L.channel_label(c), *table.get(c, [0] * 6)] for c in codes]


def outreach_by_unit(ctx: Context) -> list[list[Any]]:
    """Rows: commune, broadcasts, sent, failed, groups, subscribers, estimated reach (communes with outreach)."""
    table = _outreach_rows(ctx, "unit")
    return [
        [k or "Chưa gắn xã/phường", *v] for k, v in sorted(table.items(), key=lambda kv: unit_order(kv[0]))
    ]


def messages_by_theme(ctx: Context) -> list[list[Any]]:
    """Rows: theme, broadcasts, deliveries sent (every theme listed)."""
    ids: dict[str, set[int]] = defaultdict(set)
    sent: Counter[str] = Counter()
    for r in broadcast_rows(ctx):
        theme = r["theme"] if r["theme"] in L.THEMES else "other"
        if r["sent"]:
            ids[theme].add(r["broadcast_id"])
        sent[theme] += int(r["sent"] or 0)
    return [[L.THEMES[t], len(ids[t]), sent[t]] for t in L.THEMES]


def deliveries_by_week(ctx: Context) -> list[tuple[str, int]]:
    """Deliveries sent per week (per month for long periods)."""
    if ctx.rollups_ready():
        return bucketize(ctx.period, ctx.q(rollup_deliveries.deliveries_sent_by_day, ctx.deliveries_through))
    return bucketize(ctx.period, ctx.q(sql.deliveries_sent_by_day))


def deliveries_by_unit_chart(ctx: Context) -> list[tuple[str, int]]:
    """Deliveries sent per commune, largest first."""
    return top_pairs([(r[0], r[2]) for r in outreach_by_unit(ctx)])


def unit_order(name: str) -> tuple[bool, str, str]:
    # Vietnamese reading order (tones folded: "Bạch Đằng" before "Bình Giang"); no unit last.
    return (name == "", fold(name.lower()), name)


def top_pairs(pairs: list[tuple[str, int]], n: int = 15) -> list[tuple[str, int]]:
    return sorted([p for p in pairs if p[1]], key=lambda p: (-p[1], p[0]))[:n]


# --- section 2: residents' interaction -------------------------------------------------------------


def messages_checked(ctx: Context) -> int:
    """Messages residents asked Loa to check."""
    return ctx.total("scam_checked")


def interactions(ctx: Context) -> int:
    """Resident messages handled."""
    return ctx.total("interaction")


def questions_answered(ctx: Context) -> int:
    """FAQ answers given."""
    return ctx.total("faq_answered")


def answered_by_topic(ctx: Context) -> list[tuple[str, int]]:
    """FAQ answers per topic, most asked first."""
    counts = ctx.events("faq_answered", by="topic")
    titles = faq_titles(ctx)
    return sorted(((L.topic_label(t, titles), n) for t, n in counts.items()), key=lambda p: (-p[1], p[0]))


def questions_unanswered(ctx: Context) -> int:
    """Questions Loa could not answer."""
    return ctx.total("faq_abstained")


def top_unanswered(ctx: Context) -> list[tuple[str, int]]:
    """The most frequent unanswered questions, redacted (again, to be safe)."""
    return [(redact(q), n) for q, n in ctx.q(sql.unanswered_questions, 10)]


def medical_redirects(ctx: Context) -> int:
    """Medical questions that got the "see a doctor / call 115" reply."""
    return ctx.total("faq_medical")


def site_lookups(ctx: Context) -> int:
    """Screening-site look-ups."""
    return ctx.total("site_lookup")


def subscriptions(ctx: Context) -> int:
    """Chats that subscribed."""
    return ctx.total("subscribed")


def cancellations(ctx: Context) -> int:
    """Chats that unsubscribed."""
    return ctx.total("unsubscribed")


def unique_residents(ctx: Context) -> int:
    """Distinct residents (keyed hashes) with any event in the period."""
    return ctx.q(ctx.source("distinct_residents"))


def median_reply_ms(ctx: Context) -> int:
    """Median reply time of handled messages, in milliseconds (0 if none)."""
    hist = ctx.q(ctx.source("latency_histogram"))
    total = sum(n for _, n in hist)
    if not total:
        return 0
    # Lower median over the histogram: the value at rank ceil(total / 2).
    rank, seen = (total + 1) // 2, 0
    for value, n in hist:
        seen += n
        if seen >= rank:
            return value
    return hist[-1][0]


def interactions_by_week(ctx: Context) -> list[tuple[str, int]]:
    """Resident messages handled per week."""
    return bucketize(ctx.period, ctx.events("interaction", by="day"))


def interactions_by_unit(ctx: Context) -> list[tuple[str, int]]:
    """Resident messages handled per commune (where known), largest first."""
    return top_pairs([(k, n) for k, n in ctx.events("interaction", by="unit").items() if k])


# --- section 3: priority audiences and communes -----------------------------------------------------


def audience_outreach(ctx: Context) -> list[list[Any]]:
    """Rows per priority audience: groups/chats reached, deliveries sent, estimated reach."""
    table: dict[str, list[int]] = {code: [0, 0, 0] for code in L.PRIORITY_AUDIENCES}
    for r in _reached(ctx):
        try:
            tags = json.loads(r["tags"] or "[]")
        except (TypeError, ValueError):
            tags = []
        codes = {c for c in (L.audience_of(str(t)) for t in tags) if c}
        for code in codes:
            table[code][0] += 1
            table[code][1] += int(r["sent"] or 0)
            table[code][2] += _reach([r])
    return [[L.PRIORITY_AUDIENCES[c][0], *v] for c, v in table.items()]


def unit_rates(ctx: Context) -> list[tuple[str, float]]:
    # Rates belong to the unit, not to the period: memoised per province.
    key = ("unit_rates", ctx.settings.province)
    if key not in ctx._memo:
        ctx._memo[key] = sql.unit_rates(ctx.store, ctx.settings.province)
    return ctx._memo[key]


def province_average_rate(ctx: Context) -> float | None:
    """The province's average health-book integration rate: official if imported, else the units' mean."""
    key = ("province_rate", ctx.settings.province)
    if key not in ctx._memo:
        ctx._memo[key] = sql.province_rate(ctx.store, ctx.settings.province)
    value = ctx._memo[key]
    return round(value, 1) if value is not None else None


def priority_units(ctx: Context) -> list[tuple[str, float]]:
    """Units below the province's average integration rate (only the report's unit, if one)."""
    avg = province_average_rate(ctx)
    if avg is None:
        return []
    return [(n, r) for n, r in unit_rates(ctx) if r < avg and (not ctx.unit or n == ctx.unit)]


def priority_unit_outreach(ctx: Context) -> list[list[Any]]:
    """Rows per priority commune: rate, deliveries sent, groups reached, interactions, offline activities."""
    by_unit = _outreach_rows(ctx, "unit")
    talk = ctx.events("interaction", by="unit")
    acts = ctx.q(sql.activity_totals, "unit")
    rows = []
    for name, rate in priority_units(ctx):
        o = by_unit.get(name, [0] * 6)
        rows.append([name, rate, o[1], o[3], talk.get(name, 0), acts.get(name, (0, 0, 0))[0]])
    return rows
