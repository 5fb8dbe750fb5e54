"""Posts with their analyses -> signals: grouped into events, labelled for reliability,
ranked, and explained in Dutch.

One function, `build_signals`, serves `detect` (on a file) and `process` (on the store).
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Callable, Iterable

from onrustradar import nl
from onrustradar.models import Analysis, Post, Signal

SEVERITY = {"incident": 1.0, "demonstratie": 0.8, "supporters": 0.8, "scootermeeting": 0.6}
EXPIRE_AFTER = timedelta(hours=12)  # an event this long past its start is 'verlopen'
REPORT_WINDOW = timedelta(hours=48)  # reports without a start date group within this span

# kind of a post's source: "official", "news" or "social"
SourceKind = Callable[[Post], str]


def default_source_kind(post: Post) -> str:
    return "news" if post.source == "rss" else "social"


@dataclass
class _Group:
    key: tuple
    items: list[tuple[Post, Analysis]] = field(default_factory=list)


def _primary(analysis: Analysis) -> str:
    return max(analysis.categories, key=lambda c: analysis.scores.get(c, 0.0))


def _group_key(post: Post, analysis: Analysis) -> tuple:
    category = _primary(analysis)
    if analysis.event_start is not None:
        day = nl.local(analysis.event_start).date().isoformat()
    else:
        published = nl.local(post.published_at)
        day = "r" + published.date().isoformat()
    return (analysis.gemeente_code or "-", category, day)


def _signal_id(key: tuple) -> str:
    return "sig_" + hashlib.sha1("|".join(key).encode()).hexdigest()[:12]


def build_signals(
    items: Iterable[tuple[Post, Analysis]],
    now: datetime,
    source_kind: SourceKind = default_source_kind,
    previous: Callable[[str], Signal | None] = lambda _id: None,
) -> list[Signal]:
    groups: dict[tuple, _Group] = {}
    for post, analysis in items:
        if not analysis.categories:
            continue
        key = _group_key(post, analysis)
        groups.setdefault(key, _Group(key)).items.append((post, analysis))
    signals = [_to_signal(g, now, source_kind, previous(_signal_id(g.key))) for g in groups.values()]
    signals.sort(key=lambda s: (-s.score, s.signal_id))
    return signals


def _to_signal(group: _Group, now: datetime, source_kind: SourceKind, before: Signal | None) -> Signal:
    posts = [p for p, _ in group.items]
    analyses = [a for _, a in group.items]
    categories = sorted({c for a in analyses for c in a.categories}, key=lambda c: -SEVERITY[c])
    # A forward is the same source as its origin: count origins, not channels.
    origins = {(p.forwarded_from or p.channel).casefold() for p in posts}
    kinds = {(p.forwarded_from or p.channel).casefold(): source_kind(p) for p in posts}
    official = sum(1 for k in kinds.values() if k in ("official", "news"))
    reliability = "bevestigd" if official or len(origins) >= 2 else "onbevestigd"
    timed = [a for a in analyses if a.event_start is not None]
    start, time_known = None, False
    if timed:
        best = max(timed, key=lambda a: (a.time_known, a.scores.get(_primary(a), 0)))
        start, time_known = best.event_start, best.time_known
    announced = any(a.announced for a in analyses)
    place = next((a.place for a in analyses if a.place), None)
    first_seen = min(p.published_at for p in posts)
    last_seen = max(p.published_at for p in posts)
    reach = sum(p.views or 0 for p in posts)

    severity = max(SEVERITY[c] for c in categories)
    sources_factor = 1 + math.log2(len(origins))
    if start is not None:
        hours = (start - now).total_seconds() / 3600
        timing = 1 + 1 / (1 + max(hours, 0) / 24) if hours >= -2 else math.exp(hours / 24)
    else:
        timing = math.exp(-(now - last_seen).total_seconds() / 3600 / 48)
    reach_factor = 1 + 0.1 * math.log10(1 + reach)
    trust = 1.1 if reliability == "bevestigd" else 1.0
    score = round(100 * severity * sources_factor * timing * reach_factor * trust / 4, 2)

    parts = [nl.plural(len(origins), "bron", "bronnen") + (f" ({official} officieel/nieuws)" if official else "")]
    if start is not None:
        verb = "aangekondigd voor" if announced else "op"
        parts.append(f"{verb} {nl.when(start, time_known)}")
    parts.append(nl.plural(len(posts), "bericht", "berichten"))
    if reach:
        parts.append(f"{reach:,} weergaven".replace(",", "."))

    status, status_by, status_at, note = "nieuw", None, None, None
    if before is not None:
        status, status_by, status_at, note = before.status, before.status_by, before.status_at, before.status_note
        if status in ("afgehandeld", "verlopen") and last_seen > before.last_seen:
            status, status_by, status_at, note = "nieuw", "systeem", now, "heropend: nieuwe activiteit"
    ended = (start is not None and now - start > EXPIRE_AFTER) or (start is None and now - last_seen > REPORT_WINDOW)
    if ended and status == "nieuw":
        status, status_by, status_at = "verlopen", "systeem", now

    return Signal(
        signal_id=_signal_id(group.key),
        categories=categories,
        gemeente_code=analyses[0].gemeente_code,
        gemeente=analyses[0].gemeente,
        place=place,
        event_start=start,
        time_known=time_known,
        announced=announced,
        first_seen=first_seen,
        last_seen=last_seen,
        post_ids=[p.id for p in sorted(posts, key=lambda p: p.published_at)],
        independent_sources=len(origins),
        official_sources=official,
        score=score,
        reliability=reliability,
        burst_factor=1.0,
        explanation=" · ".join(parts),
        status=status,
        status_by=status_by,
        status_at=status_at,
        status_note=note,
    )
