"""Analysed trend information for the board and the digest: this week against the four
weeks before, per category, from the store's daily counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from onrustradar.core.models import CATEGORIES


@dataclass(frozen=True, slots=True)
class WeekTrend:
    category: str
    this_week: int
    before_avg: float  # average per week over the four weeks before

    @property
    def change(self) -> str:
        if self.before_avg:
            return f"{(self.this_week - self.before_avg) / self.before_avg * 100:+.0f}%"
        return "nieuw" if self.this_week else "—"


def weekly(counts, today: date) -> list[WeekTrend]:
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
