"""Request plumbing shared by every admin page: the signed-in officer, role checks, CSRF,
the audit trail and template rendering."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.datastructures import FormData
from starlette.responses import Response

from bot.config import Settings
from bot.store import Store
from bot.store import admin as admin_store
from bot.store.events import to_db_time
from bot.web.admin import codes, security
from bot.web.admin.permissions import allowed
from bot.web.templating import TEMPLATE_DIR

templates = Jinja2Templates(directory=str(TEMPLATE_DIR))
# Codes are turned into words in every template (cron lines, audiences, reasons, audit entries).
templates.env.filters.update(
    cron=codes.cron_text,
    audience=codes.audience_text,
    selector=codes.selector_text,
    tag=codes.tag_text,
    reason=codes.reason_text,
    audit_action=codes.audit_action_text,
    audit_detail=codes.audit_detail_text,
    audit_target=codes.target_text,
    schedule_title=codes.schedule_title,
    schedule_source=codes.schedule_source,
    roles=codes.role_text,
    local_at=codes.local_at,
    dmy=codes.dmy,
)

#: Navigation: (path, label, permission). Pages whose library is absent are not listed.
NAV: list[tuple[str, str, str]] = []

#: Short confirmations shown after a redirect (``?ok=key``); keys only, so a link cannot inject text.
FLASH: dict[str, str] = {
    "logged_out": "Bạn đã đăng xuất.",
}


class LoginRequired(Exception):
    """No valid session: the officer is sent to the login page."""

    def __init__(self, next_path: str = "/admin") -> None:
        super().__init__(next_path)
        self.next_path = next_path


class Forbidden(Exception):
    """Signed in, but the officer's roles do not grant this action."""

    def __init__(self, permission: str) -> None:
        super().__init__(permission)
        self.permission = permission


class CsrfFailed(Exception):
    """A form arrived without the right CSRF token."""


@dataclass(frozen=True)
class Officer:
    """The signed-in officer of a request."""

    name: str
    roles: tuple[str, ...]
    session: security.Session

    def can(self, permission: str) -> bool:
        """True if the officer's roles grant ``permission``."""
        return allowed(self.roles, permission)


def now(request: Request) -> datetime:
    """The current time (tests set ``app.state.admin_clock``)."""
    clock = getattr(request.app.state, "admin_clock", None)
    return clock() if clock else datetime.now(UTC)


def store_of(request: Request) -> Store:
    """The process's store."""
    return request.app.state.runtime.store


def settings_of(request: Request) -> Settings:
    """The process's settings."""
    return request.app.state.runtime.settings


def client_ip(request: Request) -> str | None:
    """The caller's address: the peer, or what a trusted proxy forwarded (``bot.web.proxies``)."""
    return request.client.host if request.client else None


def safe_next(path: str | None) -> str:
    """A local admin path to return to after login (no open redirects)."""
    if path and path.startswith("/admin") and not path.startswith("//") and "\\" not in path:
        return path
    return "/admin"


def current_officer(request: Request) -> Officer:
    """The signed-in, active officer, or ``LoginRequired``."""
    from bot import users

    cached = getattr(request.state, "officer", None)
    if cached is not None:
        return cached
    store = store_of(request)
    session = security.load_session(store, request.cookies.get(security.SESSION_COOKIE), now=now(request))
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if session is None:
        raise LoginRequired(target if request.method == "GET" else "/admin")
    user = users.get_user(store, session.user)
    if user is None or not user.get("active"):
        security.end_session(store, session)
        raise LoginRequired(target if request.method == "GET" else "/admin")
    officer = Officer(user["name"], tuple(user.get("roles") or ()), session)
    request.state.officer = officer
    return officer


def require(permission: str) -> Callable[[Request], Awaitable[Officer]]:
    """A FastAPI dependency: the signed-in officer holding ``permission``, else 303 to login / 403."""

    async def dependency(request: Request) -> Officer:
        officer = current_officer(request)
        if not officer.can(permission):
            raise Forbidden(permission)
        return officer

    dependency.permission = permission  # type: ignore[attr-defined]  # read by the permission-matrix test
    return dependency


async def checked_form(request: Request, officer: Officer) -> FormData:
    """The posted form, after checking its CSRF token against the officer's session."""
    form = await request.form()
    if not security.csrf_ok(officer.session.csrf, form.get("csrf")):
        raise CsrfFailed()
    return form


def audit(request: Request, user: str | None, action: str, target: str | None = None, **detail: Any) -> None:
    """Append an audit entry: who, what, when, from where."""
    admin_store.add_audit(
        store_of(request),
        at=to_db_time(now(request)),
        user=user,
        action=action,
        target=target,
        detail={k: v for k, v in detail.items() if v is not None} or None,
        ip=client_ip(request),
    )


def local_time(
    value: str | datetime | None, tz: str = "Asia/Ho_Chi_Minh", fmt: str = "%H:%M %d/%m/%Y"
) -> str:
    """A stored UTC time as local text, '' for None."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return value
        value = parsed
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(ZoneInfo(tz)).strftime(fmt)


def unit_types(request: Request) -> dict[str, str]:
    """Unit name → type ("xã", "phường", "đặc khu") of the province, read once per process."""
    cached = getattr(request.app.state, "admin_unit_types", None)
    if cached is None:
        from bot.store.units import list_units

        province = settings_of(request).province
        cached = {u["name"]: u["unit_type"] for u in list_units(store_of(request), province)}
        if cached:  # an empty table (first start) is read again next time
            request.app.state.admin_unit_types = cached
    return cached


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    officer: Officer | None = None,
    status_code: int = 200,
) -> Response:
    """Render an admin template with the layout's context (officer, nav, CSRF, flash)."""
    runtime = request.app.state.runtime
    tz = runtime.settings.timezone
    ctx: dict[str, Any] = {
        "officer": officer,
        "csrf": officer.session.csrf if officer else "",
        "nav": [(p, label) for p, label, perm in NAV if officer and officer.can(perm)],
        "path": request.url.path,
        "flash": FLASH.get(request.query_params.get("ok", "")),
        "province": runtime.settings.province,
        "demo": runtime.demo,
        "localtime": lambda v, fmt="%H:%M %d/%m/%Y": local_time(v, tz, fmt),
        "unit_types": unit_types(request),
    }
    ctx.update(context or {})
    response = templates.TemplateResponse(request, template, ctx, status_code=status_code)
    # Admin pages hold personal data and one-time passwords: never cache, never frame.
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


def redirect_ok(path: str, key: str) -> Response:
    """A 303 redirect after a successful POST, with a flash key."""
    from fastapi.responses import RedirectResponse

    sep = "&" if "?" in path else "?"
    return RedirectResponse(f"{path}{sep}ok={quote(key)}", status_code=303)
