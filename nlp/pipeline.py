"""Post -> Analysis: what (categories), where (gemeente, place) and when (announced start).

The same Analyzer serves `classify`, `detect`, `process`, `run` and `demo`. Category scores
blend the trained model's calibrated probability with the analysts' keyword lists, so an edit
to a list changes results at once, without retraining; an exclusion pulls a score down.

The analysis runs as named stages over a batch of posts (in the spirit of spaCy's registered
factories): `@stage("name")` registers a function in STAGES, and an Analyzer runs the stages it
is given, in order (DEFAULT_STAGES unless told otherwise). Each stage fills its part of a Batch.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

from scipy.sparse import csr_matrix

from nlp import timex
from nlp.keywords import KeywordHits, KeywordMatcher
from nlp.model import TrainedModel
from nlp.places import PlaceMatch, PlaceResolver, place_resolver
from nlp.text import words_and_norms
from onrustradar.config import KeywordList
from onrustradar.core.fingerprint import files_fingerprint
from onrustradar.core.models import CATEGORIES, Analysis, Post

KEYWORD_WEIGHT = 0.3  # share of the keyword lists in a category score when a model is loaded
EXCLUSION_FACTOR = 0.35  # a matched exclusion keeps this share of the score
# A post is in a category when its score reaches the threshold. 0.5 on the calibrated scale,
# except incident: the broadest category, where 4-fold cross-validation on the training split
# gave the best F1 at 0.4 (0.922 against 0.912 at 0.5; the others peak at 0.45-0.5).
DECISION = {"demonstratie": 0.5, "scootermeeting": 0.5, "supporters": 0.5, "incident": 0.4}
STRONG_KEYWORD_SHARE = 0.65


def keyword_score(hits: KeywordHits, category: str, kl: KeywordList) -> float:
    """The keyword lists' evidence for `category` on a 0..1 scale: summed weight / (weight +
    the list's threshold), so the threshold itself scores 0.5."""
    raw = hits.scores.get(category, 0.0)
    return raw / (raw + kl.threshold) if raw > 0 else 0.0


ROOT = Path(__file__).resolve().parent.parent
# What an analysis is made of besides the model and the keyword lists: the rules (this package's
# code) and the reference data they read (gazetteer, landmarks, lemmas, places abroad).
RULE_FILES = ("nlp/*.py", "nlp/data/*", "onrustradar/core/gazetteer.py", "onrustradar/core/data/gazetteer/*.csv")


@cache
def rules_fingerprint() -> str:
    """A hash of the analysis rules and reference data as installed: an upgrade that changes
    how posts are read changes it, so the stored analyses show up as stale (`reprocess`)."""
    return files_fingerprint(ROOT, RULE_FILES)


@dataclass
class Batch:
    """The working state of one `analyze_many` call: the posts, their tokens, and what the stages
    found so far. Every list runs parallel to `posts`; a stage that did not run leaves its
    part empty (no scores, no categories, no time, no place)."""

    posts: list[Post]
    texts: list[str]
    words: list[list[str]]  # tokens as written (nlp.text), shared by keywords and places
    norms: list[list[str]]  # the same tokens folded
    hits: list[KeywordHits] = field(default_factory=list)
    matrix: csr_matrix | None = None  # the model's features, when a model is loaded
    scores: list[dict[str, float]] = field(default_factory=list)
    categories: list[list[str]] = field(default_factory=list)
    keywords: list[list[str]] = field(default_factory=list)  # "category:term", "!category:exclusion"
    times: dict[int, timex.TimeResult] = field(default_factory=dict)  # by post index: resolved posts only
    announced: dict[int, float] = field(default_factory=dict)  # by post index: probability it is announced
    places: list[PlaceMatch | None] = field(default_factory=list)

    @classmethod
    def of(cls, posts: list[Post]) -> Batch:
        """A batch for `posts`, tokenised once, with every stage's part empty."""
        texts = [p.text for p in posts]
        tokens = [words_and_norms(t) for t in texts]
        n = len(posts)
        return cls(
            posts=posts,
            texts=texts,
            words=[w for w, _ in tokens],
            norms=[m for _, m in tokens],
            scores=[{} for _ in range(n)],
            categories=[[] for _ in range(n)],
            keywords=[[] for _ in range(n)],
            places=[None] * n,
        )


StageFn = Callable[["Analyzer", Batch], None]

STAGES: dict[str, StageFn] = {}  # name -> stage, filled by @stage
STAGE_NEEDS: dict[str, tuple[str, ...]] = {}  # name -> stages that must run before it
DEFAULT_STAGES: tuple[str, ...] = ("categories", "when", "where")


def stage(name: str, needs: Sequence[str] = ()) -> Callable[[StageFn], StageFn]:
    """Register the decorated function as the analyzer stage `name`; `needs`: the stages whose
    results it reads, which an Analyzer must run before it. A name is registered once."""

    def register(fn: StageFn) -> StageFn:
        if name in STAGES:
            raise ValueError(f"analyzer stage {name!r} is already registered")
        STAGES[name] = fn
        STAGE_NEEDS[name] = tuple(needs)
        return fn

    return register


def check_stages(stages: Sequence[str]) -> tuple[str, ...]:
    """`stages` as a tuple, after checking each is registered, listed once, and comes after the
    stages it needs; a ValueError says which is wrong and what is known."""
    names = tuple(stages)
    for i, name in enumerate(names):
        if name not in STAGES:
            raise ValueError(f"unknown analyzer stage {name!r}; known stages: {', '.join(STAGES)}")
        if name in names[:i]:
            raise ValueError(f"analyzer stage {name!r} is listed twice in {', '.join(names)}")
        for need in STAGE_NEEDS[name]:
            if need not in names[:i]:
                raise ValueError(
                    f"analyzer stage {name!r} needs stage {need!r} before it; stages given: {', '.join(names)}"
                )
    return names


class Analyzer:
    """Turns posts into Analyses with the trained model (if any), the analysts' keyword lists
    and the place resolver, by running its stages over each batch."""

    def __init__(
        self,
        keywords: dict[str, KeywordList],
        model: TrainedModel | None = None,
        home_gemeenten: dict[str, str] | None = None,
        places: PlaceResolver | None = None,
        stages: Sequence[str] = DEFAULT_STAGES,
    ):
        """`home_gemeenten` maps a channel to the gemeente code it reports on, which settles
        ambiguous place names. `stages`: the registered stages to run, in order (ValueError for
        an unknown one or one whose needs do not run before it)."""
        self.stages = check_stages(stages)
        self.keywords = keywords
        self.matcher = KeywordMatcher(keywords)
        self.model = model
        self.places = places or place_resolver()
        self.home_gemeenten = home_gemeenten or {}

    @cached_property
    def name(self) -> str:
        """Model version, keyword-list fingerprint, rules fingerprint and (when not the default)
        the stages: analyses by another name are stale."""
        lists = "|".join(kl.model_dump_json() for _, kl in sorted(self.keywords.items()))
        fingerprint = hashlib.sha1(lists.encode()).hexdigest()[:8]
        name = f"model-{self.model.version}+kw-{fingerprint}" if self.model else f"kw-{fingerprint}"
        name += f"+rules-{rules_fingerprint()}"
        if self.stages != DEFAULT_STAGES:  # the default stays out, so existing analyses stay fresh
            name += "+stages-" + ",".join(self.stages)
        return name

    def analyze(self, post: Post) -> Analysis:
        """The Analysis of one post (a batch of one: prefer analyze_many for many posts)."""
        return self.analyze_many([post])[0]

    def analyze_many(self, posts: Iterable[Post]) -> list[Analysis]:
        """The Analyses of `posts`, in order: the stages run once over the whole batch, so the
        model's matrix products and the tokenisation are shared."""
        batch = Batch.of(list(posts))
        if not batch.posts:
            return []
        for name in self.stages:
            STAGES[name](self, batch)
        return [self._analysis(batch, i) for i in range(len(batch.posts))]

    def _analysis(self, batch: Batch, i: int) -> Analysis:
        post, categories, place = batch.posts[i], batch.categories[i], batch.places[i]
        when = batch.times.get(i) if categories else None
        return Analysis(
            post_id=post.id,
            categories=categories,
            scores=batch.scores[i],
            gemeente_code=place.gemeente_code if place else None,
            gemeente=place.gemeente if place else None,
            place=place.place if place else None,
            announced=bool(categories) and bool(batch.announced.get(i, 0.0) >= 0.5),
            event_start=when.start if when else None,
            time_known=bool(when and when.time_known),
            keywords=batch.keywords[i],
            model=self.name,
        )

    def _scores(self, hits: list[KeywordHits], probabilities: dict | None) -> list[dict[str, float]]:
        out = []
        for i, h in enumerate(hits):
            row = {}
            for c in CATEGORIES:
                kw = keyword_score(h, c, self.keywords[c])
                if probabilities is None:
                    score = kw
                else:
                    score = (1 - KEYWORD_WEIGHT) * float(probabilities[c][i]) + KEYWORD_WEIGHT * kw
                    # A keyword hit is evidence the model may not have seen in training: a
                    # strong one (raw weight >= ~3x the list's threshold) decides on its own,
                    # so an analyst's new term catches posts without retraining.
                    if kw >= 0.5:
                        score = max(
                            score, STRONG_KEYWORD_SHARE * kw + (1 - STRONG_KEYWORD_SHARE) * float(probabilities[c][i])
                        )
                if h.excluded.get(c):
                    score *= EXCLUSION_FACTOR
                row[c] = round(score, 4)
            out.append(row)
        return out


@stage("categories")
def categories_stage(analyzer: Analyzer, batch: Batch) -> None:
    """What: keyword hits and the model's calibrated probabilities blended into a score per
    category; a post is in each category whose DECISION threshold its score reaches."""
    batch.hits = [analyzer.matcher.match(t, n) for t, n in zip(batch.texts, batch.norms)]
    model = analyzer.model
    probabilities = None
    if model is not None:
        batch.matrix = model.features.transform(batch.texts)
        probabilities = model.category_probabilities(batch.matrix)
    batch.scores = analyzer._scores(batch.hits, probabilities)
    batch.categories = [[c for c in CATEGORIES if row[c] >= DECISION[c]] for row in batch.scores]
    batch.keywords = [
        [f"{c}:{t}" for c in categories for t in hits.matched.get(c, [])]
        # "!category:exclusion": a list marks the post as no event of that kind
        + [f"!{c}:{e}" for c in CATEGORIES for e in hits.excluded.get(c, [])]
        for categories, hits in zip(batch.categories, batch.hits)
    ]


@stage("when", needs=("categories",))
def when_stage(analyzer: Analyzer, batch: Batch) -> None:
    """When: the start of each post in a category, and how likely it announces an event to
    come. Only those posts are resolved: an event has a start, a weather report does not."""
    posts = batch.posts
    relevant = [i for i, categories in enumerate(batch.categories) if categories]
    batch.times = {i: timex.resolve(posts[i].text, posts[i].published_at) for i in relevant}
    if not relevant:
        return
    flags = [time_flags(batch.times[i], posts[i]) for i in relevant]
    model, matrix = analyzer.model, batch.matrix
    if model is not None and matrix is not None:
        probs = [float(p) for p in model.announced_probability(matrix[relevant], flags)]
    else:
        probs = [float(batch.times[i].announced) for i in relevant]
    batch.announced = dict(zip(relevant, probs))


@stage("where")
def where_stage(analyzer: Analyzer, batch: Batch) -> None:
    """Where: the gemeente and place of each post, with its channel's home gemeente (config)
    to settle ambiguous names."""
    homes, resolve = analyzer.home_gemeenten, analyzer.places.resolve
    batch.places = [
        resolve(post.text, homes.get(post.channel.lower()), words, norms, channel=post.channel)
        for post, words, norms in zip(batch.posts, batch.words, batch.norms)
    ]


def time_flags(result: timex.TimeResult, post: Post) -> tuple[bool, bool, bool, bool]:
    """The time features of the announced model: announced by the rules, a start found, a start
    after publication, a clock time known (training and analysis use the same four)."""
    start = result.start
    return (
        result.announced,
        start is not None,
        start is not None and start > post.published_at,
        result.time_known,
    )
