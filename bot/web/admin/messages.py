"""Messages: list by state, draft / edit with per-channel preview, submit, approve / reject.

Every rule (who may write, the four-eyes approval, valid templates, lengths) is the
library's (``bot.broadcast.messages``); this page shows it and reports its refusals.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from bot.broadcast import messages as lib
from bot.broadcast.broadcasts import MAX_SENT_CHARS, default_issuer
from bot.broadcast.codes import with_footer
from bot.channels.split import TELEGRAM_LIMIT, ZALO_LIMIT, utf16_len
from bot.errors import LoaError
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

router = APIRouter()
NAV = [("/admin/messages", "Tin nhắn", "messages.view")]

FLASH.update(
    {
        "created": "Đã lưu bản nháp.",
        "edited": "Đã lưu bản nháp mới.",
        "submitted": "Đã gửi đi chờ duyệt.",
        "approved": "Đã duyệt tin. Có thể tạo đợt gửi.",
        "rejected": "Đã từ chối, kèm lý do.",
        "retired": "Đã ngừng dùng tin này: không thể gửi nữa.",
    }
)

def preview(request: Request, body: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    """How ``body`` will look on each channel, with its lengths and warnings (never raises).

    The body is officer text: it is checked and rendered only by the library's sandbox, and
    reaches the page template as data (autoescaped), never as template source.
    """
    settings = settings_of(request)
    out: dict[str, Any] = {"error": None, "text": "", "warnings": [], "body_chars": len(body)}
    try:
        lib.check_template(body, variables)
        text = lib.shown_text(settings, body, variables)
    except LoaError as exc:
        out["error"] = exc.vi
        return out
    full = with_footer(text, settings.code_prefix + "-XXXXXX", default_issuer(settings))
    out["text"] = full
    out["zalo_chars"] = len(full)
    out["telegram_units"] = utf16_len(full)
    out["zalo_limit"], out["telegram_limit"], out["max_chars"] = ZALO_LIMIT, TELEGRAM_LIMIT, MAX_SENT_CHARS
    if len(full) > MAX_SENT_CHARS:
        out["warnings"].append(f"Quá dài: {len(full)} ký tự kèm chân tin, Zalo chỉ nhận {MAX_SENT_CHARS}.")
    elif len(full) > 0.8 * MAX_SENT_CHARS:
        out["warnings"].append(f"Gần giới hạn: {len(full)}/{MAX_SENT_CHARS} ký tự (Zalo). Nên rút gọn.")
    if len(text) > 600:
        out["warnings"].append("Tin dài hơn 600 ký tự: người cao tuổi đọc trên điện thoại sẽ khó theo dõi.")
    return out


def _form_context(request: Request, declared: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "kinds": labels.KINDS,
        "themes": labels.THEMES,
        "max_body": lib.MAX_BODY_CHARS,
        "variables": lib.allowed_variables(declared),
        **extra,
    }


@router.get("/messages")
async def list_page(request: Request, officer: Officer = Depends(require("messages.view"))) -> Response:
    """Messages grouped by the state of their latest version."""
    state = request.query_params.get("state") or ""
    rows = lib.list_messages(store_of(request))
    counts: dict[str, int] = {}
    for r in rows:
        counts[r.get("state") or ""] = counts.get(r.get("state") or "", 0) + 1
    if state:
        rows = [r for r in rows if r.get("state") == state]
    rows.sort(key=lambda r: (r.get("state") != "pending", -int(r["id"])))
    return render(
        request,
        "admin/messages.html",
        {"rows": rows, "state": state, "counts": counts, "L": labels},
        officer=officer,
    )


@router.post("/messages/preview")
async def preview_fragment(
    request: Request, officer: Officer = Depends(require("messages.view"))
) -> Response:
    """The per-channel preview of a body (fragment for the live preview on the edit form).

    A POST with the session's CSRF token: officer-supplied text is never rendered from a GET
    that another site could make a signed-in officer's browser send.
    """
    form = await checked_form(request, officer)
    body = str(form.get("body") or "")[: lib.MAX_BODY_CHARS * 2]
    raw_id = str(form.get("message_id") or "")
    msg = _detail(request, int(raw_id)) if raw_id.isdigit() and len(raw_id) < 12 else None
    declared = msg["latest"]["vars"] if msg and msg["latest"] else None  # a library message's own variables
    response = templates.TemplateResponse(
        request, "admin/_preview.html", {"p": preview(request, body, declared)}, media_type="text/html"
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/messages/new")
async def new_form(request: Request, officer: Officer = Depends(require("messages.edit"))) -> Response:
    """An empty draft form."""
    ctx = _form_context(
        request, msg=None, form={"kind": "campaign", "theme": "screening", "title": "", "body": ""}
    )
    ctx["p"] = None
    return render(request, "admin/message_form.html", ctx, officer=officer)


@router.post("/messages/new")
async def create(request: Request, officer: Officer = Depends(require("messages.edit"))) -> Response:
    """Create a message (first draft), optionally submitting it at once."""
    form = await checked_form(request, officer)
    data = {k: str(form.get(k) or "") for k in ("kind", "theme", "title", "body")}
    store = store_of(request)
    try:
        message_id, version_id = lib.create_message(
            store,
            kind=data["kind"],
            theme=data["theme"],
            title=data["title"][:200],
            body=data["body"],
            author=officer.name,
        )
        audit(request, officer.name, "message.create", f"message:{message_id}", version=version_id)
        if form.get("action") == "submit":
            lib.submit(store, message_id, now=now(request))
            audit(request, officer.name, "message.submit", f"message:{message_id}", version=version_id)
            return redirect_ok(f"/admin/messages/{message_id}", "submitted")
    except LoaError as exc:
        ctx = _form_context(
            request, msg=None, form=data, error=labels.failure(exc), p=preview(request, data["body"])
        )
        return render(request, "admin/message_form.html", ctx, officer=officer, status_code=400)
    return redirect_ok(f"/admin/messages/{message_id}", "created")


def _detail(request: Request, message_id: int) -> dict[str, Any] | None:
    try:
        msg = lib.message_detail(store_of(request), message_id)
    except LoaError:
        return None
    for v in msg["versions"]:
        v["vars"] = json.loads(v.get("vars") or "{}")
    msg["latest"] = msg["versions"][-1] if msg["versions"] else None
    approved = [v for v in msg["versions"] if v["state"] == "approved"]
    msg["approved"] = approved[-1] if approved else None
    return msg


def _not_found(request: Request, officer: Officer) -> Response:
    return render(
        request,
        "admin/error.html",
        {"title": "Không tìm thấy", "message": "Không có tin nhắn này."},
        officer=officer,
        status_code=404,
    )


def _detail_page(
    request: Request, officer: Officer, msg: dict[str, Any], *, error: str | None = None
) -> Response:
    latest = msg["latest"]
    p = preview(request, latest["body"], latest["vars"]) if latest else None
    seen: lib.Review | None = None
    if p is not None and not p["error"]:
        # The approve / reject forms name this version and the hash of exactly the text shown.
        seen = lib.review(store_of(request), settings_of(request), int(msg["id"]))
        seen = seen if seen.text_hash else None
    own = bool(latest) and (latest["author"] or "").casefold() == officer.name.casefold()
    status = 400 if error else 200
    return render(
        request,
        "admin/message.html",
        {"msg": msg, "latest": latest, "p": p, "seen": seen, "own": own, "L": labels, "error": error},
        officer=officer,
        status_code=status,
    )


@router.get("/messages/{message_id:int}")
async def detail(
    request: Request, message_id: int, officer: Officer = Depends(require("messages.view"))
) -> Response:
    """One message: its versions, the preview, and the actions the officer may take."""
    msg = _detail(request, message_id)
    if msg is None:
        return _not_found(request, officer)
    return _detail_page(request, officer, msg)


@router.get("/messages/{message_id:int}/edit")
async def edit_form(
    request: Request, message_id: int, officer: Officer = Depends(require("messages.edit"))
) -> Response:
    """The draft form filled with the latest text."""
    msg = _detail(request, message_id)
    if msg is None or msg["latest"] is None:
        return _not_found(request, officer)
    form = {"kind": msg["kind"], "theme": msg["theme"], "title": msg["title"], "body": msg["latest"]["body"]}
    declared = msg["latest"]["vars"]
    ctx = _form_context(request, declared, msg=msg, form=form, p=preview(request, form["body"], declared))
    return render(request, "admin/message_form.html", ctx, officer=officer)


@router.post("/messages/{message_id:int}/edit")
async def edit(
    request: Request, message_id: int, officer: Officer = Depends(require("messages.edit"))
) -> Response:
    """Save a new draft version (and optionally submit it)."""
    form = await checked_form(request, officer)
    msg = _detail(request, message_id)
    if msg is None:
        return _not_found(request, officer)
    body = str(form.get("body") or "")
    store = store_of(request)
    try:
        version_id = lib.edit_message(store, message_id, body, officer.name)
        audit(request, officer.name, "message.edit", f"message:{message_id}", version=version_id)
        if form.get("action") == "submit":
            lib.submit(store, message_id, now=now(request))
            audit(request, officer.name, "message.submit", f"message:{message_id}", version=version_id)
            return redirect_ok(f"/admin/messages/{message_id}", "submitted")
    except LoaError as exc:
        data = {"kind": msg["kind"], "theme": msg["theme"], "title": msg["title"], "body": body}
        declared = msg["latest"]["vars"] if msg["latest"] else {}
        ctx = _form_context(
            request, declared, msg=msg, form=data, error=labels.failure(exc), p=preview(request, body, declared)
        )
        return render(request, "admin/message_form.html", ctx, officer=officer, status_code=400)
    return redirect_ok(f"/admin/messages/{message_id}", "edited")


def _seen(form: Any) -> tuple[int | None, str]:
    """The version id and text hash an approve / reject form names (what the approver saw)."""
    raw = str(form.get("version_id") or "")
    return (int(raw) if raw.isdigit() and len(raw) < 12 else -1), str(form.get("text_hash") or "")[:64]


async def _decide(request: Request, message_id: int, officer: Officer, action: str) -> Response:
    form = await checked_form(request, officer)
    msg = _detail(request, message_id)
    if msg is None:
        return _not_found(request, officer)
    store, settings, at = store_of(request), settings_of(request), now(request)
    reason = str(form.get("reason") or "").strip()[:1000]
    text_hash: str | None = None
    try:
        if action == "submit":
            version_id: int | None = lib.submit(store, message_id, now=at)
        elif action == "retire":
            lib.retire(store, message_id, officer.name, now=at)
            version_id = None
        else:
            named, given = _seen(form)
            if action == "approve":
                seen = lib.approve(store, settings, message_id, officer.name, version_id=named, text_hash=given, now=at)
            else:  # a text that cannot be shown (no hash) can still be rejected
                seen = lib.reject(
                    store, settings, message_id, officer.name, reason, version_id=named, text_hash=given or None, now=at
                )
            version_id, text_hash = seen.version_id, seen.text_hash
    except LoaError as exc:
        audit(request, officer.name, f"message.{action}.refused", f"message:{message_id}", error=str(exc))
        return _detail_page(request, officer, _detail(request, message_id) or msg, error=labels.failure(exc))
    audit(
        request,
        officer.name,
        f"message.{action}",
        f"message:{message_id}",
        version=version_id,
        text_sha256=text_hash,
        reason=reason or None,
    )
    key = {"submit": "submitted", "retire": "retired"}.get(action, action + "d")
    return redirect_ok(f"/admin/messages/{message_id}", key)


@router.post("/messages/{message_id:int}/submit")
async def submit(
    request: Request, message_id: int, officer: Officer = Depends(require("messages.edit"))
) -> Response:
    """Send the latest draft for approval."""
    return await _decide(request, message_id, officer, "submit")


@router.post("/messages/{message_id:int}/approve")
async def approve(
    request: Request, message_id: int, officer: Officer = Depends(require("messages.decide"))
) -> Response:
    """Approve the pending version (the library refuses the author: four-eyes rule)."""
    return await _decide(request, message_id, officer, "approve")


@router.post("/messages/{message_id:int}/reject")
async def reject(
    request: Request, message_id: int, officer: Officer = Depends(require("messages.decide"))
) -> Response:
    """Reject the pending version with a reason."""
    return await _decide(request, message_id, officer, "reject")


@router.post("/messages/{message_id:int}/retire")
async def retire(
    request: Request, message_id: int, officer: Officer = Depends(require("messages.edit"))
) -> Response:
    """Retire every version so the message can no longer be broadcast."""
    return await _decide(request, message_id, officer, "retire")
