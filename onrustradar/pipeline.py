"""The path from stored posts to stored signals, shared by `process`, `run` and `demo`:
store -> nlp (analyse what is new) -> detectors (group, rank) -> store."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from detectors.signals import build_signals
from nlp.pipeline import Analyzer
from onrustradar.config import Config
from onrustradar.models import Post, utcnow
from store import Store

log = logging.getLogger(__name__)
SIGNAL_HORIZON = timedelta(days=14)  # posts older than this no longer shape open signals
BATCH = 2000


@dataclass(slots=True)
class ProcessReport:
    analysed: int
    relevant: int
    signals: int
    purged: int


def analyzer_for(config: Config) -> Analyzer:
    return Analyzer(config.keywords)


def source_kinds(config: Config):
    """The reliability registry: which configured sources are official bodies or news."""
    kinds = {s.name: s.kind for s in config.settings.sources}

    def kind(post: Post) -> str:
        if post.source_name in kinds:
            return kinds[post.source_name]
        return "news" if post.source == "rss" else "social"

    return kind


def process(store: Store, config: Config, now: datetime | None = None,
            analyzer: Analyzer | None = None) -> ProcessReport:
    now = now or utcnow()
    analyzer = analyzer or analyzer_for(config)
    purged = store.purge_posts(now - timedelta(days=config.settings.retention_days))
    analysed = relevant = 0
    while True:
        posts = store.unanalysed_posts(limit=BATCH)
        if not posts:
            break
        analyses = analyzer.analyze_many(posts)
        store.save_analyses(analyses)
        analysed += len(analyses)
        relevant += sum(1 for a in analyses if a.categories)
    items = store.analysed_posts(since=now - SIGNAL_HORIZON)
    signals = build_signals(items, now, source_kinds(config), store.get_signal)
    store.upsert_signals(signals)
    return ProcessReport(analysed, relevant, len(signals), purged)
