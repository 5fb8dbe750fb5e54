"""Post -> Analysis: what (categories), where (gemeente, place) and when (announced start).

The same Analyzer serves `classify`, `detect`, `process`, `run` and `demo`.
"""

from __future__ import annotations

from typing import Iterable

from onrustradar.config import KeywordList
from onrustradar.models import CATEGORIES, Analysis, Post
from nlp.keywords import KeywordMatcher
from nlp.places import PlaceResolver, place_resolver
from nlp import timex

MODEL_NAME = "keywords-v1"


class Analyzer:
    def __init__(
        self,
        keywords: dict[str, KeywordList],
        home_gemeenten: dict[str, str] | None = None,
        places: PlaceResolver | None = None,
    ):
        """`home_gemeenten` maps a channel to the gemeente code it reports on, which settles
        ambiguous place names."""
        self.keywords = keywords
        self.matcher = KeywordMatcher(keywords)
        self.places = places or place_resolver()
        self.home_gemeenten = home_gemeenten or {}

    def analyze(self, post: Post) -> Analysis:
        hits = self.matcher.match(post.text)
        scores: dict[str, float] = {}
        categories: list[str] = []
        for category in CATEGORIES:
            kl = self.keywords[category]
            raw = 0.0 if hits.excluded.get(category) else hits.scores.get(category, 0.0)
            scores[category] = raw / (raw + kl.threshold) if raw > 0 else 0.0
            if hits.fired(category, kl.threshold):
                categories.append(category)
        place = self.places.resolve(post.text, self.home_gemeenten.get(post.channel))
        when = timex.resolve(post.text, post.published_at) if categories else None
        return Analysis(
            post_id=post.id,
            categories=categories,
            scores=scores,
            gemeente_code=place.gemeente_code if place else None,
            gemeente=place.gemeente if place else None,
            place=place.place if place else None,
            announced=bool(when and when.announced),
            event_start=when.start if when else None,
            time_known=bool(when and when.time_known),
            keywords=[f"{c}:{t}" for c in categories for t in hits.matched.get(c, [])],
            model=MODEL_NAME,
        )

    def analyze_many(self, posts: Iterable[Post]) -> list[Analysis]:
        return [self.analyze(p) for p in posts]
