"""Text-classification building blocks for Vietnamese chat text (scikit-learn).

Shared by the trained classifiers (FAQ topics, scam messages). Residents type with or
without diacritics, in teencode, with typos; a linear model over two views of the text
copes with all of these if it is trained on them:

- :func:`char_form` — the text lowercased and tone-folded ("Được" → "duoc"), teencode kept
  as typed: character n-grams (``char_wb``) over it see "ko"/"khong", typos and glued words;
- :func:`word_form` — the text normalised by :func:`bot.text.normalize` (teencode expanded,
  telex fixed) and folded: word uni- and bigrams over it see the phrases.

:func:`make_vectorizer` joins both (``FeatureUnion``); :class:`CalibratedLinearSVC` fits a
linear model with calibrated probabilities and :class:`FastTextClassifier` predicts with
its fitted attributes. The training texts' variants come from :mod:`bot.augment`.
Everything is deterministic for a given seed. No network, no downloaded weights.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache, partial
from typing import Any

import numpy as np
from scipy.optimize import minimize_scalar
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer, TfidfVectorizer
from sklearn.model_selection import GroupKFold, StratifiedKFold
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC

from bot.text import fold, nfc, normalize

__all__ = [
    "CalibratedLinearSVC",
    "FastTextClassifier",
    "char_form",
    "char_grams",
    "make_vectorizer",
    "word_form",
]

_SPACES = re.compile(r"\s+")


def char_form(text: str) -> str:
    """Lowercase, tone-folded text with spaces collapsed (teencode kept as typed)."""
    return _SPACES.sub(" ", fold(nfc(text).lower())).strip()


def word_form(text: str) -> str:
    """Normalised text (teencode expanded, telex fixed), tone-folded."""
    return fold(normalize(text))


@lru_cache(maxsize=100_000)
def _word_char_grams(word: str, min_n: int, max_n: int) -> tuple[str, ...]:
    """The ``char_wb`` n-grams of one word: the word padded with a space on each side,
    every n-gram of each length; a padded word no longer than ``n`` counts once, whole."""
    padded = f" {word} "
    out: list[str] = []
    for n in range(min_n, max_n + 1):
        if len(padded) <= n:
            out.append(padded)
            break
        out.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return tuple(out)


def char_grams(text: str, min_n: int = 2, max_n: int = 5) -> list[str]:
    """The n-grams scikit-learn's ``analyzer="char_wb"`` gives for :func:`char_form` of ``text``.

    ``char_wb`` n-grams never cross a space, so a text's n-grams are its words' n-grams;
    words repeat across thousands of training texts, so computing them once per word
    (cached) instead of once per occurrence saves most of the analysis time.
    """
    out: list[str] = []
    for word in char_form(text).split():
        out.extend(_word_char_grams(word, min_n, max_n))
    return out


def _words(text: str) -> list[str]:
    return char_form(text).split()


class WordwiseCharTfidf(TfidfVectorizer):
    """A :class:`TfidfVectorizer` over :func:`char_grams` whose fit counts n-grams per word.

    Fitting on thousands of texts spends its time in a Python loop over every n-gram
    occurrence. Here the texts are counted by word (texts x words), each distinct word by
    n-gram (words x n-grams), and the product of the two sparse matrices is the texts'
    n-gram counts: the same vocabulary (sorted), document frequencies and matrix as
    ``TfidfVectorizer.fit_transform``. ``transform`` and every fitted attribute are the
    parent's. Only for the default vocabulary settings (no ``min_df``/``max_df``/limit).
    """

    def fit(self, raw_documents: Any, y: Any = None) -> WordwiseCharTfidf:
        """Learn the vocabulary and IDF (see :meth:`fit_transform`)."""
        self.fit_transform(raw_documents)
        return self

    def fit_transform(self, raw_documents: Any, y: Any = None) -> Any:
        """Learn the vocabulary and IDF; return the TF-IDF matrix of ``raw_documents``."""
        if not (callable(self.analyzer) and self.vocabulary is None and self.min_df == 1 and self.max_df == 1.0):
            raise ValueError("WordwiseCharTfidf needs a callable word-wise analyser and the default vocabulary")
        if self.max_features is not None:
            raise ValueError("WordwiseCharTfidf does not limit max_features")
        by_word = CountVectorizer(analyzer=_words, dtype=self.dtype)
        doc_words = by_word.fit_transform(raw_documents)
        word_grams_vec = CountVectorizer(analyzer=self.analyzer, dtype=self.dtype)
        word_grams = word_grams_vec.fit_transform(by_word.get_feature_names_out().tolist())
        counts = (doc_words @ word_grams).tocsr()
        counts.sort_indices()
        tfidf = TfidfTransformer(
            norm=self.norm, use_idf=self.use_idf, smooth_idf=self.smooth_idf, sublinear_tf=self.sublinear_tf
        ).fit(counts)
        self.vocabulary_ = word_grams_vec.vocabulary_
        self.fixed_vocabulary_ = False
        self.idf_ = tfidf.idf_
        return tfidf.transform(counts, copy=False)


def make_vectorizer(
    *,
    char_ngrams: tuple[int, int] = (2, 5),
    word_ngrams: tuple[int, int] = (1, 2),
    char_weight: float = 1.0,
    word_weight: float = 1.0,
) -> FeatureUnion:
    """Character n-grams over :func:`char_form` plus word n-grams over :func:`word_form`.

    Both are sublinear TF-IDF; the union is picklable (module-level preprocessors). The
    character block is ``char_wb`` computed word by word (:func:`char_grams`): same features.
    """
    char = WordwiseCharTfidf(
        analyzer=partial(char_grams, min_n=char_ngrams[0], max_n=char_ngrams[1]), sublinear_tf=True, dtype=np.float32
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


class CalibratedLinearSVC(ClassifierMixin, BaseEstimator):
    """A linear SVM whose margins become probabilities by temperature scaling.

    ``p = softmax(t * margins)``: the one parameter ``t`` minimises the log-loss of the
    out-of-fold margins (``cv`` folds), so probabilities are calibrated on margins like
    those of unseen text. With ``refit=False`` the final model is the average of the fold
    models (``cv`` fits on part of the data instead of ``cv + 1``: half the training time
    for two folds); with ``refit=True`` one more SVM is fitted on everything. Unlike
    ``CalibratedClassifierCV`` (one sigmoid per class and fold, each validating its input),
    a prediction is one sparse product and a softmax. Deterministic for a given
    ``random_state``. ``tol`` is LinearSVC's stopping tolerance (its dual gap): a looser
    one stops the coordinate descent earlier, for a model that ranks classes the same.
    """

    def __init__(
        self, C: float = 0.5, cv: int = 2, refit: bool = False, random_state: int = 0, tol: float = 1e-4
    ) -> None:
        self.C = C
        self.tol = tol
        self.cv = cv
        self.refit = refit
        self.random_state = random_state

    def fit(self, X: Any, y: Sequence[str], groups: Sequence[int] | None = None) -> CalibratedLinearSVC:
        """Fit the fold models, the temperature on their out-of-fold margins, the final model.

        ``groups`` keeps related rows (a text and its augmented variants) in one fold, so
        the calibration margins are those of genuinely unseen text.
        """
        labels = np.asarray(y)
        self.classes_ = np.unique(labels)
        folds: GroupKFold | StratifiedKFold
        if groups is not None:
            folds = GroupKFold(n_splits=self.cv, shuffle=True, random_state=self.random_state)
        else:
            folds = StratifiedKFold(n_splits=self.cv, shuffle=True, random_state=self.random_state)
        margins = np.zeros((len(labels), len(self.classes_)))
        coefs, intercepts = [], []
        for train, test in folds.split(X, labels, groups):
            coef, intercept = self._fit_svm(X[train], labels[train])
            margins[test] = X[test] @ coef.T + intercept
            coefs.append(coef)
            intercepts.append(intercept)
        if self.refit:
            self.coef_, self.intercept_ = self._fit_svm(X, labels)
        else:
            self.coef_, self.intercept_ = np.mean(coefs, axis=0), np.mean(intercepts, axis=0)
        truth = np.searchsorted(self.classes_, labels)

        def loss(log_t: float) -> float:
            logp = _log_softmax(np.exp(log_t) * margins)
            return float(-logp[np.arange(len(truth)), truth].mean())

        best = minimize_scalar(loss, bounds=(-3.0, 5.0), method="bounded")
        self.temperature_ = float(np.exp(best.x))
        return self

    def _fit_svm(self, X: Any, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(coef, intercept) with one row per class of ``classes_`` (absent classes: never chosen)."""
        svm = LinearSVC(C=self.C, tol=self.tol, random_state=self.random_state).fit(X, labels)
        coef = np.zeros((len(self.classes_), X.shape[1]))
        intercept = np.full(len(self.classes_), -10.0)
        rows = np.searchsorted(self.classes_, svm.classes_)
        if len(svm.classes_) == 2:  # a binary SVM has one row: margin of the second class
            coef[rows[1]], intercept[rows[1]] = svm.coef_[0], svm.intercept_[0]
            coef[rows[0]], intercept[rows[0]] = -svm.coef_[0], -svm.intercept_[0]
        else:
            coef[rows], intercept[rows] = svm.coef_, svm.intercept_
        return coef, intercept

    def decision_function(self, X: Any) -> np.ndarray:
        """The margins, one column per class."""
        return np.asarray(X @ self.coef_.T + self.intercept_)

    def predict_proba(self, X: Any) -> np.ndarray:
        """Calibrated class probabilities (rows sum to 1), columns in ``classes_`` order."""
        return np.exp(_log_softmax(self.temperature_ * self.decision_function(X)))

    def predict(self, X: Any) -> np.ndarray:
        """The most probable class of each row."""
        return np.asarray(self.classes_[np.argmax(self.decision_function(X), axis=1)])


class FastTextClassifier:
    """Predictions of a fitted ``Pipeline([features (FeatureUnion), CalibratedLinearSVC])``
    without scikit-learn's per-call input checks and sparse-matrix building.

    One resident message is a few dozen characters; the library's generic checks cost ten
    times the arithmetic (about 3 ms against 0.3 ms per message). The same numbers come
    out, from the fitted public attributes: each vectoriser's analyser, ``vocabulary_`` and
    ``idf_`` (sublinear TF, L2 norm per block, block weight), the SVM's ``coef_`` and
    ``intercept_``, then the temperature softmax.
    """

    def __init__(self, pipeline: Pipeline) -> None:
        union = pipeline.named_steps["features"]
        model = pipeline.named_steps["model"]
        weights = union.transformer_weights or {}
        self.parts: list[tuple[Callable[[str], list[str]], dict[str, int], np.ndarray, float, int]] = []
        offset = 0
        for name, vec in union.transformer_list:
            if not (vec.sublinear_tf and vec.use_idf and vec.norm == "l2"):
                raise ValueError("FastTextClassifier needs sublinear TF-IDF vectorisers with L2 norm")
            idf = np.asarray(vec.idf_, dtype=np.float64)
            self.parts.append((vec.build_analyzer(), vec.vocabulary_, idf, float(weights.get(name, 1.0)), offset))
            offset += len(idf)
        self.coef = np.asarray(model.coef_, dtype=np.float64).T.copy()  # features x classes
        self.intercept = np.asarray(model.intercept_, dtype=np.float64)
        self.temperature = float(model.temperature_)
        self.classes = model.classes_

    def margins(self, text: str) -> np.ndarray:
        """The SVM's margins for one text."""
        out = self.intercept.copy()
        for analyze, vocabulary, idf, weight, offset in self.parts:
            counts: dict[int, int] = {}
            for gram in analyze(text):
                j = vocabulary.get(gram)
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
            if not counts:
                continue
            ids = np.fromiter(counts, dtype=np.intp, count=len(counts))
            values = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))) * idf[ids]
            values *= weight / np.sqrt(values @ values)
            out += values @ self.coef[ids + offset]
        return out

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Class probabilities, one row per text."""
        if not texts:
            return np.zeros((0, len(self.classes)))
        margins = np.vstack([self.margins(t) for t in texts])
        return np.exp(_log_softmax(self.temperature * margins))


def _log_softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))
