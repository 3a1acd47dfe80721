"""Helpers shared by CLI commands: settings, store, output."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from rich.console import Console

from bot.config import Settings, env_name
from bot.errors import ConfigError
from bot.store import Store

console = Console()
err_console = Console(stderr=True, soft_wrap=True)


def load_settings(**overrides: object) -> Settings:
    """Settings from env/.env with CLI overrides; invalid values become a ConfigError."""
    clean: dict[str, Any] = {k: v for k, v in overrides.items() if v is not None}
    try:
        return Settings(**clean)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            field = str(err["loc"][0]) if err["loc"] else "?"
            problems.append(f"{env_name(field)}: {err['msg']}")
        raise ConfigError("invalid configuration: " + "; ".join(problems)) from exc


def require_database(settings: Settings) -> None:
    """Refuse a database path that does not exist: a mistyped ``LOA_DB`` must not create
    folders and an empty database (only ``loa db migrate``, ``loa demo`` and ``loa run --init`` do)."""
    from bot.errors import StoreError

    path = str(settings.db)
    if path != ":memory:" and not settings.db.expanduser().exists():
        raise StoreError(
            f"Không có cơ sở dữ liệu tại {settings.db}; chạy `loa db migrate` để tạo"
            f" (no database at {settings.db}; check LOA_DB or create it with `loa db migrate`)."
        )


def open_store(settings: Settings, *, create: bool = False) -> Store:
    """Open the configured database (migrating it) with reference data loaded.

    Without ``create``, a missing database is an error rather than a new empty file.
    """
    from bot.reference import ensure_reference_data

    if not create:
        require_database(settings)
    store = Store.open(settings.db)
    ensure_reference_data(store, settings)
    return store


def setup_logging(level: str, fmt: str = "kv") -> None:
    """One line per event on stderr (key=value or JSON, ``LOA_LOG_FORMAT``); httpx's INFO
    lines carry URLs with tokens, so they are silenced (``bot.ops.logs``)."""
    from bot.ops.logs import configure

    configure(level, fmt)
