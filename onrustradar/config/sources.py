"""Source types: one registry, `SOURCE_TYPES`, names each type's configuration model and the
component that crawls it (a dotted path, resolved by the crawl runner, as Scrapy settings name
components). Adding a source type means adding one model and one registry entry here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from onrustradar.config.base import Duration, Strict, parse_duration
from onrustradar.core.validation import GemeenteName


class SourceBase(Strict):
    """What every source has: name, interval, kind (official, news, social), enabled, backfill and home gemeente."""

    name: str = Field(pattern=r"^[A-Za-z0-9_.-]+$")
    interval: Duration = 900
    # Who publishes here, for the reliability label: an official body, an established news
    # outlet, or social media (anyone).
    kind: Literal["official", "news", "social"] = "social"
    enabled: bool = True
    backfill_days: int = Field(default=7, ge=0, le=365)  # how far back the first crawl reaches
    # The gemeente this source reports on (a local channel or feed): settles ambiguous place
    # names in its posts ("Rijswijk", "Hengelo").
    gemeente: GemeenteName | None = None

    @field_validator("interval", mode="before")
    @classmethod
    def _interval(cls, value):
        return parse_duration(value)


class RssSource(SourceBase):
    type: Literal["rss"]
    url: str
    follow_articles: bool = False
    # Hosts besides the feed's own whose article links may be followed (public addresses only).
    follow_hosts: list[str] = []
    kind: Literal["official", "news", "social"] = "news"


def _public_channel_name(value: str) -> str:
    """A public channel's @name; invite links and private groups are refused."""
    name = value.strip().removeprefix("https://").removeprefix("t.me/").removeprefix("s/").lstrip("@")
    if name.startswith("+") or "joinchat" in name:
        raise ValueError("uitnodigingslinks worden geweigerd: alleen openbare kanalen, bij hun @naam, worden gelezen")
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{3,63}", name):
        raise ValueError(f"{value!r} is geen naam van een openbaar kanaal (letters, cijfers, _; 4 tot 64 tekens)")
    return name


class TelegramWebSource(SourceBase):
    type: Literal["telegram_web"]
    channel: str
    base_url: str = "https://t.me"

    @field_validator("channel")
    @classmethod
    def _public_channel(cls, value: str) -> str:
        return _public_channel_name(value)


class TelegramApiSource(SourceBase):
    type: Literal["telegram_api"]
    channel: str
    session_path: str = "var/telegram.session"
    # The gemeente's own organisational account the session belongs to (never a personal or
    # invented one); recorded so the FG can check it.
    official_account: str = Field(min_length=3)

    @field_validator("channel")
    @classmethod
    def _public_channel(cls, value: str) -> str:
        return _public_channel_name(value)


class MastodonSource(SourceBase):
    type: Literal["mastodon"]
    base_url: str
    tag: str | None = None
    account: str | None = None

    @model_validator(mode="after")
    def _one_timeline(self):
        if bool(self.tag) == bool(self.account):
            raise ValueError("geef precies één van 'tag' of 'account'")
        return self


class RedditSource(SourceBase):
    type: Literal["reddit"]
    subreddit: str = Field(pattern=r"^[A-Za-z0-9_]{2,32}$")
    base_url: str = "https://www.reddit.com"


class BlueskySource(SourceBase):
    type: Literal["bluesky"]
    base_url: str = "https://public.api.bsky.app"
    actor: str | None = None
    query: str | None = None

    @model_validator(mode="after")
    def _one_feed(self):
        if bool(self.actor) == bool(self.query):
            raise ValueError("geef precies één van 'actor' of 'query'")
        return self


class DumpertSource(SourceBase):
    type: Literal["dumpert"]
    base_url: str = "https://api-live.dumpert.nl"


@dataclass(frozen=True)
class SourceType:
    """A source type: its configuration model and the component that reads it.

    `crawler` is a dotted path: a Scrapy spider class run by the crawl runner, or (with
    `scrapy=False`) a module-level function `crawl_sources(sources, store)` for a client that is
    not HTTP page crawling (Telegram's API)."""

    model: type[SourceBase]
    crawler: str
    scrapy: bool = True


SOURCE_TYPES: dict[str, SourceType] = {
    "rss": SourceType(RssSource, "crawlers.spiders.rss.RssSpider"),
    "telegram_web": SourceType(TelegramWebSource, "crawlers.spiders.telegram_web.TelegramWebSpider"),
    "telegram_api": SourceType(TelegramApiSource, "crawlers.telegram_api.crawl_sources", scrapy=False),
    "mastodon": SourceType(MastodonSource, "crawlers.spiders.mastodon.MastodonSpider"),
    "reddit": SourceType(RedditSource, "crawlers.spiders.reddit.RedditSpider"),
    "bluesky": SourceType(BlueskySource, "crawlers.spiders.bluesky.BlueskySpider"),
    "dumpert": SourceType(DumpertSource, "crawlers.spiders.dumpert.DumpertSpider"),
}

# The `sources:` entry of the config: one model per type, chosen by its `type` key.
Source = Annotated[
    RssSource | TelegramWebSource | TelegramApiSource | MastodonSource | RedditSource | BlueskySource | DumpertSource,
    Field(discriminator="type"),
]
