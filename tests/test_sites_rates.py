"""The re-importable health-book integration rates file and priority units."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import DataFileError
from bot.sites.rates import import_rates, parse_rate
from bot.store import Store
from bot.store.units import province_average
from bot.units import priority_units, resolve_unit

HP = "Hải Phòng"


def test_shipped_rates_file(store: Store, settings) -> None:  # type: ignore[no-untyped-def]
    report = import_rates(store, settings.content_dir / "data" / "integration_rates.csv")
    assert report.ok, report.lines()
    assert report.units_set == 15 and report.averages_set == 1
    assert province_average(store, HP) == 44.0
    names = [u["name"] for u in priority_units(store, HP)]
    assert names[0] == "Kẻ Sặt" and "Chấn Hưng" in names and len(names) == 15


def test_reimport_replaces_values_and_bad_rows_block_everything(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("Xã/Phường;Tỷ lệ (%)\nKẻ Sặt;50\nLê Chân;\"38,5%\"\n", encoding="utf-8")
    assert import_rates(store, path, province=HP).ok
    assert resolve_unit(store, "Lê Chân", HP).unit["health_book_rate_pct"] == 38.5  # type: ignore[index]
    path.write_text("don_vi,ty_le\nKẻ Sặt,20\nKhông Có,10\nLê Chân,120\ncam giang,30\n", encoding="utf-8")
    report = import_rates(store, path, province=HP)
    by_line = {p.line: p.reason for p in report.problems}
    assert sorted(by_line) == [3, 4, 5]
    assert "unknown commune" in by_line[3] and "bad rate" in by_line[4] and "ambiguous" in by_line[5]
    assert resolve_unit(store, "Kẻ Sặt", HP).unit["health_book_rate_pct"] == 50  # type: ignore[index]


def test_average_row_needs_a_province(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "avg.csv"
    path.write_text("don_vi,ty_le\ntoàn thành phố,44\n", encoding="utf-8")
    assert "needs the tinh column" in import_rates(store, path).problems[0].reason
    assert import_rates(store, path, province=HP).ok


def test_broken_rates_file(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="missing column"):
        import_rates(store, path, province=HP)


@pytest.mark.parametrize(("text", "value"), [("34", 34.0), ("34%", 34.0), ("34,5 %", 34.5), ("0", 0.0), ("100", 100.0)])
def test_parse_rate(text: str, value: float) -> None:
    assert parse_rate(text) == value


@pytest.mark.parametrize("text", ["", "abc", "-1", "101", "nan", "inf"])
def test_bad_rates(text: str) -> None:
    with pytest.raises(ValueError):
        parse_rate(text)
