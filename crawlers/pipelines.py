"""Scrapy item pipeline: collected Posts go into the store in batches; at the end of a
source's crawl its health and (only after a complete walk) its cursor are recorded."""

from __future__ import annotations

from onrustradar.core.intake import Rejected, admit
from onrustradar.core.models import Post
from store import open_store

BATCH = 500


class StorePipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.settings = crawler.settings.get("ONRUSTRADAR_SETTINGS")
        self.buffer: list[Post] = []
        self.new = 0
        self.seen = 0

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self, spider=None):
        self.store = open_store(self.settings)

    def process_item(self, item, spider=None):
        if isinstance(item, Post):
            spider = spider or self.crawler.spider
            try:
                admit(item)  # dates, counts and strings from outside are range-checked here
            except Rejected as exc:
                spider.skip(f"item refused at intake: {exc}")
                return item
            self.buffer.append(item)
            self.seen += 1
            if len(self.buffer) >= BATCH:
                self.flush()
        return item

    def flush(self) -> None:
        if self.buffer:
            self.new += self.store.upsert_posts(self.buffer).new
            self.buffer = []

    def close_spider(self, spider=None):
        spider = self.crawler.spider
        try:
            self.flush()
            error = "; ".join(spider.errors[:3]) if spider.errors else None
            if spider.new_cursor and not spider.errors:
                self.store.set_cursor(spider.source.name, spider.new_cursor)
            self.store.record_crawl(spider.source.name, self.new, error)
            self.crawler.stats.set_value("onrustradar/new", self.new)
            self.crawler.stats.set_value("onrustradar/seen", self.seen)
            self.crawler.stats.set_value("onrustradar/skipped", len(spider.skipped))
            self.crawler.stats.set_value("onrustradar/error", error)
        finally:
            self.store.close()
