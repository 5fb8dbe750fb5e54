"""The signal half of a tick, against the store: new posts -> their events -> changed signals
(detectors.incremental holds the grouping logic; this module only reads and writes).

Also the explicit, resumable reprocessing after a keyword or model change (`reprocess`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable

from detectors.incremental import (CountedBursts, burst_settled, assign, build_signal, burst_affected, burst_queries,
                                   candidates_for, frozen_burst, refresh_time, remember_burst, rescore, same_signal,
                                   score_base, vectors_of)
from detectors.settings import DetectorSettings
from onrustradar.isolate import analyse_safely
from store import GroupRecord, Store

log = logging.getLogger(__name__)
HORIZON = timedelta(days=14)  # posts older than this no longer join events (as grouping at once)
BATCH = 5000  # new posts grouped per round
REFRESH_PER_TICK = 300  # time-only recomputations per tick, most overdue first: a tick stays bounded
MODEL_KEY = "analysis_model"
REPROCESS_KEY = "reprocess"


@dataclass(slots=True)
class UpdateReport:
    grouped: int = 0  # new posts placed in events
    events: int = 0  # events written
    signals: int = 0  # signals written (changed)
    refreshed: int = 0  # signals recomputed for time only


def _bursts(store: Store, records: list[GroupRecord], now: datetime, horizon: datetime) -> CountedBursts:
    queries = burst_queries(records, now, horizon)
    counts = store.count_relevant([q for _, _, q in queries]) if queries else []
    table: dict = {}
    for (key, part, _), n in zip(queries, counts):
        table.setdefault(key, {})[part] = n
    return CountedBursts({k: (v["recent"], v["before"]) for k, v in table.items()})


def _signals(store: Store, records: list[GroupRecord], now: datetime, horizon: datetime, kinds: Callable,
             settings: DetectorSettings, bursts: CountedBursts | None = None):
    """(changed signals, refresh times) for these events (members loaded)."""
    placed = [r for r in records if r.gemeente_code]
    if not placed:
        return [], {}
    before = store.get_signals([r.signal_id for r in placed])
    fresh = [r for r in placed if frozen_burst(r, now) is None]
    bursts = bursts or _bursts(store, fresh, now, horizon)
    changed, refresh = [], {}
    for r in placed:
        frozen = frozen_burst(r, now)
        use = CountedBursts({}, bursts.cfg, frozen) if frozen is not None else bursts
        signal = build_signal(r, now, kinds, settings, use, before.get(r.signal_id))
        if frozen is None:
            remember_burst(r, signal, use, now)
        r.score_base = score_base(signal, r, now)
        r.refresh_at = refresh_time(signal, r, now)
        refresh[r.signal_id] = r.refresh_at
        if not same_signal(before.get(r.signal_id), signal):
            changed.append(signal)
    return changed, refresh


def update_signals(store: Store, now: datetime, kinds: Callable, settings: DetectorSettings,
                   progress: Callable[[int], None] | None = None, refresh_limit: int = REFRESH_PER_TICK,
                   full_refresh: bool = False) -> UpdateReport:
    """Group the posts no tick has grouped yet, update the signals that changed, recompute the
    ones that are due; write only what changed."""
    cfg = settings.grouping
    horizon = now - HORIZON
    report = UpdateReport()
    while pairs := store.ungrouped_posts(since=horizon, limit=BATCH):
        vectors = vectors_of(pairs)
        loaded = store.candidate_groups(candidates_for(pairs, vectors, horizon, cfg))
        result = assign(pairs, vectors, loaded, cfg)
        by_id = {r.signal_id: r for r in loaded}
        affected = [r for r in burst_affected(loaded, pairs, now) if r.signal_id not in result.joined]
        need = [sid for sid in result.joined if sid in by_id] + [r.signal_id for r in affected]
        members = store.group_members(need)
        for sid in need:
            by_id[sid].members = members[sid]
        records = result.records(by_id, cfg) + affected
        signals, _refresh = _signals(store, records, now, horizon, kinds, settings)
        store.save_grouping(records, {}, signals, result.grouped)
        report.grouped += len(result.grouped)
        report.events += len(records)
        report.signals += len(signals)
        if progress:
            progress(report.grouped)
        if len(pairs) < BATCH:
            break
    due = store.due_groups(now, horizon, refresh_limit)
    # A burst window still moving (or a record without its base score) needs the full
    # recomputation; the others only a new time factor and perhaps 'verlopen'.
    full = [r for r in due if full_refresh or r.score_base is None or not burst_settled(r, now)]
    quick = [r for r in due if r not in full]
    members = store.group_members([r.signal_id for r in full])
    for r in full:
        r.members = members[r.signal_id]
    signals, refresh = _signals(store, full, now, horizon, kinds, settings)
    before = store.get_signals([r.signal_id for r in quick])
    for r in quick:
        old = before.get(r.signal_id)
        if old is None:
            continue
        signal = rescore(old, r, now)
        refresh[r.signal_id] = refresh_time(signal, r, now)
        if not same_signal(old, signal):
            signals.append(signal)
    store.save_grouping(full, refresh, signals, [], forget_before=horizon)
    report.refreshed += len(due)
    report.signals += len(signals)
    return report


def refresh_all(store: Store, now: datetime, kinds: Callable, settings: DetectorSettings) -> int:
    """Recompute every event's signal of the horizon now (tests, and the end of `reprocess`)."""
    store.make_due(now)
    total = 0
    while True:
        report = update_signals(store, now, kinds, settings, refresh_limit=2000, full_refresh=True)
        total += report.refreshed
        if report.refreshed < 2000:
            return total


# -- keyword or model changes ------------------------------------------------------------------

def note_model(store: Store, name: str) -> bool:
    """Remember which analyzer the stored analyses come from; False (and a warning) when the
    keyword lists or the model changed since: `onrustradar reprocess` brings them in line."""
    known = store.get_meta(MODEL_KEY)
    if known is None:
        store.set_meta(MODEL_KEY, name)
        return True
    if known != name:
        log.warning("keyword lists or model changed (%s -> %s): new posts use the new ones; "
                    "run `onrustradar reprocess` to analyse and group the horizon again", known, name)
        return False
    return True


@dataclass(slots=True)
class ReprocessReport:
    analysed: int
    grouped: int
    signals: int


def reprocess(store: Store, analyzer, now: datetime, kinds: Callable, settings: DetectorSettings,
              say: Callable[[str], None] = print, batch: int = 2000) -> ReprocessReport:
    """Analyse the horizon's posts again with `analyzer` and rebuild its events from scratch.
    Resumable: analyses already redone are kept; an interrupted regrouping goes on where it
    stopped (the posts not yet regrouped are still marked so)."""
    horizon = now - HORIZON
    state = store.get_meta(REPROCESS_KEY)
    analysed = 0
    if state != f"groeperen:{analyzer.name}":
        total = store.count_stale_analyses(horizon, analyzer.name)
        say(f"analyseren: {total} berichten met andere trefwoorden of model")
        tried: set[str] = set()
        while posts := [p for p in store.stale_analyses(horizon, analyzer.name, batch) if p.id not in tried]:
            tried.update(p.id for p in posts)
            good = []
            for post, analysis in zip(posts, analyse_safely(analyzer, posts)):
                if isinstance(analysis, str):
                    store.quarantine_post(post.id, analysis)
                else:
                    good.append(analysis)
            store.save_analyses(good)
            analysed += len(good)
            say(f"analyseren: {analysed}/{total} ({analysed / max(total, 1):.0%})")
        store.set_meta(REPROCESS_KEY, f"groeperen:{analyzer.name}")
        store.mark_ungrouped(horizon)
    say("groeperen: gebeurtenissen opnieuw opbouwen")
    report = update_signals(store, now, kinds, settings, progress=lambda n: say(f"groeperen: {n} berichten"))
    refresh_all(store, now, kinds, settings)
    store.set_meta(MODEL_KEY, analyzer.name)
    store.set_meta(REPROCESS_KEY, "klaar")
    return ReprocessReport(analysed, report.grouped, report.signals)
