"""Chats and groups: filter, see opted-out and inactive ones, assign unit and tags in bulk."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from bot.broadcast.audiences import PRIORITY_TAGS, normalize_tag
from bot.store import admin as admin_store
from bot.store.chats import set_unit_and_tags
from bot.store.units import list_units
from bot.web.admin import labels
from bot.web.admin.deps import (
    FLASH,
    Officer,
    audit,
    checked_form,
    redirect_ok,
    render,
    require,
    settings_of,
    store_of,
)
from bot.web.admin.params import bounded_int

router = APIRouter()
NAV = [("/admin/chats", "Nhóm & người nhận", "chats.view")]

FLASH.update(
    {
        "chats_updated": "Đã cập nhật các nhóm đã chọn.",
        "guard_on": "Đã bật cảnh báo lừa đảo cho nhóm.",
        "guard_off": "Đã tắt cảnh báo lừa đảo cho nhóm.",
    }
)

PAGE = 100
MAX_BULK = 1000
STATUSES = {
    "active": "Đang hoạt động",
    "inactive": "Không còn nhận được",
    "left": "Bot đã rời",
    "opted_out": "Đã hủy nhận tin",
}


FILTER_KEYS = ("channel", "kind", "unit", "tag", "status", "q")


def _filters(request: Request) -> dict[str, str]:
    q = request.query_params
    return {k: (q.get(k) or "").strip()[:100] for k in FILTER_KEYS}


def _page(
    request: Request, officer: Officer, *, error: str | None = None, status_code: int = 200
) -> Response:
    store, settings = store_of(request), settings_of(request)
    f = _filters(request)
    page = bounded_int(request.query_params.get("page"), 1)
    rows, total = admin_store.list_chats(
        store,
        channel=f["channel"] or None,
        kind=f["kind"] or None,
        unit=f["unit"] or None,
        tag=f["tag"] or None,
        status=f["status"] or None,
        search=f["q"] or None,
        limit=PAGE,
        offset=(page - 1) * PAGE,
    )
    tags = list(dict.fromkeys([*PRIORITY_TAGS, *admin_store.chat_tags(store)]))
    ctx: dict[str, Any] = {
        "rows": rows,
        "total": total,
        "page": page,
        "more": page * PAGE < total,
        "f": f,
        "units": [u["name"] for u in list_units(store, settings.province)],
        "chat_units": admin_store.chat_units(store),
        "tags": tags,
        "add_tags": [t for t in tags if t == normalize_tag(t)],
        "statuses": STATUSES,
        "L": labels,
        "error": error,
        "query": str(request.url.query),
        "guarded": _guarded(request, rows),
    }
    return render(request, "admin/chats.html", ctx, officer=officer, status_code=status_code)


def _chat_ref(request: Request, channel: str, chat_id: str) -> str:
    """The keyed hash the dialog uses for a chat (the scam guard is stored under it)."""
    from bot.privacy import keyed_hash

    return keyed_hash(settings_of(request).secret(), "chat", channel, chat_id)


def _guarded(request: Request, rows: list[dict[str, Any]]) -> set[int]:
    """Ids of the listed groups whose scam guard is on."""
    from bot.store.scam import guard_enabled

    store = store_of(request)
    return {
        int(r["id"])
        for r in rows
        if r.get("kind") == "group" and guard_enabled(store, _chat_ref(request, r["channel"], r["chat_id"]))
    }


@router.post("/chats/{row_id:int}/guard")
async def guard(request: Request, row_id: int, officer: Officer = Depends(require("chats.edit"))) -> Response:
    """Switch a group's scam guard on or off for it (Zalo groups cannot switch it themselves)."""
    from bot.store.scam import set_guard
    from bot.web.admin.deps import now

    form = await checked_form(request, officer)
    on = form.get("guard") == "on"
    rows = admin_store.chats_by_ids(store_of(request), [row_id])
    if not rows or rows[0].get("kind") != "group":
        return _page(request, officer, error="Chỉ bật cảnh báo lừa đảo được cho một nhóm.", status_code=400)
    chat = rows[0]
    ref = _chat_ref(request, chat["channel"], chat["chat_id"])
    set_guard(store_of(request), ref, chat["channel"], on, by=officer.name, at=now(request))
    audit(request, officer.name, "chat.scam_guard", f"chat:{chat['channel']}:{chat['chat_id']}", enabled=on)
    back = "/admin/chats" + (f"?{request.url.query}" if request.url.query else "")
    return redirect_ok(back, "guard_on" if on else "guard_off")


@router.get("/chats")
async def chats_page(request: Request, officer: Officer = Depends(require("chats.view"))) -> Response:
    """Chats with filters; opted-out and inactive ones are listed and marked."""
    return _page(request, officer)


@router.post("/chats/bulk")
async def bulk(request: Request, officer: Officer = Depends(require("chats.edit"))) -> Response:
    """Set the unit and add / remove tags of the ticked chats."""
    form = await checked_form(request, officer)
    store, settings = store_of(request), settings_of(request)
    kept = [(k, v) for k, v in parse_qsl(str(form.get("back") or "")) if k in FILTER_KEYS or k == "page"]
    back = "/admin/chats" + (f"?{urlencode(kept)}" if kept else "")
    ids = sorted({n for v in form.getlist("id") if (n := bounded_int(v, 0))})[:MAX_BULK]
    unit = str(form.get("unit") or "").strip()
    add = {normalize_tag(str(t)) for t in form.getlist("add_tag")}
    add |= {normalize_tag(t) for t in str(form.get("new_tags") or "").split(",")}
    # Removal takes the tags exactly as stored (older imports may hold un-normalised ones).
    remove = {str(t).strip() for t in form.getlist("remove_tag")}
    add, remove = {t for t in add if t}, {t for t in remove if t}
    units = {u["name"] for u in list_units(store, settings.province)}
    if not ids:
        return _page(request, officer, error="Chưa chọn nhóm nào.", status_code=400)
    if unit and unit != "-" and unit not in units:
        return _page(request, officer, error="Xã/phường không có trong danh sách.", status_code=400)
    if not unit and not add and not remove:
        return _page(request, officer, error="Chưa chọn thay đổi nào (xã/phường hoặc thẻ).", status_code=400)
    chats = admin_store.chats_by_ids(store, ids)
    with store.transaction():
        for chat in chats:
            tags = (set(chat["tags"]) | add) - remove
            set_unit_and_tags(
                store,
                chat["channel"],
                chat["chat_id"],
                unit=("" if unit == "-" else unit) if unit else None,
                tags=sorted(tags) if (add or remove) else None,
            )
    audit(
        request,
        officer.name,
        "chats.bulk",
        f"chats:{len(chats)}",
        ids=",".join(str(c["id"]) for c in chats)[:500],
        unit=unit or None,
        add=",".join(sorted(add)) or None,
        remove=",".join(sorted(remove)) or None,
    )
    return redirect_ok(back, "chats_updated")
