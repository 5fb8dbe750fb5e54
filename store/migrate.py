"""Copy one store into another through the store interface (`onrustradar store migrate`):
posts with their analyses, signals with their status history and triage thread, analysts'
merges and splits, feedback, the e-mail outbox and crawl cursors and the audit trail's anchor.
Idempotent: running it again changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

# Post comes through store.base (the interface it belongs to), not by a new import of onrustradar.
from store.base import Post, SignalQuery, Store

CHUNK = 5000
EVERYTHING = 10**9


@dataclass
class MigrationReport:
    """How much a migration copied, by kind (outbox: only the items new to the target)."""

    posts: int = 0
    analyses: int = 0
    signals: int = 0
    feedback: int = 0
    outbox: int = 0
    sources: int = 0


def migrate(source: Store, target: Store) -> MigrationReport:
    """Copy everything of `source` into `target` (see the module docstring); running it again
    changes nothing. Returns the counts of what was copied, by kind."""
    report = MigrationReport()
    batch: list[Post] = []

    def flush() -> None:
        if batch:
            target.upsert_posts(batch)
            analyses = list(source.get_analyses([p.id for p in batch]).values())
            target.save_analyses(analyses)
            report.posts += len(batch)
            report.analyses += len(analyses)
            batch.clear()

    for post in source.iter_posts(since=datetime(1970, 1, 1, tzinfo=UTC)):
        batch.append(post)
        if len(batch) >= CHUNK:
            flush()
    flush()
    signals = source.query_signals(SignalQuery(limit=EVERYTHING))
    target.upsert_signals(signals)
    report.signals = len(signals)
    for signal in signals:
        if target.status_history(signal.signal_id):
            continue  # already migrated
        for _at, status, actor, note in source.status_history(signal.signal_id):
            target.set_signal_status(signal.signal_id, status, actor, note)
        if signal.status_by:  # keep the latest decision exactly as it was
            target.upsert_signals([signal])
    held = source.assignments([s.signal_id for s in signals])
    for signal in signals:
        if not target.notes(signal.signal_id):
            for entry in source.notes(signal.signal_id):
                target.add_note(entry)
        if signal.signal_id in held and signal.signal_id not in target.assignments([signal.signal_id]):
            a = held[signal.signal_id]
            target.assign(a.signal_id, a.assignee, a.by)
    if not target.decisions():
        for decision in source.decisions():
            target.add_decision(decision)
    for fb in source.feedback():
        target.add_feedback(fb)
        report.feedback += 1
    for item in source.outbox_list(limit=EVERYTHING):
        report.outbox += target.outbox_add(item)
        if item.status != "built":
            target.outbox_update(item.key, item.status, item.attempts, item.error)
    for health in source.source_health():
        if health.cursor:
            target.set_cursor(health.source_name, health.cursor)
        if not any(h.source_name == health.source_name for h in target.source_health()):
            target.record_crawl(health.source_name, health.total_new, health.last_error)
        report.sources += 1
    anchor = source.audit_anchor()
    if anchor is not None:  # the audit trail stays anchored in the store that now serves it
        target.set_audit_anchor(anchor)
    return report
