"""Text-classification building blocks for Vietnamese chat text (scikit-learn).

Shared by the trained classifiers (FAQ topics, scam messages). Residents type with or
without diacritics, in teencode, with typos; a linear model over two views of the text
copes with all of these if it is trained on them:

- :func:`char_form` — the text lowercased and tone-folded ("Được" → "duoc"), teencode kept
  as typed: character n-grams (``char_wb``) over it see "ko"/"khong", typos and glued words;
- :func:`word_form` — the text normalised by :func:`bot.text.normalize` (teencode expanded,
  telex fixed) and folded: word uni- and bigrams over it see the phrases.

:func:`make_vectorizer` joins both (``FeatureUnion``); :class:`Augmenter` multiplies the
training texts with seeded variants (diacritics dropped, teencode abbreviations, typos,
context wrapped around the question), so the model learns the styles without anyone
writing them. Everything is deterministic for a given seed: the same texts give the same
variants and the same model. No network, no downloaded weights.
"""

from __future__ import annotations

import random
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion

from bot.text import TEENCODE, fold, nfc, normalize

__all__ = ["Augmenter", "char_form", "make_vectorizer", "word_form"]

_SPACES = re.compile(r"\s+")


def char_form(text: str) -> str:
    """Lowercase, tone-folded text with spaces collapsed (teencode kept as typed)."""
    return _SPACES.sub(" ", fold(nfc(text).lower())).strip()


def word_form(text: str) -> str:
    """Normalised text (teencode expanded, telex fixed), tone-folded."""
    return fold(normalize(text))


def make_vectorizer(
    *,
    char_ngrams: tuple[int, int] = (2, 5),
    word_ngrams: tuple[int, int] = (1, 2),
    char_weight: float = 1.0,
    word_weight: float = 1.0,
) -> FeatureUnion:
    """Character n-grams over :func:`char_form` plus word n-grams over :func:`word_form`.

    Both are sublinear TF-IDF; the union is picklable (module-level preprocessors).
    """
    char = TfidfVectorizer(
        analyzer="char_wb", ngram_range=char_ngrams, preprocessor=char_form, sublinear_tf=True, dtype=np.float32
    )
    word = TfidfVectorizer(
        analyzer="word",
        ngram_range=word_ngrams,
        preprocessor=word_form,
        token_pattern=r"(?u)\b\w+\b",
        sublinear_tf=True,
        dtype=np.float32,
    )
    return FeatureUnion([("char", char), ("word", word)], transformer_weights={"char": char_weight, "word": word_weight})


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
        out_texts = list(texts)
        out_labels = list(labels)
        for text, label in zip(texts, labels, strict=True):
            for v in self.variants_of(text, label):
                out_texts.append(v)
                out_labels.append(label)
        return out_texts, out_labels
