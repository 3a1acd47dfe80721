"""Message versions and approval: draft → pending → approved / rejected → retired.

The four-eyes rule lives here, not in the UI: a version is approved only by an active user
with the approver role who is not its author. Only an approved version can be broadcast;
editing an approved message creates a new draft and leaves the approved one in force
until the new one is approved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot import templating
from bot.broadcast.errors import ApprovalError, BroadcastError
from bot.config import Settings
from bot.roles import ADMIN, APPROVER, EDITOR
from bot.store import Store
from bot.store import broadcast as db
from bot.store.events import to_db_time
from bot.text import nfc
from bot.users import require_user

KINDS: tuple[str, ...] = ("campaign", "scam_warning")
THEMES: tuple[str, ...] = ("screening", "vneid", "health_book", "scam_warning", "other")
#: Longest template body accepted; the rendered text plus footer must also fit Zalo's 2,000 characters.
MAX_BODY_CHARS = 1700
#: Shown when the version an approver names is no longer the one waiting for approval.
CHANGED = "Nội dung đã thay đổi sau khi bạn mở; hãy xem lại bản mới"


def _now_iso(now: datetime | None) -> str:
    return to_db_time(now or datetime.now(UTC))


def allowed_variables(declared: dict[str, Any] | None = None) -> list[str]:
    """Variables a message may use: the shared list plus those its file declares with a default."""
    return sorted({*templating.VARIABLES, *(declared or {})})


def check_template(body: str, declared: dict[str, Any] | None = None) -> None:
    """Raise ``BroadcastError`` if ``body`` is empty, too long, not valid, uses anything but
    ``{{ name }}`` with filters, or names a variable that does not exist (Vietnamese message)."""
    if not body.strip():
        raise BroadcastError("message body is empty", vi="Nội dung tin đang trống: hãy viết nội dung.")
    if len(body) > MAX_BODY_CHARS:
        raise BroadcastError(
            f"message body has {len(body)} characters; the limit is {MAX_BODY_CHARS} (Zalo)",
            vi=f"Nội dung dài {len(body)} ký tự; Zalo chỉ nhận tối đa {MAX_BODY_CHARS} ký tự.",
        )
    try:
        templating.check(body, allowed_variables(declared))
    except templating.TemplateRefused as exc:
        raise BroadcastError(str(exc), vi=exc.vi) from exc


def template_variables(settings: Settings) -> dict[str, str]:
    """Values every message may use that come from the settings: province and hotlines."""
    return templating.settings_values(settings, templating.VARIABLES)


def render(body: str, variables: dict[str, Any]) -> str:
    """Render a message template in the sandbox; a missing value is a clear ``BroadcastError``."""
    try:
        return templating.render(body, variables)
    except templating.TemplateRefused as exc:
        raise BroadcastError(str(exc), vi=exc.vi) from exc


def shown_text(settings: Settings, body: str, variables: dict[str, Any] | None = None) -> str:
    """The text officers see in a preview: send-time values as placeholders ("[xã/phường]")."""
    values = {
        "commune": templating.PLACEHOLDERS["commune"],
        **template_variables(settings),
        **(variables or {}),
    }
    try:
        return templating.render(body, values, preview=True)
    except templating.TemplateRefused as exc:
        raise BroadcastError(str(exc), vi=exc.vi) from exc


@dataclass(frozen=True)
class Review:
    """The latest version of a message as an approver sees it, and the hash that pins it."""

    message_id: int
    version_id: int
    version: int
    state: str
    author: str
    text: str
    text_hash: str  # "" when the text cannot be shown: such a version cannot be approved
    problem: str | None = None

    @property
    def short_hash(self) -> str:
        """The prefix of the hash shown to officers."""
        return templating.short_hash(self.text_hash)


def review(store: Store, settings: Settings, message_id: int) -> Review:
    """What an approver is shown of the latest version (text rendered with placeholders, hash)."""
    version = _latest(store, message_id)
    try:
        text, problem = shown_text(settings, version["body"], version.get("vars") or {}), None
    except BroadcastError as exc:  # e.g. a draft stored before templates were checked
        text, problem = "", str(exc)
    return Review(
        message_id,
        int(version["id"]),
        int(version["version"]),
        str(version["state"]),
        str(version["author"] or ""),
        text,
        templating.text_hash(text) if problem is None else "",
        problem,
    )


def _pinned(store: Store, settings: Settings, message_id: int, version_id: int | None, text_hash: str) -> Review:
    """The pending version, if it is the one the approver names by id and text hash."""
    current = review(store, settings, message_id)
    given = (text_hash or "").strip().lower()
    if len(given) < templating.MIN_HASH_PREFIX:
        raise ApprovalError(
            f"Cần ghi mã nội dung của bản đã xem (ít nhất {templating.MIN_HASH_PREFIX} ký tự, "
            f"xem bằng: loa messages show {message_id})."
        )
    if current.problem is not None:
        raise ApprovalError(current.problem)
    if (version_id is not None and version_id != current.version_id) or not current.text_hash.startswith(given):
        raise ApprovalError(f"{CHANGED} (bản v{current.version}, mã nội dung {current.short_hash}).")
    return current


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
        raise BroadcastError(f"unknown kind {kind!r}; use one of {', '.join(KINDS)}", vi=f"Không có loại tin «{kind}».")
    if theme not in THEMES:
        raise BroadcastError(f"unknown theme {theme!r}; use one of {', '.join(THEMES)}", vi=f"Không có chủ đề «{theme}».")
    body = nfc(body).strip()
    check_template(body, vars)
    user = _require_editor(store, author)
    with store.transaction():
        message_id = db.insert_message(store, kind, theme, nfc(title).strip() or "(không tiêu đề)", slug=slug, issuer=issuer)
        version_id = db.insert_version(store, message_id, body, user["name"], vars=vars)
    return message_id, version_id


def _require_editor(store: Store, name: str) -> dict[str, Any]:
    user = require_user(store, name)
    if not ({EDITOR, ADMIN} & set(user["roles"])):
        raise ApprovalError(
            f"user {name!r} needs the editor role to write messages", vi=f"Tài khoản {name} cần vai trò Biên tập để soạn tin."
        )
    return user


def _message(store: Store, message_id: int) -> dict[str, Any]:
    msg = db.get_message(store, message_id)
    if msg is None:
        raise BroadcastError(f"no message with id {message_id}", vi=f"Không có tin số {message_id}.")
    return msg


def _latest(store: Store, message_id: int) -> dict[str, Any]:
    _message(store, message_id)
    vid = db.latest_version_id(store, message_id)
    version = db.get_version(store, vid) if vid else None
    if version is None:
        raise BroadcastError(f"message {message_id} has no versions", vi=f"Tin số {message_id} chưa có nội dung.")
    return version


def edit_message(store: Store, message_id: int, body: str, author: str, *, vars: dict[str, Any] | None = None) -> int:
    """Make a new draft version; an approved version stays in force until the new one is approved."""
    body = nfc(body).strip()
    latest = _latest(store, message_id)
    vars = vars if vars is not None else latest["vars"]
    check_template(body, vars)
    user = _require_editor(store, author)
    if latest["state"] in ("draft", "pending"):
        # An unapproved draft is replaced, so approvers never see a stale pending text.
        db.set_version_state(store, latest["id"], "retired", decided_at=_now_iso(None), reason="superseded")
    return db.insert_version(store, message_id, body, user["name"], vars=vars)


def submit(store: Store, message_id: int, *, now: datetime | None = None) -> int:
    """Send the latest draft for approval (draft → pending); return the version id.

    The template is checked again, so a draft saved before a check existed cannot reach an approver.
    """
    version = _latest(store, message_id)
    if version["state"] == "pending":
        return int(version["id"])
    if version["state"] != "draft":
        raise ApprovalError(
            f"message {message_id} v{version['version']} is {version['state']}, not a draft",
            vi=f"Bản v{version['version']} không còn là bản nháp nên không gửi duyệt được.",
        )
    check_template(version["body"], version.get("vars") or {})
    db.set_version_state(store, version["id"], "pending", submitted_at=_now_iso(now))
    return int(version["id"])


def _decider(store: Store, by: str) -> str:
    """The name of ``by`` if they hold the approver role (checked before anything else)."""
    return str(require_user(store, by, APPROVER)["name"])


def _decidable(current: Review, approver: str) -> None:
    """Refuse a decision on a version that is not pending, or by its own author (four-eyes)."""
    if current.state != "pending":
        raise ApprovalError(
            f"message {current.message_id} v{current.version} is {current.state}; submit it first (loa messages submit)",
            vi=f"Bản v{current.version} không ở trạng thái chờ duyệt.",
        )
    if approver.casefold() == current.author.casefold():
        raise ApprovalError(
            f"{approver} wrote this version and cannot decide on it: a second officer must (four-eyes rule)",
            vi="Người soạn không tự duyệt tin của mình: cần một cán bộ khác duyệt.",
        )


def approve(
    store: Store,
    settings: Settings,
    message_id: int,
    by: str,
    *,
    version_id: int | None,
    text_hash: str,
    now: datetime | None = None,
) -> Review:
    """Approve the pending version the approver saw, named by its id and the hash of its text.

    ``by`` must be an approver other than the author. If the version waiting is not the one
    named (the editor re-submitted in between) the approval is refused with :data:`CHANGED`.
    ``version_id`` None pins by the hash alone (the CLI, where officers type a hash prefix).
    """
    with store.transaction():  # BEGIN IMMEDIATE: no re-submission between the check and the write
        approver = _decider(store, by)
        current = _pinned(store, settings, message_id, version_id, text_hash)
        _decidable(current, approver)
        db.set_version_state(store, current.version_id, "approved", approver=approver, decided_at=_now_iso(now))
        db.retire_other_approved(store, message_id, current.version_id)
    return current


def reject(
    store: Store,
    settings: Settings,
    message_id: int,
    by: str,
    reason: str,
    *,
    version_id: int | None = None,
    text_hash: str | None = None,
    now: datetime | None = None,
) -> Review:
    """Reject the pending version with a reason (an approver other than the author).

    With ``text_hash`` (the admin form always sends it) the version is pinned as for approval.
    """
    if not (reason or "").strip():
        raise ApprovalError("give a reason for the rejection (--reason)", vi="Hãy ghi lý do từ chối.")
    with store.transaction():
        approver = _decider(store, by)
        if text_hash is not None:
            current = _pinned(store, settings, message_id, version_id, text_hash)
        else:
            current = review(store, settings, message_id)
        _decidable(current, approver)
        db.set_version_state(
            store, current.version_id, "rejected", approver=approver, reason=nfc(reason).strip(), decided_at=_now_iso(now)
        )
    return current


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
        raise ApprovalError(
            f"message {message_id} has no approved version; only approved text can be sent",
            vi=f"Tin số {message_id} chưa có bản đã duyệt: chỉ gửi được nội dung đã duyệt.",
        )
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
