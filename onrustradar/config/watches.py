"""Watches: what is monitored and why.

Every source and every keyword list belongs to a watch ("monitoringsopdracht") that states its
purpose, legal basis, the concrete reason (aanleiding), an owner, the gemeenten it covers and
an expiry date. A source whose watches have all expired is not crawled. Watches live in
`watches.yml` beside the config (or inline under `watches:`), are validated with the config and
renewed on the board by an analist; a renewal records who, when and why.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Protocol
from zoneinfo import ZoneInfo

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from onrustradar.config.messages import first_error
from onrustradar.core.models import CATEGORIES
from onrustradar.core.validation import official_gemeente
from onrustradar.core.yamlfiles import read_yaml

AMS = ZoneInfo("Europe/Amsterdam")
WARN_DAYS = 14  # the board warns this many days ahead of expiry


def _required_text(value: str) -> str:
    if not str(value).strip():
        raise ValueError("mag niet leeg zijn")
    return str(value).strip()


class Renewal(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    by: str = Field(min_length=1)
    on: date
    reason: str = Field(min_length=1)
    previous_expiry: date
    new_expiry: date


class Watch(BaseModel):
    """A monitoring assignment: purpose, legal basis, occasion, owner, gemeenten, sources, lists and expiry."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    purpose: str  # doel
    legal_basis: str  # grondslag
    aanleiding: str  # the concrete reason this watch exists now
    owner: str
    gemeenten: list[str] = Field(min_length=1)
    expires: date
    sources: list[str] = []
    keywords: list[str] = []  # categories whose keyword lists this watch covers
    renewals: list[Renewal] = []

    _texts = field_validator("purpose", "legal_basis", "aanleiding", "owner")(_required_text)

    @field_validator("gemeenten")
    @classmethod
    def _official(cls, names: list[str]) -> list[str]:
        return [official_gemeente(n) for n in names]

    @field_validator("keywords")
    @classmethod
    def _categories(cls, names: list[str]) -> list[str]:

        for name in names:
            if name not in CATEGORIES:
                raise ValueError(f"onbekende trefwoordenlijst {name!r} (een van {', '.join(CATEGORIES)})")
        return names

    def active(self, today: date) -> bool:
        return today <= self.expires

    def expires_within(self, today: date, days: int = WARN_DAYS) -> bool:
        return self.active(today) and self.expires - today <= timedelta(days=days)


class WatchesFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    watches: list[Watch] = []


def today_local(now: datetime | None = None) -> date:
    """Today's date in Dutch time: watches expire by the Dutch calendar."""
    return (now or datetime.now(AMS)).astimezone(AMS).date()


class _Named(Protocol):
    @property
    def name(self) -> str: ...


class WatchedSettings(Protocol):
    """What the watch rules read of the settings (onrustradar.config.settings.Settings); a
    protocol, so this module needs nothing from the one that loads it."""

    @property
    def watches(self) -> Sequence[Watch]: ...

    @property
    def sources(self) -> Sequence[_Named]: ...

    @property
    def gemeenten(self) -> Sequence[str]: ...


def cross_check(settings: WatchedSettings) -> tuple[str, str] | None:
    """The first inconsistency between watches and the rest of the config, as (key, message)."""
    sources = {s.name for s in settings.sources}
    names = set()
    for i, watch in enumerate(settings.watches):
        if watch.name in names:
            return f"watches[{i}].name", f"de opdrachtnaam {watch.name!r} komt twee keer voor"
        names.add(watch.name)
        for name in watch.sources:
            if name not in sources:
                return f"watches[{i}].sources", f"onbekende bron {name!r}"
        for gemeente in watch.gemeenten:
            if gemeente not in settings.gemeenten:
                return f"watches[{i}].gemeenten", f"{gemeente!r} hoort niet bij de gemeenten van deze installatie"
    covered = {name for w in settings.watches for name in w.sources}
    for source in settings.sources:
        if source.name not in covered:
            return (
                "sources",
                f"bron {source.name!r} hoort bij geen opdracht: voeg haar toe aan een opdracht met doel en aanleiding",
            )
    return None


def watches_of_source(settings: WatchedSettings, name: str) -> list[Watch]:
    """The watches that cover a source."""
    return [w for w in settings.watches if name in w.sources]


def source_active(settings: WatchedSettings, name: str, today: date) -> bool:
    """A source is crawled only while at least one of its watches runs."""
    return any(w.active(today) for w in watches_of_source(settings, name))


def load_watches_file(path: Path) -> WatchesFile:
    """The watches file (watches_file in the config), validated; ConfigError with file and key otherwise."""
    data = read_yaml(path)
    try:
        return WatchesFile.model_validate(data)
    except ValidationError as exc:
        raise first_error(path, exc) from None


def renew(path: Path, name: str, new_expiry: date, by: str, reason: str, today: date) -> Watch:
    """Extend a watch in its file, recording who renewed it and why. Returns the new watch."""
    if not reason.strip():
        raise ValueError("een verlenging heeft een reden nodig")
    if new_expiry <= today:
        raise ValueError("de nieuwe einddatum moet in de toekomst liggen")
    current = load_watches_file(path)
    updated, found = [], None
    for watch in current.watches:
        if watch.name == name:
            renewal = Renewal(
                by=by, on=today, reason=reason.strip(), previous_expiry=watch.expires, new_expiry=new_expiry
            )
            watch = watch.model_copy(update={"expires": new_expiry, "renewals": [*watch.renewals, renewal]})
            found = watch
        updated.append(watch)
    if found is None:
        raise KeyError(name)
    save(path, WatchesFile(watches=updated))
    return found


def add(path: Path, watch: Watch) -> None:
    """Append a watch to the watches file (atomically)."""
    current = load_watches_file(path) if path.exists() else WatchesFile()
    if any(w.name == watch.name for w in current.watches):
        raise ValueError(f"er is al een opdracht met de naam {watch.name!r}")
    save(path, WatchesFile(watches=[*current.watches, watch]))


def save(path: Path, watches: WatchesFile) -> None:
    """Write atomically, so a crash never leaves a half-written watches file."""
    data = watches.model_dump(mode="json")
    text = "# Watches (monitoringsopdrachten): what is monitored, why, and until when.\n" + yaml.safe_dump(
        data, allow_unicode=True, sort_keys=False
    )
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".watches-", suffix=".yml")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)
