"""``loa broadcast ...``: thin wrappers over the broadcast library (``loa messages`` is in
``cli_messages.py``).

Commands that create something print the new id alone on the last line of stdout.
"""

from __future__ import annotations

import asyncio
import json

import typer

from bot.cli_helpers import err_console, load_settings, open_store, setup_logging


def echo_line(text: str = "", **_: object) -> None:
    """One plain line on stdout (no wrapping or markup: officers copy ids and codes)."""
    typer.echo(text)

broadcast_app = typer.Typer(help="Send approved messages to groups and subscribers.", no_args_is_help=True)


def parse_vars(pairs: list[str] | None) -> dict[str, str]:
    """``--var NAME=VALUE`` options as a dict (a bad one is a clear error)."""
    from bot.broadcast.errors import BroadcastError

    out = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise BroadcastError(f"bad --var {pair!r}; use NAME=VALUE")
        out[key.strip()] = value
    return out


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
        echo_line(broadcasts.preview_text(store, settings, message, to, parse_vars(var)))
        echo_line("")
    echo_line(f"{p['chats']} chat(s); group members ≈ {p['group_members']}", highlight=False)
    for key, n in p["by_channel_kind"].items():
        echo_line(f"  {key}: {n}", highlight=False)


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
        variables=parse_vars(var), quiet_hours=quiet_hours, check_user=by is not None,
    )
    row = broadcasts.get(store, bid)
    echo_line(
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
    echo_line(
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
    echo_line(f"broadcast {st['id']} {st['code']} — {st['state']} ({', '.join(st['selectors'])})", highlight=False)
    echo_line(
        f"  total {c['total']}: sent {c['sent']}, queued {c['queued']}, sending {c['sending']},"
        f" failed {c['failed']}, skipped {c['skipped']}",
        highlight=False,
    )
    for reason, n in sorted(c["reasons"].items()):
        echo_line(f"  {reason}: {n}", highlight=False, markup=False)


@broadcast_app.command("list")
def broadcast_list(limit: int = typer.Option(20, help="How many, newest first.")) -> None:
    """Recent broadcasts with their counts."""
    from bot.broadcast import broadcasts

    store = open_store(load_settings())
    for r in broadcasts.list_recent(store, limit):
        c = r["counts"]
        echo_line(
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
    echo_line(f"broadcast {broadcast_id}: paused")


@broadcast_app.command("resume")
def broadcast_resume(broadcast_id: int = typer.Argument(..., help="Broadcast id.")) -> None:
    """Resume a paused broadcast."""
    from bot.broadcast import broadcasts

    broadcasts.resume(open_store(load_settings()), broadcast_id)
    echo_line(f"broadcast {broadcast_id}: resumed")


@broadcast_app.command("cancel")
def broadcast_cancel(broadcast_id: int = typer.Argument(..., help="Broadcast id.")) -> None:
    """Cancel a broadcast: chats not yet sent to are skipped."""
    from bot.broadcast import broadcasts

    n = broadcasts.cancel(open_store(load_settings()), broadcast_id)
    echo_line(f"broadcast {broadcast_id}: cancelled ({n} chat(s) skipped)")
