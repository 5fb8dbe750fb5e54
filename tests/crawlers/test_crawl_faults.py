"""One misbehaving source never stops the others and never loses what is stored."""

from datetime import UTC, datetime

import pytest
from conftest import cli, write_config
from loopback import RSS, Loopback, Reply, feed

from onrustradar.core.models import Post
from store.sqlite import SQLiteStore

pytestmark = pytest.mark.slow


@pytest.fixture
def world(tmp_path):
    server = Loopback()
    calls = {"n": 0}

    def flaky(_query):
        calls["n"] += 1
        return Reply("fout", 500) if calls["n"] <= 2 else Reply(feed([("Herstel", "na twee fouten")]), ctype=RSS)

    server.route(
        "/goed.xml", Reply(feed([("Demonstratie in Zwolle", "zaterdag"), ("Rellen in Ede", "gisteren")]), ctype=RSS)
    )
    server.route(
        "/latin1.xml", Reply(feed([("Café in Enschede", "Brand in café")], "iso-8859-1"), ctype="application/xml")
    )
    server.route("/fout500.xml", flaky)
    server.route("/traag.xml", Reply(feed([("te laat", "")]), ctype=RSS, delay=3))
    server.route("/afgekapt.xml", Reply(feed([("half", "")]), ctype=RSS, truncate=True))
    server.route("/enorm.xml", Reply(ctype=RSS, size=3 * 1024 * 1024))
    server.route("/kapot.xml", Reply(b"<rss><channel><item><title>nooit af", ctype=RSS))
    server.route("/leeg.xml", Reply(feed([]), ctype=RSS))
    server.route("/verkeerd.xml", Reply("<html><body>Onderhoud</body></html>", ctype="text/html"))
    server.route("/lus.xml", Reply("", 302, headers={"Location": "/lus.xml"}))
    server.route("/halfgoed.xml", Reply(feed([("", ""), ("Explosie in Venlo", "bij woning")]), ctype=RSS))
    names = ["goed", "latin1", "fout500", "traag", "afgekapt", "enorm", "kapot", "leeg", "verkeerd", "lus", "halfgoed"]
    config = write_config(
        tmp_path,
        crawl={"timeout": 1, "retries": 2, "backoff": 0.1, "max_page_mb": 1, "autothrottle": False},
        sources=[{"name": n, "type": "rss", "url": f"{server.url}/{n}.xml", "interval": "1h"} for n in names],
    )
    store = SQLiteStore(tmp_path / "store.sqlite")
    store.upsert_posts([Post("rss", "al-bewaard", "traag", datetime.now(UTC), "eerder opgeslagen")])
    store.close()
    yield server, config, tmp_path / "store.sqlite"
    server.close()


def test_faults_are_contained_per_source(world):
    server, config, db = world
    result = cli("--config", str(config), "crawl")
    assert result.returncode == 0, result.stderr
    lines = {line.split(":")[0]: line for line in result.stdout.splitlines()}
    assert "goed: 2 nieuw" in lines["goed"] and "ok" in lines["goed"]
    assert "latin1: 1 nieuw" in lines["latin1"]
    assert "fout500: 1 nieuw" in lines["fout500"] and server.hits["/fout500.xml"] == 3  # retried, recovered
    assert "halfgoed: 1 nieuw" in lines["halfgoed"] and "1 overgeslagen" in lines["halfgoed"]
    assert "skipped item without title or text" in result.stderr  # the malformed item is logged
    assert "leeg: 0 nieuw" in lines["leeg"] and "FOUT" not in lines["leeg"]
    for name in ("traag", "afgekapt", "enorm", "kapot", "lus"):
        assert "FOUT" in lines[name], lines[name]
    assert server.hits["/traag.xml"] == 3  # one try and two retries, then given up
    assert "overgeslagen" in lines["verkeerd"] and "unexpected content type" in result.stderr

    store = SQLiteStore(db)
    try:
        texts = {p.text for p in store.iter_posts()}
        health = {h.source_name: h for h in store.source_health()}
    finally:
        store.close()
    assert "eerder opgeslagen" in texts  # nothing stored is lost
    assert "Café in Enschede\n\nBrand in café" in texts
    assert len(texts) == 6
    assert health["traag"].last_error and health["traag"].last_success is None
    assert health["goed"].last_success and health["goed"].last_error is None


def test_crawl_all_due_skips_sources_not_due(world):
    server, config, _ = world
    cli("--config", str(config), "crawl", "--source", "goed")
    hits = server.hits["/goed.xml"]
    result = cli("--config", str(config), "crawl")
    crawled = {line.split(":")[0] for line in result.stdout.splitlines()}
    assert "goed" not in crawled  # crawled a moment ago, interval 1h: not due
    assert server.hits["/goed.xml"] == hits
    assert "leeg: 0 nieuw" in result.stdout


def test_unknown_source_is_a_clear_error(world):
    _, config, _ = world
    result = cli("--config", str(config), "crawl", "--source", "bestaat-niet")
    assert result.returncode == 2 and "onbekende bron 'bestaat-niet'" in result.stderr


def test_robots_txt_is_obeyed_and_the_user_agent_is_honest(tmp_path):
    server = Loopback()
    try:
        server.route("/robots.txt", Reply("User-agent: *\nDisallow: /verboden/\n", ctype="text/plain"))
        server.route("/verboden/feed.xml", Reply(feed([("geheim", "")]), ctype=RSS))
        config = write_config(
            tmp_path,
            deployment={"name": "Gemeente Test", "user_agent": "Onrustradar/0.1 (gemeente Test; oov@test.example)"},
            sources=[{"name": "verboden", "type": "rss", "url": f"{server.url}/verboden/feed.xml"}],
        )
        result = cli("--config", str(config), "crawl", "--source", "verboden")
        assert "verboden: 0 nieuw" in result.stdout and "robots.txt" in result.stdout
        assert server.hits["/verboden/feed.xml"] == 0 and server.hits["/robots.txt"] == 1
        assert server.agents == {"Onrustradar/0.1 (gemeente Test; oov@test.example)"}
    finally:
        server.close()
