"""The small protocol every channel adapter implements."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from bot.conversation import Reply


@runtime_checkable
class Channel(Protocol):
    """A running connection to one messaging platform.

    ``start`` begins receiving (polling task or webhook registration) and returns quickly;
    ``stop`` ends it cleanly; ``send`` delivers one reply to a chat and raises the neutral
    errors of ``bot.channels.errors`` when the platform refuses.
    """

    name: str

    async def start(self) -> None:
        """Begin receiving updates."""
        ...

    async def stop(self) -> None:
        """Stop receiving and release connections."""
        ...

    async def send(self, chat_id: str, reply: Reply) -> None:
        """Send one reply to ``chat_id``."""
        ...
