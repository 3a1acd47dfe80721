"""Feature plug-ins: each module in this package wires one feature into the product.

A feature module may define any of these (all optional), and nothing else needs editing
when a feature is added — ``discover()`` finds it:

- ``ORDER: int`` — position among features (lower first; default 100). The dialog tries
  text handlers by their own priority; ORDER decides menu items, CLI and demo order.
- ``register(dialog: Dialog) -> None`` — add commands, text handlers, menu items.
- ``register_cli(app: typer.Typer) -> None`` — add ``loa`` sub-commands.
- ``register_web(app: FastAPI) -> None`` — add routes (webhooks, admin pages).
- ``load_demo(store: Store, settings: Settings) -> None`` — idempotent demo content.
- ``DEMO_BANNER: list[str]`` — lines ``loa demo`` prints (``{base}`` = the base URL).
- ``async start(runtime: Runtime) -> None`` / ``async stop(runtime: Runtime) -> None`` —
  lifespan hooks (channels, scheduler, sender); ``start`` must return quickly.

Feature modules keep heavy imports (telegram, matplotlib, docx) inside functions so that
``loa --help`` stays fast. An import error in a feature is a bug and is raised, not hidden.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache
from types import ModuleType


@cache
def discover() -> tuple[ModuleType, ...]:
    """Every feature module of this package, sorted by ``ORDER`` then name."""
    modules = [
        importlib.import_module(f"{__name__}.{info.name}")
        for info in pkgutil.iter_modules(__path__)
        if not info.name.startswith("_")
    ]
    return tuple(sorted(modules, key=lambda m: (getattr(m, "ORDER", 100), m.__name__)))


def hooks(name: str) -> list:
    """The attribute ``name`` of every feature that defines it, in feature order."""
    return [getattr(m, name) for m in discover() if hasattr(m, name)]
