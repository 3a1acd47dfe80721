"""Users (admins only): add officers, change roles, reset passwords, deactivate.

Adding or resetting an account gives the admin an invitation link to pass on, never a
password (``bot.invites``). Rules (names, roles, hashing) are ``bot.users``'."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from bot import invites, users
from bot.errors import LoaError
from bot.store import admin as admin_store
from bot.web.admin import labels
from bot.web.admin.deps import (
    FLASH,
    Officer,
    audit,
    checked_form,
    client_ip,
    now,
    redirect_ok,
    render,
    require,
    settings_of,
    store_of,
)

router = APIRouter()
NAV = [("/admin/users", "Người dùng", "users")]

FLASH.update(
    {
        "roles_saved": "Đã lưu vai trò.",
        "deactivated": "Đã khóa tài khoản.",
        "activated": "Đã mở khóa tài khoản.",
    }
)


def _page(request: Request, officer: Officer, **extra: Any) -> Response:
    status_code = int(extra.pop("status_code", 200))
    store = store_of(request)
    ctx = {
        "rows": users.list_users(store),
        "roles": labels.ROLES,
        "invited": invites.open_invites(store, now=now(request)),
        **extra,
    }
    return render(request, "admin/users.html", ctx, officer=officer, status_code=status_code)


def _roles(form: Any) -> list[str]:
    return [str(r) for r in form.getlist("role") if str(r) in users.ROLES]


@router.get("/users")
async def users_page(request: Request, officer: Officer = Depends(require("users"))) -> Response:
    """Every officer with roles and state."""
    return _page(request, officer)


@router.post("/users")
async def add(request: Request, officer: Officer = Depends(require("users"))) -> Response:
    """Create an officer; their invitation link is shown once, on this page only."""
    form = await checked_form(request, officer)
    name = str(form.get("name") or "").strip()[:64]
    try:
        token = invites.create_account(
            store_of(request), name, _roles(form), by=officer.name, now=now(request), ip=client_ip(request)
        )
    except LoaError as exc:
        return _page(request, officer, error=labels.failure(exc), status_code=400)
    return _page(request, officer, invited_now=(name, invites.invite_link(settings_of(request), token)))


@router.post("/users/{name}/roles")
async def set_roles(request: Request, name: str, officer: Officer = Depends(require("users"))) -> Response:
    """Replace an officer's roles (an admin cannot drop their own admin role)."""
    form = await checked_form(request, officer)
    roles = _roles(form)
    try:
        if name.casefold() == officer.name.casefold() and "admin" not in roles:
            raise LoaError(
                "you cannot remove your own admin role; ask another admin",
                vi="Bạn không tự bỏ vai trò Quản trị của mình được; nhờ một quản trị viên khác.",
            )
        before = users.require_user(store_of(request), name)
        users.set_roles(store_of(request), name, roles)
    except LoaError as exc:
        return _page(request, officer, error=labels.failure(exc), status_code=400)
    audit(
        request,
        officer.name,
        "user.roles",
        f"user:{before['name']}",
        roles=",".join(roles),
        before=",".join(before["roles"]),
    )
    return redirect_ok("/admin/users", "roles_saved")


@router.post("/users/{name}/password")
async def reset_password(
    request: Request, name: str, officer: Officer = Depends(require("users"))
) -> Response:
    """Remove an officer's password and give them a new invitation link (their sessions end)."""
    await checked_form(request, officer)
    store = store_of(request)
    try:
        if name.casefold() == officer.name.casefold():
            raise LoaError(
                "change your own password on the Tài khoản page (/admin/account)",
                vi="Đổi mật khẩu của chính bạn ở trang Tài khoản.",
            )
        token = invites.reset_account(store, name, by=officer.name, now=now(request), ip=client_ip(request))
    except LoaError as exc:
        return _page(request, officer, error=labels.failure(exc), status_code=400)
    user = users.get_user(store, name) or {"name": name}
    return _page(request, officer, invited_now=(user["name"], invites.invite_link(settings_of(request), token)))


@router.post("/users/{name}/active")
async def set_active(request: Request, name: str, officer: Officer = Depends(require("users"))) -> Response:
    """Lock (or unlock) an account; locking ends its sessions at once."""
    form = await checked_form(request, officer)
    active = form.get("active") == "1"
    store = store_of(request)
    try:
        if not active and name.casefold() == officer.name.casefold():
            raise LoaError("you cannot lock your own account", vi="Bạn không tự khóa tài khoản của mình được.")
        users.set_active(store, name, active)
    except LoaError as exc:
        return _page(request, officer, error=labels.failure(exc), status_code=400)
    if not active:
        admin_store.delete_user_sessions(store, (users.get_user(store, name) or {"name": name})["name"])
    audit(request, officer.name, "user.activate" if active else "user.deactivate", f"user:{name}")
    return redirect_ok("/admin/users", "activated" if active else "deactivated")
