"""Daily aggregates of the events log, so a report of any period is a sum over days.

- ``rollup_events``: events per (local day, type, unit, topic, value), plus unit ``*`` rows
  for the whole area (a whole-city report reads a few rows a day instead of one per commune);
- ``rollup_latency``: reply times of ``interaction`` events per (day, unit, ms), with unit
  ``*`` holding the whole area (a median needs the whole distribution);
- ``rollup_residents``: who was served each day, as resident numbers (``resident_numbers``
  maps a keyed hash to a small integer): a bitmap for the whole area (unit ``*``) and a
  sorted array per unit, so distinct residents over any period is a union over days;
- ``rollup_deliveries``: deliveries sent and failed per (day, broadcast, channel, unit) for
  days that are settled (two days old, no delivery of their broadcasts still waiting);
- ``rollup_delivery_chats``: per settled calendar month and chat, deliveries sent and failed
  and the chat's latest delivery (distinct chats reached is not a sum over days, but it is a
  sum over whole months plus the days at the edges);
- ``rollup_state``: how far the rollup has read the log (last event id, time zone);
  ``rollup_pending`` catches events whose id is at or below that mark (SQLite reuses the
  largest rowid after the newest rows are deleted, e.g. by ``/xoadulieu``).

The rollup is filled by a catch-up (``bot.store.rollups.catch_up``) before each report and
by the daily retention job; retention then deletes old per-resident rows. Deleting a
resident's events (``/xoadulieu``) drops their number, so the aggregate bits left behind
no longer point to anyone.
"""

from __future__ import annotations

import sqlite_utils

ID = "0010_rollups"


def up(db: sqlite_utils.Database) -> None:
    """Create the rollup tables and the triggers that keep them honest."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS rollup_events (day TEXT NOT NULL, type TEXT NOT NULL, unit TEXT NOT NULL,"
        " topic TEXT NOT NULL, value TEXT NOT NULL, n INTEGER NOT NULL,"
        " PRIMARY KEY (type, unit, day, topic, value)) WITHOUT ROWID"
    )
    db.execute(
        "CREATE TABLE IF NOT EXISTS rollup_latency (unit TEXT NOT NULL, day TEXT NOT NULL, ms INTEGER NOT NULL,"
        " n INTEGER NOT NULL, PRIMARY KEY (unit, day, ms)) WITHOUT ROWID"
    )
    db.execute(
        "CREATE TABLE IF NOT EXISTS rollup_residents (unit TEXT NOT NULL, day TEXT NOT NULL, members BLOB NOT NULL,"
        " PRIMARY KEY (unit, day)) WITHOUT ROWID"
    )
    db.execute(
        "CREATE TABLE IF NOT EXISTS resident_numbers (resident TEXT PRIMARY KEY, number INTEGER NOT NULL UNIQUE)"
    )
    db.execute(
        "CREATE TABLE IF NOT EXISTS rollup_deliveries (day TEXT NOT NULL, broadcast_id INTEGER NOT NULL,"
        " channel TEXT NOT NULL, unit TEXT NOT NULL, sent INTEGER NOT NULL, failed INTEGER NOT NULL,"
        " PRIMARY KEY (day, broadcast_id, channel, unit)) WITHOUT ROWID"
    )
    db.execute(
        "CREATE TABLE IF NOT EXISTS rollup_delivery_chats (month TEXT NOT NULL, channel TEXT NOT NULL,"
        " chat_id TEXT NOT NULL, sent INTEGER NOT NULL, failed INTEGER NOT NULL, last_id INTEGER NOT NULL,"
        " PRIMARY KEY (month, channel, chat_id)) WITHOUT ROWID"
    )
    db.execute("CREATE TABLE IF NOT EXISTS rollup_state (key TEXT PRIMARY KEY, value TEXT)")
    db.execute("INSERT OR IGNORE INTO rollup_state (key, value) VALUES ('events_id', '0')")
    db.execute("CREATE TABLE IF NOT EXISTS rollup_pending (event_id INTEGER PRIMARY KEY)")
    # An event written with an id the rollup has already passed (a reused rowid) waits here.
    db.execute(
        "CREATE TRIGGER IF NOT EXISTS events_rollup_reused AFTER INSERT ON events"
        " WHEN new.id <= CAST((SELECT value FROM rollup_state WHERE key = 'events_id') AS INTEGER)"
        " BEGIN INSERT OR IGNORE INTO rollup_pending (event_id) VALUES (new.id); END"
    )
    db.execute(FORGET_TRIGGER)


#: A resident's events deleted (``/xoadulieu``): their number goes too. Retention drops this
#: trigger inside its own transaction, since it deletes only old rows of residents who stay.
FORGET_TRIGGER = (
    "CREATE TRIGGER IF NOT EXISTS events_forget_resident AFTER DELETE ON events WHEN old.resident IS NOT NULL"
    " BEGIN DELETE FROM resident_numbers WHERE resident = old.resident; END"
)
