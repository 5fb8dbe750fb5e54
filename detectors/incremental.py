"""Incremental grouping: a tick costs what is new, not what is stored.

`build_signals` groups every post of the horizon at once. A long-running service instead
keeps, per event, what grouping needs — the text centroid and its norm, places, names,
channels, categories, dates (`state`) — and what a signal needs — a compact line per member
post (no text) and the first text vector of each channel for copy detection (`members`) —
in the store (a `GroupRecord`). A tick then:

1. takes the analysed relevant posts not yet grouped, in time order;
2. loads only the events they can join: open events of their gemeenten, events sharing a
   place, a name or a channel with them, and (for a post that names no place) events going on
   at that moment (`Candidates`);
3. puts each post in its event exactly as `detectors.grouping.group_posts` does (the same
   `_best_group` and `Group.add`), or starts a new one;
4. builds the signals of the events that changed with `detectors.signals._signal` from the
   stored member lines (no post is read again), with burst counts from the store;
5. recomputes time-dependent scores and statuses of untouched events when they are due
   (`refresh_at`), and writes only records and signals that changed.

Where a tick can differ from grouping the same posts at once (build_signals) — see also
docs/incremental.md:
- a post that arrives after later posts were grouped (a back-filled item) is placed against
  the events as they are now, not as they were at its time;
- a post without a gemeente, or an event without one, is joined on text similarity alone only
  when the event is among the candidates above; grouping at once also compares it with every
  open event by text;
- an event keeps posts older than the 14-day horizon (grouping at once drops them);
- an untouched event's score is recomputed every 30 minutes (6 hours once handled or
  expired), its status exactly when it expires: in between its stored score is up to about
  2% higher than a recomputation would give. Its burst factor stays as computed after its
  last post.
"""

from __future__ import annotations

import base64
import math
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Callable, Iterable

import numpy as np

from detectors.anchors import anchors
from detectors.burst import Burst, BurstConfig, burst_of
from detectors.grouping import Group, Item, _best_group, signal_id_for
from detectors.settings import DetectorSettings
from detectors.signals import _signal
from detectors.similarity import SparseVector, dot, rows_as_dicts, vectorize
from onrustradar.models import Analysis, Post, Signal
from store.base import Candidates, GroupRecord, TextQuery

REFRESH_OPEN = timedelta(minutes=30)  # the timing factor decays by ~2% in 30 minutes
REFRESH_CLOSED = timedelta(hours=6)  # handled or expired: rarely looked at, still converges
OPEN_STATUSES = ("nieuw", "in behandeling")
BURST_SETTLE = timedelta(minutes=1)  # _signal measures the burst up to min(now, last post + 1 min)
# Where a tick knowingly looks less far than grouping at once (docs/incremental.md): an event
# is found by text alone (no shared gemeente, place, name, channel or hour) only through words
# held by at most COMMON_TERM events, and when announced at most TEXT_AHEAD ahead of a post
# that names no date.
COMMON_TERM = 50
TEXT_AHEAD = timedelta(days=2)
EXPIRE_AFTER = timedelta(hours=12)  # as detectors.signals: when a 'nieuw' signal becomes 'verlopen'
REPORT_EXPIRY = timedelta(hours=48)


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
    """The Group as `_best_group` and `Group.add` see it (without items)."""
    s = record.state
    return Group(
        signal_id=record.signal_id, categories=set(s["categories"]), gemeente_code=s["gemeente_code"],
        places=set(s["places"]), start=_dt(s["start"]), time_known=s["time_known"],
        first_seen=_dt(s["first_seen"]), last_seen=_dt(s["last_seen"]), centroid=_vector(s["centroid"]),
        centroid_norm=s["norm"], anchors=set(s["anchors"]), origins=set(s["origins"]),
    )


def open_until(group: Group, cfg) -> datetime:
    until = group.last_seen + cfg.active_for
    if group.start is not None:
        until = max(until, group.start + cfg.after_start)
    return until


def _ordered_union(old: list, new: Iterable) -> list:
    seen = set(old)
    return old + [x for x in new if x not in seen and not seen.add(x)]


def record_of(group: Group, before: GroupRecord | None, new_items: list[Item], vectors: list[SparseVector],
              cfg, rank: tuple[float, str]) -> GroupRecord:
    """The record after `new_items` joined `group` (a new group when `before` is None)."""
    members = dict(before.members) if before is not None else {"members": [], "firsts": [], "copies": [],
                                                                "burst": None}
    lines = list(members["members"])
    firsts = list(members["firsts"])
    edges = list(members["copies"])
    known = {origin: _vector(pairs) for origin, pairs in firsts}
    for item in new_items:
        p, a = item.post, item.analysis
        lines.append([p.source, p.source_id, p.source_name, p.channel, p.forwarded_from, _iso(p.published_at),
                      p.views, p.forwards, a.categories, a.announced, a.place, a.gemeente_code, a.gemeente])
        if item.origin not in known:
            # independent_origins compares each channel's first post with the earlier channels'
            # (in this order): only the new channel's pairs are new
            vector = vectors[item.row]
            edges += [[o, item.origin] for o, v in known.items() if dot(v, vector) >= cfg.duplicate_similarity]
            known[item.origin] = vector
            firsts.append([item.origin, _pairs(vector)])
    members.update(members=lines, firsts=firsts, copies=edges)
    old = before.state if before is not None else {"places": [], "anchors": [], "origins": [], "post_ids": []}
    state = {
        "categories": sorted(group.categories), "gemeente_code": group.gemeente_code,
        # kept in the order they came, so a set rebuilt from them iterates as the original did
        "places": _ordered_union(old["places"], (i.analysis.place.casefold() for i in new_items if i.analysis.place)),
        "anchors": sorted(group.anchors), "origins": sorted(group.origins),
        "start": _iso(group.start), "time_known": group.time_known,
        "first_seen": _iso(group.first_seen), "last_seen": _iso(group.last_seen),
        "centroid": _pairs(group.centroid), "norm": group.centroid_norm,
        "post_ids": old["post_ids"] + [i.post.id for i in new_items],
    }
    keys = [f"p:{p}" for p in state["places"]] + [f"a:{n}" for n in state["anchors"]] + \
        [f"o:{o}" for o in state["origins"]] + text_keys(group.centroid, group.centroid_norm, text_bound(cfg))
    return GroupRecord(group.signal_id, group.gemeente_code, open_until(group, cfg), group.start, group.time_known,
                       group.last_seen, rank, sorted(set(keys)), state, members,
                       before.refresh_at if before is not None else None)


def text_bound(cfg) -> float:
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


def items_of(record: GroupRecord) -> Group:
    """The Group with one light Item per member (no text): what `_signal` needs, rebuilt
    without reading a post."""
    group = group_of(record)
    group.places = set()
    for n, (source, source_id, source_name, channel, forwarded_from, published, views, forwards, categories,
            announced, place, code, gemeente) in enumerate(record.members["members"]):
        post = Post(source=source, source_id=source_id, channel=channel, published_at=_dt(published), text="",
                    source_name=source_name, views=views, forwards=forwards, forwarded_from=forwarded_from)
        analysis = Analysis(post.id, categories, {}, gemeente_code=code, gemeente=gemeente, place=place,
                            announced=announced)
        group.items.append(Item(post, analysis, n))
        if place:
            group.places.add(place.casefold())  # the same insertion order as Group.add's
    return group


# -- candidates ---------------------------------------------------------------------------------

def candidates_for(pairs: list[tuple[Post, Analysis]], vectors: list[SparseVector], active_since: datetime,
                   cfg) -> Candidates:
    """The events the new posts (with their text vectors) can join, as a store query: see
    detectors.grouping._best_group for each way in."""
    since = min(p.published_at for p, _ in pairs)
    # recently active events of the same gemeenten: a new post lies in their burst window
    want = Candidates(since=since, active_since=active_since, recent=since - BURST_SETTLE, common=COMMON_TERM)
    for (post, analysis), vector in zip(pairs, vectors):
        origin = (post.forwarded_from or post.channel).casefold()
        keys = {f"o:{origin}", *(f"a:{name}" for name in anchors(post.text))}
        if analysis.place:
            keys.add(f"p:{analysis.place.casefold()}")
        if analysis.gemeente_code:
            # A post with a gemeente joins only events of that gemeente (all loaded) or events
            # without one: its keys need to find only the latter.
            want.gemeenten.add(analysis.gemeente_code)
            want.texts.append(_dated(post, analysis, [], cfg, gemeente=analysis.gemeente_code))
            want.unplaced_keys |= keys
        else:
            want.keys |= keys
            # detectors.grouping.only_event_now: an event whose known start lies around the post
            want.windows.append((post.published_at - cfg.event_hours_after, post.published_at + cfg.event_hours_before))
        # By text alone: any event for a post without a gemeente, events without one for the others.
        want.texts.append(_dated(post, analysis, [f"t:{k}" for k in vector], cfg,
                                 unplaced_only=analysis.gemeente_code is not None))
    return want


def _dated(post: Post, analysis: Analysis, keys: list[str], cfg, unplaced_only: bool = False,
           gemeente: str | None = None) -> TextQuery:
    """detectors.grouping._time_compatible, loosened to ranges on an event's start and last
    post (a day of slack for local dates): no event outside them can take the post."""
    day = timedelta(days=1)
    start, t = analysis.event_start, post.published_at
    if start is not None:
        # both starts: the same or the next local date; the event without a start: its last
        # post within the announcement horizon before the post's start, or a while after
        return TextQuery(keys, start - 3 * day, start + 3 * day, start - cfg.announce_horizon,
                         start + cfg.after_start + day, unplaced_only, gemeente)
    # the event's start around the post (announced up to the horizon ahead — by text alone only
    # up to TEXT_AHEAD), or no start and its last post within the report window
    ahead = cfg.announce_horizon if gemeente is not None else TEXT_AHEAD
    return TextQuery(keys, t - cfg.after_start - day, t + ahead, t - cfg.report_window,
                     t + cfg.report_window, unplaced_only, gemeente)


# -- one tick's grouping ------------------------------------------------------------------------

@dataclass
class Assignment:
    groups: dict[str, Group]  # every loaded or new event, by signal id
    joined: dict[str, list[Item]]  # the new posts per event they joined, in time order
    ranks: dict[str, tuple[float, str]]
    vectors: list[SparseVector]  # by Item.row
    grouped: list[str]  # post ids now in an event (or found in one already)

    def records(self, loaded: dict[str, GroupRecord], cfg) -> list[GroupRecord]:
        """The records of the events that took posts; `loaded` must carry members for the
        existing ones among them."""
        return [record_of(self.groups[sid], loaded.get(sid), items, self.vectors, cfg, self.ranks[sid])
                for sid, items in self.joined.items()]


def assign(pairs: list[tuple[Post, Analysis]], vectors: list[SparseVector], loaded: list[GroupRecord],
           cfg) -> Assignment:
    """Place new relevant posts (with their text vectors) in the loaded events or new ones, in
    time order, as detectors.grouping.group_posts does."""
    rows = sorted((pa + (v,) for pa, v in zip(pairs, vectors) if pa[1].categories),
                  key=lambda pav: (pav[0].published_at, pav[0].id))
    members = {pid for r in loaded for pid in r.post_ids}
    done = [p.id for p, _, _ in rows if p.id in members]  # grouped already (a tick cut short): never twice
    rows = [r for r in rows if r[0].id not in members]
    pairs = [(p, a) for p, a, _ in rows]
    vectors = [v for _, _, v in rows]
    groups = {r.signal_id: group_of(r) for r in sorted(loaded, key=lambda r: r.rank)}
    ranks = {r.signal_id: r.rank for r in loaded}
    by_gemeente: dict[str | None, list[Group]] = {}
    for group in groups.values():
        by_gemeente.setdefault(group.gemeente_code, []).append(group)
    joined: dict[str, list[Item]] = {}
    for row, (post, analysis) in enumerate(pairs):
        item = Item(post, analysis, row)
        best, _score = _best_group(item, by_gemeente, vectors[row], cfg)
        if best is None:
            best = Group(signal_id_for(post.id))
            best.add(item, vectors[row])
            groups[best.signal_id] = best
            ranks[best.signal_id] = (post.published_at.timestamp(), post.id)
            by_gemeente.setdefault(best.gemeente_code, []).append(best)
        else:
            was = best.gemeente_code
            best.add(item, vectors[row])
            if best.gemeente_code != was:
                if best in by_gemeente.get(was, ()):
                    by_gemeente[was].remove(best)
                by_gemeente.setdefault(best.gemeente_code, []).append(best)
                ranks[best.signal_id] = (post.published_at.timestamp(), post.id)
        joined.setdefault(best.signal_id, []).append(item)
    return Assignment(groups, joined, ranks, vectors, done + [p.id for p, _ in pairs])


def vectors_of(pairs: list[tuple[Post, Analysis]]) -> list[SparseVector]:
    return rows_as_dicts(vectorize([p.text for p, _ in pairs]))


def burst_affected(loaded: list[GroupRecord], pairs: list[tuple[Post, Analysis]], now: datetime,
                   cfg: BurstConfig = BurstConfig()) -> list[GroupRecord]:
    """Loaded events whose burst window holds one of the new posts (same gemeente and
    category): their burst factor changes although no post joined them."""
    span = cfg.window + cfg.baseline
    out = []
    for r in loaded:
        if r.gemeente_code is None:
            continue
        end = burst_end(r, now)
        cats = set(r.state["categories"])
        if any(a.gemeente_code == r.gemeente_code and cats & set(a.categories)
               and end - span <= p.published_at <= end for p, a in pairs):
            out.append(r)
    return out


# -- signals ------------------------------------------------------------------------------------

def burst_end(record: GroupRecord, now: datetime) -> datetime:
    return min(now, record.last_seen + BURST_SETTLE)


class CountedBursts:
    """detectors.burst.BurstIndex answered from counts in the store (see `burst_queries`)."""

    def __init__(self, counts: dict, cfg: BurstConfig = BurstConfig(), frozen: Burst | None = None):
        self.cfg, self.counts, self.frozen = cfg, counts, frozen

    def at(self, gemeente_code, category, end: datetime) -> Burst:
        if self.frozen is not None:
            return self.frozen
        recent, before = self.counts[(gemeente_code, category, end.timestamp())]
        return burst_of(recent, before, self.cfg)


def burst_queries(records: Iterable[GroupRecord], now: datetime, horizon_start: datetime,
                  cfg: BurstConfig = BurstConfig()) -> list[tuple]:
    """Per event and category the two counts BurstIndex.at takes from the posts of the horizon:
    (gemeente, category, low, high, low_inclusive) with timestamps; only posts at or after the
    horizon's start count, as in grouping at once."""
    queries = []
    floor = horizon_start.timestamp()
    for r in records:
        t_end = burst_end(r, now).timestamp()
        t_window = t_end - cfg.window.total_seconds()
        t_base = t_window - cfg.baseline.total_seconds()
        for c in r.state["categories"]:
            key = (r.gemeente_code, c, t_end)
            queries.append((key, "recent", (r.gemeente_code, c, max(t_window, floor), t_end, t_window < floor)))
            queries.append((key, "before", (r.gemeente_code, c, max(t_base, floor), t_window, True)))
    return queries


def refresh_time(signal: Signal, record: GroupRecord, now: datetime) -> datetime:
    """When this event's signal must be recomputed if nothing joins it: at its expiry, when its
    burst window stops moving, and at least every REFRESH_OPEN / REFRESH_CLOSED."""
    moments = [now + (REFRESH_OPEN if signal.status in OPEN_STATUSES else REFRESH_CLOSED)]
    if signal.status == "nieuw":
        expiry = signal.event_start + EXPIRE_AFTER if signal.announced and signal.event_start else \
            record.last_seen + REPORT_EXPIRY
        if expiry >= now:
            moments.append(expiry + timedelta(seconds=1))
    if record.last_seen + BURST_SETTLE > now:
        moments.append(record.last_seen + BURST_SETTLE + timedelta(seconds=1))
    return min(moments)


def timing(start: datetime | None, last_seen: datetime, now: datetime) -> float:
    """The time factor of a signal's score, as detectors.signals._signal computes it (soon
    ranks higher; past events and quiet reports decay over about a day). Kept equal to it by
    tests/test_incremental.py::test_rescore_matches_a_full_recomputation."""
    if start is not None:
        hours = (start - now).total_seconds() / 3600
        return 1 + 1 / (1 + max(hours, 0) / 24) if hours >= -2 else 2 * math.exp((hours + 2) / 24)
    return 2 * math.exp(-(now - last_seen).total_seconds() / 3600 / 24)


def score_base(signal: Signal, record: GroupRecord, now: datetime) -> float:
    """The signal's score without its time factor: all that rescoring needs."""
    return signal.score / timing(record.start, record.last_seen, now)


def rescore(signal: Signal, record: GroupRecord, now: datetime) -> Signal:
    """The signal at `now` when nothing joined its event: its score under the new time factor,
    and 'verlopen' once it is over (as _signal decides it). Cheap: no post, no member."""
    score = round(record.score_base * timing(record.start, record.last_seen, now), 2)
    status, by, at, note = signal.status, signal.status_by, signal.status_at, signal.status_note
    if signal.announced and record.start is not None:
        ended = now - record.start > EXPIRE_AFTER
    else:
        ended = now - record.last_seen > REPORT_EXPIRY
    if ended and status == "nieuw":
        status, by, at = "verlopen", "systeem", now
    return replace(signal, score=score, status=status, status_by=by, status_at=at, status_note=note)


def independent(record: GroupRecord) -> list[set[str]]:
    """detectors.grouping.independent_origins from the stored copy pairs: channels joined by a
    near-identical first post count as one source."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for origin, _ in record.members["firsts"]:
        find(origin)
    for a, b in record.members["copies"]:
        if find(a) != find(b):
            parent[find(a)] = find(b)
    components: dict[str, set[str]] = {}
    for origin in parent:
        components.setdefault(find(origin), set()).add(origin)
    return list(components.values())


def build_signal(record: GroupRecord, now: datetime, source_kind: Callable, settings: DetectorSettings,
                 bursts: CountedBursts, before: Signal | None) -> Signal:
    return _signal(items_of(record), independent(record), now, source_kind, bursts, settings, before)


def frozen_burst(record: GroupRecord, now: datetime) -> Burst | None:
    """The burst as last computed, when its window has stopped moving since."""
    saved = (record.members or {}).get("burst")
    if saved is None or saved["end"] != _iso(burst_end(record, now)):
        return None
    return Burst(saved["factor"], saved["recent"], saved["expected"], saved["emerging"])


def remember_burst(record: GroupRecord, signal: Signal, bursts: CountedBursts, now: datetime) -> None:
    end = burst_end(record, now)
    best = max((bursts.at(record.gemeente_code, c, end) for c in signal.categories), key=lambda b: b.factor)
    record.members["burst"] = {"end": _iso(end), "factor": best.factor, "recent": best.recent,
                               "expected": best.expected, "emerging": best.emerging}
    record.state["burst_end"] = _iso(end)  # read without the members: is a full recomputation due?


def burst_settled(record: GroupRecord, now: datetime) -> bool:
    """Whether the stored burst is the one `_signal` would compute now (its window no longer moves)."""
    return record.state.get("burst_end") == _iso(burst_end(record, now))


def same_signal(a: Signal | None, b: Signal) -> bool:
    """Whether storing `b` would change nothing: equal fields, times equal to the millisecond
    (stored times are epoch seconds)."""
    if a is None:
        return False
    for name in a.__slots__:
        x, y = getattr(a, name), getattr(b, name)
        if isinstance(x, datetime) and isinstance(y, datetime):
            if abs((x - y).total_seconds()) > 0.001:
                return False
        elif x != y:
            return False
    return True
