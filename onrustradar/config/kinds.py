"""Who publishes a post, for the reliability label: official, news or social."""

from __future__ import annotations

from collections.abc import Callable
from fnmatch import fnmatch
from functools import lru_cache

from onrustradar.config.settings import Config
from onrustradar.core.models import OWN_SOURCE, Post


def source_kinds(config: Config) -> Callable[[Post], str]:
    """The reliability registry: configured sources by their `kind`, other channels by the
    detectors' official/news patterns, remaining feeds as news, the rest as social."""
    kinds = {s.name: s.kind for s in config.settings.sources}
    det = config.settings.detectors

    @lru_cache(maxsize=100_000)
    def by_channel(source: str, channel: str) -> str:
        channel = channel.casefold()
        if any(fnmatch(channel, p.casefold()) for p in det.official_channels):
            return "official"
        if any(fnmatch(channel, p.casefold()) for p in det.news_channels) or source == "rss":
            return "news"
        return "social"

    def kind(post: Post) -> str:
        if post.source == OWN_SOURCE:
            return "official"  # the gemeente's own melding (onrustradar.service.meldingen)
        if post.source_name in kinds:
            return kinds[post.source_name]
        return by_channel(post.source, post.channel)

    return kind
