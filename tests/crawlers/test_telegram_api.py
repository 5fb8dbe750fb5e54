"""Telethon at its narrowest boundary: real telethon.tl.types objects, a client double that
speaks iter_messages/get_entity and raises the real FloodWaitError."""

import asyncio
import logging
from datetime import UTC, datetime, timedelta

import pytest
from telethon.errors import FloodWaitError
from telethon.tl import types

from crawlers.telegram_api import NotPublicError, backfill, check_public, message_to_post
from onrustradar.config import TelegramApiSource

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)
PEER = types.PeerChannel(channel_id=1234)


def channel(username="wakker_oost", **kw):
    return types.Channel(
        id=1234, title="Wakker Oost", photo=types.ChatPhotoEmpty(), date=NOW, username=username, broadcast=True, **kw
    )


def message(i: int, text: str | None = None, **kw) -> types.Message:
    return types.Message(
        id=i,
        peer_id=PEER,
        date=NOW - timedelta(hours=100) + timedelta(minutes=i),
        message=f"Bericht {i}" if text is None else text,
        **kw,
    )


class Client:
    """Only what backfill() uses of TelegramClient; raises one real FloodWaitError mid-run."""

    def __init__(self, entity, count: int, flood_after: int | None = None):
        self.entity, self.count, self.flood_after = entity, count, flood_after
        self.calls = []

    async def get_entity(self, name):
        return self.entity

    def iter_messages(self, entity, *, min_id=0, offset_date=None, reverse=False):
        assert entity is self.entity and reverse
        self.calls.append(min_id)

        async def gen():
            for i in range(1, self.count + 1):
                m = message(i)
                if i <= min_id or (offset_date and m.date < offset_date):
                    continue
                if self.flood_after is not None and i == self.flood_after + 1:
                    self.flood_after = None
                    raise FloodWaitError(request=None, capture=42)
                yield m

        return gen()


def test_message_conversion():
    fwd = types.MessageFwdHeader(date=NOW, from_id=types.PeerChannel(channel_id=777), channel_post=5)
    m = message(9, "Zaterdag 14:00 Malieveld!\nDELEN", views=1500, forwards=30, fwd_from=fwd, post_author="Jan")
    post = message_to_post(m, "Wakker_Oost")
    assert post.source_id == "wakker_oost/9" and post.channel == "wakker_oost"
    assert post.text == "Zaterdag 14:00 Malieveld!\nDELEN"
    assert (post.views, post.forwards, post.forwarded_from) == (1500, 30, "channel:777")
    assert post.author.startswith("ps_") and "Jan" not in post.author
    named = message(10, fwd_from=types.MessageFwdHeader(date=NOW, from_name="Piet Pietersen"))
    assert message_to_post(named, "x").forwarded_from.startswith("ps_")
    assert message_to_post(message(11, ""), "x") is None  # media without caption


def test_private_groups_and_users_are_refused():
    check_public(channel(), "wakker_oost")
    with pytest.raises(NotPublicError):
        check_public(channel(username=None), "geheim")
    with pytest.raises(NotPublicError):
        check_public(
            types.Chat(id=1, title="g", photo=types.ChatPhotoEmpty(), participants_count=3, date=NOW, version=1), "g"
        )
    with pytest.raises(NotPublicError):
        check_public(types.User(id=5, username="iemand"), "iemand")


@pytest.mark.parametrize("link", ["https://t.me/+AbCdEf123", "t.me/joinchat/AAAA", "+AbCdEf"])
def test_invite_links_are_refused_in_config(link):
    with pytest.raises(ValueError, match="uitnodigingslinks worden geweigerd"):
        TelegramApiSource(name="x", type="telegram_api", channel=link, official_account="gemeente")


def test_flood_wait_is_waited_out_and_resumed_without_loss(caplog):
    client = Client(channel(), count=300, flood_after=150)
    stored, waits = [], []

    async def sleep(seconds):
        waits.append(seconds)

    with caplog.at_level(logging.WARNING):
        last = asyncio.run(backfill(client, "wakker_oost", 20, stored.extend, sleep=sleep))
    ids = [int(p.source_id.split("/")[1]) for p in stored]
    assert waits == [42]
    assert ids == list(range(21, 301))  # every message once, in order, none lost at the wait
    assert client.calls == [20, 150]  # resumed right after the last stored message
    assert last == 300
    assert "flood wait" in caplog.text and "42" in caplog.text


def test_first_run_backfills_to_the_configured_age():
    client = Client(channel(), count=300)
    stored = []
    last = asyncio.run(backfill(client, "wakker_oost", None, stored.extend, now=NOW, backfill_days=4))
    oldest = NOW - timedelta(days=4)
    assert 0 < len(stored) < 300 and all(p.published_at >= oldest for p in stored)
    assert len(stored) == sum(1 for i in range(1, 301) if message(i).date >= oldest)
    assert last == 300


def test_a_private_channel_is_refused_before_reading():
    client = Client(channel(username=None), count=5)
    with pytest.raises(NotPublicError):
        asyncio.run(backfill(client, "geheim", None, lambda posts: None))
    assert client.calls == []
