"""follow_articles never becomes a server-side request forgery: only the feed's own host (as
configured) or an allow-listed host with public addresses, checked again after redirects."""

import json
from datetime import UTC, datetime

import pytest
from conftest import cli, write_config
from loopback import Loopback, Reply

from crawlers.ssrf import refusal

ARTICLE = (
    "<html><body><article><h1>Artikel</h1>"
    + "<p>Een alinea over onrust in de wijk, lang genoeg. </p>" * 6
    + "</article></body></html>"
)


def _feed(links: list[str]) -> str:
    now = datetime.now(UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")
    items = "".join(
        f"<item><title>Bericht {i}</title><link>{link}</link><guid>g{i}</guid><pubDate>{now}</pubDate></item>"
        for i, link in enumerate(links)
    )
    return f'<rss version="2.0"><channel><title>t</title>{items}</channel></rss>'


@pytest.mark.slow
def test_articles_elsewhere_are_never_fetched(tmp_path):
    feed, internal = Loopback(), Loopback()
    try:
        internal.route("/geheim", Reply("interne pagina"))
        internal_port = internal.url.rsplit(":", 1)[1]
        feed.route("/eigen", Reply(ARTICLE))
        feed.route("/omleiding", Reply("", 302, headers={"Location": f"{internal.url}/geheim"}))
        feed.route(
            "/feed.xml",
            Reply(
                _feed(
                    [
                        f"{feed.url}/eigen",  # the feed's own host: fetched
                        f"{internal.url}/geheim",  # loopback, another port
                        f"http://localhost:{internal_port}/geheim",
                        f"http://[::1]:{internal_port}/geheim",
                        "http://169.254.169.254/latest/meta-data/",  # cloud metadata (link-local)
                        "http://10.0.0.1/",
                        "file:///etc/passwd",
                        "gopher://127.0.0.1:25/",
                        f"{feed.url}/omleiding",  # own host, redirecting inside
                    ]
                ),
                ctype="application/rss+xml",
            ),
        )
        config = write_config(
            tmp_path,
            crawl={"autothrottle": False, "retries": 0, "timeout": 2},
            sources=[
                {
                    "name": "nieuws",
                    "type": "rss",
                    "url": f"{feed.url}/feed.xml",
                    "follow_articles": True,
                    "follow_hosts": ["localhost"],
                }
            ],
        )  # allow-listed, but it resolves to loopback: still refused
        result = cli("--config", str(config), "crawl", "--source", "nieuws")
        assert result.returncode == 0, result.stderr
        assert "nieuws: 9 nieuw" in result.stdout, result.stdout + result.stderr  # every item kept, without article
        assert sum(internal.hits.values()) == 0, internal.hits  # not even robots.txt
        assert feed.hits["/eigen"] == 1 and feed.hits["/omleiding"] == 1
        posts = {
            p["source_id"]: p
            for p in map(json.loads, cli("--config", str(config), "export", "posts").stdout.splitlines())
        }
        assert "Een alinea over onrust" in posts["g0"]["text"]
        assert "interne pagina" not in json.dumps(posts)
    finally:
        feed.close()
        internal.close()


@pytest.mark.slow
def test_a_source_cannot_redirect_the_crawler_into_the_network(tmp_path):
    feed, internal = Loopback(), Loopback()
    try:
        internal.route("/geheim", Reply("{}", ctype="application/json"))
        feed.route("/r/zwolle/new.json", Reply("", 302, headers={"Location": f"{internal.url}/geheim"}))
        config = write_config(
            tmp_path,
            crawl={"autothrottle": False, "retries": 0},
            sources=[{"name": "reddit", "type": "reddit", "subreddit": "zwolle", "base_url": feed.url}],
        )
        result = cli("--config", str(config), "crawl", "--source", "reddit")
        assert result.returncode == 0, result.stderr
        assert feed.hits["/r/zwolle/new.json"] == 1 and sum(internal.hits.values()) == 0
    finally:
        feed.close()
        internal.close()


@pytest.mark.parametrize(
    "url, allowed",
    [
        ("http://feed.example:8080/a", True),
        ("http://feed.example/a", False),  # another port than the feed's
        ("https://feed.example:8080/a", False),  # another scheme
        ("http://127.0.0.1:8080/a", False),
        ("http://0x7f.1/a", False),
        ("http://[::ffff:127.0.0.1]/a", False),
        ("ftp://feed.example:8080/a", False),
        ("http:///a", False),
    ],
)
def test_refusal_rules(url, allowed):
    assert (
        refusal(url, "http://feed.example:8080/rss", ["127.0.0.1", "0x7f.1", "::ffff:127.0.0.1"]) is None
    ) == allowed
