"""``loa backup``, ``loa restore`` and ``loa doctor``: thin wrappers over ``bot.ops``."""

from __future__ import annotations

from pathlib import Path

import typer

from bot.cli_helpers import console, load_settings


def _size(n: int) -> str:
    return f"{n / (1 << 20):.1f} MiB" if n >= 1 << 20 else f"{n / 1024:.1f} KiB"


def backup(
    dest: Path = typer.Argument(None, help="File or folder for the copy (default: LOA_BACKUP_DIR)."),
    gzip_: bool = typer.Option(False, "--gzip", help="Compress the copy (.gz)."),
) -> None:
    """Copy the database while Loa keeps serving, check the copy, print where it is."""
    from bot.ops.backup import backup_database, record_backup

    settings = load_settings()
    target = dest if dest is not None else settings.backup_folder
    if dest is None:
        target.mkdir(parents=True, exist_ok=True)
    result = backup_database(Path(settings.db), target, compress=gzip_)
    record_backup(Path(settings.db), result)
    console.print(f"{result.path}  {_size(result.size)}  {result.seconds:.2f} s  (integrity ok)", highlight=False, soft_wrap=True)


def restore(
    file: Path = typer.Argument(..., help="A backup made by `loa backup` (.db or .db.gz)."),
) -> None:
    """Replace the database with a backup (Loa must be stopped); the old file is kept."""
    from bot.ops.backup import restore_database

    settings = load_settings()
    kept, seconds = restore_database(file, Path(settings.db))
    console.print(f"{settings.db} restored from {file} in {seconds:.2f} s", highlight=False, soft_wrap=True)
    if kept is not None:
        console.print(f"the replaced database is kept as {kept}", highlight=False, soft_wrap=True)


def doctor() -> None:
    """Check settings, database, disk, tokens, webhooks and backups; one line each."""
    from bot.ops.doctor import run_doctor

    findings = run_doctor(load_settings())
    for finding in findings:
        console.print(finding.line(), highlight=False, markup=False, soft_wrap=True)
    if not all(f.ok for f in findings):
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add the commands to the ``loa`` app."""
    app.command()(backup)
    app.command()(restore)
    app.command()(doctor)
