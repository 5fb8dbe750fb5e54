"""The t.me/s parser survives a message built to nest deeply (the following messages are still
read), and `crawl --source` refuses a disabled source."""

from datetime import UTC, datetime, timedelta

import pytest
from conftest import cli, write_config
from loopback import Loopback, Reply

from crawlers.spiders.telegram_web import parse_page
from onrustradar.service.replay import ReplayPost, render_tme_page
from store.sqlite import SQLiteStore

NOW = datetime.now(UTC)


def _page(n: int = 25, older: bool = True) -> str:
    posts = [ReplayPost("k", "telegram", i, f"Bericht {i}", NOW - timedelta(minutes=100 - i)) for i in range(1, n + 1)]
    return render_tme_page("kanaal", posts, None)


@pytest.mark.parametrize(
    "nest",
    [
        lambda d: "<div>" * d + "diep" + "</div>" * d,
        lambda d: "<b><i>" * d + "diep",  # never closed
        lambda d: "<span>" * d + "</div>" * 3,
    ],
)  # closes its own message early
@pytest.mark.parametrize("depth", [300, 5000, 200_000])
def test_a_deeply_nested_message_does_not_take_the_next_ones_with_it(nest, depth):
    html = _page().replace("Bericht 10<", nest(depth) + "<")
    posts, problems, before = parse_page(html, "kanaal", "http://x")
    ids = {p.source_id for p in posts}
    assert {f"kanaal/{i}" for i in range(11, 26)} <= ids  # every later message is read
    assert before == 6  # the walk to older pages still works
    assert len(ids) >= 19


@pytest.mark.slow
def test_crawl_refuses_a_disabled_source(tmp_path):
    server = Loopback()
    try:
        server.route("/s/kanaal", Reply(_page(3)))
        config = write_config(
            tmp_path,
            sources=[
                {"name": "uit", "type": "telegram_web", "channel": "kanaal", "base_url": server.url, "enabled": False}
            ],
        )
        result = cli("--config", str(config), "crawl", "--source", "uit")
        assert result.returncode == 2 and "staat uit" in result.stderr
        assert server.hits["/s/kanaal"] == 0
        assert cli("--config", str(config), "crawl").returncode == 0  # not due either
        assert server.hits["/s/kanaal"] == 0
        store = SQLiteStore(tmp_path / "store.sqlite")
        assert store.count_posts() == 0
        store.close()
    finally:
        server.close()
