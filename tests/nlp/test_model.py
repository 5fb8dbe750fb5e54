"""The trained classifier: reproducible training, skops persistence, calibrated scores, keyword
lists that act without retraining, and the train/eval commands on the shipped corpus."""

import re

import numpy as np
import pytest
from conftest import cli

from nlp import corpus
from nlp.model import load_model
from nlp.pipeline import Analyzer
from nlp.train import train_from
from onrustradar.config import load_config
from onrustradar.core.models import CATEGORIES, Post


@pytest.fixture(scope="module")
def small_training():
    training, _ = corpus.split(corpus.load())
    return training[:600]


@pytest.mark.slow
def test_training_is_reproducible_and_survives_skops(tmp_path, small_training):
    first, second = train_from(small_training), train_from(small_training)
    for c in CATEGORIES:
        assert np.array_equal(first.categories[c].coef, second.categories[c].coef)
    first.save(tmp_path / "m.skops")
    import skops.io as sio

    assert sio.get_untrusted_types(file=tmp_path / "m.skops") == []  # plain arrays and numbers only
    loaded = load_model(tmp_path / "m.skops")
    texts = [e.post.text for e in small_training[:50]]
    a, b = (
        first.category_probabilities(first.features.transform(texts)),
        loaded.category_probabilities(loaded.features.transform(texts)),
    )
    for c in CATEGORIES:
        assert np.allclose(a[c], b[c], atol=1e-5)
        assert ((a[c] >= 0) & (a[c] <= 1)).all()


@pytest.mark.slow
def test_calibrated_scores_mean_something(small_training):
    model = train_from(small_training)
    probs = model.category_probabilities(model.features.transform([e.post.text for e in small_training]))
    for c in CATEGORIES:
        positive = np.array([c in e.categories for e in small_training])
        assert probs[c][positive].mean() > 0.6 > 0.2 > probs[c][~positive].mean()


@pytest.mark.slow
def test_a_keyword_edit_acts_without_retraining(small_training):
    config = load_config("config/onrustradar.yml")
    model = train_from(small_training)
    post = Post(
        "telegram",
        "x/1",
        "x",
        corpus.load()[0].post.published_at,
        "Zaterdagmiddag klompendans op de Melkmarkt in Zwolle, gezellig",
    )
    before = Analyzer(config.keywords, model=model).analyze(post)
    lists = dict(config.keywords)
    lists["demonstratie"] = lists["demonstratie"].model_copy(
        update={"terms": {**lists["demonstratie"].terms, "klompendans": 5.0}}
    )
    after = Analyzer(lists, model=model).analyze(post)
    assert "demonstratie" not in before.categories and "demonstratie" in after.categories
    assert after.scores["demonstratie"] > before.scores["demonstratie"]


@pytest.mark.slow
def test_train_and_eval_commands(tmp_path):
    model = tmp_path / "model.skops"
    trained = cli("train", "--model", str(model))
    assert trained.returncode == 0, trained.stderr
    assert model.exists() and "apart gehouden" in trained.stdout
    result = cli("eval", "--model", str(model))
    assert result.returncode == 0, result.stderr
    for c in CATEGORIES:
        assert re.search(rf"^{c}\s+\d\.\d{{3}}\s+\d\.\d{{3}}\s+\d\.\d{{3}}\s+\d+$", result.stdout, re.M), result.stdout
    for label in ("macro-F1", "gemeente accuracy", "event_start acc.", "announced accuracy"):
        assert re.search(rf"^{label}\s+\d\.\d{{3}}", result.stdout, re.M), label


def test_the_test_split_is_fixed_and_never_trained_on():
    examples = corpus.load()
    training, test = corpus.split(examples)
    assert {e.id for e in training}.isdisjoint({e.id for e in test})
    assert 0.15 < len(test) / len(examples) < 0.25
    assert all(corpus.in_test_split(e.id) for e in test)


def test_the_shipped_model_is_trained_on_the_current_corpus():
    from nlp.model import MODEL_PATH
    from nlp.train import corpus_version

    shipped = load_model(MODEL_PATH)
    training, _ = corpus.split(corpus.load())
    assert shipped is not None, "no model shipped: run `onrustradar train`"
    assert shipped.version == corpus_version(training), "the corpus changed since training: run `onrustradar train`"
