"""Writing the demo quarter's generated rows.

``bot/reports/demo.py`` decides what the demo looks like; this module is where its rows
meet SQL, so every statement of the product lives under ``bot/store/``. The demo's rows are
plain dicts; sqlite-utils tells which columns the table has and only those are kept, so the
demo also loads into a database migrated by an older release. The inserts themselves are
one ``executemany`` per table: sqlite-utils' ``insert_all`` cost roughly 0.3 s more CPU for
the ~34,000 demo rows (1.6 against 1.3 s on a loaded 2-CPU box), paid at every ``loa demo``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bot.store.db import Store

#: The tables the demo writes; anything else is a programming error, not a demo row.
DEMO_TABLES = frozenset(
    {"events", "activities", "faq_unanswered", "chats", "messages", "message_versions", "broadcasts", "deliveries"}
)


def _table(store: Store, name: str) -> Any:
    if name not in DEMO_TABLES:
        raise ValueError(f"the demo does not write table {name!r}")
    return store.db[name]


def _insert_sql(store: Store, table: str, names: list[str], *, ignore: bool) -> str:
    columns = set(_table(store, table).columns_dict)
    unknown = [n for n in names if n not in columns]
    if unknown:
        raise ValueError(f"table {table!r} has no column(s) {unknown}")
    verb = "INSERT OR IGNORE" if ignore else "INSERT"
    return f"{verb} INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"


def insert_rows(store: Store, table: str, rows: Iterable[dict[str, Any]], *, ignore: bool = False) -> None:
    """Insert many demo rows (dicts with the same keys) into ``table``; ``ignore`` skips
    rows whose key exists. Keys the table lacks are dropped."""
    batch = list(rows)
    if not batch:
        return
    columns = set(_table(store, table).columns_dict)
    names = [n for n in batch[0] if n in columns]
    store.conn.executemany(_insert_sql(store, table, names, ignore=ignore), [[r[n] for n in names] for r in batch])


def insert_row(store: Store, table: str, row: dict[str, Any]) -> int:
    """Insert one demo row into ``table`` (keys the table lacks are dropped); its rowid."""
    columns = set(_table(store, table).columns_dict)
    names = [n for n in row if n in columns]
    cur = store.conn.execute(_insert_sql(store, table, names, ignore=False), [row[n] for n in names])
    return int(cur.lastrowid or 0)


def set_unit_rate(store: Store, province: str, unit: str, rate_pct: float) -> None:
    """Give a commune of ``province`` a health-book integration rate (demo only)."""
    store.conn.execute(
        "UPDATE admin_units SET health_book_rate_pct = ? WHERE province = ? AND name = ?",
        (rate_pct, province, unit),
    )


def set_broadcast_code(store: Store, broadcast_id: int, code: str, digest: str) -> None:
    """Store a demo broadcast's genuine verification code and content hash."""
    if "content_hash" in store.db["broadcasts"].columns_dict:
        store.conn.execute(
            "UPDATE broadcasts SET code = ?, content_hash = ? WHERE id = ?", (code, digest, broadcast_id)
        )
