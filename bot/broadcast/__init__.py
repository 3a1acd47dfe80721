"""Verified broadcasts: message library and approval, audiences, verification codes,
the crash-safe outbox and the rate-limited sender.

Modules: ``codes`` (verification codes, footer), ``verify`` (look-up for residents and the
scam check), ``messages`` (versions and the four-eyes rule), ``library`` (YAML content),
``audiences`` (selectors), ``broadcasts`` (create / pause / resume / cancel / status),
``limits`` (token buckets), ``sender`` (the outbox worker).
"""
