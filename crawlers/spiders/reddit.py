"""Subreddit listings `/r/<name>/new.json`, paged with `after` (older) and `before` (newer).

First run: newest page, then older pages back to the backfill age. Later runs: `before=<the
newest fullname stored>` until nothing newer is left.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import scrapy

from crawlers.jsonbody import ITEM_ERRORS, load_json
from crawlers.spiders.base import SourceSpider
from crawlers.text import tidy
from onrustradar.core.intake import check_count
from onrustradar.core.models import Post
from onrustradar.core.pseudonym import pseudonymise, scrub_mentions

PAGE = 100
MAX_PAGES = 30


def child_to_post(child: dict, subreddit: str, base_url: str) -> Post:
    data = child["data"]
    if data.get("subreddit") and str(data["subreddit"]).casefold() != subreddit.casefold():
        raise ValueError(f"item of another subreddit than r/{subreddit}")
    text = tidy("\n\n".join(p for p in (data.get("title") or "", data.get("selftext") or "") if p.strip()))
    if not text:
        raise ValueError("empty post")
    text = scrub_mentions(text)
    author = data.get("author")
    return Post(
        source="reddit",
        source_id=data["name"],
        channel=f"r/{subreddit}",
        published_at=datetime.fromtimestamp(float(data["created_utc"]), UTC),
        text=text,
        url=base_url.rstrip("/") + data["permalink"] if data.get("permalink") else data.get("url"),
        author=pseudonymise(author) if author and author != "[deleted]" else None,
        replies=check_count(data.get("num_comments")),
    )


def parse_listing(body: bytes, subreddit: str, base_url: str) -> tuple[list[Post], list[str], str | None]:
    listing = load_json(body)
    if (
        not isinstance(listing, dict)
        or listing.get("kind") != "Listing"
        or not isinstance(listing.get("data"), dict)
        or not isinstance(listing["data"].get("children", []), list)
    ):
        raise ValueError("not a Reddit listing")
    posts, problems = [], []
    for child in listing["data"].get("children", []):
        try:
            posts.append(child_to_post(child, subreddit, base_url))
        except ITEM_ERRORS as exc:
            problems.append(f"skipped malformed listing item: {exc!r}")
    after = listing["data"].get("after")
    return posts, problems, after if isinstance(after, str) else None


class RedditSpider(SourceSpider):
    name = "reddit"

    def listing_url(self, **params) -> str:
        query = urlencode({"limit": PAGE, "raw_json": 1, **params})
        return f"{self.source.base_url.rstrip('/')}/r/{self.source.subreddit}/new.json?{query}"

    async def start(self):
        self.pages = 0
        self.newest_seen: tuple[datetime, str] | None = None  # (time, fullname) of the newest post this run
        params = {"before": self.cursor} if self.cursor else {}
        yield scrapy.Request(
            self.listing_url(**params), callback=self.parse_listing, errback=self.on_error, dont_filter=True
        )

    def parse_listing(self, response):
        if not self.is_text_response(response, ("json",)):
            return
        try:
            posts, problems, after = parse_listing(response.body, self.source.subreddit, self.source.base_url)
        except ValueError as exc:
            self.errors.append(f"unreadable listing: {exc}")
            return
        for problem in problems:
            self.skip(problem)
        self.pages += 1
        oldest_wanted = self.now - timedelta(days=self.source.backfill_days)
        for post in posts:
            if self.cursor or post.published_at >= oldest_wanted:
                yield self.collected(post)
        for post in posts:
            if self.newest_seen is None or post.published_at > self.newest_seen[0]:
                self.newest_seen = (post.published_at, post.source_id)
        if self.pages >= MAX_PAGES:
            self.skip(f"stopped after {MAX_PAGES} pages; cursor not moved")
            return
        if self.cursor:
            if len(posts) >= PAGE:
                newest_here = max(posts, key=lambda p: p.published_at).source_id
                yield scrapy.Request(
                    self.listing_url(before=newest_here),
                    callback=self.parse_listing,
                    errback=self.on_error,
                    dont_filter=True,
                )
                return
        elif after and posts and min(p.published_at for p in posts) >= oldest_wanted:
            yield scrapy.Request(
                self.listing_url(after=after), callback=self.parse_listing, errback=self.on_error, dont_filter=True
            )
            return
        self.complete(self.newest_seen[1] if self.newest_seen else self.cursor)
