"""Login and logout pages."""

from __future__ import annotations

import math
from datetime import datetime

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from bot.store.workers import run_hashing
from bot.web.admin import security
from bot.web.admin.deps import (
    LoginRequired,
    Officer,
    audit,
    checked_form,
    client_ip,
    current_officer,
    now,
    render,
    require,
    safe_next,
    store_of,
)
from bot.web.proxies import secure_cookies

router = APIRouter()

MAX_FIELD = 200


def _login_page(
    request: Request, *, error: str | None, next_path: str, name: str = "", status: int = 200
) -> Response:
    token = request.cookies.get(security.LOGIN_CSRF_COOKIE) or security.new_login_csrf()
    response = render(
        request,
        "admin/login.html",
        {"error": error, "next": next_path, "name": name, "login_csrf": token},
        status_code=status,
    )
    response.set_cookie(
        security.LOGIN_CSRF_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=secure_cookies(request),
        path=security.COOKIE_PATH,
    )
    return response


@router.get("/login")
async def login_form(request: Request) -> Response:
    """The login page (an already signed-in officer goes to the dashboard)."""
    next_path = safe_next(request.query_params.get("next"))
    try:
        current_officer(request)
        return RedirectResponse(next_path, status_code=303)
    except LoginRequired:
        return _login_page(request, error=None, next_path=next_path)


@router.post("/login")
async def login(request: Request) -> Response:
    """Check the CSRF cookie, the throttle and the password; start a session."""
    form = await request.form()
    name = str(form.get("name") or "").strip()[:MAX_FIELD]
    password = str(form.get("password") or "")[:MAX_FIELD]
    next_path = safe_next(str(form.get("next") or ""))
    if not security.csrf_ok(request.cookies.get(security.LOGIN_CSRF_COOKIE), form.get("csrf")):
        return _login_page(
            request,
            error="Trang đăng nhập đã hết hạn. Vui lòng thử lại.",
            next_path=next_path,
            name=name,
            status=403,
        )
    if not name or not password:
        return _login_page(
            request,
            error="Vui lòng nhập tên đăng nhập và mật khẩu.",
            next_path=next_path,
            name=name,
            status=400,
        )
    store, at, ip = store_of(request), now(request), client_ip(request)
    wait = security.login_wait(store, name.lower(), ip, now=at)
    if wait:
        seconds = max(1, math.ceil(wait.total_seconds()))
        audit(request, None, "login.throttled", f"user:{name}", wait_s=seconds)
        response = _login_page(
            request,
            error=f"Bạn đã nhập sai nhiều lần. Vui lòng đợi {seconds} giây rồi thử lại.",
            next_path=next_path,
            name=name,
            status=429,
        )
        response.headers["Retry-After"] = str(seconds)
        return response
    if not await _password_ok(request, name, password, ip, at):
        return _login_page(
            request,
            error="Tên đăng nhập hoặc mật khẩu không đúng.",
            next_path=next_path,
            name=name,
            status=401,
        )
    return _signed_in(request, name, next_path, ip, at)


async def _password_ok(request: Request, name: str, password: str, ip: str | None, at: datetime) -> bool:
    """Check the password off the loop and record the attempt (a failure is audited)."""
    from bot import users

    store = store_of(request)
    # argon2 takes ~0.1 s: off the loop, on a connection of the worker's own.
    ok = await run_hashing(store, users.verify_password, name, password)
    if not ok:
        known = users.get_user(store, name)
        if not known or not known.get("active") or not known.get("password_hash"):
            await run_hashing(None, security.equalize_timing, password)
    security.record_attempt(store, name.lower(), ip, ok, now=at)
    if not ok:
        audit(request, None, "login.failed", f"user:{name}")
    return bool(ok)


def _signed_in(request: Request, name: str, next_path: str, ip: str | None, at: datetime) -> Response:
    """Start the officer's session and send them on with the session cookie set."""
    from bot import users

    store = store_of(request)
    user = users.get_user(store, name) or {"name": name}
    token, _session = security.start_session(store, user["name"], now=at, ip=ip)
    audit(request, user["name"], "login")
    response = RedirectResponse(next_path, status_code=303)
    response.set_cookie(
        security.SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=secure_cookies(request),
        path=security.COOKIE_PATH,
    )
    response.delete_cookie(security.LOGIN_CSRF_COOKIE, path=security.COOKIE_PATH)
    return response


@router.post("/logout")
async def logout(request: Request, officer: Officer = Depends(require("dashboard"))) -> Response:
    """End the session (the form carries the CSRF token, so a link cannot log you out)."""
    await checked_form(request, officer)
    security.end_session(store_of(request), officer.session)
    audit(request, officer.name, "logout")
    response = RedirectResponse("/admin/login?ok=logged_out", status_code=303)
    response.delete_cookie(security.SESSION_COOKIE, path=security.COOKIE_PATH)
    return response
