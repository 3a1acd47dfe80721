"""Officers and their roles: editor, approver, reporter, admin.

Passwords are hashed with argon2 (argon2-cffi) through :func:`hash_password` and checked
through :func:`password_matches` only, so callers on the event loop can run exactly those two
in a worker thread. A user without a password cannot log in to the web admin but can still
be named as author or approver from the CLI. Officers choose their own passwords through an
invitation link (``bot.invites``): nobody else ever sees them.
"""

from __future__ import annotations

import re
import secrets
import sqlite3
from typing import Any

from bot.errors import LoaError
from bot.roles import ROLES
from bot.store import Store
from bot.store import officers as db

_NAME_RE = re.compile(r"^[\w.@-]{2,64}$", re.UNICODE)


class UserError(LoaError):
    """A user operation was refused (unknown user, bad role, taken name, ...)."""


#: The password rule, as officers read it (checked by :func:`password_problem`).
PASSWORD_RULE = (
    "Mật khẩu cần ít nhất {n} ký tự, không chứa tên đăng nhập và không phải "
    "một mật khẩu dễ đoán (như 12345678, matkhau123)."
)
MIN_PASSWORD_CHARS = 10
_COMMON = {"matkhau", "password", "123456", "12345678", "abc123", "qwerty", "admin", "loa", "iloveyou"}


def _hasher() -> Any:
    from argon2 import PasswordHasher

    return PasswordHasher()


def hash_password(password: str) -> str:
    """The argon2 hash of ``password`` (slow on purpose: call it off the event loop)."""
    return str(_hasher().hash(password))


def password_matches(password_hash: str | None, password: str) -> bool:
    """True if ``password`` matches ``password_hash`` (slow on purpose, like hash_password)."""
    from argon2.exceptions import InvalidHashError, VerificationError

    if not password_hash or not password:
        return False
    try:
        return bool(_hasher().verify(password_hash, password))
    except (VerificationError, InvalidHashError):
        return False


def password_rule() -> str:
    """The password rule in Vietnamese, for forms and error messages."""
    return PASSWORD_RULE.format(n=MIN_PASSWORD_CHARS)


def password_problem(password: str, name: str) -> str | None:
    """Why ``password`` is too weak for officer ``name`` (Vietnamese), or None when it is fine."""
    folded = password.casefold()
    stripped = "".join(ch for ch in folded if ch.isalnum())
    if len(password) < MIN_PASSWORD_CHARS or len(password) > 200:
        return password_rule()
    if name and name.casefold() in folded:
        return password_rule()
    if len(set(folded)) < 5 or stripped in "01234567890123456789" * 2:
        return password_rule()
    if any(stripped.startswith(c) and len(stripped) - len(c) <= 4 for c in _COMMON):
        return password_rule()
    return None


def _clean_roles(roles: list[str]) -> list[str]:
    out: list[str] = []
    for role in roles:
        for part in role.split(","):
            part = part.strip().lower()
            if not part:
                continue
            if part not in ROLES:
                raise UserError(f"unknown role {part!r}; roles are {', '.join(ROLES)}", vi=f"Không có vai trò «{part}».")
            if part not in out:
                out.append(part)
    if not out:
        raise UserError(f"give at least one role ({', '.join(ROLES)})", vi="Chọn ít nhất một vai trò.")
    return out


def generate_password() -> str:
    """A one-time password an officer can type: 4 groups of 4 readable characters."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(4))


def add_user(store: Store, name: str, roles: list[str], password: str | None = None) -> int:
    """Create an officer with ``roles``; return the new id. Names are unique (case-insensitive).

    Without ``password`` the officer cannot log in until they accept an invitation."""
    name = (name or "").strip()
    if not _NAME_RE.match(name):
        raise UserError(
            f"bad user name {name!r}: use 2–64 letters, digits, '.', '-', '_' or '@'",
            vi=f"Tên đăng nhập «{name}» không dùng được: 2–64 chữ không dấu, số, hoặc . - _ @.",
        )
    clean = _clean_roles(roles)
    if db.find_user(store, name) is not None:
        raise UserError(f"user {name!r} already exists", vi=f"Tài khoản «{name}» đã có.")
    password_hash = hash_password(password) if password else None
    try:
        return db.insert_user(store, name, clean, password_hash)
    except sqlite3.IntegrityError as exc:
        raise UserError(f"user {name!r} already exists", vi=f"Tài khoản «{name}» đã có.") from exc


def get_user(store: Store, name: str) -> dict[str, Any] | None:
    """The user row (``roles`` as a list, ``active`` as bool) or None."""
    return db.find_user(store, (name or "").strip())


def require_user(store: Store, name: str, role: str | None = None) -> dict[str, Any]:
    """The active user ``name`` holding ``role`` (if given), else ``UserError``."""
    user = get_user(store, name)
    if user is None:
        raise UserError(
            f"no such user {name!r} (create one with `loa users add {name} --role ...`)",
            vi=f"Không có tài khoản «{name}».",
        )
    if not user["active"]:
        raise UserError(f"user {name!r} is deactivated", vi=f"Tài khoản «{name}» đang bị khóa.")
    if role and not has_role(user, role):
        raise UserError(
            f"user {name!r} does not have the {role} role", vi=f"Tài khoản «{name}» không có vai trò cần cho việc này."
        )
    return user


def list_users(store: Store) -> list[dict[str, Any]]:
    """All users by name (no password hashes)."""
    users = db.all_users(store)
    for u in users:
        u["has_password"] = bool(u.pop("password_hash", None))
    return users


def set_password(store: Store, name: str, password: str) -> None:
    """Set (or replace) a user's password directly (demo officers and scripts; officers
    choose theirs through an invitation)."""
    if not password or len(password) < 8:
        raise UserError("password must have at least 8 characters", vi="Mật khẩu cần ít nhất 8 ký tự.")
    set_password_hash(store, name, hash_password(password))


def set_password_hash(store: Store, name: str, password_hash: str | None) -> None:
    """Store an already computed hash (None removes the password: nobody can log in)."""
    user = require_user(store, name)
    db.update_user(store, user["id"], password_hash=password_hash)


def verify_password(store: Store, name: str, password: str) -> bool:
    """True if ``password`` is the active user's password (constant-time argon2 check)."""
    user = get_user(store, name)
    if user is None or not user["active"]:
        return False
    return password_matches(user.get("password_hash"), password)


def set_roles(store: Store, name: str, roles: list[str]) -> None:
    """Replace a user's roles."""
    user = require_user(store, name)
    db.update_user(store, user["id"], roles=_clean_roles(roles))


def set_active(store: Store, name: str, active: bool) -> None:
    """Activate or deactivate a user (deactivated users cannot log in, author or approve)."""
    user = get_user(store, name)
    if user is None:
        raise UserError(f"no such user {name!r}", vi=f"Không có tài khoản «{name}».")
    db.update_user(store, user["id"], active=active)


def has_role(user: dict[str, Any] | None, role: str) -> bool:
    """True if ``user`` (a row from get_user) is active and holds ``role``."""
    if not user or not user.get("active", True):
        return False
    roles = user.get("roles") or []
    if isinstance(roles, str):
        roles = [r for r in roles.split(",") if r]
    return role in roles
