"""Building blocks of every configuration model: strict models and durations."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


_DURATION = re.compile(r"^\s*(\d+)\s*([smhd]?)\s*$")


def parse_duration(value: int | str) -> int:
    """Seconds from `90`, `"90s"`, `"15m"`, `"2h"` or `"1d"`."""
    if isinstance(value, bool):
        raise ValueError("verwacht een duur zoals 300, '5m' of '1h'")
    if isinstance(value, int):
        seconds = value
    else:
        match = _DURATION.match(str(value))
        if not match:
            raise ValueError(f"verwacht een duur zoals 300, '5m' of '1h', niet {value!r}")
        seconds = int(match[1]) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[match[2]]
    if seconds <= 0:
        raise ValueError("een duur moet groter dan nul zijn")
    if seconds > MAX_INTERVAL:
        raise ValueError("een duur mag hoogstens 30 dagen zijn")
    return seconds


MAX_INTERVAL = 30 * 86400  # longer is not monitoring; far longer overflows the scheduler


Duration = Annotated[int, Field(gt=0, le=MAX_INTERVAL)]
