"""Public Mastodon hashtag and account timelines via the REST API, without a token.

First run: the newest page, then older pages (`max_id`) back to the backfill age. Later
runs: `min_id=<cursor>` pages forward until nothing newer is left.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from urllib.parse import quote, urlencode, urlsplit

import scrapy

from crawlers.jsonbody import ITEM_ERRORS, load_json
from crawlers.spiders.base import SourceSpider
from crawlers.text import html_to_text
from onrustradar.core.intake import check_count
from onrustradar.core.models import Post
from onrustradar.core.pseudonym import pseudonymise, scrub, scrub_mentions

PAGE = 40
MAX_PAGES = 50


def _dt(value: str) -> datetime:
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _canonical(acct: str | None, base_url: str | None) -> str | None:
    """An account as name@instance: an instance lists its own accounts without the instance
    ("jansen") and others' with it ("jansen@elders.nl"); one person gets one pseudonym, which
    a subject request for name@instance finds."""
    if not acct or not str(acct).strip():
        return None
    acct = str(acct).strip().lstrip("@")
    if "@" not in acct and base_url:
        host = urlsplit(base_url).hostname
        if host:
            acct = f"{acct}@{host}"
    return acct


def status_to_post(status: dict, channel: str, base_url: str | None = None) -> Post:
    original = status.get("reblog") or status
    text = html_to_text(original.get("content") or "")
    if original.get("spoiler_text"):
        text = f"{original['spoiler_text']}\n\n{text}"
    if not text.strip():
        raise ValueError("empty status")
    text = scrub_mentions(text)
    account = _canonical((status.get("account") or {}).get("acct"), base_url)
    boosted_from = _canonical((original.get("account") or {}).get("acct"), base_url) if status.get("reblog") else None
    # The uri names the author (…/users/<name>/statuses/<id>): only its pseudonymised form
    # is kept. The link goes through the instance we read, by status id, naming no one.
    source_id = scrub(str(original.get("uri") or original.get("url") or original["id"]))
    assert source_id is not None  # scrub gives None only for None, and a str went in
    return Post(
        source="mastodon",
        source_id=source_id,
        channel=channel,
        published_at=_dt(status["created_at"]),
        text=text,
        url=f"{base_url.rstrip('/')}/web/statuses/{original['id']}" if base_url and original.get("id") else None,
        author=pseudonymise(account),
        forwards=check_count(original.get("reblogs_count")),
        replies=check_count(original.get("replies_count")),
        # A boost is a forward of another person's post: keep only a pseudonym of its origin.
        forwarded_from=pseudonymise(boosted_from) if boosted_from else None,
    )


def parse_statuses(body: bytes, channel: str, base_url: str | None = None) -> tuple[list[tuple[str, Post]], list[str]]:
    data = load_json(body)
    if not isinstance(data, list):
        raise ValueError(f"expected a JSON list of statuses, got {type(data).__name__}")
    out, problems = [], []
    for status in data:
        try:
            out.append((str(status["id"]), status_to_post(status, channel, base_url)))
        except ITEM_ERRORS as exc:
            ident = status.get("id", "?") if isinstance(status, dict) else "?"
            problems.append(f"skipped malformed status {ident}: {exc!r}")
    return out, problems


def _accounts(body: bytes) -> dict[str, str]:
    """status id -> the account that posted (or boosted) it, for the account check."""
    data = load_json(body)
    return (
        {
            str(s["id"]): str(s["account"].get("acct") or "")
            for s in data
            if isinstance(s, dict) and "id" in s and isinstance(s.get("account"), dict)
        }
        if isinstance(data, list)
        else {}
    )


def _id_key(status_id: str) -> tuple[int, str]:
    # Mastodon ids are numeric strings that sort by time; compare them as numbers.
    return (len(status_id), status_id)


class MastodonSpider(SourceSpider):
    name = "mastodon"

    def timeline_url(self, **params) -> str:
        base = self.source.base_url.rstrip("/")
        if self.source.tag:
            path = f"/api/v1/timelines/tag/{quote(self.source.tag.lstrip('#'))}"
        else:
            path = f"/api/v1/accounts/{self.account_id}/statuses"
        return f"{base}{path}?{urlencode({'limit': PAGE, **params})}"

    @property
    def channel(self) -> str:
        return f"#{self.source.tag.lstrip('#')}" if self.source.tag else self.source.account

    async def start(self):
        self.pages = 0
        self.highest = self.cursor
        if self.source.account:
            url = (
                f"{self.source.base_url.rstrip('/')}/api/v1/accounts/lookup?{urlencode({'acct': self.source.account})}"
            )
            yield scrapy.Request(url, callback=self.parse_account, errback=self.on_error, dont_filter=True)
        else:
            yield self.first_request()

    def parse_account(self, response):
        try:
            self.account_id = json.loads(response.body)["id"]
        except (ValueError, KeyError, TypeError) as exc:
            self.errors.append(f"account lookup failed: {exc!r}")
            return
        yield self.first_request()

    def first_request(self):
        params = {"min_id": self.cursor} if self.cursor else {}
        return scrapy.Request(
            self.timeline_url(**params), callback=self.parse_timeline, errback=self.on_error, dont_filter=True
        )

    def _own(self, status_id: str, response) -> bool:
        """An account timeline lists only that account's statuses (its boosts included)."""
        acct = self.accounts.get(status_id, "")
        if acct.split("@")[0].casefold() == self.source.account.lstrip("@").split("@")[0].casefold():
            return True
        self.skip(f"skipped status {status_id} of another account than the configured one")
        return False

    def parse_timeline(self, response):
        if not self.is_text_response(response, ("json",)):
            return
        try:
            statuses, problems = parse_statuses(response.body, self.channel, self.source.base_url)
            self.accounts = _accounts(response.body)
        except ValueError as exc:
            self.errors.append(f"unreadable timeline: {exc}")
            return
        for problem in problems:
            self.skip(problem)
        self.pages += 1
        oldest_wanted = self.now - timedelta(days=self.source.backfill_days)
        if self.source.account:
            statuses = [(i, p) for i, p in statuses if self._own(i, response)]
        for status_id, post in statuses:
            if not self.highest or _id_key(status_id) > _id_key(self.highest):
                self.highest = status_id
            if self.cursor or post.published_at >= oldest_wanted:
                yield self.collected(post)
        ids = sorted((s for s, _ in statuses), key=_id_key)
        if self.pages >= MAX_PAGES:
            self.skip(f"stopped after {MAX_PAGES} pages; cursor not moved")
            return
        if self.cursor:
            if len(ids) >= PAGE:  # there may be more after this page
                yield scrapy.Request(
                    self.timeline_url(min_id=ids[-1]),
                    callback=self.parse_timeline,
                    errback=self.on_error,
                    dont_filter=True,
                )
                self.cursor = ids[-1]
                return
        elif ids and len(ids) >= PAGE and min(p.published_at for _, p in statuses) >= oldest_wanted:
            yield scrapy.Request(
                self.timeline_url(max_id=ids[0]), callback=self.parse_timeline, errback=self.on_error, dont_filter=True
            )
            return
        self.complete(self.highest)
