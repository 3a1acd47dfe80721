"""The FAQ's trained topic classifier: training set, fitting, and the on-disk cache.

Every topic's title and samples (plus the out-of-scope questions, as a reject class, and
the medical samples, as the ``safety.medical`` class) are multiplied by seeded variants
(:class:`bot.textclf.Augmenter`: no diacritics, teencode, typos, context such as "cháu ơi
cho bác hỏi ... với") and fed to a linear SVM over folded character n-grams and word
n-grams (:func:`bot.textclf.make_vectorizer`); a logistic regression over its 3-fold
out-of-fold margins (:class:`bot.textclf.CalibratedLinearSVC`) turns them into
probabilities that one abstention threshold can be set on.

Training is deterministic (fixed seeds) and takes about a second; the fitted model is
cached with joblib in a file named after the hash of the training texts, the model version
and the scikit-learn version, so an edited KB or an upgraded library retrains by itself.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import joblib
import numpy as np
import sklearn
from sklearn.pipeline import Pipeline

from bot.textclf import Augmenter, CalibratedLinearSVC, FastTextClassifier, make_vectorizer

logger = logging.getLogger(__name__)

#: Bump when features, augmentation or the model change: old cache files are then ignored.
MODEL_VERSION = "faq-3"
REJECT_TOPIC = "_out_of_scope"  # the reject class: out-of-scope questions
MEDICAL_TOPIC = "safety.medical"
SEED = 2026

# Context residents put around a question; the model must learn it says nothing about the topic.
WRAPPERS: tuple[str, ...] = (
    "cháu ơi cho bác hỏi {} với",
    "mn ơi cho e hỏi {} ạ",
    "cho tôi hỏi {}",
    "Cho tôi hỏi: {}? Xin cảm ơn.",
    "ad ơi {}",
    "em chào anh chị, {} ạ",
    "bác hỏi chút {} cháu nhé",
    "{} vậy ạ",
    "@Loa {} 🙏",
    "cho mình hỏi chút, {}",
    "mẹ em năm nay 68 tuổi, {}",
    "dạ cho con hỏi {} ạ",
)
AUGMENT = Augmenter(seed=SEED, variants=3, wrappers=WRAPPERS, wrap_rate=0.4)
SVM_C = 0.5
KEEP_CACHED = 4


@dataclass(frozen=True)
class TrainingSet:
    """The labelled texts the classifier learns from (before augmentation)."""

    texts: tuple[str, ...]
    labels: tuple[str, ...]

    def digest(self) -> str:
        """Hash of the texts, labels, model version and scikit-learn version (the cache key)."""
        h = hashlib.sha256(f"{MODEL_VERSION}\x00{sklearn.__version__}\x00{AUGMENT!r}\x00{SVM_C}".encode())
        for text, label in zip(self.texts, self.labels, strict=True):
            h.update(f"{label}\x00{text}\x01".encode())
        return h.hexdigest()


def fit(data: TrainingSet) -> Pipeline:
    """Fit the vectoriser and the calibrated linear model on ``data`` and its variants."""
    texts, labels = AUGMENT.expand(data.texts, data.labels)
    svm = CalibratedLinearSVC(C=SVM_C, cv=3, random_state=SEED)
    model = Pipeline([("features", make_vectorizer()), ("model", svm)])
    model.fit(texts, labels)
    return model


class TopicModel:
    """A fitted pipeline and its classes; :meth:`proba` gives one row per text."""

    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline
        self.fast = FastTextClassifier(pipeline)
        self.classes: tuple[str, ...] = tuple(str(c) for c in pipeline.classes_)
        self.index = {c: i for i, c in enumerate(self.classes)}

    def proba(self, texts: Sequence[str]) -> np.ndarray:
        """Class probabilities, shape (len(texts), len(classes)); rows sum to 1."""
        if not texts:
            return np.zeros((0, len(self.classes)))
        return self.fast.predict_proba(list(texts))


def cache_file(cache_dir: Path, data: TrainingSet) -> Path:
    """Where the model for ``data`` is cached."""
    return cache_dir / f"faq-model-{data.digest()[:20]}.joblib"


def load_or_fit(data: TrainingSet, cache_dir: Path | None) -> TopicModel:
    """The cached model for ``data`` if there is one, else a freshly fitted (and cached) one.

    A missing, unreadable or unwritable cache only costs the training time.
    """
    path = cache_file(cache_dir, data) if cache_dir is not None else None
    if path is not None and path.is_file():
        try:
            pipeline = joblib.load(path)
            if isinstance(pipeline, Pipeline):
                return TopicModel(pipeline)
        except Exception as exc:  # a truncated or foreign file: retrain and overwrite it
            logger.warning("FAQ model cache %s unreadable (%s); retraining", path.name, type(exc).__name__)
    pipeline = fit(data)
    if path is not None:
        _save(pipeline, path)
    return TopicModel(pipeline)


def _save(pipeline: Pipeline, path: Path) -> None:
    """Write atomically (temp file + rename) so a concurrent reader never sees half a file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".faq-model-", suffix=".tmp")
        os.close(fd)
        joblib.dump(pipeline, tmp)
        os.replace(tmp, path)
        # Keep the few newest models (several content folders may share the directory).
        old = sorted(path.parent.glob("faq-model-*.joblib"), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in old[KEEP_CACHED:]:
            stale.unlink(missing_ok=True)
    except OSError as exc:
        logger.warning("FAQ model not cached (%s)", exc.strerror or type(exc).__name__)
