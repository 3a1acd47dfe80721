"""Demo content for ``loa demo``: loaded into a separate database, clearly marked as demo."""

from __future__ import annotations

from bot.config import Settings
from bot.features import hooks
from bot.store import Store
from bot.store.units import count_units, load_admin_units


def ensure_reference_data(store: Store, settings: Settings) -> None:
    """Load the admin units on first start (every database needs them)."""
    if count_units(store) == 0:
        load_admin_units(store, settings.content_dir / "data" / "admin_units.csv")


def load_demo(store: Store, settings: Settings) -> None:
    """Load all demo content (idempotent) and mark the database as a demo database."""
    ensure_reference_data(store, settings)
    for loader in hooks("load_demo"):
        loader(store, settings)
    store.set_meta("demo", "1")
