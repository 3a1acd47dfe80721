"""Loa's own exceptions: carry a message fit to show an officer at the edge (CLI, admin)."""

from __future__ import annotations


class LoaError(Exception):
    """An expected failure with a plain message; the CLI prints it as one line."""


class ConfigError(LoaError):
    """Configuration is missing or invalid."""


class StoreError(LoaError):
    """The database cannot be opened, is locked, read-only or from a newer Loa."""


class DataFileError(LoaError):
    """A data or content file is missing or malformed."""
