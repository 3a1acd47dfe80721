"""Keyed hashes for residents and chats: counting without keeping platform ids."""

from __future__ import annotations

import hashlib
import hmac


def keyed_hash(secret: bytes, *parts: str) -> str:
    """HMAC-SHA256 of the parts (joined by NUL), hex, 32 characters.

    Without the server secret the hash cannot be linked back to a platform id, and the
    same resident on the same channel always gets the same value.
    """
    msg = "\x00".join(parts).encode("utf-8", "replace")
    return hmac.new(secret, msg, hashlib.sha256).hexdigest()[:32]
