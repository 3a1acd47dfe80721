"""The ``loa`` command line. Every command is a thin wrapper over library functions;
expected failures print one clear line and exit non-zero, never a traceback."""

from __future__ import annotations

import contextlib
import sqlite3
import sys
from pathlib import Path

import typer

from bot.cli_helpers import console, err_console, load_settings, open_store, setup_logging
from bot.config import Settings
from bot.errors import LoaError
from bot.features import all_features

app = typer.Typer(
    name="loa",
    help="Loa — the digital ward loudspeaker for the 2026 free health-check campaign.\n\n"
    "Settings come from LOA_* environment variables or a .env file (see .env.example).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
config_app = typer.Typer(help="Show the configuration.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(config_app, name="config")

DEMO_DB = Path("loa-demo.db")


def check_port_free(host: str, port: int) -> None:
    """Raise ``LoaError`` if ``host:port`` cannot be bound (another program listens there)."""
    import socket

    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
            probe.bind((host, port))
    except OSError as exc:
        raise LoaError(
            f"Cổng {port} đang bận, dùng --port (port {port} on {host} is in use: {exc.strerror or exc})"
        ) from exc


def _serve(settings: object, *, demo: bool) -> None:
    import uvicorn

    from bot.web.app import create_app

    app_ = create_app(settings, demo=demo)  # type: ignore[arg-type]
    config = uvicorn.Config(
        app_,
        host=settings.host,  # type: ignore[attr-defined]
        port=settings.port,  # type: ignore[attr-defined]
        log_level="warning",
        lifespan="on",
        # Forwarded headers are judged by Loa's own LOA_TRUSTED_PROXIES (bot.web.proxies).
        proxy_headers=False,
    )
    server = uvicorn.Server(config)
    # Ctrl-C: uvicorn shuts the lifespan down cleanly; nothing more to report.
    with contextlib.suppress(KeyboardInterrupt):
        server.run()


@app.command()
def demo(
    port: int = typer.Option(None, help="Port for the web app (default LOA_PORT or 8080)."),
    host: str = typer.Option(None, help="Address to listen on (default LOA_HOST or 127.0.0.1)."),
    db: Path = typer.Option(None, help="Demo database file (default LOA_DB if set, else ./loa-demo.db)."),
) -> None:
    """Run Loa with demo content: web chat (and admin) on localhost, no tokens needed."""
    settings = load_settings(port=port, host=host, db=db)
    if db is None and "db" not in settings.model_fields_set:
        settings = settings.model_copy(update={"db": DEMO_DB})
    # "No tokens": a bot token in .env must not connect real residents to demo content, nor
    # let the demo's sender and schedules message anyone.
    settings = settings.model_copy(update={"telegram_token": None, "zalo_token": None})
    if _is_real_database(settings.db):
        # Demo officers with printed passwords, invented chats and a made-up quarter must
        # never land in the office's database (LOA_DB in .env, as .env.example sets it).
        raise LoaError(
            f"{settings.db} is a real Loa database, not a demo one; `loa demo` would add demo "
            f"officers, chats and invented figures to it. Use `loa demo --db {DEMO_DB}` or `loa run`."
        )
    setup_logging(settings.log_level, settings.log_format)
    # A busy port must fail before the banner prints logins for a server that never starts.
    check_port_free(settings.host, settings.port)
    # Open once here so a bad database fails with one clear line before the server starts.
    from bot.demo import load_demo
    from bot.ops.lock import instance_lock

    with instance_lock(settings.db):
        store = open_store(settings, create=True)
        banner = load_demo(store, settings)
        store.close()
        console.print(f"[bold]Loa demo[/bold] — database {settings.db} (dữ liệu mẫu)")
        console.print(f"  Web chat:  [link]{settings.base_url}/chat[/link]")
        for line in banner:
            console.print(line.format(base=settings.base_url))
        console.print("  Press Ctrl-C to stop.")
        _serve(settings, demo=True)
    console.print("Loa stopped.")


def _is_real_database(path: Path) -> bool:
    """True for an existing Loa database that ``loa demo`` did not create."""
    from bot.store import Store

    if not path.exists() or path.stat().st_size == 0:
        return False
    try:
        store = Store.open(path, migrate=False)
    except LoaError:
        return False  # unreadable: open_store reports it in one line
    try:
        return bool(store.applied_migrations()) and store.get_meta("demo") != "1"
    except sqlite3.Error:
        return False
    finally:
        store.close()


@app.command()
def run(
    init: bool = typer.Option(False, "--init", help="Create the database if it does not exist yet."),
) -> None:
    """Serve residents: web chat, plus Telegram and Zalo for every token set."""
    from bot.ops.lock import instance_lock

    settings = load_settings()
    setup_logging(settings.log_level, settings.log_format)
    check_port_free(settings.host, settings.port)
    # One serving process per database; `loa restore` checks this lock.
    with instance_lock(settings.db):
        _backup_before_migrate(settings)
        store = open_store(settings, create=init)
        store.close()
        console.print(f"Loa serving {settings.province} on {settings.base_url} (database {settings.db})")
        _serve(settings, demo=False)
    console.print("Loa stopped.")


@app.command()
def chat(
    demo_content: bool = typer.Option(False, "--demo", help="Use the demo database and content."),
) -> None:
    """Talk to Loa in the terminal, as a resident would."""
    from bot.channels.console import console_loop
    from bot.runtime import open_runtime

    settings = load_settings()
    if demo_content and "db" not in settings.model_fields_set:
        settings = settings.model_copy(update={"db": DEMO_DB})
    if demo_content and _is_real_database(settings.db):
        raise LoaError(f"{settings.db} is a real Loa database, not a demo one; unset LOA_DB to use {DEMO_DB}.")
    setup_logging("WARNING")
    runtime = open_runtime(settings, demo=demo_content)
    try:
        console_loop(runtime.dialog)
    finally:
        runtime.dialog.writes.close()
        runtime.store.close()


def _backup_before_migrate(settings: Settings) -> None:
    """Copy an existing database before its schema is upgraded (nothing to do otherwise)."""
    from bot.ops.jobs import backup_before_migrate

    result = backup_before_migrate(settings)
    if result is not None:
        console.print(f"backup before upgrading: {result.path} ({result.size / (1 << 20):.1f} MiB)", highlight=False)


@db_app.command("migrate")
def db_migrate() -> None:
    """Create the database or upgrade it to the current schema."""
    from bot.store import Store

    settings = load_settings()
    _backup_before_migrate(settings)
    store = Store.open(settings.db, migrate=False)
    applied = store.migrate()
    store.close()
    if applied:
        console.print(f"{settings.db}: applied {', '.join(applied)}")
    else:
        console.print(f"{settings.db}: up to date")


@db_app.command("status")
def db_status() -> None:
    """Show applied and pending migrations."""
    from bot.store import Store

    settings = load_settings()
    store = Store.open(settings.db, migrate=False)
    for mid in store.applied_migrations():
        console.print(f"applied  {mid}")
    for m in store.pending_migrations():
        console.print(f"pending  {m.id}")
    store.close()


@db_app.command("retention")
def db_retention(
    dry_run: bool = typer.Option(False, "--dry-run", help="Only show what would be folded and deleted."),
) -> None:
    """Fold per-resident events older than LOA_RETENTION_DAYS into the daily aggregates and delete them."""
    from datetime import UTC, datetime

    from bot.store import Store
    from bot.store.retention import apply_retention, summary_vi

    settings = load_settings()
    store = Store.open(settings.db)
    try:
        result = apply_retention(
            store, days=settings.retention_days, tz=settings.timezone, now=datetime.now(UTC), dry_run=dry_run
        )
    finally:
        store.close()
    verb = "would delete" if dry_run else "deleted"
    console.print(
        f"{settings.db}: events before {result.cutoff.isoformat()} (LOA_RETENTION_DAYS={settings.retention_days}):"
        f" {verb} {result.events:,}; resident numbers forgotten: {result.numbers_forgotten:,}",
        highlight=False,
    )
    console.print(summary_vi(result, settings.retention_days), highlight=False)


@config_app.command("show")
def config_show() -> None:
    """Print every setting (secrets masked) with its environment variable."""
    from bot.config import env_name

    settings = load_settings()
    for name, value in settings.masked().items():
        console.print(f"{env_name(name)}={value}", highlight=False, markup=False)


@config_app.command("example")
def config_example() -> None:
    """Print a .env.example documenting every setting with its default."""
    from bot.config import env_example

    typer.echo(env_example(), nl=False)


# Feature sub-commands (sites, messages, broadcast, report, ...), in feature order.
for _feature in all_features():
    _feature.add_cli(app)


def main() -> None:
    """Entry point: run the Typer app, turning expected errors into one line."""
    try:
        code = app(standalone_mode=False)
        # With standalone_mode=False click returns (not raises) the code of a typer.Exit.
        if isinstance(code, int) and code:
            sys.exit(code)
    except LoaError as exc:
        err_console.print(f"[red]Error:[/red] {exc}", highlight=False)
        sys.exit(1)
    except sqlite3.Error as exc:
        from bot.store.db import describe_sqlite_error

        err_console.print(f"[red]Database error:[/red] {describe_sqlite_error(exc)}", highlight=False)
        sys.exit(1)
    except OSError as exc:
        err_console.print(f"[red]Error:[/red] {exc.strerror or exc}: {getattr(exc, 'filename', '') or ''}", highlight=False)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        err_console.print("Aborted.")
        sys.exit(1)
    except Exception as exc:  # usage errors arrive here with standalone_mode=False
        show = getattr(exc, "show", None)
        if callable(show) and hasattr(exc, "exit_code"):
            show()
            sys.exit(exc.exit_code)
        err_console.print(f"[red]Unexpected error:[/red] {type(exc).__name__}: {exc}", highlight=False)
        sys.exit(1)


if __name__ == "__main__":
    main()
