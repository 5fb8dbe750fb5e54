"""Bluesky through the public AppView's XRPC API, without an account: an author feed
(`app.bsky.feed.getAuthorFeed`) or a post search (`app.bsky.feed.searchPosts`, where the
AppView allows it). Both page backwards with an opaque `cursor`; the stored cursor is the
newest post time seen, and a run walks back until it reaches it (or the backfill age)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import scrapy

from crawlers.jsonbody import ITEM_ERRORS, load_json
from crawlers.spiders.base import SourceSpider
from crawlers.text import tidy
from onrustradar.core.intake import check_count
from onrustradar.core.models import Post
from onrustradar.core.pseudonym import pseudonymise, scrub_mentions

PAGE = 50
MAX_PAGES = 20


def _dt(value: str) -> datetime:
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def post_view_to_post(view: dict, channel: str, reposted: bool = False) -> Post:
    record = view["record"]
    text = scrub_mentions(tidy(record.get("text") or ""))
    if not text:
        raise ValueError("empty post")
    handle = (view.get("author") or {}).get("handle")
    uri = view["uri"]  # at://did/app.bsky.feed.post/rkey
    did, _, rkey = uri.removeprefix("at://").partition("/app.bsky.feed.post/")
    if not rkey:
        raise ValueError("not a post uri")
    return Post(
        source="bluesky",
        # A DID names its account as surely as a handle: only its pseudonym is kept, and so
        # no link (bsky.app links need the DID or the handle).
        source_id=f"at://{pseudonymise(did)}/app.bsky.feed.post/{rkey}",
        channel=channel,
        published_at=_dt(record.get("createdAt") or view["indexedAt"]),
        text=text,
        url=None,
        author=pseudonymise(handle),
        forwards=check_count(view.get("repostCount")),
        replies=check_count(view.get("replyCount")),
        forwarded_from=pseudonymise(handle) if reposted else None,
    )


def parse_page(body: bytes, channel: str) -> tuple[list[Post], list[str], str | None]:
    data = load_json(body)
    if not isinstance(data, dict):
        raise ValueError("expected a JSON object")
    # JSON values of any shape: a malformed one fails in post_view_to_post and is skipped.
    views: list[tuple[Any, bool]]
    if isinstance(data.get("feed"), list):
        views = [
            (item.get("post"), bool(item.get("reason"))) if isinstance(item, dict) else (item, False)
            for item in data["feed"]
        ]
    elif isinstance(data.get("posts"), list):
        views = [(view, False) for view in data["posts"]]
    else:
        raise ValueError("neither a 'feed' nor a 'posts' list in the response")
    posts, problems = [], []
    for view, reposted in views:
        try:
            posts.append(post_view_to_post(view, channel, reposted))
        except ITEM_ERRORS as exc:
            problems.append(f"skipped malformed post: {exc!r}")
    cursor = data.get("cursor")
    return posts, problems, cursor if isinstance(cursor, str) else None


class BlueskySpider(SourceSpider):
    name = "bluesky"

    @property
    def channel(self) -> str:
        return f"@{self.source.actor}" if self.source.actor else f"zoek:{self.source.query}"

    def page_url(self, cursor: str | None) -> str:
        base = self.source.base_url.rstrip("/")
        if self.source.actor:
            params = {"actor": self.source.actor, "limit": PAGE, "filter": "posts_no_replies"}
            method = "app.bsky.feed.getAuthorFeed"
        else:
            params = {"q": self.source.query, "limit": PAGE, "sort": "latest"}
            method = "app.bsky.feed.searchPosts"
        if cursor:
            params["cursor"] = cursor
        return f"{base}/xrpc/{method}?{urlencode(params)}"

    async def start(self):
        self.pages = 0
        self.start_time_cursor()
        yield scrapy.Request(self.page_url(None), callback=self.parse_page, errback=self.on_error, dont_filter=True)

    def parse_page(self, response):
        if not self.is_text_response(response, ("json",)):
            return
        try:
            posts, problems, cursor = parse_page(response.body, self.channel)
        except ValueError as exc:
            self.errors.append(f"unreadable response: {exc}")
            return
        for problem in problems:
            self.skip(problem)
        self.pages += 1
        fresh, reached = self.newer_than_cursor(posts)
        for post in fresh:
            yield self.collected(post)
        if reached or not cursor or not posts:
            self.complete(self.newest.isoformat() if self.newest else self.cursor)
        elif self.pages >= MAX_PAGES:
            self.skip(f"stopped after {MAX_PAGES} pages; cursor not moved")
        else:
            yield scrapy.Request(
                self.page_url(cursor), callback=self.parse_page, errback=self.on_error, dont_filter=True
            )
