"""Officers: roles, unique names, argon2 passwords, the CLI."""

from __future__ import annotations

import pytest

from bot.store import Store
from bot.users import (
    ROLES,
    UserError,
    add_user,
    get_user,
    has_role,
    list_users,
    set_active,
    set_password,
    set_roles,
    verify_password,
)


def test_add_and_get_user_with_roles(store: Store) -> None:
    uid = add_user(store, "lan.nguyen", ["editor", "approver"], password="mat-khau-123")
    user = get_user(store, "LAN.NGUYEN")
    assert user is not None and user["id"] == uid
    assert user["roles"] == ["editor", "approver"]
    assert has_role(user, "editor") and has_role(user, "approver") and not has_role(user, "admin")
    assert ROLES == ("editor", "approver", "reporter", "admin")


def test_passwords_are_hashed_and_checked(store: Store) -> None:
    add_user(store, "minh", ["reporter"], password="dung-roi-1")
    row = store.conn.execute("SELECT password_hash FROM users WHERE name = 'minh'").fetchone()
    assert row[0].startswith("$argon2") and "dung-roi-1" not in row[0]
    assert verify_password(store, "minh", "dung-roi-1")
    assert not verify_password(store, "minh", "sai")
    assert not verify_password(store, "nobody", "dung-roi-1")
    set_password(store, "minh", "moi-moi-moi")
    assert verify_password(store, "minh", "moi-moi-moi") and not verify_password(store, "minh", "dung-roi-1")
    set_active(store, "minh", False)
    assert not verify_password(store, "minh", "moi-moi-moi")
    assert not has_role(get_user(store, "minh"), "reporter")


def test_user_without_password_cannot_log_in(store: Store) -> None:
    add_user(store, "hoa", ["editor"])
    assert not verify_password(store, "hoa", "")
    assert not verify_password(store, "hoa", "anything")
    assert [u["name"] for u in list_users(store)] == ["hoa"]
    assert list_users(store)[0]["has_password"] is False
    assert "password_hash" not in list_users(store)[0]


@pytest.mark.parametrize(
    ("name", "roles", "message"),
    [
        ("x", ["editor"], "bad user name"),
        ("ok_name", ["boss"], "unknown role"),
        ("ok_name", [], "at least one role"),
        ("has space", ["editor"], "bad user name"),
    ],
)
def test_bad_users_are_refused(store: Store, name: str, roles: list[str], message: str) -> None:
    with pytest.raises(UserError, match=message):
        add_user(store, name, roles)


def test_duplicate_names_and_short_passwords(store: Store) -> None:
    add_user(store, "an", ["admin"])
    with pytest.raises(UserError, match="already exists"):
        add_user(store, "AN", ["editor"])
    with pytest.raises(UserError, match="at least 8"):
        set_password(store, "an", "short")
    with pytest.raises(UserError, match="no such user"):
        set_roles(store, "ghost", ["editor"])
    set_roles(store, "an", ["admin", "approver"])
    assert get_user(store, "an")["roles"] == ["admin", "approver"]
