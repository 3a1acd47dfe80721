"""The typed ``Feature`` protocol: what one product feature may add to Loa.

Every feature is a class listed in :func:`bot.features.all_features`; nothing is found by
name. A feature instance belongs to one process run (one dialog, one runtime) and owns its
state as attributes (the scam feature's checker cache, the broadcast feature's sender
task), so no state hangs on the dialog or the runtime.

Subclass :class:`Feature` and override what the feature needs; the defaults add nothing.
Heavy imports (telegram, matplotlib, docx, scikit-learn) stay inside the methods so that
``loa --help`` stays fast.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import typer
    from fastapi import FastAPI

    from bot.config import Settings
    from bot.dialog import Command, TextHandler
    from bot.runtime import Runtime
    from bot.store import Store


class Feature(Protocol):
    """One feature: its commands, free-text handlers, CLI, web routes, demo data, lifespan."""

    #: Short English id, used in logs.
    name: str

    def commands(self) -> Sequence[Command]:
        """Slash commands this feature answers, in the order ``/help`` lists them."""
        return ()

    def text_handlers(self) -> Mapping[str, TextHandler]:
        """Free-text handlers by route name; their order is ``TEXT_ROUTES`` in ``bot.features``."""
        return {}

    def add_cli(self, app: typer.Typer) -> None:
        """Add ``loa`` sub-commands."""
        return None

    def add_web_routes(self, app: FastAPI) -> None:
        """Add routes to the web app (webhooks, admin pages)."""
        return None

    def load_demo(self, store: Store, settings: Settings) -> Sequence[str]:
        """Load this feature's demo content (idempotent); return the lines ``loa demo`` prints
        (``{base}`` stands for the base URL)."""
        return ()

    async def start(self, runtime: Runtime) -> None:
        """Start background work in the running loop; must return quickly."""
        return None

    async def stop(self, runtime: Runtime) -> None:
        """Stop what :meth:`start` started (called in reverse feature order)."""
        return None
