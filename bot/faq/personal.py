"""Residents' phone and ID numbers, set aside before FAQ classification.

Residents write "em sdt 0912345678 muon dang ky kham" or "huyết áp ..., sđt 0912...". The
number is not what the question is about, and digits must not read as a measured value to
the medical rule. :func:`mask_numbers` turns phone numbers and ID numbers (9–12 digits)
into one placeholder word before anything else reads the text (so "0912 345 678" is one
token). Short numbers (ages, "tổ 7", years) stay.
"""

from __future__ import annotations

import re

# One placeholder word for a masked number: ASCII letters only, so normalisation keeps it
# whole and no teencode or telex rule touches it.
NUMBER_WORD = "qqnumber"

# Vietnamese mobile/landline numbers (+84 or 0, spaces, dots or dashes between digits) and
# ID numbers (9-digit ID cards, 12-digit citizen IDs).
_PHONE = re.compile(r"(?<![\w+])(?:\+?84|0)(?:[\s.\-]?\d){8,10}(?!\d)")
_LONG_NUMBER = re.compile(r"(?<![\w])\d{9,12}(?!\d)")


# The label right before a number ("sđt (của em) (là)", "cccd:", "số tài khoản") — unless a
# verb makes the number itself the subject ("đổi số điện thoại 0935...", "mất sim 09...").
_LABEL = re.compile(
    r"(?<![\w])(?P<verb>(?:đổi|doi|thay|mất|mat|khóa|khoa|chuyển|chuyen|sửa|sua|cập nhật|cap nhat)\s+(?:sang\s+|qua\s+)?)?"
    r"(?:số điện thoại|so dien thoai|điện thoại|dien thoai|sđt|sdt|đt|dt|số đt|so dt|số|so|sim|"
    r"cccd|cmnd|căn cước(?: công dân)?|can cuoc(?: cong dan)?|số căn cước|so can cuoc|stk|số tài khoản|so tai khoan|"
    r"tk|tài khoản|tai khoan|mã định danh|ma dinh danh|số định danh|so dinh danh)"
    r"(?:\s+(?:của|cua)\s+\w+)?(?:\s+\w+){0,2}?(?:\s+(?:là|la))?\s*:?\s*(?=" + NUMBER_WORD + r")",
    re.IGNORECASE,
)


def mask_numbers(text: str) -> str:
    """``text`` with phone numbers and ID numbers replaced by :data:`NUMBER_WORD`, and the
    label right before each dropped (a resident's number and its label are not the subject)."""
    text = _PHONE.sub(f" {NUMBER_WORD} ", text)
    text = _LONG_NUMBER.sub(f" {NUMBER_WORD} ", text)
    if NUMBER_WORD not in text:
        return text
    return _LABEL.sub(lambda m: m.group(0) if m.group("verb") else "", text)
