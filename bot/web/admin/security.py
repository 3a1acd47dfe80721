"""Sessions, CSRF tokens and login throttling for the web admin.

- The session cookie holds a random token; the store keeps only its SHA-256, the user, the
  per-session CSRF token and the expiry (idle timeout, sliding; plus an absolute cap).
- Every state-changing form carries the session's CSRF token (synchronizer pattern); the
  login form, which has no session yet, uses a double-submit cookie.
- Login throttling per (name, source address): after a few failures the same source must
  wait before its next try, the wait doubling with each failure (capped); other sources are
  never slowed, so an attacker cannot lock an officer out. One address failing on many names
  (password spraying) gets the same growing wait. The source is the client address as
  resolved through LOA_TRUSTED_PROXIES (bot.web.proxies).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.store import Store
from bot.store import admin as admin_store
from bot.store.events import from_db_time, to_db_time

SESSION_COOKIE = "loa_admin"
LOGIN_CSRF_COOKIE = "loa_admin_login"
COOKIE_PATH = "/admin"
IDLE_TIMEOUT = timedelta(hours=8)
ABSOLUTE_TIMEOUT = timedelta(hours=24)
#: Sliding expiry is written at most this often, so page views do not write on every hit.
TOUCH_EVERY = timedelta(minutes=1)

#: Failures older than this are forgotten.
THROTTLE_WINDOW = timedelta(minutes=15)
#: Failures a source may make on one name before it has to wait.
FREE_FAILURES_PER_NAME = 5
#: Failures one address may make across all names before it has to wait.
FREE_FAILURES_PER_ADDRESS = 20
FIRST_WAIT = timedelta(seconds=1)
MAX_WAIT = timedelta(minutes=5)


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
    created = from_db_time(row["created_at"])
    if now - created > ABSOLUTE_TIMEOUT:
        admin_store.delete_session(store, sid)
        return None
    if now - from_db_time(row["last_seen"]) >= TOUCH_EVERY:
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


def backoff(failures: int, free: int) -> timedelta:
    """The wait after ``failures`` failures when ``free`` are allowed: 0, then 1 s, 2 s, 4 s…
    up to ``MAX_WAIT``."""
    if failures < free:
        return timedelta(0)
    return min(FIRST_WAIT * 2 ** min(failures - free, 20), MAX_WAIT)


def login_wait(store: Store, name: str, ip: str | None, *, now: datetime) -> timedelta:
    """How long this source must still wait before trying ``name`` (zero: it may try now)."""
    since = to_db_time(now - THROTTLE_WINDOW)
    source = ip or "unknown"
    wait = timedelta(0)
    for key_name, free in ((name, FREE_FAILURES_PER_NAME), (None, FREE_FAILURES_PER_ADDRESS)):
        count, last = admin_store.failures_since_success(store, since=since, name=key_name, ip=source)
        if last:
            wait = max(wait, backoff(count, free) - (now - from_db_time(last)))
    return max(wait, timedelta(0))


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
    admin_store.record_login_attempt(store, name=name, ip=ip or "unknown", ok=ok, at=to_db_time(now))
    admin_store.purge_login_attempts(store, before=to_db_time(now - 4 * THROTTLE_WINDOW))
