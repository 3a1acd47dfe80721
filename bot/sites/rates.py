"""Re-importable health-book integration rates per commune (``loa sites rates FILE``).

Columns (any order, with or without diacritics): ``don_vi``, ``ty_le`` (percent, "34",
"34%" or "34,5"), optional ``tinh`` (province), ``ngay`` (as of) and ``nguon`` (source).
A row whose ``don_vi`` is "toàn thành phố" / "toàn tỉnh" / "bình quân" sets the official
province average, against which ``priority_units`` finds communes to target.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bot.sites.model import RowProblem
from bot.store import Store
from bot.store.units import set_province_rate, set_unit_rate
from bot.tables import EXTRA, Columns, read_table
from bot.text import fold, normalize
from bot.units import unit_index

COLUMNS = ("don_vi", "ty_le", "tinh", "ngay", "nguon")
REQUIRED = ("don_vi", "ty_le")
SYNONYMS = {
    "unit": "don_vi",
    "name": "don_vi",
    "xa_phuong": "don_vi",
    "rate": "ty_le",
    "rate_pct": "ty_le",
    "health_book_rate_pct": "ty_le",
    "ty_le_tich_hop": "ty_le",
    "province": "tinh",
    "tinh_thanh_pho": "tinh",
    "thanh_pho": "tinh",
    "as_of": "ngay",
    "source": "nguon",
}
_AVERAGE_WORDS = {"toan tinh", "toan thanh pho", "toan thanh", "binh quan", "trung binh", "average", "*", "tong"}


@dataclass
class RatesReport:
    """Outcome of a rates import."""

    path: str
    rows: int
    problems: list[RowProblem] = field(default_factory=list)
    units_set: int = 0
    averages_set: int = 0
    dry_run: bool = False
    written: bool = False

    @property
    def ok(self) -> bool:
        """True when every row is valid."""
        return not self.problems

    def lines(self) -> list[str]:
        """Plain English report lines."""
        out = [f"{self.path}: {self.rows} row(s) read"] + [str(p) for p in self.problems]
        if self.problems:
            out.append(f"{len(self.problems)} bad row(s): nothing imported")
        elif self.dry_run:
            out.append(f"all rows valid (dry run): {self.units_set} unit rate(s), {self.averages_set} average(s)")
        else:
            out.append(f"imported {self.units_set} unit rate(s), {self.averages_set} province average(s)")
        return out


def parse_rate(text: str) -> float:
    """"34", "34%", "34,5 %" → 34.0 / 34.5; raises ValueError outside 0–100."""
    value = float(text.replace("%", "").replace(",", ".").strip())
    if not 0 <= value <= 100:
        raise ValueError(text)
    return value


def import_rates(store: Store, path: Path, *, province: str | None = None, dry_run: bool = False) -> RatesReport:
    """Validate and (all or nothing) store the rates in ``path``. Re-importing replaces values."""
    table = read_table(path, Columns(COLUMNS, REQUIRED, SYNONYMS, {"don_vi": "xã/phường", "ty_le": "tỷ lệ"}))
    report = RatesReport(path=str(path), rows=len(table.rows), dry_run=dry_run)
    unit_rates: list[tuple[int, float]] = []
    averages: list[tuple[str, float, str, str]] = []
    for line, row in table.rows:
        reasons = []
        if row.get(EXTRA):
            reasons.append("more cells than columns")
        prov = " ".join(row.get("tinh", "").split()) or province
        try:
            rate = parse_rate(row.get("ty_le", ""))
        except ValueError:
            reasons.append(f"bad rate '{row.get('ty_le', '')}' (a percent between 0 and 100)")
            rate = None
        written = " ".join(row.get("don_vi", "").split())
        if not written:
            reasons.append("missing don_vi")
        elif fold(normalize(written)) in _AVERAGE_WORDS:
            if not prov:
                reasons.append("a province average needs the tinh column or --province")
            elif rate is not None and not reasons:
                averages.append((prov, rate, row.get("ngay", ""), row.get("nguon", "")))
        else:
            match = unit_index(store, prov).resolve(written)
            if match.unit is None:
                hint = f" — did you mean {', '.join(match.candidates)}?" if match.candidates else ""
                what = "ambiguous" if match.ambiguous else "unknown"
                reasons.append(f"{what} commune '{written}'{hint}")
            elif rate is not None and not reasons:
                unit_rates.append((int(match.unit["id"]), rate))
        if reasons:
            report.problems.append(RowProblem(line, "; ".join(reasons)))
    if report.rows == 0:
        report.problems.append(RowProblem(0, "no data rows under the header"))
    report.units_set, report.averages_set = len(unit_rates), len(averages)
    if report.ok and not dry_run:
        with store.transaction():
            for unit_id, rate in unit_rates:
                set_unit_rate(store, unit_id, rate)
            for prov, rate, as_of, source in averages:
                set_province_rate(store, prov, rate, as_of=as_of, source=source)
        report.written = True
    return report
