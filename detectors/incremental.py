"""Incremental grouping: a tick costs what is new in grouping, not what is stored.

`build_signals` groups every post of the horizon at once. A long-running service instead
keeps, per event, what grouping needs — the text centroid and its norm, places, names,
channels, categories, dates and its posts (`state` of a `GroupRecord`) — in the store. A tick
then (onrustradar/incremental.py):

1. takes the analysed posts with a category not yet grouped, in time order;
2. loads only the events they can join: open events of their gemeenten, events sharing a
   place, a name or a channel with them, and (for a post that names no place) events going on
   at that moment, or found by text (`Candidates`);
3. puts each post in its event exactly as `detectors.grouping.group_posts` does (the same
   `best_group` and `Group.add`), or starts a new one, and stores the changed events;
4. rebuilds the signals of every gemeente something happened in with main's
   `detectors.signals.build_signals` itself, the gemeente's events passed in as seeds (so
   grouping is not redone, and context attachment, weak events, analysts' decisions and
   eigen meldingen are exactly as grouping at once gives them);
5. gives untouched signals a new time factor when they are due (`refresh_at`, `rescore`),
   and writes only the signals that changed.

Why step 4 is per gemeente and not per event: what follows grouping is not local to an
event. A post without a category joins the best of all events it fits (detectors/attach.py),
so one event taking it changes another's; a weak event (detectors/weak.py) is made of posts
no event took; an analyst's merge or split (detectors/overrides.py) moves posts between
events; the burst factor counts every post of the gemeente. All of these stay within one
gemeente, except posts and events without a gemeente — those are rebuilt with every gemeente
they link (onrustradar/incremental.py `regroup`).

Where a tick can still differ from grouping the same posts at once:
- a post that arrives after later posts were grouped (a back-filled item) is placed against
  the events as they are now, not as they were at its time;
- copies of one message (detectors.copies) complete each other when the later one arrives
  (onrustradar.service.incremental.complete_copies, found by their text keys), except a stored copy
  already in an event: it keeps its analysis (a post is never in two events), where grouping
  at once would complete it too;
- a post without a gemeente, or an event without one, is joined on text similarity alone only
  (a post whose channel is named after a town is weighed against all that town's events of
  its dates) when the event is among the candidates above (words held by at most COMMON_TERM events,
  announced at most TEXT_AHEAD ahead) (a town's report adopting "the only call of its day that
  named no town", detectors.grouping.best_group, finds every such call by its date: `adopt_keys`);
- a post without a gemeente that an event of a rebuilt gemeente takes from an event of another
  gemeente (the event here grew: it now fits better) stays listed in that other signal too until
  the next tick, which rebuilds both gemeenten together (onrustradar.service.incremental
  `_moved_away`);
- an event keeps posts older than the 14-day horizon (grouping at once drops them), and once
  its last post is older than the horizon its signal is no longer recomputed;
- an untouched signal's score is recomputed every 30 minutes (6 hours once handled or
  expired), its status exactly when it expires: in between its stored score is up to about
  2% higher than a recomputation would give. A signal that is not an event of its own (a
  weak event, one an analyst split off) gets its new time factor only when its gemeente is
  rebuilt.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import numpy as np

from detectors.anchors import anchors
from detectors.grouping import MOVED_TO, Group, Item, best_group, entered, points_back, signal_id_for
from detectors.settings import GroupingConfig
from detectors.signals import EXPIRE_AFTER, REPORT_EXPIRY, time_factor
from detectors.similarity import SparseVector, rows_as_dicts, vectorize
from onrustradar.core import nl
from onrustradar.core.models import Analysis, Post, Signal
from store.base import Candidates, GroupRecord, TextQuery

REFRESH_OPEN = timedelta(minutes=30)  # the timing factor decays by ~2% in 30 minutes
REFRESH_CLOSED = timedelta(hours=6)  # handled or expired: rarely looked at, still converges
OPEN_STATUSES = ("nieuw", "in behandeling")
BURST_SETTLE = timedelta(minutes=1)  # _signal measures the burst up to min(now, last post + 1 min)
# Where a tick knowingly looks less far than grouping at once (see the module docstring): an event
# is found by text alone (no shared gemeente, place, name, channel or hour) only through words
# held by at most COMMON_TERM events, and when announced at most TEXT_AHEAD ahead of a post
# that names no date.
COMMON_TERM = 50
TEXT_AHEAD = timedelta(days=2)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value is not None else None


def _pairs(vector: SparseVector) -> str:
    """A sparse vector as text: its columns (int32) and values (float64), packed and base64'd —
    exact, in insertion order (float sums add up alike), and ten times faster to read than
    JSON pairs."""
    keys = np.fromiter(vector.keys(), dtype="<i4", count=len(vector))
    values = np.fromiter(vector.values(), dtype="<f8", count=len(vector))
    return base64.b64encode(keys.tobytes() + values.tobytes()).decode("ascii")


def _vector(packed: str) -> SparseVector:
    raw = base64.b64decode(packed)
    n = len(raw) // 12
    return dict(zip(np.frombuffer(raw, "<i4", n).tolist(), np.frombuffer(raw, "<f8", n, 4 * n).tolist()))


# -- records <-> detectors.grouping.Group -------------------------------------------------------


def group_of(record: GroupRecord) -> Group:
    """The Group as `best_group` and `Group.add` see it (without items)."""
    s = record.state
    return Group(
        signal_id=record.signal_id,
        categories=set(s["categories"]),
        gemeente_code=s["gemeente_code"],
        places=set(s["places"]),
        start=_dt(s["start"]),
        time_known=s["time_known"],
        start_announced=s.get("start_announced", False),  # (records written before it was kept)
        first_seen=_dt(s["first_seen"]),
        last_seen=_dt(s["last_seen"]),
        centroid=_vector(s["centroid"]),
        centroid_norm=s["norm"],
        anchors=set(s["anchors"]),
        origins=set(s["origins"]),
        rank=(float(record.rank[0]), str(record.rank[1])),  # (a list, as JSON keeps it)
    )


def open_until(group: Group, cfg: GroupingConfig) -> datetime:
    """Until when the event takes posts (detectors.grouping.is_open): stored with the record so
    the store finds open events without loading them."""
    until = group.latest + cfg.active_for
    if group.start is not None:
        until = max(until, group.start + cfg.after_start)
    return until


def _ordered_union(old: list[str], new: Iterable[str]) -> list[str]:
    """`old`, then what is new in `new`, each once, in the order they came."""
    seen = set(old)
    added = []
    for x in new:
        if x not in seen:
            seen.add(x)
            added.append(x)
    return old + added


def record_of(group: Group, before: GroupRecord | None, new_items: list[Item], cfg: GroupingConfig) -> GroupRecord:
    """The record after `new_items` joined `group` (a new group when `before` is None)."""
    old = before.state if before is not None else {"places": [], "anchors": [], "origins": [], "post_ids": []}
    state = {
        "categories": sorted(group.categories),
        "gemeente_code": group.gemeente_code,
        # kept in the order they came, so a set rebuilt from them iterates as the original did
        "places": _ordered_union(old["places"], (i.analysis.place.casefold() for i in new_items if i.analysis.place)),
        "anchors": sorted(group.anchors),
        "origins": sorted(group.origins),
        "start": _iso(group.start),
        "time_known": group.time_known,
        "start_announced": group.start_announced,
        "first_seen": _iso(group.first_seen),
        "last_seen": _iso(group.last_seen),
        "centroid": _pairs(group.centroid),
        "norm": group.centroid_norm,
        "post_ids": old["post_ids"] + [i.post.id for i in new_items],
    }
    keys = (
        [f"p:{p}" for p in state["places"]]
        + [f"a:{n}" for n in state["anchors"]]
        + [f"o:{o}" for o in state["origins"]]
        + text_keys(group.centroid, group.centroid_norm, text_bound(cfg))
        + adopt_keys(group)
    )
    # (members: what a signal was once built from; signals now come from build_signals)
    return GroupRecord(
        group.signal_id,
        group.gemeente_code,
        open_until(group, cfg),
        group.start,
        group.time_known,
        group.latest,
        group.rank,
        sorted(set(keys)),
        state,
        {},
        before.refresh_at if before is not None else None,
        before.score_base if before is not None else None,
    )


def adopt_keys(group: Group) -> list[str]:
    """An announced call that names no town yet is adopted by the first report of its day and
    kind from a town (detectors.grouping.best_group) on very little shared wording, and only
    when it is the only such call: the report finds every call of its date by this key."""
    if group.gemeente_code is not None or group.start is None or not group.start_announced:
        return []
    return [_day_key(group.start)]


def _day_key(start: datetime) -> str:
    return f"d:{nl.local(start).date().isoformat()}"


def creation_order(record: GroupRecord) -> tuple[datetime, str]:
    """Where grouping at once makes the event in its list of events: by its first post (time,
    id). Not `rank`, which moves when the event gets a gemeente (its place in the candidate
    list of best_group): what follows grouping (context attachment among events that fit
    equally well) goes by this order."""
    s = record.state
    if not s.get("post_ids"):  # (a stub: never a seed)
        return (record.last_seen, record.signal_id)
    return (datetime.fromisoformat(s["first_seen"]), s["post_ids"][0])


def text_bound(cfg: GroupingConfig) -> float:
    """The least text similarity by which a post can join an event it shares no gemeente,
    place, name, channel or hour with: the evidence it then needs, less the date's weight."""
    return cfg.unplaced_evidence - cfg.date_weight


def text_keys(centroid: SparseVector, norm: float, bound: float) -> list[str]:
    """The event's terms under which a post finds it by text: its heaviest terms until the rest
    of the (normalised) centroid weighs less than `bound`. A post sharing none of them has a
    cosine below `bound` with it (Cauchy-Schwarz: the rest contributes at most its norm), so
    the event could not take it on text: the lookup misses no event that text alone could
    join (prefix filtering)."""
    if not norm:
        return []
    weights = sorted(centroid.items(), key=lambda kv: -abs(kv[1]))
    rest = sum(v * v for _, v in weights) / (norm * norm)
    limit = bound * bound * 0.98  # a margin for rounding
    keys = []
    for k, v in weights:
        if rest < limit:
            break
        keys.append(f"t:{k}")
        rest -= v * v / (norm * norm)
    return keys


# -- candidates ---------------------------------------------------------------------------------


def candidates_for(
    pairs: list[tuple[Post, Analysis]], vectors: list[SparseVector], active_since: datetime, cfg: GroupingConfig
) -> Candidates:
    """The events the new posts (with their text vectors) can join, as a store query: see
    detectors.grouping.best_group for each way in."""
    since = min(p.published_at for p, _ in pairs)
    # recently active events of the same gemeenten: a new post lies in their burst window
    want = Candidates(since=since, active_since=active_since, recent=since - BURST_SETTLE, common=COMMON_TERM)
    for (post, analysis), vector in zip(pairs, vectors):
        origin = post.origin
        keys = {f"o:{origin}", *(f"a:{name}" for name in anchors(post.text))}
        if analysis.place:
            keys.add(f"p:{analysis.place.casefold()}")
        if analysis.gemeente_code:
            # A post with a gemeente joins only events of that gemeente (all loaded) or events
            # without one: its keys need to find only the latter.
            want.gemeenten.add(analysis.gemeente_code)
            if analysis.event_start is not None:
                want.unplaced_keys.add(_day_key(analysis.event_start))  # a call it may adopt
            want.texts += _dated(post, analysis, [], cfg, gemeente=analysis.gemeente_code)
            want.unplaced_keys |= keys
        else:
            want.keys |= keys
            hint = Item(post, analysis, -1).gemeente_hint
            if hint:
                # a channel named after a town ("r_haarlem"): best_group weighs the post against
                # that town's events on a lower bar than text alone, so all of them (by date)
                want.texts += _dated(post, analysis, [], cfg, gemeente=hint)
            # detectors.grouping.only_event_now: an event whose known start lies around the post
            want.windows.append((post.published_at - cfg.event_hours_after, post.published_at + cfg.event_hours_before))
        # By text alone: any event for a post without a gemeente, events without one for the others.
        want.texts += _dated(
            post, analysis, [f"t:{k}" for k in vector], cfg, unplaced_only=analysis.gemeente_code is not None
        )
    return want


def _dated(
    post: Post,
    analysis: Analysis,
    keys: list[str],
    cfg: GroupingConfig,
    unplaced_only: bool = False,
    gemeente: str | None = None,
) -> list[TextQuery]:
    """detectors.grouping._time_compatible, loosened to ranges on an event's start and last
    post (a day of slack for local dates): no event outside them can take the post. Two ways
    in ignore the post's own date, and get a range of their own when the text asks for them."""
    queries = [_by_date(post, analysis, keys, cfg, unplaced_only, gemeente)]
    t = post.published_at
    never = (t, t - timedelta(days=1))  # an empty range: both ways need an event with a start
    if points_back(post.text):
        # detectors.grouping.aftermath_of: an incident that began up to `aftermath` before
        # ("aanhouding na de steekpartij", dated by the arrest)
        queries.append(TextQuery(keys, t - cfg.aftermath, t, *never, unplaced_only, gemeente))
    if analysis.announced and analysis.event_start is not None and MOVED_TO.search(post.text):
        # detectors.grouping.moves_the_event: an announced event yet to begin, whatever its date
        queries.append(TextQuery(keys, t, t + MOVED_REACH, *never, unplaced_only, gemeente))
    return queries


# How far ahead an event moved to another date may lie (moves_the_event sets no bound: a year
# is beyond any announcement the horizon keeps).
MOVED_REACH = timedelta(days=366)


def _by_date(
    post: Post, analysis: Analysis, keys: list[str], cfg: GroupingConfig, unplaced_only: bool, gemeente: str | None
) -> TextQuery:
    day = timedelta(days=1)
    start, t = analysis.event_start, post.published_at
    if start is not None:
        # both starts: the same or the next local date; the event without a start: its last
        # post within the announcement horizon before the post's start, or a while after
        return TextQuery(
            keys,
            start - 3 * day,
            start + 3 * day,
            start - cfg.announce_horizon,
            start + cfg.after_start + day,
            unplaced_only,
            gemeente,
        )
    # the event's start around the post (announced up to the horizon ahead — by text alone only
    # up to TEXT_AHEAD), or no start and its last post within the report window
    ahead = cfg.announce_horizon if gemeente is not None else TEXT_AHEAD
    return TextQuery(
        keys,
        t - cfg.after_start - day,
        t + ahead,
        t - cfg.report_window,
        t + cfg.report_window,
        unplaced_only,
        gemeente,
    )


# -- one tick's grouping ------------------------------------------------------------------------


@dataclass
class Assignment:
    """What one tick's grouping did: the events, the posts each took, and their vectors."""

    groups: dict[str, Group]  # every loaded or new event, by signal id
    joined: dict[str, list[Item]]  # the new posts per event they joined, in time order
    vectors: list[SparseVector]  # by Item.row
    grouped: list[str]  # post ids now in an event (or found in one already)

    def records(self, loaded: dict[str, GroupRecord], cfg: GroupingConfig) -> list[GroupRecord]:
        """The records of the events that took posts."""
        return [record_of(self.groups[sid], loaded.get(sid), items, cfg) for sid, items in self.joined.items()]


def assign(
    pairs: list[tuple[Post, Analysis]], vectors: list[SparseVector], loaded: list[GroupRecord], cfg: GroupingConfig
) -> Assignment:
    """Place new relevant posts (with their text vectors) in the loaded events or new ones, in
    time order, as detectors.grouping.group_posts does."""
    rows = sorted(
        (pa + (v,) for pa, v in zip(pairs, vectors) if pa[1].categories),
        key=lambda pav: (pav[0].published_at, pav[0].id),
    )
    members = {pid for r in loaded for pid in r.post_ids}
    done = [p.id for p, _, _ in rows if p.id in members]  # grouped already (a tick cut short): never twice
    rows = [r for r in rows if r[0].id not in members]
    pairs = [(p, a) for p, a, _ in rows]
    vectors = [v for _, _, v in rows]
    groups = {r.signal_id: group_of(r) for r in sorted(loaded, key=lambda r: r.rank)}
    by_gemeente: dict[str | None, list[Group]] = {}
    for group in groups.values():
        by_gemeente.setdefault(group.gemeente_code, []).append(group)
    joined: dict[str, list[Item]] = {}
    for row, (post, analysis) in enumerate(pairs):
        item = Item(post, analysis, row)
        best, _score = best_group(item, by_gemeente, vectors[row], cfg)
        if best is None:
            best = Group(signal_id_for(post.id), rank=entered(item))
            best.add(item, vectors[row])
            groups[best.signal_id] = best
            by_gemeente.setdefault(best.gemeente_code, []).append(best)
        else:
            was = best.gemeente_code
            best.add(item, vectors[row])
            if best.gemeente_code != was:
                if best in by_gemeente.get(was, ()):
                    by_gemeente[was].remove(best)
                by_gemeente.setdefault(best.gemeente_code, []).append(best)
                best.rank = entered(item)
        joined.setdefault(best.signal_id, []).append(item)
    return Assignment(groups, joined, vectors, done + [p.id for p, _ in pairs])


def vectors_of(pairs: list[tuple[Post, Analysis]]) -> list[SparseVector]:
    """The posts' text vectors, as group_posts computes them (by position)."""
    return rows_as_dicts(vectorize([p.text for p, _ in pairs]))


# -- signals ------------------------------------------------------------------------------------


def refresh_time(signal: Signal, record: GroupRecord, now: datetime) -> datetime:
    """When this event's signal must be recomputed if nothing joins it: at its expiry, when its
    burst window stops moving, and at least every REFRESH_OPEN / REFRESH_CLOSED. (The
    signal's last post, not the record's: posts joined by context count.)"""
    moments = [now + (REFRESH_OPEN if signal.status in OPEN_STATUSES else REFRESH_CLOSED)]
    if signal.status == "nieuw":
        expiry = (
            signal.event_start + EXPIRE_AFTER
            if signal.announced and signal.event_start
            else signal.last_seen + REPORT_EXPIRY
        )
        if expiry >= now:
            moments.append(expiry + timedelta(seconds=1))
    if signal.last_seen + BURST_SETTLE > now:
        moments.append(settle_time(signal))
    return min(moments)


def settle_time(signal: Signal) -> datetime:
    """From this moment on the signal's burst window no longer moves (a due event before it
    needs its gemeente rebuilt, after it a new time factor will do)."""
    return signal.last_seen + BURST_SETTLE + timedelta(seconds=1)


def rescore(signal: Signal, record: GroupRecord, now: datetime) -> Signal:
    """The signal at `now` when nothing joined its event: its score under the new time factor,
    and 'verlopen' once it is over (as _signal decides it). Cheap: no post, no member."""
    if record.score_base is None:
        # (a record without its base score has its gemeente rebuilt instead: onrustradar.service.incremental)
        raise ValueError(f"{record.signal_id}: no score_base to rescore from")
    score = round(record.score_base * time_factor(signal.event_start, signal.last_seen, now), 2)
    status, by, at, note = signal.status, signal.status_by, signal.status_at, signal.status_note
    if signal.announced and signal.event_start is not None:
        ended = now - signal.event_start > EXPIRE_AFTER
    else:
        ended = now - signal.last_seen > REPORT_EXPIRY
    if ended and status == "nieuw":
        status, by, at = "verlopen", "systeem", now
    return replace(signal, score=score, status=status, status_by=by, status_at=at, status_note=note)


def same_signal(a: Signal | None, b: Signal) -> bool:
    """Whether storing `b` would change nothing: equal fields, times equal to the millisecond
    (stored times are epoch seconds)."""
    if a is None:
        return False
    for name in a.__slots__:
        if name in ("created_at", "changed_at"):
            continue  # kept by the store, not the detector
        x, y = getattr(a, name), getattr(b, name)
        if isinstance(x, datetime) and isinstance(y, datetime):
            if abs((x - y).total_seconds()) > 0.001:
                return False
        elif x != y:
            return False
    return True
