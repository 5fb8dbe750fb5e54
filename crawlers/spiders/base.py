"""What every source spider shares: its config entry, its cursor, and honest bookkeeping of
what went wrong, so one bad source never stops the others and never loses stored posts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import scrapy
from scrapy import signals

from onrustradar.core.models import Post


class SourceSpider(scrapy.Spider):
    # Set by the runner per crawl: the config entry, the stored cursor, the crawl's clock.
    def __init__(self, source, cursor: str | None = None, now: datetime | None = None, **kwargs):
        super().__init__(name=f"{self.name}:{source.name}", **kwargs)
        self.source = source
        self.cursor = cursor
        self.now = now or datetime.now(UTC)
        self.errors: list[str] = []
        self.skipped: list[str] = []
        self.new_cursor: str | None = None  # set only when a run completed its walk

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.on_spider_error, signal=signals.spider_error)
        return spider

    def on_spider_error(self, failure, response, spider) -> None:
        # A bug or an input we did not foresee: record it against the source, keep going.
        if spider is self:
            self.errors.append(f"{failure.type.__name__}: {failure.getErrorMessage()} ({response.url})")

    def collected(self, post: Post) -> Post:
        post.source_name = self.source.name
        return post

    def start_time_cursor(self) -> None:
        """For sources paged by an opaque token: the cursor is the newest post time stored."""
        self.stored_newest = datetime.fromisoformat(self.cursor) if self.cursor else None
        self.newest = self.stored_newest

    def newer_than_cursor(self, posts: list[Post]) -> tuple[list[Post], bool]:
        """The posts newer than the stored newest time (on a first run: within the backfill
        age), and whether an older one showed that the walk has met what is stored."""
        limit = self.stored_newest or self.now - timedelta(days=self.source.backfill_days)
        fresh = [p for p in posts if (p.published_at > limit if self.stored_newest else p.published_at >= limit)]
        for post in fresh:
            if self.newest is None or post.published_at > self.newest:
                self.newest = post.published_at
        return fresh, len(fresh) < len(posts)

    def complete(self, cursor: str | None) -> None:
        self.new_cursor = cursor

    def skip(self, message: str) -> None:
        self.skipped.append(message)
        self.logger.warning("%s: %s", self.source.name, message)

    def on_error(self, failure) -> None:
        request = getattr(failure, "request", None)
        message = f"{failure.type.__name__ if failure.type else 'error'}: {failure.getErrorMessage()}"
        if request is not None:
            message += f" ({request.url})"
        self.errors.append(message)
        self.logger.error("%s: %s", self.source.name, message)

    def is_text_response(self, response, expected: tuple[str, ...]) -> bool:
        """Reject a body that is not what we asked for (an HTML error page for a feed, ...)."""
        ctype = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
        if not isinstance(response, scrapy.http.TextResponse) and not ctype:
            self.skip(f"no content type at {response.url}")
            return False
        if ctype and not any(kind in ctype for kind in expected):
            self.skip(f"unexpected content type {ctype!r} at {response.url}")
            return False
        return True
