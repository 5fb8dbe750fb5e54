"""t.me/s crawling against a real loopback server: backfill across pages that overlap, with
deleted messages (gaps in the ids), then forward from the cursor without gaps or duplicates."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from conftest import cli, write_config
from loopback import Loopback, Reply

from onrustradar.service.replay import ReplayPost, render_tme_page
from store.sqlite import SQLiteStore

pytestmark = pytest.mark.slow

START = datetime.now(UTC) - timedelta(hours=30)
DELETED = {7, 23, 24, 41, 60, 61, 62}


class Channel:
    def __init__(self, last_id: int):
        self.messages: list[ReplayPost] = []
        self.extend(last_id)

    def extend(self, last_id: int) -> None:
        first = self.messages[-1].number + 1 if self.messages else 1
        for n in range(first, last_id + 1):
            if n not in DELETED:
                self.messages.append(
                    ReplayPost(
                        feed="kanaal",
                        kind="telegram",
                        number=n,
                        text=f"Bericht {n}\nmet een tweede regel 🚨",
                        published_at=START + timedelta(minutes=20 * n),
                        author="@beheerder" if n % 2 else None,
                    )
                )

    def page(self, query: dict) -> Reply:
        before = int(query["before"]) if "before" in query else None
        html = render_tme_page("kanaal", self.messages, before)
        # Real preview pages overlap at their boundaries: point "more" a few ids too high.
        html = re.sub(r'data-before="(\d+)"', lambda m: f'data-before="{int(m[1]) + 3}"', html)
        return Reply(html)

    def ids(self) -> set[str]:
        return {f"kanaal/{m.number}" for m in self.messages}


@pytest.fixture
def setup(tmp_path):
    server = Loopback()
    channel = Channel(80)
    server.route("/s/kanaal", channel.page)
    config = write_config(
        tmp_path,
        sources=[
            {
                "name": "tg",
                "type": "telegram_web",
                "channel": "kanaal",
                "base_url": server.url,
                "interval": "1h",
                "backfill_days": 30,
            }
        ],
    )
    yield server, channel, config, tmp_path / "store.sqlite"
    server.close()


def stored_ids(path) -> list[str]:
    store = SQLiteStore(path)
    try:
        return [p.source_id for p in store.iter_posts()]
    finally:
        store.close()


def test_backfill_then_forward_without_gaps_or_duplicates(setup):
    server, channel, config, db = setup
    first = cli("--config", str(config), "crawl", "--source", "tg")
    assert first.returncode == 0, first.stderr
    assert f"tg: {len(channel.ids())} nieuw" in first.stdout
    assert server.hits["/s/kanaal"] >= 4  # 73 messages, 20 a page, overlapping: at least 4 pages
    ids = stored_ids(db)
    assert len(ids) == len(set(ids)) and set(ids) == channel.ids()

    channel.extend(125)  # 45 new messages: the newest page alone would miss 25 of them
    second = cli("--config", str(config), "crawl", "--source", "tg")
    assert "tg: 45 nieuw" in second.stdout, second.stdout + second.stderr
    ids = stored_ids(db)
    assert len(ids) == len(set(ids)) and set(ids) == channel.ids()

    hits = server.hits["/s/kanaal"]
    third = cli("--config", str(config), "crawl", "--source", "tg")
    assert "tg: 0 nieuw" in third.stdout
    assert server.hits["/s/kanaal"] == hits + 1  # the newest page shows nothing new: stop there

    store = SQLiteStore(db)
    try:
        post = store.get_posts(["tg:kanaal/81"])[0]
        [health] = store.source_health()
    finally:
        store.close()
    assert post.text == "Bericht 81\nmet een tweede regel 🚨" and post.author.startswith("ps_")
    assert health.cursor == "125" and health.last_error is None and health.total_new == len(channel.ids())


def test_backfill_stops_at_the_configured_age(setup, tmp_path):
    server, channel, _, db = setup
    config = write_config(
        tmp_path,
        sources=[
            {"name": "tg", "type": "telegram_web", "channel": "kanaal", "base_url": server.url, "backfill_days": 1}
        ],
    )
    result = cli("--config", str(config), "crawl", "--source", "tg")
    assert result.returncode == 0
    cutoff = datetime.now(UTC) - timedelta(days=1)
    expected = {f"kanaal/{m.number}" for m in channel.messages if m.published_at >= cutoff}
    assert 0 < len(expected) < len(channel.messages)
    assert set(stored_ids(db)) == expected
