"""Text similarity for grouping: hashed, sublinear counts of lemma words and bigrams (Dutch
stop words, weekdays and months left out: every announcement shares them) plus character
4-grams for spelling variants, l2-normalised, so the dot product of two rows is their cosine.
Hashing needs no fitted vocabulary, so posts can be grouped in any batch size and 100,000
posts vectorise in seconds."""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.preprocessing import normalize
from spacy.lang.nl.stop_words import STOP_WORDS

from nlp.lemmas import lemma_text
from nlp.timex import MONTHS, WEEKDAYS
from onrustradar.gazetteer import fold

STOP = sorted({fold(w) for w in STOP_WORDS} | set(WEEKDAYS) | set(MONTHS) | {
    "num", "uur", "om", "vandaag", "morgen", "vanavond", "avond", "middag", "ochtend", "nacht", "week",
    "delen", "deel", "iedereen", "komen", "kom", "http", "https", "www"})
_WORDS = HashingVectorizer(n_features=2**18, ngram_range=(1, 2), alternate_sign=False, norm=None,
                           token_pattern=r"(?u)\b\w\w+\b", stop_words=STOP)
_CHARS = HashingVectorizer(n_features=2**18, analyzer="char_wb", ngram_range=(4, 4), alternate_sign=False, norm=None)


def vectorize(texts: list[str]) -> csr_matrix:
    if not texts:
        return csr_matrix((0, 2**19))
    words = _WORDS.transform([lemma_text(t) for t in texts])
    chars = _CHARS.transform([" ".join(w for w in fold(t).split() if w not in STOP) for t in texts])
    words.data = np.log1p(words.data)
    chars.data = np.log1p(chars.data) * 0.35
    return normalize(hstack([words, chars]).tocsr())
