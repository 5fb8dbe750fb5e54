"""Titles and descriptions of newly posted Dumpert videos (the mobile JSON API's 'latest'
listing), so a scootermeeting filmed and posted there reaches the board."""

from __future__ import annotations

from datetime import UTC, datetime

import scrapy

from crawlers.jsonbody import ITEM_ERRORS, load_json
from crawlers.spiders.base import SourceSpider
from crawlers.text import html_to_text, tidy
from onrustradar.core.intake import check_count
from onrustradar.core.models import Post

MAX_PAGES = 10


def item_to_post(item: dict) -> Post:
    text = tidy("\n\n".join(p for p in (item.get("title") or "", html_to_text(item.get("description") or "")) if p))
    if not text:
        raise ValueError("empty item")
    ident = str(item["id"])
    moment = datetime.fromisoformat(str(item["date"]).replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    stats = item.get("stats") or {}
    return Post(
        source="dumpert",
        source_id=ident,
        channel="dumpert",
        published_at=moment,
        text=text,
        url=f"https://www.dumpert.nl/item/{ident}",
        views=check_count(stats.get("views_total")),
    )


def parse_latest(body: bytes) -> tuple[list[Post], list[str]]:
    data = load_json(body)
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise ValueError("expected an object with 'items'")
    posts, problems = [], []
    for item in data["items"]:
        try:
            posts.append(item_to_post(item))
        except ITEM_ERRORS as exc:
            problems.append(f"skipped malformed item: {exc!r}")
    return posts, problems


class DumpertSpider(SourceSpider):
    name = "dumpert"

    def page_url(self, page: int) -> str:
        return f"{self.source.base_url.rstrip('/')}/mobile_api/json/video/latest/{page}/"

    async def start(self):
        self.start_time_cursor()
        yield scrapy.Request(
            self.page_url(0), callback=self.parse_latest, errback=self.on_error, dont_filter=True, cb_kwargs={"page": 0}
        )

    def parse_latest(self, response, page: int):
        if not self.is_text_response(response, ("json",)):
            return
        try:
            posts, problems = parse_latest(response.body)
        except ValueError as exc:
            self.errors.append(f"unreadable listing: {exc}")
            return
        for problem in problems:
            self.skip(problem)
        fresh, reached = self.newer_than_cursor(posts)
        for post in fresh:
            yield self.collected(post)
        if reached or not posts or page + 1 >= MAX_PAGES:
            self.complete(self.newest.isoformat() if self.newest else self.cursor)
        else:
            yield scrapy.Request(
                self.page_url(page + 1),
                callback=self.parse_latest,
                errback=self.on_error,
                dont_filter=True,
                cb_kwargs={"page": page + 1},
            )
