"""Telegram through its API (Telethon), for a gemeente with an official organisational account.

Optional and deliberately narrow: public channels only (an invite link, a private group or a
user is refused), backfill with `iter_messages(min_id=cursor)` oldest first so the cursor
only ever moves past stored messages, live updates with `events.NewMessage`, and
FloodWaitError handled by waiting exactly as long as Telegram asks, visibly in the log, then
resuming after the last stored message. The web preview (telegram_web) stays the default.

Credentials come from the environment: ONRUSTRADAR_TELEGRAM_API_ID, ONRUSTRADAR_TELEGRAM_API_HASH.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from telethon import TelegramClient, events
from telethon.errors import FloodWaitError
from telethon.tl import types

from onrustradar.core.intake import Rejected, admit, check_count
from onrustradar.core.models import Post
from onrustradar.core.pseudonym import pseudonymise

log = logging.getLogger(__name__)
API_ID_ENV, API_HASH_ENV = "ONRUSTRADAR_TELEGRAM_API_ID", "ONRUSTRADAR_TELEGRAM_API_HASH"
FLUSH = 100

Sink = Callable[[list[Post]], None]


class NotPublicError(ValueError):
    """The configured channel is not a public channel: it is refused, never joined."""


def check_public(entity, channel: str) -> None:
    if isinstance(entity, types.User):
        raise NotPublicError(f"{channel!r} is a user account, not a public channel: refused")
    if isinstance(entity, (types.Chat, types.ChatForbidden, types.ChannelForbidden)):
        raise NotPublicError(f"{channel!r} is a private group: refused (Onrustradar never joins groups)")
    if not isinstance(entity, types.Channel) or not entity.username:
        raise NotPublicError(f"{channel!r} has no public username: only public channels are read")


def message_to_post(message: types.Message, channel: str) -> Post | None:
    text = (message.message or "").strip()
    if not text or message.date is None:
        return None  # service messages and media without a caption carry nothing to analyse
    forwarded_from = None
    fwd = message.fwd_from
    if fwd is not None:
        if isinstance(fwd.from_id, types.PeerChannel):
            forwarded_from = f"channel:{fwd.from_id.channel_id}"
        elif fwd.from_name:
            forwarded_from = pseudonymise(fwd.from_name)  # a person's name: keep only a pseudonym
        elif fwd.from_id is not None:
            forwarded_from = pseudonymise(str(getattr(fwd.from_id, "user_id", fwd.from_id)))
    date = message.date if message.date.tzinfo else message.date.replace(tzinfo=UTC)
    return Post(
        source="telegram",
        source_id=f"{channel.lower()}/{message.id}",
        channel=channel.lower(),
        published_at=date,
        text=text,
        url=f"https://t.me/{channel}/{message.id}",
        author=pseudonymise(message.post_author),
        views=check_count(message.views),
        forwards=check_count(message.forwards),
        replies=check_count(message.replies.replies) if message.replies else None,
        forwarded_from=forwarded_from,
    )


async def backfill(
    client,
    channel: str,
    cursor: int | None,
    sink: Sink,
    *,
    now: datetime | None = None,
    backfill_days: int = 7,
    sleep: Callable[[float], Awaitable] = asyncio.sleep,
) -> int | None:
    """Collect every message after `cursor` (or from the backfill age), oldest first.

    Returns the new cursor: the highest message id that reached the sink.
    """
    entity = await client.get_entity(channel)
    check_public(entity, channel)
    last = cursor or 0
    since = (now or datetime.now(UTC)) - timedelta(days=backfill_days)
    while True:
        batch: list[Post] = []
        seen = last
        try:
            if last:
                messages = client.iter_messages(entity, min_id=last, reverse=True)
            else:
                messages = client.iter_messages(entity, offset_date=since, reverse=True)
            async for message in messages:
                post = message_to_post(message, channel)
                if post is not None:
                    batch.append(post)
                seen = max(seen, message.id)
                if len(batch) >= FLUSH:
                    sink(batch)
                    batch, last = [], seen
            sink(batch)
            return seen or cursor
        except FloodWaitError as exc:
            sink(batch)  # keep what arrived before the wait; resume right after it
            last = seen
            log.warning(
                "Telegram asks to wait %s s (flood wait) on %s; resuming after message %s", exc.seconds, channel, last
            )
            await sleep(exc.seconds)


async def listen(client, channels: list[str], sink: Sink) -> None:
    """Live: new messages of the configured public channels, until disconnected."""
    entities = []
    for channel in channels:
        entity = await client.get_entity(channel)
        check_public(entity, channel)
        entities.append(entity)
    names = {e.id: e.username for e in entities}

    async def on_message(event) -> None:
        post = message_to_post(event.message, names.get(event.chat_id, str(event.chat_id)))
        if post is not None:
            sink([post])

    client.add_event_handler(on_message, events.NewMessage(chats=entities))
    await client.run_until_disconnected()


def make_client(session_path: str) -> TelegramClient:
    api_id, api_hash = os.environ.get(API_ID_ENV), os.environ.get(API_HASH_ENV)
    if not api_id or not api_hash:
        raise RuntimeError(f"{API_ID_ENV} and {API_HASH_ENV} must be set for telegram_api sources")
    # flood_sleep_threshold=0: every flood wait surfaces to backfill(), which logs it.
    return TelegramClient(session_path, int(api_id), api_hash, flood_sleep_threshold=0)


def crawl_sources(sources, store, now: datetime | None = None) -> dict[str, tuple[int, str | None]]:
    """Backfill each telegram_api source into the store: {name: (new posts, error)}."""
    results: dict[str, tuple[int, str | None]] = {}

    async def run() -> None:
        for source in sources:
            new = 0

            def sink(posts: list[Post], source=source) -> None:
                nonlocal new
                admitted = []
                for post in posts:
                    post.source_name = source.name
                    try:
                        admitted.append(admit(post))
                    except Rejected as exc:
                        log.warning("%s: message refused at intake: %s", source.name, exc)
                new += store.upsert_posts(admitted).new

            try:
                client = make_client(source.session_path)
                async with client:
                    cursor = store.get_cursor(source.name)
                    last = await backfill(
                        client,
                        source.channel,
                        int(cursor) if cursor else None,
                        sink,
                        now=now,
                        backfill_days=source.backfill_days,
                    )
                if last:
                    store.set_cursor(source.name, str(last))
                results[source.name] = (new, None)
            except Exception as exc:  # one channel's failure must not stop the others
                log.error("%s: %s", source.name, exc)
                results[source.name] = (new, f"{type(exc).__name__}: {exc}")
            store.record_crawl(source.name, *results[source.name])

    asyncio.run(run())
    return results
