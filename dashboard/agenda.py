"""The Signalen page as an agenda: what is coming (announced events by start time, per day)
above what happened (reports and incidents, newest first), and what is new or changed for
this user since their previous visit. Pure functions: the page draws what these return."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from onrustradar.core import nl
from onrustradar.core.models import Signal
from store.base import Visit

# An announced event stays under "Komende dagen" until this long after its start (it is
# going on); then it moves to "Gebeurd".
ONGOING = timedelta(hours=3)
# A visit ends after this long without the board open; the next one marks what came since.
VISIT_GAP = timedelta(minutes=30)


@dataclass
class Agenda:
    upcoming: list[tuple[date, list[Signal]]] = field(default_factory=list)  # per local day, by start
    happened: list[Signal] = field(default_factory=list)  # newest first

    def __len__(self) -> int:
        return sum(len(day) for _, day in self.upcoming) + len(self.happened)


def is_upcoming(signal: Signal, now: datetime) -> bool:
    return bool(signal.announced and signal.event_start is not None and signal.event_start + ONGOING >= now)


def moment(signal: Signal, now: datetime) -> datetime:
    """When it happened: its start if that has passed, else its last post."""
    if signal.event_start is not None and signal.event_start <= now:
        return signal.event_start
    return signal.last_seen


def agenda(signals: list[Signal], now: datetime) -> Agenda:
    result = Agenda()
    days: dict[date, list[Signal]] = {}
    for s in signals:
        if is_upcoming(s, now):
            days.setdefault(nl.local(s.event_start).date(), []).append(s)
        else:
            result.happened.append(s)
    for day in sorted(days):
        result.upcoming.append((day, sorted(days[day], key=lambda s: (s.event_start, -s.score, s.signal_id))))
    result.happened.sort(key=lambda s: (moment(s, now), s.score, s.signal_id), reverse=True)
    return result


def ordered(signals: list[Signal], sort: str, now: datetime) -> list[Signal]:
    """A single list for the other sort orders."""
    if sort == "gewijzigd":
        return sorted(signals, key=lambda s: (s.changed_at or s.last_seen, s.signal_id), reverse=True)
    return sorted(signals, key=lambda s: (-s.score, s.signal_id))


def marker(signal: Signal, since: datetime | None) -> str | None:
    """'nieuw' or 'gewijzigd' since the user's previous visit (everything is new on a first)."""
    created = signal.created_at or signal.first_seen
    if since is None or created > since:
        return "nieuw"
    if (signal.changed_at or created) > since:
        return "gewijzigd"
    return None


def next_visit(previous: Visit | None, user_id: str, now: datetime) -> Visit:
    """This visit: it continues the previous one while the board was open within VISIT_GAP
    (the markers stay), otherwise it starts anew and marks what came since the last one."""
    if previous is None:
        return Visit(user_id, now, None)
    if now - previous.seen > VISIT_GAP:
        return Visit(user_id, now, previous.seen)
    return Visit(user_id, now, previous.since)
