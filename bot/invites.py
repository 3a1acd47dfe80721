"""Officer accounts without shared passwords: single-use, expiring invitation links.

A new account, or an account whose password is reset, gets a link
``<public url>/admin/invite/<token>``. Whoever opens it chooses the officer's password;
the administrator who issued it never sees one. Only the SHA-256 of the token is stored,
a link works once, expires after :data:`INVITE_TTL`, and issuing a new one revokes the old.
Resetting removes the old password and ends the officer's sessions at once.

Every creation, reset, role change and acceptance is written to the audit log with who did
it, so the admin dashboard can show recent account changes to every officer.
"""

from __future__ import annotations

import getpass
import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot import users
from bot.config import Settings
from bot.store import Store
from bot.store import admin as admin_store
from bot.store import officers as db
from bot.store.events import from_db_time, to_db_time

INVITE_TTL = timedelta(hours=72)
INVITE_PATH = "/admin/invite/"

#: Why a link does not work, as officers read it.
REFUSALS = {
    "unknown": "Đường link không đúng. Hãy kiểm tra lại hoặc xin quản trị viên gửi link mới.",
    "used": "Đường link này đã được dùng. Nếu không phải bạn đã dùng, hãy báo ngay cho quản trị viên.",
    "expired": "Đường link đã hết hạn. Hãy xin quản trị viên gửi link mới.",
    "revoked": "Đường link này đã được thay bằng một link mới hơn. Hãy dùng link mới nhất quản trị viên gửi.",
    "inactive": "Tài khoản này đang bị khóa. Hãy liên hệ quản trị viên.",
}


class InviteRefused(users.UserError):
    """An invitation link that cannot be used (``reason`` is a key of :data:`REFUSALS`)."""

    def __init__(self, reason: str) -> None:
        super().__init__(REFUSALS[reason])
        self.reason = reason


@dataclass(frozen=True)
class Invite:
    """A live invitation."""

    id: int
    user: str
    purpose: str  # new | reset
    expires_at: datetime


def hash_token(token: str) -> str:
    """The stored form of an invitation token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def cli_actor() -> str:
    """Who acts from the command line, for the audit log (the server's OS account)."""
    try:
        return f"cli:{getpass.getuser()}"
    except (OSError, KeyError):
        return "cli"


def invite_link(settings: Settings, token: str) -> str:
    """The full link an officer opens (base from ``LOA_PUBLIC_URL``)."""
    return f"{settings.base_url}{INVITE_PATH}{token}"


def _issue(store: Store, name: str, purpose: str, by: str, now: datetime) -> str:
    token = secrets.token_urlsafe(32)
    db.insert_invite(
        store,
        token_hash=hash_token(token),
        user=name,
        purpose=purpose,
        created_by=by,
        created_at=to_db_time(now),
        expires_at=to_db_time(now + INVITE_TTL),
    )
    return token


def create_account(
    store: Store, name: str, roles: list[str], *, by: str, now: datetime | None = None, ip: str | None = None
) -> str:
    """Create an officer without a password and return their invitation token (audited)."""
    now = now or datetime.now(UTC)
    users.add_user(store, name, roles)
    user = users.require_user(store, name)
    token = _issue(store, user["name"], "new", by, now)
    _audit(store, by, "user.add", user["name"], now, ip, roles=",".join(user["roles"]))
    return token


def reset_account(store: Store, name: str, *, by: str, now: datetime | None = None, ip: str | None = None) -> str:
    """Remove an officer's password, end their sessions and return a new invitation token."""
    now = now or datetime.now(UTC)
    user = users.require_user(store, name)
    users.set_password_hash(store, user["name"], None)
    admin_store.delete_user_sessions(store, user["name"])
    token = _issue(store, user["name"], "reset", by, now)
    _audit(store, by, "user.password_reset", user["name"], now, ip)
    return token


def open_invite(store: Store, token: str, *, now: datetime) -> Invite:
    """The live invitation for ``token``, else ``InviteRefused``."""
    row = db.find_invite(store, hash_token(token)) if token and len(token) <= 200 else None
    if row is None:
        raise InviteRefused("unknown")
    if row["used_at"]:
        raise InviteRefused("used")
    if row["revoked_at"]:
        raise InviteRefused("revoked")
    expires = from_db_time(row["expires_at"])
    if expires <= now:
        raise InviteRefused("expired")
    user = users.get_user(store, row["user"])
    if user is None or not user["active"]:
        raise InviteRefused("inactive")
    return Invite(int(row["id"]), user["name"], row["purpose"], expires)


def accept(store: Store, invite: Invite, password_hash: str, *, now: datetime, ip: str | None = None) -> None:
    """Use the invitation once: store the officer's new password hash and audit it.

    The hash is computed by the caller (off the event loop); the single use is enforced
    here, in one transaction, so two tabs racing on the same link cannot both win.
    """
    at = to_db_time(now)
    with store.transaction():
        if not db.use_invite(store, invite.id, at=at):
            raise InviteRefused("used")
        users.set_password_hash(store, invite.user, password_hash)
        admin_store.delete_user_sessions(store, invite.user)
        _audit(store, invite.user, "user.invite_accepted", invite.user, now, ip, purpose=invite.purpose)


def change_password(
    store: Store, name: str, password_hash: str, *, keep_session: str | None, now: datetime, ip: str | None = None
) -> None:
    """Replace an officer's own password (already checked and hashed); end their other sessions."""
    with store.transaction():
        users.set_password_hash(store, name, password_hash)
        admin_store.delete_user_sessions(store, name, keep=keep_session)
        _audit(store, name, "user.password_change", name, now, ip)


def _audit(store: Store, by: str, action: str, name: str, now: datetime, ip: str | None, **detail: str) -> None:
    admin_store.add_audit(
        store, at=to_db_time(now), user=by, action=action, target=f"user:{name}", detail=detail or None, ip=ip
    )


def open_invites(store: Store, *, now: datetime) -> dict[str, str]:
    """Officer name (lower case) → expiry (UTC ISO) of their live invitation, for the users page."""
    return db.open_invites(store, now=to_db_time(now))
