"""The store as one user may see it: only their gemeenten, on every query path.

The board never holds the full store: it gets a ScopedStore, which exposes just the reads and
actions a person can take and passes the user's gemeente scope into each query, where the
backend applies it (SQL `IN`, Elasticsearch `terms` filter). Posts without a resolved
gemeente belong to no one's scope. Anything not defined here is not reachable from the board.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import datetime

from detectors.overrides import DecisionError, merge_stored, split_stored
from onrustradar.core.gazetteer import gazetteer
from onrustradar.core.models import Analysis, Post, Signal
from store.base import (
    Assignment,
    DailyCount,
    Decision,
    Feedback,
    Note,
    OutboxItem,
    Quarantined,
    SignalQuery,
    SourceHealth,
    Store,
    Visit,
)


def _gemeente_name(code: str) -> str:
    """The name of the gemeente of this CBS code (outbox items may name their gemeente either way)."""
    gemeente = gazetteer().gemeente(code)
    if gemeente is None:  # a user's codes are gazetteer codes; an unknown one is a config error
        raise KeyError(code)
    return gemeente.name


class ScopedStore:
    """A Store seen through one user's gemeente scope: the reads and actions of the board only."""

    def __init__(self, store: Store, gemeente_codes: Iterable[str]):
        self._store = store
        self.codes = frozenset(gemeente_codes)
        self.names = frozenset(_gemeente_name(c) for c in self.codes)

    # signals
    def query_signals(self, query: SignalQuery) -> list[Signal]:
        """The signals matching the filters, within this scope only."""
        return self._store.query_signals(replace(query, within=self.codes))

    def get_signal(self, signal_id: str) -> Signal | None:
        """The signal, or None when unknown or out of scope."""
        return self._store.get_signal(signal_id, within=self.codes)

    def set_signal_status(self, signal_id: str, status: str, by: str, note: str | None = None) -> None:
        """Set and log a status decision; KeyError when the signal is out of scope."""
        self._store.set_signal_status(signal_id, status, by, note, within=self.codes)

    def status_history(self, signal_id: str) -> list[tuple[datetime, str, str, str | None]]:
        """The signal's status changes, oldest first; empty when out of scope."""
        return self._store.status_history(signal_id, within=self.codes)

    def signals_of_posts(self, post_ids: Iterable[str]) -> dict[str, str]:
        """For each of these posts in a signal of this scope: that signal's id."""
        return self._store.signals_of_posts(post_ids, within=self.codes)

    # triage: the thread of notes, assignments and hand-overs; merge and split
    def add_note(self, note: Note) -> None:
        """Append to the signal's triage thread; KeyError when the signal is out of scope."""
        self._store.add_note(note, within=self.codes)

    def notes(self, signal_id: str) -> list[Note]:
        """The signal's triage thread; empty when out of scope."""
        return self._store.notes(signal_id, within=self.codes)

    def assign(self, signal_id: str, assignee: str, by: str) -> None:
        """Assign the signal to `assignee`; KeyError when unknown or out of scope."""
        self._store.assign(signal_id, assignee, by, within=self.codes)

    def assignments(self, signal_ids: Iterable[str]) -> dict[str, Assignment]:
        """The current assignments of these signals, within this scope."""
        return self._store.assignments(signal_ids, within=self.codes)

    def decisions(self) -> list[Decision]:
        """The merges and splits made within this scope, in order."""
        return self._store.decisions(within=self.codes)

    def merge_signals(self, keep_id: str, other_id: str, actor: str) -> Signal:
        """Merge `other_id` into `keep_id` (both in scope, one gemeente); the decision is kept
        and applied after every grouping (detectors.overrides)."""

        keep, other = self.get_signal(keep_id), self.get_signal(other_id)
        if keep is None or other is None:
            raise KeyError(keep_id if keep is None else other_id)
        merged, decision = merge_stored(keep, other, actor)
        self._store.add_decision(decision)
        self._store.upsert_signals([merged])
        self._store.delete_signal(other_id, within=self.codes)
        return merged

    def split_signal(self, signal_id: str, post_ids: Iterable[str], actor: str) -> Signal:
        """Split these posts off into a signal of their own; kept and applied like a merge."""

        signal = self.get_signal(signal_id)
        if signal is None:
            raise KeyError(signal_id)
        post_ids = list(post_ids)
        # (the signal is in scope, so are its posts: one that joined by context may name no gemeente)
        analyses = self._store.get_analyses(signal.post_ids)
        kinds = {pid: bool(a.categories) for pid, a in analyses.items()}
        chosen = [p for p in signal.post_ids if p in set(post_ids)]
        if kinds and chosen and not any(kinds.get(p, True) for p in chosen):
            raise DecisionError(
                "Deze berichten horen alleen via context bij het signaal en vormen geen gebeurtenis op zich; "
                "kies minstens één bericht met een categorie."
            )
        left = [p for p in signal.post_ids if p not in chosen]
        if kinds and chosen and left and not any(kinds.get(p, True) for p in left):
            raise DecisionError(
                "Dan blijven alleen berichten via context over; laat minstens één bericht met een categorie achter."
            )
        rest, new, decision = split_stored(signal, post_ids, actor)
        self._store.add_decision(decision)
        self._store.upsert_signals([rest, new])
        return new

    # each board user's previous visit (the board marks what is new since then)
    def last_visit(self, user_id: str) -> Visit | None:
        """This user's previous visit, or None (visits are per person, not per gemeente)."""
        return self._store.last_visit(user_id)

    def set_visit(self, visit: Visit) -> None:
        """Record this user's visit."""
        self._store.set_visit(visit)

    # posts and analyses
    def get_posts(self, ids: Iterable[str]) -> list[Post]:
        """These posts in the order asked, only those analysed into this scope."""
        return self._store.get_posts(ids, within=self.codes)

    def get_analyses(self, post_ids: Iterable[str]) -> dict[str, Analysis]:
        """The analyses of these posts by post id, only those in this scope."""
        return self._store.get_analyses(post_ids, within=self.codes)

    def search_posts(self, query: str, gemeente_codes: Iterable[str] = (), limit: int = 50) -> list[Post]:
        """Posts of this scope holding every word of `query`, newest first."""
        return self._store.search_posts(query, gemeente_codes, limit, within=self.codes)

    def analysed_posts(self, since: datetime, relevant_only: bool = True) -> list[tuple[Post, Analysis]]:
        """The analysed posts of this scope published since `since`, with their analyses."""
        # For the keyword backtest; the backends' time-window read has no scope parameter,
        # so the scope is applied by a second, scoped query on the ids.
        pairs = self._store.analysed_posts(since, relevant_only)
        allowed = self._store.get_analyses([p.id for p, _ in pairs], within=self.codes)
        return [(p, a) for p, a in pairs if p.id in allowed]

    def iter_posts(self, since: datetime | None = None) -> Iterator[Post]:
        """Posts of these gemeenten (analysed, with a gemeente) since a moment."""
        for post, _ in self.analysed_posts(since or datetime.fromtimestamp(0).astimezone(), relevant_only=False):
            yield post

    # feedback and trends
    def add_feedback(self, feedback: Feedback) -> None:
        """Store a verdict on a signal or post of this scope; KeyError for anything else."""
        target_ok = (
            self.get_signal(feedback.target_id) is not None
            if feedback.target_type == "signal"
            else bool(self.get_analyses([feedback.target_id]))
        )
        if not target_ok:
            raise KeyError(feedback.target_id)
        self._store.add_feedback(feedback)

    def feedback(self) -> list[Feedback]:
        """The verdicts on signals and posts of this scope, oldest first."""
        return self._store.feedback(within=self.codes)

    def daily_counts(self, since: datetime, gemeente_codes: Iterable[str] = ()) -> list[DailyCount]:
        """Relevant posts per day, gemeente and category, within this scope."""
        return self._store.daily_counts(since, gemeente_codes, within=self.codes)

    # the gemeente's own information (onrustradar.service.meldingen): written only inside this scope
    def record_own_report(self, post: Post, analysis: Analysis, signal: Signal) -> None:
        """Store an eigen melding (post, analysis, signal) of a gemeente in this scope; KeyError otherwise."""
        if analysis.gemeente_code not in self.codes or signal.gemeente_code not in self.codes:
            raise KeyError(analysis.gemeente_code)
        self._store.upsert_posts([post])
        self._store.save_analyses([analysis])
        self._store.upsert_signals([signal])

    # a terugkoppeling goes through the outbox like every e-mail: only for these gemeenten
    def outbox_get(self, key: str) -> OutboxItem | None:
        """The outbox item of this key when it is of these gemeenten, else None."""
        item = self._store.outbox_get(key)
        return item if item is not None and self._mine(item.gemeente) else None

    def _mine(self, gemeente: str | None) -> bool:
        # Outbox items name their gemeente by code (digests, alerts) or by name.
        return gemeente is not None and (gemeente in self.codes or gemeente in self.names)

    def outbox_add(self, item: OutboxItem) -> bool:
        """Store a built message of these gemeenten; False when its key exists, KeyError when not theirs."""
        if not self._mine(item.gemeente):
            raise KeyError(item.gemeente)
        return self._store.outbox_add(item)

    def outbox_update(self, key: str, status: str, attempts: int, error: str | None = None) -> None:
        """Record a delivery attempt of an item of these gemeenten; KeyError otherwise."""
        if self.outbox_get(key) is None:
            raise KeyError(key)
        self._store.outbox_update(key, status, attempts, error)

    # e-mail sent on behalf of these gemeenten
    def outbox_list(self, kind: str | None = None, gemeente: str | None = None, limit: int = 100) -> list[OutboxItem]:
        """Outbox items of these gemeenten, newest first. Items name their gemeente by code
        (digests, alerts) or by name (reports), so the scope holds both."""
        return self._store.outbox_list(kind, gemeente, limit, within_names=[*self.codes, *self.names])

    # source health is not about any gemeente's residents: the beheerder sees it whole
    def source_health(self) -> list[SourceHealth]:
        """Every source's crawl health (not about residents: shown whole to the beheerder)."""
        return self._store.source_health()

    # posts the NLP set aside: ids, sources and reasons only (no text), for the beheerder
    def quarantined(self, limit: int = 100) -> list[Quarantined]:
        """The posts set aside by the NLP: ids, sources and reasons only."""
        return self._store.quarantined(limit)
