"""The A4 poster as PDF: reportlab's canvas with DejaVu Sans (full Vietnamese), segno QR codes.

reportlab is pure pip (no system Pango, unlike WeasyPrint) and embeds the TrueType font, so
the PDF prints the same everywhere. QR codes are drawn as vector squares from segno's module
matrix: sharp at any printer resolution, no image library needed. Type sizes are for elderly
readers at arm's length on a notice board: body 15 pt, headings 20 pt, title 34 pt.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from bot.reach.links import ShareError
from bot.reach.poster import PosterData
from bot.sites.dates import WEEKDAY_NAMES

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/local/share/fonts"),
    Path("/Library/Fonts"),
)
BODY, HEAD, TITLE = 15, 20, 34
MARGIN = 40
RED = (0.72, 0.07, 0.07)
BLUE = (0.05, 0.25, 0.55)

BRING = (
    "Căn cước (CCCD gắn chip) hoặc điện thoại có VNeID mức 2.",
    "Thẻ BHYT, hoặc thẻ BHYT trong VNeID / VssID.",
    "Kết quả khám cũ và thuốc đang dùng (nếu có).",
)
HEALTH_BOOK = (
    "1. Cập nhật ứng dụng VNeID, đăng nhập tài khoản mức 2.",
    "2. “Ví giấy tờ” → “Thẻ bảo hiểm y tế” → thêm thẻ BHYT.",
    "3. Mở tiện ích “Sổ sức khỏe điện tử” để xem kết quả khám.",
)
SCAM = (
    "Khám sức khỏe đợt này MIỄN PHÍ. Cán bộ y tế, công an, BHXH không bao giờ "
    "hỏi mã OTP, mật khẩu, không đòi chuyển tiền và không gửi đường link lạ để cài ứng dụng."
)


def _font_files() -> tuple[Path, Path]:
    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.exists() and bold.exists():
            return regular, bold
    raise ShareError(
        "Không tìm thấy phông chữ DejaVu Sans để in tiếng Việt có dấu. "
        "Cài gói fonts-dejavu-core (Debian/Ubuntu) rồi thử lại."
    )


def _register_fonts() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "LoaSans" in pdfmetrics.getRegisteredFontNames():
        return
    regular, bold = _font_files()
    pdfmetrics.registerFont(TTFont("LoaSans", str(regular)))
    pdfmetrics.registerFont(TTFont("LoaSans-Bold", str(bold)))


def session_line(session: dict[str, object]) -> str:
    """"Thứ Bảy 05/12/2026, 7:30–11:00: Trạm Y tế xã Kẻ Sặt (Khu trung tâm xã Kẻ Sặt)"."""
    day = date.fromisoformat(str(session["date"]))
    start, end = (str(session[k]).lstrip("0") or "0" for k in ("start", "end"))
    where = str(session["name"])
    if session.get("address"):
        where += f" ({session['address']})"
    return f"{WEEKDAY_NAMES[day.weekday()]} {day:%d/%m/%Y}, {start}–{end}: {where}"


class _Writer:
    """A top-down text cursor over one reportlab canvas."""

    def __init__(self, canvas: Canvas, width: float, top: float) -> None:
        self.c = canvas
        self.width = width
        self.y = top

    def lines(self, text: str, size: float, *, bold: bool = False, color: tuple[float, float, float] = (0, 0, 0),
              indent: float = 0, width: float | None = None, leading: float = 1.28) -> None:
        from reportlab.lib.utils import simpleSplit

        font = "LoaSans-Bold" if bold else "LoaSans"
        c = self.c
        c.setFillColorRGB(*color)
        c.setFont(font, size)
        for line in simpleSplit(text, font, size, (width or self.width) - indent):
            self.y -= size * leading
            c.drawString(MARGIN + indent, self.y, line)

    def gap(self, points: float) -> None:
        self.y -= points


def _qr(canvas: Canvas, url: str, x: float, y: float, size: float) -> None:
    """Draw ``url``'s QR code (error correction M, 4-module quiet zone) in the square at x, y."""
    import segno

    qr = segno.make_qr(url, error="m")
    matrix = [list(row) for row in qr.matrix]
    n = len(matrix) + 8
    cell = size / n
    c = canvas
    c.setFillColorRGB(1, 1, 1)
    c.rect(x, y, size, size, stroke=0, fill=1)
    c.setFillColorRGB(0, 0, 0)
    for r, row in enumerate(matrix):
        for col, dark in enumerate(row):
            if dark:
                c.rect(x + (col + 4) * cell, y + size - (r + 5) * cell, cell, cell, stroke=0, fill=1)


def render_poster(data: PosterData, *, today: date) -> bytes:
    """The poster as PDF bytes (one A4 page)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    _register_fonts()
    buf = io.BytesIO()
    width, height = A4
    c = Canvas(buf, pagesize=A4, pageCompression=1)
    c.setTitle(f"Khám sức khỏe miễn phí - {data.unit_label}")
    c.setAuthor("Loa")
    inner = width - 2 * MARGIN
    w = _Writer(c, inner, height - MARGIN + 6)
    w.lines("KHÁM SỨC KHỎE MIỄN PHÍ", TITLE, bold=True, color=BLUE)
    w.lines(f"{data.unit_label[:1].upper()}{data.unit_label[1:]}, {data.province} · năm {today.year}", HEAD, bold=True)
    w.gap(8)
    w.lines("LỊCH KHÁM SẮP TỚI", HEAD, bold=True, color=BLUE)
    if data.sessions:
        for session in data.sessions:
            w.lines("• " + session_line(session), BODY, indent=4)
        if data.more_sessions:
            w.lines(f"… và {data.more_sessions} buổi khám khác: hỏi Loa qua mã QR bên dưới.", BODY, indent=4)
    else:
        w.lines("Lịch khám sẽ được thông báo. Hỏi Loa hoặc trạm y tế để biết ngày khám.", BODY, indent=4)
    w.gap(6)
    w.lines("MANG THEO", HEAD, bold=True, color=BLUE)
    for item in BRING:
        w.lines("• " + item, BODY, indent=4)
    w.gap(6)
    w.lines("SỔ SỨC KHỎE ĐIỆN TỬ TRÊN VNeID", HEAD, bold=True, color=BLUE)
    for step in HEALTH_BOOK:
        w.lines(step, BODY, indent=4)
    w.gap(6)
    w.lines("CẢNH GIÁC LỪA ĐẢO", HEAD, bold=True, color=RED)
    w.lines(SCAM, BODY, color=RED, indent=4)
    w.gap(6)
    w.lines("ĐƯỜNG DÂY NÓNG", HEAD, bold=True, color=BLUE)
    for label, number in data.hotlines:
        if number:
            w.lines(f"{label}: {number}", BODY, indent=4)
    _footer(c, data, inner, w.y)
    c.showPage()
    c.save()
    return buf.getvalue()


def _footer(c: Canvas, data: PosterData, inner: float, text_bottom: float) -> None:
    """The QR codes in a row above the verification lines; the row shrinks to fit what is left."""
    from reportlab.lib.utils import simpleSplit

    codes = [("Hỏi Loa", data.chat_url)] + list(data.bot_links)
    footer_h = 70 if data.code else 26
    size = min(150.0, (inner - 150 - 24 * (len(codes) - 1)) / len(codes), text_bottom - MARGIN - footer_h - 40)
    size = max(size, 90.0)
    x: float = MARGIN
    y = MARGIN + footer_h + 22
    for label, url in codes:
        _qr(c, url, x, y, size)
        c.setFillColorRGB(0, 0, 0)
        c.setFont("LoaSans-Bold", BODY)
        c.drawCentredString(x + size / 2, y - BODY - 2, label)
        x += size + 24
    c.setFont("LoaSans", BODY)
    note = "Quét mã bằng camera điện thoại hoặc Zalo để hỏi lịch khám, cách dùng VNeID, kiểm tra tin lạ."
    ty = y + size - BODY
    for line in simpleSplit(note, "LoaSans", BODY, MARGIN + inner - x):
        if ty < y - BODY:
            break
        c.drawString(x, ty, line)
        ty -= BODY * 1.3
    if data.code:
        title = f"Tin chính thức: {data.message_title}" if data.message_title else "Tin chính thức"
        lines = simpleSplit(title, "LoaSans", BODY, inner)[:1]
        c.drawString(MARGIN, MARGIN + 42, lines[0] if lines else title)
        c.setFont("LoaSans-Bold", BODY)
        c.drawString(MARGIN, MARGIN + 22, f"Mã xác thực: {data.code}")
        c.setFont("LoaSans", BODY)
        c.drawString(MARGIN, MARGIN + 2, f"Kiểm tra: gửi “/xacthuc {data.code}” cho Loa.")
    else:
        c.drawString(MARGIN, MARGIN + 2, "Chỉ tin có mã xác thực, kiểm tra được với Loa, là tin chính thức.")
