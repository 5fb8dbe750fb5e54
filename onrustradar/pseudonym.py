"""Author handles are replaced at intake by a keyed hash; the raw handle is never stored.

The key comes from the environment only. With the key, the same handle always maps to the
same pseudonym (so a subject request can find its posts); without it, a pseudonym cannot be
turned back into a handle or matched against a list of guessed handles.
"""

from __future__ import annotations

import hashlib
import hmac
import os

KEY_ENV = "ONRUSTRADAR_PSEUDONYM_KEY"


class MissingKeyError(RuntimeError):
    pass


def _key() -> bytes:
    key = os.environ.get(KEY_ENV, "")
    if len(key) < 16:
        raise MissingKeyError(
            f"{KEY_ENV} is not set (or shorter than 16 characters): it keys the pseudonyms "
            "that replace author handles; set it to a long random secret"
        )
    return key.encode()


def normalise_handle(handle: str) -> str:
    return handle.strip().lstrip("@").casefold()


def pseudonymise(handle: str | None) -> str | None:
    if not handle or not handle.strip():
        return None
    digest = hmac.new(_key(), normalise_handle(handle).encode(), hashlib.sha256).hexdigest()
    return f"ps_{digest[:16]}"
