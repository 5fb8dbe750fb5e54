"""The path from stored posts to stored signals, shared by `process`, `run` and `demo`:
store -> nlp (analyse what is new) -> detectors (group, rank) -> store."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from detectors.settings import DetectorSettings, GroupingConfig
from onrustradar.config import Config, load_calendars, source_kinds
from onrustradar.core.models import utcnow
from onrustradar.service.analyzer import analyzer_for
from onrustradar.service.incremental import HORIZON, complete_copies, note_model, update_signals
from onrustradar.service.isolate import analyse_safely
from store import Store

log = logging.getLogger(__name__)
BATCH = 2000


@dataclass(slots=True)
class ProcessReport:
    """What one `process` run did, for the CLI line and the tick record."""

    analysed: int
    relevant: int
    signals: int
    purged: int
    gemeenten: int = 0  # gemeenten whose signals the tick rebuilt (onrustradar.service.incremental)
    rebuilt_posts: int = 0  # posts those rebuilds went through


def detector_settings(config: Config) -> DetectorSettings:
    """The detectors' settings from the config: category severity, the context calendars and the
    keyword lists' measures (an incident's aftermath, detectors.attach)."""
    det = config.settings.detectors
    events = load_calendars(config.path.parent, det.calendars)
    measures = frozenset(m for kl in config.keywords.values() for m in kl.measures)
    return DetectorSettings(
        severity=dict(det.severity), context=tuple(events), grouping=GroupingConfig(measures=measures)
    )


def process(store: Store, config: Config, now: datetime | None = None, analyzer=None) -> ProcessReport:
    """One tick: purge, analyse what is new, and update only the signals that what is new
    touches (onrustradar.service.incremental); a keyword or model change is not redone here but by the
    explicit `onrustradar reprocess`."""

    now = now or utcnow()
    analyzer = analyzer or analyzer_for(config)
    # Whole hours: the full-text index is merged after a purge, so purge once an hour, not
    # every tick (retention is kept to within the hour).
    cutoff = (now - timedelta(days=config.settings.retention_days)).replace(minute=0, second=0, microsecond=0)
    purged = store.purge_posts(cutoff)
    forget_posts_of_old_signals(store, cutoff)
    note_model(store, analyzer.name)
    analysed = relevant = 0
    tried: set[str] = set()
    fresh: list = []
    while True:
        posts = store.unanalysed_posts(limit=BATCH)
        if not posts or all(p.id in tried for p in posts):
            break  # nothing new, or only posts this run could not set aside: never loop on them
        tried.update(p.id for p in posts)
        done = []
        for post, analysis in zip(posts, analyse_safely(analyzer, posts)):
            if isinstance(analysis, str):  # set aside with its reason, never the batch
                store.quarantine_post(post.id, analysis)
            else:
                done.append((post, analysis))
        # copies of one message share their analysis (detectors.copies), stored copies too
        analyses, completed = complete_copies(store, done, now - HORIZON)
        by_id = {p.id: p for p, _ in done}
        fresh += [(by_id[a.post_id], a) for a in analyses if not a.categories]  # may be context (detectors.attach)
        store.save_analyses(analyses + completed)
        analysed += len(analyses)
        relevant += sum(1 for a in analyses if a.categories)
    update = update_signals(store, now, source_kinds(config), detector_settings(config), fresh=fresh)
    return ProcessReport(analysed, relevant, update.signals, purged, update.gemeenten, update.rebuilt_posts)


FORGOTTEN_KEY = "forgotten_until"


def forget_posts_of_old_signals(store, cutoff: datetime) -> int:
    """Signals outlive the raw posts as non-personal summaries: once a signal's last post is
    past retention, its references to the deleted posts go too. Only the signals that crossed
    the cutoff since the last call are read."""

    last = store.get_meta(FORGOTTEN_KEY)
    since = datetime.fromisoformat(last) if last else None
    if since is not None and since >= cutoff:
        return 0
    old = [s for s in store.signals_seen_between(since, cutoff) if s.post_ids]
    store.upsert_signals([replace(s, post_ids=[]) for s in old])
    store.set_meta(FORGOTTEN_KEY, cutoff.isoformat())
    return len(old)
