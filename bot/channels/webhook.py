"""What the Telegram and Zalo webhooks share: secrets, the constant-time check, refusals."""

from __future__ import annotations

import hashlib
import hmac

from bot.config import Settings

MAX_WEBHOOK_BODY = 1_000_000  # bytes; a real update is a few kB


class WebhookRejected(Exception):
    """A webhook body that cannot be an update; ``status`` is the HTTP answer (4xx)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def derived_secret(settings: Settings, label: str) -> str:
    """A webhook secret derived from the server secret (64 hex characters).

    Used when no secret is configured, so a webhook is never registered unprotected; valid
    for both platforms (Telegram: 1-256 of ``A-Za-z0-9_-``; Zalo: 8-256 characters).
    """
    return hmac.new(settings.secret(), label.encode(), hashlib.sha256).hexdigest()


def secret_matches(given: str | None, expected: str) -> bool:
    """Constant-time comparison of a webhook secret header (None = header missing)."""
    return given is not None and hmac.compare_digest(given.encode("utf-8", "replace"), expected.encode("utf-8"))
