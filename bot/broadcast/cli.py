"""``loa messages ...`` and ``loa broadcast ...``: thin wrappers over the broadcast library.

Commands that create something print the new id alone on the last line of stdout.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from bot.commands.common import err_console, load_settings, open_store, setup_logging

if TYPE_CHECKING:
    from bot.store import Store


def _out(text: str = "", **_: object) -> None:
    """One plain line on stdout (no wrapping or markup: officers copy ids and codes)."""
    typer.echo(text)

messages_app = typer.Typer(help="Campaign messages and scam warnings: drafts, approval (four-eyes).", no_args_is_help=True)
broadcast_app = typer.Typer(help="Send approved messages to groups and subscribers.", no_args_is_help=True)


def _vars(pairs: list[str] | None) -> dict[str, str]:
    from bot.broadcast.errors import BroadcastError

    out = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise BroadcastError(f"bad --var {pair!r}; use NAME=VALUE")
        out[key.strip()] = value
    return out


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
        _out(f"message {message_id}: text unchanged, no new version")
    else:
        _out(f"message {message_id}: draft version saved; next: loa messages submit {message_id}")
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
        _out(f"{message_id:>4}  {path.parent.name}/{path.name}: {state}", highlight=False)


@messages_app.command("list")
def messages_list() -> None:
    """List messages with their latest version and state."""
    from bot.broadcast.messages import list_messages

    store = open_store(load_settings())
    rows = list_messages(store)
    if not rows:
        _out("No messages yet: loa messages add FILE --author NAME")
    for r in rows:
        _out(
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
    _out(f"{msg['id']}  {msg['kind']} / {msg['theme']}  {msg['title']}", highlight=False, markup=False)
    for v in msg["versions"]:
        extra = f" by {v['approver']}" if v.get("approver") else ""
        reason = f" — {v['reason']}" if v.get("reason") else ""
        _out(f"  v{v['version']} {v['state']} (author {v['author']}{extra}){reason}", highlight=False, markup=False)
    if msg["versions"]:
        seen = review(store, settings, message_id)
        if seen.problem:
            _out(f"\nv{seen.version} cannot be shown or approved: {seen.problem}", highlight=False, markup=False)
            _out("\n" + msg["versions"][-1]["body"], highlight=False, markup=False)
            return
        _out(f"\nv{seen.version} text hash: {seen.short_hash}  (sha256 {seen.text_hash})")
        if seen.state == "pending":
            _out(f"approve this text: loa messages approve {message_id} --by NAME --hash {seen.short_hash}")
        _out("\n" + seen.text, highlight=False, markup=False)


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
    _out(f"message {message_id}: new draft; next: loa messages submit {message_id}")
    typer.echo(version_id)


@messages_app.command("submit")
def messages_submit(message_id: int = typer.Argument(..., help="Message id.")) -> None:
    """Send the latest draft for approval."""
    from bot.broadcast.messages import submit

    store = open_store(load_settings())
    submit(store, message_id)
    _out(f"message {message_id}: pending approval (loa messages approve {message_id} --by APPROVER)")


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
    _out(f"message {message_id}: v{seen.version} approved by {by} (text hash {seen.short_hash})")


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
    _out(f"message {message_id}: v{seen.version} rejected by {by}")


@messages_app.command("retire")
def messages_retire(
    message_id: int = typer.Argument(..., help="Message id."),
    by: str = typer.Option(..., "--by", help="The officer retiring it."),
) -> None:
    """Retire a message so it can no longer be broadcast."""
    from bot.broadcast.messages import retire

    store = open_store(load_settings())
    retire(store, message_id, by)
    _out(f"message {message_id}: retired")


# --- broadcast ---------------------------------------------------------------------------------
TO_HELP = "Audience selector, repeatable: all, channel:telegram, unit:NAME, tag:TAG, groups, private, priority-units."


@broadcast_app.command("preview")
def broadcast_preview(
    to: list[str] = typer.Option(..., "--to", help=TO_HELP),
    message: int = typer.Option(None, "--message", help="Also show this message's text as residents will get it."),
    var: list[str] = typer.Option(None, "--var", help="Template value NAME=VALUE, repeatable."),
) -> None:
    """Count the chats an audience reaches now (opted-out and inactive chats excluded)."""
    from bot.broadcast import audiences, broadcasts

    settings = load_settings()
    store = open_store(settings)
    aud = audiences.parse_selectors(store, to, province=settings.province)
    p = audiences.preview(store, aud, province=settings.province)
    if message is not None:
        _out(broadcasts.preview_text(store, settings, message, to, _vars(var)))
        _out("")
    _out(f"{p['chats']} chat(s); group members ≈ {p['group_members']}", highlight=False)
    for key, n in p["by_channel_kind"].items():
        _out(f"  {key}: {n}", highlight=False)


@broadcast_app.command("create")
def broadcast_create(
    message: int = typer.Option(..., "--message", help="Message id (its approved version is sent)."),
    to: list[str] = typer.Option(..., "--to", help=TO_HELP),
    now: bool = typer.Option(False, "--now", help="Send as soon as the sender runs."),
    at: str = typer.Option(None, "--at", help='Local time "YYYY-MM-DD HH:MM" (LOA_TIMEZONE).'),
    var: list[str] = typer.Option(None, "--var", help="Template value NAME=VALUE, repeatable (e.g. dates=...)."),
    by: str = typer.Option(None, "--by", help="Officer creating it (recorded; must exist if given)."),
    quiet_hours: bool = typer.Option(False, "--respect-quiet-hours", help="Move a time inside quiet hours to their end."),
) -> None:
    """Create a broadcast of an approved message (prints the audience count, then the id)."""
    from bot.broadcast import audiences, broadcasts
    from bot.broadcast.errors import BroadcastError
    from bot.broadcast.timing import parse_future_time

    if now == bool(at):
        raise BroadcastError("choose exactly one of --now or --at")
    settings = load_settings()
    store = open_store(settings)
    when = parse_future_time(at, settings) if at else None
    aud = audiences.parse_selectors(store, to, province=settings.province)
    p = audiences.preview(store, aud, province=settings.province)
    bid = broadcasts.create_broadcast(
        store, settings, message_id=message, selectors=to, created_by=by or "cli", at=when,
        variables=_vars(var), quiet_hours=quiet_hours, check_user=by is not None,
    )
    row = broadcasts.get(store, bid)
    _out(
        f"broadcast {bid} ({row['code']}) for {p['chats']} chat(s) now, due {row['scheduled_at']} UTC;"
        " run the sender: loa broadcast run --until-done",
        highlight=False,
    )
    typer.echo(bid)


@broadcast_app.command("run")
def broadcast_run(
    until_done: bool = typer.Option(False, "--until-done", help="Stop when no due broadcast is left."),
    window: int = typer.Option(64, help="Sends in flight at once (bounds duplicates after a crash)."),
    no_limits: bool = typer.Option(False, "--no-limits", help="Switch rate limits off (local test servers only)."),
    quiet: bool = typer.Option(False, "--quiet", help="No progress bar."),
) -> None:
    """Run the sender in the foreground (Ctrl-C stops after the messages in flight)."""
    from bot.broadcast.limits import no_limits as off
    from bot.broadcast.sender import run_sender

    settings = load_settings()
    setup_logging(settings.log_level if not quiet else "WARNING")
    store = open_store(settings)

    async def main() -> object:
        import signal

        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            # Stop claiming, let the messages in flight finish and be recorded, then exit.
            loop.add_signal_handler(sig, stop.set)
        progress_task = None if quiet else asyncio.create_task(_progress(store, stop))
        try:
            return await run_sender(
                store, settings, until_done=until_done, stop=stop, window=window, limits=off() if no_limits else None
            )
        finally:
            stop.set()
            if progress_task:
                await progress_task

    stats = asyncio.run(main())
    _out(
        f"sender stopped: sent {stats.sent}, failed {stats.failed}, skipped {stats.skipped},"  # type: ignore[attr-defined]
        f" retried {stats.retried}, 429s {stats.rate_limited}",  # type: ignore[attr-defined]
        highlight=False,
    )


async def _progress(store: object, stop: asyncio.Event) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from bot.store import broadcast as db
    from bot.store import outbox

    bars: dict[int, object] = {}
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), console=err_console,
        transient=False,
    ) as progress:
        while True:
            for row in db.list_broadcasts(store, state="sending", limit=20) + db.list_broadcasts(store, state="done", limit=5):  # type: ignore[arg-type]
                counts = outbox.status_counts(store, row["id"])  # type: ignore[arg-type]
                done = counts["sent"] + counts["failed"] + counts["skipped"]
                if row["id"] not in bars:
                    if row["state"] == "done":
                        continue
                    bars[row["id"]] = progress.add_task(f"#{row['id']} {row['code']}", total=counts["total"])
                progress.update(bars[row["id"]], completed=done, total=counts["total"])  # type: ignore[arg-type]
            if stop.is_set():
                break
            await asyncio.sleep(0.5)


@broadcast_app.command("status")
def broadcast_status(
    broadcast_id: int = typer.Argument(..., help="Broadcast id."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Counts queued / sending / sent / failed / skipped, with reasons."""
    from bot.broadcast import broadcasts

    store = open_store(load_settings())
    st = broadcasts.status(store, broadcast_id)
    if as_json:
        typer.echo(json.dumps(st, ensure_ascii=False, indent=2))
        return
    c = st["counts"]
    _out(f"broadcast {st['id']} {st['code']} — {st['state']} ({', '.join(st['selectors'])})", highlight=False)
    _out(
        f"  total {c['total']}: sent {c['sent']}, queued {c['queued']}, sending {c['sending']},"
        f" failed {c['failed']}, skipped {c['skipped']}",
        highlight=False,
    )
    for reason, n in sorted(c["reasons"].items()):
        _out(f"  {reason}: {n}", highlight=False, markup=False)


@broadcast_app.command("list")
def broadcast_list(limit: int = typer.Option(20, help="How many, newest first.")) -> None:
    """Recent broadcasts with their counts."""
    from bot.broadcast import broadcasts

    store = open_store(load_settings())
    for r in broadcasts.list_recent(store, limit):
        c = r["counts"]
        _out(
            f"{r['id']:>4}  {r['code']}  {r['state']:<9} due {r['scheduled_at']}  sent {c['sent']}/{c['total']}"
            f"  failed {c['failed']}  {', '.join(r['selectors'])}",
            highlight=False,
            markup=False,
        )


@broadcast_app.command("pause")
def broadcast_pause(broadcast_id: int = typer.Argument(..., help="Broadcast id.")) -> None:
    """Pause a broadcast (in-flight sends finish)."""
    from bot.broadcast import broadcasts

    broadcasts.pause(open_store(load_settings()), broadcast_id)
    _out(f"broadcast {broadcast_id}: paused")


@broadcast_app.command("resume")
def broadcast_resume(broadcast_id: int = typer.Argument(..., help="Broadcast id.")) -> None:
    """Resume a paused broadcast."""
    from bot.broadcast import broadcasts

    broadcasts.resume(open_store(load_settings()), broadcast_id)
    _out(f"broadcast {broadcast_id}: resumed")


@broadcast_app.command("cancel")
def broadcast_cancel(broadcast_id: int = typer.Argument(..., help="Broadcast id.")) -> None:
    """Cancel a broadcast: chats not yet sent to are skipped."""
    from bot.broadcast import broadcasts

    n = broadcasts.cancel(open_store(load_settings()), broadcast_id)
    _out(f"broadcast {broadcast_id}: cancelled ({n} chat(s) skipped)")
