"""Zalo Bot Platform: our own async client, update parsing and the receiving adapter."""

from bot.channels.zalo.client import (
    BadRequest,
    NetworkError,
    RateLimited,
    TimedOut,
    Unauthorized,
    ZaloClient,
    ZaloError,
)

__all__ = [
    "BadRequest",
    "NetworkError",
    "RateLimited",
    "TimedOut",
    "Unauthorized",
    "ZaloClient",
    "ZaloError",
]
