"""Post -> Analysis: what (categories), where (gemeente, place) and when (announced start).

The same Analyzer serves `classify`, `detect`, `process`, `run` and `demo`. Category scores
blend the trained model's calibrated probability with the analysts' keyword lists, so an edit
to a list changes results at once, without retraining; an exclusion pulls a score down.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import cached_property

from nlp import timex
from nlp.keywords import KeywordHits, KeywordMatcher
from nlp.model import TrainedModel
from nlp.places import PlaceResolver, place_resolver
from nlp.text import words_and_norms
from onrustradar.config import KeywordList
from onrustradar.core.models import CATEGORIES, Analysis, Post

KEYWORD_WEIGHT = 0.3  # share of the keyword lists in a category score when a model is loaded
EXCLUSION_FACTOR = 0.35  # a matched exclusion keeps this share of the score
# A post is in a category when its score reaches the threshold. 0.5 on the calibrated scale,
# except incident: the broadest category, where 4-fold cross-validation on the training split
# gave the best F1 at 0.4 (0.922 against 0.912 at 0.5; the others peak at 0.45-0.5).
DECISION = {"demonstratie": 0.5, "scootermeeting": 0.5, "supporters": 0.5, "incident": 0.4}
STRONG_KEYWORD_SHARE = 0.65


def keyword_score(hits: KeywordHits, category: str, kl: KeywordList) -> float:
    raw = hits.scores.get(category, 0.0)
    return raw / (raw + kl.threshold) if raw > 0 else 0.0


class Analyzer:
    def __init__(
        self,
        keywords: dict[str, KeywordList],
        model: TrainedModel | None = None,
        home_gemeenten: dict[str, str] | None = None,
        places: PlaceResolver | None = None,
    ):
        """`home_gemeenten` maps a channel to the gemeente code it reports on, which settles
        ambiguous place names."""
        self.keywords = keywords
        self.matcher = KeywordMatcher(keywords)
        self.model = model
        self.places = places or place_resolver()
        self.home_gemeenten = home_gemeenten or {}

    @cached_property
    def name(self) -> str:
        """Model version and keyword-list fingerprint: analyses by another name are stale."""
        lists = "|".join(kl.model_dump_json() for _, kl in sorted(self.keywords.items()))
        fingerprint = hashlib.sha1(lists.encode()).hexdigest()[:8]
        return f"model-{self.model.version}+kw-{fingerprint}" if self.model else f"kw-{fingerprint}"

    def analyze(self, post: Post) -> Analysis:
        return self.analyze_many([post])[0]

    def analyze_many(self, posts: Iterable[Post]) -> list[Analysis]:
        posts = list(posts)
        if not posts:
            return []
        texts = [p.text for p in posts]
        words, norms = zip(*(words_and_norms(t) for t in texts))  # one tokenisation for keywords and places
        hits = [self.matcher.match(t, n) for t, n in zip(texts, norms)]
        model = self.model
        matrix = model.features.transform(texts) if model is not None else None
        scores = self._scores(
            hits, model.category_probabilities(matrix) if model is not None and matrix is not None else None
        )
        # Time expressions matter only for posts in a category (an event has a start, a
        # weather report does not): resolve just those.
        relevant = [i for i, row in enumerate(scores) if any(v >= DECISION[c] for c, v in row.items())]
        times = {i: timex.resolve(posts[i].text, posts[i].published_at) for i in relevant}
        announced_p = dict.fromkeys(relevant, 0.0)
        if relevant:
            flags = [_time_flags(times[i], posts[i]) for i in relevant]
            if model is not None and matrix is not None:
                probs = [float(p) for p in model.announced_probability(matrix[relevant], flags)]
            else:
                probs = [float(times[i].announced) for i in relevant]
            announced_p = dict(zip(relevant, probs))
        out = []
        for i, post in enumerate(posts):
            categories = [c for c in CATEGORIES if scores[i][c] >= DECISION[c]]
            place = self.places.resolve(
                post.text, self.home_gemeenten.get(post.channel.lower()), words[i], norms[i], channel=post.channel
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
                    # "!category:exclusion": a list marks the post as no event of that kind
                    keywords=[f"{c}:{t}" for c in categories for t in hits[i].matched.get(c, [])]
                    + [f"!{c}:{e}" for c in CATEGORIES for e in hits[i].excluded.get(c, [])],
                    model=self.name,
                )
            )
        return out

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


def _time_flags(result: timex.TimeResult, post: Post) -> tuple[bool, bool, bool, bool]:
    start = result.start
    return (
        result.announced,
        start is not None,
        start is not None and start > post.published_at,
        result.time_known,
    )
