"""Sessions, CSRF tokens and login throttling for the web admin.

- The session cookie holds a random token; the store keeps only its SHA-256, the user, the
  per-session CSRF token and the expiry (idle timeout, sliding; plus an absolute cap).
- Every state-changing form carries the session's CSRF token (synchronizer pattern); the
  login form, which has no session yet, uses a double-submit cookie.
- Login throttling: too many failures for one name or from one address within the window
  lock further attempts (even with the right password) until the window has passed.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.store import Store
from bot.store import admin as admin_store
from bot.store.events import to_db_time

SESSION_COOKIE = "loa_admin"
LOGIN_CSRF_COOKIE = "loa_admin_login"
COOKIE_PATH = "/admin"
IDLE_TIMEOUT = timedelta(hours=8)
ABSOLUTE_TIMEOUT = timedelta(hours=24)
#: Sliding expiry is written at most this often, so page views do not write on every hit.
TOUCH_EVERY = timedelta(minutes=1)

THROTTLE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_NAME = 5
MAX_FAILURES_PER_IP = 20


@dataclass(frozen=True)
class Session:
    """A live admin session."""

    id: str
    user: str
    csrf: str
    created_at: datetime


def hash_token(token: str) -> str:
    """The stored form of a cookie token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


def start_session(store: Store, user: str, *, now: datetime, ip: str | None) -> tuple[str, Session]:
    """Create a session for ``user``; return the cookie token and the session."""
    admin_store.purge_expired_sessions(store, now=to_db_time(now))
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    sid = hash_token(token)
    admin_store.create_session(
        store, sid, user, csrf, now=to_db_time(now), expires_at=to_db_time(now + IDLE_TIMEOUT), ip=ip
    )
    return token, Session(sid, user, csrf, now)


def load_session(store: Store, token: str | None, *, now: datetime) -> Session | None:
    """The live session for a cookie token (sliding its expiry), or None."""
    if not token or len(token) > 200:
        return None
    sid = hash_token(token)
    row = admin_store.get_session(store, sid, now=to_db_time(now))
    if row is None:
        return None
    created = _parse(row["created_at"])
    if now - created > ABSOLUTE_TIMEOUT:
        admin_store.delete_session(store, sid)
        return None
    if now - _parse(row["last_seen"]) >= TOUCH_EVERY:
        admin_store.touch_session(store, sid, now=to_db_time(now), expires_at=to_db_time(now + IDLE_TIMEOUT))
    return Session(sid, row["user"], row["csrf"], created)


def end_session(store: Store, session: Session) -> None:
    """Log out."""
    admin_store.delete_session(store, session.id)


def csrf_ok(expected: str | None, given: object) -> bool:
    """Constant-time comparison of a submitted CSRF token with the expected one."""
    if not expected or not isinstance(given, str) or not given:
        return False
    return hmac.compare_digest(expected.encode("utf-8"), given.encode("utf-8"))


def new_login_csrf() -> str:
    """A fresh token for the login form's double-submit cookie."""
    return secrets.token_urlsafe(24)


def login_locked(store: Store, name: str, ip: str | None, *, now: datetime) -> bool:
    """True when too many recent failures for this name or address forbid another try."""
    since = to_db_time(now - THROTTLE_WINDOW)
    if admin_store.failed_logins_for_name(store, name, since=since) >= MAX_FAILURES_PER_NAME:
        return True
    return bool(ip) and admin_store.failed_logins_for_ip(store, ip or "", since=since) >= MAX_FAILURES_PER_IP


@functools.cache
def _dummy_hash() -> str:
    from argon2 import PasswordHasher

    return PasswordHasher().hash(secrets.token_urlsafe(16))


def equalize_timing(password: str) -> None:
    """Spend an argon2 verification when there was no hash to check (unknown, locked or
    password-less officer), so response times do not reveal which names exist."""
    from argon2 import PasswordHasher
    from argon2.exceptions import InvalidHashError, VerificationError

    with contextlib.suppress(VerificationError, InvalidHashError):
        PasswordHasher().verify(_dummy_hash(), password or "x")


def record_attempt(store: Store, name: str, ip: str | None, ok: bool, *, now: datetime) -> None:
    """Remember a login attempt, and forget attempts long past the window."""
    admin_store.record_login_attempt(store, name=name, ip=ip, ok=ok, at=to_db_time(now))
    admin_store.purge_login_attempts(store, before=to_db_time(now - 4 * THROTTLE_WINDOW))
