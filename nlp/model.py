"""The learned part of 'what': a multi-label category classifier and an 'announced' classifier,
trained with scikit-learn on the project's corpus and persisted with skops (not pickle).

Features: TF-IDF over lookup lemmas (word 1-2-grams) and over characters (4-grams within words
of the folded text, robust to typos, slang and CAPS). Each category gets a logistic regression
whose score is calibrated with Platt scaling on out-of-fold predictions, so it reads as a
probability. The analysts' keyword lists are not baked in: they are blended in at prediction
time (nlp.pipeline), so an edit takes effect without retraining.

The file holds plain arrays only (vocabularies as one string, idf weights, coefficients): it
loads in a fraction of a second with skops' default trusted types and is small enough to ship
in the repository. Prediction is a sparse matrix product, in batches.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix, diags, hstack
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.preprocessing import normalize

from nlp.lemmas import lemma_text, stop_words
from onrustradar.core.gazetteer import fold
from onrustradar.core.models import CATEGORIES

MODEL_PATH = Path(__file__).resolve().parent / "models" / "classifier.skops"
SEED = 20251
FORMAT = 2

# Words that turn what follows around: "geen rellen", "niet uit de hand", "vreest onrust". The
# next few words also count as negated or feared features, so "rellen" and "geen rellen" are
# different evidence to the classifier.
NEGATORS = {"geen", "niet", "zonder", "nooit", "noch"}
FEARS = {"vrezen", "vrees", "bang", "angst", "zorg", "waarschuwen", "voorkomen"}
SCOPE = 3


def _words_and_bigrams(text: str) -> list[str]:
    """Lemma text is already tokenised (nlp.lemmas): split it, and add the bigrams and the
    negated or feared words."""
    words = [w for w in text.split() if len(w) > 1]
    out = words + [f"{a} {b}" for a, b in zip(words, words[1:])]
    for i, w in enumerate(words):
        mark = "neg_" if w in NEGATORS else "fear_" if w in FEARS else None
        if mark:
            out += [mark + v for v in words[i + 1 : i + 1 + SCOPE] if v not in NEGATORS]
    return out


WORD_PARAMS = {"analyzer": _words_and_bigrams}


def _content_char4grams(text: str) -> list[str]:
    """Character 4-grams inside the words of folded text (as scikit-learn's char_wb), skipping
    Dutch stop words: they carry no signal and are a third of the n-grams to count."""
    stop = stop_words()
    padded = [f" {w} " for w in text.split() if w not in stop]
    return [p[i : i + 4] for p in padded for i in range(len(p) - 3)]


CHAR_PARAMS = {"analyzer": _content_char4grams}


@dataclass
class TfidfBlock:
    """A fitted TF-IDF space: the counting vectorizer with a fixed vocabulary, and idf weights
    (sublinear tf, l2 norm — the same arithmetic as scikit-learn's TfidfVectorizer)."""

    counter: CountVectorizer
    idf: np.ndarray

    @classmethod
    def fit(cls, texts: list[str], params: dict, max_features: int) -> TfidfBlock:
        """The block fitted on `texts`: terms in at least two texts, the `max_features` most frequent."""
        fitted = TfidfVectorizer(
            min_df=2, sublinear_tf=True, max_features=max_features, dtype=np.float32, **params
        ).fit(texts)
        return cls.from_parts(list(fitted.get_feature_names_out()), fitted.idf_, params)

    @classmethod
    def from_parts(cls, terms: list[str], idf: np.ndarray, params: dict) -> TfidfBlock:
        """The block rebuilt from its saved vocabulary and idf weights (no refitting)."""
        counter = CountVectorizer(vocabulary={t: i for i, t in enumerate(terms)}, dtype=np.float32, **params)
        return cls(counter, np.asarray(idf, dtype=np.float32))

    @property
    def terms(self) -> list[str]:
        """The vocabulary in column order, as saved."""
        return sorted(self.counter.vocabulary, key=self.counter.vocabulary.get)

    def transform(self, texts: list[str]) -> csr_matrix:
        """One l2-normalised row of sublinear tf-idf weights per text."""
        counts = self.counter.transform(texts)
        counts.data = 1.0 + np.log(counts.data)  # sublinear tf
        counts = counts @ diags(self.idf)
        return normalize(counts, copy=False)


@dataclass
class Features:
    """The model's feature space: word lemmas and bigrams, and character 4-grams side by side."""

    word: TfidfBlock
    char: TfidfBlock | None

    def transform(self, texts: list[str]) -> csr_matrix:
        """The feature rows of raw post texts (lemmatised and folded here)."""
        lemmas = [lemma_text(t) for t in texts]
        if self.char is None:
            return self.word.transform(lemmas).tocsr()
        folded = [fold(t) for t in texts]
        return hstack([self.word.transform(lemmas), self.char.transform(folded)], format="csr")


@dataclass
class LinearScorer:
    """A logistic regression reduced to its weights, with a Platt calibration on top."""

    coef: np.ndarray
    intercept: float
    platt_a: float = 1.0
    platt_b: float = 0.0

    def decision(self, matrix) -> np.ndarray:
        """The raw linear score of each row."""
        return np.asarray(matrix @ self.coef).ravel() + self.intercept

    def probability(self, matrix) -> np.ndarray:
        """The calibrated probability of each row (Platt scaling of the linear score)."""
        return 1.0 / (1.0 + np.exp(-(self.platt_a * self.decision(matrix) + self.platt_b)))


def _time_columns(flags: list[tuple[bool, bool, bool, bool]]) -> csr_matrix:
    return csr_matrix(np.array(flags, dtype=np.float32).reshape(len(flags), 4))


@dataclass
class TrainedModel:
    """The trained classifiers: one per category and one for 'announced', over shared features;
    `version` names the corpus it was trained on (part of the analyzer's name)."""

    features: Features
    categories: dict[str, LinearScorer]
    announced: LinearScorer | None
    version: str

    def category_probabilities(self, matrix) -> dict[str, np.ndarray]:
        """Per category, the calibrated probability of each row of `matrix` (Features.transform)."""
        return {c: self.categories[c].probability(matrix) for c in CATEGORIES}

    def announced_probability(self, matrix, time_flags: list[tuple[bool, bool, bool, bool]]) -> np.ndarray:
        """The probability that each post announces an event to come, from its features and the
        time resolver's flags; without an announced classifier, the resolver's own verdict."""
        if self.announced is None:
            return np.array([float(f[0]) for f in time_flags])
        return self.announced.probability(hstack([matrix, _time_columns(time_flags)], format="csr"))

    def save(self, path: Path = MODEL_PATH) -> None:
        """Write the model to `path` with skops, as plain arrays and strings (no pickled objects)."""
        import skops.io as sio

        char = self.features.char
        if char is None:  # the file format holds both blocks; train() always fits both
            raise ValueError("a model without character features cannot be saved")

        def scorer(s: LinearScorer) -> dict:
            return {
                "coef": s.coef.astype(np.float32),
                "intercept": float(s.intercept),
                "platt_a": float(s.platt_a),
                "platt_b": float(s.platt_b),
            }

        path.parent.mkdir(parents=True, exist_ok=True)
        sio.dump(
            {
                "format": FORMAT,
                "version": self.version,
                "word_terms": "\n".join(self.features.word.terms),
                "word_idf": self.features.word.idf,
                "char_terms": "\n".join(char.terms),
                "char_idf": char.idf,
                "categories": {c: scorer(s) for c, s in self.categories.items()},
                "announced": scorer(self.announced) if self.announced else None,
            },
            path,
            compression=8,
        )  # zipfile.ZIP_DEFLATED


def load_model(path: Path = MODEL_PATH) -> TrainedModel | None:
    """The model saved at `path`, or None when there is none (the analyzer then runs on the
    keyword lists alone); a file of another format is refused."""
    if not path.exists():
        return None
    import skops.io as sio

    # Nothing but dicts, strings, numbers and numpy arrays: the default trusted types suffice.
    data = sio.load(path, trusted=[])
    if data.get("format") != FORMAT:
        raise ValueError(f"{path}: model format {data.get('format')} is not {FORMAT}; run `onrustradar train`")

    def scorer(d: dict) -> LinearScorer:
        return LinearScorer(np.asarray(d["coef"], dtype=np.float32), d["intercept"], d["platt_a"], d["platt_b"])

    features = Features(
        TfidfBlock.from_parts(data["word_terms"].split("\n"), data["word_idf"], WORD_PARAMS),
        TfidfBlock.from_parts(data["char_terms"].split("\n"), data["char_idf"], CHAR_PARAMS),
    )
    announced = scorer(data["announced"]) if data["announced"] is not None else None
    return TrainedModel(features, {c: scorer(d) for c, d in data["categories"].items()}, announced, data["version"])


def _fit_scorer(matrix, y: np.ndarray, C: float, balanced: bool) -> LinearScorer:
    model = LogisticRegression(C=C, class_weight="balanced" if balanced else None, max_iter=3000, random_state=SEED)
    model.fit(matrix, y)
    scorer = LinearScorer(model.coef_.ravel().astype(np.float32), float(model.intercept_[0]))
    # Platt scaling on out-of-fold scores: calibrated without trusting the training fit.
    folds = StratifiedKFold(n_splits=3, shuffle=True, random_state=SEED)
    oof = cross_val_predict(
        LogisticRegression(C=C, class_weight="balanced" if balanced else None, max_iter=3000, random_state=SEED),
        matrix,
        y,
        cv=folds,
        method="decision_function",
    )
    platt = LogisticRegression(C=1e4, max_iter=1000, random_state=SEED).fit(oof.reshape(-1, 1), y)
    scorer.platt_a, scorer.platt_b = float(platt.coef_[0][0]), float(platt.intercept_[0])
    return scorer


def train(
    texts: list[str],
    labels: list[list[str]],
    announced_texts: list[str],
    announced_flags: list[tuple[bool, bool, bool, bool]],
    announced_labels: list[bool],
    version: str,
) -> TrainedModel:
    """Fit the features and the classifiers, reproducibly (fixed seeds). The announced
    classifier is trained only when both classes have at least three examples."""
    random.seed(SEED)
    np.random.seed(SEED)
    features = Features(
        TfidfBlock.fit([lemma_text(t) for t in texts], WORD_PARAMS, 60_000),
        TfidfBlock.fit([fold(t) for t in texts], CHAR_PARAMS, 60_000) if CHAR_PARAMS else None,
    )
    matrix = features.transform(texts)
    classifiers = {}
    for category in CATEGORIES:
        y = np.array([category in ls for ls in labels], dtype=int)
        classifiers[category] = _fit_scorer(matrix, y, C=8.0, balanced=True)
    announced = None
    if len(set(announced_labels)) == 2 and min(announced_labels.count(True), announced_labels.count(False)) >= 3:
        a_matrix = hstack([features.transform(announced_texts), _time_columns(announced_flags)], format="csr")
        announced = _fit_scorer(a_matrix, np.array(announced_labels, dtype=int), C=4.0, balanced=False)
    return TrainedModel(features, classifiers, announced, version)
