"""Text similarity for grouping: hashed TF of lemma words and bigrams plus character
4-grams, l2-normalised, so the dot product of two rows is their cosine. Hashing needs no
fitting, so posts can be added one at a time and 100,000 posts vectorise in seconds."""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.preprocessing import normalize

from nlp.lemmas import lemma_text
from onrustradar.gazetteer import fold

_WORDS = HashingVectorizer(n_features=2**18, ngram_range=(1, 2), alternate_sign=False, norm=None,
                           token_pattern=r"(?u)\b\w\w+\b")
_CHARS = HashingVectorizer(n_features=2**18, analyzer="char_wb", ngram_range=(4, 4), alternate_sign=False, norm=None)


def vectorize(texts: list[str]) -> csr_matrix:
    if not texts:
        return csr_matrix((0, 2**19))
    words = _WORDS.transform([lemma_text(t) for t in texts])
    chars = _CHARS.transform([fold(t) for t in texts])
    words.data = np.log1p(words.data)
    chars.data = np.log1p(chars.data) * 0.5
    return normalize(hstack([words, chars]).tocsr())


def cosine(a: csr_matrix, b: csr_matrix) -> float:
    return float(a.multiply(b).sum())
