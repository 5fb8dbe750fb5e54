"""The signal half of a tick, against the store: new posts -> their events -> changed signals
(detectors.incremental holds the grouping logic; this module only reads and writes).

Also the explicit, resumable reprocessing after a keyword or model change (`reprocess`).
"""

from __future__ import annotations

import bisect
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from detectors.anchors import anchors
from detectors.attach import CHANNEL_CANDIDATES, UNPLACED_CATEGORY, ContextWindow, may_be_context
from detectors.copies import share_copies
from detectors.grouping import Group, Item, NamedDay, only_event_now
from detectors.incremental import (
    REFRESH_CLOSED,
    assign,
    candidates_for,
    creation_order,
    group_of,
    refresh_time,
    rescore,
    same_signal,
    settle_time,
    vectors_of,
)
from detectors.overrides import with_merged_seeds
from detectors.settings import DetectorSettings, grouping_fingerprint
from detectors.signals import build_signals
from onrustradar.core.copykeys import copy_keys
from onrustradar.core.models import Signal
from onrustradar.service.isolate import analyse_safely
from store import GroupRecord, SignalQuery, Store

MELDING_SOURCE = "eigen-melding"  # onrustradar.service.meldingen.SOURCE_NAME

log = logging.getLogger(__name__)
HORIZON = timedelta(days=14)  # posts older than this no longer join events (as grouping at once)
BATCH = 5000  # new posts grouped per round
REFRESH_PER_TICK = 300  # time-only recomputations per tick, most overdue first: a tick stays bounded
MODEL_KEY = "analysis_model"
GROUPING_KEY = "grouping_rules"
REPROCESS_KEY = "reprocess"


@dataclass(slots=True)
class UpdateReport:
    grouped: int = 0  # new posts placed in events
    events: int = 0  # events written
    signals: int = 0  # signals written (changed)
    refreshed: int = 0  # signals recomputed for time only
    gemeenten: int = 0  # gemeenten whose signals were rebuilt
    rebuilt_posts: int = 0  # posts those rebuilds went through


def complete_copies(store: Store, new: list[tuple], since: datetime) -> tuple[list, list]:
    """New analyses completed from their copies, stored and new (detectors.copies, as
    `build_signals` does for all posts at once), and the stored analyses that change with
    them. A stored copy gets a category only when it has none (it is in no event yet: the tick
    groups it now, in time order); a stored copy already in an event keeps its analysis, so
    that no post is in two events (where a tick can differ: detectors/incremental.py)."""

    keys = {k for post, _ in new for k in copy_keys(post.text)}
    ids = {post.id for post, _ in new}
    stored = [(p, a, g) for p, a, g in store.copies_of(keys, since) if p.id not in ids] if keys else []
    if not stored and len(keys) == sum(len(copy_keys(p.text)) for p, _ in new):
        return [a for _, a in new], []  # no key twice: no copies
    shared = share_copies([(p, a) for p, a, _ in stored] + list(new))
    changed = [
        after
        for (_, before, grouped), (_, after) in zip(stored, shared)
        if after is not before and not grouped and not before.categories
    ]
    return [a for _, a in shared[len(stored) :]], changed


def regroup(
    store: Store,
    codes: set[str],
    now: datetime,
    kinds: Callable,
    settings: DetectorSettings,
    decisions: list | None = None,
    report: UpdateReport | None = None,
) -> tuple[list[Signal], dict]:
    """The signals of these gemeenten as grouping everything at once makes them, through the
    same `detectors.signals.build_signals` (context attachment, weak events, analysts'
    merges and splits, eigen meldingen as official sources). Which category post is in which
    event comes from the stored events (the incremental grouping above, seeded exactly as
    grouping at once would have placed them); everything after grouping is done again for
    the whole gemeente over the horizon — detectors/incremental.py says why that cannot be done
    per event. Returns the changed signals and, per event, (refresh time, base score)."""

    if not codes:
        return [], {}
    horizon = now - HORIZON
    codes = set(codes)
    active = horizon - kept_for(settings.grouping)
    records = store.gemeente_groups(codes, active)
    # A post without a gemeente of its own can be context of these events and of events
    # elsewhere, and goes to the best (detectors.attach): those other events come along as
    # its rivals (their own signals are not rebuilt here). Only posts that can reach these
    # events at all — by their channel's gemeente, a shared name or channel, or the hour —
    # are looked at.
    cfg = settings.grouping
    names_here = {n for r in records for n in r.state.get("anchors", ())}
    origins_here = {o for r in records for o in r.state.get("origins", ())}
    starts_here = sorted(r.start for r in records if r.time_known and r.start is not None)
    linked: list[tuple] = []
    rivals: dict[str, GroupRecord] = {}
    rival_hints: set[str] = set()
    near, loose = [], []
    for post, analysis in store.context_posts((), horizon - cfg.context_before):
        if not may_be_context(post, analysis, cfg.measures):
            continue
        loose.append((post, analysis))
        t = post.published_at
        i = bisect.bisect_left(starts_here, t - cfg.event_hours_after)
        if not (
            Item(post, analysis, -1).gemeente_hint in codes
            or post.origin in origins_here
            or anchors(post.text) & names_here
            or (i < len(starts_here) and starts_here[i] <= t + cfg.event_hours_before)
        ):
            continue
        near.append((post, analysis))

    def note_rivals(posts: list, reaches: list) -> None:
        """Note the events elsewhere these posts can reach (`_reaches` of each)."""
        for (post, analysis), (reach, found) in zip(posts, reaches):
            rivals.update({sid: r for sid, r in found.items() if r.gemeente_code not in codes})
            rival_hints.update(g for g in reach - codes if g == Item(post, analysis, -1).gemeente_hint)

    # (of the posts near these events, those that can reach them are `linked`)
    for pair, reached in zip(near, _reaches(store, near, horizon, cfg)):
        if reached[0] & codes:
            linked.append(pair)
            note_rivals([pair], [reached])

    hints_read: set[str] = set()

    def rival_records(known: set[str]) -> list[GroupRecord]:
        """The rivals not `known` yet, with the events of channels' gemeenten not read yet."""
        hints = rival_hints - hints_read
        hints_read.update(hints)
        return [r for r in rivals.values() if r.signal_id not in known] + [
            r
            for r in (store.gemeente_groups(hints, active) if hints else ())
            if r.signal_id not in rivals and r.signal_id not in known and not is_stub(r)
        ]

    rivals_here = rival_records(set())
    placed = _with_posts(store, records) + _with_posts(store, rivals_here)
    # posts without a category that can join these events: from a while before their first post
    earliest = min((p.published_at for p, _ in placed), default=horizon) - cfg.context_before
    # (those without a gemeente were read above: the ones that reach these events are in `linked`)
    context = store.context_posts(codes, min(horizon, earliest), unplaced=False)
    context += [(p, a) for p, a in linked if p.published_at >= earliest]
    # Events without a gemeente as well, those that can take one of these posts by a shared
    # name or channel (detectors.attach; by its place or hour only an event with a gemeente
    # can): such a post gives them its gemeente (Group.add), and they compete for it.
    unplaced = _unplaced_events(store, context, active, set())
    # A post without a gemeente that such an event can take (by a shared name or channel)
    # changes it before a post of these gemeenten chooses between it and theirs (attachment
    # goes in time order): it comes along, with the events elsewhere it can reach as rivals,
    # and so do the events without a gemeente it can join in turn, until none is new.
    taken = {p.id for p, _ in context}
    names_of: dict[str, frozenset[str]] = {}
    while unplaced_new := [r for r in unplaced if r.signal_id not in names_of]:
        for r in unplaced_new:
            names_of[r.signal_id] = frozenset(r.state.get("anchors", ()))
        origins = {o for r in unplaced_new for o in r.state.get("origins", ())}
        names = frozenset().union(*(names_of[r.signal_id] for r in unplaced_new))
        more = [
            (p, a)
            for p, a in loose
            if p.id not in taken
            and p.published_at >= earliest
            and (p.origin in origins or (names and anchors(p.text) & names))
        ]
        taken.update(p.id for p, _ in more)
        note_rivals(more, _reaches(store, more, horizon, cfg))
        context += more
        unplaced += _unplaced_events(store, more, active, set(names_of))
    homes = (
        {s.gemeente_code for s in store.get_signals([r.signal_id for r in unplaced]).values()} if unplaced else set()
    )
    if elsewhere := {c for c in homes if c is not None} - codes:
        # Such an event placed by a post of another gemeente (its signal is there: that post
        # came first, update_signals `_placing`) is rebuilt with that gemeente, or it would be
        # written here without the post that places it there.
        return regroup(store, codes | elsewhere, now, kinds, settings, decisions, report)
    later = rival_records({r.signal_id for r in records + rivals_here})
    placed += _with_posts(store, later)
    records = sorted(records + rivals_here + later + unplaced, key=creation_order)
    pairs = placed + _with_posts(store, unplaced) + context
    decisions = [d for d in (store.decisions() if decisions is None else decisions) if d.gemeente_code in codes]
    seeds = with_merged_seeds({r.signal_id: r.post_ids for r in records}, decisions)
    if report is not None:
        report.gemeenten, report.rebuilt_posts = len(codes), len(pairs)
    # the stored signals of these gemeenten: each one's previous state (status, reopening)
    stored = {
        s.signal_id: s
        for s in store.query_signals(
            SignalQuery(gemeente_codes=frozenset(codes), since=horizon - kept_for(settings.grouping), limit=1_000_000)
        )
    }

    def previous(signal_id: str) -> Signal | None:
        return stored[signal_id] if signal_id in stored else store.get_signal(signal_id)

    bases: dict[str, float] = {}
    every = build_signals(pairs, now, kinds, previous, seeds, settings, decisions=decisions, bases=bases)
    built = [s for s in every if s.gemeente_code in codes]
    elsewhere = _moved_away(store, every, context, codes)
    before = {s.signal_id: previous(s.signal_id) for s in built}
    by_id = {r.signal_id: r for r in records}
    # A signal of these gemeenten that grouping no longer makes — a weak event whose posts
    # another event took since, a signal started by a melding that joined an event — goes, as
    # it would not be there had everything been grouped at once; unless a person changed its
    # status (its thread and history stay either way, store.delete_signal). Only one whose
    # posts all lie in the horizon: an older event's record is forgotten, its signal kept.
    made = {s.signal_id for s in built}
    for old in stored.values():
        if (
            old.signal_id not in made
            and old.first_seen >= horizon
            and old.status_by in (None, "systeem")
            and not any(i.startswith(f"{MELDING_SOURCE}:") for i in old.post_ids)
        ):  # (a person put a melding in it)
            store.delete_signal(old.signal_id)
    changed: list[Signal] = []
    refresh: dict[str, tuple[datetime, float | None]] = {}
    stubs: list[GroupRecord] = []
    for signal in built:
        prior = before.get(signal.signal_id)
        record = by_id.get(signal.signal_id)
        if record is None:
            # not an event of its own (a weak event, a split): a stand-in record, so that it is
            # rescored and expires on time like the others
            record = stub_record(signal)
            stubs.append(record)
        refresh[record.signal_id] = (refresh_time(signal, record, now), bases[signal.signal_id])
        if not same_signal(prior, signal):
            changed.append(signal)
    if stubs:
        store.save_grouping(stubs, {}, [], [])
    if elsewhere:
        # Rebuilt together in the next tick, with whatever it rebuilds (a rebuild of its own
        # here costs what reading the posts around these events costs again: a tick 40%
        # longer): until then such a post is listed in both signals. (Due with no base
        # score: rebuilt.)
        for r in store.gemeente_groups(elsewhere, active):
            refresh[r.signal_id] = (now, None)
    return changed, refresh


def _moved_away(store: Store, every: list[Signal], context: list, codes: set[str]) -> set[str]:
    """The gemeenten whose signal a post without a gemeente joins or leaves in this rebuild
    (it goes to the best of all events it fits, detectors.attach: an event here that grew can
    take it from a rival's signal elsewhere), when one of them is elsewhere: both sides, so
    that they are rebuilt together (here the rival lacks its own context posts, and so may
    fit less well than it does)."""
    loose = {p.id for p, a in context if a.gemeente_code is None}
    if not loose:
        return set()
    gemeente = {s.signal_id: s.gemeente_code for s in every}
    now_in = {pid: s.signal_id for s in every for pid in s.post_ids if pid in loose}
    was_in = store.signals_of_posts(loose)
    stored = store.get_signals(set(was_in.values()))
    out: set[str] = set()
    for pid in loose:
        then, now = was_in.get(pid), now_in.get(pid)
        if then == now:
            continue
        sides = {gemeente[now] if now is not None else None, stored[then].gemeente_code if then in stored else None}
        sides.discard(None)
        if sides - codes:
            out |= {c for c in sides if c is not None}
    return out


def _placing(store: Store, records: list[GroupRecord], cfg) -> set[str]:
    """The gemeenten of stored posts that can give these changed events without a gemeente
    one: posts without a category in their channel or naming their place, within their
    context window (detectors.attach). Grouping at once lets such a post join the event in
    time order, whichever came first; rebuilding its gemeente does the same in a tick."""
    windows = []
    for r in records:
        w = ContextWindow.of(group_of(r), cfg)
        origins, names = set(r.state.get("origins", ())), set(r.state.get("anchors", ()))
        windows.append((w.lo if w.ahead is None else min(w.ahead, w.lo), w.hi, origins, names))
    since, until = min(w[0] for w in windows), max(w[1] for w in windows)
    every_origin = {o for w in windows for o in w[2]}
    every_name = {n for w in windows for n in w[3]}
    out: set[str] = set()
    for post, analysis in store.placed_context_posts(since, until, every_origin, every_name):
        code, t = analysis.gemeente_code, post.published_at
        if code is None or code in out:
            continue
        hits = [(origins, names) for lo, hi, origins, names in windows if lo <= t <= hi]
        if hits and any(post.origin in o or (n and anchors(post.text) & n) for o, n in hits):
            out.add(code)
    return out


def _unplaced_events(store: Store, context: list, active: datetime, known: set[str]) -> list[GroupRecord]:
    """The events without a gemeente these posts can join by a shared name or channel
    (detectors.attach), less those `known`."""
    if not context:
        return []
    keys = {f"a:{n}" for p, _ in context for n in anchors(p.text)}
    keys |= {f"o:{p.origin}" for p, _ in context}
    return [r for r in store.unplaced_groups(keys, active) if not is_stub(r) and r.signal_id not in known]


def _with_posts(store: Store, records: list[GroupRecord]) -> list[tuple]:
    """The (post, analysis) pairs of these events' posts (an event keeps its posts from before
    the horizon: detectors/incremental.py)."""
    posts = store.get_posts([pid for r in records for pid in r.post_ids])
    analyses = store.get_analyses([p.id for p in posts])
    return [(p, analyses[p.id]) for p in posts if p.id in analyses]


def stub_record(signal: Signal) -> GroupRecord:
    """A record that only carries a signal's refresh time and base score: no posts, no keys,
    never a candidate for grouping (`is_stub`)."""
    state: dict[str, object] = {
        "stub": True,
        "gemeente_code": signal.gemeente_code,
        "start": None,
        "last_seen": signal.last_seen.isoformat(),
        "post_ids": [],
    }
    return GroupRecord(
        signal.signal_id,
        signal.gemeente_code,
        signal.last_seen,
        None,
        False,
        signal.last_seen,
        (signal.last_seen.timestamp(), signal.signal_id),
        [],
        state,
        {},
    )


def is_stub(record: GroupRecord) -> bool:
    return bool(record.state.get("stub"))


def _gemeenten_of(store: Store, pairs: list, horizon: datetime, cfg) -> set[str]:
    """The gemeenten whose signals these posts without a category can change (`_reaches`)."""
    return {code for reach, _ in _reaches(store, pairs, horizon, cfg) for code in reach}


def _reaches(store: Store, pairs: list, horizon: datetime, cfg) -> list[tuple[set[str], dict[str, GroupRecord]]]:
    """Per post without a category: the gemeenten whose signals it can change — its own (or its
    channel's, detectors.grouping.Item.gemeente_hint), and for one that names none, those of
    the events it could be context of, as attach_context looks for them: by a shared name or
    channel within the event's context window (detectors.attach.ContextWindow), or — naming no
    place and fitting no event otherwise — the only event of its kind going on at that moment
    (then only if it is the only one in the store, as grouping at once would find it) — and
    those events. The events of all posts are read from the store in one query; each post then
    sees exactly the events its own query would have found (`_Pool`)."""

    unplaced = [(p, a) for p, a in pairs if not a.gemeente_code]
    pool = _Pool(store, unplaced, horizon, cfg) if unplaced else None
    out = []
    for post, analysis in pairs:
        codes: set[str] = set()
        found: dict[str, GroupRecord] = {}
        hint = analysis.gemeente_code or Item(post, analysis, -1).gemeente_hint
        if hint:
            codes.add(hint)
        if analysis.gemeente_code:
            out.append((codes, found))
            continue
        # (with a hint too: a shared name or channel reaches further)
        names, origin, t = anchors(post.text), post.origin, post.published_at
        day = NamedDay(post)
        fitting: set[str] = set()
        going_on, same_channel, reached = [], [], set()
        assert pool is not None  # built when any post names no gemeente, as this one
        records = pool.of(post, analysis, names, origin)
        for r in records:
            if not r.gemeente_code or is_stub(r):
                continue
            group, w = pool.group(r)
            going_on.append(group)
            if group.gemeente_code == hint and (
                w.lo <= t <= w.hi or (w.ahead is not None and w.ahead <= t < w.lo and day() == w.day)
            ):
                continue  # fits as an event of its channel's gemeente (counted above)
            if names & group.anchors and w.fits(group, post, analysis, day):
                fitting.add(r.gemeente_code)  # (the group of record r: the same gemeente)
                reached.add(group.signal_id)
            elif origin in group.origins and w.lo <= t <= w.hi:
                same_channel.append((group, w))
        # (a busy channel is in many events: attach_context tries the few nearest in time)
        same_channel.sort(key=lambda gw: abs((gw[0].start or gw[0].last_seen) - t))
        channel = [g for g, w in same_channel[:CHANNEL_CANDIDATES] if w.fits(g, post, analysis, day)]
        fitting |= {g.gemeente_code for g in channel if g.gemeente_code}
        codes |= fitting
        # the events it can be context of (its channel's gemeente's: by gemeente)
        found.update(
            {
                r.signal_id: r
                for r in records
                if r.signal_id in reached or any(g.signal_id == r.signal_id for g in channel)
            }
        )
        if not fitting and not hint:
            kinds = {c for c, v in analysis.scores.items() if v >= UNPLACED_CATEGORY}
            only = only_event_now(going_on, post, kinds, cfg, related=False) if kinds else None
            if only is not None:
                if only.gemeente_code:  # (going_on holds placed events only)
                    codes.add(only.gemeente_code)
                found.update({r.signal_id: r for r in records if r.signal_id == only.signal_id})
        out.append((codes, found))
    return out


class _Pool:
    """The events posts without a gemeente can be context of, read in one store query (the
    union of their `candidates_for` queries, without text), indexed so that each post gets the
    same events, in the same order, as its own query would return: those open when it was
    published less `context_after` that share a place, name or channel with it, or whose
    known start lies around it."""

    def __init__(self, store: Store, pairs: list, horizon: datetime, cfg):
        want = candidates_for(pairs, [{}] * len(pairs), horizon, cfg)
        want.texts = []  # context joins by name, channel or the hour, not by text alone
        want.since -= cfg.context_after  # events a post may still be context of, though closed to others
        self.cfg = cfg
        self.records = {r.signal_id: r for r in store.candidate_groups(want)}
        self.by_key: dict[str, list[GroupRecord]] = {}
        for r in self.records.values():
            st = r.state
            for key in (
                {f"p:{p}" for p in st.get("places", ())}
                | {f"a:{n}" for n in st.get("anchors", ())}
                | {f"o:{o}" for o in st.get("origins", ())}
            ):
                self.by_key.setdefault(key, []).append(r)
        timed = sorted(
            (r.start, r.signal_id)
            for r in self.records.values()
            if r.time_known and r.gemeente_code is not None and r.start is not None
        )
        self.starts = [t for t, _ in timed]
        self.timed = [self.records[sid] for _, sid in timed]
        self.groups: dict[str, tuple[Group, ContextWindow]] = {}

    def of(self, post, analysis, names, origin) -> list[GroupRecord]:
        cfg, t = self.cfg, post.published_at
        since = t - cfg.context_after
        keys = {f"o:{origin}", *(f"a:{n}" for n in names)}
        if analysis.place:
            keys.add(f"p:{analysis.place.casefold()}")
        hits = {r.signal_id: r for key in keys for r in self.by_key.get(key, ())}
        lo = bisect.bisect_left(self.starts, t - cfg.event_hours_after)
        hi = bisect.bisect_right(self.starts, t + cfg.event_hours_before)
        hits.update({r.signal_id: r for r in self.timed[lo:hi]})
        return [hits[sid] for sid in sorted(hits) if hits[sid].open_until >= since]

    def group(self, record: GroupRecord) -> tuple[Group, ContextWindow]:
        """The event as grouping sees it, and its context window (detectors.attach.ContextWindow)."""

        if record.signal_id not in self.groups:
            group = group_of(record)
            self.groups[record.signal_id] = (group, ContextWindow.of(group, self.cfg))
        return self.groups[record.signal_id]


DECISIONS_KEY = "decisions_applied"


def kept_for(cfg) -> timedelta:
    """How long before the horizon an event is still kept and rebuilt with its gemeente: while
    its context window (detectors.attach) can still reach a post of the horizon, it competes
    with the horizon's events for that post, as in grouping at once."""
    return cfg.context_after + cfg.context_before


def update_signals(
    store: Store,
    now: datetime,
    kinds: Callable,
    settings: DetectorSettings,
    progress: Callable[[int], None] | None = None,
    refresh_limit: int = REFRESH_PER_TICK,
    full_refresh: bool = False,
    fresh: list | None = None,
) -> UpdateReport:
    """Group the posts no tick has grouped yet (incrementally, against the events they can
    join), then rebuild the signals of every gemeente something happened in: a post joined one
    of its events or fell in its burst window, a post without a category came in (`fresh`: the
    analyses of this tick), an analyst merged or split, or one of its signals is due for a
    recomputation. Writes only what changed."""
    cfg = settings.grouping
    horizon = now - HORIZON
    report = UpdateReport()
    codes: set[str] = set()
    unplaced: list[GroupRecord] = []  # events without a gemeente that changed
    while pairs := store.ungrouped_posts(since=horizon, limit=BATCH):
        vectors = vectors_of(pairs)
        loaded = [r for r in store.candidate_groups(candidates_for(pairs, vectors, horizon, cfg)) if not is_stub(r)]
        result = assign(pairs, vectors, loaded, cfg)
        records = result.records({r.signal_id: r for r in loaded}, cfg)
        # (a record's refresh time and base score are set by the regrouping below)
        store.save_grouping(records, {}, [], result.grouped)
        codes |= {r.gemeente_code for r in records if r.gemeente_code}
        unplaced += [r for r in records if not r.gemeente_code]
        codes |= {a.gemeente_code for _, a in pairs if a.gemeente_code}  # their burst windows
        report.grouped += len(result.grouped)
        report.events += len(records)
        if progress:
            progress(report.grouped)
        if len(pairs) < BATCH:
            break
    if unplaced:
        codes |= _placing(store, unplaced, cfg)
    if fresh:
        # (a notice that the event is called off is excluded from its category, yet context)
        context = [
            (p, a)
            for p, a in fresh
            if not a.categories and may_be_context(p, a, cfg.measures) and p.published_at >= horizon
        ]
        if context:
            codes |= _gemeenten_of(store, context, horizon, cfg)
    decisions = store.decisions()
    applied = int(store.get_meta(DECISIONS_KEY) or 0)
    if len(decisions) != applied:
        # new decisions since the last tick (in the order made; the store keeps them all)
        codes |= (
            {d.gemeente_code for d in decisions[applied:] if d.gemeente_code}
            if len(decisions) > applied
            else {d.gemeente_code for d in decisions if d.gemeente_code}
        )
    due = store.due_groups(now, horizon, refresh_limit)
    stored = store.get_signals([r.signal_id for r in due])
    # An event without a gemeente of its own is on the board under the gemeente a post that
    # joined it by context gave its signal: it is rescored, expires and is rebuilt there.
    home = {
        r.signal_id: r.gemeente_code or (stored[r.signal_id].gemeente_code if r.signal_id in stored else None)
        for r in due
    }
    # A burst window still moving (or an event without its base score) needs the full
    # recomputation: its gemeente is rebuilt; the others only a new time factor and perhaps
    # 'verlopen' (detectors.incremental.rescore).
    rebuilt = {
        home[r.signal_id]
        for r in due
        if full_refresh
        or r.score_base is None
        or r.signal_id not in stored
        or (r.refresh_at is not None and r.refresh_at <= settle_time(stored[r.signal_id]))
    }
    codes |= {c for c in rebuilt if c is not None}
    signals, refresh = regroup(store, codes, now, kinds, settings, decisions, report)
    for r in due:
        old = stored.get(r.signal_id)
        if home[r.signal_id] in codes or r.signal_id in refresh:
            continue
        if old is None:  # no signal (merged away, or not of this event any more)
            refresh[r.signal_id] = (now + REFRESH_CLOSED, r.score_base)
            continue
        signal = rescore(old, r, now)
        refresh[r.signal_id] = (refresh_time(signal, r, now), r.score_base)
        if not same_signal(old, signal):
            signals.append(signal)
    store.upsert_signals(signals)
    store.set_refresh(refresh)
    store.save_grouping([], {}, [], [], forget_before=horizon - kept_for(cfg))
    store.set_meta(DECISIONS_KEY, str(len(decisions)))
    report.refreshed += len(due)
    report.signals += len(signals)
    return report


def refresh_all(store: Store, now: datetime, kinds: Callable, settings: DetectorSettings) -> int:
    """Recompute every event's signal of the horizon now (tests, and the end of `reprocess`)."""
    store.make_due(now)
    total = 0
    while True:
        report = update_signals(store, now, kinds, settings, refresh_limit=100_000, full_refresh=True)
        total += report.refreshed
        if report.refreshed < 100_000:
            return total


# -- keyword or model changes ------------------------------------------------------------------


def note_model(store: Store, name: str, grouping: str | None = None) -> bool:
    """Remember which analyzer the stored analyses come from, and which grouping rules built the
    stored events; False (and a warning) when the keyword lists, the model, the analysis rules
    or the grouping rules changed since: `onrustradar reprocess` brings them in line."""
    grouping = grouping or grouping_fingerprint()
    known, built_by = store.get_meta(MODEL_KEY), store.get_meta(GROUPING_KEY)
    if known is None:
        store.set_meta(MODEL_KEY, name)
        store.set_meta(GROUPING_KEY, grouping)
        return True
    if known != name:
        log.warning(
            "keyword lists, model or analysis rules changed (%s -> %s): new posts use the new ones; "
            "run `onrustradar reprocess` to analyse and group the horizon again",
            known,
            name,
        )
        return False
    if built_by != grouping:
        # (a store from before this key was kept has none: its events may be of any version)
        log.warning(
            "grouping rules changed (%s -> %s): stored events keep what the old rules made of them; "
            "run `onrustradar reprocess` to group the horizon again",
            built_by or "onbekend",
            grouping,
        )
        return False
    return True


@dataclass(slots=True)
class ReprocessReport:
    analysed: int
    grouped: int
    signals: int


def reprocess(
    store: Store,
    analyzer,
    now: datetime,
    kinds: Callable,
    settings: DetectorSettings,
    say: Callable[[str], None] = print,
    batch: int = 2000,
) -> ReprocessReport:
    """Analyse the horizon's posts again with `analyzer` and rebuild its events from scratch.
    Resumable: analyses already redone are kept; an interrupted regrouping goes on where it
    stopped (the posts not yet regrouped are still marked so)."""
    horizon = now - HORIZON
    state = store.get_meta(REPROCESS_KEY)
    analysed = 0
    if state != f"groeperen:{analyzer.name}":
        total = store.count_stale_analyses(horizon, analyzer.name)
        say(f"analyseren: {total} berichten met andere trefwoorden of model")
        tried: set[str] = set()
        while posts := [p for p in store.stale_analyses(horizon, analyzer.name, batch) if p.id not in tried]:
            tried.update(p.id for p in posts)
            good = []
            for post, analysis in zip(posts, analyse_safely(analyzer, posts)):
                if isinstance(analysis, str):
                    store.quarantine_post(post.id, analysis)
                else:
                    good.append((post, analysis))
            good, completed = complete_copies(store, good, horizon)
            store.save_analyses(good + completed)
            analysed += len(good)
            say(f"analyseren: {analysed}/{total} ({analysed / max(total, 1):.0%})")
        store.set_meta(REPROCESS_KEY, f"groeperen:{analyzer.name}")
        store.mark_ungrouped(horizon)
    say("groeperen: gebeurtenissen opnieuw opbouwen")
    report = update_signals(store, now, kinds, settings, progress=lambda n: say(f"groeperen: {n} berichten"))
    refresh_all(store, now, kinds, settings)
    store.set_meta(MODEL_KEY, analyzer.name)
    store.set_meta(GROUPING_KEY, grouping_fingerprint())
    store.set_meta(REPROCESS_KEY, "klaar")
    return ReprocessReport(analysed, report.grouped, report.signals)
