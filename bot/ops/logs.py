"""Log lines for journald and docker: one line per event, ``key=value`` or JSON.

``LOA_LOG_FORMAT=kv`` (default)::

    ts=2026-12-03T08:40:01Z level=info logger=bot.web.access msg="request" method=POST path=/webhook/telegram status=200 ms=4

``LOA_LOG_FORMAT=json`` gives the same fields as one JSON object per line. Tracebacks are
folded into the line (``exc=...``). The rule stays as before: code never logs residents'
text or tokens (httpx's URL lines are silenced); as a second line of defence, anything that
looks like a bot token, a phone number or an ID number is masked here as well.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import UTC, datetime
from typing import Any

#: Extra fields a call passes with ``logger.info("...", extra={"kv": {...}})``.
KV_ATTR = "kv"
HANDLER_NAME = "loa-stderr"

_TOKEN = re.compile(r"(?<!\d)\d{6,12}:[A-Za-z0-9_-]{10,}")
_PHONE = re.compile(r"(?<![\w.])(?:\+?84|0)\d{9,10}(?!\d)")
_ID_NUMBER = re.compile(r"(?<!\d)\d{12}(?!\d)")
_BARE = re.compile(r"^[A-Za-z0-9_.:/@+\-]+$")
NOISY_LOGGERS = ("httpx", "httpcore", "telegram.ext.Updater", "apscheduler.executors.default")


def mask(text: str) -> str:
    """Mask bot tokens, phone numbers and 12-digit ID numbers in a log text."""
    text = _TOKEN.sub("[token]", text)
    text = _PHONE.sub("[phone]", text)
    return _ID_NUMBER.sub("[id]", text)


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ts": datetime.fromtimestamp(record.created, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "level": record.levelname.lower(),
        "logger": record.name,
        "msg": mask(record.getMessage()),
    }
    extra = getattr(record, KV_ATTR, None)
    if isinstance(extra, dict):
        for key, value in extra.items():
            out[str(key)] = mask(value) if isinstance(value, str) else value
    if record.exc_info:
        out["exc"] = mask(logging.Formatter().formatException(record.exc_info))
    return out


def _kv_value(value: Any) -> str:
    if value is None:
        return '""'
    text = str(value)
    if _BARE.match(text):
        return text
    return json.dumps(text, ensure_ascii=False)  # quotes, escapes newlines: still one line


class KeyValueFormatter(logging.Formatter):
    """``key=value`` pairs on one line; values with spaces or quotes are JSON-quoted."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line."""
        return " ".join(f"{key}={_kv_value(value)}" for key, value in _fields(record).items())


class JsonFormatter(logging.Formatter):
    """One JSON object per line."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as one JSON line."""
        return json.dumps(_fields(record), ensure_ascii=False, default=str)


def configure(level: str, fmt: str = "kv") -> None:
    """Send every log record to stderr in ``fmt`` (``kv`` or ``json``) at ``level``."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else KeyValueFormatter())
    handler.set_name(HANDLER_NAME)
    root = logging.getLogger()
    # Replace only our own handler (a second call, tests): others (pytest's capture) stay.
    for old in list(root.handlers):
        if old.get_name() == HANDLER_NAME:
            root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # httpx logs request URLs at INFO, and a Telegram URL carries the bot token.
    for noisy in NOISY_LOGGERS:
        logging.getLogger(noisy).setLevel(logging.WARNING)
