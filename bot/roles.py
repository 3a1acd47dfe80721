"""Officer roles: the one place their names are spelled (users, approval, admin permissions)."""

from __future__ import annotations

from typing import Final

#: Drafts messages, targets audiences, schedules broadcasts.
EDITOR: Final = "editor"
#: Approves or rejects another officer's draft (never their own).
APPROVER: Final = "approver"
#: Records offline activities and downloads reports.
REPORTER: Final = "reporter"
#: Manages officers, imports and the audit log (not a super-user for content).
ADMIN: Final = "admin"

ROLES: tuple[str, ...] = (EDITOR, APPROVER, REPORTER, ADMIN)
