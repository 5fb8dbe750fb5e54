"""Context calendars: known events that explain or weigh a signal — a football match for
supporters signals now, event permits or council meetings later. A calendar is a YAML file in
config/calendars/ with entries of the same shape, so a new kind needs no code."""

from __future__ import annotations

from datetime import datetime

from onrustradar.core.calendars import ContextEvent

__all__ = ["ContextEvent", "matching"]


def matching(
    events: list[ContextEvent], gemeente_code: str | None, categories: set[str], moment: datetime
) -> ContextEvent | None:
    """The nearest calendar event in the same gemeente, for one of the signal's categories."""
    best = None
    for event in events:
        if event.gemeente_code != gemeente_code or not (event.categories & categories):
            continue
        distance = abs(event.start - moment)
        if distance <= event.window and (best is None or distance < abs(best.start - moment)):
            best = event
    return best
