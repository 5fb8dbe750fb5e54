"""The path from stored posts to stored signals, shared by `process`, `run` and `demo`:
store -> nlp (analyse what is new) -> detectors (group, rank) -> store."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from functools import lru_cache
from pathlib import Path

from fnmatch import fnmatch

from detectors.settings import DetectorSettings
from onrustradar.config import Config, load_calendars
from onrustradar.isolate import analyse_safely
from onrustradar.models import OWN_SOURCE, Post, utcnow
from store import SignalQuery, Store

log = logging.getLogger(__name__)
SIGNAL_HORIZON = timedelta(days=14)  # posts older than this no longer shape open signals
BATCH = 2000


@dataclass(slots=True)
class ProcessReport:
    analysed: int
    relevant: int
    signals: int
    purged: int


@lru_cache(maxsize=4)
def _model(path: str):
    from nlp.model import load_model

    return load_model(Path(path))


def analyzer_for(config: Config, model_path: Path | None = None):
    """The analyzer with the shipped model (if trained) and the config's keyword lists."""
    from nlp.model import MODEL_PATH
    from nlp.pipeline import Analyzer

    from onrustradar.gazetteer import gazetteer

    homes = {}
    for source in config.settings.sources:
        if source.gemeente:
            code = gazetteer().gemeente(source.gemeente).code
            for channel in (source.name, getattr(source, "channel", None)):
                if channel:
                    homes[channel.lower()] = code
    return Analyzer(config.keywords, model=_model(str(model_path or MODEL_PATH)), home_gemeenten=homes)


def source_kinds(config: Config):
    """The reliability registry: configured sources by their `kind`, other channels by the
    detectors' official/news patterns, remaining feeds as news, the rest as social."""
    kinds = {s.name: s.kind for s in config.settings.sources}
    det = config.settings.detectors

    @lru_cache(maxsize=100_000)
    def by_channel(source: str, channel: str) -> str:
        channel = channel.casefold()
        if any(fnmatch(channel, p.casefold()) for p in det.official_channels):
            return "official"
        if any(fnmatch(channel, p.casefold()) for p in det.news_channels) or source == "rss":
            return "news"
        return "social"

    def kind(post: Post) -> str:
        if post.source == OWN_SOURCE:
            return "official"  # the gemeente's own melding (onrustradar.meldingen)
        if post.source_name in kinds:
            return kinds[post.source_name]
        return by_channel(post.source, post.channel)

    return kind


def detector_settings(config: Config) -> DetectorSettings:
    det = config.settings.detectors
    events = load_calendars(config.path.parent, det.calendars)
    return DetectorSettings(severity=dict(det.severity), context=tuple(events))


def process(store: Store, config: Config, now: datetime | None = None, analyzer=None) -> ProcessReport:
    from detectors.overrides import with_merged_seeds
    from detectors.signals import build_signals

    now = now or utcnow()
    analyzer = analyzer or analyzer_for(config)
    cutoff = now - timedelta(days=config.settings.retention_days)
    purged = store.purge_posts(cutoff)
    if purged:
        forget_posts_of_old_signals(store, cutoff)
    # After a keyword edit (or a new model) recent posts are analysed again with it.
    store.reset_analyses(now - SIGNAL_HORIZON, unless_model=analyzer.name)
    analysed = relevant = 0
    tried: set[str] = set()
    while True:
        posts = store.unanalysed_posts(limit=BATCH)
        if not posts or all(p.id in tried for p in posts):
            break  # nothing new, or only posts this run could not set aside: never loop on them
        tried.update(p.id for p in posts)
        analyses = []
        for post, analysis in zip(posts, analyse_safely(analyzer, posts)):
            if isinstance(analysis, str):  # set aside with its reason, never the batch
                store.quarantine_post(post.id, analysis)
            else:
                analyses.append(analysis)
        store.save_analyses(analyses)
        analysed += len(analyses)
        relevant += sum(1 for a in analyses if a.categories)
    items = store.analysed_posts(since=now - SIGNAL_HORIZON)
    # Posts already in a signal stay there; new posts attach to open signals or start new ones.
    existing = store.query_signals(SignalQuery(since=now - SIGNAL_HORIZON, limit=1_000_000))
    seeds = {s.signal_id: s.post_ids for s in sorted(existing, key=lambda s: s.first_seen)}
    decisions = store.decisions()  # analysts' merges and splits, applied again after grouping
    seeds = with_merged_seeds(seeds, decisions)
    signals = build_signals(items, now, source_kinds(config), store.get_signal, seeds, detector_settings(config),
                            decisions=decisions)
    store.upsert_signals(signals)
    return ProcessReport(analysed, relevant, len(signals), purged)


def forget_posts_of_old_signals(store, cutoff) -> int:
    """Signals outlive the raw posts as non-personal summaries: once a signal's last post is
    past retention, its references to the deleted posts go too."""
    from dataclasses import replace

    from store import SignalQuery

    old = [s for s in store.query_signals(SignalQuery(limit=1_000_000)) if s.last_seen < cutoff and s.post_ids]
    store.upsert_signals([replace(s, post_ids=[]) for s in old])
    return len(old)
