"""Seeded variants of training texts: the ways residents write that nobody has to type.

:class:`Augmenter` gives every training text extra copies drawing a mix of diacritics
dropped, teencode abbreviations from ``bot/teencode.csv`` (:func:`abbreviate`), phone-keyboard
typos (:func:`add_typos`) and context wrapped around a question ("cháu ơi cho bác hỏi {}
với"). Shared by the FAQ and scam classifiers (:mod:`bot.textclf` holds their features and
models). Deterministic: a text's variants depend only on the text and the seed.
"""

from __future__ import annotations

import random
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.text import TEENCODE, fold, nfc

__all__ = ["Augmenter", "abbreviate", "add_typos"]


def _abbreviations() -> dict[str, list[str]]:
    """Expansion → the abbreviations residents type for it (from bot/teencode.csv)."""
    out: dict[str, list[str]] = {}
    for short, full in sorted(TEENCODE.items()):
        if short != full and full.replace(" ", "").isalpha() and short.isalpha():
            out.setdefault(full, []).append(short)
    return out


_ABBREVIATIONS = _abbreviations()
_ABBREV_PATTERN = re.compile(
    r"(?<!\w)(" + "|".join(re.escape(k) for k in sorted(_ABBREVIATIONS, key=len, reverse=True)) + r")(?!\w)"
)
# Neighbouring keys on a QWERTY phone keyboard, for substitution typos.
_KEYS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_NEIGHBOURS = {
    ch: "".join(row[j] for j in (i - 1, i + 1) if 0 <= j < len(row)) for row in _KEYS for i, ch in enumerate(row)
}


def abbreviate(text: str, rng: random.Random, rate: float = 0.7) -> str:
    """Replace phrases with the teencode residents use for them ("không" → "ko")."""
    low = nfc(text).lower()

    def swap(m: re.Match[str]) -> str:
        options = _ABBREVIATIONS[m.group(1)]
        return rng.choice(options) if rng.random() < rate else m.group(1)

    return _ABBREV_PATTERN.sub(swap, low)


def add_typos(text: str, rng: random.Random, rate: float = 0.15) -> str:
    """Seeded typos in words of 3+ letters: a dropped, doubled, swapped or neighbouring key."""
    words = text.split(" ")
    for i, word in enumerate(words):
        if len(word) < 3 or not word.isalpha() or rng.random() >= rate:
            continue
        k = rng.randrange(len(word))
        kind = rng.randrange(4)
        if kind == 0:
            word = word[:k] + word[k + 1 :]
        elif kind == 1:
            word = word[:k] + word[k] + word[k:]
        elif kind == 2 and k + 1 < len(word):
            word = word[:k] + word[k + 1] + word[k] + word[k + 2 :]
        else:
            near = _NEIGHBOURS.get(word[k].lower())
            if near:
                word = word[:k] + rng.choice(near) + word[k + 1 :]
        words[i] = word
    return " ".join(words)


@dataclass(frozen=True)
class Augmenter:
    """Seeded variants of training texts.

    Each text gets ``variants`` extra copies, each drawing a mix of: diacritics dropped,
    teencode abbreviations, typos, and (when ``wrappers`` are given) context around it —
    a wrapper is a ``"... {} ..."`` template such as ``"cháu ơi cho bác hỏi {} với"``.
    The variants of a text depend only on the text and the seed, so adding a sample does
    not change the others' variants.
    """

    seed: int = 13
    variants: int = 3
    wrappers: tuple[str, ...] = ()
    wrap_rate: float = 0.35
    typo_rate: float = 0.12
    keep: frozenset[str] = field(default_factory=frozenset)  # labels not wrapped (e.g. a reject class)

    def variants_of(self, text: str, label: str = "") -> list[str]:
        """The extra variants of one text (the text itself not included)."""
        rng = random.Random(zlib.crc32(f"{self.seed}\x00{text}".encode()))
        out: list[str] = []
        for n in range(self.variants):
            v = nfc(text)
            if n == 0 or rng.random() < 0.5:
                v = fold(v)
            if rng.random() < 0.5:
                v = abbreviate(v, rng)
            if n > 0 and rng.random() < 0.6:
                v = add_typos(v, rng, self.typo_rate)
            if self.wrappers and label not in self.keep and rng.random() < self.wrap_rate:
                wrapper = rng.choice(self.wrappers)
                v = wrapper.replace("{}", v)
                if rng.random() < 0.5:
                    v = fold(v)
            if v != text and v not in out:
                out.append(v)
        return out

    def expand(self, texts: Sequence[str], labels: Sequence[str]) -> tuple[list[str], list[str]]:
        """The texts and their variants, with the matching labels (originals first)."""
        out_texts, out_labels, _ = self.expand_grouped(texts, labels)
        return out_texts, out_labels

    def expand_grouped(self, texts: Sequence[str], labels: Sequence[str]) -> tuple[list[str], list[str], list[int]]:
        """Like :meth:`expand`, plus each text's group: the index of the original it comes
        from (so cross-validation keeps a text and its variants in the same fold)."""
        out_texts = list(texts)
        out_labels = list(labels)
        groups = list(range(len(out_texts)))
        for i, (text, label) in enumerate(zip(texts, labels, strict=True)):
            for v in self.variants_of(text, label):
                out_texts.append(v)
                out_labels.append(label)
                groups.append(i)
        return out_texts, out_labels, groups
