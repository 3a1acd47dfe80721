"""The FastAPI application: one lifespan owns the store, the dialog and the channels."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime

from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

from bot.config import Settings
from bot.features import all_features
from bot.features.base import Feature
from bot.runtime import Runtime, open_runtime
from bot.store.db import LOOP_BUSY_TIMEOUT_MS
from bot.store.workers import run_in_thread, start_worker_process
from bot.web import busy, chat
from bot.web.access import AccessLogMiddleware
from bot.web.headers import SecurityHeadersMiddleware
from bot.web.limits import BodyLimitMiddleware
from bot.web.proxies import TrustedProxyMiddleware
from bot.web.templating import STATIC_DIR, warm_templates

logger = logging.getLogger(__name__)

def create_app(
    settings: Settings,
    *,
    demo: bool = False,
    clock: Callable[[], datetime] | None = None,
    start_channels: bool = True,
) -> FastAPI:
    """Build the app. The store opens and channels start when the app starts (lifespan)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runtime = open_runtime(settings, demo=demo, clock=clock)
        app.state.runtime = runtime
        started: list[Feature] = []
        try:
            if start_channels:
                await _start_features(app, runtime, started)
            # From here on the loop's connection never waits long for a lock (docs/architecture.md).
            runtime.store.set_busy_timeout(LOOP_BUSY_TIMEOUT_MS)
            yield
        finally:
            await _stop_everything(runtime, started)

    app = FastAPI(title="Loa", lifespan=lifespan, docs_url=None, redoc_url=None)
    # Added last = runs first: the client address is settled before anything logs it, and
    # body limits are enforced while the body streams in, for every route. The access log
    # is innermost: it logs the address the proxy middleware settled.
    app.add_middleware(AccessLogMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(BodyLimitMiddleware)
    app.add_middleware(TrustedProxyMiddleware, networks=settings.trusted_networks())
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    app.include_router(chat.router)
    busy.install(app)
    for feature in all_features():
        feature.add_web_routes(app)

    @app.get("/")
    async def root() -> RedirectResponse:
        return RedirectResponse("/chat")

    return app


async def _start_features(app: FastAPI, runtime: Runtime, started: list[Feature]) -> None:
    """Start the features in order (each one started is appended to ``started``)."""
    # In feature order: channels register themselves in runtime.channels, the
    # scheduler and sender start after them, the backup check after the scheduler.
    for feature in runtime.features:
        await feature.start(runtime)
        started.append(feature)
    start_worker_process()  # reports and imports run there (bot/store/workers.py)
    from bot.web.admin.deps import templates as admin_templates

    # Compile every page in the background now, not on the loop at a first request.
    app.state.templates_warm = asyncio.ensure_future(run_in_thread(warm_templates, admin_templates))


async def _stop_everything(runtime: Runtime, started: list[Feature]) -> None:
    """Stop the started features (last first), then the channels, the write queue and the store."""
    for feature in reversed(started):
        try:
            await feature.stop(runtime)
        except Exception:  # one failing feature must not block the others' shutdown
            logger.exception("feature %s did not stop cleanly", feature.name)
    for name, channel in list(runtime.channels.items()):
        try:
            await channel.stop()
        except Exception:  # a failing channel must not block the others' shutdown
            logger.exception("channel %s did not stop cleanly", name)
    runtime.dialog.writes.close()
    runtime.store.close()
