"""Errors of the broadcast library (shown to officers as one line)."""

from __future__ import annotations

from bot.errors import LoaError


class BroadcastError(LoaError):
    """A broadcast operation was refused: unknown id, wrong state, bad selector, ..."""


class ApprovalError(BroadcastError):
    """The approval workflow refused a step (four-eyes rule, wrong state, missing role)."""
