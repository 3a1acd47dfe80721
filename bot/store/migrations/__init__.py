"""Versioned schema migrations, one module per step: ``mNNNN_name.py``.

Each module defines ``ID`` (e.g. ``"0001_core"``) and ``up(db: sqlite_utils.Database)``.
A migration is applied once; applied ids are recorded in ``schema_migrations``. Applying by
id (not by a single version number) lets features add their tables independently: a
database created before a feature existed receives that feature's migration on next start.
Ids sort in order of application. Never edit a migration that has shipped: add a new one.
"""
