"""Reach beyond the bot in the admin: a broadcast's share pack and group heads' links, posters.

The pack is the broadcast's text exactly as delivered (with its verification footer), so a
copy pasted unchanged still verifies. A new link's URL is shown once, on the page that
created it: the store keeps only its keyed hash.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from bot.broadcast import broadcasts as broadcast_lib
from bot.errors import LoaError
from bot.reach import links, poster
from bot.store import reach as reach_db
from bot.store.units import list_units
from bot.web.admin import labels
from bot.web.admin.deps import (
    FLASH,
    Officer,
    audit,
    checked_form,
    now,
    redirect_ok,
    render,
    require,
    settings_of,
    store_of,
)
from bot.web.admin.params import bounded_int

router = APIRouter()
NAV = [("/admin/posters", "Áp phích", "posters")]

FLASH.update({"link_revoked": "Đã thu hồi đường dẫn chia sẻ."})


def _units(request: Request) -> list[str]:
    return [u["name"] for u in list_units(store_of(request), settings_of(request).province)]


def _share_page(
    request: Request, officer: Officer, broadcast_id: int, *, status_code: int = 200, **extra: Any
) -> Response:
    store = store_of(request)
    try:
        row = broadcast_lib.get(store, broadcast_id)
    except LoaError:
        row = None
    if row is None or not row.get("code") or not row.get("text"):
        return render(
            request,
            "admin/error.html",
            {"title": "Không tìm thấy", "message": "Không có đợt gửi đã duyệt này."},
            officer=officer,
            status_code=404,
        )
    ctx = {
        "b": row,
        "text": broadcast_lib.delivered_text(row),
        "links": reach_db.links_of(store, broadcast_id),
        "units": _units(request),
        "chat_url": f"{settings_of(request).base_url}/chat",
        **extra,
    }
    return render(request, "admin/share.html", ctx, officer=officer, status_code=status_code)


@router.get("/broadcasts/{broadcast_id:int}/share")
async def share_page(
    request: Request, broadcast_id: int, officer: Officer = Depends(require("broadcasts.view"))
) -> Response:
    """The share pack: text with its code, copy / share buttons, the group heads' links."""
    return _share_page(request, officer, broadcast_id)


@router.post("/broadcasts/{broadcast_id:int}/share/links")
async def create_link(
    request: Request, broadcast_id: int, officer: Officer = Depends(require("reach.manage"))
) -> Response:
    """A personal link for one group head; its URL is shown once on the page returned."""
    form = await checked_form(request, officer)
    unit, head = str(form.get("unit") or "")[:200], str(form.get("head") or "")[:200]
    if unit.strip() not in _units(request):
        return _share_page(request, officer, broadcast_id, status_code=400,
                           error="Vui lòng chọn xã, phường trong danh sách.", picked={"unit": unit, "head": head})
    try:
        new = links.create_link(
            store_of(request), settings_of(request), broadcast_id=broadcast_id, unit=unit.strip(),
            group_head=head, created_by=officer.name, now=now(request),
        )
    except LoaError as exc:
        return _share_page(request, officer, broadcast_id, status_code=400, error=str(exc),
                           picked={"unit": unit, "head": head})
    audit(request, officer.name, "share_link.create", f"share_link:{new.link_id}", broadcast=broadcast_id, unit=unit)
    return _share_page(request, officer, broadcast_id, new_url=new.url, new_head=head.strip())


@router.post("/share-links/{link_id:int}/revoke")
async def revoke_link(request: Request, link_id: int, officer: Officer = Depends(require("reach.manage"))) -> Response:
    """Revoke a link: the group head's page stops working at once."""
    form = await checked_form(request, officer)
    back = bounded_int(form.get("broadcast"), 0)
    try:
        links.revoke(store_of(request), link_id, by=officer.name, now=now(request))
    except LoaError as exc:
        return _share_page(request, officer, back, status_code=400, error=str(exc))
    audit(request, officer.name, "share_link.revoke", f"share_link:{link_id}")
    return redirect_ok(f"/admin/broadcasts/{back}/share", "link_revoked")


def _posters_page(request: Request, officer: Officer, *, status_code: int = 200, **extra: Any) -> Response:
    ctx = {"units": _units(request), "messages": reach_db.sent_messages(store_of(request)), **extra}
    return render(request, "admin/posters.html", ctx, officer=officer, status_code=status_code)


@router.get("/posters")
async def posters_page(request: Request, officer: Officer = Depends(require("posters"))) -> Response:
    """The poster form: commune, carried message, number of copies."""
    return _posters_page(request, officer, picked={"copies": "1"})


def _today(request: Request) -> date:
    return now(request).astimezone(ZoneInfo(settings_of(request).timezone)).date()


@router.post("/posters")
async def make_poster(request: Request, officer: Officer = Depends(require("posters"))) -> Response:
    """Build the commune's poster, log the copies, and download the PDF."""
    from bot.reach.poster_pdf import render_poster

    form = await checked_form(request, officer)
    picked = {k: str(form.get(k) or "")[:200] for k in ("unit", "message", "copies")}
    message_id = bounded_int(picked["message"], 0) or None
    copies = bounded_int(picked["copies"], 0)
    store, today = store_of(request), _today(request)
    try:
        data = poster.gather(store, settings_of(request), picked["unit"], today=today, message_id=message_id)
        if not 1 <= copies <= poster.MAX_COPIES:
            raise links.ShareError(f"Số bản in cần từ 1 đến {poster.MAX_COPIES}.")
        # Rendering takes a few hundred milliseconds: off the event loop, on plain data.
        pdf = await run_in_threadpool(render_poster, data, today=today)
        poster.log_posters(store, data, copies=copies, source="admin", created_by=officer.name, now=now(request))
    except LoaError as exc:
        return _posters_page(request, officer, status_code=400, error=labels.failure(exc), picked=picked)
    audit(request, officer.name, "poster.create", f"unit:{data.unit}", copies=copies, message=data.message_id)
    filename = f"ap-phich-{data.unit}.pdf"
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f"attachment; filename=\"poster.pdf\"; filename*=UTF-8''{quote(filename)}"},
    )
