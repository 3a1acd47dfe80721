"""Public pages outside the admin: a group head's share pack, and the QR first-visit counter.

``/chia-se/<token>`` needs no account: the token is the credential (personal, revocable,
stored only as a keyed hash). Responses carry the admin's CSP, ``no-store`` and
``Referrer-Policy: no-referrer`` (``bot.web.headers``), so the token never leaks to another site.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from bot.broadcast.broadcasts import delivered_text
from bot.reach import links
from bot.store import reach as reach_db
from bot.store.events import to_db_time
from bot.store.units import list_units
from bot.web.admin.deps import now
from bot.web.limits import loads_bounded
from bot.web.templating import templates

router = APIRouter()


def _gone(request: Request) -> Response:
    return templates.TemplateResponse(
        request,
        "share_public.html",
        {"gone": True, "province": request.app.state.runtime.settings.province},
        status_code=404,
    )


def _page(request: Request, token: str, link: dict[str, Any], *, status_code: int = 200, **extra: Any) -> Response:
    runtime = request.app.state.runtime
    ctx = {
        "link": link,
        "text": delivered_text(link["broadcast"]),
        "code": link["broadcast"]["code"],
        "key": links.form_key(runtime.settings, token),
        "answers": reach_db.shares_of_link(runtime.store, int(link["id"])),
        "province": runtime.settings.province,
        "chat_url": f"{runtime.settings.base_url}/chat",
        **extra,
    }
    return templates.TemplateResponse(request, "share_public.html", ctx, status_code=status_code)


@router.get("/chia-se/{token}")
async def share_page(request: Request, token: str) -> Response:
    """The pack on the group head's phone: text with its code, copy / share, then the question."""
    runtime = request.app.state.runtime
    link = links.open_link(runtime.store, runtime.settings, token)
    if link is None:
        return _gone(request)
    return _page(request, token, link, thanks=request.query_params.get("ok") == "1")


@router.post("/chia-se/{token}")
async def share_answer(request: Request, token: str) -> Response:
    """Log "shared into group X, about N members" against the link."""
    runtime = request.app.state.runtime
    form = await request.form()
    group, members = str(form.get("group") or "")[:200], str(form.get("members") or "")[:20]
    try:
        links.record_share(
            runtime.store, runtime.settings, token, key=str(form.get("key") or ""),
            group_name=group, members=members, now=now(request),
        )
    except links.ShareError as exc:
        link = links.open_link(runtime.store, runtime.settings, token)
        if link is None:
            return _gone(request)
        return _page(request, token, link, status_code=400, error=str(exc), form={"group": group, "members": members})
    return RedirectResponse(f"/chia-se/{token}?ok=1#answer", status_code=303)


@router.post("/api/qr-visit")
async def qr_visit(request: Request) -> Response:
    """Count a first visit from a poster's QR code: body ``{"u": unit name}``; no personal data.

    The chat page posts this once per browser (a localStorage flag, no cookie); only the
    province's exact unit names are counted, anything else is ignored.
    """
    runtime = request.app.state.runtime
    try:
        payload = loads_bounded(await request.body())
    except ValueError:
        return Response(status_code=400)
    unit = payload.get("u") if isinstance(payload, dict) else None
    if not isinstance(unit, str) or not unit.strip() or len(unit) > 80:
        return Response(status_code=400)
    names = {u["name"] for u in list_units(runtime.store, runtime.settings.province)}
    if unit.strip() not in names:
        return Response(status_code=204)
    reach_db.insert_qr_visit(runtime.store, unit.strip(), to_db_time(now(request)))
    return Response(status_code=204)
