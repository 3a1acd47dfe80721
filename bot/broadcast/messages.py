"""Message versions and approval: draft → pending → approved / rejected → retired.

The four-eyes rule lives here, not in the UI: a version is approved only by an active user
with the approver role who is not its author. Only an approved version can be broadcast;
editing an approved message creates a new draft and leaves the approved one in force
until the new one is approved.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import jinja2

from bot.broadcast.errors import ApprovalError, BroadcastError
from bot.config import Settings
from bot.store import Store
from bot.store import broadcast as db
from bot.store.events import to_db_time
from bot.text import nfc
from bot.users import require_user

KINDS: tuple[str, ...] = ("campaign", "scam_warning")
THEMES: tuple[str, ...] = ("screening", "vneid", "health_book", "scam_warning", "other")
STATES: tuple[str, ...] = ("draft", "pending", "approved", "rejected", "retired")
#: Longest template body accepted; the rendered text plus footer must also fit Zalo's 2,000 characters.
MAX_BODY_CHARS = 1700

_ENV = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=False)


def _now_iso(now: datetime | None) -> str:
    return to_db_time(now or datetime.now(UTC))


def check_template(body: str) -> None:
    """Raise ``BroadcastError`` if ``body`` is empty, too long or not valid Jinja2."""
    if not body.strip():
        raise BroadcastError("message body is empty")
    if len(body) > MAX_BODY_CHARS:
        raise BroadcastError(f"message body has {len(body)} characters; the limit is {MAX_BODY_CHARS} (Zalo)")
    try:
        _ENV.parse(body)
    except jinja2.TemplateSyntaxError as exc:
        raise BroadcastError(f"template error on line {exc.lineno}: {exc.message}") from exc


def template_variables(settings: Settings) -> dict[str, str]:
    """Variables every message may use: province and hotlines from the settings."""
    return {
        "province": settings.province,
        "hotline": settings.health_hotline,
        "health_hotline": settings.health_hotline,
        "vneid_hotline": settings.vneid_hotline,
        "bhxh_hotline": settings.bhxh_hotline,
        "emergency_number": settings.emergency_number,
        "spam_report_number": settings.spam_report_number,
        "local_contact": settings.local_contact,
    }


def render(body: str, variables: dict[str, Any]) -> str:
    """Render a message template; a missing variable is a clear ``BroadcastError``."""
    try:
        text = _ENV.from_string(body).render(**variables)
    except jinja2.UndefinedError as exc:
        raise BroadcastError(f"the message needs a value: {exc.message} (pass --var NAME=VALUE)") from exc
    except jinja2.TemplateError as exc:
        raise BroadcastError(f"cannot render the message: {exc}") from exc
    return nfc(text).strip()


def create_message(
    store: Store,
    *,
    kind: str,
    theme: str,
    title: str,
    body: str,
    author: str,
    slug: str | None = None,
    issuer: str | None = None,
    vars: dict[str, Any] | None = None,
) -> tuple[int, int]:
    """Create a message with a first draft version by ``author`` (an editor); return (message id, version id)."""
    if kind not in KINDS:
        raise BroadcastError(f"unknown kind {kind!r}; use one of {', '.join(KINDS)}")
    if theme not in THEMES:
        raise BroadcastError(f"unknown theme {theme!r}; use one of {', '.join(THEMES)}")
    body = nfc(body).strip()
    check_template(body)
    user = _require_editor(store, author)
    with store.transaction():
        message_id = db.insert_message(store, kind, theme, nfc(title).strip() or "(không tiêu đề)", slug=slug, issuer=issuer)
        version_id = db.insert_version(store, message_id, body, user["name"], vars=vars)
    return message_id, version_id


def _require_editor(store: Store, name: str) -> dict[str, Any]:
    user = require_user(store, name)
    if not ({"editor", "admin"} & set(user["roles"])):
        raise ApprovalError(f"user {name!r} needs the editor role to write messages")
    return user


def _message(store: Store, message_id: int) -> dict[str, Any]:
    msg = db.get_message(store, message_id)
    if msg is None:
        raise BroadcastError(f"no message with id {message_id}")
    return msg


def _latest(store: Store, message_id: int) -> dict[str, Any]:
    _message(store, message_id)
    vid = db.latest_version_id(store, message_id)
    version = db.get_version(store, vid) if vid else None
    if version is None:
        raise BroadcastError(f"message {message_id} has no versions")
    return version


def edit_message(store: Store, message_id: int, body: str, author: str, *, vars: dict[str, Any] | None = None) -> int:
    """Make a new draft version; an approved version stays in force until the new one is approved."""
    body = nfc(body).strip()
    check_template(body)
    user = _require_editor(store, author)
    latest = _latest(store, message_id)
    if latest["state"] in ("draft", "pending"):
        # An unapproved draft is replaced, so approvers never see a stale pending text.
        db.set_version_state(store, latest["id"], "retired", decided_at=_now_iso(None), reason="superseded")
    return db.insert_version(store, message_id, body, user["name"], vars=vars if vars is not None else latest["vars"])


def submit(store: Store, message_id: int, *, now: datetime | None = None) -> int:
    """Send the latest draft for approval (draft → pending); return the version id."""
    version = _latest(store, message_id)
    if version["state"] == "pending":
        return int(version["id"])
    if version["state"] != "draft":
        raise ApprovalError(f"message {message_id} v{version['version']} is {version['state']}, not a draft")
    db.set_version_state(store, version["id"], "pending", submitted_at=_now_iso(now))
    return int(version["id"])


def approve(store: Store, message_id: int, by: str, *, now: datetime | None = None) -> int:
    """Approve the pending version; ``by`` must be an approver other than the author."""
    version = _latest(store, message_id)
    if version["state"] != "pending":
        raise ApprovalError(
            f"message {message_id} v{version['version']} is {version['state']}; submit it first (loa messages submit)"
        )
    approver = require_user(store, by, "approver")
    if approver["name"].casefold() == (version["author"] or "").casefold():
        raise ApprovalError(f"{by} wrote this version and cannot approve it: a second officer must (four-eyes rule)")
    with store.transaction():
        db.set_version_state(store, version["id"], "approved", approver=approver["name"], decided_at=_now_iso(now))
        db.retire_other_approved(store, message_id, version["id"])
    return int(version["id"])


def reject(store: Store, message_id: int, by: str, reason: str, *, now: datetime | None = None) -> int:
    """Reject the pending version with a reason (an approver other than the author)."""
    if not (reason or "").strip():
        raise ApprovalError("give a reason for the rejection (--reason)")
    version = _latest(store, message_id)
    if version["state"] != "pending":
        raise ApprovalError(f"message {message_id} v{version['version']} is {version['state']}, not pending")
    approver = require_user(store, by, "approver")
    if approver["name"].casefold() == (version["author"] or "").casefold():
        raise ApprovalError(f"{by} wrote this version; another approver must decide (four-eyes rule)")
    db.set_version_state(
        store, version["id"], "rejected", approver=approver["name"], reason=nfc(reason).strip(), decided_at=_now_iso(now)
    )
    return int(version["id"])


def retire(store: Store, message_id: int, by: str, *, now: datetime | None = None) -> None:
    """Retire every approved version of a message so it can no longer be broadcast."""
    require_user(store, by)
    for v in db.versions_of(store, message_id):
        if v["state"] in ("approved", "pending", "draft"):
            db.set_version_state(store, v["id"], "retired", decided_at=_now_iso(now), reason=f"retired by {by}")


def approved_version(store: Store, message_id: int) -> dict[str, Any]:
    """The approved version of a message (joined with the message), else ``ApprovalError``."""
    _message(store, message_id)
    vid = db.latest_version_id(store, message_id, "approved")
    if vid is None:
        raise ApprovalError(f"message {message_id} has no approved version; only approved text can be sent")
    version = db.get_version(store, vid)
    assert version is not None
    return version


def message_detail(store: Store, message_id: int) -> dict[str, Any]:
    """A message with all its versions (for `loa messages show`)."""
    msg = _message(store, message_id)
    msg["versions"] = db.versions_of(store, message_id)
    return msg


def list_messages(store: Store) -> list[dict[str, Any]]:
    """Every message with its latest version's number and state."""
    return db.list_messages(store)
