"""Storage: posts, analyses, signals and crawl bookkeeping behind one interface."""

from __future__ import annotations

from store.base import (
    Assignment,
    Candidates,
    DailyCount,
    Decision,
    Feedback,
    GroupRecord,
    Note,
    OutboxItem,
    Quarantined,
    SignalQuery,
    SourceHealth,
    Store,
    TickStats,
    UpsertResult,
    Visit,
)
from store.sqlite import SQLiteStore


def open_store(settings) -> Store:
    """Open the store the config asks for (`store.backend`: "sqlite" at `store.path`, or
    "elasticsearch"); ValueError for an unknown backend. The caller closes it."""
    if settings.store.backend == "sqlite":
        return SQLiteStore(settings.store.path)
    if settings.store.backend == "elasticsearch":
        # Lazy: the Elasticsearch client adds about 0.5 s to every start; only an ES deployment pays it.
        from store.elastic import ElasticStore

        return ElasticStore.from_config(settings.store)
    raise ValueError(f"unknown store backend {settings.store.backend!r}")


__all__ = [
    "Assignment",
    "Candidates",
    "DailyCount",
    "Decision",
    "Feedback",
    "GroupRecord",
    "Note",
    "OutboxItem",
    "Quarantined",
    "SignalQuery",
    "SourceHealth",
    "Store",
    "TickStats",
    "UpsertResult",
    "Visit",
    "open_store",
]
