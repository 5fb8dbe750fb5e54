"""Classified posts -> ranked, explained, reliability-labelled signals.

One function, `build_signals`, serves `detect` (a file) and `process`/`run`/`demo` (the store):
grouping (detectors.grouping) -> burst (detectors.burst) -> reliability, context, score and a
Dutch explanation a person can check (this module) -> lifecycle status.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import NamedTuple

from detectors.attach import attach_context, cancels
from detectors.burst import Burst, BurstIndex
from detectors.context import ContextEvent, matching
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
    """The source kind when no configured source says: a feed is news, anything else social."""
    return "news" if post.source == "rss" else "social"


def build_signals(
    pairs: list[tuple[Post, Analysis]],
    now: datetime,
    source_kind: SourceKind = default_source_kind,
    previous: Callable[[str], Signal | None] = lambda _id: None,
    seeds: dict[str, list[str]] | None = None,
    settings: DetectorSettings = DetectorSettings(),
    decisions: Sequence[Decision] = (),
    bases: dict[str, float] | None = None,
) -> list[Signal]:
    """Classified posts -> signals, highest score first: copies completed, events grouped (a post
    stays in its `seeds` signal), context, weak events and analysts' `decisions` applied, each
    ranked, labelled and explained; `previous` gives a signal's stored state, so statuses carry over.
    `bases`, when given, receives each signal's score without its `time_factor`, unrounded
    (a tick rescores an untouched signal from it: detectors.incremental.rescore)."""
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
    # Nor is one without a category: an analyst may split off only posts that joined by
    # context (or keyword lists may change under a stored decision); such posts are out of
    # the event, not an event of their own.
    groups = [g for g in groups if g.gemeente_code and g.categories]
    bursts = BurstIndex(relevant)
    signals = []
    for group in groups:
        origins = independent_origins(group, vectors, settings.grouping)
        signal, score = _signal(group, origins, now, source_kind, bursts, settings, previous(group.signal_id))
        signals.append(signal)
        if bases is not None:
            bases[signal.signal_id] = score / time_factor(group.start, group.latest, now)
    signals.sort(key=lambda s: (-s.score, s.signal_id))
    return signals


@dataclass(frozen=True, slots=True)
class _Reliability:
    """How far a group's sources vouch for it."""

    label: str  # "bevestigd" or "onbevestigd"
    sources: int  # independent sources (detectors.grouping.independent_origins)
    official: int  # ... of which official or news
    confirming: Item | None  # the first post from an official or news source, if any


class _Status(NamedTuple):
    status: str
    by: str | None
    at: datetime | None
    note: str | None


def _signal(
    group: Group,
    origins: list[set[str]],
    now: datetime,
    source_kind: SourceKind,
    bursts: BurstIndex,
    settings: DetectorSettings,
    before: Signal | None,
) -> tuple[Signal, float]:
    """One group as a signal: what and where, how reliable, how urgent (the score), why (the
    explanation a person can check) and where it stands (the status); and its score unrounded."""
    posts = [i.post for i in group.items]
    analyses = [i.analysis for i in group.items]
    kinds = {i.origin: source_kind(i.post) for i in group.items}
    reliability = _reliability(group, origins, kinds)
    notice = called_off(group)
    if notice is not None and not reliability.official:
        # called off by its organisers and nothing official says otherwise: the event that
        # was announced is not confirmed to take place
        reliability = replace(reliability, label="onbevestigd")
    categories = _categories(group, settings)
    announced = any(a.announced for a in analyses)
    place, gemeente = _where(group)
    reach = sum(p.views or 0 for p in posts) + sum(p.forwards or 0 for p in posts)
    burst = _burst(group, categories, now, bursts)
    context = matching(list(settings.context), group.gemeente_code, set(categories), group.start or group.latest)
    score = _score(group, categories, now, settings, reliability, reach, burst, context)
    explanation = _explain(group, kinds, reliability, announced, burst, bursts.cfg.window, reach, context)
    if notice is not None:
        # the organisers called it off and nothing says it went ahead: it stays on the board,
        # lower, with who said so
        score *= CALLED_OFF_FACTOR
        explanation += f" · afgelast volgens {notice.post.channel} ({nl.when(notice.post.published_at, True)})"
    status = _lifecycle(group, announced, now, before)
    signal = Signal(
        signal_id=group.signal_id,
        categories=categories,
        gemeente_code=group.gemeente_code,
        gemeente=gemeente,
        place=place,
        event_start=group.start,
        time_known=group.time_known,
        announced=announced,
        first_seen=group.earliest,
        last_seen=group.latest,
        post_ids=[p.id for p in posts],
        independent_sources=reliability.sources,
        official_sources=reliability.official,
        score=round(score, 2),
        reliability=reliability.label,
        burst_factor=burst.factor,
        reach=reach,
        explanation=explanation,
        status=status.status,
        status_by=status.by,
        status_at=status.at,
        status_note=status.note,
    )
    return signal, score


# "Weet iemand of die busontvangst zondag nog doorgaat?", "Missed the meet tonight, heard there
# was a Supra": a question or hearsay about the event is no one reporting it first-hand
# (LABEL_GUIDE: bevestigd needs two independent channels that report it themselves).
HEARSAY = re.compile(
    r"^\W*(?:weet iemand|iemand (?:een |enig )?idee|heeft iemand|klopt het|is het waar|wie weet|gaan jullie|"
    r"anyone|does anyone|is it true)\b|\b(?:heard|missed|gemist|hoorde dat|gehoord dat)\b",
    re.IGNORECASE,
)


def _reliability(group: Group, origins: list[set[str]], kinds: dict[str, str]) -> _Reliability:
    """Bevestigd by an official or news source among the independent ones, or by two
    independent sources of any kind that report it themselves (not a question or hearsay:
    HEARSAY); and the post that confirmed it, for the explanation."""
    official = sum(1 for component in origins if any(kinds[o] in OFFICIAL for o in component))
    reporting = {i.origin for i in group.items if not HEARSAY.search(i.post.text)}
    n_sources = max(1, sum(1 for component in origins if component & reporting))
    label = "bevestigd" if official or n_sources >= 2 else "onbevestigd"
    return _Reliability(label, n_sources, official, _confirming_post(group, kinds))


def _confirming_post(group: Group, kinds: dict[str, str]) -> Item | None:
    official = [i for i in group.items if kinds.get(i.origin) in OFFICIAL]
    return min(official, key=lambda i: (i.post.published_at, i.post.id), default=None)


def _categories(group: Group, settings: DetectorSettings) -> list[str]:
    """The group's categories, by how many posts support them, then by severity."""
    analyses = [i.analysis for i in group.items]
    support = {c: sum(c in a.categories for a in analyses) for c in group.categories}
    return sorted(group.categories, key=lambda c: (-support[c], -settings.severity.get(c, 0.5), c))


def _where(group: Group) -> tuple[str | None, str | None]:
    """The place most of its posts name, as they write it, and the gemeente's name."""
    analyses = [i.analysis for i in group.items]
    # sorted: among places named equally often the same one wins in every process (a set's
    # order changes with the hash seed, and the board's place would flip between runs)
    place = max(
        sorted(group.places),
        key=lambda p: sum(1 for a in analyses if a.place and a.place.casefold() == p),
        default=None,
    )
    place_label = next((a.place for a in analyses if a.place and a.place.casefold() == place), None)
    gemeente = next((a.gemeente for a in analyses if a.gemeente_code == group.gemeente_code and a.gemeente), None)
    return place_label, gemeente


def _burst(group: Group, categories: list[str], now: datetime, bursts: BurstIndex) -> Burst:
    """The strongest burst among its categories in its gemeente, up to just after its last post."""
    burst_end = min(now, group.latest + timedelta(minutes=1))
    return max((bursts.at(group.gemeente_code, c, burst_end) for c in categories), key=lambda b: b.factor)


def _score(
    group: Group,
    categories: list[str],
    now: datetime,
    settings: DetectorSettings,
    reliability: _Reliability,
    reach: int,
    burst: Burst,
    context: ContextEvent | None,
) -> float:
    """Severity × timing, raised by independent sources, reach, a burst, confirmation and a
    calendar event (unrounded; detectors.incremental.rescore recomputes only the timing)."""
    severity = max(settings.severity.get(c, 0.5) for c in categories)
    score = 100 / 4 * severity * time_factor(group.start, group.latest, now)
    score *= 1 + math.log2(reliability.sources)
    score *= 1 + 0.1 * math.log10(1 + reach)
    score *= 1 + 0.3 * math.log2(burst.factor) if burst.factor > 1 else 1
    score *= 1.1 if reliability.label == "bevestigd" else 1.0
    score *= context.weight if context else 1.0
    return score


def time_factor(start: datetime | None, last_seen: datetime, now: datetime) -> float:
    """The part of a score that changes with time alone: soon ranks higher; an event whose
    start has passed, or a report without a start, decays over about a day."""
    if start is not None:
        hours = (start - now).total_seconds() / 3600
        return 1 + 1 / (1 + max(hours, 0) / 24) if hours >= -2 else 2 * math.exp((hours + 2) / 24)
    return 2 * math.exp(-(now - last_seen).total_seconds() / 3600 / 24)


def _explain(
    group: Group,
    kinds: dict[str, str],
    reliability: _Reliability,
    announced: bool,
    burst: Burst,
    burst_window: timedelta,
    reach: int,
    context: ContextEvent | None,
) -> str:
    """The Dutch explanation a person can check: sources and who confirmed it, how the group
    was made, when, how many posts (or the burst), reach and a matching calendar event."""
    official = reliability.official
    parts = [
        nl.plural(reliability.sources, "bron", "bronnen") + (f" ({official} officieel/nieuws)" if official else "")
    ]
    confirming = reliability.confirming
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
        hours = int(burst_window.total_seconds() // 3600)
        parts.append(f"{burst.recent} berichten in {hours} uur ({burst.factor:.0f}× normaal)")
    else:
        parts.append(nl.plural(len(group.items), "bericht", "berichten"))
    if reach:
        parts.append(f"bereik {reach:,}".replace(",", "."))
    if context:
        parts.append(f"{context.label} {nl.when(context.start)}")
    return " · ".join(parts)


CALLED_OFF_FACTOR = 0.3


def called_off(group: Group) -> Item | None:
    """The last notice in the event that it is called off, unless a post with a category came
    after it (it went ahead after all, or was announced again)."""
    notices = [i for i in group.items if i.post.id in group.context_ids and cancels(i.post, i.analysis)]
    if not notices:
        return None
    last = max(notices, key=lambda i: i.post.published_at)
    later = [i for i in group.items if i.analysis.categories and i.post.published_at > last.post.published_at]
    return None if later else last


def _lifecycle(group: Group, announced: bool, now: datetime, before: Signal | None) -> _Status:
    """The status: kept from the signal as it was (an analyst's decision stands), reopened
    when a handled or expired signal gets new posts, and 'verlopen' once the event is over."""
    status = _Status("nieuw", None, None, None)
    if before is not None:
        status = _Status(before.status, before.status_by, before.status_at, before.status_note)
        if status.status in ("afgehandeld", "verlopen") and group.latest > before.last_seen:
            status = _Status("nieuw", "systeem", now, "heropend: nieuwe activiteit")
    # An announced event is over some hours after its start; a report once it has gone quiet.
    if announced and group.start is not None:
        ended = now - group.start > EXPIRE_AFTER
    else:
        ended = now - group.latest > REPORT_EXPIRY
    if ended and status.status == "nieuw":
        status = _Status("verlopen", "systeem", now, status.note)
    elif not ended and status.status == "verlopen" and status.by == "systeem":
        # expired by the rule above, and by the facts as they are now not over: an analyst's
        # split left the report of a later day, or the event moved to a later start
        status = _Status("nieuw", "systeem", now, "heropend: nog niet voorbij")
    return status
