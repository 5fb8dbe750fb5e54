"""The data model: one place for each concept that flows through the pipeline.

sources -> Post -> (nlp) Analysis -> (detectors) Signal -> board and digest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from onrustradar.core.intake import EARLIEST, LATEST_EVER

CATEGORIES = ("demonstratie", "scootermeeting", "supporters", "incident")
# How much a signal of each category weighs in its score (config: detectors.severity).
DEFAULT_SEVERITY = {"incident": 1.0, "demonstratie": 0.8, "supporters": 0.8, "scootermeeting": 0.6}

# Labels the board and the e-mail show for each category.
CATEGORY_LABELS = {
    "demonstratie": "Demonstratie",
    "scootermeeting": "Scootermeeting",
    "supporters": "Supporters",
    "incident": "Incident",
}

SIGNAL_STATUSES = ("nieuw", "in behandeling", "afgehandeld", "verlopen")
RELIABILITY = ("bevestigd", "onbevestigd")

# The gemeente's own information (an "eigen melding", onrustradar.service.meldingen) is stored as a post
# of this platform, with an analysis a person gave (model OWN_MODEL) that no model redoes.
OWN_SOURCE = "eigen"
OWN_MODEL = "eigen-melding"

PSEUDONYM_RE = re.compile(r"^ps_[0-9a-f]{16}$")


def utcnow() -> datetime:
    """The current moment, timezone-aware (UTC): every stored time is aware."""
    return datetime.now(UTC)


# Platforms whose one "channel" is everyone's uploads, not one writer's
UPLOAD_SITES = frozenset({"dumpert"})


def post_id(source: str, source_id: str) -> str:
    """A post's identity: the configured source that fetched it and the source's own id."""
    return f"{source}:{source_id}"


@dataclass(slots=True)
class Post:
    """One public post as collected. `author` is a keyed pseudonym, never a handle."""

    source: str  # platform: telegram, rss, mastodon, reddit, bluesky, dumpert
    source_id: str  # unique within the source, e.g. "channel/123" or a feed guid
    channel: str
    published_at: datetime
    text: str
    url: str | None = None
    author: str | None = None
    fetched_at: datetime = field(default_factory=utcnow)
    source_name: str | None = None  # the configured source that collected it
    views: int | None = None
    forwards: int | None = None
    replies: int | None = None
    forwarded_from: str | None = None

    def __post_init__(self) -> None:
        if self.published_at.tzinfo is None:
            raise ValueError("published_at must be timezone-aware")
        # A fixed sanity window (intake.admit also refuses the future): a date the time code
        # cannot add a few years to never enters the pipeline, whichever path it takes.
        if not EARLIEST <= self.published_at <= LATEST_EVER:
            raise ValueError("published_at lies outside 1990-2100")
        for name in ("views", "forwards", "replies"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
                raise ValueError(f"{name} must be a whole number >= 0")
        if self.author is not None and not PSEUDONYM_RE.match(self.author):
            raise ValueError("author must be a pseudonym (see onrustradar.core.pseudonym)")

    @property
    def id(self) -> str:
        # Identity includes the configured source that fetched the post: one source can never
        # overwrite another's post by reusing its identifier (a guid, another channel's
        # data-post). Posts from files, without a configured source, fall back to the platform.
        return post_id(self.source_name or self.source, self.source_id)

    @property
    def origin(self) -> str:
        """The channel that counts as the post's source: for a forward, the channel it came from;
        on an upload site the upload itself (two Dumpert videos share no channel: two uploaders)."""
        if self.source in UPLOAD_SITES:
            return f"{self.channel}:{self.source_id}".casefold()
        return (self.forwarded_from or self.channel).casefold()

    def export(self) -> dict:
        """The `export posts` JSON object."""
        return {
            "source": self.source,
            "source_id": self.source_id,
            "channel": self.channel,
            "published_at": self.published_at.isoformat(),
            "text": self.text,
            "url": self.url,
        }


@dataclass(slots=True)
class Analysis:
    """What the NLP decided about one post."""

    post_id: str
    categories: list[str]
    scores: dict[str, float]
    gemeente_code: str | None = None
    gemeente: str | None = None
    place: str | None = None
    announced: bool = False
    event_start: datetime | None = None
    time_known: bool = False
    keywords: list[str] = field(default_factory=list)  # "category:term" that matched
    model: str = ""

    @property
    def exclusions(self) -> frozenset[str]:
        """The keyword lists' exclusions that fired ("!incident:oefening" → "oefening")."""
        return frozenset(k.split(":", 1)[-1] for k in self.keywords if k.startswith("!"))

    @property
    def excluded(self) -> bool:
        """A keyword list's exclusion fired ("te koop", "oefening", "recensie"): the post says
        it is no event, so it never joins one by context alone."""
        return any(k.startswith("!") for k in self.keywords)

    def contract(self) -> dict:
        """The `classify` output fields (without the id)."""
        return {
            "categories": self.categories,
            "scores": {c: round(self.scores.get(c, 0.0), 4) for c in CATEGORIES},
            "gemeente": self.gemeente,
            "gemeente_code": self.gemeente_code,
            "announced": self.announced,
            "event_start": self.event_start.isoformat() if self.event_start else None,
            "time_known": self.time_known,
        }


@dataclass(slots=True)
class Signal:
    """One real-world event, built from one or more posts, ranked for attention."""

    signal_id: str
    categories: list[str]
    gemeente_code: str | None
    gemeente: str | None
    first_seen: datetime
    last_seen: datetime
    post_ids: list[str]
    place: str | None = None
    event_start: datetime | None = None
    time_known: bool = False
    announced: bool = False
    independent_sources: int = 1
    official_sources: int = 0
    score: float = 0.0
    reliability: str = "onbevestigd"
    burst_factor: float = 1.0
    reach: int = 0  # views + forwards of its posts, where the source shows them
    explanation: str = ""
    status: str = "nieuw"
    status_by: str | None = None
    status_at: datetime | None = None
    status_note: str | None = None
    # Kept by the store (not the detector): when the signal first appeared there, and when
    # what a person sees of it (posts, reliability, categories, start, status) last changed.
    created_at: datetime | None = None
    changed_at: datetime | None = None

    def contract(self) -> dict:
        """The `detect` output object."""
        return {
            "signal_id": self.signal_id,
            "categories": self.categories,
            "gemeente": self.gemeente,
            "gemeente_code": self.gemeente_code,
            "event_start": self.event_start.isoformat() if self.event_start else None,
            "first_seen": self.first_seen.isoformat(),
            "last_seen": self.last_seen.isoformat(),
            "post_ids": self.post_ids,
            "independent_sources": self.independent_sources,
            "score": round(self.score, 4),
            "reliability": self.reliability,
            "burst_factor": round(self.burst_factor, 2),
            "explanation": self.explanation,
        }
