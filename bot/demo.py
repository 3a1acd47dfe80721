"""Demo content for ``loa demo``: loaded into a separate database, clearly marked as demo."""

from __future__ import annotations

from bot.config import Settings
from bot.errors import DataFileError
from bot.features import hooks
from bot.store import Store
from bot.store.units import count_units, load_admin_units


def ensure_reference_data(store: Store, settings: Settings) -> None:
    """Load the admin units and the published integration rates on first start
    (every database needs them: site look-up, audiences and reports use them)."""
    if count_units(store) == 0:
        data = settings.content_dir / "data"
        load_admin_units(store, data / "admin_units.csv")
        rates = data / "integration_rates.csv"
        if rates.exists():
            from bot.sites.rates import import_rates

            report = import_rates(store, rates)
            if not report.ok:
                raise DataFileError(f"{rates}: " + "; ".join(str(p) for p in report.problems[:3]))


def load_demo(store: Store, settings: Settings) -> None:
    """Load all demo content (idempotent) and mark the database as a demo database."""
    ensure_reference_data(store, settings)
    for loader in hooks("load_demo"):
        loader(store, settings)
    store.set_meta("demo", "1")
