"""All-or-nothing import of a screening schedule file (CSV or XLSX)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bot.sites.model import SCHEDULE_COLUMNS, RowProblem
from bot.sites.validate import validate_table
from bot.store import Store
from bot.store.sites import WriteCounts, write_sessions
from bot.tables import read_table
from bot.units import unit_index


@dataclass
class ImportReport:
    """What an import found and (unless dry-run or invalid) wrote."""

    path: str
    rows: int
    problems: list[RowProblem] = field(default_factory=list)
    notes: list[RowProblem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    counts: WriteCounts | None = None  # None when nothing was written
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        """True when every row is valid."""
        return not self.problems

    def lines(self) -> list[str]:
        """The report as plain English lines for the officer."""
        out = [f"{self.path}: {self.rows} row(s) read"]
        if self.ignored_columns:
            out.append(f"ignored column(s): {', '.join(self.ignored_columns)}")
        out += [f"note {n}" for n in self.notes]
        out += [str(p) for p in self.problems]
        if self.problems:
            out.append(f"{len(self.problems)} bad row(s): nothing imported; fix them and import again")
        elif self.dry_run:
            out.append("all rows valid (dry run: nothing imported)")
        elif self.counts is not None:
            c = self.counts
            out.append(
                f"imported: {c.sessions_added} new session(s), {c.sessions_updated} updated,"
                f" {c.sessions_unchanged} unchanged; {c.sites_added} new site(s)"
                + (f"; {c.sessions_removed} removed (--replace)" if c.sessions_removed else "")
            )
        return out


def import_schedule(
    store: Store, path: Path, *, province: str | None, dry_run: bool = False, replace: bool = False
) -> ImportReport:
    """Validate the schedule at ``path`` and, if every row is valid, write it.

    Units are matched within ``province``. Re-importing the same file changes nothing;
    a corrected end time, contact or note updates the session in place. With ``replace``,
    sessions of the file's communes that the file no longer lists are removed. Raises
    ``DataFileError`` when the file itself cannot be read; row problems are in the report.
    """
    table = read_table(path, SCHEDULE_COLUMNS)
    checked = validate_table(table, unit_index(store, province), other=unit_index(store) if province else None)
    report = ImportReport(
        path=str(path),
        rows=checked.rows,
        problems=checked.problems,
        notes=checked.notes,
        ignored_columns=table.ignored_columns,
        dry_run=dry_run,
    )
    if checked.rows == 0:
        report.problems.append(RowProblem(0, "no data rows under the header", "Không có dòng dữ liệu nào dưới dòng tiêu đề."))
    if report.ok and not dry_run:
        report.counts = write_sessions(store, checked.records, replace=replace)
    return report
