"""The analyzer's named stages (nlp.pipeline): the default stages give the analysis the
hard-wired steps gave, a stage can be left out or added, and a wrong stage list is refused."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from nlp import timex
from nlp.pipeline import (
    DECISION,
    DEFAULT_STAGES,
    STAGE_NEEDS,
    STAGES,
    Analyzer,
    Batch,
    stage,
    time_flags,
)
from nlp.text import words_and_norms
from onrustradar.config import load_config
from onrustradar.core.models import CATEGORIES, Analysis, Post
from onrustradar.service.analyzer import analyzer_for

AMS = ZoneInfo("Europe/Amsterdam")
TEXTS = [
    "Zaterdag om 14:00 demonstratie op het Malieveld in Den Haag tegen de bezuinigingen, kom allemaal!",
    "Vanavond weer scootermeeting bij de McDonald's in Emmen, 21:00 verzamelen en daarna toeren",
    "Gisteravond rellen na de wedstrijd in Rotterdam, de ME moest ingrijpen en er vlogen stenen",
    "Te koop: scooter Vespa in Zwolle, vraagprijs 900 euro",
    "Lekker weer vandaag in Groningen, de terrassen zitten vol",
    "Protestmars morgen vanaf het station richting het gemeentehuis, iedereen welkom",
]


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return analyzer_for(load_config("config/onrustradar.yml"))


@pytest.fixture(scope="module")
def posts() -> list[Post]:
    published = datetime(2026, 3, 11, 9, 30, tzinfo=AMS)  # a Wednesday morning
    return [Post("telegram", f"s/{i}", "zwolle_nieuws", published, t) for i, t in enumerate(TEXTS)]


def _like(analyzer: Analyzer, stages: tuple[str, ...]) -> Analyzer:
    return Analyzer(
        analyzer.keywords,
        model=analyzer.model,
        home_gemeenten=analyzer.home_gemeenten,
        places=analyzer.places,
        stages=stages,
    )


def _hard_wired(analyzer: Analyzer, posts: list[Post]) -> list[Analysis]:
    """The analysis as analyze_many computed it before it had stages (the steps written out)."""
    texts = [p.text for p in posts]
    words, norms = zip(*(words_and_norms(t) for t in texts))
    hits = [analyzer.matcher.match(t, n) for t, n in zip(texts, norms)]
    model = analyzer.model
    matrix = model.features.transform(texts) if model is not None else None
    probabilities = model.category_probabilities(matrix) if model is not None and matrix is not None else None
    scores = analyzer._scores(hits, probabilities)
    relevant = [i for i, row in enumerate(scores) if any(v >= DECISION[c] for c, v in row.items())]
    times = {i: timex.resolve(posts[i].text, posts[i].published_at) for i in relevant}
    announced_p: dict[int, float] = {}
    if relevant:
        flags = [time_flags(times[i], posts[i]) for i in relevant]
        if model is not None and matrix is not None:
            probs = [float(p) for p in model.announced_probability(matrix[relevant], flags)]
        else:
            probs = [float(times[i].announced) for i in relevant]
        announced_p = dict(zip(relevant, probs))
    out = []
    for i, post in enumerate(posts):
        categories = [c for c in CATEGORIES if scores[i][c] >= DECISION[c]]
        place = analyzer.places.resolve(
            post.text, analyzer.home_gemeenten.get(post.channel.lower()), words[i], norms[i], channel=post.channel
        )
        when = times.get(i) if categories else None
        out.append(
            Analysis(
                post_id=post.id,
                categories=categories,
                scores=scores[i],
                gemeente_code=place.gemeente_code if place else None,
                gemeente=place.gemeente if place else None,
                place=place.place if place else None,
                announced=bool(categories) and bool(announced_p.get(i, 0.0) >= 0.5),
                event_start=when.start if when else None,
                time_known=bool(when and when.time_known),
                keywords=[f"{c}:{t}" for c in categories for t in hits[i].matched.get(c, [])]
                + [f"!{c}:{e}" for c in CATEGORIES for e in hits[i].excluded.get(c, [])],
                model=analyzer.name,
            )
        )
    return out


def test_default_stages_give_the_analysis_of_before(analyzer, posts):
    assert analyzer.stages == DEFAULT_STAGES == ("categories", "when", "where")
    analyses = analyzer.analyze_many(posts)
    assert analyses == _hard_wired(analyzer, posts)
    assert [analyzer.analyze(p) for p in posts] == analyses
    # the posts are what they look like: a demonstration in Den Haag on Saturday at 14:00, no
    # category for the weather, an exclusion marked on the sale
    demo, _, _, sale, weather, _ = analyses
    assert "demonstratie" in demo.categories and demo.gemeente == "'s-Gravenhage" and demo.time_known
    assert demo.event_start == datetime(2026, 3, 14, 14, 0, tzinfo=AMS) and demo.announced
    assert weather.categories == [] and weather.event_start is None
    assert "!scootermeeting:te koop" in sale.keywords and sale.excluded
    # existing analyses stay fresh: the default stages leave the name as it was
    assert re.fullmatch(r"(model-[^+]+\+)?kw-[0-9a-f]{8}\+rules-[0-9a-f]{8}", analyzer.name)
    assert _like(analyzer, ("categories", "when", "where")).name == analyzer.name


def test_without_where_no_gemeente_and_the_same_categories(analyzer, posts):
    full = analyzer.analyze_many(posts)
    partial = _like(analyzer, ("categories", "when"))
    assert partial.name == analyzer.name + "+stages-categories,when"  # its analyses are another model's
    without_where = partial.analyze_many(posts)
    assert any(a.gemeente for a in full)
    for a, b in zip(full, without_where):
        assert b.gemeente is None and b.gemeente_code is None and b.place is None
        assert (b.categories, b.scores, b.keywords) == (a.categories, a.scores, a.keywords)
        assert (b.event_start, b.time_known, b.announced) == (a.event_start, a.time_known, a.announced)


def test_only_where(analyzer, posts):
    for a, b in zip(analyzer.analyze_many(posts), _like(analyzer, ("where",)).analyze_many(posts)):
        assert b.categories == [] and b.scores == {} and b.event_start is None and not b.announced
        assert (b.gemeente_code, b.place) == (a.gemeente_code, a.place)


def test_an_unknown_stage_is_refused_naming_the_known_ones(analyzer):
    with pytest.raises(ValueError, match=r"unknown analyzer stage 'wanneer'; known stages: categories, when, where"):
        _like(analyzer, ("categories", "wanneer"))


@pytest.mark.parametrize("stages", [("when", "where"), ("when", "categories", "where"), ("where", "when")])
def test_a_stage_without_what_it_needs_before_it_is_refused(analyzer, stages):
    with pytest.raises(ValueError, match=r"analyzer stage 'when' needs stage 'categories' before it"):
        _like(analyzer, stages)


def test_a_stage_listed_twice_is_refused(analyzer):
    with pytest.raises(ValueError, match="listed twice"):
        _like(analyzer, ("categories", "where", "where"))


@pytest.fixture
def marker_stage():
    @stage("test-marker", needs=("categories",))
    def marker(analyzer: Analyzer, batch: Batch) -> None:
        for i, categories in enumerate(batch.categories):
            if categories:
                batch.keywords[i].append("marker:in-a-category")

    try:
        yield "test-marker"
    finally:
        STAGES.pop("test-marker")
        STAGE_NEEDS.pop("test-marker")


def test_a_registered_stage_runs_after_the_others(analyzer, posts, marker_stage):
    with pytest.raises(ValueError, match="already registered"):
        stage(marker_stage)(lambda analyzer, batch: None)
    marked = _like(analyzer, (*DEFAULT_STAGES, marker_stage))
    assert marked.name.endswith("+stages-categories,when,where,test-marker")
    for a, b in zip(analyzer.analyze_many(posts), marked.analyze_many(posts)):
        assert b.keywords == a.keywords + (["marker:in-a-category"] if a.categories else [])
        assert (b.categories, b.gemeente_code, b.event_start) == (a.categories, a.gemeente_code, a.event_start)
    assert any(a.categories for a in marked.analyze_many(posts))
    with pytest.raises(ValueError, match="needs stage 'categories'"):
        _like(analyzer, (marker_stage, "categories"))


def test_a_change_of_the_rules_or_reference_data_renames_the_analyzer(tmp_path, monkeypatch):
    """An upgrade that changes how posts are read (code of nlp/, the gazetteer's data) gives the
    analyzer another name, so stored analyses show up as stale and `reprocess` applies."""
    from nlp import pipeline

    (tmp_path / "nlp" / "data").mkdir(parents=True)
    (tmp_path / "nlp" / "timex.py").write_text("RULE = 1\n")
    (tmp_path / "nlp" / "data" / "abroad.txt").write_text("Brussel\n")
    monkeypatch.setattr(pipeline, "ROOT", tmp_path)
    pipeline.rules_fingerprint.cache_clear()
    try:
        before = pipeline.rules_fingerprint()
        (tmp_path / "nlp" / "data" / "abroad.txt").write_text("Brussel\nAntwerp\n")
        pipeline.rules_fingerprint.cache_clear()
        after_data = pipeline.rules_fingerprint()
        (tmp_path / "nlp" / "timex.py").write_text("RULE = 2\n")
        pipeline.rules_fingerprint.cache_clear()
        after_code = pipeline.rules_fingerprint()
        (tmp_path / "nlp" / "corpus").mkdir()
        (tmp_path / "nlp" / "corpus" / "notes.md").write_text("not a rule\n")
        pipeline.rules_fingerprint.cache_clear()
        assert len({before, after_data, after_code}) == 3
        assert pipeline.rules_fingerprint() == after_code  # the corpus is no rule
    finally:
        pipeline.rules_fingerprint.cache_clear()
