"""Importing chats for targeting: ``loa chats import FILE.csv``.

Columns: ``channel, chat_id, kind, title, unit, tags`` (tags separated by ``;`` or ``|``).
The whole file is checked first; any bad row refuses the import with line numbers, so a
half-imported audience never happens. Existing chats are updated (title, unit, tags, kind).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

from bot.broadcast.audiences import normalize_tag
from bot.errors import DataFileError
from bot.store import Store, outbox
from bot.tablefile import check_file_size, guard_rows

COLUMNS = ("channel", "chat_id", "kind", "title", "unit", "tags")
KINDS = ("private", "group")
TELEGRAM_ID = re.compile(r"-?[0-9]{1,19}")


def parse_tags(text: str) -> list[str]:
    """``"người cao tuổi; phu_huynh"`` → ``["nguoi_cao_tuoi", "phu_huynh"]``."""
    parts = [p for chunk in (text or "").replace("|", ";").split(";") for p in chunk.split(",")]
    return sorted({normalize_tag(p) for p in parts if normalize_tag(p)})


def read_chats(store: Store, path: Path, *, province: str | None = None) -> list[dict[str, Any]]:
    """Parse and check the CSV; raise ``DataFileError`` listing every bad line."""
    from bot.units import resolve_unit

    if not path.exists():
        raise DataFileError(f"file not found: {path}")
    check_file_size(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = guard_rows(csv.reader(fh))
            header = [h.strip().lower() for h in next(reader, [])]
            missing = [c for c in ("channel", "chat_id", "kind") if c not in header]
            if missing:
                raise DataFileError(f"{path}: missing columns {', '.join(missing)} (need {', '.join(COLUMNS)})")
            raw_rows = [{k: (v or "").strip() for k, v in zip(header, r, strict=False)} for r in reader]
    except UnicodeDecodeError as exc:
        raise DataFileError(f"{path}: not UTF-8 text") from exc
    except csv.Error as exc:
        raise DataFileError(f"{path}: unreadable CSV ({exc})") from exc
    rows, errors, seen = [], [], set()
    for line, r in enumerate(raw_rows, start=2):
        channel, chat_id, kind = r.get("channel", "").lower(), r.get("chat_id", ""), r.get("kind", "").lower()
        if channel not in outbox.PUSH_CHANNELS:
            errors.append(f"line {line}: channel must be telegram or zalo, not {channel!r}")
            continue
        if not chat_id:
            errors.append(f"line {line}: empty chat_id")
            continue
        if channel == "telegram" and not TELEGRAM_ID.fullmatch(chat_id):
            errors.append(f"line {line}: a Telegram chat_id is a whole number, not {chat_id[:32]!r}")
            continue
        if kind not in KINDS:
            errors.append(f"line {line}: kind must be private or group, not {kind!r}")
            continue
        if (channel, chat_id) in seen:
            errors.append(f"line {line}: duplicate chat {channel}:{chat_id}")
            continue
        seen.add((channel, chat_id))
        unit = r.get("unit", "")
        if unit:
            match = resolve_unit(store, unit, province)
            if match.unit is None:
                hint = f" (did you mean {', '.join(match.candidates)}?)" if match.candidates else ""
                errors.append(f"line {line}: unknown unit {unit!r}{hint}")
                continue
            unit = str(match.unit["name"])
        rows.append(
            {"channel": channel, "chat_id": chat_id, "kind": kind, "title": r.get("title", ""), "unit": unit,
             "tags": parse_tags(r.get("tags", ""))}
        )
    if errors:
        shown = "; ".join(errors[:10]) + (f"; … {len(errors) - 10} more" if len(errors) > 10 else "")
        raise DataFileError(f"{path}: {len(errors)} bad row(s), nothing imported: {shown}")
    return rows


def import_chats(store: Store, path: Path, *, province: str | None = None) -> tuple[int, int]:
    """Import the CSV in one transaction; return (created, updated)."""
    rows = read_chats(store, path, province=province)
    return outbox.upsert_chats(store, rows)
