"""The FastAPI application: one lifespan owns the store, the dialog and the channels."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

from bot.channels.base import Channel
from bot.config import Settings
from bot.runtime import Runtime, open_runtime
from bot.web import chat
from bot.web.templating import STATIC_DIR

logger = logging.getLogger(__name__)

#: Channel factories: given the runtime, return a started-on-lifespan channel or None
#: when it is not configured (no token). Channel modules append here.
CHANNEL_FACTORIES: list[Callable[[Runtime], Channel | None]] = []


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
        try:
            if start_channels:
                for factory in CHANNEL_FACTORIES:
                    channel = factory(runtime)
                    if channel is not None:
                        await channel.start()
                        runtime.channels[channel.name] = channel
                        logger.info("channel %s started", channel.name)
            yield
        finally:
            for name, channel in list(runtime.channels.items()):
                try:
                    await channel.stop()
                except Exception:  # a failing channel must not block the others' shutdown
                    logger.exception("channel %s did not stop cleanly", name)
            runtime.dialog.flush_backlog()
            runtime.store.close()

    app = FastAPI(title="Loa", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    app.include_router(chat.router)

    @app.get("/healthz")
    async def healthz(request: Request) -> JSONResponse:
        """Liveness and readiness: the database answers and which channels run."""
        runtime: Runtime = request.app.state.runtime
        try:
            runtime.store.conn.execute("SELECT 1").fetchone()
            db_ok = True
        except Exception:
            db_ok = False
        body = {"status": "ok" if db_ok else "degraded", "db": db_ok, "channels": sorted(runtime.channels)}
        return JSONResponse(body, status_code=200 if db_ok else 503)

    @app.get("/")
    async def root() -> RedirectResponse:
        return RedirectResponse("/chat")

    return app
