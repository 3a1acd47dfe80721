"""Helpers shared by CLI commands: settings, store, output."""

from __future__ import annotations

from pydantic import ValidationError
from rich.console import Console

from bot.config import Settings, env_name
from bot.errors import ConfigError
from bot.store import Store

console = Console()
err_console = Console(stderr=True, soft_wrap=True)


def load_settings(**overrides: object) -> Settings:
    """Settings from env/.env with CLI overrides; invalid values become a ConfigError."""
    clean = {k: v for k, v in overrides.items() if v is not None}
    try:
        return Settings(**clean)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            field = str(err["loc"][0]) if err["loc"] else "?"
            problems.append(f"{env_name(field)}: {err['msg']}")
        raise ConfigError("invalid configuration: " + "; ".join(problems)) from exc


def open_store(settings: Settings) -> Store:
    """Open the configured database (migrating it) with reference data loaded."""
    from bot.demo import ensure_reference_data

    store = Store.open(settings.db)
    ensure_reference_data(store, settings)
    return store


def setup_logging(level: str, fmt: str = "kv") -> None:
    """One line per event on stderr (key=value or JSON, ``LOA_LOG_FORMAT``); httpx's INFO
    lines carry URLs with tokens, so they are silenced (``bot.ops.logs``)."""
    from bot.ops.logs import configure

    configure(level, fmt)
