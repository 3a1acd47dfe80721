"""Operations: ``loa backup`` / ``restore`` / ``doctor``, ``/healthz`` and ``/metrics``, and the
automatic daily backup on the app's APScheduler (the backup itself runs in a worker thread)."""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from bot.features.base import Feature

if TYPE_CHECKING:
    import typer
    from fastapi import FastAPI

    from bot.config import Settings
    from bot.runtime import Runtime

BACKUP_JOB_ID = "ops:backup"
logger = logging.getLogger(__name__)


class Ops(Feature):
    """Backups, restore and doctor on the CLI; health and metrics on the web; the daily backup.

    Listed after the broadcast feature in :func:`bot.features.all_features`: its start puts
    the backup check on the scheduler that the broadcast feature's start created.
    """

    name = "ops"

    def __init__(self) -> None:
        #: ``started`` (epoch seconds) and ``scheduler`` of the running app; None when stopped.
        self.state: dict[str, Any] | None = None

    def add_cli(self, app: typer.Typer) -> None:
        """Add ``loa backup``, ``loa restore`` and ``loa doctor``."""
        from bot.ops.cli import register

        register(app)

    def add_web_routes(self, app: FastAPI) -> None:
        """Add ``/healthz`` and ``/metrics``."""
        from bot.web.ops import register

        register(app)

    async def start(self, runtime: Runtime) -> None:
        """Put the backup check on the scheduler the broadcast feature started."""
        from bot.features.broadcast import scheduler_of
        from bot.ops.jobs import CHECK_EVERY_MINUTES, FIRST_CHECK_AFTER

        scheduler = scheduler_of(runtime)
        self.state = {"started": time.time(), "scheduler": scheduler}
        if scheduler is None or str(runtime.settings.db) == ":memory:":
            logger.warning("automatic backups off: no scheduler or no database file")
            return
        scheduler.add_job(
            _backup_job,
            "interval",
            minutes=CHECK_EVERY_MINUTES,
            next_run_time=datetime.now(UTC) + FIRST_CHECK_AFTER,
            args=[runtime.settings],
            id=BACKUP_JOB_ID,
            replace_existing=True,
            coalesce=True,
            max_instances=1,
        )

    async def stop(self, runtime: Runtime) -> None:
        """Forget the running app (the scheduler itself is shut down by the broadcast feature)."""
        self.state = None


def state_of(runtime: Runtime) -> dict[str, Any] | None:
    """The ops feature's state for a started runtime (None when it has not started)."""
    for feature in runtime.features:
        if isinstance(feature, Ops):
            return feature.state
    return None


async def _backup_job(settings: Settings) -> None:
    from bot.ops.jobs import auto_backup

    try:
        await asyncio.to_thread(auto_backup, settings)
    except Exception:  # logged, retried at the next hourly check; /healthz shows the age
        logger.exception("automatic backup failed")
