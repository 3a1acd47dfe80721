"""The trained half of the scam check: a text classifier and the score that joins it to the rules.

- :class:`TextClassifier`: TF-IDF character n-grams (2–5, inside words) and word n-grams
  (1–2) over the checker's folded text — links, phones and amounts already replaced by
  ``zzlink``/``zzphone``/``zzmoney`` — into a logistic regression. Trained on the corpus
  plus one noisy variant per message (no diacritics, teencode, typos; ``corpus.augment``).
  It also names the nearest scam kind (cosine to each kind's centroid) and the words of
  the message that weigh most towards "scam", so its reason can quote them.
- :class:`Combiner`: a small logistic regression over [classifier log-odds, rule features]
  fitted on out-of-fold classifier scores (5-fold cross-validation on the corpus), so the
  rules' and the classifier's votes are weighed by data, and the output is a probability.

Everything is deterministic (fixed seeds, sorted inputs). ``train`` takes a few seconds;
:func:`load_model` keeps one model per corpus fingerprint in memory and on disk.
"""

from __future__ import annotations

import logging
import math
import os
import pickle
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedGroupKFold

from bot.scam.concepts import concept_tokens
from bot.scam.corpus import CORPUS_DIR, Sample, augment, corpus_hash, load_corpus

logger = logging.getLogger(__name__)

MODEL_VERSION = 13  # bump when features or training change: old caches are ignored
FOLDS = 5
_C_TEXT = 10.0
#: Two corpus messages this similar (cosine of word n-grams) are variants of one wording:
#: they fall in the same cross-validation fold, so out-of-fold scores are honest.
SAME_WORDING = 0.5
_C_META = 1.0
#: The concept block's scale: above 1 the regression leans on concepts more than on exact words.
IDEAS_WEIGHT = 1.0


def _vectorizers() -> tuple[TfidfVectorizer, TfidfVectorizer, TfidfVectorizer]:
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True, max_features=60_000, dtype=np.float32)
    words = TfidfVectorizer(
        analyzer="word", ngram_range=(1, 2), min_df=2, sublinear_tf=True, token_pattern=r"[a-z0-9]+", dtype=np.float32
    )
    # Concepts and their pairs (``concepts``): what is said, whatever the wording.
    ideas = TfidfVectorizer(analyzer=concept_tokens, min_df=2, sublinear_tf=True, dtype=np.float32)
    return chars, words, ideas


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


class TextClassifier:
    """Scam probability of a folded text, its nearest scam kind and its telling words."""

    def __init__(self, docs: list[str], labels: list[int], kinds: list[str]) -> None:
        self.chars, self.words, self.ideas = _vectorizers()
        x = self._fit_transform(docs)
        self.train_matrix: csr_matrix | None = x  # dropped after training (see ``train``)
        n_chars, n_words = len(self.chars.vocabulary_), len(self.words.vocabulary_)
        self.weights: np.ndarray | None = wording_weights(x[:, n_chars : n_chars + n_words], labels)
        self.model = fit_linear(x, labels, self.weights)
        coef = self.model.coef_[0]
        self._word_coef = coef[n_chars : n_chars + n_words]
        self._word_names = self.words.get_feature_names_out()
        # One unit-length centroid per scam kind.
        names = sorted({k for k, y in zip(kinds, labels, strict=True) if y})
        rows = []
        for kind in names:
            idx = [i for i, (k, y) in enumerate(zip(kinds, labels, strict=True)) if y and k == kind]
            c = np.asarray(x[idx].mean(axis=0)).ravel()
            rows.append(c / (np.linalg.norm(c) or 1.0))
        self.kind_names = names
        self.centroids = np.vstack(rows).astype(np.float32) if rows else None

    def matrix(self, docs: list[str]) -> csr_matrix:
        """Feature rows of ``docs`` (alias of :meth:`transform`)."""
        return self.transform(docs)

    def _fit_transform(self, docs: list[str]) -> csr_matrix:
        blocks = [self.chars.fit_transform(docs), self.words.fit_transform(docs), self.ideas.fit_transform(docs) * IDEAS_WEIGHT]
        return hstack(blocks).tocsr()

    def transform(self, docs: list[str]) -> csr_matrix:
        """The feature rows of ``docs``."""
        return hstack([self.chars.transform(docs), self.words.transform(docs), self.ideas.transform(docs) * IDEAS_WEIGHT]).tocsr()

    def _fast(self) -> list[tuple[Callable[[str], list[str]], dict[str, int], list[float], list[float]]]:
        """Per block: analyzer, vocabulary, idf and regression weights (built once, not pickled)."""
        fast = self.__dict__.get("_fast_blocks")
        if fast is None:
            coef = self.model.coef_[0]
            # Plain lists: indexing them is several times faster than numpy scalars.
            fast = []
            start = 0
            for vec in (self.chars, self.words, self.ideas):
                end = start + len(vec.vocabulary_)
                scale = IDEAS_WEIGHT if vec is self.ideas else 1.0  # folded into the weights
                fast.append((vec.build_analyzer(), vec.vocabulary_, vec.idf_.tolist(), (coef[start:end] * scale).tolist()))
                start = end
            self.__dict__["_fast_blocks"] = fast
        return fast

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("_fast_blocks", None)
        return state

    def _row(self, doc: str) -> list[list[tuple[int, float]]]:
        """The TF-IDF row of ``doc`` per block, as (column, value) pairs, L2-normalised per block."""
        blocks = []
        for analyze, vocab, idf, _ in self._fast():
            counts: dict[int, int] = {}
            for gram in analyze(doc):
                j = vocab.get(gram)
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
            vals = [(j, (1.0 + math.log(c)) * idf[j]) for j, c in counts.items()]
            norm = math.sqrt(sum(v * v for _, v in vals)) or 1.0
            blocks.append([(j, v / norm) for j, v in vals])
        return blocks

    def _prob(self, blocks: list[list[tuple[int, float]]]) -> float:
        z = float(self.model.intercept_[0])
        for (_, _, _, weights), vals in zip(self._fast(), blocks, strict=True):
            z += sum(v * weights[j] for j, v in vals)
        return 1.0 / (1.0 + math.exp(-z))

    def prob(self, doc: str) -> float:
        """P(scam) of one folded text.

        Computed directly (sublinear TF-IDF, L2 per block, dot with the weights): the same
        number as ``predict_proba`` without scikit-learn's per-call checks, which cost
        milliseconds for a single message.
        """
        return self._prob(self._row(doc))

    def score(self, doc: str) -> tuple[float, list[list[tuple[int, float]]]]:
        """P(scam) of ``doc`` and its feature row (for :meth:`explain`)."""
        row = self._row(doc)
        return self._prob(row), row

    def explain(self, doc: str, top: int = 3, row: list[list[tuple[int, float]]] | None = None) -> tuple[float, str | None, list[str]]:
        """(P(scam), nearest scam kind, the word n-grams of ``doc`` that weigh most towards scam)."""
        blocks = row if row is not None else self._row(doc)
        chars, words = blocks[0], blocks[1]
        p = self._prob(blocks)
        kind = None
        if self.centroids is not None and (chars or words):
            n_chars = len(self.chars.vocabulary_)
            cols = [j for j, _ in chars] + [n_chars + j for j, _ in words]
            vals = np.asarray([v for _, v in chars] + [v for _, v in words])
            sims = self.centroids[:, cols] @ vals
            kind = self.kind_names[int(np.argmax(sims))]
        contrib = sorted(((v * float(self._word_coef[j]), str(self._word_names[j])) for j, v in words), reverse=True)
        terms = [t for c, t in contrib if c > 0 and _telling(t)][:top]
        return p, kind, terms


# Words that say nothing on their own ("em", "vao tai"): never quoted as a reason.
_FILLER = frozenset(
    ["a", "ah", "anh", "ba", "bac", "ban", "bi", "bo", "cac", "cai", "cho", "chi", "chu", "co", "con", "cua", "da", "de", "den", "di", "do", "duoc", "em", "gi", "hay", "ho", "khi", "la", "lai", "len", "ma", "minh", "mot", "nay", "nhe", "nha", "nhu", "nhung", "neu", "ong", "qua", "ra", "roi", "sau", "se", "tai", "thi", "tu", "va", "vao", "ve", "vi", "voi", "vui", "long", "xin", "zzlink", "zzphone", "zzmoney", "zzcode", "zzquote"]
)


def _telling(term: str) -> bool:
    """A word pair of which at least one word means something (not a pronoun or a particle)."""
    words = term.split()
    return len(words) == 2 and any(w not in _FILLER and len(w) > 1 for w in words) and not any(w.startswith("zz") for w in words)


@dataclass
class Combiner:
    """Logistic regression over [classifier log-odds, rule features] → calibrated P(scam)."""

    model: LogisticRegression

    def prob(self, features: list[float]) -> float:
        """P(scam) for one feature row (see ``hybrid.features``), computed directly."""
        z = float(self.model.intercept_[0]) + sum(float(w) * f for w, f in zip(self.model.coef_[0], features, strict=True))
        return 1.0 / (1.0 + math.exp(-z))


@dataclass
class ScamModel:
    """The trained parts of the checker, with the fingerprint of the corpus they came from."""

    text: TextClassifier
    combiner: Combiner
    corpus: str
    n_samples: int
    version: int = MODEL_VERSION


def training_docs(
    samples: list[Sample], folded: Any, originals: list[str]
) -> tuple[list[str], list[int], list[str], list[int]]:
    """Documents for the classifier: each sample (``originals``: already folded) and one noisy variant."""
    docs, labels, kinds, origin = [], [], [], []
    for i, s in enumerate(samples):
        for doc in (originals[i], folded(augment(s.text))):
            docs.append(doc)
            labels.append(int(s.is_scam))
            kinds.append(s.kind)
            origin.append(i)
    return docs, labels, kinds, origin


def fit_linear(x: csr_matrix, labels: list[int], weights: np.ndarray | None = None) -> LogisticRegression:
    """The classifier's logistic regression (lbfgs: deterministic and fast on sparse rows)."""
    return LogisticRegression(C=_C_TEXT, solver="lbfgs", max_iter=3000).fit(x, labels, sample_weight=weights)


#: Rows of one wording share a weight of 1 / (group size) ** DEDUP_POWER (0 = no reweighting).
DEDUP_POWER = 1.0


def wording_weights(words: csr_matrix, labels: list[int]) -> np.ndarray | None:
    """A training weight per row: rows sharing one wording (a template filled with other
    amounts, a noisy variant) share its weight, so an author who wrote one sentence twenty
    times does not outvote twenty authors' sentences. Each class keeps its total weight
    (its row count), so the share of scams the regression sees, hence its calibration, is
    the corpus's."""
    if not DEDUP_POWER:
        return None
    groups = np.asarray(wording_groups(words))
    sizes = np.bincount(groups)[groups].astype(np.float64)
    w = 1.0 / sizes**DEDUP_POWER
    y = np.asarray(labels)
    for label in (0, 1):
        mask = y == label
        if mask.any():
            w[mask] *= mask.sum() / w[mask].sum()
    return w


def out_of_fold(clf: TextClassifier, samples: list[Sample], docs: list[str], labels: list[int], origin: list[int]) -> list[float]:
    """Classifier P(scam) of every sample from a regression that did not see it (nor its variant).

    The vocabulary and IDF weights are the full model's (they use no labels); only the
    regression is refitted per fold, which keeps training within a few seconds.
    """
    y = np.asarray([int(s.is_scam) for s in samples])
    x = clf.train_matrix if clf.train_matrix is not None else clf.transform(docs)
    lab = np.asarray(labels)
    oof = [0.0] * len(samples)
    origin_arr = np.asarray(origin)
    n_chars = len(clf.chars.vocabulary_)
    groups = wording_groups(x[::2, n_chars : n_chars + len(clf.words.vocabulary_)])
    folds = StratifiedGroupKFold(n_splits=min(FOLDS, len(set(groups))), shuffle=True, random_state=2026)
    for train_idx, test_idx in folds.split(np.zeros(len(samples)), y, groups):
        rows = np.flatnonzero(np.isin(origin_arr, train_idx))
        model = fit_linear(x[rows], list(lab[rows]), None if clf.weights is None else clf.weights[rows])
        probs = model.predict_proba(x[[2 * int(i) for i in test_idx]])[:, 1]  # each held-out sample's own text
        for i, p in zip(test_idx, probs, strict=True):
            oof[int(i)] = float(p)
    return oof


def wording_groups(words: csr_matrix) -> list[int]:
    """A group id per row: rows whose word n-grams are this close share the first one's id."""
    sims = (words @ words.T).tocsr()
    group = list(range(words.shape[0]))
    for i in range(words.shape[0]):
        row = sims.getrow(i)
        for j, v in zip(row.indices, row.data, strict=True):
            if j < i and v >= SAME_WORDING:
                group[i] = group[j]
                break
    return group


def fit_combiner(rows: list[list[float]], labels: list[int], weights: np.ndarray | None = None) -> Combiner:
    """Fit the combining regression on feature rows (classifier log-odds first)."""
    x = np.asarray(rows, dtype=np.float64)
    model = LogisticRegression(C=_C_META, solver="lbfgs", max_iter=2000).fit(x, labels, sample_weight=weights)
    return Combiner(model)


def logit(p: float) -> float:
    """log(p / (1 - p)), clipped away from 0 and 1."""
    return _logit(p)


# --- cache -------------------------------------------------------------------------------
_LOCK = threading.Lock()
_MEMORY: dict[str, ScamModel] = {}


def cache_dir() -> Path:
    """Where trained models are kept between runs (``LOA_CACHE_DIR`` or ~/.cache/loa)."""
    env = os.environ.get("LOA_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "loa"


def load_model(trainer: Any, directory: Path = CORPUS_DIR) -> ScamModel:
    """The model for the corpus in ``directory``: from memory, the disk cache, or trained now.

    ``trainer(samples) -> ScamModel`` does the training (the checker provides it, since the
    combiner's features come from the rules). The cache key is the corpus fingerprint and
    :data:`MODEL_VERSION`; a cache that cannot be read or written is only logged.
    """
    samples = load_corpus(directory)
    key = f"{corpus_hash(samples)}-v{MODEL_VERSION}"
    with _LOCK:
        model = _MEMORY.get(key)
        if model is not None:
            return model
        path = cache_dir() / f"scam-model-{key}.pkl"
        try:
            with path.open("rb") as fh:
                loaded = pickle.load(fh)  # our own cache file, written below by this process's user
            if isinstance(loaded, ScamModel) and loaded.version == MODEL_VERSION:
                _MEMORY[key] = loaded
                return loaded
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError) as exc:
            if not isinstance(exc, FileNotFoundError):
                logger.warning("scam model cache unreadable, retraining: %s", exc)
        model = trainer(samples)
        _MEMORY[key] = model
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False) as tmp:
                pickle.dump(model, tmp, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp.name, path)
        except OSError as exc:
            logger.warning("scam model cache not written: %s", exc)
        return model
