"""Mastodon, Reddit, Bluesky and Dumpert spiders against a loopback server: a backfill, then
a second run that pages forward past a full page of new items, then a run with nothing new."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from conftest import FIXTURES, cli, write_config
from loopback import Loopback, Reply

from crawlers.spiders.reddit import parse_listing
from onrustradar.service.replay import ReplayPost, render_mastodon

NOW = datetime.now(UTC)
JSON = "application/json; charset=utf-8"


class Timeline:
    """Items numbered 1..n, item n the newest, one minute apart from a day ago."""

    def __init__(self, n: int):
        self.n = n

    def grow(self, extra: int) -> None:
        self.n += extra

    def moment(self, i: int) -> datetime:
        return NOW - timedelta(days=1) + timedelta(minutes=i)

    def newest_first(self) -> list[int]:
        return list(range(self.n, 0, -1))


def mastodon_route(t: Timeline):
    def route(q):
        posts = [ReplayPost("m", "mastodon", i, f"Toot {i}", t.moment(i), author="@iemand") for i in range(1, t.n + 1)]
        return Reply(render_mastodon(posts, "http://x", {k: [v] for k, v in q.items()}), ctype=JSON)

    return route


def reddit_route(t: Timeline):
    def child(i):
        return {
            "kind": "t3",
            "data": {
                "name": f"t3_{i:06d}",
                "title": f"Draadje {i}",
                "selftext": "tekst",
                "created_utc": t.moment(i).timestamp(),
                "permalink": f"/r/x/{i}",
                "author": "gebruiker",
                "num_comments": 2,
            },
        }

    def route(q):
        order = t.newest_first()
        limit = int(q.get("limit", 25))
        if "before" in q:
            b = int(q["before"][3:])
            newer = [i for i in order if i > b]
            page = newer[-limit:]  # the items immediately newer than `before`
        else:
            start = order.index(int(q["after"][3:])) + 1 if "after" in q else 0
            page = order[start : start + limit]
        after = f"t3_{page[-1]:06d}" if page and page[-1] > 1 else None
        return Reply(
            json.dumps({"kind": "Listing", "data": {"children": [child(i) for i in page], "after": after}}), ctype=JSON
        )

    return route


def bluesky_route(t: Timeline):
    def route(q):
        order = t.newest_first()
        start = int(q.get("cursor", 0))
        page = order[start : start + int(q["limit"])]
        feed = [
            {
                "post": {
                    "uri": f"at://did:plc:abc/app.bsky.feed.post/{i}",
                    "author": {"handle": "iemand.bsky.social"},
                    "record": {"text": f"Skeet {i}", "createdAt": t.moment(i).isoformat()},
                    "indexedAt": t.moment(i).isoformat(),
                    "repostCount": 1,
                }
            }
            for i in page
        ]
        body = {"feed": feed}
        if start + len(page) < len(order):
            body["cursor"] = str(start + len(page))
        return Reply(json.dumps(body), ctype=JSON)

    return route


def dumpert_route(t: Timeline, page_no: int):
    def route(q):
        order = t.newest_first()[page_no * 15 : (page_no + 1) * 15]
        items = [
            {
                "id": f"{100000 + i}_abc",
                "title": f"Filmpje {i}",
                "description": f"<p>Beschrijving {i}</p>",
                "date": t.moment(i).isoformat(),
                "stats": {"views_total": i},
            }
            for i in order
        ]
        return Reply(json.dumps({"success": True, "items": items}), ctype=JSON)

    return route


@pytest.fixture
def world(tmp_path):
    server = Loopback()
    lines = {"mastodon": Timeline(60), "reddit": Timeline(150), "bluesky": Timeline(120), "dumpert": Timeline(45)}
    server.route("/api/v1/timelines/tag/demo", mastodon_route(lines["mastodon"]))
    server.route("/r/zwolle/new.json", reddit_route(lines["reddit"]))
    server.route("/xrpc/app.bsky.feed.getAuthorFeed", bluesky_route(lines["bluesky"]))
    for page in range(10):
        server.route(f"/mobile_api/json/video/latest/{page}/", dumpert_route(lines["dumpert"], page))
    config = write_config(
        tmp_path,
        crawl={"autothrottle": False},
        sources=[
            {"name": "mastodon", "type": "mastodon", "base_url": server.url, "tag": "demo"},
            {"name": "reddit", "type": "reddit", "base_url": server.url, "subreddit": "zwolle"},
            {"name": "bluesky", "type": "bluesky", "base_url": server.url, "actor": "iemand.bsky.social"},
            {"name": "dumpert", "type": "dumpert", "base_url": server.url},
        ],
    )
    yield server, lines, config
    server.close()


def counts(stdout: str) -> dict[str, int]:
    out = {}
    for line in stdout.splitlines():
        if " nieuw (" in line:
            name, rest = line.split(": ", 1)
            assert "FOUT" not in rest, line
            out[name] = int(rest.split()[0])
    return out


@pytest.mark.slow
def test_backfill_then_forward_then_nothing(world):
    server, lines, config = world
    first = cli("--config", str(config), "crawl")
    assert counts(first.stdout) == {"mastodon": 60, "reddit": 150, "bluesky": 120, "dumpert": 45}, (
        first.stdout + first.stderr
    )
    grown = {"mastodon": 45, "reddit": 130, "bluesky": 70, "dumpert": 20}
    for name, extra in grown.items():
        lines[name].grow(extra)
    second = cli("--config", str(config), "crawl", *sum((["--source", n] for n in grown), []))
    assert counts(second.stdout) == grown, second.stdout + second.stderr
    third = cli("--config", str(config), "crawl", *sum((["--source", n] for n in grown), []))
    assert counts(third.stdout) == {n: 0 for n in grown}
    exported = [json.loads(line) for line in cli("--config", str(config), "export", "posts").stdout.splitlines()]
    assert len(exported) == sum(t.n for t in lines.values())
    assert len({(p["source"], p["source_id"]) for p in exported}) == len(exported)


def test_reddit_real_listing_fixture():
    posts, problems, after = parse_listing(
        (FIXTURES / "reddit_r_askreddit_new.json").read_bytes(), "askreddit", "https://www.reddit.com"
    )
    assert problems == [] and len(posts) == 100 and after == "t3_48f6io"
    assert posts[0].source_id.startswith("t3_") and posts[0].url.startswith("https://www.reddit.com/r/")
    assert all(p.author is None or p.author.startswith("ps_") for p in posts)


@pytest.mark.slow
def test_rss_follows_articles(tmp_path):
    server = Loopback()
    try:
        now = datetime.now(UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")
        server.route(
            "/feed.xml",
            Reply(
                f'<rss version="2.0"><channel><title>t</title><item><title>Onrust in Vinkhuizen</title>'
                f"<link>{server.url}/artikel/1</link><guid>a1</guid><pubDate>{now}</pubDate></item></channel></rss>",
                ctype="application/rss+xml",
            ),
        )
        paragraph = (
            "Bewoners van de wijk Vinkhuizen in Groningen maken zich zorgen over de onrust van de afgelopen nachten. "
        )
        server.route(
            "/artikel/1",
            Reply(
                "<html><head><title>Onrust</title></head><body><nav>Menu Home "
                "Sport</nav><article><h1>Onrust in Vinkhuizen</h1>"
                + "".join(f"<p>{paragraph}Alinea {i}.</p>" for i in range(6))
                + "</article><footer>Cookies</footer></body></html>"
            ),
        )
        config = write_config(
            tmp_path,
            sources=[{"name": "nieuws", "type": "rss", "url": f"{server.url}/feed.xml", "follow_articles": True}],
        )
        result = cli("--config", str(config), "crawl", "--source", "nieuws")
        assert "nieuws: 1 nieuw" in result.stdout, result.stdout + result.stderr
        [post] = [json.loads(line) for line in cli("--config", str(config), "export", "posts").stdout.splitlines()]
        assert post["text"].startswith("Onrust in Vinkhuizen") and "Alinea 5" in post["text"]
        assert "Cookies" not in post["text"]
    finally:
        server.close()
