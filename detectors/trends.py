"""Analysed trend information for the board and the digest: this week against the four
weeks before, per category, from the store's daily counts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from onrustradar.core.models import CATEGORIES
from store.base import DailyCount


@dataclass(frozen=True, slots=True)
class WeekTrend:
    """One category's posts this week against the weekly average of the four weeks before."""

    category: str
    this_week: int
    before_avg: float  # average per week over the four weeks before

    @property
    def change(self) -> str:
        """The change as shown: +25%, 'nieuw' without a baseline, or a dash when there is nothing at all."""
        if self.before_avg:
            return f"{(self.this_week - self.before_avg) / self.before_avg * 100:+.0f}%"
        return "nieuw" if self.this_week else "—"


def weekly(counts: Iterable[DailyCount], today: date) -> list[WeekTrend]:
    """Per category, this week's posts against the four weeks before, from daily counts (category, day, posts)."""
    out = []
    for category in CATEGORIES:
        per_week = [0] * 5
        for c in counts:
            if c.category == category:
                age = (today - date.fromisoformat(c.day)).days
                if 0 <= age < 35:
                    per_week[age // 7] += c.posts
        out.append(WeekTrend(category, per_week[0], sum(per_week[1:]) / 4))
    return out
