"""What a gemeente's daily digest says: analysed, short, in Dutch — never a raw feed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from detectors.trends import WeekTrend, weekly
from onrustradar.models import Signal
from onrustradar.nl import AMS
from store import SignalQuery

TOP = 5
AHEAD = timedelta(days=7)
ESCALATION = 1.25  # a signal whose score grew by this factor since yesterday is "escalated"
OPEN = ("nieuw", "in behandeling")


@dataclass
class Digest:
    gemeente: str
    gemeente_code: str
    day: date
    moment: datetime  # the digest's time: the 24 hours before it are covered
    top: list[Signal] = field(default_factory=list)
    announcements: list[Signal] = field(default_factory=list)
    trend: list[WeekTrend] = field(default_factory=list)
    new: list[Signal] = field(default_factory=list)
    escalated: list[Signal] = field(default_factory=list)
    closed: list[Signal] = field(default_factory=list)
    board_url: str = ""

    def link(self, signal: Signal) -> str:
        return f"{self.board_url.rstrip('/')}/?signal={signal.signal_id}"

    def snapshot(self) -> dict:
        """What this digest reported, so tomorrow's can say what changed."""
        seen = {s.signal_id: s for s in self.top + self.announcements}
        return {sid: {"score": s.score, "status": s.status, "reliability": s.reliability} for sid, s in seen.items()}

    @property
    def empty(self) -> bool:
        return not (self.top or self.announcements or self.closed)


def digest_moment(day: date, at: str) -> datetime:
    hour, minute = map(int, at.split(":"))
    return datetime.combine(day, time(hour, minute)).replace(tzinfo=AMS)


def compose(store, gemeente_code: str, gemeente: str, day: date, at: str, board_url: str,
            previous: dict | None) -> Digest:
    moment = digest_moment(day, at)
    d = Digest(gemeente, gemeente_code, day, moment, board_url=board_url)
    codes = frozenset({gemeente_code})
    recent = store.query_signals(SignalQuery(gemeente_codes=codes, since=moment - timedelta(days=1), limit=500))
    recent = [s for s in recent if s.last_seen <= moment]
    d.top = [s for s in recent if s.status in OPEN][:TOP]
    window = store.query_signals(SignalQuery(gemeente_codes=codes, since=moment - timedelta(days=21), limit=2000))
    d.announcements = sorted(
        (s for s in window if s.announced and s.event_start and moment <= s.event_start <= moment + AHEAD
         and s.status in OPEN),
        key=lambda s: s.event_start)
    d.trend = weekly(store.daily_counts(moment - timedelta(days=35), [gemeente_code]), day)
    previous = previous or {}
    for s in {s.signal_id: s for s in recent + d.announcements}.values():
        before = previous.get(s.signal_id)
        if before is None:
            if s.status in OPEN:
                d.new.append(s)
        elif s.score >= before["score"] * ESCALATION or (s.reliability == "bevestigd" != before["reliability"]):
            d.escalated.append(s)
    known = {s.signal_id: s for s in window}
    for sid, before in previous.items():
        now = known.get(sid)
        if before["status"] in OPEN and now is not None and now.status not in OPEN:
            d.closed.append(now)
    return d
