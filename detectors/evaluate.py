"""Grouping quality: B-cubed precision, recall and F1 of signals against gold events.

Scored over the posts that belong to a gold event. A post the detector put in no signal (it
was classified as not relevant) counts as a signal of its own, so missing posts cost recall.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class BCubed:
    """B-cubed scores, with the numbers of posts, gold events and signals they were measured on."""

    precision: float
    recall: float
    f1: float
    posts: int
    events: int
    signals: int


def bcubed(predicted: list[list[str]], gold: dict[str, str]) -> BCubed:
    """`predicted`: post ids per signal; `gold`: post id -> event id (only posts of events)."""
    cluster_of: dict[str, int] = {}
    for n, members in enumerate(predicted):
        for post_id in members:
            if post_id in gold:
                cluster_of[post_id] = n
    next_id = len(predicted)
    for post_id in gold:
        if post_id not in cluster_of:
            cluster_of[post_id] = next_id
            next_id += 1
    by_cluster: dict[int, list[str]] = {}
    by_event: dict[str, list[str]] = {}
    for post_id, cluster in cluster_of.items():
        by_cluster.setdefault(cluster, []).append(post_id)
        by_event.setdefault(gold[post_id], []).append(post_id)
    precision = recall = 0.0
    for post_id in gold:
        members = by_cluster[cluster_of[post_id]]
        event = by_event[gold[post_id]]
        same = sum(1 for other in members if gold[other] == gold[post_id])
        precision += same / len(members)
        recall += same / len(event)
    n = len(gold) or 1
    p, r = precision / n, recall / n
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    signals = len({cluster_of[i] for i in gold})
    return BCubed(round(p, 4), round(r, 4), round(f1, 4), len(gold), len(by_event), signals)


@dataclass(frozen=True, slots=True)
class EventCoverage:
    """What an OOV-medewerker sees per real event: found at all, found as exactly one signal,
    noise among the signals, and whether the reliability label is right."""

    events: int
    found: float  # share of events with at least one of their posts in a signal
    exactly_one: float  # share of events whose posts in signals are all in one signal
    noise_in_signals: float  # share of noise posts (no event) that ended up in a signal
    noise_posts: int
    reliability_accuracy: float  # over found events: the main signal's label equals the gold one
    reliability_n: int


def event_coverage(
    signals: list[dict], gold: dict[str, str | None], gold_reliability: dict[str, str] | None = None
) -> EventCoverage:
    """`signals`: detect output lines (post_ids, reliability); `gold`: post id -> event id or
    None for noise; `gold_reliability`: event id -> bevestigd | onbevestigd."""
    events = {e for e in gold.values() if e}
    signals_of: dict[str, list[int]] = {}
    for n, signal in enumerate(signals):
        for post_id in signal["post_ids"]:
            event = gold.get(post_id)
            if event:
                signals_of.setdefault(event, []).append(n)
    found = [e for e in events if e in signals_of]
    exactly_one = [e for e in found if len(set(signals_of[e])) == 1]
    noise = [p for p, e in gold.items() if e is None]
    in_signals = {p for s in signals for p in s["post_ids"]}
    reliable = []
    if gold_reliability:
        for event in found:
            counts: dict[int, int] = {}
            for n in signals_of[event]:
                counts[n] = counts.get(n, 0) + 1
            main = max(sorted(counts), key=counts.__getitem__)
            reliable.append(signals[main]["reliability"] == gold_reliability.get(event))
    return EventCoverage(
        events=len(events),
        found=round(len(found) / max(1, len(events)), 4),
        exactly_one=round(len(exactly_one) / max(1, len(events)), 4),
        noise_in_signals=round(sum(1 for p in noise if p in in_signals) / max(1, len(noise)), 4),
        noise_posts=len(noise),
        reliability_accuracy=round(sum(reliable) / max(1, len(reliable)), 4),
        reliability_n=len(reliable),
    )
