"""Subject requests (AVG art. 15 and 17): which stored posts did this handle write, and
delete them. The handle is never stored: its keyed pseudonym is computed and looked up."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from onrustradar.core.pseudonym import pseudonymise


@dataclass
class SubjectReport:
    pseudonym: str
    found: int
    deleted: int = 0
    by_source: dict[str, int] = field(default_factory=dict)
    first: str | None = None
    last: str | None = None

    def as_dict(self) -> dict:
        return {
            "pseudonym": self.pseudonym,
            "found": self.found,
            "deleted": self.deleted,
            "by_source": self.by_source,
            "first": self.first,
            "last": self.last,
        }


def subject_handle(handle: str) -> str:
    """The handle as stored: a profile link (https://instance/@name, https://t.me/name,
    reddit.com/user/name) becomes the handle it names; Mastodon's is name@instance."""
    text = handle.strip()
    match = re.match(r"^https?://([^/]+)/@([^/@?#]+)(?:@([^/?#]+))?/?", text)
    if match:
        return f"{match[2]}@{match[3] or match[1]}"
    match = (
        re.match(r"^https?://(?:www\.)?(?:t\.me|telegram\.me)/(?:s/)?([^/?#]+)/?$", text)
        or re.match(r"^https?://(?:www\.|old\.)?reddit\.com/(?:user|u)/([^/?#]+)/?$", text)
        or re.match(r"^https?://bsky\.app/profile/([^/?#]+)/?$", text)
    )
    return match[1] if match else text


def subject_request(store, handle: str, delete: bool = False) -> SubjectReport:
    """Posts the subject wrote, and posts of others that boost or forward the subject's post
    (they carry the subject's text): found by the handle's pseudonym as author or as origin."""
    pseudonym = pseudonymise(subject_handle(handle))
    if pseudonym is None:
        raise ValueError("geen handle opgegeven")
    posts = store.posts_by_author(pseudonym)
    report = SubjectReport(pseudonym, len(posts), by_source=dict(Counter(p.source_name or p.source for p in posts)))
    if posts:
        report.first = min(p.published_at for p in posts).isoformat()
        report.last = max(p.published_at for p in posts).isoformat()
    if delete and posts:
        report.deleted = store.delete_posts([p.id for p in posts])
    return report
