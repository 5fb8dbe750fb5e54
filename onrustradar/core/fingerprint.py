"""A short hash of code and data files as installed: what an upgrade changed, in one word."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path


def files_fingerprint(root: Path, patterns: Iterable[str]) -> str:
    """Eight hex digits over the files matching `patterns` under `root` (their paths and bytes,
    in sorted order): the same files give the same word on every machine."""
    digest = hashlib.sha1()
    for pattern in patterns:
        for path in sorted(root.glob(pattern)):
            if path.is_file():
                digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:8]
