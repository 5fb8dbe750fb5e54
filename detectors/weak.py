"""Events no single post names: several posts just under the category threshold, in one
gemeente, on one day, about one place or in the same words.

"Donderdag komen de buitenlanders, ze zitten op het Waagplein vanaf 15:00", "Waagplein is full
of away fans singing", "Op het Waagplein vliegen stoelen en flessen": no post reaches the
supporters threshold on its own, together they are an event. A weak event needs at least
`WEAK_POSTS` posts from at least two channels (a call copied by other channels is how a call
spreads), each with some score for the same category, linked by a shared place name or similar
text, and a combined score (noisy-or) of `WEAK_COMBINED`. Posts without a gemeente of their own
never seed one: the board is per gemeente, and a guess from a channel's name is only a hint.
"""

from __future__ import annotations

from datetime import date

from detectors.anchors import anchors
from detectors.grouping import Group, Item, signal_id_for
from detectors.similarity import SparseVector, dot, rows_as_dicts, vectorize
from nlp import timex
from onrustradar.core import nl
from onrustradar.core.models import Analysis, Post

WEAK_MIN = 0.2  # a post's least score for the category to count at all
WEAK_COMBINED = 0.7  # 1 - prod(1 - score) over the posts
WEAK_POSTS = 2
WEAK_SIMILAR = 0.25  # text this similar links two posts without a shared place name


def _when(post: Post, analysis: Analysis) -> timex.TimeResult:
    """The time the post speaks of (the pipeline dates only posts with a category)."""
    if analysis.event_start is not None:
        return timex.TimeResult(analysis.event_start, analysis.time_known, analysis.announced)
    return timex.resolve(post.text, post.published_at)


def weak_events(
    pairs: list[tuple[Post, Analysis]], taken: set[str], first_row: int
) -> tuple[list[Group], list[SparseVector]]:
    """Groups for the weak events among the posts not in `taken`; returns them and the vectors
    of their posts, numbered from `first_row` (Item.row)."""
    pool: dict[tuple[str, str, date], list[tuple[Post, Analysis]]] = {}
    when: dict[str, timex.TimeResult] = {}
    for post, analysis in pairs:
        if post.id in taken or analysis.categories or analysis.excluded or not analysis.gemeente_code:
            continue
        kinds = [c for c, score in analysis.scores.items() if score >= WEAK_MIN]
        if not kinds:
            continue
        when[post.id] = _when(post, analysis)
        day = nl.local(when[post.id].start or post.published_at).date()
        for category in kinds:
            pool.setdefault((analysis.gemeente_code, category, day), []).append((post, analysis))
    groups: list[Group] = []
    vectors_out: list[SparseVector] = []
    used: set[str] = set()
    # strongest candidates first, so a post goes to the category it speaks of most
    ranked = sorted(pool.items(), key=lambda kv: -_combined(kv[1], kv[0][1]))
    for (_code, category, _), members in ranked:
        members = [(p, a) for p, a in members if p.id not in used]
        if len(members) < WEAK_POSTS or _combined(members, category) < WEAK_COMBINED:
            continue
        component = _linked(members)
        if (
            len(component) < WEAK_POSTS
            or len({p.origin for p, _ in component}) < 2
            or _combined(component, category) < WEAK_COMBINED
        ):
            continue
        component.sort(key=lambda pa: (pa[0].published_at, pa[0].id))
        vectors = rows_as_dicts(vectorize([p.text for p, _ in component]))
        group = Group(signal_id_for(component[0][0].id))
        for (post, analysis), vector in zip(component, vectors):
            group.add(Item(post, analysis, first_row + len(vectors_out)), vector)
            vectors_out.append(vector)
            used.add(post.id)
        group.categories = {category}
        group.weak = True
        if group.start is None:
            dated = [when[p.id] for p, _ in component if when[p.id].start is not None]
            if dated:
                best = max(dated, key=lambda w: (w.time_known, w.announced))
                group.start, group.time_known = best.start, best.time_known
        groups.append(group)
    return groups, vectors_out


def _combined(members: list[tuple[Post, Analysis]], category: str) -> float:
    miss = 1.0
    for _, analysis in members:
        miss *= 1.0 - analysis.scores.get(category, 0.0)
    return 1.0 - miss


def _linked(members: list[tuple[Post, Analysis]]) -> list[tuple[Post, Analysis]]:
    """The largest set of posts connected by a shared place name or similar text."""
    vectors = rows_as_dicts(vectorize([p.text for p, _ in members]))
    names = [anchors(p.text) | ({a.place.casefold()} if a.place else set()) for p, a in members]
    parent = list(range(len(members)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(members)):
        for j in range(i + 1, len(members)):
            if names[i] & names[j] or dot(vectors[i], vectors[j]) >= WEAK_SIMILAR:
                parent[find(i)] = find(j)
    sets: dict[int, list[int]] = {}
    for i in range(len(members)):
        sets.setdefault(find(i), []).append(i)
    best = max(sets.values(), key=len)
    return [members[i] for i in best]
