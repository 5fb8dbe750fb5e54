"""Grouping quality: B-cubed precision, recall and F1 of signals against gold events.

Scored over the posts that belong to a gold event. A post the detector put in no signal (it
was classified as not relevant) counts as a signal of its own, so missing posts cost recall.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class BCubed:
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
        cluster = by_cluster[cluster_of[post_id]]
        event = by_event[gold[post_id]]
        same = sum(1 for other in cluster if gold[other] == gold[post_id])
        precision += same / len(cluster)
        recall += same / len(event)
    n = len(gold) or 1
    p, r = precision / n, recall / n
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    signals = len({cluster_of[i] for i in gold})
    return BCubed(round(p, 4), round(r, 4), round(f1, 4), len(gold), len(by_event), signals)
