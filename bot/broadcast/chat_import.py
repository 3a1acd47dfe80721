"""Importing chats for targeting: ``loa chats import FILE`` (CSV or .xlsx).

Columns: ``channel, chat_id, kind, title, unit, tags`` (tags separated by ``;`` or ``|``).
The file is read by the shared table reader (``bot/tables.py``) and each row checked into a
:class:`ChatRow`. The whole file is checked first; any bad row refuses the import with line
numbers, so a half-imported audience never happens. A commune is resolved exactly as an
audience selector resolves it: a typo or an ambiguous name is refused, never guessed.
Existing chats are updated (title, unit, tags, kind).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationInfo, field_validator

from bot.broadcast.audiences import normalize_tag, resolve_audience_unit
from bot.broadcast.errors import BroadcastError
from bot.errors import DataFileError
from bot.store import Store, outbox
from bot.store import chats as chat_store
from bot.tables import Columns, read_table, typed_rows

COLUMNS = ("channel", "chat_id", "kind", "title", "unit", "tags")
CHAT_COLUMNS = Columns(known=COLUMNS, required=("channel", "chat_id", "kind"))
KINDS = ("private", "group")
TELEGRAM_ID = re.compile(r"-?[0-9]{1,19}")


def parse_tags(text: str) -> list[str]:
    """``"người cao tuổi; phu_huynh"`` → ``["nguoi_cao_tuoi", "phu_huynh"]``."""
    parts = [p for chunk in (text or "").replace("|", ";").split(";") for p in chunk.split(",")]
    return sorted({normalize_tag(p) for p in parts if normalize_tag(p)})


class ChatRow(BaseModel):
    """One row of a chats file; the validators' messages are the refusals shown per line."""

    channel: str = ""
    chat_id: str = ""
    kind: str = ""
    title: str = ""
    unit: str = ""
    tags: str = ""

    @field_validator("channel", "kind", mode="before")
    @classmethod
    def _lower(cls, value: Any) -> Any:
        return value.lower() if isinstance(value, str) else value

    @field_validator("channel")
    @classmethod
    def _known_channel(cls, value: str) -> str:
        if value not in outbox.PUSH_CHANNELS:
            raise ValueError(f"channel must be telegram or zalo, not {value!r}")
        return value

    @field_validator("chat_id")
    @classmethod
    def _chat_id(cls, value: str, info: ValidationInfo) -> str:
        if not value:
            raise ValueError("empty chat_id")
        if info.data.get("channel") == "telegram" and not TELEGRAM_ID.fullmatch(value):
            raise ValueError(f"a Telegram chat_id is a whole number, not {value[:32]!r}")
        return value

    @field_validator("kind")
    @classmethod
    def _kind(cls, value: str) -> str:
        if value not in KINDS:
            raise ValueError(f"kind must be private or group, not {value!r}")
        return value


def read_chats(store: Store, path: Path, *, province: str | None = None) -> list[dict[str, Any]]:
    """Parse and check the file; raise ``DataFileError`` listing every bad line."""
    checked, errors = typed_rows(read_table(path, CHAT_COLUMNS), ChatRow)
    messages = {line: reason for line, reason in errors}
    rows, seen = [], set()
    for line, r in checked:
        if (r.channel, r.chat_id) in seen:
            messages[line] = f"duplicate chat {r.channel}:{r.chat_id}"
            continue
        seen.add((r.channel, r.chat_id))
        unit = r.unit
        if unit:
            try:
                unit = resolve_audience_unit(store, unit, province)
            except BroadcastError as exc:
                messages[line] = str(exc)
                continue
        rows.append(
            {"channel": r.channel, "chat_id": r.chat_id, "kind": r.kind, "title": r.title, "unit": unit,
             "tags": parse_tags(r.tags)}
        )
    if messages:
        shown_lines = [f"line {line}: {messages[line]}" for line in sorted(messages)]
        shown = "; ".join(shown_lines[:10]) + (f"; … {len(shown_lines) - 10} more" if len(shown_lines) > 10 else "")
        raise DataFileError(f"{path}: {len(messages)} bad row(s), nothing imported: {shown}")
    return rows


def import_chats(store: Store, path: Path, *, province: str | None = None) -> tuple[int, int]:
    """Import the file in one transaction; return (created, updated)."""
    rows = read_chats(store, path, province=province)
    return chat_store.upsert_chats(store, rows)
