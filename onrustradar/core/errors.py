"""The one error type for operator-supplied files (configuration, keyword lists, calendars,
watches, approvals): `file: key: message` on one line, safe to print."""

from __future__ import annotations

import re
from pathlib import Path

_SAFE_KEY = re.compile(r"^[A-Za-z0-9_.\[\], -]{1,80}$")
_LONG_QUOTE = re.compile(r"'[^']{40,}'|\"[^\"]{40,}\"")


class ConfigError(Exception):
    """`file: key: message` on one line. A key or message never carries more than a short
    word of the file's content: the file may be anything an operator pointed at."""

    def __init__(self, file: Path | str, key: str, message: str):
        key = key if not key or _SAFE_KEY.match(key) else "<sleutel>"
        message = _LONG_QUOTE.sub("'…'", " ".join(str(message).split()))[:300]
        self.file, self.key, self.message = str(file), key, message
        super().__init__(f"{self.file}: {key + ': ' if key else ''}{message}")
