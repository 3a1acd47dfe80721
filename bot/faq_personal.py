"""Residents' personal details around a question, set aside before FAQ matching.

Residents write "em sdt 0912345678 muon dang ky kham", "em tên Nguyễn Thị Hoa, 65 tuổi, có được
khám không", "nhà em ở phường Hòa Khánh Bắc thì khám ở đâu". The phone number, its label
("sdt" expands to "số điện thoại"), the name and the place are not what the question is
about, yet as words they pull towards the wrong topic (a phone number towards "đổi số điện
thoại VNeID") or, being unknown to the index, count as evidence of another subject and make
Loa abstain. Here:

- :func:`mask_numbers` turns phone numbers and ID numbers (9–12 digits) into one placeholder
  word before normalisation (so "0912 345 678" is one token);
- :func:`number_label_spans` finds, on normalised folded tokens, the placeholders and the
  label right before each ("số điện thoại (của em) (là)", "căn cước công dân", "số tài
  khoản", ...) so the index can drop them — unless a verb says the number itself is the
  subject ("đổi số điện thoại 0935...", "mất sim");
- :func:`strip_names` removes proper names (runs of capitalised words with a word the index
  does not know, a capitalised unknown word after "tên"/"bé", unknown words right after
  "phường"/"xã"/"thôn"...) from the raw text.

Pure functions; the index passes its own notion of "unknown word".
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.text import fold, normalize

# One placeholder word for a masked number: ASCII letters only, so normalisation keeps it
# whole and no teencode or telex rule touches it.
NUMBER_WORD = "qqnumber"

# Vietnamese mobile/landline numbers (+84 or 0, spaces, dots or dashes between digits) and
# ID numbers (9-digit ID cards, 12-digit citizen IDs). Short numbers (ages, "tổ 7", years)
# stay: the index gives bare numbers little weight.
_PHONE = re.compile(r"(?<![\w+])(?:\+?84|0)(?:[\s.\-]?\d){8,10}(?!\d)")
_LONG_NUMBER = re.compile(r"(?<![\w])\d{9,12}(?!\d)")

# Labels of a number, folded, longest first: "sdt"/"sđt" normalise to "số điện thoại",
# "cccd" to "căn cước công dân", "cmnd" to "chứng minh nhân dân", "tk" to "tài khoản".
_LABELS: tuple[tuple[str, ...], ...] = tuple(
    sorted(
        (
            tuple(p.split())
            for p in (
                "so dien thoai", "dien thoai", "so dt", "dt", "so", "sim", "so sim", "hotline",
                "can cuoc cong dan", "so can cuoc cong dan", "can cuoc", "so can cuoc", "the can cuoc",
                "chung minh nhan dan", "so chung minh nhan dan", "chung minh thu", "so chung minh",
                "so dinh danh", "so dinh danh ca nhan", "ma dinh danh", "dinh danh",
                "tai khoan", "so tai khoan", "stk", "ma", "ma so",
            )
        ),
        key=len,
        reverse=True,
    )
)
# Words allowed between a label and its number: "sđt của em là 09...", "sđt đăng ký là 09...".
_OWNERS = frozenset("em toi minh anh chi con me bo ba chau ong ba co chu bac no ho nha".split())  # noqa: SIM905 - one readable string
_BETWEEN: tuple[tuple[str, ...], ...] = (("dang", "ky"), ("la",), ("cua",), ("moi",))
# A verb before the label makes the number the subject: keep the label.
_LINKS = frozenset(["sang", "qua", "lai", "ra"])
_SUBJECT_VERBS = frozenset("doi thay mat chuyen sua cap nhat khoa hong".split())  # noqa: SIM905 - one readable string


def mask_numbers(text: str) -> str:
    """``text`` with phone numbers and ID numbers replaced by :data:`NUMBER_WORD`."""
    text = _PHONE.sub(f" {NUMBER_WORD} ", text)
    return _LONG_NUMBER.sub(f" {NUMBER_WORD} ", text)


def number_label_spans(folded: list[str]) -> set[int]:
    """Indexes of placeholders and of the labels introducing them (see module docstring)."""
    drop: set[int] = set()
    for i, tok in enumerate(folded):
        if tok != NUMBER_WORD:
            continue
        drop.add(i)
        j = i  # walk back over "là", "của em", "đăng ký" to the label
        changed = True
        while changed:
            changed = False
            for filler in _BETWEEN:
                n = len(filler)
                if j - n >= 0 and tuple(folded[j - n : j]) == filler:
                    j -= n
                    changed = True
                    break
            if j - 2 >= 0 and folded[j - 2] == "cua" and folded[j - 1] in _OWNERS:
                j -= 2
                changed = True
            elif j - 1 >= 0 and folded[j - 1] in _OWNERS and j - 1 > 0 and folded[j - 2] != "cua":
                j -= 1  # "sđt em là 09..."
                changed = True
        for label in _LABELS:
            n = len(label)
            if j - n >= 0 and tuple(folded[j - n : j]) == label:
                # "đổi (sang) sđt 09...", "mất sim 09...": the number itself is the subject.
                before = folded[max(0, j - n - 2) : j - n]
                if before and (before[-1] in _SUBJECT_VERBS or (before[-1] in _LINKS and before[0] in _SUBJECT_VERBS)):
                    break
                drop.update(range(j - n, i))
                break
        drop.update(_label_after(folded, i + 1))
    return drop


def _label_after(folded: list[str], k: int) -> set[int]:
    """Indexes of "(là) sđt (của em)" right after a number starting at ``k`` (may be empty)."""
    start = k
    if k < len(folded) and folded[k] == "la":
        k += 1
    for label in _LABELS:
        n = len(label)
        # A lone "số"/"mã" after a number is something else ("... 2 số cuối").
        if (n > 1 or label[0] not in ("so", "ma", "dt")) and tuple(folded[k : k + n]) == label:
            end = k + n
            if end + 1 < len(folded) and folded[end] == "cua" and folded[end + 1] in _OWNERS:
                end += 2
            return set(range(start, end))
    return set()


# Words after which a capitalised unknown word is a name ("tên Lan", "bé Na", "cháu Tú").
_NAME_MARKERS = frozenset("ten la be chau con em anh chi co chu bac ong ba".split())  # noqa: SIM905 - one readable string
# Words after which unknown lowercase words are a place ("phuong hoa khanh", "xa dai loc").
_PLACE_MARKERS = frozenset("phuong xa thon quan huyen duong khu kiet hem tinh tp to".split())  # noqa: SIM905 - one readable string
_AT = frozenset(["o", "tai", "tu", "ve"])
_PUNCT = ".,;:!?()[]{}\"'“”‘’…-–—/"
_SENTENCE_END = re.compile(r"[.!?;:…]$")
_MAX_PLACE_WORDS = 3


def _is_title(core: str) -> bool:
    return len(core) > 1 and core.isalpha() and core[0].isupper() and core[1:].islower()


def strip_names(text: str, is_unknown: Callable[[str], bool]) -> str:
    """``text`` without proper names and places; ``is_unknown(folded_syllable)`` says which
    words the index does not know (a name made only of known words is kept: it cannot
    mislead the match much and may be a phrase typed in Title Case)."""
    raw = text.split()
    if not raw:
        return text
    cores = [t.strip(_PUNCT) for t in raw]
    titles = [_is_title(c) for c in cores]
    alpha = [c for c in cores if c.isalpha()]
    # Everything Title Cased ("Khám Sức Khỏe Ở Đâu"): case tells nothing.
    if alpha and sum(titles) > 0.6 * len(alpha):
        return text
    starts = [i == 0 or bool(_SENTENCE_END.search(raw[i - 1])) for i in range(len(raw))]

    def unknown(core: str) -> bool:
        words = fold(normalize(core)).split()
        return bool(words) and any(is_unknown(w) for w in words)

    def marker(i: int) -> str:
        return fold(cores[i].lower()) if i >= 0 else ""

    drop: set[int] = set()
    i = 0
    while i < len(raw):
        if not titles[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(raw) and titles[j + 1] and not _SENTENCE_END.search(raw[j]) and not raw[j].endswith(","):
            j += 1
        run = list(range(i, j + 1))
        if starts[i]:
            run = run[1:]
        # After "tên (là)" a capitalised run is a name; after "ở"/"tại"/"từ" a run of two or
        # more is a place ("ở Hải Châu") even when its syllables are words the index knows.
        before = marker(run[0] - 1) if run else ""
        named = before == "ten" or (before == "la" and marker(run[0] - 2) == "ten")
        placed = before in _AT and len(run) >= 2
        full_name = len(run) >= 2 and (named or placed or any(unknown(cores[k]) for k in run))
        given_name = len(run) == 1 and (named or (marker(run[0] - 1) in _NAME_MARKERS and unknown(cores[run[0]])))
        if full_name or given_name:
            drop.update(run)
        if run and run[0] in drop:  # "tên (bé)" introducing the name goes with it
            k = run[0] - 1
            if marker(k) in ("be", "chau", "la") and marker(k - 1) == "ten":
                drop.update((k, k - 1))
            elif marker(k) == "ten":
                drop.add(k)
        i = j + 1
    # Places: "thôn 3", "tổ 7", "xã Đại Lộc", "phuong hoa khanh bac" — the marker goes with
    # its number or name ("trạm y tế phường" keeps "phường": no name follows).
    for i in range(len(raw) - 1):
        if marker(i) not in _PLACE_MARKERS or _SENTENCE_END.search(raw[i]) or raw[i].endswith(","):
            continue
        place: list[int] = []
        for k in range(i + 1, min(i + 1 + _MAX_PLACE_WORDS, len(raw))):
            named = k in drop or titles[k] or (cores[k].isalpha() and unknown(cores[k]))
            if not (named or (cores[k].isdigit() and not place)):
                break
            place.append(k)
            if _SENTENCE_END.search(raw[k]) or raw[k].endswith(","):
                break
        if place:
            drop.update([i, *place])
    if not drop:
        return text
    # Keep sentence punctuation of dropped words so sentences stay apart.
    out = [raw[k] if k not in drop else ("." if _SENTENCE_END.search(raw[k]) else "") for k in range(len(raw))]
    return " ".join(w for w in out if w)
