"""What a PDF briefing holds: a *bestuurlijke rapportage* for the driehoek or the raad.

For one gemeente and a period (day, week, month, ending at the digest time on its last day),
or for one signal: the signals with their one-line summary and reliability, the agenda of
announced events, signals per category against the previous periods, a small map, and the
sources consulted (kinds and counts, never names or handles). Signals are read as known at
the period's end (digest.views), so a briefing of a past period does not change afterwards.
The PDF itself is drawn by digest.pdf.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from digest.compose import digest_moment, window_views
from digest.views import SignalView, view
from onrustradar.core import nl
from onrustradar.core.gazetteer import Gemeente, gazetteer
from onrustradar.core.models import CATEGORIES, OWN_SOURCE, Post
from store import SignalQuery

PERIODS = ("day", "week", "month")
TITLES = {"day": "Dagrapportage", "week": "Weekrapportage", "month": "Maandrapportage"}
PERIOD_NOUNS = {"day": ("dag", "dagen"), "week": ("week", "weken"), "month": ("maand", "maanden")}
AHEAD = {"day": timedelta(days=7), "week": timedelta(days=7), "month": timedelta(days=31)}
COMPARED = 4  # previous periods in the trend
LISTED = 40  # signals in the table; the rest are counted
KIND_LABELS = {
    "official": "Officiële bronnen",
    "news": "Nieuwsmedia",
    "social": "Sociale media en kanalen",
    OWN_SOURCE: "Eigen meldingen (gemeente)",
}
PLATFORM_LABELS = {
    "telegram": "Telegram",
    "rss": "nieuwsfeeds (RSS)",
    "mastodon": "Mastodon",
    "reddit": "Reddit",
    "bluesky": "Bluesky",
    "dumpert": "Dumpert",
    OWN_SOURCE: "wijkagent, handhaving, meldpunt, partners",
}


@dataclass(frozen=True, slots=True)
class SourceRow:
    kind: str  # label
    platforms: str
    sources: int  # distinct channels or feeds, counted, not named
    posts: int


@dataclass(frozen=True, slots=True)
class CategoryTrend:
    category: str
    counts: tuple[int, ...]  # signals per period, oldest first; the last is the reported period


@dataclass
class Briefing:
    title: str
    gemeente: Gemeente
    start: datetime
    end: datetime
    built: datetime
    items: list[SignalView] = field(default_factory=list)
    more: int = 0
    agenda: list[SignalView] = field(default_factory=list)
    trend: list[CategoryTrend] = field(default_factory=list)
    period_labels: list[str] = field(default_factory=list)
    sources: list[SourceRow] = field(default_factory=list)
    configured: dict[str, int] = field(default_factory=dict)  # enabled sources per kind
    detail: list[str] = field(default_factory=list)  # a one-signal briefing: reasoning and history

    @property
    def window(self) -> str:
        return f"{nl.when(self.start)} tot {nl.when(self.end)}"

    def number(self, item: SignalView) -> int | None:
        return next((i for i, v in enumerate(self.items, 1) if v.signal_id == item.signal_id), None)

    def points(self) -> list[tuple[int, float, float, str]]:
        out = []
        for i, v in enumerate(self.items, 1):
            point = gazetteer().point(v.signal.gemeente_code, v.signal.place)
            if point:
                out.append((i, point[0], point[1], v.signal.categories[0]))
        return out

    @property
    def counts(self) -> dict[str, int]:
        listed = self.items
        return {
            "signalen": len(listed) + self.more,
            "bevestigd": sum(v.reliability == "bevestigd" for v in listed),
            "berichten": sum(r.posts for r in self.sources),
        }


def period_start(end: datetime, period: str) -> datetime:
    if period == "day":
        return end - timedelta(days=1)
    if period == "week":
        return end - timedelta(days=7)
    local = nl.local(end)
    year, month = (local.year, local.month - 1) if local.month > 1 else (local.year - 1, 12)
    day = min(local.day, 28 if month == 2 else 30 if month in (4, 6, 9, 11) else 31)
    return local.replace(year=year, month=month, day=day)


def _sources(items: list[SignalView]) -> list[SourceRow]:
    rows: dict[str, tuple[set, set, int]] = {}
    for v in items:
        for kind, platform, channel in v.evidence:
            key = OWN_SOURCE if platform == OWN_SOURCE else kind
            platforms, channels, posts = rows.get(key, (set(), set(), 0))
            rows[key] = (platforms | {platform}, channels | {channel}, posts + 1)
    order = ["official", OWN_SOURCE, "news", "social"]
    return [
        SourceRow(
            KIND_LABELS.get(k, k),
            ", ".join(sorted(PLATFORM_LABELS.get(p, p) for p in rows[k][0])),
            len(rows[k][1]),
            rows[k][2],
        )
        for k in sorted(rows, key=lambda k: order.index(k) if k in order else 9)
    ]


def _trend(store, code: str, end: datetime, period: str) -> tuple[list[CategoryTrend], list[str]]:
    bounds = [end]
    for _ in range(COMPARED + 1):
        bounds.insert(0, period_start(bounds[0], period))
    signals = store.query_signals(SignalQuery(gemeente_codes=frozenset({code}), since=bounds[0], limit=100_000))
    counts = {c: [0] * (COMPARED + 1) for c in CATEGORIES}
    for s in signals:
        for i in range(COMPARED + 1):
            if bounds[i] < s.first_seen <= bounds[i + 1]:
                for c in s.categories:
                    counts[c][i] += 1
    one, many = PERIOD_NOUNS[period]
    labels = [f"{COMPARED - i} {one if COMPARED - i == 1 else many} eerder" for i in range(COMPARED)] + ["deze periode"]
    return [CategoryTrend(c, tuple(counts[c])) for c in CATEGORIES], labels


def _configured(config) -> dict[str, int]:
    out: dict[str, int] = {}
    for s in config.settings.sources:
        if s.enabled:
            out[s.kind] = out.get(s.kind, 0) + 1
    return out


def period_briefing(
    store, config, gemeente: Gemeente, period: str, end_day: date, kind: Callable[[Post], str], now: datetime
) -> Briefing:
    end = digest_moment(end_day, config.settings.digest.time)
    start = period_start(end, period)
    severity = dict(config.settings.detectors.severity)
    items, _closed = window_views(store, gemeente.code, start, end, kind, severity, ahead=AHEAD[period])
    b = Briefing(TITLES[period], gemeente, start, end, now)
    coming = [v for v in items if v.upcoming]
    rest = [v for v in items if not v.upcoming][: max(LISTED - len(coming), 0)]
    keep = {v.signal_id for v in coming + rest}
    b.items = [v for v in items if v.signal_id in keep]
    b.more = len(items) - len(b.items)
    b.agenda = sorted(coming, key=lambda v: (v.signal.event_start, v.signal_id))
    b.trend, b.period_labels = _trend(store, gemeente.code, end, period)
    b.sources = _sources(b.items)
    b.configured = _configured(config)
    return b


def signal_briefing(store, config, signal_id: str, kind: Callable[[Post], str], now: datetime) -> Briefing | None:
    """One signal as it stands now, with its reasoning and status history (the board's button);
    None for an unknown signal or one without a (known) gemeente."""
    signal = store.get_signal(signal_id)
    if signal is None or signal.gemeente_code is None:
        return None
    gemeente = gazetteer().gemeente(signal.gemeente_code)
    if gemeente is None:  # a code the gazetteer no longer has: no briefing to place it in
        return None
    v = view(store, signal, now, kind, dict(config.settings.detectors.severity))
    if v is None:
        return None
    b = Briefing("Signaalbriefing", gemeente, signal.first_seen, now, now)
    b.items = [v]
    b.agenda = [v] if v.upcoming else []
    b.trend, b.period_labels = _trend(store, signal.gemeente_code, now, "week")
    b.sources = _sources(b.items)
    b.configured = _configured(config)
    b.detail = [f"Onderbouwing: {signal.explanation}"] + [
        f"{nl.when(at)} — status {status}" + (f": {note}" if note else "")
        for at, status, _actor, note in store.status_history(signal_id)
    ]
    return b
