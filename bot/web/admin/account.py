"""An officer's own account: accepting an invitation link and changing one's password.

Passwords are chosen only here, by the officer; the admin issues links, never passwords.
Hashing and checking run on the hashing threads (``run_hashing``): argon2 is slow on
purpose, and the event loop serves residents. Database work stays on the loop's thread.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from bot import invites, users
from bot.store.workers import run_hashing
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
    store_of,
)

router = APIRouter()

MAX_FIELD = 200

FLASH.update(
    {
        "password_set": "Đã đặt mật khẩu. Mời bạn đăng nhập.",
        "password_changed": "Đã đổi mật khẩu. Các phiên đăng nhập khác của bạn đã được đăng xuất.",
    }
)


def _field(form: Any, key: str) -> str:
    return str(form.get(key) or "")[:MAX_FIELD]


def _new_password_problem(password: str, repeat: str, name: str) -> str | None:
    if password != repeat:
        return "Hai lần nhập mật khẩu mới không khớp nhau."
    return users.password_problem(password, name)


def _refused(request: Request, exc: invites.InviteRefused) -> Response:
    status = 404 if exc.reason == "unknown" else 410
    return render(
        request,
        "admin/error.html",
        {"title": "Không dùng được đường link", "message": str(exc)},
        status_code=status,
    )


def _invite_page(request: Request, invite: invites.Invite, *, error: str | None = None, status: int = 200) -> Response:
    ctx = {"invite": invite, "rule": users.password_rule(), "error": error}
    return render(request, "admin/invite.html", ctx, status_code=status)


@router.get("/invite/{token}")
async def invite_form(request: Request, token: str) -> Response:
    """The page behind an invitation link: the officer chooses their password."""
    try:
        invite = invites.open_invite(store_of(request), token, now=now(request))
    except invites.InviteRefused as exc:
        return _refused(request, exc)
    return _invite_page(request, invite)


@router.post("/invite/{token}")
async def invite_accept(request: Request, token: str) -> Response:
    """Set the password once; the link stops working. (The secret link is the form's proof:
    a page that knows it could use it directly, so no CSRF token is needed.)"""
    form = await request.form()
    store = store_of(request)
    try:
        invite = invites.open_invite(store, token, now=now(request))
    except invites.InviteRefused as exc:
        return _refused(request, exc)
    password = _field(form, "password")
    problem = _new_password_problem(password, _field(form, "password2"), invite.user)
    if problem:
        return _invite_page(request, invite, error=problem, status=400)
    password_hash = await run_hashing(None, users.hash_password, password)
    try:
        invites.accept(store, invite, password_hash, now=now(request), ip=client_ip(request))
    except invites.InviteRefused as exc:
        return _refused(request, exc)
    return redirect_ok("/admin/login", "password_set")


def _account_page(request: Request, officer: Officer, *, error: str | None = None, status: int = 200) -> Response:
    ctx = {"rule": users.password_rule(), "error": error}
    return render(request, "admin/account.html", ctx, officer=officer, status_code=status)


@router.get("/account")
async def account_form(request: Request, officer: Officer = Depends(require("dashboard"))) -> Response:
    """The officer's own account: change password."""
    return _account_page(request, officer)


@router.post("/account")
async def change_password(request: Request, officer: Officer = Depends(require("dashboard"))) -> Response:
    """Change one's own password: the current one, then the new one twice."""
    form = await checked_form(request, officer)
    store = store_of(request)
    current, new = _field(form, "current"), _field(form, "password")
    user = users.get_user(store, officer.name) or {}
    if not await run_hashing(None, users.password_matches, user.get("password_hash"), current):
        audit(request, officer.name, "user.password_change_refused", f"user:{officer.name}")
        return _account_page(request, officer, error="Mật khẩu hiện tại không đúng.", status=400)
    problem = _new_password_problem(new, _field(form, "password2"), officer.name)
    if not problem and new == current:
        problem = "Mật khẩu mới cần khác mật khẩu hiện tại."
    if problem:
        return _account_page(request, officer, error=problem, status=400)
    password_hash = await run_hashing(None, users.hash_password, new)
    invites.change_password(
        store, officer.name, password_hash, keep_session=officer.session.id, now=now(request), ip=client_ip(request)
    )
    return redirect_ok("/admin/account", "password_changed")
