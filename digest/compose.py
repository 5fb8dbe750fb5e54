"""What a gemeente's daily digest says: analysed, short, in Dutch — never a raw feed.

It covers a fixed window, the 24 hours up to the digest time on its day, and reads every
signal as it was known at the end of that window (digest.views): built at 07:00 or at 09:00,
the digest for a day is the same. Each signal appears once, ranked by what the burgemeester
must know first, with one line saying what happened.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from detectors.trends import WeekTrend, weekly
from digest.views import OPEN, SignalView, ranked, view
from onrustradar.core.models import Post
from onrustradar.core.nl import AMS
from store import SignalQuery

LISTED = 10  # signals listed in full; the rest are counted and are on the board
AHEAD = timedelta(days=7)
LOOKBACK = timedelta(days=21)  # announcements and status changes are looked for this far back
CRAWL_LAG = timedelta(days=1)  # a post fetched in the window may have been published before it
REPORTED = OPEN + ("verlopen",)  # over by itself (not handled by a person): still news of the day


@dataclass
class Digest:
    gemeente: str
    gemeente_code: str
    day: date
    moment: datetime  # the end of the window; the 24 hours before it are covered
    items: list[SignalView] = field(default_factory=list)  # ranked, each signal once
    more: int = 0  # further signals of the window, on the board
    agenda: list[SignalView] = field(default_factory=list)  # listed items still to come, by date
    trend: list[WeekTrend] = field(default_factory=list)
    new: list[SignalView] = field(default_factory=list)
    escalated: list[SignalView] = field(default_factory=list)
    closed: list[SignalView] = field(default_factory=list)  # afgehandeld in the window
    board_url: str = ""

    @property
    def start(self) -> datetime:
        return self.moment - timedelta(days=1)

    def link(self, item: SignalView) -> str:
        return f"{self.board_url.rstrip('/')}/?signal={item.signal_id}"

    def number(self, item: SignalView) -> int:
        return next(i for i, listed in enumerate(self.items, 1) if listed.signal_id == item.signal_id)

    def tag(self, item: SignalView) -> str:
        if any(item.signal_id == s.signal_id for s in self.escalated):
            return "opgeschaald"
        if any(item.signal_id == s.signal_id for s in self.new):
            return "nieuw"
        return ""

    def snapshot(self) -> dict:
        """What this digest reported, so tomorrow's can say what changed."""
        return {
            v.signal_id: {"status": v.status, "reliability": v.reliability, "posts": v.posts, "sources": v.sources}
            for v in self.items
        }

    @property
    def empty(self) -> bool:
        return not (self.items or self.closed)


def digest_moment(day: date, at: str) -> datetime:
    hour, minute = map(int, at.split(":"))
    return datetime.combine(day, time(hour, minute)).replace(tzinfo=AMS)


def _closed_in(store, v: SignalView, start: datetime, end: datetime) -> bool:
    return v.status == "afgehandeld" and any(
        start < at <= end and status == "afgehandeld" for at, status, _a, _n in store.status_history(v.signal_id)
    )


def window_views(
    store,
    gemeente_code: str,
    start: datetime,
    end: datetime,
    kind: Callable[[Post], str],
    severity: dict[str, float],
    ahead: timedelta = AHEAD,
) -> tuple[list[SignalView], list[SignalView]]:
    """The signals of a window as known at its end, ranked: those with activity in it or
    announced for the `ahead` after it (each once), and those a person closed in it."""
    candidates = store.query_signals(
        SignalQuery(
            gemeente_codes=frozenset({gemeente_code}), since=min(start, end - LOOKBACK) - CRAWL_LAG, limit=100_000
        )
    )
    items, closed = [], []
    for signal in candidates:
        maybe = (
            signal.last_seen >= start - CRAWL_LAG
            or signal.announced
            and signal.event_start is not None
            and signal.event_start >= end
            or signal.status_at is not None
            and signal.status_at > start
        )
        if not maybe:
            continue
        v = view(store, signal, end, kind, severity)
        if v is None:
            continue
        active = v.last_known > start and v.status in REPORTED
        begins = v.signal.event_start  # never None when upcoming; checked again for the type checker
        coming = v.upcoming and v.status in OPEN and begins is not None and begins <= end + ahead
        if active or coming:
            items.append(v)
        elif _closed_in(store, v, start, end):
            closed.append(v)
    return ranked(items), ranked(closed)


def compose(
    store,
    gemeente_code: str,
    gemeente: str,
    day: date,
    at: str,
    board_url: str,
    previous: dict | None,
    kind: Callable[[Post], str],
    severity: dict[str, float],
) -> Digest:
    moment = digest_moment(day, at)
    d = Digest(gemeente, gemeente_code, day, moment, board_url=board_url)
    items, d.closed = window_views(store, gemeente_code, d.start, moment, kind, severity)
    # Everything still to come is listed (the agenda refers to it); the rest up to LISTED.
    coming = [v for v in items if v.upcoming]
    rest = [v for v in items if not v.upcoming]
    room = max(LISTED - len(coming), 0)
    keep = {v.signal_id for v in coming + rest[:room]}
    d.items = [v for v in items if v.signal_id in keep]
    d.more = len(items) - len(d.items)
    d.agenda = sorted((v for v in d.items if v.upcoming), key=lambda v: (v.signal.event_start, v.signal_id))
    # Whole days up to yesterday: a post published after the window's end never changes it.
    d.trend = weekly(store.daily_counts(moment - timedelta(days=36), [gemeente_code]), day - timedelta(days=1))
    previous = previous or {}
    for v in d.items:
        before = previous.get(v.signal_id)
        if before is None:
            d.new.append(v)
        elif (
            v.reliability == "bevestigd" != before.get("reliability")
            or v.sources > before.get("sources", v.sources)
            or v.posts >= 2 * before.get("posts", v.posts + 1)
        ):
            d.escalated.append(v)
    return d
