"""bot.textclf's word-wise character features equal scikit-learn's char_wb TF-IDF."""

from __future__ import annotations

from functools import partial

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from bot.textclf import WordwiseCharTfidf, char_form, char_grams

TEXTS = [
    "Cho bác hỏi khám sức khỏe ở đâu ạ?",
    "ko bit kham o dau",
    "a",
    "ab  cd\tđi",
    "",
    "CHÁU ƠI BÁC GIÀ RỒI đăng ký thế nào 🙏",
    "xx xx xx yyyyyyy",
    "mn ơi ai biết ko, lịch khám đợt 2 khi nào ạ",
]


def test_char_grams_match_sklearn_char_wb() -> None:
    for low, high in ((2, 5), (3, 5), (1, 3)):
        reference = TfidfVectorizer(analyzer="char_wb", ngram_range=(low, high), preprocessor=char_form).build_analyzer()
        for text in TEXTS:
            assert char_grams(text, low, high) == reference(text), (text, low, high)


def test_wordwise_fit_equals_tfidf_vectorizer() -> None:
    reference = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(3, 5), preprocessor=char_form, sublinear_tf=True, dtype=np.float32
    )
    wordwise = WordwiseCharTfidf(analyzer=partial(char_grams, min_n=3, max_n=5), sublinear_tf=True, dtype=np.float32)
    expected = reference.fit_transform(TEXTS)
    got = wordwise.fit_transform(TEXTS)
    assert wordwise.vocabulary_ == reference.vocabulary_
    assert np.allclose(wordwise.idf_, reference.idf_)
    assert got.dtype == expected.dtype and got.shape == expected.shape
    assert abs(got - expected).max() < 1e-6
    unseen = ["hỏi khám ở đâu", "zzz"]
    assert abs(wordwise.transform(unseen) - reference.transform(unseen)).max() < 1e-6
