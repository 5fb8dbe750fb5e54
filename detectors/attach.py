"""Context: posts without a category of their own join the open event they are about.

A quarter of an event's posts carry no category word: "zaterdag was mega, 70+ scooters 🔥",
"we staan er al, achterste deel van de parkeerplaats", "massive turnout at Museumplein
tonight". They belong to an event by its place, its time, its channel and its wording. Such a
post joins an event only when it shares its gemeente (or names none), falls in the event's time
window and names its place, comes from a channel already in it, or repeats its text; the bar
is higher than for posts with a category, and the evidence shows them as "via context".
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from operator import itemgetter

from detectors.anchors import anchors
from detectors.grouping import (
    MOVED_TO,
    Group,
    Item,
    NamedDay,
    aftermath_of,
    fits_kind,
    only_event_now,
    place_relation,
    points_back,
)
from detectors.settings import GroupingConfig
from detectors.similarity import SparseVector, rows_as_dicts, vectorize
from nlp.keywords import CALM
from nlp.places import place_resolver
from onrustradar.core import nl
from onrustradar.core.models import Analysis, Post

# A channel already in the event counts for more here than for a post with a category: a
# follow-up in the organiser's own channel rarely repeats what or where.
CHANNEL_WEIGHT = 0.45
CHANNEL_CANDIDATES = 3
MANY_VOICES = frozenset({"rss", "reddit"})  # sources in which many write about many things
SIMILAR_ENOUGH = 0.3  # without a shared place, channel or hour, the text must repeat the event's
BYSTANDER_CATEGORY = 0.1  # the least category score of a bystander's post that joins by time and gemeente
BYSTANDER_SIMILARITY = 0.08  # ... or the least similarity
UNPLACED_CATEGORY = 0.25  # ... and the category score of one that names no place at all
ALONE_WEIGHT = 0.12  # the evidence of being the only event of the post's gemeente in its hours
# A bystander's hours are wider than GroupingConfig.event_hours_*: people post on the way there
# and late into the night about what they saw.
BYSTANDER_HOURS_BEFORE = timedelta(hours=3)
BYSTANDER_HOURS_AFTER = timedelta(hours=12)


def attach_context(
    groups: list[Group], pairs: list[tuple[Post, Analysis]], cfg: GroupingConfig, first_row: int
) -> list[SparseVector]:
    """Add posts without a category to the groups they belong to (in place). Returns the
    vectors of the posts that joined, numbered from `first_row` (Item.row)."""
    events = _Events.of(groups, cfg)
    # First the cheap tests (gemeente, window, names), then one batch of vectors for the posts
    # that have a candidate at all.
    pending: list[_Pending] = []
    for post, analysis in sorted(pairs, key=lambda pa: (pa[0].published_at, pa[0].id)):
        if analysis.categories or about_other_event(post.text):
            continue
        if not may_be_context(post, analysis, cfg.measures):
            continue
        item = Item(post, analysis, -1)
        names = anchors(post.text)
        named_day = NamedDay(post)
        fitting = _candidates(item, names, named_day, events, cfg)
        # "Vanuit Lissabon: duizenden mensen op straat": not here (asked only of posts that
        # may join an event at all: the resolver is the costly part)
        if fitting and not (analysis.gemeente_code is None and place_resolver().scene_abroad(post.text)):
            pending.append((item, names, fitting, named_day))
    if not pending:
        return []
    return _join(pending, events.windows, cfg, first_row)


# A post waiting for its vector: the post, the names it uses, the events it may join, its day.
_Pending = tuple[Item, frozenset[str], list[Group], NamedDay]


@dataclass(frozen=True, slots=True)
class _Events:
    """The events, indexed once for the candidate search (posts x events is the big loop here)."""

    groups: list[Group]
    by_anchor: dict[str, list[Group]]
    windows: dict[int, ContextWindow]  # each event's context window, by id(event)
    local_windows: dict[str, _ByTime]  # by gemeente
    origin_windows: dict[str, _ByTime]  # by channel
    timed: list[tuple[datetime, int]]  # (start, index) of events with a known start, by start
    starts: list[datetime]  # ... their starts: "the only event going on now" is a bisect away

    @classmethod
    def of(cls, groups: list[Group], cfg: GroupingConfig) -> _Events:
        """The index of `groups`, with each event's window computed once."""
        by_anchor: dict[str, list[Group]] = {}
        by_origin: dict[str, list[Group]] = {}
        for group in groups:
            for name in group.anchors:
                by_anchor.setdefault(name, []).append(group)
            for origin in group.origins:
                by_origin.setdefault(origin, []).append(group)
        windows = {id(g): ContextWindow.of(g, cfg) for g in groups}
        local: dict[str, list[tuple[Group, ContextWindow]]] = {}
        for g in groups:
            if g.gemeente_code:
                local.setdefault(g.gemeente_code, []).append((g, windows[id(g)]))
        local_windows = {code: _ByTime.of(events) for code, events in local.items()}
        origin_windows = {o: _ByTime.of([(g, windows[id(g)]) for g in gs]) for o, gs in by_origin.items()}
        timed = sorted(
            (g.start, n) for n, g in enumerate(groups) if g.gemeente_code and g.start is not None and g.time_known
        )
        starts = [t for t, _ in timed]
        return cls(groups, by_anchor, windows, local_windows, origin_windows, timed, starts)


@dataclass(frozen=True, slots=True)
class _ByTime:
    """Events with their windows, sorted by the window's earliest moment (its announcement
    horizon or its start), so the events a moment can fall in are a bisect away, not a scan
    (a busy channel or gemeente is in hundreds of events over the horizon)."""

    earliest: list[datetime]
    events: list[tuple[int, Group, ContextWindow]]  # (position in the given order, event, window)
    longest: timedelta  # the longest window, earliest to hi

    @classmethod
    def of(cls, events: list[tuple[Group, ContextWindow]]) -> _ByTime:
        keyed = sorted(
            ((w.lo if w.ahead is None else min(w.ahead, w.lo), n, g, w) for n, (g, w) in enumerate(events)),
            key=lambda e: (e[0], e[1]),
        )
        longest = max((w.hi - t for t, _, _, w in keyed), default=timedelta(0))
        return cls([t for t, _, _, _ in keyed], [(n, g, w) for _, n, g, w in keyed], longest)

    def around(self, moment: datetime) -> list[tuple[Group, ContextWindow]]:
        """The events whose window (announcement horizon included) may hold `moment`, in the
        order they were given."""
        lo = bisect.bisect_left(self.earliest, moment - self.longest)
        hi = bisect.bisect_right(self.earliest, moment)
        within = [e for e in self.events[lo:hi] if e[2].hi >= moment]
        within.sort(key=itemgetter(0))
        return [(g, w) for _, g, w in within]


def _candidates(
    item: Item, names: frozenset[str], named_day: NamedDay, events: _Events, cfg: GroupingConfig
) -> list[Group]:
    """The events a post without a category may be about, by the cheap tests: its gemeente and
    the event's window, a name they share, its channel; for a post that names no place, the
    only event of its kind going on."""
    post, analysis = item.post, item.analysis
    windows = events.windows
    moment = post.published_at
    by_id: dict[int, Group] = {}  # the events the post fits, by id(): each once, in the order found
    local = item.gemeente_hint
    if local:
        # the same gemeente: inline window tests (this loop runs posts x events)
        near = events.local_windows.get(local)
        for g, w in near.around(moment) if near else ():
            if w.lo <= moment <= w.hi or (w.ahead is not None and w.ahead <= moment < w.lo and named_day() == w.day):
                by_id[id(g)] = g
        if near and analysis.gemeente_code and points_back(post.text):
            # "Na het geweld op de Korenmarkt verlengt de burgemeester het cameratoezicht", days
            # later: the aftermath of an incident at the place it names, past its window
            for _, g, _w in near.events:
                if id(g) not in by_id and aftermath_of(g, post, analysis, cfg):
                    by_id[id(g)] = g
    for name in names:
        for g in events.by_anchor.get(name, ()):
            if id(g) not in by_id and windows[id(g)].fits(g, post, analysis, named_day):
                by_id[id(g)] = g
    # A follow-up in a channel already in the event ("we zijn er!! al 40+ bakkies").
    # (a busy channel is in many events: the few nearest in time are the candidates)
    in_channel = events.origin_windows.get(post.origin)
    same_channel = [
        g for g, w in (in_channel.around(moment) if in_channel else ()) if id(g) not in by_id and w.lo <= moment <= w.hi
    ]
    if len(same_channel) > CHANNEL_CANDIDATES:
        same_channel.sort(key=lambda g: abs((g.start or g.latest) - moment))
    for g in same_channel[:CHANNEL_CANDIDATES]:
        if windows[id(g)].fits(g, post, analysis, named_day):
            by_id[id(g)] = g
    if by_id or local is not None:
        return list(by_id.values())
    # no place named: the only event of its kind going on right now, if the post speaks of
    # that kind at all
    kinds = {c for c, v in analysis.scores.items() if v >= UNPLACED_CATEGORY}
    lo = bisect.bisect_left(events.starts, post.published_at - cfg.event_hours_after)
    hi = bisect.bisect_right(events.starts, post.published_at + cfg.event_hours_before)
    now = [events.groups[n] for _, n in events.timed[lo:hi]]
    only = only_event_now(now, post, kinds, cfg, related=False) if kinds and now else None
    return [only] if only else []


def _join(
    pending: list[_Pending], windows: dict[int, ContextWindow], cfg: GroupingConfig, first_row: int
) -> list[SparseVector]:
    """Each pending post joins the candidate with the most context evidence, if enough (in
    place); returns the vectors of those that joined, numbered from `first_row`."""
    vectors = rows_as_dicts(vectorize([i.post.text for i, _, _, _ in pending]))
    joined: list[SparseVector] = []
    for (item, names, fitting, named_day), vector in zip(pending, vectors):
        item.row = first_row + len(joined)
        best, best_score = None, 0.0
        for group in fitting:
            if _elsewhere(group, item.analysis):
                continue  # the event took its gemeente from a post that joined before this one
            day = windows[id(group)].day
            score = _context_evidence(
                group, item, vector, names, cfg, day is not None and day == named_day(), alone=len(fitting) == 1
            )
            if score >= cfg.context_evidence and score > best_score:
                best, best_score = group, score
        if best is not None:
            best.add(item, vector)
            best.context_ids.append(item.post.id)
            joined.append(vector)
    return joined


@dataclass(frozen=True, slots=True)
class ContextWindow:
    """When a post without a category can be about an event: from a little before its first
    post to a while after its start or last post; days ahead only when it names the date.
    lo, hi and ahead are in UTC; day is the start's Dutch date."""

    lo: datetime
    hi: datetime
    ahead: datetime | None  # earliest announcement time, when the start is known
    day: date | None

    @classmethod
    def of(cls, group: Group, cfg: GroupingConfig) -> ContextWindow:
        """The window of one event, from its start, first and last post."""
        last = max(t for t in (group.start, group.last_seen) if t is not None)
        first = min(t for t in (group.start, group.first_seen) if t is not None)
        start = group.start
        # in UTC, as posts are dated: a comparison across time zones costs twenty times one
        # within, and posts x events make many
        return cls(
            (first - cfg.context_before).astimezone(UTC),
            (last + cfg.context_after).astimezone(UTC),
            (start - cfg.announce_horizon).astimezone(UTC) if start is not None else None,
            nl.local(start).date() if start is not None else None,
        )

    def fits(self, group: Group, post: Post, analysis: Analysis, named_day: NamedDay) -> bool:
        """Whether the post may be about the event: no other gemeente, and in the window or naming its day."""
        if _elsewhere(group, analysis):
            return False
        moment = post.published_at
        if self.lo <= moment <= self.hi:
            return True
        # Days ahead, a post fits when it names the event's date ("ZATERDAG 21-11 HOOGEVEEN 14:00").
        if self.ahead is None or not self.ahead <= moment < self.lo:
            return False
        return named_day() == self.day


def _elsewhere(group: Group, analysis: Analysis) -> bool:
    """Whether the post names a gemeente and the event is in another one."""
    return bool(analysis.gemeente_code and group.gemeente_code and analysis.gemeente_code != group.gemeente_code)


# "Update: zaterdag gaat NIET door", "AFGELAST": the organisers call it off. Such a post is
# excluded from its category by the lists, but it belongs to the event it cancels: by the
# organiser's channel or the place it names (never as a bystander), and the signal says so.
CANCELLED = re.compile(
    r"\b(?:gaat\s+(?:dus\s+|toch\s+|helaas\s+)?niet\s+door|afgelast|geannuleerd|afgeblazen|"
    r"called off|cancelled|canceled)\b",
    re.IGNORECASE,
)


def cancels(post: Post, analysis: Analysis) -> bool:
    """Whether the post is a notice that an event is called off (and not moved)."""
    return bool(CANCELLED.search(post.text)) and not MOVED_TO.search(post.text)


def calm_report(analysis: Analysis) -> bool:
    """Whether every exclusion that fired says the event passed off calmly ("de tocht verliep
    zonder incidenten"): a report of the event, not a sign that there was none."""
    labels = analysis.exclusions
    return bool(labels) and all(not CALM.isdisjoint(label.split()) for label in labels)


def aftermath_notice(post: Post, analysis: Analysis, measures: frozenset[str]) -> bool:
    """A post in a gemeente that points back at an incident ("Burgemeester sluit woning na
    explosie in Charlois", "Na het geweld op de Korenmarkt meer camera's"), excluded from the
    category at most by a keyword list's `measures`: the incident's aftermath. (A court case or
    a look back years later is an exclusion, no measure: "veroordeeld", "documentaire".)"""
    return analysis.gemeente_code is not None and analysis.exclusions <= measures and points_back(post.text)


def may_be_context(post: Post, analysis: Analysis, measures: frozenset[str] = frozenset()) -> bool:
    """Whether a post without a category may join an event by context: not when a keyword
    list's exclusion says it is no event, unless it calls the event off, says it stayed calm or
    is the aftermath of one (`measures`: GroupingConfig.measures)."""
    return (
        not analysis.excluded
        or cancels(post, analysis)
        or calm_report(analysis)
        or aftermath_notice(post, analysis, measures)
    )


# A harmless gathering or a match result: the post is about something else that day.
_OTHER_EVENT = re.compile(
    r"kerstmarkt|braderie|kermis|concert|festival|voorstelling|optreden|recensie|\bbeurs\b|tentoonstelling|"
    r"intocht|(gewonnen|verloren|gelijkgespeeld|in evenwicht|wint|verliest)\b|\bticket|kaartje|"
    r"nieuwjaars|receptie|oldtimer|toertocht|toerrit|puzzeltocht|wandeltocht|"
    # a documentary about riots long ago ("watched the doc about the 1980 coronation riots")
    r"documenta|\bdocu?\b|docuserie|"
    # a video game ("de rellen in de nieuwe GTA")
    r"\bgta\b|\bgame\b|videogame|playstation|\bxbox\b|"
    # the club's business: a director leaving, a transfer
    r"technisch directeur|transfer"
)
# Every alternative of _OTHER_EVENT holds one of these: most posts fail on a substring test
# and skip the search (four times slower, and asked of every post without a category).
_OTHER_EVENT_WORDS = (
    "kerstmarkt", "braderie", "kermis", "concert", "festival", "voorstelling", "optreden", "recensie",
    "beurs", "tentoonstelling", "intocht", "gewonnen", "verloren", "gelijkgespeeld", "in evenwicht",
    "wint", "verliest", "ticket", "kaartje", "nieuwjaars", "receptie", "oldtimer", "toertocht", "toerrit",
    "puzzeltocht", "wandeltocht", "doc", "gta", "game", "playstation", "xbox", "technisch directeur",
    "transfer",
)  # fmt: skip


def about_other_event(text: str) -> bool:
    """Whether the post is about a harmless gathering or a match result (`_OTHER_EVENT`)."""
    folded = text.casefold()
    return any(word in folded for word in _OTHER_EVENT_WORDS) and _OTHER_EVENT.search(folded) is not None


def _context_evidence(
    group: Group,
    item: Item,
    vector: SparseVector,
    names: frozenset[str],
    cfg: GroupingConfig,
    dated: bool = False,
    alone: bool = False,
) -> float:
    """`dated`: the post names the event's day ("morgen weer zo'n mars", "zaterdagavond");
    `alone`: the event is the only one the post may be about."""
    sim = group.similarity(vector)
    place = place_relation(group, item.analysis.place, names) > 0
    # A news or police feed writes about many things a day, and a town's subreddit is many people
    # asking many things: being in the event already says nothing of its next item (a
    # follow-up in an organiser's channel does).
    channel = item.origin in group.origins and item.post.source not in MANY_VOICES
    best_category = max(item.analysis.scores.values(), default=0.0)
    # Posted during the event's hours ("we staan er al", "massive turnout tonight"), in its
    # gemeente, with some of its vocabulary: a bystander's report of it.
    # a start known only by its date lasts the whole day
    timely = (
        group.start is not None
        and group.start - BYSTANDER_HOURS_BEFORE
        <= item.post.published_at
        <= group.start + BYSTANDER_HOURS_AFTER + (timedelta(0) if group.time_known else timedelta(days=1))
    )
    placed = item.gemeente_hint is not None
    needed = BYSTANDER_CATEGORY if placed else UNPLACED_CATEGORY
    # the post speaks of the event's own kind (not of a related one) or repeats its words
    # (naming the event's day, a related kind will do: "morgen weer zo'n mars" before a match)
    kinds = {c for c, v in item.analysis.scores.items() if v >= needed}
    of_its_kind = fits_kind(group.categories, kinds, related=dated)
    # "Maastricht station right now: hundreds of guys chanting, flares on the platform": in the
    # event's gemeente during its hours, about a scene, and no other event going on there — a
    # bystander needs none of the event's words
    # (a social post: a news feed reports many things that day, a kitchen fire among them)
    only_here = (
        alone
        and (timely or dated)
        and placed
        and item.gemeente_hint == group.gemeente_code
        and item.post.source != "rss"
    )
    here = (
        (timely or dated)
        and item.gemeente_hint in (None, group.gemeente_code)
        and (of_its_kind or sim >= BYSTANDER_SIMILARITY or only_here)
        # ("Vanavond is het zover. Wie rijdt er mee?" names the only event's day: no scene needed)
        and (item.speaks_of_scene or (only_here and dated))
    )
    if (
        item.analysis.excluded
        and not calm_report(item.analysis)
        and not (
            aftermath_notice(item.post, item.analysis, cfg.measures)
            and aftermath_of(group, item.post, item.analysis, cfg)
        )
    ):
        # a cancellation notice: only by the organiser's channel or the event's place, before it begins
        if not (place or channel) or group.start is None or item.post.published_at >= group.start:
            return 0.0
    if not (place or channel or here or sim >= SIMILAR_ENOUGH):
        return 0.0
    return (
        sim
        + (0.4 if place else 0.0)
        + (CHANNEL_WEIGHT if channel else 0.0)
        + 0.5 * best_category
        # (naming the day of the only event it may be about and speaking of its kind: "de gemeente
        # heeft signalen dat komende zondag opnieuw een scootermeeting wordt georganiseerd")
        + (0.15 if timely or (dated and (only_here or (alone and of_its_kind))) else 0.0)
        + (0.2 if here else 0.0)
        + (ALONE_WEIGHT if here and only_here else 0.0)
    )
