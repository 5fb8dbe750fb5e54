"""Author handles are replaced at intake by a keyed hash; the raw handle is never stored.

The key comes from the environment only. With the key, the same handle always maps to the
same pseudonym (so a subject request can find its posts); without it, a pseudonym cannot be
turned back into a handle or matched against a list of guessed handles.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re

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
    """A handle as the pseudonym hashes it: without '@' or surrounding space, casefolded."""
    return handle.strip().lstrip("@").casefold()


def pseudonymise(handle: str | None) -> str | None:
    """The keyed pseudonym of an author handle (None for none): the same handle always maps to the same value, and it
    cannot be reversed without the key."""
    if not handle or not handle.strip():
        return None
    digest = hmac.new(_key(), normalise_handle(handle).encode(), hashlib.sha256).hexdigest()
    return f"ps_{digest[:16]}"


_PSEUDONYM = re.compile(r"^ps_[0-9a-f]{16}$")
# A handle inside an identifier or a link: "/@name", "/@name@instance", "@name" at the start,
# or a path segment after users/, user/, u/, profile/ (Mastodon, Reddit, Bluesky, ...).
_AT_HANDLE = re.compile(r"(?:(?<=^)|(?<=[/:=?&#]))@([A-Za-z0-9_.\-]+(?:@[A-Za-z0-9.\-]+)?)")
_PATH_HANDLE = re.compile(r"(?<=/)(users|user|u|profile|accounts|@)/([^/?#]+)", re.IGNORECASE)


def _replace(handle: str) -> str:
    return handle if _PSEUDONYM.match(handle) else (pseudonymise(handle) or handle)


def scrub(value: str | None) -> str | None:
    """An id or url with every handle in it replaced by its pseudonym (so "…/@jansen/12" and
    "…/users/jansen/statuses/12" keep their shape and stay unique, but name no one)."""
    if not value:
        return value
    value = _AT_HANDLE.sub(lambda m: "@" + _replace(m[1]), value)
    return _PATH_HANDLE.sub(lambda m: f"{m[1]}/{_replace(m[2])}", value)


_MENTION = re.compile(
    r"(?<![\w@/])@([A-Za-z0-9_][A-Za-z0-9_.\-]*[A-Za-z0-9_](?:@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)?)"
)
_REDDIT_USER = re.compile(r"(?<![\w/])(/?u/)([A-Za-z0-9_\-]{3,20})\b")


def scrub_mentions(text: str) -> str:
    """Post text with account mentions (@name, @name@instance, u/name) replaced by their
    pseudonyms (e-mail addresses and URLs are left alone)."""
    text = _MENTION.sub(lambda m: "@" + _replace(m[1]), text)
    return _REDDIT_USER.sub(lambda m: m[1] + _replace(m[2]), text)
