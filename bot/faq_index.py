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
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.faq_personal import NUMBER_WORD, mask_numbers, number_label_spans, strip_names
from bot.text import bigrams, normalize
from bot.text import fold as _fold_text

# Folding one syllable at a time is the hot path of every query: cache it.
fold = lru_cache(maxsize=50000)(_fold_text)

# Filler syllables residents add around every question ("cho mình hỏi ... với ạ").
# They keep a small weight: they must not make a weather question look like a FAQ.
STOPWORDS = frozenset(
    fold(w)
    for w in (  # noqa: SIM905 - one readable string
        "cho mình hỏi ạ với nhé nha ơi à ạ là thì mà của và các những này đó kia"
        " tôi em anh chị bác cô chú mình tớ bạn ad admin ông bà"
        " có không được gì nào thế sao vậy đi rồi nữa lắm quá thôi chứ hả hở"
        " xin chào cảm ơn giúp biết muốn cần phải làm ở trong cái việc"
        " chút rất nó nếu vừa hơi mãi luôn cũng đã sẽ đang thì là mới vẫn còn lại ra vào lên xuống"
        " nhưng hay hoặc hay là để cho nên vì nên nhỉ đấy ấy kìa như"
    ).split()
)
STOP_FACTOR = 0.25
# Question words: they tell "ở đâu" from "khi nào" (so they keep their weight) but say
# nothing about the subject; a question must share a subject word with its topic.
QUESTION_WORDS = frozenset(["dau", "nao", "khi", "bao", "gio", "may", "nhieu", "sao", "the", "nhu", "lam", "gi", "j"])
# Folded weight vs exact weight: the folded form is what every style of typing shares;
# the exact form breaks ties when the resident did type the diacritics.
EXACT_FACTOR = 0.5
# A corrected (typo) syllable counts a little less than a correctly typed one.
TYPO_FACTOR = 0.8
# Query words the index has never seen still count in the query's mass: an unknown word is
# evidence the question is about something else ("tải nhạc miễn phí ở đâu"). It weighs as
# much as the rarest known word times this factor (its IDF would be at least that high).
UNKNOWN_FACTOR = 1.0
# Mix of sample coverage vs query coverage in a document's score.
DOC_COVERAGE_WEIGHT = 0.6
# A topic's score mixes its best sample with how much of the query the topic's whole
# vocabulary (all its samples together) explains: residents combine phrases of several
# samples ("lịch" from one, "khám miễn phí" from another).
BEST_SAMPLE_WEIGHT = 0.5


# A well-formed Vietnamese syllable without diacritics (onset, nucleus, coda).
_FOLDED_SYLLABLE = re.compile(
    r"^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?"
    r"(uye|uya|uoi|uou|oai|oay|oeo|ieu|yeu|uay|uo|oa|oe|uy|ue|ua|uu|ui|ie|ye|ia|iu|ai|ao|au|ay|eo|eu|oi|[aeiouy])"
    r"(ng|nh|ch|[cmnpt])?$"
)


@dataclass(frozen=True)
class Document:
    """One indexed text (a sample question) and the topic it belongs to."""

    topic: str
    text: str


# Politeness and address phrases that carry no meaning for the topic ("cho mình hỏi",
# "mọi người ơi", "ad ơi"); removed from samples and questions alike. Folded, longest first.
FILLER_PHRASES: tuple[tuple[str, ...], ...] = tuple(
    sorted(
        (
            tuple(p.split())
            for p in (
                "cho minh hoi", "cho em hoi", "cho toi hoi", "cho chau hoi", "cho con hoi", "cho hoi",
                "xin hoi", "minh muon hoi", "em muon hoi", "toi muon hoi", "moi nguoi oi", "moi nguoi",
                "ad oi", "admin oi", "loa oi", "ban oi", "a oi", "chi oi", "anh oi", "lam on",
            )
        ),
        key=len,
        reverse=True,
    )
)
# Sentence-final particles, matched on the exact form ("ạ" but not "à"/"á").
FILLER_WORDS = frozenset({"ạ", "nhé", "nha", "ơi", "nhỉ", "hả", "hử", "alo", "alô"})
# Sharpening of IDF: > 1 lets rare, telling words ("mang", "lịch") outweigh the phrase every
# question shares ("khám sức khỏe miễn phí").
IDF_POWER = 1.0


# Links and domains ("vneid-gov.com", "https://x.vn/a") become one placeholder term, so a
# question about any link matches samples about links whatever the address.
_LINK = re.compile(r"^(?:https?://\S+|(?:[\w-]+\.)+(?:vn|com|net|org|info|io|app|xyz|top|site|online|cc|me|link)(?:/\S*)?)$")
LINK_TOKEN = "urllink"
COMPOUND_FACTOR = 0.25
# Weight of the sentences around the asking one in a message of several sentences.
CONTEXT_FACTOR = 0.7
_SENTENCES = re.compile(r"(?<=[.?!\n])\s+")
# Units after an amount of money, folded ("200 nghìn", "5 triệu", "2 củ"); glued ones
# ("200k", "5tr") make the token a number (see _is_number).
MONEY_UNITS = frozenset(["k", "nghin", "ngan", "trieu", "ty", "dong", "d", "tr", "cu", "lit", "xu"])
_NUMBER = re.compile(r"^\d[\d.,:/\-]*(?:k|tr|d|đ|%)?$")


def _query_tokens(text: str) -> tuple[list[str], list[str]]:
    """(exact syllables, folded syllables) of ``text`` after normalisation, fillers removed."""
    toks = [LINK_TOKEN if _LINK.match(t) else t for t in normalize(text).split()]
    folded = [fold(t) for t in toks]
    # A resident's phone or ID number and its label ("sđt của em là ...") are not the subject.
    numbers = number_label_spans(folded) if NUMBER_WORD in folded else set()
    keep_exact: list[str] = []
    keep_folded: list[str] = []
    i = 0
    while i < len(toks):
        # So is a money unit after an amount ("5 triệu", "200 k"): the amount is not the subject.
        if i in numbers or (folded[i] in MONEY_UNITS and i > 0 and folded[i - 1].isdigit()):
            i += 1
            continue
        for phrase in FILLER_PHRASES:
            if tuple(folded[i : i + len(phrase)]) == phrase:
                i += len(phrase)
                break
        else:
            if toks[i] not in FILLER_WORDS:
                keep_exact.append(toks[i])
                keep_folded.append(folded[i])
            i += 1
    if not keep_exact:  # a question made only of fillers keeps its words
        return toks, folded
    return keep_exact, keep_folded


def split_sentences(text: str) -> list[str]:
    """The sentences of a message (split after ".", "?", "!" or a line break)."""
    return [x.strip() for x in _SENTENCES.split(text) if x.strip()]


def asking_index(sentences: list[str]) -> int:
    """Index of the sentence that asks: the last one ending with "?", else the last one."""
    return max((i for i, x in enumerate(sentences) if x.endswith("?")), default=len(sentences) - 1)


def asking_sentence(text: str) -> str | None:
    """The asking sentence of a message of several sentences (None for one sentence)."""
    sentences = split_sentences(text)
    return sentences[asking_index(sentences)] if len(sentences) > 1 else None


# Compounds that teencode expands from one short word ("sdt" → "số điện thoại"): as three
# syllables and their bigrams they would outweigh the question's real subject ("em sdt muốn
# đăng ký khám" is about registering). Each syllable weighs a share of one word.
COMPOUNDS: tuple[tuple[str, ...], ...] = (("so", "dien", "thoai"),)


def _compound_positions(folded: list[str]) -> dict[int, float]:
    """Position → weight factor for syllables inside a :data:`COMPOUNDS` phrase."""
    out: dict[int, float] = {}
    for compound in COMPOUNDS:
        n = len(compound)
        for i in range(len(folded) - n + 1):
            if tuple(folded[i : i + n]) == compound:
                for k in range(i, i + n):
                    out[k] = COMPOUND_FACTOR
    return out


def _is_number(term: str) -> bool:
    """A bare number unigram ("7", "15/3", "200.000", "200k", "5tr")."""
    return "_" not in term and bool(_NUMBER.match(term))


@dataclass(frozen=True)
class TopicScore:
    """A topic's combined score and its best single sample's score (both in [0, 1])."""

    topic: str
    score: float
    best_sample: float
    content: float = 1.0  # share of the question's subject words the topic's theme knows
    subject_words: int = 0  # how many subject words the question has


class LexicalIndex:
    """An inverted index of weighted terms over sample documents (postings as numpy arrays)."""

    def __init__(
        self,
        documents: Iterable[Document],
        *,
        theme_texts: Mapping[str, Iterable[str]] | None = None,
    ) -> None:
        """Index ``documents``; ``theme_texts`` (answers, per theme) add words that count as
        known in the subject-word check only, not in scoring."""
        # Documents of one topic must be contiguous (max per topic uses reduceat): sort
        # stably by first appearance of the topic.
        docs = list(documents)
        order = {t: i for i, t in reversed(list(enumerate(d.topic for d in docs)))}
        self.documents: list[Document] = sorted(docs, key=lambda d: order[d.topic])
        df: dict[str, int] = defaultdict(int)
        raw_terms: list[dict[str, float]] = []
        for doc in self.documents:
            exact, folded = _query_tokens(doc.text)
            terms = self._raw_terms(exact, folded, typo=set())
            raw_terms.append(terms)
            for term in terms:
                df[term] += 1
        n = max(len(self.documents), 1)
        self.idf: dict[str, float] = {t: math.log(1.0 + n / c) ** IDF_POWER for t, c in df.items()}
        self.max_idf = math.log(1.0 + n) ** IDF_POWER
        self.topics: list[str] = list(dict.fromkeys(d.topic for d in self.documents))
        topic_index = {t: i for i, t in enumerate(self.topics)}
        doc_topic = [topic_index[d.topic] for d in self.documents]
        self._topic_starts = np.array(
            [i for i, t in enumerate(doc_topic) if i == 0 or doc_topic[i - 1] != t], dtype=np.intp
        )
        postings: dict[str, tuple[list[int], list[float]]] = defaultdict(lambda: ([], []))
        union: dict[str, dict[int, float]] = defaultdict(dict)
        mass = []
        for i, terms in enumerate(raw_terms):
            weighted = {t: f * self.idf[t] for t, f in terms.items()}
            mass.append(sum(weighted.values()) or 1.0)
            for t, w in weighted.items():
                postings[t][0].append(i)
                postings[t][1].append(w)
                topic_weights = union[t]
                topic_weights[doc_topic[i]] = max(w, topic_weights.get(doc_topic[i], 0.0))
        self.doc_mass = np.array(mass or [1.0], dtype=np.float64)
        # term -> (document ids, weights) and term -> (topic ids, best weight in the topic).
        self._postings = {t: (np.array(d, dtype=np.intp), np.array(w, dtype=np.float64)) for t, (d, w) in postings.items()}
        self._topic_postings = {
            t: (np.array(list(tw), dtype=np.intp), np.array(list(tw.values()), dtype=np.float64))
            for t, tw in union.items()
        }
        # Themes ("screening", "vneid", ...): the subject-word check asks whether the theme
        # knows the words, so "khám miễn phí ... mang gì" counts "miễn phí" for screening.bring.
        self.themes: list[str] = list(dict.fromkeys(t.split(".")[0] for t in self.topics))
        theme_index = {th: i for i, th in enumerate(self.themes)}
        self._topic_theme = np.array([theme_index[t.split(".")[0]] for t in self.topics], dtype=np.intp)
        theme_union: dict[str, dict[int, float]] = defaultdict(dict)
        for t, tw in union.items():
            for topic_i, w in tw.items():
                th = int(self._topic_theme[topic_i])
                theme_union[t][th] = max(w, theme_union[t].get(th, 0.0))
        unknown = self.max_idf * UNKNOWN_FACTOR
        for theme, texts in (theme_texts or {}).items():
            if theme not in theme_index:
                continue
            for text in texts:
                for word in _query_tokens(text)[1]:
                    if word not in STOPWORDS and word.isalpha():
                        known = theme_union[word]
                        known[theme_index[theme]] = max(known.get(theme_index[theme], 0.0), self.idf.get(word, unknown))
        self._theme_postings = {
            t: (np.array(list(tw), dtype=np.intp), np.array(list(tw.values()), dtype=np.float64))
            for t, tw in theme_union.items()
        }
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

        light = _compound_positions(folded)

        def unit(i: int, tokens: list[str]) -> float:
            f = STOP_FACTOR if fold(tokens[i]) in STOPWORDS else 1.0
            return f * (TYPO_FACTOR if i in typo else 1.0)

        def pair(i: int, tokens: list[str]) -> float:
            return min(unit(i, tokens), unit(i + 1, tokens)) ** 0.5 * min(light.get(i, 1.0), light.get(i + 1, 1.0))

        for i, tok in enumerate(folded):
            add(tok, unit(i, folded) * light.get(i, 1.0))
        for i, bg in enumerate(bigrams(folded)):
            add(bg, pair(i, folded))
        for i, tok in enumerate(exact):
            if tok != folded[i]:
                add(tok, EXACT_FACTOR * unit(i, exact) * light.get(i, 1.0))
        for i, bg in enumerate(bigrams(exact)):
            if bg != f"{folded[i]}_{folded[i + 1]}":
                add(bg, EXACT_FACTOR * pair(i, exact))
        return out

    def _correct_uncached(self, token: str) -> str | None:
        """The known folded syllable closest to an unknown one, or None if none is close."""
        # Three-letter syllables are too dense to correct safely ("chợ" is one edit from "cho"),
        # and a well-formed syllable is a real word we do not know ("nhạc", "lính"), not a typo:
        # correcting it would make out-of-scope questions look familiar.
        if len(token) < 3 or not token.isalpha() or not token.isascii() or _FOLDED_SYLLABLE.match(token):
            return None
        allowed = 1 if len(token) <= 5 else 2
        found = process.extractOne(token, self.vocabulary, scorer=OSA.distance, score_cutoff=allowed)
        if found is None:
            return None
        return str(found[0])

    def query_terms(self, text: str) -> dict[str, float]:
        """Weighted terms of a query, with unknown folded syllables typo-corrected."""
        text = strip_names(mask_numbers(text), self._is_unknown)
        sentences = split_sentences(text)
        if len(sentences) < 2:
            return self._sentence_terms(text)
        # Context before the question ("Tôi 70 tuổi, sống một mình. Đi khám có phải mang
        # thẻ BHYT không?"): the asking sentence counts in full, the others at CONTEXT_FACTOR.
        asking = asking_index(sentences)
        out: dict[str, float] = {}
        for i, sentence in enumerate(sentences):
            factor = 1.0 if i == asking else CONTEXT_FACTOR
            for t, w in self._sentence_terms(sentence).items():
                out[t] = max(out.get(t, 0.0), w * factor)
        return out

    def _sentence_terms(self, text: str) -> dict[str, float]:
        exact, folded = _query_tokens(text)
        typo: set[int] = set()
        for i, tok in enumerate(folded):
            if tok not in self._vocab_set:
                fixed = self._correct(tok)
                if fixed is not None:
                    folded[i] = fixed
                    typo.add(i)
        raw = self._raw_terms(exact, folded, typo)
        unknown = self.max_idf * UNKNOWN_FACTOR
        # Unknown bigrams made of known words are just new pairings and are dropped; bare
        # numbers ("80 tuổi", "tổ 7", "150 nghìn"), known or not, say little about the
        # subject (a number in a telling phrase keeps its bigram: "mức 2").
        return {
            t: STOP_FACTOR * f if _is_number(t) else f * self.idf.get(t, unknown if t.isalpha() else STOP_FACTOR)
            for t, f in raw.items()
            if t in self.idf or "_" not in t
        }

    def _is_unknown(self, syllable: str) -> bool:
        """True when a folded syllable is neither indexed nor a typo of an indexed one."""
        return syllable not in self._vocab_set and self._correct(syllable) is None

    def _gather(
        self, q: dict[str, float], table: dict[str, tuple[np.ndarray, np.ndarray]], size: int
    ) -> np.ndarray:
        """Sum over shared terms of min(query weight, indexed weight), per row of ``table``."""
        ids, weights, qws, lengths = [], [], [], []
        for term, qw in q.items():
            hit = table.get(term)
            if hit is not None:
                ids.append(hit[0])
                weights.append(hit[1])
                qws.append(qw)
                lengths.append(len(hit[0]))
        if not ids:
            return np.zeros(size)
        # Overlap counts the smaller of the two weights (typo and stopword factors).
        vals = np.minimum(np.concatenate(weights), np.repeat(qws, lengths))
        return np.bincount(np.concatenate(ids), weights=vals, minlength=size)

    def _doc_scores(self, q: dict[str, float]) -> tuple[np.ndarray, float]:
        q_mass = sum(q.values())
        n = len(self.documents)
        if q_mass <= 0 or n == 0:
            return np.zeros(n), 0.0
        overlap = self._gather(q, self._postings, n)
        doc_cov = overlap / self.doc_mass
        score = DOC_COVERAGE_WEIGHT * doc_cov + (1 - DOC_COVERAGE_WEIGHT) * (overlap / q_mass)
        return np.minimum(score, 1.0), q_mass

    def scores(self, text: str) -> dict[int, float]:
        """Document index → score in [0, 1] for documents sharing a term with ``text``."""
        score, _ = self._doc_scores(self.query_terms(text))
        return {int(i): float(score[i]) for i in np.nonzero(score)[0]}

    def topic_scores(self, text: str, *, prefix: str | None = None) -> list[tuple[str, float]]:
        """Topics ranked by score (best first): best sample mixed with topic-vocabulary coverage."""
        return [(t.topic, t.score) for t in self.rank(text, prefix=prefix)]

    def rank(self, text: str, *, prefix: str | None = None) -> list[TopicScore]:
        """Topics ranked by score, with their best single sample's score (best first)."""
        if not self.documents:
            return []
        q = self.query_terms(text)
        doc_score, q_mass = self._doc_scores(q)
        if q_mass <= 0:
            return []
        best = np.maximum.reduceat(doc_score, self._topic_starts)
        cov = self._gather(q, self._topic_postings, len(self.topics)) / q_mass
        combined = np.minimum(BEST_SAMPLE_WEIGHT * best + (1 - BEST_SAMPLE_WEIGHT) * cov, 1.0)
        subject = {
            t: w
            for t, w in q.items()
            if "_" not in t and t.isascii() and t not in STOPWORDS and t not in QUESTION_WORDS and t.isalpha()
        }
        subject_mass = sum(subject.values())
        if subject_mass > 0:
            known = self._gather(subject, self._theme_postings, len(self.themes)) / subject_mass
            content = np.minimum(known, 1.0)[self._topic_theme]
        else:
            content = np.zeros(len(self.topics))
        out = []
        for i in np.nonzero(combined > 0)[0]:
            topic = self.topics[i]
            if prefix is not None and not topic.startswith(prefix):
                continue
            out.append(TopicScore(topic, float(combined[i]), float(best[i]), float(content[i]), len(subject)))
        return sorted(out, key=lambda ts: (-ts.score, ts.topic))
