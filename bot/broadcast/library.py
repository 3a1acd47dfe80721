"""The message library: ``messages/campaigns/*.yaml`` and ``messages/scam_warnings/*.yaml``.

A file looks like::

    title: Lịch khám sàng lọc miễn phí
    theme: screening            # screening | vneid | health_book | scam_warning | other
    issuer: Sở Y tế Hải Phòng   # optional
    vars:                       # optional defaults for the Jinja2 placeholders
      dates: "từ 01/12 đến 20/12/2026"
    body: |
      Khám sức khỏe miễn phí tại {{ commune }} {{ dates }} ...

Loading a file creates the message (slug = ``campaigns/<file stem>``) with a draft by the
given author, or — when the text changed — a new draft of the existing message. Plain
``.txt`` / ``.md`` files are a body alone (title = first line).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.broadcast import messages
from bot.broadcast.errors import BroadcastError
from bot.errors import DataFileError
from bot.store import Store
from bot.store import broadcast as db
from bot.text import nfc

FOLDERS: dict[str, str] = {"campaigns": "campaign", "scam_warnings": "scam_warning"}


@dataclass
class LibraryMessage:
    """One message file, parsed."""

    path: Path
    kind: str
    theme: str
    title: str
    body: str
    slug: str | None = None
    issuer: str | None = None
    vars: dict[str, Any] = field(default_factory=dict)


def parse_file(path: Path, *, kind: str | None = None, theme: str | None = None) -> LibraryMessage:
    """Read a YAML / .txt / .md message file; raise ``DataFileError`` with the reason."""
    import yaml

    if not path.exists():
        raise DataFileError(f"message file not found: {path}")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataFileError(f"{path}: not UTF-8 text") from exc
    folder_kind = FOLDERS.get(path.parent.name)
    slug = f"{path.parent.name}/{path.stem}" if folder_kind else None
    if path.suffix.lower() in (".txt", ".md"):
        body = nfc(text).strip()
        first = body.splitlines()[0].lstrip("# ").strip() if body else ""
        return LibraryMessage(
            path, kind or folder_kind or "campaign", theme or "other", first[:80] or path.stem, body, slug=slug
        )
    if path.suffix.lower() not in (".yaml", ".yml"):
        raise DataFileError(f"{path}: use a .yaml, .txt or .md file")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise DataFileError(f"{path}: invalid YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("body"), str):
        raise DataFileError(f"{path}: needs at least a 'body:' text")
    vars_ = data.get("vars") or {}
    if not isinstance(vars_, dict):
        raise DataFileError(f"{path}: 'vars' must be a mapping")
    default_kind = "scam_warning" if (folder_kind == "scam_warning") else "campaign"
    return LibraryMessage(
        path,
        kind or str(data.get("kind") or folder_kind or default_kind),
        theme or str(data.get("theme") or ("scam_warning" if default_kind == "scam_warning" else "other")),
        nfc(str(data.get("title") or path.stem)).strip(),
        nfc(data["body"]).strip(),
        slug=slug,
        issuer=nfc(str(data["issuer"])).strip() if data.get("issuer") else None,
        vars={str(k): nfc(str(v)) for k, v in vars_.items()},
    )


def add_from_file(
    store: Store, path: Path, author: str, *, kind: str | None = None, theme: str | None = None
) -> tuple[int, int | None]:
    """Create (or update) a message from a file; return (message id, new version id or None if unchanged)."""
    item = parse_file(path, kind=kind, theme=theme)
    try:
        return upsert(store, item, author)
    except BroadcastError as exc:
        raise BroadcastError(f"{path}: {exc}") from exc


def upsert(store: Store, item: LibraryMessage, author: str) -> tuple[int, int | None]:
    """Create the message, or add a draft if its library text changed; (message id, version id or None)."""
    existing = db.get_message_by_slug(store, item.slug) if item.slug else None
    if existing is None:
        return messages.create_message(
            store,
            kind=item.kind,
            theme=item.theme,
            title=item.title,
            body=item.body,
            author=author,
            slug=item.slug,
            issuer=item.issuer,
            vars=item.vars,
        )
    message_id = int(existing["id"])
    latest_id = db.latest_version_id(store, message_id)
    latest = db.get_version(store, latest_id) if latest_id else None
    if latest and latest["body"] == item.body and latest["vars"] == item.vars and latest["state"] != "retired":
        return message_id, None
    db.update_message(store, message_id, title=item.title, issuer=item.issuer)
    return message_id, messages.edit_message(store, message_id, item.body, author, vars=item.vars)


def library_files(content_dir: Path) -> list[Path]:
    """Every message file of the library, in a stable order."""
    root = Path(content_dir) / "messages"
    files: list[Path] = []
    for folder in FOLDERS:
        d = root / folder
        if d.is_dir():
            files += sorted(p for p in d.iterdir() if p.suffix.lower() in (".yaml", ".yml", ".txt", ".md"))
    return files


def load_library(store: Store, content_dir: Path, author: str) -> list[tuple[Path, int, int | None]]:
    """Load every library file (new messages and changed texts become drafts by ``author``)."""
    return [(path, *add_from_file(store, path, author)) for path in library_files(content_dir)]
