"""Burst detection: is a gemeente × category suddenly much busier than its own baseline?

Counts of relevant posts in a short window are compared with the rate of the week before.
Small counts are the norm in one gemeente, so the test is Poisson (with a floor on the
expected rate) rather than a z-score, and the factor is smoothed: 0 -> 10 posts reads as
about 10x, not infinity.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import datetime, timedelta

from onrustradar.core.models import Analysis, Post


@dataclass(frozen=True, slots=True)
class BurstConfig:
    """When a gemeente × category counts as bursting: window, baseline and thresholds."""

    window: timedelta = timedelta(hours=2)
    baseline: timedelta = timedelta(days=7)
    min_rate: float = 0.5  # expected posts per window never assumed below this
    factor: float = 3.0  # at least this many times normal ...
    min_posts: int = 4  # ... with at least this many posts in the window ...
    p_value: float = 0.01  # ... and this unlikely under the baseline rate: "opkomend"


@dataclass(frozen=True, slots=True)
class Burst:
    """One burst reading: the smoothed factor over normal, the posts in the window, the count
    expected from the baseline, and whether it is emerging ("opkomend")."""

    factor: float
    recent: int
    expected: float
    emerging: bool


class BurstIndex:
    """Relevant posts' publication times per gemeente and category, sorted: a burst is a few bisects away."""

    def __init__(self, pairs: list[tuple[Post, Analysis]], cfg: BurstConfig = BurstConfig()):
        self.cfg = cfg
        self.times: dict[tuple[str | None, str], list[float]] = {}
        for post, analysis in pairs:
            for category in analysis.categories:
                self.times.setdefault((analysis.gemeente_code, category), []).append(post.published_at.timestamp())
        for stamps in self.times.values():
            stamps.sort()

    def at(self, gemeente_code: str | None, category: str, end: datetime) -> Burst:
        """The burst of a gemeente and category in the window ending at `end`."""
        stamps = self.times.get((gemeente_code, category), [])
        cfg = self.cfg
        t_end = end.timestamp()
        t_window = t_end - cfg.window.total_seconds()
        t_base = t_window - cfg.baseline.total_seconds()
        recent = bisect_right(stamps, t_end) - bisect_right(stamps, t_window)
        before = bisect_right(stamps, t_window) - bisect_left(stamps, t_base)
        return burst_of(recent, before, cfg)


def burst_of(recent: int, before: int, cfg: BurstConfig = BurstConfig()) -> Burst:
    """The burst from two counts: posts in the window (after its start, up to its end) and in
    the baseline before it (both ends included). Also used with counts from the store
    (detectors.incremental)."""
    expected = before * cfg.window / cfg.baseline
    rate = max(expected, cfg.min_rate)
    factor = (recent + 0.5) / (rate + 0.5)
    p = poisson_at_least(recent, rate)
    emerging = factor >= cfg.factor and recent >= cfg.min_posts and p <= cfg.p_value
    return Burst(round(factor, 2), recent, round(expected, 2), emerging)


def poisson_at_least(k: int, rate: float) -> float:
    """P(X >= k) for X ~ Poisson(rate)."""
    if k <= 0:
        return 1.0
    below = sum(math.exp(i * math.log(rate) - rate - math.lgamma(i + 1)) for i in range(k))
    return max(0.0, 1.0 - below)
