"""The officers' web admin under ``/admin``: server-rendered Vietnamese pages.

One module per area (``auth``, ``dashboard``, ``messages``, ...), each with a ``router``
and optional ``NAV`` entries; ``deps`` holds sessions, role checks, CSRF and the audit
trail. Pages only call library functions: the admin has no business rules of its own.
"""

from __future__ import annotations

import importlib

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from bot.web.admin import deps, params

# Before any page module compiles its routes: ids in paths are bounded to SQLite's range.
params.register()

#: Page modules in menu order; each has ``router`` and may have ``NAV = [(path, label, permission)]``.
PAGES = (
    "auth",
    "account",
    "dashboard",
    "messages",
    "broadcasts",
    "schedules",
    "chats",
    "sites",
    "unanswered",
    "activities",
    "reach",
    "reports",
    "officers",
    "audit_log",
)


def build_routers() -> list[APIRouter]:
    """The admin's page routers (to be mounted at ``/admin``), with the navigation filled in."""
    routers = []
    deps.NAV.clear()
    deps.NAV.append(("/admin", "Tổng quan", "dashboard"))
    for name in PAGES:
        module = importlib.import_module(f"{__name__}.{name}")
        routers.append(module.router)
        deps.NAV.extend(getattr(module, "NAV", []))
    deps.NAV.append(("/admin/audit", "Nhật ký", "audit"))
    return routers


def route_permissions() -> dict[tuple[str, str], str | None]:
    """Every admin route as ``(method, path) → permission`` (None = public), for audits and tests."""
    from fastapi.routing import APIRoute

    out: dict[tuple[str, str], str | None] = {}
    for name in PAGES:
        module = importlib.import_module(f"{__name__}.{name}")
        for route in module.router.routes:
            if not isinstance(route, APIRoute):
                continue
            perms = [getattr(d.call, "permission", None) for d in route.dependant.dependencies]
            perms = [p for p in perms if p]
            for method in (route.methods or set()) - {"HEAD"}:
                out[(method, "/admin" + route.path)] = perms[0] if perms else None
    return out


async def _login_required(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, deps.LoginRequired)
    from urllib.parse import quote

    return RedirectResponse(f"/admin/login?next={quote(deps.safe_next(exc.next_path))}", status_code=303)


async def _forbidden(request: Request, exc: Exception) -> Response:
    officer = getattr(request.state, "officer", None)
    return deps.render(
        request,
        "admin/error.html",
        {"title": "Không có quyền", "message": "Tài khoản của bạn không có quyền làm việc này."},
        officer=officer,
        status_code=403,
    )


async def _csrf_failed(request: Request, exc: Exception) -> Response:
    officer = getattr(request.state, "officer", None)
    return deps.render(
        request,
        "admin/error.html",
        {
            "title": "Biểu mẫu không hợp lệ",
            "message": "Biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang và thử lại.",
        },
        officer=officer,
        status_code=403,
    )


#: Titles and messages of the admin's HTTP error pages.
HTTP_ERRORS = {
    404: ("Không tìm thấy trang", "Trang này không có hoặc đã bị xóa. Kiểm tra lại đường dẫn."),
    405: ("Không thực hiện được", "Trang này không nhận thao tác đó. Hãy quay lại và dùng các nút trên trang."),
}


async def _http_error(request: Request, exc: Exception) -> Response:
    """A Vietnamese page for HTTP errors under ``/admin``; JSON elsewhere (API, webhooks)."""
    from fastapi.exception_handlers import http_exception_handler
    from starlette.exceptions import HTTPException

    assert isinstance(exc, HTTPException)
    if not request.url.path.startswith("/admin") or exc.status_code not in HTTP_ERRORS:
        return await http_exception_handler(request, exc)
    title, message = HTTP_ERRORS[exc.status_code]
    return _error_page(request, title, message, exc.status_code)


async def _server_error(request: Request, exc: Exception) -> Response:
    """An unexpected failure under ``/admin``: a Vietnamese page (the traceback goes to the log)."""
    from fastapi.responses import PlainTextResponse

    if not request.url.path.startswith("/admin"):
        return PlainTextResponse("Internal Server Error", status_code=500)
    return _error_page(
        request, "Có lỗi xảy ra", "Loa gặp lỗi khi làm việc này. Vui lòng thử lại; nếu vẫn lỗi, báo quản trị viên.", 500
    )


def _error_page(request: Request, title: str, message: str, status_code: int) -> Response:
    officer = getattr(request.state, "officer", None)
    if officer is None:
        try:
            officer = deps.current_officer(request)
        except Exception:  # no session (or no store): the page without the menu
            officer = None
    return deps.render(
        request, "admin/error.html", {"title": title, "message": message}, officer=officer, status_code=status_code
    )


def mount(app: FastAPI) -> None:
    """Add the admin routes and its error pages to ``app``."""
    for router in build_routers():
        app.include_router(router, prefix="/admin")
    app.add_exception_handler(deps.LoginRequired, _login_required)
    app.add_exception_handler(deps.Forbidden, _forbidden)
    app.add_exception_handler(deps.CsrfFailed, _csrf_failed)
    from starlette.exceptions import HTTPException

    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(Exception, _server_error)
