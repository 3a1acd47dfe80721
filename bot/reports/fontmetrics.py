"""Widths of text in Times New Roman, to lay out the header block without a font file.

The advance widths (in 1/1000 em) are the standard Adobe Times metrics, which Times New
Roman and Liberation Serif share. A Vietnamese letter is as wide as its base letter (the
tone and vowel marks sit above or below it), so text is measured on its NFD base letters.
"""

from __future__ import annotations

import itertools
import unicodedata

_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_LOWER = "abcdefghijklmnopqrstuvwxyz"
_REGULAR = dict(
    zip(
        _UPPER + _LOWER,
        [
            722,
            667,
            667,
            722,
            611,
            556,
            722,
            722,
            333,
            389,
            722,
            611,
            889,
            722,
            722,
            556,
            722,
            667,
            556,
            611,
            722,
        ]
        + [722, 944, 722, 722, 611]
        + [
            444,
            500,
            444,
            500,
            444,
            333,
            500,
            500,
            278,
            278,
            500,
            278,
            778,
            500,
            500,
            500,
            500,
            333,
            389,
            278,
            500,
        ]
        + [500, 722, 500, 500, 444],
        strict=True,
    )
)
_BOLD = dict(
    zip(
        _UPPER + _LOWER,
        [
            722,
            667,
            722,
            722,
            667,
            611,
            778,
            778,
            389,
            500,
            778,
            667,
            944,
            722,
            778,
            611,
            778,
            722,
            556,
            667,
            722,
        ]
        + [722, 1000, 722, 722, 667]
        + [
            500,
            556,
            444,
            556,
            444,
            333,
            500,
            556,
            278,
            333,
            556,
            278,
            833,
            556,
            500,
            556,
            556,
            444,
            389,
            333,
            556,
        ]
        + [500, 722, 500, 500, 444],
        strict=True,
    )
)
_PUNCT = {" ": 250, ".": 250, ",": 250, "-": 333, "/": 278, ":": 278, "(": 333, ")": 333, "'": 333}
MM_PER_PT = 25.4 / 72


def _base(ch: str) -> str:
    return unicodedata.normalize("NFD", ch.replace("Đ", "D").replace("đ", "d"))[:1] or ch


def text_width_mm(text: str, size_pt: float, *, bold: bool = False) -> float:
    """Printed width of ``text`` at ``size_pt`` (digits and unknown signs count half an em)."""
    table = _BOLD if bold else _REGULAR
    units = sum(table.get(_base(ch), _PUNCT.get(ch, 500)) for ch in text)
    return units / 1000 * size_pt * MM_PER_PT


#: Words that open a new part of an agency's name: the natural place for a line break.
_HEADS = ("THÀNH PHỐ", "TỈNH", "HUYỆN", "QUẬN", "THỊ XÃ", "XÃ", "PHƯỜNG", "ĐẶC KHU", "VÀ")
#: Two-syllable words common in agency names, never broken (Vietnamese writes each syllable
#: apart, so a "word" such as "Y TẾ" spans a space).
_COMPOUNDS = frozenset(
    [
        "Y TẾ",
        "BỆNH TẬT",
        "THÀNH PHỐ",
        "TRUNG TÂM",
        "KIỂM SOÁT",
        "ỦY BAN",
        "NHÂN DÂN",
        "TUYÊN GIÁO",
        "DÂN VẬN",
        "TỈNH ỦY",
        "THÀNH ỦY",
        "ĐẢNG ỦY",
        "ĐẢNG BỘ",
        "GIÁO DỤC",
        "ĐÀO TẠO",
        "VĂN HÓA",
        "THỂ THAO",
        "DU LỊCH",
        "BẢO HIỂM",
        "XÃ HỘI",
        "CÔNG AN",
        "KHOA HỌC",
        "CÔNG NGHỆ",
        "TÀI CHÍNH",
        "VĂN PHÒNG",
        "THÔNG TIN",
        "TRUYỀN THÔNG",
        "MẶT TRẬN",
        "TỔ QUỐC",
        "VIỆT NAM",
        "ĐẶC KHU",
        "CHÍNH TRỊ",
        "HẢI PHÒNG",
        "LẠNG SƠN",
        "HÀ NỘI",
        "ĐÀ NẴNG",
        "CẦN THƠ",
        "HỒ CHÍ MINH",
        "DỰ PHÒNG",
        "SỨC KHỎE",
        "DÂN SỐ",
        "BỆNH VIỆN",
        "ĐA KHOA",
        "KINH TẾ",
    ]
)


def _break_cost(words: list[str], i: int) -> int:
    """Cost of a line break before ``words[i]``: 0 before a new part of the name, 9 inside a word."""
    upper = [w.upper() for w in words]
    rest = " ".join(upper[i:])
    if any(rest.startswith(h + " ") or rest == h for h in _HEADS):
        return 0
    if f"{upper[i - 1]} {upper[i]}" in _COMPOUNDS:
        return 9
    return 2


def wrap_balanced(
    text: str, width_mm: float, size_pt: float, *, bold: bool = False, max_lines: int = 4
) -> list[str]:
    """``text`` in the fewest lines that fit ``width_mm``, breaking only between words — and
    never inside a two-syllable word such as "Y TẾ" when another break fits — preferring
    breaks before a new part of the name ("THÀNH PHỐ ...") and lines of even length."""
    words = text.split()
    if not words:
        return []
    for limit in (9, 10**6):  # first without breaking a two-syllable word, then at any space
        for count in range(1, min(max_lines, len(words)) + 1):
            best: tuple[int, float, list[str]] | None = None
            for cuts in itertools.combinations(range(1, len(words)), count - 1):
                costs = [_break_cost(words, c) for c in cuts]
                if any(c >= limit for c in costs):
                    continue
                bounds = (0, *cuts, len(words))
                lines = [" ".join(words[a:b]) for a, b in itertools.pairwise(bounds)]
                widest = max(text_width_mm(line, size_pt, bold=bold) for line in lines)
                if widest <= width_mm and (best is None or (sum(costs), widest) < best[:2]):
                    best = (sum(costs), widest, lines)
            if best:
                return best[2]
    # Some word alone is wider than the box: one word per line rather than a split word.
    return words


def fits_without_breaking_words(text: str, width_mm: float, size_pt: float, *, bold: bool = False) -> bool:
    """Whether :func:`wrap_balanced` finds lines that need no break inside a two-syllable word."""
    lines = wrap_balanced(text, width_mm, size_pt, bold=bold)
    words = text.split()
    cuts, pos = [], 0
    for line in lines[:-1]:
        pos += len(line.split())
        cuts.append(pos)
    return all(_break_cost(words, c) < 9 for c in cuts) and all(
        text_width_mm(line, size_pt, bold=bold) <= width_mm for line in lines
    )
