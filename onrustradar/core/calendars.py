"""Context calendars (matches, permits, ...): the YAML files operators keep beside the config,
read into ContextEvents the detectors weigh signals with."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from onrustradar.core.errors import ConfigError
from onrustradar.core.gazetteer import gazetteer
from onrustradar.core.nl import AMS
from onrustradar.core.validation import GemeenteName


class CalendarEntry(BaseModel):
    """One entry of a calendar file: a date (and time) in a gemeente, with a label or the two teams."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    date: date
    time: str | None = Field(default=None, pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    gemeente: GemeenteName
    label: str | None = None
    home: str | None = None
    away: str | None = None
    stadium: str | None = None


class Calendar(BaseModel):
    """A calendar file: what its entries are, which signal categories they explain, and how much they weigh."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: str = "wedstrijd"  # what the entries are, in Dutch: wedstrijd, vergunning, ...
    categories: list[str] = ["supporters"]  # signals of these categories get the context
    weight: float = Field(default=1.3, gt=0, le=3)  # score multiplier for a matching signal
    window_hours: int = Field(default=24, ge=1, le=168)  # how far from the entry a signal may be
    entries: list[CalendarEntry] = []


@dataclass(frozen=True, slots=True)
class ContextEvent:
    """A calendar entry as the detectors use it: where, when, for which categories, and its weight and window."""

    gemeente_code: str
    start: datetime
    label: str
    categories: frozenset[str]
    weight: float
    window: timedelta


def load_calendar(path: Path) -> list[ContextEvent]:
    """The events of a calendar file; a missing file or an invalid entry raises ConfigError with where it is."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        calendar = Calendar.model_validate(data)
    except FileNotFoundError:
        raise ConfigError(path, "", "file not found") from None
    except yaml.YAMLError as exc:
        raise ConfigError(path, "", f"invalid YAML: {getattr(exc, 'problem', exc)}") from None
    except ValidationError as exc:
        err = exc.errors()[0]
        key = ".".join(str(p) for p in err["loc"])
        raise ConfigError(path, key, err["msg"].removeprefix("Value error, ")) from None
    events = []
    for entry in calendar.entries:
        gemeente = gazetteer().gemeente(entry.gemeente)
        assert gemeente is not None  # GemeenteName admits only gazetteer names
        clock = time.fromisoformat(entry.time) if entry.time else time(12, 0)
        label = entry.label or (
            f"{calendar.kind} {entry.home} – {entry.away}" if entry.home and entry.away else calendar.kind
        )
        events.append(
            ContextEvent(
                gemeente_code=gemeente.code,
                start=datetime.combine(entry.date, clock).replace(tzinfo=AMS),
                label=label,
                categories=frozenset(calendar.categories),
                weight=calendar.weight,
                window=timedelta(hours=calendar.window_hours),
            )
        )
    return events
