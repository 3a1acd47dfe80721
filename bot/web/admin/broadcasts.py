"""Broadcasts: create from an approved message (audience with a live count, now or at a
time), watch progress, pause / resume / cancel. Rules and sending are ``bot.broadcast``'s."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.datastructures import FormData, QueryParams
from starlette.responses import Response

from bot.broadcast import audiences
from bot.broadcast import broadcasts as lib
from bot.broadcast import messages as messages_lib
from bot.broadcast.timing import parse_future_time
from bot.errors import LoaError
from bot.store import admin as admin_store
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
    templates,
)
from bot.web.admin.params import bounded_int

router = APIRouter()
NAV = [("/admin/broadcasts", "Phát tin", "broadcasts.view")]

FLASH.update(
    {
        "created": "Đã tạo đợt gửi.",
        "paused": "Đã tạm dừng đợt gửi.",
        "resumed": "Đã tiếp tục đợt gửi.",
        "resent": "Đã xếp các tin lỗi vào hàng chờ gửi lại.",
        "cancelled": "Đã hủy đợt gửi; các tin chưa gửi được bỏ qua.",
    }
)

MAX_CHOICES = 300


def selectors_from(data: FormData | QueryParams) -> list[str]:
    """The library's selectors for the audience form (nothing ticked = everyone)."""
    out: list[str] = []
    out += [f"channel:{v}" for v in data.getlist("channel")[:5] if isinstance(v, str) and v]
    kinds = [v for v in data.getlist("kind") if v in ("group", "private")]
    out += ["groups" if k == "group" else "private" for k in kinds]
    out += [f"unit:{v}" for v in data.getlist("unit")[:MAX_CHOICES] if isinstance(v, str) and v.strip()]
    out += [f"tag:{v}" for v in data.getlist("tag")[:MAX_CHOICES] if isinstance(v, str) and v.strip()]
    if data.get("priority") == "1":
        out.append("priority-units")
    return out or ["all"]


def approved_messages(request: Request) -> list[dict[str, Any]]:
    """Messages that have an approved version (the only ones that can be sent)."""
    store = store_of(request)
    out = []
    for row in messages_lib.list_messages(store):
        try:
            version = messages_lib.approved_version(store, int(row["id"]))
        except LoaError:
            continue
        out.append({**row, "approved": version})
    return out


def _picked(form: FormData | None) -> dict[str, list[str]]:
    """The submitted choices, to tick them again when the form is shown with an error."""
    if form is None:
        return {}
    keys = ("channel", "kind", "unit", "tag", "priority", "when", "at", "vars")
    return {k: [str(v) for v in form.getlist(k)] for k in keys}


def _form_context(request: Request, form: FormData | None = None, **extra: Any) -> dict[str, Any]:
    store, settings = store_of(request), settings_of(request)
    # Only tags a selector can match (the library normalises ``tag:`` values).
    used = [t for t in admin_store.chat_tags(store) if t == audiences.normalize_tag(t)]
    tags = list(dict.fromkeys([*audiences.PRIORITY_TAGS, *used]))
    return {
        "messages": approved_messages(request),
        "units": [u["name"] for u in list_units(store, settings.province)],
        "chat_units": admin_store.chat_units(store),
        "tags": tags,
        "L": labels,
        "picked": _picked(form),
        "c": _count(request, selectors_from(form) if form is not None else ["all"]),
        **extra,
    }


def _count(request: Request, selectors: list[str]) -> dict[str, Any]:
    store, settings = store_of(request), settings_of(request)
    try:
        audience = audiences.parse_selectors(store, selectors, province=settings.province)
        return {
            "ok": True,
            **audiences.preview(store, audience, province=settings.province),
            "selectors": selectors,
        }
    except LoaError as exc:
        return {"ok": False, "error": exc.vi, "selectors": selectors}


@router.get("/broadcasts")
async def list_page(request: Request, officer: Officer = Depends(require("broadcasts.view"))) -> Response:
    """Recent broadcasts with their delivery counts."""
    rows = lib.list_recent(store_of(request), limit=50)
    return render(request, "admin/broadcasts.html", {"rows": rows, "L": labels}, officer=officer)


@router.get("/broadcasts/count")
async def count_fragment(
    request: Request, officer: Officer = Depends(require("broadcasts.manage"))
) -> Response:
    """How many chats the ticked audience reaches now (fragment for the live count)."""
    c = _count(request, selectors_from(request.query_params))
    return templates.TemplateResponse(request, "admin/_audience_count.html", {"c": c, "L": labels})


@router.get("/broadcasts/new")
async def new_form(request: Request, officer: Officer = Depends(require("broadcasts.manage"))) -> Response:
    """The broadcast form: approved message, audience, time."""
    chosen = bounded_int(request.query_params.get("message"), 0)
    ctx = _form_context(request, chosen=chosen)
    return render(request, "admin/broadcast_form.html", ctx, officer=officer)


def _variables(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in text.splitlines()[:50]:
        key, sep, value = line.partition("=")
        if sep and key.strip():
            out[key.strip()[:64]] = value.strip()[:500]
    return out


@router.post("/broadcasts/new")
async def create(request: Request, officer: Officer = Depends(require("broadcasts.manage"))) -> Response:
    """Create the broadcast through the library (which checks approval, audience and length)."""
    form = await checked_form(request, officer)
    store, settings = store_of(request), settings_of(request)
    selectors = selectors_from(form)
    message_id = bounded_int(form.get("message"), 0)
    try:
        at = None
        if form.get("when") == "at":
            at = parse_future_time(str(form.get("at") or ""), settings, now(request))
        broadcast_id = lib.create_broadcast(
            store,
            settings,
            message_id=message_id,
            selectors=selectors,
            created_by=officer.name,
            at=at,
            variables=_variables(str(form.get("vars") or "")),
            now=now(request),
        )
    except LoaError as exc:
        ctx = _form_context(request, form, chosen=message_id, error=labels.failure(exc))
        return render(request, "admin/broadcast_form.html", ctx, officer=officer, status_code=400)
    audit(
        request,
        officer.name,
        "broadcast.create",
        f"broadcast:{broadcast_id}",
        message=message_id,
        selectors=" ".join(selectors),
        at=form.get("at") if at else "now",
    )
    return redirect_ok(f"/admin/broadcasts/{broadcast_id}", "created")


def _status(request: Request, broadcast_id: int) -> dict[str, Any] | None:
    try:
        row = lib.get(store_of(request), broadcast_id)
        st = lib.status(store_of(request), broadcast_id)
    except LoaError:
        return None
    counts = st["counts"]
    done = counts["sent"] + counts["failed"] + counts["skipped"]
    st["pct"] = round(100 * done / counts["total"]) if counts["total"] else 0
    st["text"] = lib.delivered_text(row)
    settings = settings_of(request)
    # Without any channel the sender never expands the broadcast: say so instead of "0/0".
    st["no_channel"] = not (settings.telegram_token or settings.zalo_token)
    return st


def _not_found(request: Request, officer: Officer) -> Response:
    return render(
        request,
        "admin/error.html",
        {"title": "Không tìm thấy", "message": "Không có đợt gửi này."},
        officer=officer,
        status_code=404,
    )


@router.get("/broadcasts/{broadcast_id:int}")
async def detail(
    request: Request, broadcast_id: int, officer: Officer = Depends(require("broadcasts.view"))
) -> Response:
    """One broadcast: text as delivered, audience, progress and the actions."""
    st = _status(request, broadcast_id)
    if st is None:
        return _not_found(request, officer)
    return render(request, "admin/broadcast.html", {"b": st, "L": labels}, officer=officer)


@router.get("/broadcasts/{broadcast_id:int}/progress")
async def progress(
    request: Request, broadcast_id: int, officer: Officer = Depends(require("broadcasts.view"))
) -> Response:
    """The progress block alone (polled while sending)."""
    st = _status(request, broadcast_id)
    if st is None:
        return Response("", status_code=404)
    return templates.TemplateResponse(request, "admin/_progress.html", {"b": st, "L": labels})


async def _act(request: Request, broadcast_id: int, officer: Officer, action: str) -> Response:
    await checked_form(request, officer)
    store = store_of(request)
    if _status(request, broadcast_id) is None:
        return _not_found(request, officer)
    try:
        if action == "pause":
            lib.pause(store, broadcast_id)
        elif action == "resume":
            lib.resume(store, broadcast_id)
        elif action == "resend":
            skipped = lib.resend_failed(store, broadcast_id)
        else:
            skipped = lib.cancel(store, broadcast_id, now=now(request))
    except LoaError as exc:
        st = _status(request, broadcast_id)
        return render(
            request,
            "admin/broadcast.html",
            {"b": st, "L": labels, "error": labels.failure(exc)},
            officer=officer,
            status_code=400,
        )
    detail = {"count": skipped} if action in ("cancel", "resend") else {}
    audit(request, officer.name, f"broadcast.{action}", f"broadcast:{broadcast_id}", **detail)
    key = {"pause": "paused", "resume": "resumed", "cancel": "cancelled", "resend": "resent"}[action]
    return redirect_ok(f"/admin/broadcasts/{broadcast_id}", key)


@router.post("/broadcasts/{broadcast_id:int}/resend")
async def resend(
    request: Request, broadcast_id: int, officer: Officer = Depends(require("broadcasts.manage"))
) -> Response:
    """Queue the failed deliveries again (not chats that blocked or left)."""
    return await _act(request, broadcast_id, officer, "resend")


@router.post("/broadcasts/{broadcast_id:int}/pause")
async def pause(
    request: Request, broadcast_id: int, officer: Officer = Depends(require("broadcasts.manage"))
) -> Response:
    """Pause: no new rows are claimed."""
    return await _act(request, broadcast_id, officer, "pause")


@router.post("/broadcasts/{broadcast_id:int}/resume")
async def resume(
    request: Request, broadcast_id: int, officer: Officer = Depends(require("broadcasts.manage"))
) -> Response:
    """Continue a paused broadcast."""
    return await _act(request, broadcast_id, officer, "resume")


@router.post("/broadcasts/{broadcast_id:int}/cancel")
async def cancel(
    request: Request, broadcast_id: int, officer: Officer = Depends(require("broadcasts.manage"))
) -> Response:
    """Cancel: queued rows are skipped."""
    return await _act(request, broadcast_id, officer, "cancel")
