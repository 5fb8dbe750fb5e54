"""Detector settings in one light module: the CLI can validate them without loading the
text-similarity machinery."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache
from pathlib import Path

from onrustradar.core.calendars import ContextEvent
from onrustradar.core.fingerprint import files_fingerprint
from onrustradar.core.models import DEFAULT_SEVERITY


@dataclass(frozen=True, slots=True)
class GroupingConfig:
    """How posts are grouped into events (detectors.grouping) and context attached (detectors.attach)."""

    duplicate_similarity: float = 0.8  # near-identical texts: a forward or repost, one source
    start_window: timedelta = timedelta(hours=2)  # two known start times further apart: two events
    report_window: timedelta = timedelta(hours=36)  # reports without a start, published this close
    announce_horizon: timedelta = timedelta(days=21)  # an announcement may precede its start by this
    after_start: timedelta = timedelta(hours=18)  # reports about an event up to this long after its start
    aftermath: timedelta = timedelta(days=7)  # a report naming the event's day joins it this long after
    active_for: timedelta = timedelta(days=4)  # an event with no new post for this long takes no more
    # Evidence a post needs for an event (detectors.grouping.evidence): text similarity plus
    # these weights. Same gemeente, category and date with no other evidence is just enough.
    min_evidence: float = 0.18
    unplaced_evidence: float = 0.5  # ... when the post or the event has no gemeente
    hint_evidence: float = 0.1  # ... more than min_evidence when only the channel's name points to the gemeente
    place_weight: float = 0.4  # the post names the event's place
    place_conflict: float = 0.1  # ... or another known place (often a wijk of the other: Poelenburg, Zaandam)
    date_weight: float = 0.2  # the same event date
    channel_weight: float = 0.15  # a channel already in the event
    # The hours an event is going on: posts then that name no place may belong to it.
    event_hours_before: timedelta = timedelta(hours=1)
    event_hours_after: timedelta = timedelta(hours=6)
    only_event_category: float = 0.8  # ... without shared words, the category score it needs
    # Context (detectors.attach): posts without a category join an open event by evidence.
    context_evidence: float = 0.45
    context_before: timedelta = timedelta(hours=12)  # ... published this long before its first post
    context_after: timedelta = timedelta(hours=36)  # ... or this long after its start / last post
    # The keyword lists' measures (KeywordList.measures, "sluit woning"): excluded from a category,
    # yet the aftermath of an incident they point back at.
    measures: frozenset[str] = frozenset()


@dataclass(frozen=True)
class DetectorSettings:
    """All the detectors' settings, from the config's `detectors:` (service.pipeline.detector_settings)."""

    severity: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_SEVERITY))
    grouping: GroupingConfig = GroupingConfig()
    context: tuple[ContextEvent, ...] = ()


ROOT = Path(__file__).resolve().parent.parent
# The code that shapes stored events (their anchors, centroids, places) and the signals made of
# them; not the check sets under detectors/eval.
GROUPING_FILES = ("detectors/*.py",)


@cache
def grouping_fingerprint() -> str:
    """A hash of the grouping rules as installed: an upgrade that groups differently leaves the
    stored events as the old rules built them, so a tick says `reprocess` is due."""
    return files_fingerprint(ROOT, GROUPING_FILES)
