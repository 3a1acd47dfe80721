"""``GET /healthz`` (what is wrong, as JSON) and ``GET /metrics`` (Prometheus text).

Both read the database through their own short-lived connection in a worker thread, so a
locked database makes the check slow or failed, never the event loop.
"""

from __future__ import annotations

import asyncio
import hmac
import time
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, Response

from bot import metrics
from bot.ops import health
from bot.ops.backup import backup_age_seconds, last_backup
from bot.web.proxies import is_trusted

router = APIRouter()


def _ops_state(request: Request) -> dict[str, Any] | None:
    from bot.features.ops import state_of

    return state_of(request.app.state.runtime)


def _read_db(db: str) -> tuple[health.DatabaseState, dict[str, Any] | None]:
    from pathlib import Path

    return health.database_state(Path(db)), last_backup(Path(db))


@router.get("/healthz", include_in_schema=False)
async def healthz(request: Request) -> JSONResponse:
    """Each check's status and detail; 503 when an essential one fails."""
    runtime = request.app.state.runtime
    state = _ops_state(request)
    started = state is not None
    db_state, record = await asyncio.to_thread(_read_db, str(runtime.settings.db))
    age = backup_age_seconds(record, datetime.now(UTC))
    up_for = time.time() - state["started"] if state else 0.0
    checks = {
        "database": health.database_check(db_state),
        "disk": health.disk_check(runtime.settings.db),
        "scheduler": health.scheduler_check(state.get("scheduler") if state else None, expected=started),
        "channels": health.channels_check(sorted(runtime.channels), metrics.channel_last_ok()),
        "sender": health.sender_check(db_state.outbox_depth),
        # The first automatic backup is due within a day of starting.
        "backup": health.backup_check(record, age, expected=started and up_for > 86400),
    }
    status, code = health.overall(checks)
    body = {"status": status, "db": db_state.writable, "channels": sorted(runtime.channels), "checks": checks}
    return JSONResponse(body, status_code=code)


def _trusted(request: Request) -> bool:
    """The caller's address (after trusted-proxy resolution) is itself a trusted proxy address."""
    settings = request.app.state.runtime.settings
    return is_trusted(request.client.host if request.client else None, settings.trusted_networks())


def _token_ok(request: Request) -> bool:
    token = request.app.state.runtime.settings.metrics_token
    if token is None or not token.get_secret_value():
        return False
    given = request.headers.get("authorization", "")
    scheme, _, value = given.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(value.strip().encode(), token.get_secret_value().encode())


@router.get("/metrics", include_in_schema=False)
async def prometheus_metrics(request: Request) -> Response:
    """Prometheus exposition: needs ``Authorization: Bearer LOA_METRICS_TOKEN`` or a trusted address."""
    if not (_token_ok(request) or _trusted(request)):
        return JSONResponse(
            {"ok": False, "error": "metrics need a bearer token"},
            status_code=401,
            headers={"WWW-Authenticate": 'Bearer realm="loa-metrics"'},
        )
    db_state, record = await asyncio.to_thread(_read_db, str(request.app.state.runtime.settings.db))
    age = backup_age_seconds(record, datetime.now(UTC))
    body = metrics.render(db_state.outbox_depth, record, age)
    return Response(body, media_type=metrics.CONTENT_TYPE)


def register(app: FastAPI) -> None:
    """Add the two routes."""
    app.include_router(router)
