"""The officers' web admin, mounted under ``/admin``; demo officers for ``loa demo``."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.features.base import Feature

if TYPE_CHECKING:
    from fastapi import FastAPI

    from bot.config import Settings
    from bot.store import Store

#: One demo officer per role; passwords are random per demo database (see ``load_demo``).
DEMO_USERS: tuple[tuple[str, str], ...] = (
    ("editor", "editor"),
    ("approver", "approver"),
    ("reporter", "reporter"),
    ("admin", "admin"),
)
DEMO_META_KEY = "admin_demo_logins"


class Admin(Feature):
    """The web admin under ``/admin`` and its demo officers."""

    name = "admin"

    def add_web_routes(self, app: FastAPI) -> None:
        """Mount the admin pages and their error handlers."""
        from bot.web.admin import mount

        mount(app)

    def load_demo(self, store: Store, settings: Settings) -> Sequence[str]:
        """Demo officers; the banner lists their logins."""
        return load_demo(store, settings)


def load_demo(store: Store, settings: Settings) -> list[str]:
    """Create the demo officers with random one-time passwords (hashed in the store).

    The plaintext is kept only in the demo database's meta table, so that every ``loa demo``
    run on that database prints working logins; a real database never gets these users.
    Returns the lines ``loa demo`` prints (the admin URL and the logins).
    """
    from bot import users

    try:
        known: dict[str, str] = json.loads(store.get_meta(DEMO_META_KEY) or "{}")
    except ValueError:
        known = {}
    for name, role in DEMO_USERS:
        user = users.get_user(store, name)
        if user is not None and name in known:
            continue  # created by an earlier load of this demo database (hashing again is slow)
        password = users.generate_password()
        if user is None:
            users.add_user(store, name, [role], password)
        else:
            users.set_password(store, name, password)
        known[name] = password
    store.set_meta(DEMO_META_KEY, json.dumps(known))
    return [
        "  Quản trị:  [link]{base}/admin[/link]",
        "             tài khoản mẫu (mật khẩu riêng của CSDL demo này):",
        *(f"             {name:<9} {known[name]}   ({role})" for name, role in DEMO_USERS),
    ]
