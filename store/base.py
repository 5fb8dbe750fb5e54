"""The store interface: everything above it (crawlers, nlp, detectors, board, digest) talks
to a Store and never to SQL or Elasticsearch directly."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
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
    """One crawled source's bookkeeping: last success and error, new posts, cursor, volume."""

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
    """A person's verdict on a post or signal (learned from by `train --with-feedback`)."""

    target_type: str  # "post" | "signal"
    target_id: str
    verdict: str  # "terecht" | "onterecht" | "andere categorie"
    actor: str
    category: str | None = None
    keywords: list[str] = field(default_factory=list)
    at: datetime | None = None


@dataclass(slots=True)
class DailyCount:
    """Relevant posts of one day, gemeente and category (the board's and digest's trends)."""

    day: str  # YYYY-MM-DD, Europe/Amsterdam
    gemeente_code: str | None
    category: str
    posts: int


@dataclass(slots=True)
class OutboxItem:
    """One outgoing e-mail under its unique key: built once, sent at most once."""

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
    """Who a signal is assigned to now, by whom and since when."""

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
    """What upsert_posts did: how many posts were new or updated, and the new ids."""

    new: int = 0
    updated: int = 0
    new_ids: list[str] = field(default_factory=list)


class Store(Protocol):
    """What every backend (store.sqlite.SQLiteStore, store.elastic.ElasticStore) offers.

    `within` is a user's gemeente scope (onrustradar.service.scoped.ScopedStore passes it): None means
    unrestricted (the pipeline itself), an empty collection means nothing, never everything.
    store/_conformance.py has mypy check that both backends keep to this interface.
    """

    # posts
    def upsert_posts(self, posts: Iterable[Post]) -> UpsertResult:
        """Store new posts and refresh known ones (keyed on id: a re-crawl never duplicates); an edited
        text drops its analysis. Returns the counts of new and updated posts and the new ids."""
        ...

    def get_posts(self, ids: Iterable[str], within: Collection[str] | None = None) -> list[Post]:
        """The stored posts of these ids in the order asked (unknown or out-of-scope ids left out)."""
        ...

    def iter_posts(self, since: datetime | None = None) -> Iterator[Post]:
        """Every post published at or after `since` (all when None), oldest first."""
        ...

    def count_posts(self) -> int:
        """The number of posts stored."""
        ...

    def stored_source_ids(self, source: str, source_ids: Iterable[str]) -> set[str]:
        """Which of these platform ids of `source` are stored already, whichever source fetched them."""
        ...

    def search_posts(
        self, query: str, gemeente_codes: Iterable[str] = (), limit: int = 50, within: Collection[str] | None = None
    ) -> list[Post]:
        """Posts holding every word of `query` (prefix match), newest first, at most `limit`."""
        ...

    def posts_by_author(self, author: str) -> list[Post]:
        """The posts of this pseudonym and others' forwards of them, oldest first (subject requests)."""
        ...

    def delete_posts(self, ids: Iterable[str]) -> int:
        """Delete these posts with their analyses, leaving no text recoverable; returns how many were deleted."""
        ...

    def purge_posts(self, older_than: datetime) -> int:
        """Retention: delete every post published before `older_than`; returns how many were removed."""
        ...

    # analyses
    def unanalysed_posts(self, limit: int = 5000) -> list[Post]:
        """Up to `limit` posts not analysed yet, oldest first; an invalid stored post is quarantined instead."""
        ...

    def save_analyses(self, analyses: Iterable[Analysis]) -> None:
        """Store these analyses, replacing any earlier analysis of the same post (idempotent)."""
        ...

    def analysed_posts(self, since: datetime, relevant_only: bool = True) -> list[tuple[Post, Analysis]]:
        """The analysed posts published since `since` with their analyses, oldest first."""
        ...

    def quarantine_post(self, post_id: str, reason: str) -> None:
        """Set this post aside with the reason the NLP could not analyse it (it is not offered again)."""
        ...

    def quarantined(self, limit: int = 100) -> list[Quarantined]:
        """The posts set aside, most recent first, at most `limit`."""
        ...

    def get_analyses(self, post_ids: Iterable[str], within: Collection[str] | None = None) -> dict[str, Analysis]:
        """The analyses of these posts by post id (posts without one, or out of scope, left out)."""
        ...

    # signals
    def upsert_signals(self, signals: Iterable[Signal]) -> None:
        """Store detector output as it is, noting when each signal first came and when what a person
        sees of it last changed (the board's markers)."""
        ...

    def get_signal(self, signal_id: str, within: Collection[str] | None = None) -> Signal | None:
        """The signal of this id, or None when unknown or out of scope."""
        ...

    def query_signals(self, query: SignalQuery) -> list[Signal]:
        """The signals matching the board's filters (and `query.within`), highest score first."""
        ...

    def set_signal_status(
        self, signal_id: str, status: str, by: str, note: str | None = None, within: Collection[str] | None = None
    ) -> None:
        """Set a person's status decision and log it in the signal's history; KeyError when unknown or out of scope."""
        ...

    def status_history(
        self, signal_id: str, within: Collection[str] | None = None
    ) -> list[tuple[datetime, str, str, str | None]]:
        """The signal's status changes as (at, status, actor, note), oldest first; empty when out of scope."""
        ...

    def delete_signal(self, signal_id: str, within: Collection[str] | None = None) -> bool:
        """Remove a signal (one merged into another), keeping its thread and history; False when not there."""
        ...

    def signals_of_posts(self, post_ids: Iterable[str], within: Collection[str] | None = None) -> dict[str, str]:
        """For each of these posts that is in a signal (in scope): that signal's id."""
        ...

    # triage: notes, assignments, grouping decisions, each user's last visit
    def add_note(self, note: Note, within: Collection[str] | None = None) -> None:
        """Append an entry to the signal's triage thread; KeyError when the signal is out of scope."""
        ...

    def notes(self, signal_id: str, within: Collection[str] | None = None) -> list[Note]:
        """The signal's triage thread, oldest first; empty when out of scope."""
        ...

    def assign(self, signal_id: str, assignee: str, by: str, within: Collection[str] | None = None) -> None:
        """Make `assignee` the signal's one assignee (replacing any earlier); KeyError when unknown or out of scope."""
        ...

    def assignments(self, signal_ids: Iterable[str], within: Collection[str] | None = None) -> dict[str, Assignment]:
        """The current assignment of each of these signals that has one (in scope), by signal id."""
        ...

    def add_decision(self, decision: Decision) -> None:
        """Keep an analyst's merge or split, to be applied again after every grouping."""
        ...

    def decisions(self, within: Collection[str] | None = None) -> list[Decision]:
        """The grouping decisions in the order they were made (in scope)."""
        ...

    def last_visit(self, user_id: str) -> Visit | None:
        """This board user's last visit, or None before their first."""
        ...

    def set_visit(self, visit: Visit) -> None:
        """Record a board user's visit, replacing the previous one."""
        ...

    # feedback and trends
    def add_feedback(self, feedback: Feedback) -> None:
        """Store a verdict; one per person per target: a second replaces the first."""
        ...

    def feedback(self, within: Collection[str] | None = None) -> list[Feedback]:
        """Every verdict, oldest first (in scope: on signals and analysed posts of these gemeenten)."""
        ...

    def daily_counts(
        self, since: datetime, gemeente_codes: Iterable[str] = (), within: Collection[str] | None = None
    ) -> list[DailyCount]:
        """Relevant posts per day (Europe/Amsterdam), gemeente and category since `since`, in day order."""
        ...

    def reset_analyses(self, since: datetime, unless_model: str | None = None) -> int:
        """Forget the analyses of posts since `since` (except those of `unless_model` and eigen meldingen)
        so they are analysed again; returns how many were forgotten."""
        ...

    # outgoing e-mail (exactly once)
    def outbox_add(self, item: OutboxItem) -> bool:
        """Store a built message under its key; False when the key exists already (never twice)."""
        ...

    def outbox_get(self, key: str) -> OutboxItem | None:
        """The outbox item of this key, or None."""
        ...

    def outbox_update(self, key: str, status: str, attempts: int, error: str | None = None) -> None:
        """Record a delivery attempt's outcome (status "sent" also notes the moment it was sent)."""
        ...

    def outbox_list(
        self,
        kind: str | None = None,
        gemeente: str | None = None,
        limit: int = 100,
        within_names: Collection[str] | None = None,
    ) -> list[OutboxItem]:
        """Outbox items, newest first, at most `limit`; `within_names` scopes by gemeente code or name."""
        ...

    # the audit trail's anchor (row count, head hash, HMAC)
    def audit_anchor(self) -> dict | None:
        """The audit trail's anchor ({"rows", "head", "mac"}), or None before the first."""
        ...

    def set_audit_anchor(self, anchor: dict) -> None:
        """Replace the audit trail's anchor."""
        ...

    # crawl bookkeeping
    def get_cursor(self, source_name: str) -> str | None:
        """Where this source's crawl left off, or None."""
        ...

    def set_cursor(self, source_name: str, value: str) -> None:
        """Remember where this source's crawl left off."""
        ...

    def record_crawl(self, source_name: str, new: int, error: str | None = None) -> None:
        """Note one crawl of this source: its new posts and, when it failed, the error."""
        ...

    def source_health(self) -> list[SourceHealth]:
        """Each crawled source's last success and error, totals, cursor and posts per day, by name."""
        ...

    # the service itself (health, soak)
    def record_tick(
        self, started: datetime, seconds: float, ok: bool, error: str | None = None, name: str = "tick"
    ) -> None:
        """Note one run of the service loop `name`: when, how long, and whether it succeeded."""
        ...

    def tick_stats(self, name: str = "tick") -> TickStats | None:
        """The runs of the service loop `name` so far, or None before the first."""
        ...

    def disk_usage(self) -> tuple[int, int]:
        """(free bytes, total bytes) where the data lives."""
        ...

    # incremental processing (detectors.incremental, onrustradar.service.incremental)
    def ungrouped_posts(self, since: datetime, limit: int = 5000) -> list[tuple[Post, Analysis]]:
        """Relevant analysed posts since `since` that no tick has put in an event yet, oldest first."""
        ...

    def candidate_groups(self, want: Candidates) -> list[GroupRecord]:
        """The open events a tick's new posts may join (see Candidates), without their members."""
        ...

    def copies_of(self, keys: Iterable[str], since: datetime) -> list[tuple[Post, Analysis, bool]]:
        """Analysed posts since `since` holding one of these text keys, with whether they are grouped already."""
        ...

    def due_groups(self, now: datetime, active_since: datetime, limit: int) -> list[GroupRecord]:
        """Events whose signal is due for a time-only recomputation, most overdue first, at most `limit`."""
        ...

    def gemeente_groups(self, codes: Iterable[str], active_since: datetime) -> list[GroupRecord]:
        """Every event of these gemeenten active since `active_since`, without members."""
        ...

    def unplaced_groups(self, keys: Iterable[str], active_since: datetime) -> list[GroupRecord]:
        """Events without a gemeente holding one of these keys, active since `active_since`, without members."""
        ...

    def context_posts(
        self, codes: Iterable[str], since: datetime, unplaced: bool = True
    ) -> list[tuple[Post, Analysis]]:
        """Analysed posts without a category since `since`, of these gemeenten and (unless
        `unplaced` is False) of none: context. A tick reads the ones without a gemeente once."""
        ...

    def placed_context_posts(
        self, since: datetime, until: datetime, origins: Iterable[str], names: Iterable[str]
    ) -> list[tuple[Post, Analysis]]:
        """Analysed posts without a category that name a gemeente, published from `since` to
        `until`, at least those from one of these `origins` (Post.origin) or holding one of
        these `names` (detectors.anchors; the caller tests each): the posts that can give an
        event without a gemeente one."""
        ...

    def set_refresh(self, items: dict[str, tuple[datetime, float | None]]) -> None:
        """Per event id: when its signal is next recomputed, and its score without the time factor."""
        ...

    def get_signals(self, signal_ids: Iterable[str]) -> dict[str, Signal]:
        """The stored signals of these ids, by id (unknown ids left out)."""
        ...

    def save_grouping(
        self,
        records: list[GroupRecord],
        refresh: dict[str, datetime],
        signals: list[Signal],
        grouped: list[str],
        forget_before: datetime | None = None,
    ) -> None:
        """One tick's writes: changed events, refresh times, signals and grouped posts; events
        inactive since `forget_before` are dropped."""
        ...

    def make_due(self, now: datetime) -> None:
        """Make every event's signal due for recomputation at `now`."""
        ...

    def mark_ungrouped(self, since: datetime) -> int:
        """Forget every event so the posts since `since` are grouped again; returns how many posts."""
        ...

    def stale_analyses(self, since: datetime, model: str, limit: int) -> list[Post]:
        """Posts since `since` analysed by another model than `model` (never eigen meldingen), oldest first."""
        ...

    def count_stale_analyses(self, since: datetime, model: str) -> int:
        """How many posts `stale_analyses` would find without a limit."""
        ...

    def signals_seen_between(self, since: datetime | None, until: datetime) -> list[Signal]:
        """Signals whose last post lies in [since, until) (from the beginning when `since` is None)."""
        ...

    def get_meta(self, key: str) -> str | None:
        """The engine's bookkeeping value of this key, or None."""
        ...

    def set_meta(self, key: str, value: str) -> None:
        """Set (replace) the engine's bookkeeping value of this key."""
        ...

    def close(self) -> None:
        """Release the connection; the store is not used afterwards."""
        ...
