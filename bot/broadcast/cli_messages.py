"""``loa messages ...``: drafts, versions and the four-eyes approval, over the broadcast library.

Commands that create something print the new id alone on the last line of stdout.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from bot.broadcast.cli import echo_line
from bot.cli_helpers import load_settings, open_store

if TYPE_CHECKING:
    from bot.store import Store

messages_app = typer.Typer(help="Campaign messages and scam warnings: drafts, approval (four-eyes).", no_args_is_help=True)


# --- messages --------------------------------------------------------------------------------
@messages_app.command("add")
def messages_add(
    file: Path = typer.Argument(..., help="A message .yaml (see messages/campaigns/) or a plain .txt / .md text."),
    author: str = typer.Option(..., "--author", help="The editor writing it (a user with the editor role)."),
    kind: str = typer.Option(None, help="campaign | scam_warning (default: from the file or folder)."),
    theme: str = typer.Option(None, help="screening | vneid | health_book | scam_warning | other."),
) -> None:
    """Add a message as a draft (or a new draft of a library message whose text changed)."""
    from bot.broadcast.library import add_from_file

    settings = load_settings()
    store = open_store(settings)
    message_id, version_id = add_from_file(store, file, author, kind=kind, theme=theme)
    if version_id is None:
        echo_line(f"message {message_id}: text unchanged, no new version")
    else:
        echo_line(f"message {message_id}: draft version saved; next: loa messages submit {message_id}")
    typer.echo(message_id)


@messages_app.command("load")
def messages_load(
    author: str = typer.Option(..., "--author", help="The editor recorded as author of new drafts."),
) -> None:
    """Load the whole library (messages/campaigns, messages/scam_warnings) as drafts."""
    from bot.broadcast.library import load_library

    settings = load_settings()
    store = open_store(settings)
    for path, message_id, version_id in load_library(store, settings.content_dir, author):
        state = "new draft" if version_id else "unchanged"
        echo_line(f"{message_id:>4}  {path.parent.name}/{path.name}: {state}", highlight=False)


@messages_app.command("list")
def messages_list() -> None:
    """List messages with their latest version and state."""
    from bot.broadcast.messages import list_messages

    store = open_store(load_settings())
    rows = list_messages(store)
    if not rows:
        echo_line("No messages yet: loa messages add FILE --author NAME")
    for r in rows:
        echo_line(
            f"{r['id']:>4}  v{r['version'] or 0:<3} {r['state'] or '-':<9} {r['kind']:<13} {r['theme']:<12} {r['title']}",
            highlight=False,
            markup=False,
        )


@messages_app.command("show")
def messages_show(message_id: int = typer.Argument(..., help="Message id.")) -> None:
    """Show a message's versions and the latest text as approvers see it, with its text hash."""
    from bot.broadcast.messages import message_detail, review

    settings = load_settings()
    store = open_store(settings)
    msg = message_detail(store, message_id)
    echo_line(f"{msg['id']}  {msg['kind']} / {msg['theme']}  {msg['title']}", highlight=False, markup=False)
    for v in msg["versions"]:
        extra = f" by {v['approver']}" if v.get("approver") else ""
        reason = f" — {v['reason']}" if v.get("reason") else ""
        echo_line(f"  v{v['version']} {v['state']} (author {v['author']}{extra}){reason}", highlight=False, markup=False)
    if msg["versions"]:
        seen = review(store, settings, message_id)
        if seen.problem:
            echo_line(f"\nv{seen.version} cannot be shown or approved: {seen.problem}", highlight=False, markup=False)
            echo_line("\n" + msg["versions"][-1]["body"], highlight=False, markup=False)
            return
        echo_line(f"\nv{seen.version} text hash: {seen.short_hash}  (sha256 {seen.text_hash})")
        if seen.state == "pending":
            echo_line(f"approve this text: loa messages approve {message_id} --by NAME --hash {seen.short_hash}")
        echo_line("\n" + seen.text, highlight=False, markup=False)


@messages_app.command("edit")
def messages_edit(
    message_id: int = typer.Argument(..., help="Message id."),
    file: Path = typer.Argument(..., help="New text (.yaml / .txt / .md)."),
    author: str = typer.Option(..., "--author", help="The editor."),
) -> None:
    """Make a new draft version from a file (the approved one stays in force until the new one is approved)."""
    from bot.broadcast.library import parse_file
    from bot.broadcast.messages import edit_message

    store = open_store(load_settings())
    item = parse_file(file)
    version_id = edit_message(store, message_id, item.body, author, vars=item.vars or None)
    echo_line(f"message {message_id}: new draft; next: loa messages submit {message_id}")
    typer.echo(version_id)


@messages_app.command("submit")
def messages_submit(message_id: int = typer.Argument(..., help="Message id.")) -> None:
    """Send the latest draft for approval."""
    from bot.broadcast.messages import submit

    store = open_store(load_settings())
    submit(store, message_id)
    echo_line(f"message {message_id}: pending approval (loa messages approve {message_id} --by APPROVER)")


def _audit(store: Store, by: str, action: str, message_id: int, **detail: object) -> None:
    """Record a decision taken at the command line in the same audit log as the admin's."""
    from datetime import UTC, datetime

    from bot.store import admin as admin_store
    from bot.store.events import to_db_time

    admin_store.add_audit(
        store,
        at=to_db_time(datetime.now(UTC)),
        user=by,
        action=action,
        target=f"message:{message_id}",
        detail={**detail, "via": "cli"},
    )


HASH_HELP = "The text hash of the version you read (first 8+ characters, from: loa messages show ID)."


@messages_app.command("approve")
def messages_approve(
    message_id: int = typer.Argument(..., help="Message id."),
    by: str = typer.Option(..., "--by", help="The approver (not the author)."),
    text_hash: str = typer.Option(..., "--hash", help=HASH_HELP),
) -> None:
    """Approve the pending version whose text you read (four-eyes: the approver cannot be the author)."""
    from bot.broadcast.messages import approve

    settings = load_settings()
    store = open_store(settings)
    seen = approve(store, settings, message_id, by, version_id=None, text_hash=text_hash)
    _audit(store, by, "message.approve", message_id, version=seen.version_id, text_sha256=seen.text_hash)
    echo_line(f"message {message_id}: v{seen.version} approved by {by} (text hash {seen.short_hash})")


@messages_app.command("reject")
def messages_reject(
    message_id: int = typer.Argument(..., help="Message id."),
    by: str = typer.Option(..., "--by", help="The approver."),
    reason: str = typer.Option(..., "--reason", help="Why (shown to the author)."),
    text_hash: str = typer.Option(None, "--hash", help=HASH_HELP + " Optional for a rejection."),
) -> None:
    """Reject the pending version with a reason."""
    from bot.broadcast.messages import reject

    settings = load_settings()
    store = open_store(settings)
    seen = reject(store, settings, message_id, by, reason, text_hash=text_hash)
    _audit(store, by, "message.reject", message_id, version=seen.version_id, text_sha256=seen.text_hash, reason=reason)
    echo_line(f"message {message_id}: v{seen.version} rejected by {by}")


@messages_app.command("retire")
def messages_retire(
    message_id: int = typer.Argument(..., help="Message id."),
    by: str = typer.Option(..., "--by", help="The officer retiring it."),
) -> None:
    """Retire a message so it can no longer be broadcast."""
    from bot.broadcast.messages import retire

    store = open_store(load_settings())
    retire(store, message_id, by)
    echo_line(f"message {message_id}: retired")
