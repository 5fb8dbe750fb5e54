"""What a keyword-list change would have caught: run the old and the new list over the posts
of the last N days and report the posts that the change adds and removes. And how precise
each term has been, from the feedback people gave on the board."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from nlp.keywords import KeywordMatcher
from onrustradar.config import KeywordList
from onrustradar.models import Post


@dataclass
class Backtest:
    category: str
    days: int
    posts: int = 0
    before: int = 0
    after: int = 0
    added: list[Post] = field(default_factory=list)
    removed: list[Post] = field(default_factory=list)


def backtest(posts: list[Post], old: KeywordList, new: KeywordList, days: int) -> Backtest:
    category = new.category
    old_m, new_m = KeywordMatcher({category: old}), KeywordMatcher({category: new})
    result = Backtest(category, days, posts=len(posts))
    for post in posts:
        was = old_m.match(post.text).fired(category, old.threshold)
        now = new_m.match(post.text).fired(category, new.threshold)
        result.before += was
        result.after += now
        if now and not was:
            result.added.append(post)
        elif was and not now:
            result.removed.append(post)
    return result


def recent_posts(store, days: int, now: datetime) -> list[Post]:
    return list(store.iter_posts(since=now - timedelta(days=days)))


@dataclass(frozen=True, slots=True)
class TermPrecision:
    term: str  # "category:term"
    right: int
    wrong: int

    @property
    def precision(self) -> float | None:
        total = self.right + self.wrong
        return self.right / total if total else None


def term_precision(feedback) -> list[TermPrecision]:
    """Per keyword that fired: how often people judged the post or signal right or wrong."""
    counts: dict[str, list[int]] = {}
    for f in feedback:
        for term in f.keywords:
            if term.startswith("!"):  # an exclusion that fired, not a term
                continue
            c = counts.setdefault(term, [0, 0])
            if f.verdict == "terecht":
                c[0] += 1
            else:
                c[1] += 1
    return sorted((TermPrecision(t, r, w) for t, (r, w) in counts.items()), key=lambda t: t.term)
