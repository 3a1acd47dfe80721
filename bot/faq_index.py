"""The FAQ's lexical index: syllable unigrams + bigrams, exact and tone-folded, typo tolerant.

Every sample question is one document. A query is normalised (``bot/text.py``), its
folded syllables that the index has never seen are mapped to the nearest known syllable
(Damerau/OSA edit distance via rapidfuzz), and documents are scored by an IDF-weighted
overlap that mixes "how much of the sample the query covers" with "how much of the query
the sample explains". A topic's score is its best sample's score, so scores stay in [0, 1]
and one threshold can be calibrated for abstention.

Pure Python plus rapidfuzz; no network, no model. Building the index for the real KB takes
a few milliseconds, a query well under a millisecond.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.text import bigrams, fold, normalize

# Filler syllables residents add around every question ("cho mình hỏi ... với ạ").
# They keep a small weight: they must not make a weather question look like a FAQ.
STOPWORDS = frozenset(
    fold(w)
    for w in (  # noqa: SIM905 - one readable string
        "cho mình hỏi ạ với nhé nha ơi à ạ là thì mà của và các những này đó kia"
        " tôi em anh chị bác cô chú mình tớ bạn ad admin loa ông bà"
        " có không được gì nào thế sao vậy đi rồi nữa lắm quá thôi chứ hả hở"
        " xin chào cảm ơn giúp biết muốn cần phải làm ở trong cái việc"
    ).split()
)
STOP_FACTOR = 0.25
# Folded weight vs exact weight: the folded form is what every style of typing shares;
# the exact form breaks ties when the resident did type the diacritics.
EXACT_FACTOR = 0.5
# A corrected (typo) syllable counts a little less than a correctly typed one.
TYPO_FACTOR = 0.8
# Query terms the index has never seen still count in the query's mass (an unknown word is
# evidence the question is about something else), but less than a rare known word.
UNKNOWN_WEIGHT = 2.0
# Mix of sample coverage vs query coverage in a document's score.
DOC_COVERAGE_WEIGHT = 0.6


@dataclass(frozen=True)
class Document:
    """One indexed text (a sample question) and the topic it belongs to."""

    topic: str
    text: str


def _query_tokens(text: str) -> tuple[list[str], list[str]]:
    """(exact syllables, folded syllables) of ``text`` after normalisation."""
    toks = normalize(text).split()
    return toks, [fold(t) for t in toks]


class LexicalIndex:
    """An inverted index of weighted terms over sample documents."""

    def __init__(self, documents: Iterable[Document]) -> None:
        self.documents: list[Document] = list(documents)
        doc_terms: list[dict[str, float]] = []
        df: dict[str, int] = defaultdict(int)
        raw_terms: list[dict[str, float]] = []
        for doc in self.documents:
            exact, folded = _query_tokens(doc.text)
            terms = self._raw_terms(exact, folded, typo=set())
            raw_terms.append(terms)
            for term in terms:
                df[term] += 1
        n = max(len(self.documents), 1)
        self.idf: dict[str, float] = {t: math.log(1.0 + n / c) for t, c in df.items()}
        self.max_idf = math.log(1.0 + n)
        self.postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        self.doc_mass: list[float] = []
        for i, terms in enumerate(raw_terms):
            weighted = {t: f * self.idf[t] for t, f in terms.items()}
            doc_terms.append(weighted)
            self.doc_mass.append(sum(weighted.values()) or 1.0)
            for t, w in weighted.items():
                self.postings[t].append((i, w))
        # Folded syllables seen anywhere: the dictionary typos are corrected against.
        self.vocabulary: tuple[str, ...] = tuple(sorted({t for t in self.idf if "_" not in t and t.isascii()}))
        self._vocab_set = frozenset(self.vocabulary)
        self._correct = lru_cache(maxsize=20000)(self._correct_uncached)

    @staticmethod
    def _raw_terms(exact: list[str], folded: list[str], typo: set[int]) -> dict[str, float]:
        """Term → factor (stopword, exact/folded and typo factors), before IDF."""
        out: dict[str, float] = {}

        def add(term: str, factor: float) -> None:
            if factor > out.get(term, 0.0):
                out[term] = factor

        def unit(i: int, tokens: list[str]) -> float:
            f = STOP_FACTOR if fold(tokens[i]) in STOPWORDS else 1.0
            return f * (TYPO_FACTOR if i in typo else 1.0)

        for i, tok in enumerate(folded):
            add(tok, unit(i, folded))
        for i, bg in enumerate(bigrams(folded)):
            add(bg, min(unit(i, folded), unit(i + 1, folded)) ** 0.5)
        for i, tok in enumerate(exact):
            if tok != folded[i]:
                add(tok, EXACT_FACTOR * unit(i, exact))
        for i, bg in enumerate(bigrams(exact)):
            if bg != f"{folded[i]}_{folded[i + 1]}":
                add(bg, EXACT_FACTOR * min(unit(i, exact), unit(i + 1, exact)) ** 0.5)
        return out

    def _correct_uncached(self, token: str) -> str | None:
        """The known folded syllable closest to an unknown one, or None if none is close."""
        if len(token) < 3 or not token.isalpha() or not token.isascii():
            return None
        allowed = 1 if len(token) <= 5 else 2
        found = process.extractOne(token, self.vocabulary, scorer=OSA.distance, score_cutoff=allowed)
        if found is None:
            return None
        return str(found[0])

    def query_terms(self, text: str) -> dict[str, float]:
        """Weighted terms of a query, with unknown folded syllables typo-corrected."""
        exact, folded = _query_tokens(text)
        typo: set[int] = set()
        for i, tok in enumerate(folded):
            if tok not in self._vocab_set:
                fixed = self._correct(tok)
                if fixed is not None:
                    folded[i] = fixed
                    typo.add(i)
        raw = self._raw_terms(exact, folded, typo)
        return {t: f * self.idf.get(t, UNKNOWN_WEIGHT) for t, f in raw.items() if t in self.idf or "_" not in t}

    def scores(self, text: str) -> dict[int, float]:
        """Document index → score in [0, 1] for documents sharing a term with ``text``."""
        q = self.query_terms(text)
        q_mass = sum(q.values())
        if q_mass <= 0:
            return {}
        dot: dict[int, float] = defaultdict(float)
        for term, qw in q.items():
            for doc, dw in self.postings.get(term, ()):
                # Overlap counts the smaller of the two weights (typo and stopword factors).
                dot[doc] += min(qw, dw)
        out = {}
        for doc, overlap in dot.items():
            doc_cov = overlap / self.doc_mass[doc]
            query_cov = overlap / q_mass
            out[doc] = min(1.0, DOC_COVERAGE_WEIGHT * doc_cov + (1 - DOC_COVERAGE_WEIGHT) * query_cov)
        return out

    def topic_scores(self, text: str, *, prefix: str | None = None) -> list[tuple[str, float]]:
        """Topics ranked by their best sample's score (best first)."""
        best: dict[str, float] = {}
        for doc, score in self.scores(text).items():
            topic = self.documents[doc].topic
            if prefix is not None and not topic.startswith(prefix):
                continue
            if score > best.get(topic, 0.0):
                best[topic] = score
        return sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))
