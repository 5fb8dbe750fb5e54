"""A local replay of public sources on 127.0.0.1, for the demo (and tests): t.me/s preview
pages, RSS feeds and a Mastodon tag timeline, rendered from a timeline of posts whose
'live' part appears while the server runs.

The pages follow the real structures (see tests/fixtures and ../shared/fixtures) so the
real spiders crawl them unchanged.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import yaml

from onrustradar.core.nl import AMS, DAY_NAMES, MONTH_NAMES

TIMELINE = Path(__file__).resolve().parent / "data" / "demo" / "timeline.yml"
PAGE_SIZE = 20


@dataclass(slots=True)
class ReplayPost:
    feed: str
    kind: str
    number: int  # message id within its feed
    text: str
    published_at: datetime
    author: str | None = None
    views: int | None = None
    forwarded_from: str | None = None
    live: bool = False
    visible_from: datetime = field(default_factory=lambda: datetime.min.replace(tzinfo=UTC))


def _fill_dates(text: str, start: datetime) -> str:
    def day(match: re.Match) -> str:
        moment = (start.astimezone(AMS) + timedelta(days=int(match[2]))).date()
        words = f"{DAY_NAMES[moment.weekday()]} {moment.day} {MONTH_NAMES[moment.month - 1]}"
        return words.upper() if match[1] == "DAG" else words.capitalize() if match[1] == "Dag" else words

    return re.sub(r"\{(dag|Dag|DAG)\+(\d+)\}", day, text)


def load_timeline(start: datetime, live_every: float | None, path: Path = TIMELINE) -> tuple[dict, list[ReplayPost]]:
    """Posts relative to `start`. With `live_every` seconds, live posts are revealed one by
    one after start and published when revealed; without, they are all there at once."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    feeds = {f["name"]: f for f in data["feeds"]}
    posts: list[ReplayPost] = []
    live_index = 0
    for entry in data["posts"]:
        feed = feeds[entry["feed"]]
        published = start + timedelta(hours=entry.get("hours", 0))
        visible = published
        if entry.get("live") and live_every is not None:
            live_index += 1
            visible = published = start + timedelta(seconds=live_every * live_index)
        posts.append(
            ReplayPost(
                feed=feed["name"],
                kind=feed["kind"],
                number=0,
                text=_fill_dates(entry["text"], start),
                published_at=published,
                author=entry.get("author"),
                views=entry.get("views"),
                forwarded_from=entry.get("forwarded_from"),
                live=bool(entry.get("live")),
                visible_from=visible,
            )
        )
    posts.sort(key=lambda p: p.published_at)
    counters: dict[str, int] = {}
    for post in posts:
        counters[post.feed] = counters.get(post.feed, 100) + 1
        post.number = counters[post.feed]
    return feeds, posts


# -- renderers ----------------------------------------------------------------------------


def _tme_message(channel: str, post: ReplayPost) -> str:
    body = escape(post.text).replace("\n", "<br/>")
    forwarded = ""
    if post.forwarded_from:
        forwarded = (
            '<div class="tgme_widget_message_forwarded_from accent_color">Forwarded from '
            f'<a class="tgme_widget_message_forwarded_from_name" href="https://t.me/{post.forwarded_from}/1">'
            f'<span dir="auto">{escape(post.forwarded_from)}</span></a></div>'
        )
    author = (
        f'<span class="tgme_widget_message_from_author" dir="auto">{escape(post.author)}</span>,&nbsp;'
        if post.author
        else ""
    )
    views = f'<span class="tgme_widget_message_views">{post.views}</span>' if post.views is not None else ""
    return (
        '<div class="tgme_widget_message_wrap js-widget_message_wrap">'
        f'<div class="tgme_widget_message js-widget_message" data-post="{channel}/{post.number}">'
        f'<div class="tgme_widget_message_bubble">{forwarded}'
        f'<div class="tgme_widget_message_text js-message_text" dir="auto">{body}</div>'
        '<div class="tgme_widget_message_footer"><div class="tgme_widget_message_info short js-message_info">'
        f'{views}<span class="tgme_widget_message_meta">{author}'
        f'<a class="tgme_widget_message_date" href="https://t.me/{channel}/{post.number}">'
        f'<time datetime="{post.published_at.astimezone(UTC).isoformat()}" class="time">'
        f"{post.published_at.astimezone(AMS):%H:%M}</time></a></span></div></div></div></div></div>"
    )


def render_tme_page(channel: str, posts: list[ReplayPost], before: int | None) -> str:
    """A t.me/s/<channel> preview page: the newest PAGE_SIZE messages older than `before`."""
    older = [p for p in posts if before is None or p.number < before]
    page = older[-PAGE_SIZE:]
    more = ""
    if len(older) > len(page) and page:
        more = (
            f'<div class="tgme_widget_message_centered js-messages_more_wrap"><a href="/s/{channel}'
            f'?before={page[0].number}" class="tme_messages_more js-messages_more" '
            f'data-before="{page[0].number}"></a></div>'
        )
    messages = "".join(_tme_message(channel, p) for p in page)
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Telegram</title></head>'
        f'<body class="tgme_webpreview"><main class="tgme_main" data-url="/{channel}">'
        f'<section class="tgme_channel_history js-message_history">{more}{messages}</section>'
        "</main></body></html>"
    )


def render_rss(feed: dict, posts: list[ReplayPost], base: str) -> str:
    items = []
    for post in reversed(posts):
        title, _, body = post.text.partition("\n\n")
        items.append(
            f"<item><title><![CDATA[{title}]]></title><description><![CDATA[{body}]]></description>"
            f"<link>{base}/artikel/{feed['name']}/{post.number}</link>"
            f'<guid isPermaLink="false">{feed["name"]}-{post.number}</guid>'
            f"<pubDate>{format_datetime(post.published_at.astimezone(UTC))}</pubDate></item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{escape(feed.get('title', feed['name']))}</title><link>{base}</link>"
        f"<description>Demo feed</description><language>nl</language>{''.join(items)}</channel></rss>"
    )


def render_mastodon(posts: list[ReplayPost], base: str, params: dict) -> str:
    def status(post: ReplayPost) -> dict:
        sid = str(10_000 + post.number)
        return {
            "id": sid,
            "created_at": post.published_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
            "uri": f"{base}/users/demo/statuses/{sid}",
            "url": f"{base}/@demo/{sid}",
            "content": "<p>" + escape(post.text).replace("\n", "<br>") + "</p>",
            "spoiler_text": "",
            "reblogs_count": 0,
            "replies_count": 0,
            "favourites_count": 0,
            "reblog": None,
            "account": {"id": "1", "acct": (post.author or "@anoniem").lstrip("@"), "username": "demo"},
        }

    statuses = sorted(posts, key=lambda p: p.number, reverse=True)
    limit = int(params.get("limit", ["20"])[0])
    if "max_id" in params:
        statuses = [p for p in statuses if 10_000 + p.number < int(params["max_id"][0])]
    if "min_id" in params:
        statuses = [p for p in statuses if 10_000 + p.number > int(params["min_id"][0])][-limit:]
    if "since_id" in params:
        statuses = [p for p in statuses if 10_000 + p.number > int(params["since_id"][0])]
    return json.dumps([status(p) for p in statuses[:limit]])


# -- server -------------------------------------------------------------------------------


class ReplayServer:
    """Serves the timeline on 127.0.0.1 in a background thread."""

    def __init__(self, feeds: dict, posts: list[ReplayPost], port: int = 0, clock=None):
        self.feeds, self.posts = feeds, posts
        self.clock = clock or (lambda: datetime.now(UTC))
        replay = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet: the demo prints its own progress
                pass

            def do_GET(self):
                replay.handle(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def start(self) -> ReplayServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def visible(self, feed: str) -> list[ReplayPost]:
        now = self.clock()
        return [p for p in self.posts if p.feed == feed and p.visible_from <= now]

    def remaining_live(self) -> int:
        now = self.clock()
        return sum(1 for p in self.posts if p.visible_from > now)

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        url = urlparse(request.path)
        params = parse_qs(url.query)
        path = url.path
        if path == "/robots.txt":
            return _send(request, 200, "text/plain", "User-agent: *\nAllow: /\n")
        match = re.fullmatch(r"/s/([A-Za-z0-9_]+)", path)
        if match and self.feeds.get(match[1], {}).get("kind") == "telegram":
            before = int(params["before"][0]) if "before" in params else None
            return _send(
                request, 200, "text/html; charset=utf-8", render_tme_page(match[1], self.visible(match[1]), before)
            )
        match = re.fullmatch(r"/feeds/([A-Za-z0-9_.-]+)\.xml", path)
        if match and self.feeds.get(match[1], {}).get("kind") == "rss":
            return _send(
                request,
                200,
                "application/rss+xml; charset=utf-8",
                render_rss(self.feeds[match[1]], self.visible(match[1]), self.url),
            )
        match = re.fullmatch(r"/api/v1/timelines/tag/([A-Za-z0-9_]+)", path)
        if match and self.feeds.get(match[1], {}).get("kind") == "mastodon":
            return _send(
                request,
                200,
                "application/json; charset=utf-8",
                render_mastodon(self.visible(match[1]), self.url, params),
            )
        _send(request, 404, "text/plain", "not found")


def _send(request: BaseHTTPRequestHandler, status: int, ctype: str, body: str) -> None:
    data = body.encode("utf-8")
    request.send_response(status)
    request.send_header("Content-Type", ctype)
    request.send_header("Content-Length", str(len(data)))
    request.end_headers()
    request.wfile.write(data)
