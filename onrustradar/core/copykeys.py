"""The text keys by which copies of one message find each other (detectors.copies).

A forward is the same message with a forwarder's line or a "Forwarded from …" header on top.
Its keys: the whole text and, when the first line is short, the text without it — whitespace
and case folded, hashed. Computed at intake, so the store can find a new post's stored copies
by index (a tick then completes their analyses as grouping at once does).
"""

from __future__ import annotations

import hashlib
import re

MIN_BODY = 40  # shorter texts ("Go go go") are the same by chance, not copies
MAX_LEAD = 60  # a first line this short may be a forwarder's remark
_HEADER = re.compile(r"^\s*(?:forwarded from|doorgestuurd van|weitergeleitet von|fwd?:?)[^\n]*\n", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


def copy_keys(text: str) -> list[str]:
    """The keys of a text (none for a short one): 16 hex digits each, equal for copies."""
    text = _HEADER.sub("", text, count=1)
    bodies = [text]
    lead, _, rest = text.strip().partition("\n")
    if rest.strip() and len(lead) <= MAX_LEAD:
        bodies.append(rest)
    out = []
    for body in bodies:
        body = _SPACE.sub(" ", body).strip().casefold()
        if len(body) >= MIN_BODY:
            key = hashlib.blake2b(body.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()
            if key not in out:
                out.append(key)
    return out
