"""Loa's own exceptions: carry a message fit to show an officer at the edge (CLI, admin).

Each error has one source of truth for its text: the English message (``str(exc)``, printed
by the CLI and written to logs) and, where officers meet it in the admin, its Vietnamese
twin ``exc.vi`` given at the raise site. An error raised without ``vi`` is already written
in Vietnamese (or is never shown in the admin), so ``vi`` falls back to the message.
"""

from __future__ import annotations


class LoaError(Exception):
    """An expected failure with a plain message; the CLI prints it as one line."""

    def __init__(self, message: str = "", *, vi: str | None = None) -> None:
        super().__init__(message)
        self._vi = vi

    @property
    def vi(self) -> str:
        """The Vietnamese message shown to officers in the admin."""
        return self._vi or str(self)


class ConfigError(LoaError):
    """Configuration is missing or invalid."""


class StoreError(LoaError):
    """The database cannot be opened, is locked, read-only or from a newer Loa."""


class DataFileError(LoaError):
    """A data or content file is missing or malformed."""


def vietnamese(exc: BaseException) -> str:
    """The officer-facing Vietnamese text of ``exc`` (its ``vi`` if it has one)."""
    text = getattr(exc, "vi", None)
    return text if isinstance(text, str) and text else str(exc)
