"""Public Telegram channels through the web preview `{base_url}/s/{channel}` — no account.

Paging: the preview shows the newest ~20 messages; `?before=<id>` shows older ones. A run
starts at the newest page and walks back until it reaches the stored cursor (the highest id
already stored) or, on the first run, the backfill age. Only when that walk completes is the
cursor moved, so an interrupted run is resumed next time without a gap.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import scrapy
from parsel import Selector

from crawlers.spiders.base import SourceSpider
from crawlers.text import element_to_text, tidy
from onrustradar.core.intake import check_count
from onrustradar.core.models import Post
from onrustradar.core.pseudonym import pseudonymise

_SUFFIX = {"K": 1_000, "M": 1_000_000, "B": 1_000_000_000}
MAX_PAGES = 200  # a hard stop for one run, whatever the channel does


def parse_count(text: str | None) -> int | None:
    """'8.67M' -> 8670000, '1.2K' -> 1200, '523' -> 523."""
    if not text:
        return None
    match = re.match(r"^\s*([\d.,]+)\s*([KMB]?)\s*$", text.strip(), re.I)
    if not match:
        return None
    try:
        number = float(match[1].replace(",", "."))
        return int(round(number * _SUFFIX.get(match[2].upper(), 1)))
    except (ValueError, OverflowError):  # "1.2.3", or a number too large to be a count
        return None


_MESSAGE_START = re.compile(r"<div\b[^>]*\bdata-post=")
_MORE = re.compile(
    r"<a\b[^>]*\btme_messages_more\b[^>]*\bdata-before=\"(\d+)\"|"
    r"<a\b[^>]*\bdata-before=\"(\d+)\"[^>]*\btme_messages_more\b"
)


def _message_chunks(text: str) -> list[str]:
    """The page cut before each message, each part parsed on its own: the HTML parser gives
    up beyond a nesting depth and drops the rest of its input, so a message built to nest
    deeply would otherwise silently take every following message with it. (Message text is
    escaped on the page, so "<div … data-post=" only starts a real message.)"""
    starts = [m.start() for m in _MESSAGE_START.finditer(text)]
    if not starts:
        return [text]
    bounds = [0, *starts, len(text)]
    return [text[a:b] for a, b in zip(bounds, bounds[1:]) if b > a]


def forward_origin(msg) -> str | None:
    """Where a forwarded message came from: a public channel (a link to one of its posts,
    t.me/<channel>/<id>) by its name, which the detectors match against channels; anything
    else — a person's account (t.me/<name>) or a hidden sender's display name — only as a
    pseudonym."""
    node = msg.css(".tgme_widget_message_forwarded_from_name")
    if not node:
        return None
    href = node.xpath("@href").get() or ""
    post = re.search(r"t\.me/(?:s/)?([A-Za-z][A-Za-z0-9_]{3,63})/\d+/?(?:[?#].*)?$", href) or re.search(
        r"^/?([A-Za-z][A-Za-z0-9_]{3,63})/\d+/?$", href
    )
    if post:
        return post[1].lower()
    person = re.search(r"t\.me/(?:s/)?([A-Za-z0-9_]+)/?(?:[?#].*)?$", href)
    if person:
        return pseudonymise(person[1])
    name = " ".join(node.css("::text").getall()).strip()
    return pseudonymise(name) if name else None


def _text_of(nodes) -> str:
    """Plain text of the first node of a selection ('' when there is none)."""
    return element_to_text(nodes[0].root) if nodes else ""


def parse_page(html: str | bytes, channel: str, base_url: str) -> tuple[list[Post], list[str], int | None]:
    """Posts on one preview page, the problems with skipped messages, and the `before`
    cursor for the next older page."""
    text = html.decode("utf-8", "replace") if isinstance(html, bytes) else html
    chunks = _message_chunks(text)
    posts: list[Post] = []
    problems: list[str] = []
    for msg in (m for chunk in chunks for m in Selector(text=chunk).css("div.tgme_widget_message[data-post]")):
        ref = msg.xpath("@data-post").get() or ""  # not .attrib: one malformed attribute breaks it
        try:
            owner, _, number = ref.partition("/")
            msg_id = int(number)
            if owner and owner.lower() != channel.lower():
                # A page may list messages of other channels; this source speaks only for its own.
                problems.append(f"skipped message {msg_id} of another channel than {channel}")
                continue
            stamp = msg.css(".tgme_widget_message_date time::attr(datetime)").get()
            if not stamp:
                raise ValueError("no date")
            published = datetime.fromisoformat(stamp)
            if published.tzinfo is None:
                published = published.replace(tzinfo=UTC)
            parts = [_text_of(msg.css(".tgme_widget_message_text"))]
            reply = msg.css(".tgme_widget_message_reply .js-message_reply_text")
            if reply:
                parts.append("↩ " + _text_of(reply))
            preview = [
                _text_of(msg.css(f".tgme_widget_message_link_preview .{cls}"))
                for cls in ("link_preview_site_name", "link_preview_title", "link_preview_description")
            ]
            if any(preview):
                parts.append("🔗 " + " — ".join(p for p in preview if p))
            text = tidy("\n\n".join(p for p in parts if p))
            if not text:
                continue  # media without caption: nothing to analyse
            forwarded_from = forward_origin(msg)
            author = msg.css(".tgme_widget_message_from_author::text").get()
            posts.append(
                Post(
                    source="telegram",
                    source_id=f"{(owner or channel).lower()}/{msg_id}",
                    channel=(owner or channel).lower(),
                    published_at=published,
                    text=text,
                    url=f"{base_url.rstrip('/')}/{owner or channel}/{msg_id}",
                    author=pseudonymise(author),
                    views=check_count(parse_count(msg.css(".tgme_widget_message_views::text").get())),
                    forwarded_from=forwarded_from,
                )
            )
        except (ValueError, TypeError, OverflowError) as exc:
            problems.append(f"skipped malformed message {ref or '?'}: {exc}")
    before = Selector(text=chunks[0]).css("a.tme_messages_more[data-before]::attr(data-before)").get()
    if before is None:
        more = _MORE.search(text)
        before = (more[1] or more[2]) if more else None
    return posts, problems, int(before) if before and before.isdigit() else None


class TelegramWebSpider(SourceSpider):
    name = "telegram_web"

    async def start(self):
        self.stored_max = int(self.cursor) if self.cursor and self.cursor.isdigit() else None
        self.oldest_wanted = self.now - timedelta(days=self.source.backfill_days)
        self.highest: int | None = None
        self.pages = 0
        yield self.page_request(None)

    def page_url(self, before: int | None) -> str:
        url = f"{self.source.base_url.rstrip('/')}/s/{self.source.channel}"
        return f"{url}?before={before}" if before else url

    def page_request(self, before: int | None) -> scrapy.Request:
        return scrapy.Request(
            self.page_url(before),
            callback=self.parse_page,
            errback=self.on_error,
            dont_filter=True,
            cb_kwargs={"before": before},
        )

    def parse_page(self, response, before: int | None):
        if not self.is_text_response(response, ("text/html",)):
            return
        posts, problems, next_before = parse_page(response.text, self.source.channel, self.source.base_url)
        for problem in problems:
            self.skip(problem)
        self.pages += 1
        ids = [int(p.source_id.rsplit("/", 1)[1]) for p in posts]
        if ids:
            self.highest = max(self.highest or 0, max(ids))
        reached = False
        for post, msg_id in zip(posts, ids):
            if self.stored_max is not None and msg_id <= self.stored_max:
                reached = True
                continue
            if self.stored_max is None and post.published_at < self.oldest_wanted:
                reached = True
                continue
            yield self.collected(post)
        oldest = min(ids) if ids else None
        older = next_before or oldest
        if self.stored_max is not None and oldest is not None and oldest <= self.stored_max + 1:
            reached = True
        if reached or not older or not posts or older == before:
            # The walk met what we already have (or the channel's start): safe to move on.
            self.complete(str(self.highest) if self.highest else self.cursor)
        elif self.pages >= MAX_PAGES:
            self.skip(f"stopped after {MAX_PAGES} pages without reaching the cursor; cursor not moved")
        else:
            yield self.page_request(older)
