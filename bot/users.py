"""Officers and their roles: editor, approver, reporter, admin.

Passwords are hashed with argon2 (argon2-cffi); a user without a password cannot log in to
the web admin but can still be named as author or approver from the CLI.
"""

from __future__ import annotations

import re
import secrets
import sqlite3
from typing import Any

from bot.errors import LoaError
from bot.store import Store
from bot.store import officers as db

ROLES: tuple[str, ...] = ("editor", "approver", "reporter", "admin")

_NAME_RE = re.compile(r"^[\w.@-]{2,64}$", re.UNICODE)


class UserError(LoaError):
    """A user operation was refused (unknown user, bad role, taken name, ...)."""


def _hasher() -> Any:
    from argon2 import PasswordHasher

    return PasswordHasher()


def _clean_roles(roles: list[str]) -> list[str]:
    out: list[str] = []
    for role in roles:
        for part in role.split(","):
            part = part.strip().lower()
            if not part:
                continue
            if part not in ROLES:
                raise UserError(f"unknown role {part!r}; roles are {', '.join(ROLES)}")
            if part not in out:
                out.append(part)
    if not out:
        raise UserError(f"give at least one role ({', '.join(ROLES)})")
    return out


def generate_password() -> str:
    """A one-time password an officer can type: 4 groups of 4 readable characters."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(4))


def add_user(store: Store, name: str, roles: list[str], password: str | None = None) -> int:
    """Create an officer with ``roles``; return the new id. Names are unique (case-insensitive)."""
    name = (name or "").strip()
    if not _NAME_RE.match(name):
        raise UserError(f"bad user name {name!r}: use 2–64 letters, digits, '.', '-', '_' or '@'")
    clean = _clean_roles(roles)
    if db.find_user(store, name) is not None:
        raise UserError(f"user {name!r} already exists")
    password_hash = _hasher().hash(password) if password else None
    try:
        return db.insert_user(store, name, clean, password_hash)
    except sqlite3.IntegrityError as exc:
        raise UserError(f"user {name!r} already exists") from exc


def get_user(store: Store, name: str) -> dict[str, Any] | None:
    """The user row (``roles`` as a list, ``active`` as bool) or None."""
    return db.find_user(store, (name or "").strip())


def require_user(store: Store, name: str, role: str | None = None) -> dict[str, Any]:
    """The active user ``name`` holding ``role`` (if given), else ``UserError``."""
    user = get_user(store, name)
    if user is None:
        raise UserError(f"no such user {name!r} (create one with `loa users add {name} --role ...`)")
    if not user["active"]:
        raise UserError(f"user {name!r} is deactivated")
    if role and not has_role(user, role):
        raise UserError(f"user {name!r} does not have the {role} role")
    return user


def list_users(store: Store) -> list[dict[str, Any]]:
    """All users by name (no password hashes)."""
    users = db.all_users(store)
    for u in users:
        u["has_password"] = bool(u.pop("password_hash", None))
    return users


def set_password(store: Store, name: str, password: str) -> None:
    """Set (or replace) a user's password."""
    if not password or len(password) < 8:
        raise UserError("password must have at least 8 characters")
    user = require_user(store, name)
    db.update_user(store, user["id"], password_hash=_hasher().hash(password))


def verify_password(store: Store, name: str, password: str) -> bool:
    """True if ``password`` is the active user's password (constant-time argon2 check)."""
    from argon2.exceptions import InvalidHashError, VerificationError

    user = get_user(store, name)
    if user is None or not user["active"] or not user.get("password_hash") or not password:
        return False
    try:
        return bool(_hasher().verify(user["password_hash"], password))
    except (VerificationError, InvalidHashError):
        return False


def set_roles(store: Store, name: str, roles: list[str]) -> None:
    """Replace a user's roles."""
    user = require_user(store, name)
    db.update_user(store, user["id"], roles=_clean_roles(roles))


def set_active(store: Store, name: str, active: bool) -> None:
    """Activate or deactivate a user (deactivated users cannot log in, author or approve)."""
    user = get_user(store, name)
    if user is None:
        raise UserError(f"no such user {name!r}")
    db.update_user(store, user["id"], active=active)


def has_role(user: dict[str, Any] | None, role: str) -> bool:
    """True if ``user`` (a row from get_user) is active and holds ``role``."""
    if not user or not user.get("active", True):
        return False
    roles = user.get("roles") or []
    if isinstance(roles, str):
        roles = [r for r in roles.split(",") if r]
    return role in roles
