"""A locked database is a moment's wait, not an error page with a traceback.

The event loop's connection gives up on a lock after a few milliseconds (it must not stall
residents' replies); an officer's write that meets a longer lock gets a short Vietnamese
"busy, try again" answer (503) instead of a 500.
"""

from __future__ import annotations

import logging
import sqlite3

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.responses import Response

from bot.store.db import is_locked

logger = logging.getLogger(__name__)

BUSY_TEXT = "Hệ thống đang bận ghi dữ liệu. Bạn vui lòng thử lại sau vài giây."


async def _locked(request: Request, exc: Exception) -> Response:
    if not is_locked(exc):
        raise exc
    logger.warning("%s %s met a locked database: %s", request.method, request.url.path, exc)
    headers = {"Retry-After": "5", "Cache-Control": "no-store"}
    if request.url.path.startswith("/api/") or "json" in request.headers.get("accept", ""):
        return JSONResponse({"error": BUSY_TEXT}, status_code=503, headers=headers)
    page = f'<!doctype html><html lang="vi"><meta charset="utf-8"><title>Đang bận</title><p>{BUSY_TEXT}</p></html>'
    return HTMLResponse(page, status_code=503, headers=headers)


def install(app: FastAPI) -> None:
    """Answer "database is locked" with 503 and a Vietnamese message."""
    app.add_exception_handler(sqlite3.OperationalError, _locked)
