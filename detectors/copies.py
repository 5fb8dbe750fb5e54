"""Copies: a call forwarded with a line on top ("Doorsturen!! 👇", "Forwarded from …") is the
same message, and one analysis should hold for all its copies.

A forward often loses what the analysis needs: the copy in a channel whose name gives the town
has the gemeente but reads too weakly for a category, the copy with a catchy first line has the
category but no town. Before grouping, copies share: a copy without a category takes the
category, start and announcement of a categorised copy; a copy without a gemeente takes the
gemeente when all copies that have one agree. Copies are found by their text keys
(onrustradar.core.copykeys: whitespace and case folded, a short first line and a forward header set aside), so finding
them costs one pass over the posts. A tick finds a new post's stored copies by the same keys
(onrustradar.service.incremental.complete_copies).
"""

from __future__ import annotations

from dataclasses import replace

from onrustradar.core.copykeys import copy_keys
from onrustradar.core.models import Analysis, Post


def share_copies(pairs: list[tuple[Post, Analysis]]) -> list[tuple[Post, Analysis]]:
    """`pairs` with the analyses of copies completed from each other (new Analysis objects;
    the given ones are not changed)."""
    parent = list(range(len(pairs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[str, int] = {}
    for i, (post, _) in enumerate(pairs):
        for key in copy_keys(post.text):
            j = first.setdefault(key, i)
            if j != i:
                parent[find(i)] = find(j)
    clusters: dict[int, list[int]] = {}
    for i in range(len(pairs)):
        clusters.setdefault(find(i), []).append(i)
    out = list(pairs)
    for members in clusters.values():
        if len(members) < 2:
            continue
        analyses = [pairs[i][1] for i in members]
        categorised = [a for a in analyses if a.categories and not a.excluded]
        codes = {(a.gemeente_code, a.gemeente) for a in analyses if a.gemeente_code}
        town = next(iter(codes)) if len(codes) == 1 else None
        model = max(categorised, key=lambda a: (a.time_known, a.event_start is not None), default=None)
        for i in members:
            post, a = pairs[i]
            completed = a
            if not a.categories and model is not None and not a.excluded:
                completed = replace(
                    completed,
                    categories=list(model.categories),
                    announced=model.announced,
                    event_start=model.event_start,
                    time_known=model.time_known,
                )
            if not a.gemeente_code and town is not None:
                completed = replace(completed, gemeente_code=town[0], gemeente=town[1])
            if completed is not a:
                out[i] = (post, completed)
    return out
