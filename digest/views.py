"""A signal as it stood at a moment: what the digest and the briefing report about a window.

A digest covers a fixed window (24 hours up to the digest time) whatever time it is built: it
reads each signal as it was known at the end of the window — only posts the service had by
then (fetched and published at or before it), the status a person had set by then — so a
digest built at 09:00 says exactly what the one built at 07:00 said, and a post that arrived
at 07:05 is reported in the next window, never lost and never twice.

Ranking is what the burgemeester must know first: severity of the category, then bevestigd
before onbevestigd, then an event still to come before one that is over, then more
independent sources and more posts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from detectors.summary import summarize
from onrustradar.core.gazetteer import fold
from onrustradar.core.models import OWN_SOURCE, Post, Signal

OFFICIAL = ("official", "news")
OPEN = ("nieuw", "in behandeling")


def known_at(post: Post) -> datetime:
    """When the service knew a post: not before it was fetched, nor before it was published."""
    return max(post.published_at, post.fetched_at) if post.fetched_at else post.published_at


@dataclass(frozen=True, slots=True)
class SignalView:
    signal: Signal  # as stored now: id, categories, place, gemeente, start
    moment: datetime  # the view is of the signal as known at this moment
    posts: int
    sources: int
    reliability: str
    status: str
    announced: bool
    first_seen: datetime
    last_seen: datetime
    last_known: datetime  # when the latest of its posts known at the moment came in
    summary: str
    severity: float
    # (source kind, platform, folded channel) of each post known at the moment: counted in a
    # briefing's "sources consulted", never named there.
    evidence: tuple = ()

    @property
    def kinds(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for kind, _platform, _channel in self.evidence:
            out[kind] = out.get(kind, 0) + 1
        return out

    @property
    def platforms(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for _kind, platform, _channel in self.evidence:
            out[platform] = out.get(platform, 0) + 1
        return out

    @property
    def signal_id(self) -> str:
        return self.signal.signal_id

    @property
    def basis(self) -> str:
        """Why it is (not) bevestigd, from the posts known at the moment (the detectors'
        explanation is of now, and changes as time passes)."""
        if self.reliability != "bevestigd":
            return "onbevestigd: nog geen officiële bron, nieuwsmedium of tweede onafhankelijke bron"
        if self.platforms.get(OWN_SOURCE):
            return "bevestigd door een eigen melding van de gemeente"
        if self.kinds.get("official"):
            return "bevestigd door een officiële bron"
        if self.kinds.get("news"):
            return "bevestigd door een nieuwsmedium"
        if not self.kinds and self.signal.official_sources:
            return "bevestigd door een officiële bron of nieuwsmedium"
        return f"bevestigd door {self.sources} onafhankelijke bronnen"

    @property
    def upcoming(self) -> bool:
        return self.announced and self.signal.event_start is not None and self.signal.event_start >= self.moment

    def rank_key(self) -> tuple:
        return (
            -self.severity,
            self.reliability != "bevestigd",
            not self.upcoming,
            -self.sources,
            -self.posts,
            self.first_seen,
            self.signal_id,
        )


def _status_at(store, signal: Signal, moment: datetime) -> str:
    earlier = [(at, status) for at, status, _actor, _note in store.status_history(signal.signal_id) if at <= moment]
    if earlier:
        return max(earlier, key=lambda e: e[0])[1]
    # A status the system set (verlopen, heropend) has no history row: it counts from its time.
    if signal.status_at is None or signal.status_at <= moment:
        return signal.status
    return "nieuw"


def _origins(posts: list[Post]) -> int:
    """Independent origins among posts: a forward counts as its origin, channels posting the
    same text as one (the detectors' rule, approximated for the posts known at a moment)."""
    parent: dict[str, str] = {}

    def root(key: str) -> str:
        while parent.setdefault(key, key) != key:
            key = parent[key]
        return key

    for post in posts:
        origin = "o:" + post.origin
        text = "t:" + re.sub(r"\W+", " ", fold(post.text)).strip()
        parent[root(origin)] = root(text)
    return len({root(k) for k in parent if k.startswith("o:")})


def view(
    store, signal: Signal, moment: datetime, kind: Callable[[Post], str], severity: dict[str, float]
) -> SignalView | None:
    """The signal as known at `moment`, or None when nothing of it was known yet."""
    stored = store.get_posts(signal.post_ids)
    known = sorted((p for p in stored if known_at(p) <= moment), key=lambda p: (p.published_at, p.id))
    if stored and not known:
        return None
    if not stored and signal.first_seen > moment:
        return None
    sev = max((severity.get(c, 0.5) for c in signal.categories), default=0.5)
    status = _status_at(store, signal, moment)
    if not stored:
        # Posts past retention: the signal's own summary fields are all there is.
        return SignalView(
            signal,
            moment,
            len(signal.post_ids),
            signal.independent_sources,
            signal.reliability,
            status,
            signal.announced,
            signal.first_seen,
            signal.last_seen,
            signal.last_seen,
            summarize(signal, [], kind),
            sev,
        )
    analyses = store.get_analyses([p.id for p in known])
    if len(known) == len(stored):
        # Everything the detectors used was known: their figures stand.
        sources, reliability, announced = signal.independent_sources, signal.reliability, signal.announced
    else:
        official = any(kind(p) in OFFICIAL for p in known)
        sources = min(signal.independent_sources, _origins(known))
        reliability = "bevestigd" if signal.reliability == "bevestigd" and (official or sources >= 2) else "onbevestigd"
        announced = signal.announced and any(a.announced for a in analyses.values())
    evidence = tuple((kind(p), p.source, fold(p.forwarded_from or p.channel)) for p in known)
    return SignalView(
        signal,
        moment,
        len(known),
        sources,
        reliability,
        status,
        announced,
        known[0].published_at,
        max(p.published_at for p in known),
        max(known_at(p) for p in known),
        summarize(signal, known, kind, analyses),
        sev,
        evidence,
    )


def ranked(views: list[SignalView]) -> list[SignalView]:
    """Each signal once, in the order the burgemeester should read them."""
    unique = {v.signal_id: v for v in views}
    return sorted(unique.values(), key=SignalView.rank_key)
