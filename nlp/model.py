"""The learned part of 'what': a multi-label category classifier and an 'announced' classifier,
trained with scikit-learn on the project's corpus and persisted with skops (not pickle).

Features: TF-IDF over lookup lemmas (word 1-2-grams) and over characters (3-5-grams of the
folded text, robust to typos, slang and CAPS). Each category gets a logistic regression with
sigmoid calibration, so its score reads as a probability. The analysts' keyword lists are
not baked in: they are blended in at prediction time (nlp.pipeline), so an edit takes effect
without retraining.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from nlp.lemmas import lemma_text
from onrustradar.gazetteer import fold
from onrustradar.models import CATEGORIES

MODEL_PATH = Path(__file__).resolve().parent / "models" / "classifier.skops"
SEED = 20251
FORMAT = 1


@dataclass
class Features:
    word: TfidfVectorizer
    char: TfidfVectorizer

    def transform(self, texts: list[str]):
        lemmas = [lemma_text(t) for t in texts]
        folded = [fold(t) for t in texts]
        return hstack([self.word.transform(lemmas), self.char.transform(folded)]).tocsr()


def _time_columns(flags: list[tuple[bool, bool, bool, bool]]) -> csr_matrix:
    return csr_matrix(np.array(flags, dtype=float).reshape(len(flags), 4))


@dataclass
class TrainedModel:
    features: Features
    categories: dict[str, CalibratedClassifierCV]
    announced: LogisticRegression | None
    version: str

    def category_probabilities(self, matrix) -> dict[str, np.ndarray]:
        return {c: self.categories[c].predict_proba(matrix)[:, 1] for c in CATEGORIES}

    def announced_probability(self, matrix, time_flags: list[tuple[bool, bool, bool, bool]]) -> np.ndarray:
        if self.announced is None:
            return np.array([float(f[0]) for f in time_flags])
        return self.announced.predict_proba(hstack([matrix, _time_columns(time_flags)]).tocsr())[:, 1]

    def save(self, path: Path = MODEL_PATH) -> None:
        import skops.io as sio

        path.parent.mkdir(parents=True, exist_ok=True)
        sio.dump({
            "format": FORMAT, "version": self.version,
            "word": self.features.word, "char": self.features.char,
            "categories": self.categories, "announced": self.announced,
        }, path)


def load_model(path: Path = MODEL_PATH) -> TrainedModel | None:
    if not path.exists():
        return None
    import skops.io as sio

    untrusted = sio.get_untrusted_types(file=path)
    # Only scikit-learn, numpy and scipy types are accepted from the file.
    allowed = [t for t in untrusted if t.split(".")[0] in ("sklearn", "numpy", "scipy", "builtins")]
    data = sio.load(path, trusted=allowed)
    if data.get("format") != FORMAT:
        raise ValueError(f"{path}: model format {data.get('format')} is not {FORMAT}; run `onrustradar train`")
    return TrainedModel(Features(data["word"], data["char"]), data["categories"], data["announced"], data["version"])


def train(texts: list[str], labels: list[list[str]], announced_texts: list[str],
          announced_flags: list[tuple[bool, bool, bool, bool]], announced_labels: list[bool],
          version: str) -> TrainedModel:
    random.seed(SEED)
    np.random.seed(SEED)
    word = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, max_features=60_000)
    char = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), min_df=2, sublinear_tf=True,
                           max_features=80_000)
    word.fit([lemma_text(t) for t in texts])
    char.fit([fold(t) for t in texts])
    features = Features(word, char)
    matrix = features.transform(texts)
    classifiers = {}
    for category in CATEGORIES:
        y = np.array([category in ls for ls in labels], dtype=int)
        base = LogisticRegression(C=8.0, class_weight="balanced", max_iter=3000, random_state=SEED)
        classifiers[category] = CalibratedClassifierCV(base, method="sigmoid", cv=3).fit(matrix, y)
    announced = None
    if len(set(announced_labels)) == 2:
        a_matrix = hstack([features.transform(announced_texts), _time_columns(announced_flags)]).tocsr()
        announced = LogisticRegression(C=4.0, max_iter=3000, random_state=SEED).fit(a_matrix, announced_labels)
    return TrainedModel(features, classifiers, announced, version)
