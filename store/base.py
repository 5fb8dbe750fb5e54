"""The store interface: everything above it (crawlers, nlp, detectors, board, digest) talks
to a Store and never to SQL or Elasticsearch directly."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from onrustradar.core.models import Analysis, Post, Signal


@dataclass(slots=True)
class SignalQuery:
    """Filters of the board's signal list. Empty collections mean 'all'."""

    gemeente_codes: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()
    reliability: frozenset[str] = frozenset()
    statuses: frozenset[str] = frozenset()
    since: datetime | None = None  # last_seen at or after
    limit: int = 200
    assignee: str | None = None  # only signals assigned to this person ("" = to no one)
    # The gemeente scope of the user asking: None = unrestricted (the pipeline itself),
    # an empty set = nothing. Unlike the filters above, never widened by being empty.
    within: frozenset[str] | None = None


@dataclass(slots=True)
class SourceHealth:
    source_name: str
    last_success: datetime | None = None
    last_error: str | None = None
    last_error_at: datetime | None = None
    last_new: int = 0
    total_new: int = 0
    cursor: str | None = None
    posts_per_day: float = 0.0


@dataclass(slots=True)
class Feedback:
    target_type: str  # "post" | "signal"
    target_id: str
    verdict: str  # "terecht" | "onterecht" | "andere categorie"
    actor: str
    category: str | None = None
    keywords: list[str] = field(default_factory=list)
    at: datetime | None = None


@dataclass(slots=True)
class DailyCount:
    day: str  # YYYY-MM-DD, Europe/Amsterdam
    gemeente_code: str | None
    category: str
    posts: int


@dataclass(slots=True)
class OutboxItem:
    key: str
    kind: str
    gemeente: str | None
    recipients: list[str]
    message_id: str
    message: bytes
    status: str = "built"
    snapshot: dict | None = None
    attempts: int = 0
    error: str | None = None
    created_at: datetime | None = None
    sent_at: datetime | None = None


@dataclass(slots=True)
class Quarantined:
    """A post the NLP could not analyse, kept aside with the reason."""

    post_id: str
    source_name: str | None
    reason: str
    at: datetime


@dataclass(slots=True)
class Note:
    """One entry in a signal's triage thread: a note, an assignment or a hand-over."""

    signal_id: str
    kind: str  # "notitie" | "toewijzing" | "overdracht"
    actor: str
    text: str = ""
    assignee: str | None = None  # for toewijzing / overdracht: to whom
    at: datetime | None = None


@dataclass(slots=True)
class Assignment:
    signal_id: str
    assignee: str
    by: str
    at: datetime


@dataclass(slots=True)
class Decision:
    """An analyst's correction of the grouping, applied again after every grouping
    (detectors.overrides), so it survives reprocessing."""

    kind: str  # "merge" | "split"
    signal_id: str  # merge: the signal that stays; split: the new signal of the posts split off
    other_id: str  # merge: the signal merged into it (gone afterwards); split: where they came from
    post_ids: list[str]  # merge: the posts of other_id at the time; split: the posts split off
    keep_post_ids: list[str] = field(default_factory=list)  # merge: the posts of signal_id at the time
    gemeente_code: str | None = None
    actor: str = ""
    at: datetime | None = None


@dataclass(slots=True)
class Visit:
    """A board user's visit: last seen, and the moment since which signals count as new or
    changed for them (the end of their previous visit; None on a first visit)."""

    user_id: str
    seen: datetime
    since: datetime | None = None


@dataclass(slots=True)
class TickStats:
    """The service's ticks: the last one, the last good one, and totals."""

    last_started: datetime
    last_seconds: float
    last_ok: bool
    last_error: str | None
    last_ok_at: datetime | None
    count: int
    failed: int
    longest: float


@dataclass
class GroupRecord:
    """One event as stored between ticks. `state` is what grouping needs, `members` what its
    signal needs (loaded only for the events whose signal is rebuilt)."""

    signal_id: str
    gemeente_code: str | None
    open_until: datetime  # detectors.grouping.is_open: takes no post published after this
    start: datetime | None
    time_known: bool
    last_seen: datetime
    rank: tuple[float, str]  # (time, post id) it entered its gemeente's list: candidate order
    keys: list[str] | None  # "p:" places, "a:" names, "o:" channels, "t:" terms — how posts find it
    # (None when read from the store: unchanged, not rewritten)
    state: dict
    members: dict | None = None
    refresh_at: datetime | None = None
    score_base: float | None = None  # its signal's score without the time factor (rescoring)

    @property
    def post_ids(self) -> list[str]:
        return self.state["post_ids"]


@dataclass
class TextQuery:
    """Events that share one of these text keys ("t:<term>") and whose dates fit: a start in
    [start_lo, start_hi], or no start and a last post in [seen_lo, seen_hi]; only events
    without a gemeente when `unplaced_only`."""

    keys: list[str]
    start_lo: datetime
    start_hi: datetime
    seen_lo: datetime
    seen_hi: datetime
    unplaced_only: bool = False
    gemeente: str | None = None  # instead of keys: the events of this gemeente whose dates fit


@dataclass
class Candidates:
    """What a tick asks the store for: open events (published ≥ `since` can still join) that
    were active within the horizon: of these gemeenten and active since `recent`, with these keys (`unplaced_keys`: only
    events without a gemeente), (for posts naming no place) with a known start in one of these
    windows, or matching one of the dated queries in `texts` (by gemeente or by text keys; text
    keys held by more than `common` events are left out)."""

    since: datetime
    active_since: datetime
    gemeenten: set[str] = field(default_factory=set)  # ... active since `recent` (burst windows)
    recent: datetime | None = None
    keys: set[str] = field(default_factory=set)
    unplaced_keys: set[str] = field(default_factory=set)  # ... of events without a gemeente only
    windows: list[tuple[datetime, datetime]] = field(default_factory=list)
    texts: list[TextQuery] = field(default_factory=list)
    common: int = 100  # a text key of more events than this finds none (see detectors.incremental)


@dataclass(slots=True)
class UpsertResult:
    new: int = 0
    updated: int = 0
    new_ids: list[str] = field(default_factory=list)


class Store(Protocol):
    # posts
    def upsert_posts(self, posts: Iterable[Post]) -> UpsertResult: ...
    def get_posts(self, ids: Iterable[str]) -> list[Post]: ...
    def iter_posts(self, since: datetime | None = None) -> Iterator[Post]: ...
    def count_posts(self) -> int: ...
    def stored_source_ids(self, source: str, source_ids: Iterable[str]) -> set[str]: ...
    def search_posts(self, query: str, gemeente_codes: Iterable[str] = (), limit: int = 50) -> list[Post]: ...
    def purge_posts(self, older_than: datetime) -> int: ...

    # analyses
    def unanalysed_posts(self, limit: int = 5000) -> list[Post]: ...
    def save_analyses(self, analyses: Iterable[Analysis]) -> None: ...
    def analysed_posts(self, since: datetime, relevant_only: bool = True) -> list[tuple[Post, Analysis]]: ...
    def quarantine_post(self, post_id: str, reason: str) -> None: ...
    def quarantined(self, limit: int = 100) -> list[Quarantined]: ...
    def get_analyses(self, post_ids: Iterable[str]) -> dict[str, Analysis]: ...

    # signals
    def upsert_signals(self, signals: Iterable[Signal]) -> None: ...
    def get_signal(self, signal_id: str) -> Signal | None: ...
    def query_signals(self, query: SignalQuery) -> list[Signal]: ...
    def set_signal_status(self, signal_id: str, status: str, by: str, note: str | None = None) -> None: ...

    def status_history(self, signal_id: str) -> list[tuple[datetime, str, str, str | None]]: ...
    def delete_signal(self, signal_id: str) -> bool: ...
    def signals_of_posts(self, post_ids: Iterable[str]) -> dict[str, str]: ...

    # triage: notes, assignments, grouping decisions, each user's last visit
    def add_note(self, note: Note) -> None: ...
    def notes(self, signal_id: str) -> list[Note]: ...
    def assign(self, signal_id: str, assignee: str, by: str) -> None: ...
    def assignments(self, signal_ids: Iterable[str]) -> dict[str, Assignment]: ...
    def add_decision(self, decision: Decision) -> None: ...
    def decisions(self) -> list[Decision]: ...
    def last_visit(self, user_id: str) -> Visit | None: ...
    def set_visit(self, visit: Visit) -> None: ...

    # feedback and trends
    def add_feedback(self, feedback: Feedback) -> None: ...
    def feedback(self) -> list[Feedback]: ...
    def daily_counts(self, since: datetime, gemeente_codes: Iterable[str] = ()) -> list[DailyCount]: ...
    def reset_analyses(self, since: datetime, unless_model: str | None = None) -> int: ...

    # outgoing e-mail (exactly once)
    def outbox_add(self, item: OutboxItem) -> bool: ...
    def outbox_get(self, key: str) -> OutboxItem | None: ...
    def outbox_update(self, key: str, status: str, attempts: int, error: str | None = None) -> None: ...
    def outbox_list(
        self, kind: str | None = None, gemeente: str | None = None, limit: int = 100
    ) -> list[OutboxItem]: ...

    # the audit trail's anchor (row count, head hash, HMAC)
    def audit_anchor(self) -> dict | None: ...
    def set_audit_anchor(self, anchor: dict) -> None: ...

    # crawl bookkeeping
    def get_cursor(self, source_name: str) -> str | None: ...
    def set_cursor(self, source_name: str, value: str) -> None: ...
    def record_crawl(self, source_name: str, new: int, error: str | None = None) -> None: ...
    def source_health(self) -> list[SourceHealth]: ...

    # the service itself (health, soak)
    def record_tick(
        self, started: datetime, seconds: float, ok: bool, error: str | None = None, name: str = "tick"
    ) -> None: ...
    def tick_stats(self, name: str = "tick") -> TickStats | None: ...
    def disk_usage(self) -> tuple[int, int]: ...  # (free bytes, total bytes) where the data lives

    # incremental processing (detectors.incremental, onrustradar.service.incremental)
    def ungrouped_posts(self, since: datetime, limit: int = 5000) -> list[tuple[Post, Analysis]]: ...
    def candidate_groups(self, want: Candidates) -> list[GroupRecord]: ...
    def copies_of(self, keys: Iterable[str], since: datetime) -> list[tuple[Post, Analysis, bool]]: ...
    def due_groups(self, now: datetime, active_since: datetime, limit: int) -> list[GroupRecord]: ...
    def get_signals(self, signal_ids: Iterable[str]) -> dict[str, Signal]: ...
    def save_grouping(
        self,
        records: list[GroupRecord],
        refresh: dict[str, datetime],
        signals: list[Signal],
        grouped: list[str],
        forget_before: datetime | None = None,
    ) -> None: ...
    def make_due(self, now: datetime) -> None: ...
    def mark_ungrouped(self, since: datetime) -> int: ...
    def stale_analyses(self, since: datetime, model: str, limit: int) -> list[Post]: ...
    def count_stale_analyses(self, since: datetime, model: str) -> int: ...
    def signals_seen_between(self, since: datetime | None, until: datetime) -> list[Signal]: ...
    def get_meta(self, key: str) -> str | None: ...
    def set_meta(self, key: str, value: str) -> None: ...

    def close(self) -> None: ...
