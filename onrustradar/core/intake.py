"""Range checks at intake: every date, number and string that comes from outside (a crawled
page, a `classify`/`detect` file) is checked before it can reach the store or the NLP.

The people whose posts are read may try to break the reader: one post with a date in the year
9999 must not make every later step overflow. The window is deliberately plain:

- a post is not published before 1990-01-01 (older than the web sources we read), and not
  more than one day after now (clocks of sources drift by hours, never by days);
- counts (views, forwards, replies) are whole numbers from 0 to 10^12, otherwise dropped;
- text and identifiers are bounded in length and never hold lone surrogates or NUL (neither
  UTF-8 nor SQLite can store them faithfully);
- no handle is kept: ids, links and account mentions in the text carry pseudonyms instead
  (onrustradar.core.pseudonym), so what is stored names no one.
"""

from __future__ import annotations

import hashlib
import math
import re
from datetime import UTC, datetime, timedelta

from onrustradar.core.pseudonym import scrub as _scrub
from onrustradar.core.pseudonym import scrub_mentions as _scrub_mentions

EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
FUTURE_SLACK = timedelta(days=1)
# The model's own fixed bound (models.Post): whatever path a post takes, the time code never
# sees a date that overflows when a few years are added.
LATEST_EVER = datetime(2100, 1, 1, tzinfo=UTC)
MAX_COUNT = 10**12
MAX_TEXT = 20_000  # longer texts are cut: no real post is longer, an absurd one must not stall a batch
MAX_FIELD = 2_000  # urls, channel names
MAX_ID_BYTES = 256  # a longer identifier is replaced by its hash (Elasticsearch ids stop at 512 bytes)

_UNSAFE = re.compile("[\ud800-\udfff\x00]")


def scrub(value):
    # Imported when a post comes in: pseudonyms need the key, a range check alone does not.

    return _scrub(value)


def scrub_mentions(text: str) -> str:

    return _scrub_mentions(text)


class Rejected(ValueError):
    """An item from outside that cannot be taken in; the message says why (no content)."""


def clean(value: str, limit: int = MAX_FIELD) -> str:
    """A string safe to store: lone surrogates and NUL replaced, length bounded."""
    return _UNSAFE.sub("\ufffd", value[:limit])


def bounded_id(value: str) -> str:
    """The identifier itself, or (when absurdly long) a stable hash of it: a re-crawl of the
    same item gets the same id, so it is still never stored twice."""
    raw = value.encode("utf-8", "replace")
    if len(raw) <= MAX_ID_BYTES:
        return value
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def check_moment(moment: datetime, now: datetime | None = None, what: str = "published_at") -> datetime:
    """The moment, if it is timezone-aware and between 1990 and a day from now; Rejected otherwise."""
    if not isinstance(moment, datetime):
        raise Rejected(f"{what} is not a time")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise Rejected(f"{what} has no UTC offset")
    now = now or datetime.now(UTC)
    try:
        utc = moment.astimezone(UTC)
    except (OverflowError, ValueError):
        raise Rejected(f"{what} is out of range") from None
    if utc < EARLIEST:
        raise Rejected(f"{what} lies before {EARLIEST:%Y-%m-%d}")
    if utc > min(now + FUTURE_SLACK, LATEST_EVER):
        raise Rejected(f"{what} lies more than a day in the future")
    return moment


def check_count(value) -> int | None:
    """A count from outside, or None when it is not a sane whole number."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, float):
        if not math.isfinite(value) or value != int(value):
            return None
        value = int(value)
    if not isinstance(value, int) or not 0 <= value <= MAX_COUNT:
        return None
    return value


def admit(post, now: datetime | None = None):
    """Check and normalise one collected Post in place; raise Rejected when it cannot be
    taken in. Returns the post."""
    check_moment(post.published_at, now)
    if not isinstance(post.text, str) or not post.text.strip():
        raise Rejected("no text")
    # A mention names an account: on every platform only its pseudonym is kept (a public
    # channel's @name too — the text keeps its shape, the NLP does not need the name).
    post.text = scrub_mentions(clean(post.text, MAX_TEXT))
    for name in ("source", "source_id", "channel"):
        value = getattr(post, name)
        if not isinstance(value, str) or not value.strip():
            raise Rejected(f"{name} is empty")
        setattr(post, name, clean(value))
    # No handle reaches the store: ids and links name no one (pseudonyms keep them unique).
    post.source_id = bounded_id(scrub(post.source_id))
    post.url = scrub(post.url)
    if post.forwarded_from and "@" in post.forwarded_from:
        post.forwarded_from = scrub(post.forwarded_from)
    for name in ("url", "forwarded_from", "source_name"):
        value = getattr(post, name)
        setattr(post, name, clean(value) if isinstance(value, str) and value else None)
    for name in ("views", "forwards", "replies"):
        setattr(post, name, check_count(getattr(post, name)))
    return post
