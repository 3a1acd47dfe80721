"""Schedule vocabulary: columns of the import file, site kinds, row problems, sessions."""

from __future__ import annotations

from dataclasses import dataclass

from bot.tables import Columns

#: Canonical column names of the schedule file, in template order.
COLUMNS = (
    "don_vi",
    "ten_diem",
    "dia_chi",
    "loai",
    "ngay",
    "gio_bat_dau",
    "gio_ket_thuc",
    "vi_do",
    "kinh_do",
    "doi_tuong",
    "lien_he",
    "ghi_chu",
)
REQUIRED = ("don_vi", "ten_diem", "dia_chi", "ngay", "gio_bat_dau", "gio_ket_thuc")

#: Other header spellings accepted (after folding diacritics, lower case, "_" for spaces).
HEADER_SYNONYMS: dict[str, str] = {
    "xa_phuong": "don_vi",
    "xa_phuong_dac_khu": "don_vi",
    "don_vi_hanh_chinh": "don_vi",
    "unit": "don_vi",
    "commune": "don_vi",
    "ten_diem_kham": "ten_diem",
    "diem_kham": "ten_diem",
    "site": "ten_diem",
    "name": "ten_diem",
    "address": "dia_chi",
    "loai_diem": "loai",
    "kind": "loai",
    "ngay_kham": "ngay",
    "date": "ngay",
    "bat_dau": "gio_bat_dau",
    "tu_gio": "gio_bat_dau",
    "start": "gio_bat_dau",
    "ket_thuc": "gio_ket_thuc",
    "den_gio": "gio_ket_thuc",
    "end": "gio_ket_thuc",
    "lat": "vi_do",
    "latitude": "vi_do",
    "lon": "kinh_do",
    "lng": "kinh_do",
    "longitude": "kinh_do",
    "doi_tuong_kham": "doi_tuong",
    "targets": "doi_tuong",
    "contact": "lien_he",
    "dien_thoai": "lien_he",
    "so_dien_thoai": "lien_he",
    "note": "ghi_chu",
    "notes": "ghi_chu",
}

#: Column names as officers read them.
COLUMN_VI = {
    "don_vi": "xã/phường",
    "ten_diem": "tên điểm",
    "dia_chi": "địa chỉ",
    "ngay": "ngày",
    "gio_bat_dau": "giờ bắt đầu",
    "gio_ket_thuc": "giờ kết thúc",
    "loai": "loại",
}

#: The schedule file's columns for the shared table reader.
SCHEDULE_COLUMNS = Columns(COLUMNS, REQUIRED, HEADER_SYNONYMS, COLUMN_VI)

KINDS = ("co_dinh", "luu_dong")
KIND_LABELS = {"co_dinh": "cố định", "luu_dong": "lưu động"}

#: Vietnam's mainland and islands (Hoàng Sa, Trường Sa) lie inside this box.
LAT_RANGE = (6.0, 23.5)
LON_RANGE = (102.0, 118.0)


@dataclass(frozen=True)
class RowProblem:
    """A problem with one line of the file (line 0 = the file as a whole)."""

    line: int
    reason: str
    vi: str = ""  # the same reason in Vietnamese, for the admin (empty: ``reason`` is already fit)

    @property
    def shown(self) -> str:
        """The reason as shown to officers in the admin."""
        return self.vi or self.reason

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}" if self.line else self.reason
