"""The audit log page (admins only): who did what, when, from where."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from bot.store import admin as admin_store
from bot.web.admin.deps import Officer, render, require, store_of
from bot.web.admin.params import bounded_int

router = APIRouter()

PAGE = 100


@router.get("/audit")
async def audit_page(request: Request, officer: Officer = Depends(require("audit"))) -> Response:
    """The newest entries, filterable by user and action prefix."""
    user = (request.query_params.get("user") or "").strip()[:64] or None
    action = (request.query_params.get("action") or "").strip()[:64] or None
    page = bounded_int(request.query_params.get("page"), 1)
    entries = admin_store.list_audit(
        store_of(request), user=user, action=action, limit=PAGE + 1, offset=(page - 1) * PAGE
    )
    return render(
        request,
        "admin/audit.html",
        {
            "entries": entries[:PAGE],
            "more": len(entries) > PAGE,
            "page": page,
            "user": user or "",
            "action": action or "",
        },
        officer=officer,
    )
