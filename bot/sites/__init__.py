"""Screening sites: import the schedule, find the nearest session by commune, place or date.

One concept per module (files are read by the shared ``bot/tables.py``):

- ``model``    — the row and session dataclasses, kinds, column names;
- ``validate`` — checking rows (communes, dates, times, coordinates) into session records;
- ``importer`` — all-or-nothing import of a schedule file, with a per-row report;
- ``dates``    — Vietnamese date words ("hôm nay", "thứ bảy", "tuần sau", "12/12") to ranges;
- ``lookup``   — parse a question (commune + date + kind) or a location and find sessions;
- ``places``   — sites named in a question ("nhà văn hóa khu Hiền Hào");
- ``intent``   — whether a chat message is a site question at all;
- ``format``   — answers for a phone screen, in Vietnamese;
- ``rates``    — the re-importable health-book integration rates CSV.
"""
