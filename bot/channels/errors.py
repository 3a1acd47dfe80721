"""Neutral send errors: every adapter translates its platform's failures into these once.

The broadcaster decides what to do from the type alone: wait, retry, drop the chat, or
move it to a new id.
"""

from __future__ import annotations


class SendError(Exception):
    """A message could not be delivered."""


class RetryAfter(SendError):
    """The platform asked us to slow down (HTTP 429); wait ``seconds`` before retrying."""

    def __init__(self, seconds: float, message: str = "") -> None:
        super().__init__(message or f"retry after {seconds}s")
        self.seconds = float(seconds)


class ChatGone(SendError):
    """The chat cannot be reached any more: blocked, kicked, deactivated, not found."""


class ChatMoved(SendError):
    """The group became a supergroup with a new id; resend there."""

    def __init__(self, new_id: str, message: str = "") -> None:
        super().__init__(message or f"chat moved to {new_id}")
        self.new_id = str(new_id)


class Transient(SendError):
    """A temporary failure (5xx, timeout, network); retry with backoff."""


class BadMessage(SendError):
    """The platform rejected the message itself (e.g. bad formatting); retrying the same text will not help."""
