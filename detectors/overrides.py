"""An analyst's corrections of the grouping: merge two signals into one, split posts off a
signal into a signal of their own.

Each correction is stored as a decision (store.Decision) with the posts it concerns. The
board applies it at once to the stored signals (`merge_stored`, `split_stored`: a first
approximation, recomputed at the next processing round), and every processing round applies
all decisions again after grouping (`apply_decisions`), in the order they were made. So a
correction survives reprocessing, also when signals are rebuilt from scratch: it is tied to
the posts, not only to signal ids that grouping might give out differently.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import replace

from detectors.grouping import Group, Item
from detectors.similarity import SparseVector
from onrustradar.core.models import Signal, utcnow
from store.base import Decision


class DecisionError(ValueError):
    """A merge or split that cannot be made; the message is Dutch, for the board."""


def split_id(signal_id: str, post_ids: Iterable[str]) -> str:
    """The id of the signal a split creates: the same posts split off the same signal give
    the same id, so repeating a split changes nothing."""
    key = "split:" + signal_id + ":" + ",".join(sorted(post_ids))
    return "sig_" + hashlib.sha1(key.encode()).hexdigest()[:12]


def _unique(ids: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(ids))


def merge_stored(keep: Signal, other: Signal, actor: str) -> tuple[Signal, Decision]:
    """`other` merged into `keep`, as stored until the next processing round recomputes
    score, reliability and explanation from the posts; and the decision that does so."""
    if keep.signal_id == other.signal_id:
        raise DecisionError("Een signaal kan niet met zichzelf worden samengevoegd.")
    if keep.gemeente_code != other.gemeente_code:
        raise DecisionError("Alleen signalen van dezelfde gemeente kunnen worden samengevoegd.")
    now = utcnow()
    confirmed = "bevestigd" in (keep.reliability, other.reliability)
    merged = replace(
        keep,
        post_ids=_unique([*keep.post_ids, *other.post_ids]),
        categories=_unique([*keep.categories, *other.categories]),
        first_seen=min(keep.first_seen, other.first_seen),
        last_seen=max(keep.last_seen, other.last_seen),
        event_start=keep.event_start or other.event_start,
        time_known=keep.time_known if keep.event_start else other.time_known,
        announced=keep.announced or other.announced,
        independent_sources=max(keep.independent_sources, other.independent_sources),
        official_sources=max(keep.official_sources, other.official_sources),
        reliability="bevestigd" if confirmed else keep.reliability,
        score=max(keep.score, other.score),
        burst_factor=max(keep.burst_factor, other.burst_factor),
    )
    decision = Decision(
        "merge",
        keep.signal_id,
        other.signal_id,
        list(other.post_ids),
        list(keep.post_ids),
        keep.gemeente_code,
        actor,
        now,
    )
    return merged, decision


def split_stored(signal: Signal, post_ids: list[str], actor: str) -> tuple[Signal, Signal, Decision]:
    """The signal without `post_ids`, the new signal of those posts, and the decision."""
    wanted = set(post_ids)
    chosen = [p for p in signal.post_ids if p in wanted]
    if not chosen:
        raise DecisionError("Kies minstens één bericht van dit signaal om af te splitsen.")
    if len(chosen) == len(signal.post_ids):
        raise DecisionError("Laat minstens één bericht in het signaal achter.")
    now = utcnow()
    new_id = split_id(signal.signal_id, chosen)
    rest = replace(signal, post_ids=[p for p in signal.post_ids if p not in wanted])
    new = replace(
        signal,
        signal_id=new_id,
        post_ids=chosen,
        independent_sources=1,
        official_sources=0,
        reliability="onbevestigd",
        created_at=None,
        changed_at=None,
        explanation=f"afgesplitst van {signal.signal_id}; wordt bij de volgende verwerkingsronde herberekend",
    )
    decision = Decision("split", new_id, signal.signal_id, chosen, [], signal.gemeente_code, actor, now)
    return rest, new, decision


# -- around grouping --------------------------------------------------------------------------


def with_merged_seeds(seeds: dict[str, list[str]], decisions: Sequence[Decision]) -> dict[str, list[str]]:
    """Grouping's seeds plus, first, each merged-away signal with its posts: grouping then
    attaches later posts of that event to it as before, and the merge moves them in."""
    merged_away = {d.other_id: list(d.post_ids) for d in decisions if d.kind == "merge"}
    return {**merged_away, **{k: v for k, v in seeds.items() if k not in merged_away}}


# -- after grouping ---------------------------------------------------------------------------


def apply_decisions(groups: list[Group], vectors: list[SparseVector], decisions: Sequence[Decision]) -> list[Group]:
    """The groups with every decision applied, oldest first."""
    for decision in sorted(decisions, key=lambda d: d.at or utcnow()):
        if decision.kind == "merge":
            groups = _merge(groups, vectors, decision)
        elif decision.kind == "split":
            groups = _split(groups, vectors, decision)
    return groups


def _rebuild(signal_id: str, items: list[Item], context_ids: list[str], vectors: list[SparseVector]) -> Group:
    group = Group(signal_id)
    # In row order, as grouping added them: category posts in time order, then context posts.
    for item in sorted(items, key=lambda i: i.row):
        group.add(item, vectors[item.row])
    members = {i.post.id for i in items}
    group.context_ids = [c for c in _unique(context_ids) if c in members]
    return group


def _take(
    groups: list[Group], post_ids: set[str], vectors: list[SparseVector]
) -> tuple[list[Item], list[str], list[Group]]:
    """Take the items of `post_ids` out of `groups`: (those items, which of them joined by
    context, the groups that remain)."""
    taken, context, left = [], [], []
    for group in groups:
        mine = [i for i in group.items if i.post.id in post_ids]
        if not mine:
            left.append(group)
            continue
        taken += mine
        context += [c for c in group.context_ids if c in post_ids]
        rest = [i for i in group.items if i.post.id not in post_ids]
        if rest:
            left.append(_rebuild(group.signal_id, rest, group.context_ids, vectors))
    return taken, context, left


def _merge(groups: list[Group], vectors: list[SparseVector], decision: Decision) -> list[Group]:
    kept = set(decision.keep_post_ids)
    target = next((g for g in groups if g.signal_id == decision.signal_id), None)
    if target is None:  # signals rebuilt from scratch: the group that holds the kept posts
        target = next((g for g in groups if any(i.post.id in kept for i in g.items)), None)
    if target is None:
        return groups  # its posts are gone (retention): nothing to merge into
    # The merged-away signal's posts then, and (while grouping still seeds it) all of its posts
    # now: it does not come back with posts added later.
    moving = set(decision.post_ids)
    moving |= {i.post.id for g in groups if g.signal_id == decision.other_id for i in g.items}
    moving -= {i.post.id for i in target.items}
    taken, context, left = _take([g for g in groups if g is not target], moving, vectors)
    if not taken and target.signal_id == decision.signal_id:
        return groups
    merged = _rebuild(decision.signal_id, target.items + taken, target.context_ids + context, vectors)
    return [merged, *left]


def _split(groups: list[Group], vectors: list[SparseVector], decision: Decision) -> list[Group]:
    existing = next((g for g in groups if g.signal_id == decision.signal_id), None)
    taken, context, left = _take([g for g in groups if g is not existing], set(decision.post_ids), vectors)
    if not taken:
        return groups
    items = (existing.items if existing else []) + taken
    context_ids = (existing.context_ids if existing else []) + context
    return [*left, _rebuild(decision.signal_id, items, context_ids, vectors)]
