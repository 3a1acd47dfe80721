"""The web chat: a page at ``/chat`` and its JSON endpoint ``POST /api/chat``.

It is a real channel: a health department can embed the page (or call the endpoint)
on its own site. A random cookie identifies the browser; nothing else is asked.
"""

from __future__ import annotations

import logging
import secrets
import sqlite3
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse

from bot.conversation import Incoming, Location, Reply
from bot.errors import StoreError
from bot.web.limits import loads_bounded
from bot.web.proxies import secure_cookies
from bot.web.templating import templates

logger = logging.getLogger(__name__)

router = APIRouter()

COOKIE = "loa_chat"
MAX_BODY_BYTES = 256 * 1024


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def reply_json(reply: Reply) -> dict[str, Any]:
    """A reply as the JSON the chat page renders."""
    return {
        "text": reply.text,
        "kind": reply.kind,
        "choices": [{"label": c.label, "payload": c.payload} for c in reply.choices],
    }


@router.get("/chat", response_class=HTMLResponse)
async def chat_page(request: Request) -> HTMLResponse:
    """The chat page (Vietnamese, mobile-first)."""
    runtime = request.app.state.runtime
    response = templates.TemplateResponse(
        request, "chat.html", {"province": runtime.settings.province, "demo": runtime.demo}
    )
    if COOKIE not in request.cookies:
        response.set_cookie(
            COOKIE, secrets.token_urlsafe(16), httponly=True, samesite="lax", secure=secure_cookies(request),
            max_age=30 * 86400,
        )
    return response


@router.post("/api/chat")
async def chat_api(request: Request) -> JSONResponse:
    """Body ``{"text": str}`` or ``{"location": {"latitude": f, "longitude": f}}``;
    answers ``{"replies": [{"text", "kind", "choices": [{"label", "payload"}]}]}``."""
    runtime = request.app.state.runtime
    body = await request.body()
    if len(body) > MAX_BODY_BYTES:
        return _error(413, "Tin nhắn quá dài. Bạn hãy gửi ngắn hơn nhé.")
    try:
        payload = loads_bounded(body)
    except ValueError:
        return _error(400, "Loa không đọc được tin nhắn này (dữ liệu không hợp lệ).")
    if not isinstance(payload, dict):
        return _error(400, "Loa không đọc được tin nhắn này (cần một đối tượng JSON).")
    text = payload.get("text", "")
    if not isinstance(text, str):
        return _error(400, "Trường “text” phải là chuỗi ký tự.")
    location = None
    loc = payload.get("location")
    if loc is not None:
        try:
            location = Location(float(loc["latitude"]), float(loc["longitude"]))
        except (TypeError, KeyError, ValueError):
            return _error(400, "Vị trí không hợp lệ.")
        if not (-90 <= location.latitude <= 90 and -180 <= location.longitude <= 180):
            return _error(400, "Vị trí không hợp lệ.")
    session = request.cookies.get(COOKIE) or payload.get("session")
    if not isinstance(session, str) or not session:
        session = secrets.token_urlsafe(16)
    session = session[:64]
    msg = Incoming(channel="web", chat_id=session, user_id=session, text=text, location=location)
    await runtime.dialog.writes.room()  # backpressure only when the write queue is over its limit
    try:
        replies = runtime.dialog.handle(msg)
    except (sqlite3.Error, StoreError) as exc:
        logger.warning("web chat: database unavailable: %s", exc)
        return _error(503, "Loa đang bận, bạn vui lòng thử lại sau ít phút.")
    response = JSONResponse({"replies": [reply_json(r) for r in replies]})
    if COOKIE not in request.cookies:
        response.set_cookie(
            COOKIE, session, httponly=True, samesite="lax", secure=secure_cookies(request), max_age=30 * 86400
        )
    return response
