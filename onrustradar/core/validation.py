"""Validated value types shared by every file format: a gemeente as an operator writes it."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator

from onrustradar.core.gazetteer import gazetteer


def official_gemeente(name: str) -> str:
    """The official name of a gemeente given by name, CBS code or common name; ValueError otherwise."""
    found = gazetteer().gemeente(name)
    if found is None:
        hint = gazetteer().suggest(name)
        raise ValueError(f"onbekende gemeente {name!r}" + (f" (bedoelt u {hint!r}?)" if hint else ""))
    return found.name


# A gemeente as written in config (official name, CBS code or common name), stored official.
GemeenteName = Annotated[str, AfterValidator(official_gemeente)]
