"""RSS and Atom feeds of national, regional and local news (feedparser), optionally
following each item to the article for its main text (trafilatura)."""

from __future__ import annotations

import calendar
import hashlib
from datetime import UTC, datetime

import feedparser
import scrapy

from crawlers.spiders.base import SourceSpider
from crawlers.ssrf import ARTICLE_META, refusal
from crawlers.text import html_to_text, tidy
from onrustradar.core.models import Post
from onrustradar.core.pseudonym import pseudonymise

FEED_TYPES = ("xml", "rss", "atom", "text/plain", "application/octet-stream")


def _published(entry) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                return datetime.fromtimestamp(calendar.timegm(value), UTC)
            except (OverflowError, OSError, ValueError, TypeError):
                raise ValueError(f"{key} is out of range") from None
    return None


def parse_feed(body: bytes, channel: str, fetched_at: datetime) -> tuple[list[Post], list[str], str | None]:
    """Posts in a feed, problems with skipped items, and a fatal problem if the feed is unusable."""
    feed = feedparser.parse(body)
    if feed.bozo and not feed.entries:
        return [], [], f"unreadable feed: {feed.get('bozo_exception', 'malformed XML')}"
    problems = []
    if feed.bozo:
        problems.append(f"feed is malformed but readable: {feed.get('bozo_exception')}")
    posts = []
    for entry in feed.entries:
        title = tidy(html_to_text(entry.get("title", "")))
        summary = html_to_text(entry.get("summary", ""))
        text = tidy("\n\n".join(p for p in (title, summary) if p))
        link = entry.get("link")
        ident = entry.get("id") or link
        if not text:
            problems.append(f"skipped item without title or text ({ident or '?'})")
            continue
        if not ident:
            ident = "sha1:" + hashlib.sha1(text.encode()).hexdigest()
        try:
            published = _published(entry)
        except ValueError as exc:
            problems.append(f"skipped item with an impossible date ({exc})")
            continue
        if published is None:
            problems.append(f"item without date, using fetch time ({ident})")
            published = fetched_at
        try:
            posts.append(
                Post(
                    source="rss",
                    source_id=ident,
                    channel=channel,
                    published_at=published,
                    text=text,
                    url=link,
                    author=pseudonymise(entry.get("author")) if entry.get("author") else None,
                )
            )
        except ValueError as exc:
            problems.append(f"skipped item: {exc}")
    if feed.bozo and not posts:
        return [], problems, f"unreadable feed: {feed.get('bozo_exception', 'malformed XML')}"
    return posts, problems, None


class RssSpider(SourceSpider):
    name = "rss"

    async def start(self):
        yield scrapy.Request(self.source.url, callback=self.parse_feed, errback=self.on_error, dont_filter=True)

    def parse_feed(self, response):
        if not self.is_text_response(response, FEED_TYPES):
            return
        posts, problems, fatal = parse_feed(response.body, self.source.name, self.now)
        for problem in problems:
            self.skip(problem)
        if fatal:
            self.errors.append(fatal)
            self.logger.error("%s: %s", self.source.name, fatal)
            return
        latest = max((p.published_at for p in posts), default=None)
        for post in posts:
            reason = (
                refusal(post.url, self.source.url, self.source.follow_hosts)
                if (self.source.follow_articles and post.url)
                else "not followed"
            )
            if reason is None:
                yield scrapy.Request(
                    post.url,
                    callback=self.parse_article,
                    errback=self.on_article_error,
                    cb_kwargs={"post": post},
                    meta={ARTICLE_META: self.source.url},
                )
            else:
                if self.source.follow_articles and post.url:
                    self.skip(f"article not fetched: {reason}")
                yield self.collected(post)
        self.complete(latest.isoformat() if latest else self.cursor)

    def parse_article(self, response, post: Post):
        import trafilatura

        body = (
            trafilatura.extract(response.text, include_comments=False, include_tables=False)
            if isinstance(response, scrapy.http.TextResponse)
            else None
        )
        if body:
            post.text = tidy(f"{post.text}\n\n{body}")
        yield self.collected(post)

    def on_article_error(self, failure):
        # The feed item itself is still worth keeping without its article text.
        self.skip(f"article not fetched: {failure.getErrorMessage()}")
        return self.collected(failure.request.cb_kwargs["post"])
