"""``loa users ...``, ``loa chats ...`` and ``loa schedules ...``."""

from __future__ import annotations

from pathlib import Path

import typer

from bot.cli_helpers import load_settings, open_store
from bot.store import Store


def _out(text: str = "", **_: object) -> None:
    """One plain line on stdout (no wrapping or markup: officers copy ids and codes)."""
    typer.echo(text)

users_app = typer.Typer(help="Officers and their roles (editor, approver, reporter, admin).", no_args_is_help=True)
chats_app = typer.Typer(
    help="Groups and subscribers: import, list, tag for targeting; subscribe and scam guard switches.",
    no_args_is_help=True,
)
schedules_app = typer.Typer(help="Recurring and one-off broadcasts.", no_args_is_help=True)


# --- users -------------------------------------------------------------------------------------
@users_app.command("add")
def users_add(
    name: str = typer.Argument(..., help="Login name, e.g. lan.nguyen."),
    role: list[str] = typer.Option(..., "--role", help="editor | approver | reporter | admin (repeatable)."),
) -> None:
    """Create an officer; prints a single-use link (72 h) to choose their own password, then the id.

    Nobody but the officer ever knows the password: the link opens a page where they set it."""
    from bot.invites import cli_actor, create_account
    from bot.users import require_user

    settings = load_settings()
    store = open_store(settings)
    token = create_account(store, name, role, by=cli_actor())
    user = require_user(store, name)
    _print_link(settings, user["name"], token, f"user {user['name']} created with roles {', '.join(user['roles'])}")
    typer.echo(user["id"])


def _print_link(settings: object, name: str, token: str, first_line: str) -> None:
    from bot.invites import INVITE_TTL, invite_link

    _out(first_line)
    _out(f"invitation link for {name} (single use, valid {int(INVITE_TTL.total_seconds() // 3600)} h):")
    _out(f"  {invite_link(settings, token)}")  # type: ignore[arg-type]
    if not getattr(settings, "public_url", ""):
        _out("  (LOA_PUBLIC_URL is not set: the link uses the local address; set it to the public https URL)")


@users_app.command("list")
def users_list() -> None:
    """List officers and roles."""
    from bot.users import list_users

    store = open_store(load_settings())
    rows = list_users(store)
    if not rows:
        _out("No users yet: loa users add NAME --role editor")
    for u in rows:
        state = "" if u["active"] else "  (inactive)"
        pw = "password set" if u["has_password"] else "no password (invitation pending or expired)"
        _out(f"{u['id']:>4}  {u['name']:<20} {','.join(u['roles']):<28} {pw}{state}", highlight=False, markup=False)


@users_app.command("reset")
def users_reset(name: str = typer.Argument(..., help="Login name.")) -> None:
    """Remove an officer's password, end their sessions and print a new invitation link."""
    from bot.invites import cli_actor, reset_account
    from bot.users import require_user

    settings = load_settings()
    store = open_store(settings)
    token = reset_account(store, name, by=cli_actor())
    user = require_user(store, name)
    _print_link(settings, user["name"], token, f"password of {user['name']} removed; sessions ended")


@users_app.command("password", hidden=True)
def users_password(name: str = typer.Argument(..., help="Login name.")) -> None:
    """Old name of ``loa users reset``."""
    users_reset(name)


# --- chats -------------------------------------------------------------------------------------
@chats_app.command("import")
def chats_import(file: Path = typer.Argument(..., help="CSV with channel, chat_id, kind, title, unit, tags.")) -> None:
    """Import or update chats for targeting (the whole file is checked first)."""
    from bot.broadcast.chat_import import import_chats

    settings = load_settings()
    store = open_store(settings)
    created, updated = import_chats(store, file, province=settings.province)
    _out(f"{created} chat(s) added, {updated} updated")


@chats_app.command("list")
def chats_list(
    channel: str = typer.Option(None, help="telegram | zalo."),
    unit: str = typer.Option(None, help="Admin unit name."),
    tag: str = typer.Option(None, help="Tag, e.g. nguoi_cao_tuoi."),
    limit: int = typer.Option(200, help="At most this many rows."),
) -> None:
    """List chats with unit, tags and status."""
    from bot.broadcast.audiences import normalize_tag
    from bot.store.chats import list_chats

    settings = load_settings()
    store = open_store(settings)
    unit_name = _unit(store, unit, settings.province) if unit else None
    rows = list_chats(store, channel=channel, unit=unit_name, tag=normalize_tag(tag) if tag else None, limit=limit)
    for r in rows:
        flags = ("opted-out " if r["opted_out"] else "") + (r["status"] if r["status"] != "active" else "")
        _out(
            f"{r['channel']:<8} {r['chat_id']:<16} {r['kind']:<7} {r['unit'] or '-':<16} {','.join(r['tags']) or '-':<30}"
            f" {r['title'] or ''} {flags}".rstrip(),
            highlight=False,
            markup=False,
        )
    _out(f"{len(rows)} chat(s)")


def _unit(store: Store, name: str, province: str) -> str:
    from bot.broadcast.audiences import resolve_audience_unit

    return resolve_audience_unit(store, name, province)


@chats_app.command("tag")
def chats_tag(
    chat: str = typer.Argument(..., help="CHANNEL:CHAT_ID, e.g. telegram:-1001234 (negative group ids are fine)."),
    add: list[str] = typer.Option(None, "--tag", help="Tag to add (repeatable)."),
    remove: list[str] = typer.Option(None, "--remove", help="Tag to remove (repeatable)."),
    unit: str = typer.Option(None, "--unit", help="Set the chat's admin unit."),
) -> None:
    """Add or remove tags of a chat, or set its unit."""
    from bot.broadcast.audiences import normalize_tag
    from bot.broadcast.errors import BroadcastError
    from bot.store import chats as chat_store

    channel, sep, chat_id = chat.partition(":")
    if not sep or not chat_id:
        raise BroadcastError(f"give the chat as CHANNEL:CHAT_ID, e.g. telegram:-1001234 (got {chat!r})")
    settings = load_settings()
    store = open_store(settings)
    row = chat_store.get_chat(store, channel, chat_id)
    if row is None:
        raise BroadcastError(f"no chat {channel}:{chat_id} (see loa chats list)")
    tags = set(row["tags"]) | {normalize_tag(t) for t in add or []}
    tags -= {normalize_tag(t) for t in remove or []}
    unit_name = _unit(store, unit, settings.province) if unit else None
    chat_store.set_unit_and_tags(store, channel, chat_id, unit=unit_name, tags=sorted(t for t in tags if t))
    row = chat_store.get_chat(store, channel, chat_id) or {}
    _out(f"{channel}:{chat_id} unit {row.get('unit') or '-'}, tags {', '.join(row.get('tags') or []) or '-'}")


def _known_chat(chat: str) -> tuple[object, object, str, str]:
    """(settings, store, channel, chat_id) for ``CHANNEL:CHAT_ID`` of a registered chat."""
    from bot.broadcast.errors import BroadcastError
    from bot.store import chats as chat_store

    channel, sep, chat_id = chat.partition(":")
    if not sep or not chat_id:
        raise BroadcastError(f"give the chat as CHANNEL:CHAT_ID, e.g. zalo:abc123 (got {chat!r})")
    settings = load_settings()
    store = open_store(settings)
    if chat_store.get_chat(store, channel, chat_id) is None:
        raise BroadcastError(f"no chat {channel}:{chat_id} (see loa chats list)")
    return settings, store, channel, chat_id


def _on_off(value: str) -> bool:
    from bot.broadcast.errors import BroadcastError

    if value.lower() not in ("on", "off"):
        raise BroadcastError(f"say on or off (got {value!r})")
    return value.lower() == "on"


@chats_app.command("subscribe")
def chats_subscribe(
    chat: str = typer.Argument(..., help="CHANNEL:CHAT_ID, e.g. zalo:abc123."),
    state: str = typer.Argument(..., help="on = receives broadcasts, off = opted out."),
) -> None:
    """Subscribe a chat to broadcasts or opt it out, for a group that asked an officer
    (Zalo groups cannot say who their admins are, so /stop there is refused)."""
    from bot.store import chats as chat_store

    _, store, channel, chat_id = _known_chat(chat)
    on = _on_off(state)
    chat_store.set_opted_out(store, channel, chat_id, not on)  # type: ignore[arg-type]
    _out(f"{channel}:{chat_id} {'receives broadcasts' if on else 'opted out of broadcasts'}")


@chats_app.command("guard")
def chats_guard(
    chat: str = typer.Argument(..., help="CHANNEL:CHAT_ID of a group, e.g. zalo:abc123."),
    state: str = typer.Argument(..., help="on | off"),
    by: str = typer.Option("officer", "--by", help="Who asked (kept with the switch)."),
) -> None:
    """Switch the scam guard of a group on or off, for a group whose admins asked an officer
    (the same switch as /baove in the chat)."""
    from datetime import UTC, datetime

    from bot.privacy import keyed_hash
    from bot.store.scam import set_guard

    settings, store, channel, chat_id = _known_chat(chat)
    on = _on_off(state)
    # The dialog keys the guard by the chat's keyed hash; compute the same one.
    chat_ref = keyed_hash(settings.secret(), "chat", channel, chat_id)  # type: ignore[attr-defined]
    set_guard(store, chat_ref, channel, on, by=by, at=datetime.now(UTC))  # type: ignore[arg-type]
    _out(f"{channel}:{chat_id} scam guard {'on' if on else 'off'}")


# --- schedules ---------------------------------------------------------------------------------
@schedules_app.command("list")
def schedules_list() -> None:
    """Schedules with their next due time (local)."""
    from bot.broadcast.scheduling import list_schedules, seed_schedules
    from bot.broadcast.verify import local_time_text

    settings = load_settings()
    store = open_store(settings)
    seed_schedules(store, settings)
    rows = list_schedules(store, settings)
    if not rows:
        _out("No schedules: add schedules/*.yaml or loa schedules add")
    for r in rows:
        when = r["cron"] and f"cron '{r['cron']}'" or f"at {r['at']}"
        nxt = local_time_text(r["next_due"], settings) if r["next_due"] else "-"
        state = "enabled " if r["enabled"] else "disabled"
        _out(
            f"{r['id']:>3}  {r['name']:<24} {state} {when:<20} next {nxt}  {r['message']} → {', '.join(r['selectors'])}",
            highlight=False,
            markup=False,
        )


@schedules_app.command("add")
def schedules_add(
    name: str = typer.Argument(..., help="Stable name, e.g. weekly-vneid."),
    message: str = typer.Option(..., "--message", help="Message id or library slug (campaigns/vneid_level2)."),
    to: list[str] = typer.Option(..., "--to", help="Audience selector(s), as for broadcast create."),
    cron: str = typer.Option(None, "--cron", help='5-field cron in local time, e.g. "0 9 * * 1".'),
    at: str = typer.Option(None, "--at", help='One-off local time "YYYY-MM-DD HH:MM".'),
    grace: int = typer.Option(180, "--grace", help="Minutes a missed run may still be sent after a restart."),
) -> None:
    """Add (or replace) a schedule; prints its id."""
    from bot.broadcast.scheduling import add_schedule

    settings = load_settings()
    store = open_store(settings)
    sid = add_schedule(store, settings, name, message=message, selectors=to, cron=cron, at=at, grace_minutes=grace)
    _out(f"schedule {name} saved (runs in the web app: loa run)")
    typer.echo(sid)


@schedules_app.command("disable")
def schedules_disable(name: str = typer.Argument(..., help="Schedule name or id.")) -> None:
    """Stop a schedule from firing."""
    from bot.broadcast.scheduling import set_enabled

    set_enabled(open_store(load_settings()), name, False)
    _out(f"schedule {name}: disabled")


@schedules_app.command("enable")
def schedules_enable(name: str = typer.Argument(..., help="Schedule name or id.")) -> None:
    """Let a disabled schedule fire again."""
    from bot.broadcast.scheduling import set_enabled

    set_enabled(open_store(load_settings()), name, True)
    _out(f"schedule {name}: enabled")
