"""Vietnamese labels for the codes the store keeps (channels, themes, verdicts, tags, kinds)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from bot.errors import LoaError
from bot.text import fold

CHANNELS: dict[str, str] = {"zalo": "Zalo", "telegram": "Telegram", "web": "Web"}

THEMES: dict[str, str] = {
    "screening": "Khám sức khỏe định kỳ, khám sàng lọc",
    "vneid": "VNeID, định danh điện tử",
    "health_book": "Sổ sức khỏe điện tử",
    "scam_warning": "Cảnh báo lừa đảo",
    "other": "Nội dung khác",
}

VERDICTS: dict[str, str] = {
    "official": "Tin chính thức do Loa gửi",
    "scam": "Lừa đảo",
    "suspicious": "Có dấu hiệu đáng ngờ",
    "clean": "Chưa phát hiện dấu hiệu lừa đảo",
}

#: Priority audiences named by the letters, with the (tone-folded) words that mark a chat tag.
PRIORITY_AUDIENCES: dict[str, tuple[str, tuple[str, ...]]] = {
    "nguoi_cao_tuoi": ("Người cao tuổi", ("cao tuoi", "elderly")),
    "tre_em": ("Trẻ em, phụ huynh học sinh", ("tre em", "phu huynh", "hoc sinh", "parent")),
    "ho_ngheo": ("Hộ nghèo, cận nghèo", ("ngheo",)),
    "nguoi_co_cong": ("Người có công, diện chính sách", ("co cong", "chinh sach")),
    "khuyet_tat": ("Người khuyết tật", ("khuyet tat",)),
    "cong_nhan": ("Công nhân khu công nghiệp", ("cong nhan", "khu cong nghiep", "kcn")),
    "vung_kho_khan": (
        "Vùng khó khăn, vùng sâu, biên giới",
        ("kho khan", "vung sau", "vung xa", "bien gioi", "dtts", "dan toc"),
    ),
}

#: Offline activity kinds (``loa activity add --kind``) and their names in the report.
ACTIVITY_KINDS: dict[str, str] = {
    "hoi_nghi": "Hội nghị, tọa đàm",
    "sinh_hoat_chi_bo": "Sinh hoạt chi bộ",
    "sinh_hoat_doan_the": "Sinh hoạt đoàn thể, tổ hội",
    "tin_bai": "Tin, bài, chuyên mục, chuyên trang",
    "san_pham_truyen_thong": "Sản phẩm truyền thông (tờ gấp, video, ấn phẩm)",
    "phat_thanh_co_so": "Phát thanh cơ sở (loa truyền thanh)",
    "pano_khau_hieu": "Pano, áp phích, khẩu hiệu",
    "ngay_hoi_suc_khoe": "Ngày hội sức khỏe",
    "doi_thoai": "Đối thoại, tư vấn trực tiếp",
    "khac": "Hoạt động khác",
}

#: Activity kinds that have no audience in the room: their "attendees" cell is "—".
NO_ATTENDEES = frozenset({"tin_bai", "san_pham_truyen_thong", "phat_thanh_co_so", "pano_khau_hieu"})

#: What residents asked about, by the event that recorded it (section 6).
INTEREST_EVENTS: dict[str, str] = {
    "site_lookup": "Tra cứu địa điểm, lịch khám",
    "scam_checked": "Nhờ kiểm tra tin nhắn nghi lừa đảo",
    "official_verified": "Xác minh tin nhắn chính thức",
    "official_code_unknown": "Xác minh tin nhắn chính thức",
    "faq_medical": "Hỏi về triệu chứng, thuốc (đã khuyên gặp bác sĩ)",
    "faq_abstained": "Câu hỏi chưa có trong bộ giải đáp",
}

_TOPIC_PREFIXES: dict[str, str] = {
    "screening": "Khám sàng lọc",
    "checkup": "Khám sức khỏe",
    "kham": "Khám sức khỏe",
    "vneid": "VNeID",
    "health_book": "Sổ sức khỏe điện tử",
    "healthbook": "Sổ sức khỏe điện tử",
    "so_suc_khoe": "Sổ sức khỏe điện tử",
    "bhyt": "BHYT",
    "insurance": "BHYT",
    "scam": "Lừa đảo",
    "privacy": "Bảo vệ dữ liệu cá nhân",
    "sites": "Địa điểm khám",
    "general": "Chung",
}


def topic_label(topic: str, titles: dict[str, str] | None = None) -> str:
    """A readable name for a FAQ topic id: its FAQ title when known, else ``VNeID: level2``."""
    if not topic:
        return "Chủ đề khác"
    if titles and topic in titles:
        return titles[topic]
    head, _, rest = topic.partition(".")
    name = _TOPIC_PREFIXES.get(head.lower())
    if name:
        return f"{name}: {rest}" if rest else name
    return topic


def rumour_label(topic: str, titles: dict[str, str] | None = None) -> str:
    """``rumour.data_sale`` → ``Dữ liệu khám bị bán`` (FAQ title without "Tin đồn:"), else the id."""
    title = (titles or {}).get(topic, "")
    if title:
        text = (
            title.split(":", 1)[1].strip() if title.lower().startswith("tin đồn") and ":" in title else title
        )
        return text[:1].upper() + text[1:]
    return topic.removeprefix("rumour.") or "Tin đồn khác"


@lru_cache(maxsize=4)
def faq_titles(content_dir: str) -> dict[str, str]:
    """Topic id → title from the FAQ files under ``content_dir`` (empty if unreadable)."""
    try:
        from bot.faq import faq_dir, load_topics

        topics, _ = load_topics(faq_dir(Path(content_dir)))
    except (ImportError, LoaError, OSError, ValueError):
        # Titles only make the report friendlier; ids are still correct without them.
        return {}
    return {t.id: t.title for t in topics}


def audience_of(tag: str) -> str | None:
    """The priority audience a chat tag belongs to, or None."""
    key = fold(tag.lower()).replace("_", " ").replace("-", " ")
    for code, (_, words) in PRIORITY_AUDIENCES.items():
        if code.replace("_", " ") == key or any(w in key for w in words):
            return code
    return None


def channel_label(code: str) -> str:
    """``zalo`` → ``Zalo``."""
    return CHANNELS.get(code or "", code or "Khác")


def theme_label(code: str | None) -> str:
    """``vneid`` → ``VNeID, định danh điện tử``."""
    return THEMES.get(code or "other", code or THEMES["other"])
