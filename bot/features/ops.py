"""Operations: ``loa backup`` / ``restore`` / ``doctor``, ``/healthz`` and ``/metrics``, and the
automatic daily backup on the app's APScheduler (the backup itself runs in a worker thread)."""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import typer
    from fastapi import FastAPI

    from bot.config import Settings
    from bot.runtime import Runtime

ORDER = 95  # after the broadcast feature, whose start hook creates the scheduler
BACKUP_JOB_ID = "ops:backup"
logger = logging.getLogger(__name__)

_STATE: dict[int, dict[str, Any]] = {}


def register_cli(app: typer.Typer) -> None:
    """Add ``loa backup``, ``loa restore`` and ``loa doctor``."""
    from bot.ops.cli import register

    register(app)


def register_web(app: FastAPI) -> None:
    """Add ``/healthz`` and ``/metrics``."""
    from bot.web.ops import register

    register(app)


def state_of(runtime: Runtime) -> dict[str, Any] | None:
    """This feature's state for a started runtime (None when the start hooks did not run)."""
    return _STATE.get(id(runtime))


async def _backup_job(settings: Settings) -> None:
    from bot.ops.jobs import auto_backup

    try:
        await asyncio.to_thread(auto_backup, settings)
    except Exception:  # logged, retried at the next hourly check; /healthz shows the age
        logger.exception("automatic backup failed")


async def start(runtime: Runtime) -> None:
    """Put the backup check on the scheduler the broadcast feature started."""
    from bot.features.broadcast import scheduler_of
    from bot.ops.jobs import CHECK_EVERY_MINUTES, FIRST_CHECK_AFTER

    scheduler = scheduler_of(runtime)
    _STATE[id(runtime)] = {"started": time.time(), "scheduler": scheduler}
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


async def stop(runtime: Runtime) -> None:
    """Forget this runtime (the scheduler itself is shut down by the broadcast feature)."""
    _STATE.pop(id(runtime), None)
