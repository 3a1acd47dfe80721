"""Reference data every database needs: the province's administrative units and the
published health-book integration rates (site look-up, audiences and reports use them)."""

from __future__ import annotations

from bot.config import Settings
from bot.errors import DataFileError
from bot.store import Store
from bot.store.units import count_units, load_admin_units


def ensure_reference_data(store: Store, settings: Settings) -> None:
    """Load the admin units and the integration rates on first start (no-op afterwards)."""
    if count_units(store) == 0:
        data = settings.content_dir / "data"
        load_admin_units(store, data / "admin_units.csv")
        rates = data / "integration_rates.csv"
        if rates.exists():
            from bot.sites.rates import import_rates

            report = import_rates(store, rates)
            if not report.ok:
                raise DataFileError(f"{rates}: " + "; ".join(str(p) for p in report.problems[:3]))
