"""Demo content for ``loa demo``: loaded into a separate database, clearly marked as demo."""

from __future__ import annotations

from collections.abc import Sequence

from bot.config import Settings
from bot.features import Feature, all_features
from bot.reference import ensure_reference_data
from bot.store import Store


def load_demo(store: Store, settings: Settings, features: Sequence[Feature] | None = None) -> list[str]:
    """Load every feature's demo content (idempotent) and mark the database as a demo one.

    Returns the lines ``loa demo`` prints, feature by feature (``{base}`` = the base URL).
    """
    ensure_reference_data(store, settings)
    banner: list[str] = []
    for feature in all_features() if features is None else features:
        banner.extend(feature.load_demo(store, settings))
    store.set_meta("demo", "1")
    return banner
