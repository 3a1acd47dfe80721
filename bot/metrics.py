"""Prometheus metrics (``prometheus-client``): the metric objects and the few calls that feed them.

Labels have a handful of values each (channel, outcome, verdict): never a resident, chat,
text or id. Counters are process-local and start from zero at each start, as Prometheus
expects; the outbox depth is read from the database at scrape time.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.exposition import CONTENT_TYPE_LATEST

# The *_created series double the output and say only when the process started.
disable_created_metrics()
REGISTRY = CollectorRegistry(auto_describe=True)
CONTENT_TYPE = CONTENT_TYPE_LATEST

#: Channels a label may name; anything else is counted as "other".
CHANNELS = frozenset({"telegram", "zalo", "web", "console"})
#: Verdicts of the scam check (events.py: scam_checked value).
VERDICTS = frozenset({"official", "scam", "suspicious", "clean"})
#: Events that count as an FAQ outcome, with the outcome label.
FAQ_OUTCOMES = {"faq_answered": "answered", "faq_abstained": "abstained", "faq_medical": "medical"}

UPDATES_IN = Counter("loa_updates_in", "Resident messages handled, by channel.", ["channel"], registry=REGISTRY)
UPDATES_OUT = Counter("loa_updates_out", "Replies produced for residents, by channel.", ["channel"], registry=REGISTRY)
REPLY_SECONDS = Histogram(
    "loa_reply_seconds",
    "Time from a resident's message to Loa's answer being ready.",
    ["channel"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
    registry=REGISTRY,
)
FAQ = Counter("loa_faq", "FAQ questions by outcome (answered, abstained, medical).", ["outcome"], registry=REGISTRY)
SCAM_VERDICTS = Counter("loa_scam_verdicts", "Scam checks by verdict.", ["verdict"], registry=REGISTRY)
DELIVERIES = Counter(
    "loa_deliveries", "Broadcast deliveries by channel and outcome (sent, failed).", ["channel", "status"], registry=REGISTRY
)
RATE_LIMITED = Counter(
    "loa_deliveries_rate_limited", "Sends refused with 429 (retried later), by channel.", ["channel"], registry=REGISTRY
)
OUTBOX_DEPTH = Gauge("loa_outbox_depth", "Deliveries waiting to be sent (queued or in flight).", registry=REGISTRY)
CHANNEL_LAST_OK = Gauge(
    "loa_channel_last_success_timestamp_seconds",
    "Unix time of the last successful call to each platform.",
    ["channel"],
    registry=REGISTRY,
)
BACKUP_LAST = Gauge("loa_backup_last_timestamp_seconds", "Unix time of the last backup's snapshot.", registry=REGISTRY)
BACKUP_BYTES = Gauge("loa_backup_last_bytes", "Size of the last backup file.", registry=REGISTRY)

#: Channel → unix time of its last successful platform call (read by /healthz).
_last_ok: dict[str, float] = {}


def _channel(name: str | None) -> str:
    return name if name in CHANNELS else "other"


def observe_reply(channel: str, seconds: float, replies: int) -> None:
    """One resident message answered with ``replies`` replies after ``seconds``."""
    label = _channel(channel)
    UPDATES_IN.labels(label).inc()
    if replies:
        UPDATES_OUT.labels(label).inc(replies)
        REPLY_SECONDS.labels(label).observe(seconds)


def observe_event(type_: str, fields: Mapping[str, Any]) -> None:
    """Count the events that are metrics too (FAQ outcome, scam verdict); others are ignored."""
    outcome = FAQ_OUTCOMES.get(type_)
    if outcome:
        FAQ.labels(outcome).inc()
    elif type_ == "scam_checked":
        verdict = fields.get("value")
        SCAM_VERDICTS.labels(verdict if verdict in VERDICTS else "other").inc()


def observe_delivery(channel: str, status: str) -> None:
    """A delivery settled as ``sent`` or ``failed`` (a success is also a working channel)."""
    if status in ("sent", "failed"):
        DELIVERIES.labels(_channel(channel), status).inc()
    if status == "sent":
        channel_ok(channel)


def observe_rate_limited(channel: str) -> None:
    """A platform answered 429 to a delivery."""
    RATE_LIMITED.labels(_channel(channel)).inc()


def channel_ok(channel: str, at: float | None = None) -> None:
    """A call to ``channel``'s platform succeeded just now."""
    label = _channel(channel)
    stamp = time.time() if at is None else at
    _last_ok[label] = stamp
    CHANNEL_LAST_OK.labels(label).set(stamp)


def channel_last_ok() -> dict[str, float]:
    """Unix time of each channel's last successful call (only channels that had one)."""
    return dict(_last_ok)


def render(outbox_depth: int | None, backup: Mapping[str, Any] | None, backup_age: float | None) -> bytes:
    """The exposition text; gauges read from the database are set just before."""
    if outbox_depth is not None:
        OUTBOX_DEPTH.set(outbox_depth)
    if backup and backup_age is not None:
        BACKUP_LAST.set(time.time() - backup_age)
        size = backup.get("size")
        if isinstance(size, int):
            BACKUP_BYTES.set(size)
    return generate_latest(REGISTRY)
