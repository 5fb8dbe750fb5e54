"""Classified posts -> ranked, explained, reliability-labelled signals.

One function, `build_signals`, serves `detect` (a file) and `process`/`run`/`demo` (the store):
grouping (detectors.grouping) -> burst (detectors.burst) -> reliability, context, score and a
Dutch explanation a person can check (this module) -> lifecycle status.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from detectors.attach import attach_context
from detectors.burst import BurstIndex
from detectors.context import matching
from detectors.copies import share_copies
from detectors.grouping import Group, Item, group_posts, independent_origins
from detectors.overrides import apply_decisions
from detectors.settings import DetectorSettings
from detectors.weak import weak_events
from onrustradar.core import nl
from onrustradar.core.models import Analysis, Post, Signal
from store.base import Decision

EXPIRE_AFTER = timedelta(hours=12)  # an event this long past its start is 'verlopen'
REPORT_EXPIRY = timedelta(hours=48)  # a report without a start, this long after its last post
OFFICIAL = ("official", "news")

# kind of a post's source: "official", "news" or "social"
SourceKind = Callable[[Post], str]


def default_source_kind(post: Post) -> str:
    return "news" if post.source == "rss" else "social"


def build_signals(
    pairs: list[tuple[Post, Analysis]],
    now: datetime,
    source_kind: SourceKind = default_source_kind,
    previous: Callable[[str], Signal | None] = lambda _id: None,
    seeds: dict[str, list[str]] | None = None,
    settings: DetectorSettings = DetectorSettings(),
    decisions: Sequence[Decision] = (),
) -> list[Signal]:
    pairs = share_copies(pairs)  # a forward's copies complete each other's analysis (detectors.copies)
    relevant = [(p, a) for p, a in pairs if a.categories]
    groups, vectors = group_posts(relevant, settings.grouping, seeds)
    vectors += attach_context(groups, pairs, settings.grouping, len(vectors))
    # What is left may still be an event no single post names; its own context joins it.
    taken = {i.post.id for g in groups for i in g.items}
    weak, weak_vectors = weak_events(pairs, taken, len(vectors))
    if weak:
        vectors += weak_vectors
        taken.update(i.post.id for g in weak for i in g.items)
        vectors += attach_context(weak, [pa for pa in pairs if pa[0].id not in taken], settings.grouping, len(vectors))
        groups += weak
    # Analysts' merges and splits (detectors.overrides), after grouping so they survive it.
    groups = apply_decisions(groups, vectors, decisions)
    # A group without a gemeente is no signal: the board is per gemeente, and a post that
    # names no place joins an event only by clear evidence (detectors.grouping).
    groups = [g for g in groups if g.gemeente_code]
    bursts = BurstIndex(relevant)
    signals = []
    for group in groups:
        origins = independent_origins(group, vectors, settings.grouping)
        signals.append(_signal(group, origins, now, source_kind, bursts, settings, previous(group.signal_id)))
    signals.sort(key=lambda s: (-s.score, s.signal_id))
    return signals


def _confirming_post(group: Group, kinds: dict[str, str]) -> Item | None:
    official = [i for i in group.items if kinds.get(i.origin) in OFFICIAL]
    return min(official, key=lambda i: (i.post.published_at, i.post.id), default=None)


def _signal(
    group: Group,
    origins: list[set[str]],
    now: datetime,
    source_kind: SourceKind,
    bursts: BurstIndex,
    settings: DetectorSettings,
    before: Signal | None,
) -> Signal:
    posts = [i.post for i in group.items]
    analyses = [i.analysis for i in group.items]
    kinds = {i.origin: source_kind(i.post) for i in group.items}
    official = sum(1 for component in origins if any(kinds[o] in OFFICIAL for o in component))
    n_sources = len(origins)
    reliability = "bevestigd" if official or n_sources >= 2 else "onbevestigd"
    # Order categories by how many posts support them, then by severity.
    support = {c: sum(c in a.categories for a in analyses) for c in group.categories}
    categories = sorted(group.categories, key=lambda c: (-support[c], -settings.severity.get(c, 0.5), c))
    announced = any(a.announced for a in analyses)
    place = max(
        group.places, key=lambda p: sum(1 for a in analyses if a.place and a.place.casefold() == p), default=None
    )
    place_label = next((a.place for a in analyses if a.place and a.place.casefold() == place), None)
    gemeente = next((a.gemeente for a in analyses if a.gemeente_code == group.gemeente_code and a.gemeente), None)
    reach = sum(p.views or 0 for p in posts) + sum(p.forwards or 0 for p in posts)

    burst_end = min(now, group.latest + timedelta(minutes=1))
    burst = max((bursts.at(group.gemeente_code, c, burst_end) for c in categories), key=lambda b: b.factor)
    context = matching(list(settings.context), group.gemeente_code, set(categories), group.start or group.latest)

    severity = max(settings.severity.get(c, 0.5) for c in categories)
    if group.start is not None:
        hours = (group.start - now).total_seconds() / 3600
        # Soon ranks higher; an event whose start has passed decays over about a day.
        timing = 1 + 1 / (1 + max(hours, 0) / 24) if hours >= -2 else 2 * math.exp((hours + 2) / 24)
    else:
        timing = 2 * math.exp(-(now - group.latest).total_seconds() / 3600 / 24)
    score = 100 / 4 * severity * timing
    score *= 1 + math.log2(n_sources)
    score *= 1 + 0.1 * math.log10(1 + reach)
    score *= 1 + 0.3 * math.log2(burst.factor) if burst.factor > 1 else 1
    score *= 1.1 if reliability == "bevestigd" else 1.0
    score *= context.weight if context else 1.0

    parts = [nl.plural(n_sources, "bron", "bronnen") + (f" ({official} officieel/nieuws)" if official else "")]
    confirming = _confirming_post(group, kinds)
    if confirming is not None:
        # Which post made it bevestigd: the first from an official or news source.
        kind = "officieel" if kinds[confirming.origin] == "official" else "nieuws"
        parts.append(
            f"bevestigd door {kind}: {confirming.post.channel} ({nl.when(confirming.post.published_at, True)})"
        )
    if group.weak:
        parts.append("samengesteld uit berichten die elk onder de drempel blijven")
    if group.context_ids:
        parts.append(f"{len(group.context_ids)} via context")
    if group.start is not None:
        verb = "aangekondigd voor" if announced else "op"
        parts.append(f"{verb} {nl.when(group.start, group.time_known)}")
    if burst.emerging:
        hours = int(bursts.cfg.window.total_seconds() // 3600)
        parts.append(f"{burst.recent} berichten in {hours} uur ({burst.factor:.0f}× normaal)")
    else:
        parts.append(nl.plural(len(posts), "bericht", "berichten"))
    if reach:
        parts.append(f"bereik {reach:,}".replace(",", "."))
    if context:
        parts.append(f"{context.label} {nl.when(context.start)}")

    status, status_by, status_at, note = "nieuw", None, None, None
    if before is not None:
        status, status_by, status_at, note = before.status, before.status_by, before.status_at, before.status_note
        if status in ("afgehandeld", "verlopen") and group.latest > before.last_seen:
            status, status_by, status_at, note = "nieuw", "systeem", now, "heropend: nieuwe activiteit"
    # An announced event is over some hours after its start; a report once it has gone quiet.
    if announced and group.start is not None:
        ended = now - group.start > EXPIRE_AFTER
    else:
        ended = now - group.latest > REPORT_EXPIRY
    if ended and status == "nieuw":
        status, status_by, status_at, note = "verlopen", "systeem", now, note

    return Signal(
        signal_id=group.signal_id,
        categories=categories,
        gemeente_code=group.gemeente_code,
        gemeente=gemeente,
        place=place_label,
        event_start=group.start,
        time_known=group.time_known,
        announced=announced,
        first_seen=group.earliest,
        last_seen=group.latest,
        post_ids=[p.id for p in posts],
        independent_sources=n_sources,
        official_sources=official,
        score=round(score, 2),
        reliability=reliability,
        burst_factor=burst.factor,
        reach=reach,
        explanation=" · ".join(parts),
        status=status,
        status_by=status_by,
        status_at=status_at,
        status_note=note,
    )
