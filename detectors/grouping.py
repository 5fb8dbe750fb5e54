"""Posts -> events, event first: a post joins the open event it has the most evidence for.

Candidates are the open events of the post's gemeente whose categories fit and whose date
matches (a report known only by its date joins the announcement of that date). Among them the
evidence adds up: the same place (a landmark, or a name both write, see detectors.anchors),
the same date, the same channel, and text similarity — similarity is one kind of evidence,
not the gate. A post without a gemeente joins only an event it clearly matches (a shared name,
or near-identical text); otherwise it waits in its own group, which the board does not show.

Two events in one gemeente on one day stay apart when their categories, start times or places
differ. Existing signals are passed in as seeds, so a post once assigned stays in its signal
and new posts attach to open signals incrementally. Posts without a category are attached
afterwards by context (detectors.attach).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property, lru_cache

from detectors.anchors import anchors
from detectors.settings import GroupingConfig
from detectors.similarity import SparseVector, dot, rows_as_dicts, vectorize
from nlp import timex
from nlp.places import place_resolver
from onrustradar.core import nl
from onrustradar.core.models import Analysis, Post

PRUNE_EVERY = 1000
RELATED = {
    frozenset({"supporters", "incident"}),
    frozenset({"demonstratie", "incident"}),
    frozenset({"scootermeeting", "incident"}),
}


# What a bystander sees of an event: crowds, police, noise, smoke, vehicles ("tientallen
# scooters op de parkeerplaats", "massive turnout", "zwaailichten bij de flats"). A post that
# joins only by its time and gemeente must speak of some of it.
SCENE = re.compile(
    r"polit|agent|\bme\b|\bblauw|zwaailicht|sirene|afgezet|afzet|helikopter|\bheli\b|knal|klap|herrie|geronk|lawaai|"
    r"kabaal|\bvolk\b|menigte|massa|honderd|tientallen|duizend|stoet|fakkel|rook|vuurwerk|spandoek|borden|trommel|"
    r"scooter|brommer|bakkie|trekker|toeter|opkomst|crowd|police|turnout|siren|march|banner|ambulance|brandweer|"
    r"geschreeuw|schreeuw|ruzie|vecht|gooi|stenen|flessen|glas|chaos|onrustig|spannend|ontploft|schoten|\bbang\b|"
    r"lopen|loopt|liepen|marcheren|verzamel|samengekomen|bijeen|\bgroep|jongeren|man sterk|\bman\b|mensen|"
    r"auto'?s\b|motor|racen|drift|burn|wheelie|noodbevel|gearresteerd|opgepakt|aangehouden|\bouders\b|\bboeren\b|"
    # bystanders write in English too ("hundreds of guys chanting, flares on the platform")
    r"hundreds|dozens|thousands|flares|chanting|singing|riot|\bvans\b|horseback|packed"
)


@dataclass
class Item:
    """One post in a group, with its analysis and its row in the batch's text vectors."""

    post: Post
    analysis: Analysis
    row: int  # index into the batch's vectors

    @property
    def origin(self) -> str:
        """The channel that counts as its source: for a forward, the channel it came from."""
        return self.post.origin

    @cached_property
    def speaks_of_scene(self) -> bool:
        """Crowds, police, noise, smoke or vehicles (SCENE)."""

        return bool(SCENE.search(self.post.text.casefold()))

    @cached_property
    def named_day(self) -> NamedDay:
        """The date the post names in its text (resolved only when asked)."""
        return NamedDay(self.post)

    @cached_property
    def gemeente_hint(self) -> str | None:
        """The post's gemeente, or for a post that names no place at all the one its channel's
        name points to ("r_haarlem"): a hint for which open event it belongs to, never a
        reason to start one."""
        a = self.analysis
        if a.gemeente_code or a.place:
            return a.gemeente_code
        return place_resolver().channel_home(self.post.channel)


@dataclass
class Group:
    """One event as grouping builds it: its posts and what they add up to (categories,
    gemeente, places, start, text centroid, names and channels), kept up to date by `add`."""

    signal_id: str
    items: list[Item] = field(default_factory=list)
    categories: set[str] = field(default_factory=set)
    gemeente_code: str | None = None
    places: set[str] = field(default_factory=set)
    start: datetime | None = None
    time_known: bool = False
    start_announced: bool = False  # the start comes from an announcement (else from a report)
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    centroid: SparseVector = field(default_factory=dict)  # sum of member vectors
    centroid_norm: float = 0.0
    anchors: set[str] = field(default_factory=set)  # names the posts use for the place
    origins: set[str] = field(default_factory=set)  # channels (forwards: their origin)
    context_ids: list[str] = field(default_factory=list)  # posts joined by context, not category
    # (time, post id) of the post that brought it into its gemeente's list of events: a tie
    # between two events goes to the earlier one, however the candidates were gathered (a
    # tick gathers them from the store, grouping at once from its lists)
    rank: tuple[float, str] = (0.0, "")
    weak: bool = False  # made of posts that each stay under the category threshold (detectors.weak)

    @property
    def earliest(self) -> datetime:
        """`first_seen` of a group with posts: every group has one from its first `add` on."""
        if self.first_seen is None:
            raise ValueError(f"{self.signal_id} has no posts")
        return self.first_seen

    @property
    def latest(self) -> datetime:
        """`last_seen` of a group with posts (see `earliest`)."""
        if self.last_seen is None:
            raise ValueError(f"{self.signal_id} has no posts")
        return self.last_seen

    def similarity(self, vector: SparseVector) -> float:
        """Cosine of a post's vector with the event's centroid."""
        return dot(vector, self.centroid) / self.centroid_norm if self.centroid_norm else 0.0

    def add(self, item: Item, vector: SparseVector) -> None:
        """Take a post into the event: its vector into the centroid, its facts into the event's."""
        a = item.analysis
        self.items.append(item)
        # |c + v|² = |c|² + 2 c·v + |v|²: keep the norm without walking the whole centroid.
        squared = self.centroid_norm**2 + 2 * dot(vector, self.centroid) + sum(v * v for v in vector.values())
        for k, v in vector.items():
            self.centroid[k] = self.centroid.get(k, 0.0) + v
        self.centroid_norm = max(squared, 0.0) ** 0.5
        self.categories.update(a.categories)
        self.anchors.update(anchors(item.post.text))
        self.origins.add(item.origin)
        if self.gemeente_code is None and a.gemeente_code:
            self.gemeente_code = a.gemeente_code
        if a.place:
            self.places.add(a.place.casefold())
        if a.event_start is not None and (
            self.start is None or (a.time_known and not self.time_known) or moves_the_event(self, item.post, a)
        ):
            if self.start is not None and self.time_known and not a.time_known and nl.local(self.start).time():
                # moved to another day, at the same hour unless it says otherwise
                start = datetime.combine(nl.local(a.event_start).date(), nl.local(self.start).timetz())
                self.start, self.start_announced = start, a.announced
            else:
                self.start, self.time_known, self.start_announced = a.event_start, a.time_known, a.announced
        published = item.post.published_at
        self.first_seen = min(self.first_seen or published, published)
        self.last_seen = max(self.last_seen or published, published)


# A day named in words or as a date (a count such as "40 scooters" is none): `_DATE_HINT`, built
# from its parts. `names_a_day` asks the parts apart, three times faster on a post (a search of
# the one alternation was a third of what a context post costs): the words as substrings of the
# lower-cased text, the dates only when there is a digit, the two-letter days by a small pattern.
# Characters that match an ASCII letter under re.IGNORECASE but do not lower-case to one (long
# s, Kelvin sign, dotted and dotless i) send the text to the whole pattern, so both always agree.
_DAY_WORDS = (
    "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag", "morgen", "vandaag",
    "vanavond", "vanmiddag", "vannacht", "weekend", "koningsdag", "oud en nieuw", "jaarwisseling",
    "saturday", "sunday", "friday", "tonight", "tomorrow", "gister", "yesterday", "last night",
)  # fmt: skip
_DATES = r"\b\d{1,2}[-/]\d{1,2}\b|\b\d{1,2}(?:e|ste|de)?\s+(?i:jan|feb|m[aá]a?rt|apr|mei|jun|jul|aug|sep|okt|nov|dec)"
_SHORT_DAYS = r"\b(?:ma|di|wo|do|vr|za|zo)\b"
_DATE_HINT = re.compile(f"{_DATES}|(?i:{'|'.join(map(re.escape, _DAY_WORDS))}|{_SHORT_DAYS})")
_DAY_DATES = re.compile(_DATES)
_DAY_SHORT = re.compile(f"(?i:{_SHORT_DAYS})")
_DIGIT = re.compile(r"\d")
_CASE_ODD = frozenset("\u017f\u212a\u0130\u0131")


def names_a_day(text: str) -> bool:
    """Whether the text names a day in words or as a date (`_DATE_HINT`)."""
    if not text.isascii() and not _CASE_ODD.isdisjoint(text):
        return _DATE_HINT.search(text) is not None
    low = text.lower()
    if any(word in low for word in _DAY_WORDS):
        return True
    if _DIGIT.search(text) and _DAY_DATES.search(text):
        return True
    return _DAY_SHORT.search(text) is not None


class NamedDay:
    """The date a post names, resolved once and only when asked (most posts are never asked)."""

    def __init__(self, post: Post):
        self.post = post
        self._day: date | None = None
        self._done = False

    def __call__(self) -> date | None:
        """The local date the post names, or None when it names none."""
        if not self._done:
            self._done = True
            if not names_a_day(self.post.text):
                return None
            self._day = _named_day(self.post.text, self.post.published_at)
        return self._day


@lru_cache(maxsize=50_000)
def _named_day(text: str, published_at: datetime) -> date | None:
    """(cached across ticks: a `run` process meets the same context posts every tick)"""
    when = timex.resolve(text, published_at).start
    return nl.local(when).date() if when is not None else None


AT_THE_MOMENT = timedelta(hours=3)


def signal_id_for(first_post_id: str) -> str:
    """A signal's stable id, from its first post: the same event keeps its id across runs."""
    return "sig_" + hashlib.sha1(first_post_id.encode()).hexdigest()[:12]


def _categories_compatible(group: Group, analysis: Analysis) -> bool:
    return fits_kind(group.categories, set(analysis.categories))


def fits_kind(event: set[str], post: set[str], related: bool = True) -> bool:
    """A shared category, or (when `related`) one that goes with it: riots around a match."""
    return bool(event & post) or related and any(frozenset({a, b}) in RELATED for a in event for b in post)


# "de manifestatie wordt verplaatst naar zaterdag 13 februari": the same event on a new date
MOVED_TO = re.compile(
    # ("nieuwe datum volgt", "we komen terug met een nieuwe datum": called off, no date yet)
    r"\b(?:(?:verplaatst|verschoven|uitgesteld|verzet)\s+(?:naar|tot)|gewijzigde datum|nieuwe datum\s*(?::|is\b)|"
    r"niet op \w+ maar op\b)",
    re.IGNORECASE,
)


def moves_the_event(group: Group, post: Post, analysis: Analysis) -> bool:
    """Whether the post moves an announced event that has not begun to the date it names."""
    return (
        group.start is not None
        and group.start_announced
        and analysis.announced
        and analysis.event_start is not None
        and post.published_at < group.start
        and MOVED_TO.search(post.text) is not None
    )


def _time_compatible(
    group: Group, post: Post, analysis: Analysis, cfg: GroupingConfig, item_day: NamedDay | None = None
) -> bool:
    start = analysis.event_start
    if moves_the_event(group, post, analysis) or aftermath_of(group, post, analysis, cfg):
        return True
    if (
        group.start is not None
        and start is not None
        and group.time_known
        and analysis.time_known
        and group.start_announced != analysis.announced
    ):
        # A report's clock time is a moment during the event ("rond 14.00 uur trokken de
        # boeren ...", "rond 00.45 uur beëindigde de politie de meet"), not its start: from
        # the announced start until the reports stop, it fits.
        first, later = (group.start, start) if group.start_announced else (start, group.start)
        return first - cfg.start_window <= later <= first + cfg.after_start
    if group.start is not None and start is not None:
        days = abs((nl.local(group.start).date() - nl.local(start).date()).days)
        if days == 1 and not analysis.announced and not (group.time_known and analysis.time_known):
            # A report dates what happened "vannacht" or "gisteravond" one way, the next-day
            # news the other: a day apart, without two clock times, can be one event (the
            # evidence must then come from place or text, not from the date).
            return abs(post.published_at - group.latest) <= cfg.report_window
        if days:
            return False
        return not (group.time_known and analysis.time_known and abs(group.start - start) > cfg.start_window)
    anchor = group.start or start
    if anchor is not None:
        # One side announces or reports a start; the other must be published around it (a
        # start known only by its date lasts the whole day).
        published = post.published_at if group.start is not None else group.latest
        known = group.time_known if group.start is not None else analysis.time_known
        end = anchor + cfg.after_start + (timedelta(0) if known else timedelta(days=1))
        if anchor - cfg.announce_horizon <= published <= end:
            return True
        # The aftermath names the day it is about ("de woning waar dinsdagnacht een explosief
        # afging"): days later it still belongs to that event.
        return (
            group.start is not None
            and start is None
            and item_day is not None
            and group.start < post.published_at <= group.start + cfg.aftermath
            and item_day() == nl.local(group.start).date()
        )
    return abs(post.published_at - group.latest) <= cfg.report_window


# "Aanhouding na explosie Dorpsweg", "Café week dicht na steekpartij", "opgepakt voor de
# steekpartij": a later report that points back at the event, dated by its own day
_AFTERMATH = re.compile(
    r"\b(?:na|voor|rond|bij)\s+(?:de\s+|het\s+|die\s+|dat\s+)?(?:\w+\s+)?"
    r"(?:explosie|explosies|aanslag|steekpartij|steekincident|schietpartij|schietincident|vechtpartij|"
    r"knokpartij|rellen|ongeregeldheden|onrust|geweld|autobranden|autobrand|brandstichting|branden|"
    r"derbyrellen|confrontatie|carmeeting|carmeet|scootermeeting|demonstratie|betoging|blokkade)\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=65_536)
def points_back(text: str) -> bool:
    """Cached: asked of a post for every open event of its gemeente."""
    return bool(_AFTERMATH.search(text))


def aftermath_of(group: Group, post: Post, analysis: Analysis, cfg: GroupingConfig) -> bool:
    """A report days after the event that points back at it and names its place ("Twee
    verdachten opgepakt voor steekpartij Osdorpplein", published three days later and dated by
    the arrest): the event's, whatever day it gives itself."""
    return (
        group.start is not None
        # Arrests, closures and measures follow an incident; a protest or meet that recurs at
        # one place ("zaterdag weer, verzamelen voor de demonstratie op het plein") is a new
        # call, not the aftermath of the last one.
        and "incident" in group.categories
        and group.start < post.published_at <= group.start + cfg.aftermath
        and points_back(post.text)
        and bool((analysis.place and analysis.place.casefold() in group.places) or anchors(post.text) & group.anchors)
    )


def group_posts(
    pairs: list[tuple[Post, Analysis]],
    cfg: GroupingConfig = GroupingConfig(),
    seeds: dict[str, list[str]] | None = None,
) -> tuple[list[Group], list[SparseVector]]:
    """Group relevant posts into events; returns the groups and the text vectors (by Item.row)."""
    pairs = sorted(((p, a) for p, a in pairs if a.categories), key=lambda pa: (pa[0].published_at, pa[0].id))
    vectors = rows_as_dicts(vectorize([p.text for p, _ in pairs]))
    items = [Item(p, a, i) for i, (p, a) in enumerate(pairs)]
    by_post = {item.post.id: item for item in items}
    groups: list[Group] = []
    placed: set[str] = set()
    for signal_id, post_ids in (seeds or {}).items():
        members = [by_post[i] for i in post_ids if i in by_post and i not in placed]
        if members:
            group = Group(signal_id, rank=entered(min(members, key=lambda m: m.row)))
            for member in sorted(members, key=lambda m: m.row):
                group.add(member, vectors[member.row])
                placed.add(member.post.id)
            groups.append(group)
    by_gemeente: dict[str | None, list[Group]] = {}
    for group in groups:
        by_gemeente.setdefault(group.gemeente_code, []).append(group)

    for n, item in enumerate(items):
        if item.post.id in placed:
            continue
        if n % PRUNE_EVERY == 0:
            # Posts come in time order and a closed event takes no more posts: drop closed ones
            # from the candidate lists (they stay in `groups`).
            for code, gs in by_gemeente.items():
                by_gemeente[code] = [g for g in gs if is_open(g, item.post.published_at, cfg)]
        best, best_sim = best_group(item, by_gemeente, vectors[item.row], cfg)
        if best is None:
            best = Group(signal_id_for(item.post.id), rank=entered(item))
            groups.append(best)
            best.add(item, vectors[item.row])
            by_gemeente.setdefault(best.gemeente_code, []).append(best)
        else:
            before = best.gemeente_code
            best.add(item, vectors[item.row])
            if best.gemeente_code != before:
                if best in by_gemeente.get(before, ()):
                    by_gemeente[before].remove(best)
                by_gemeente.setdefault(best.gemeente_code, []).append(best)
                best.rank = entered(item)
    return groups, vectors


def _sole_event_of_day(item: Item, town: Iterable[Group], cfg: GroupingConfig) -> Group | None:
    """The one open event of the town (its channel's, `Item.gemeente_hint`) on the post's
    date and of its kind, if there is exactly one."""
    post, analysis = item.post, item.analysis
    if analysis.event_start is None:
        return None
    fitting = [
        g
        for g in town
        if same_date(g, analysis)
        and fits_kind(g.categories, set(analysis.categories), related=False)
        and is_open(g, post.published_at, cfg)
        and _time_compatible(g, post, analysis, cfg, item.named_day)
    ]
    return fitting[0] if len(fitting) == 1 else None


def entered(item: Item) -> tuple[float, str]:
    """The rank of an event that this post starts or brings into its gemeente (Group.rank)."""
    return (item.post.published_at.timestamp(), item.post.id)


def best_group(
    item: Item, by_gemeente: dict[str | None, list[Group]], vector: SparseVector, cfg: GroupingConfig
) -> tuple[Group | None, float]:
    """The open event this post has the most evidence for (place, date, channel, wording) and
    that evidence, or (None, 0) when none fits; used by grouping at once and by the ticks."""
    post, analysis = item.post, item.analysis
    placed = analysis.gemeente_code is not None
    hint = None if placed else item.gemeente_hint
    if placed or hint:
        candidates = list(by_gemeente.get(analysis.gemeente_code or hint, ())) + list(by_gemeente.get(None, ()))
    else:
        candidates = [g for gs in by_gemeente.values() for g in gs]
    names = anchors(post.text)
    sole = _sole_event_of_day(item, by_gemeente.get(hint, ()), cfg) if hint and post.source != "rss" else None
    best, best_score, best_margin = None, 0.0, 0.0
    for group in candidates:
        if not is_open(group, post.published_at, cfg) or not _time_compatible(
            group, post, analysis, cfg, item.named_day
        ):
            continue
        place = place_relation(group, analysis.place, names)
        # Event first: the same place on the same date is one event, whatever each post's
        # category ("lopen we weer" read as supporters, the news of it as a demonstration).
        # So is the organiser's own channel on the event's day ("Nog een uurtje! Ga op de dijk
        # staan", read as a scootermeeting, on the day of its supporters' bus welcome).
        if not _categories_compatible(group, analysis) and not (
            (place > 0 or (item.origin in group.origins and post.source != "rss")) and same_date(group, analysis)
        ):
            continue
        score = evidence(group, item, vector, place, cfg)
        if placed and group.gemeente_code is not None:
            needed = cfg.min_evidence
        elif hint and group.gemeente_code == hint:
            # ("Iemand een idee wat er gisteravond speelde?" in r/Tilburg, the night of the
            # town's only incident): the only event of its kind and date there needs no more
            # than a post naming the town would; not from a news feed named after the town,
            # which also reports what happens elsewhere ("Hofstad Nieuws" on Paris)
            needed = cfg.min_evidence + (0.0 if group is sole else cfg.hint_evidence)
        elif place > 0 or item.origin in group.origins:
            needed = cfg.min_evidence + cfg.date_weight  # a name or the channel it shares, and more
            if (
                place <= 0
                and post.source != "rss"
                and (
                    same_date(group, analysis) or at_the_moment(group, item) or live_from_its_channel(group, item, cfg)
                )
            ):
                # the organiser's own channel on the event's day, of its kind ("staan er nu al
                # 150 man, spandoeken mee"): channel and date are enough (not a news feed's)
                needed = cfg.min_evidence + cfg.channel_weight
        elif not placed and not hint and names and group.anchors and not names & group.anchors:
            continue  # it names places the event never does ("Oude Markt", "Veste"): another event
        else:
            needed = cfg.unplaced_evidence
        # the event it clears its bar for by the most: an event in its own gemeente asks less
        # than one without, and a post naming its gemeente belongs there first
        if score >= needed and (
            best is None or score - needed > best_margin or (score - needed == best_margin and group.rank < best.rank)
        ):
            best, best_score, best_margin = group, score, score - needed
    if best is None and placed and analysis.event_start is not None:
        # an event whose posts named no town yet ("ZONDAG 12:30 verzamelen op de Boulevard"):
        # the first report of that day and kind from a town adopts it, if it is the only one
        # (cheap tests first: at once, every post that starts an event asks this)
        start, kinds = analysis.event_start, set(analysis.categories)
        adoptable = [
            g
            for g in by_gemeente.get(None, ())
            if g.start_announced
            and g.start is not None
            and abs(g.start - start) < ONE_DAY
            and g.categories & kinds
            and same_date(g, analysis)
            and is_open(g, post.published_at, cfg)
            and _time_compatible(g, post, analysis, cfg, item.named_day)
            and g.similarity(vector) >= ADOPT_SIMILARITY
            # (both name places and none in common: two derbies on one Sunday)
            and not (names and g.anchors and not names & g.anchors)
        ]
        if len(adoptable) == 1:
            best = adoptable[0]
    if best is None and not placed and not analysis.announced:
        # (a call for another day is about that day, not about what goes on while it is posted)
        only = only_event_now(candidates, post, set(analysis.categories), cfg)
        # ... and it shares some of the event's words, or is sure of its category
        if only is not None and (
            max(analysis.scores.values(), default=0.0) >= cfg.only_event_category or only.similarity(vector) >= 0.05
        ):
            best = only
    return best, best_score


def only_event_now(
    groups: list[Group], post: Post, categories: set[str], cfg: GroupingConfig, related: bool = True
) -> Group | None:
    """A post that names no place, made while exactly one event of its kind is going on
    ("bie 't stadion is 't onrustig" during the only match of the evening): that event."""
    now = [
        g
        for g in groups
        if g.gemeente_code
        and g.start is not None
        and g.time_known
        and g.start - cfg.event_hours_before <= post.published_at <= g.start + cfg.event_hours_after
        and fits_kind(g.categories, categories, related)
    ]
    return now[0] if len(now) == 1 else None


def is_open(group: Group, moment: datetime, cfg: GroupingConfig) -> bool:
    """An event takes posts until it has been quiet for a while and its start has passed:
    a call made two weeks ahead stays open until the day itself."""
    # (moment <= max(a, b), taken apart: the first test compares two UTC times and mostly
    # decides; the start is in Dutch time, and a comparison across zones is the slow kind)
    if moment <= group.latest + cfg.active_for:
        return True
    return group.start is not None and moment <= group.start + cfg.after_start


def evidence(group: Group, item: Item, vector: SparseVector, place: int, cfg: GroupingConfig) -> float:
    """How strongly `item` belongs to `group`: text similarity plus place (`place_relation`),
    date and channel."""
    analysis = item.analysis
    score = group.similarity(vector)
    dated = (
        same_date(group, analysis)
        or at_the_moment(group, item)
        or same_night(group, analysis)
        or (score >= MORNING_AFTER_SIMILARITY and morning_after(group, item))
        # "LET OP, gewijzigde datum: niet op zaterdag maar op zondag": the event's date, moved
        or moves_the_event(group, item.post, analysis)
        or live_from_its_channel(group, item, cfg)
    )
    if place > 0:
        score += cfg.place_weight
    elif place < 0 and not (dated and group.categories & set(analysis.categories)):
        # (on the event's date and of its kind, another place is where it went next: the
        # gathering on the Malieveld, the blockade on the Utrechtsebaan)
        score -= cfg.place_conflict
    if dated:
        score += cfg.date_weight
    if item.origin in group.origins:
        score += cfg.channel_weight
    return score


def place_relation(group: Group, place: str | None, names: frozenset[str]) -> int:
    """1: the post names the event's place (or a name its posts share); -1: it names another
    known place and shares no name; 0: nothing to tell."""
    if (place and place.casefold() in group.places) or names & group.anchors:
        return 1
    if place and group.places:
        return -1
    return 0


def live_from_its_channel(group: Group, item: Item, cfg: GroupingConfig) -> bool:
    """The organiser's own channel posting while the event is on, naming no day ("We zitten!
    Honderden mensen op het asfalt" at 12:22, the blockade called for 12:00): dated by the
    moment it is posted. Not a news feed, which reports many things a day."""
    a = item.analysis
    return (
        a.event_start is None
        and not a.announced
        and group.start is not None
        and group.time_known
        and item.post.source != "rss"
        and item.origin in group.origins
        and group.start - cfg.event_hours_before <= item.post.published_at <= group.start + cfg.event_hours_after
    )


def at_the_moment(group: Group, item: Item) -> bool:
    """A report without a clock time, made within three hours of the event's known time ("mega
    klap net" at 01:40, the news says "rond 01.15 uur"): as good as the same date, whichever
    day each side dates the night to."""
    a = item.analysis
    if group.start is None or a.event_start is None or a.announced or group.start_announced:
        return False
    if group.time_known and not a.time_known:
        return abs(item.post.published_at - group.start) <= AT_THE_MOMENT
    if a.time_known and not group.time_known and group.first_seen is not None:
        return abs(group.first_seen - a.event_start) <= AT_THE_MOMENT  # the bystanders came first
    return False


NIGHT_FROM, NIGHT_UNTIL = 21, 5  # a start from 21:00 or before 05:00 lies in a night across midnight


def same_night(group: Group, analysis: Analysis) -> bool:
    """A meet at 23:00 and the news of "de nacht van zaterdag op zondag", dated to the Sunday
    (the label guide's night rule): one night across midnight, when only the event has a clock
    time."""
    if group.start is None or not group.time_known or analysis.event_start is None or analysis.time_known:
        return False
    if analysis.announced:
        return False
    start = nl.local(group.start)
    day = nl.local(analysis.event_start).date()
    if start.hour >= NIGHT_FROM:
        return day == start.date() + timedelta(days=1)
    if start.hour < NIGHT_UNTIL:
        return day == start.date() - timedelta(days=1)
    return False


ADOPT_SIMILARITY = 0.05
ONE_DAY = timedelta(days=1)
MORNING_AFTER = timedelta(hours=18)
MORNING_AFTER_SIMILARITY = 0.05  # ... and it shares some of the event's words ("wedstrijd", "vuurwerk")


def morning_after(group: Group, item: Item) -> bool:
    """A report that names no day, published within MORNING_AFTER of the event's known start
    ("Na het gooien van vuurwerk bij de wedstrijd zijn drie mannen aangehouden", the morning
    after the evening match): dated to its publication day by default, it is about the night
    before."""
    a = item.analysis
    if group.start is None or not group.time_known:
        return False
    if a.announced or a.time_known or a.event_start is None:
        return False
    published = item.post.published_at
    if not group.start < published <= group.start + MORNING_AFTER:
        return False
    if nl.local(a.event_start).date() != nl.local(published).date():
        return False  # it dates itself
    # (no word for a day at all: resolving the day a post names is the costly part of grouping)
    return not names_a_day(item.post.text)


def same_date(group: Group, analysis: Analysis) -> bool:
    """Whether the post's event falls on the event's local date (both must have a start)."""
    if group.start is None or analysis.event_start is None:
        return False
    return nl.local(group.start).date() == nl.local(analysis.event_start).date()


def independent_origins(group: Group, vectors: list[SparseVector], cfg: GroupingConfig) -> list[set[str]]:
    """Sources that are really independent: a forward counts as its origin, and channels
    that post near-identical text (a cross-post or copy) count as one."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for item in group.items:
        find(item.origin)
    # One representative post per origin (its first) is enough to see copies between origins.
    firsts: dict[str, SparseVector] = {}
    for item in group.items:
        firsts.setdefault(item.origin, vectors[item.row])
    origins = list(firsts)
    for i, a in enumerate(origins):
        for b in origins[i + 1 :]:
            if find(a) != find(b) and dot(firsts[a], firsts[b]) >= cfg.duplicate_similarity:
                parent[find(a)] = find(b)
    components: dict[str, set[str]] = {}
    for origin in parent:
        components.setdefault(find(origin), set()).add(origin)
    return list(components.values())
