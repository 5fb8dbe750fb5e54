"""A post's identity includes the configured source that fetched it: one source can never
overwrite another source's post, a spider takes only items of its own channel, older stores
are migrated in place, and a re-crawl still never duplicates."""

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from conftest import cli, write_config
from loopback import Loopback, Reply

from onrustradar.core.models import Post, Signal
from onrustradar.service.replay import ReplayPost, render_tme_page
from store.sqlite import SQLiteStore

NOW = datetime.now(UTC)
RSS = "application/rss+xml; charset=utf-8"


def _feed(title: str, guid: str) -> str:
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>{title}</title>'
        f"<guid>{guid}</guid><pubDate>{format_datetime(NOW)}</pubDate></item></channel></rss>"
    )


@pytest.mark.slow
def test_a_social_source_cannot_overwrite_an_official_post_by_reusing_its_guid(tmp_path):
    server = Loopback()
    try:
        guid = "https://www.politie.nl/nieuws/2026/demonstratie-zwolle"
        server.route("/politie.xml", Reply(_feed("Demonstratie in Zwolle verloopt rustig", guid), ctype=RSS))
        server.route(
            "/nep.xml", Reply(_feed("Politie: demonstratie Zwolle uit de hand, kom allemaal", guid), ctype=RSS)
        )
        config = write_config(
            tmp_path,
            crawl={"autothrottle": False},
            sources=[
                {"name": "politie", "type": "rss", "url": f"{server.url}/politie.xml", "kind": "official"},
                {"name": "nep", "type": "rss", "url": f"{server.url}/nep.xml", "kind": "social"},
            ],
        )
        for _ in range(2):  # the second round re-crawls both: nothing new, nothing duplicated
            for name in ("politie", "nep"):
                assert cli("--config", str(config), "crawl", "--source", name).returncode == 0
        store = SQLiteStore(tmp_path / "store.sqlite")
        posts = {p.source_name: p for p in store.iter_posts()}
        assert store.count_posts() == 2
        assert posts["politie"].text == "Demonstratie in Zwolle verloopt rustig"
        assert posts["nep"].text.startswith("Politie: demonstratie Zwolle uit de hand")
        assert posts["politie"].id != posts["nep"].id
        store.close()
    finally:
        server.close()


@pytest.mark.slow
def test_tme_spider_skips_messages_of_another_channel(tmp_path):
    server = Loopback()
    try:
        own = [ReplayPost("k", "telegram", n, f"Eigen bericht {n}", NOW - timedelta(hours=5 - n)) for n in (1, 2)]
        page = render_tme_page("eigen_kanaal", own, None)
        foreign = render_tme_page(
            "politie_zwolle", [ReplayPost("k", "telegram", 9, "Vals politiebericht", NOW - timedelta(hours=1))], None
        )
        message = foreign[foreign.index('<div class="tgme_widget_message_wrap') : foreign.index("</section>")]
        server.route("/s/eigen_kanaal", Reply(page.replace("</section>", message + "</section>")))
        config = write_config(
            tmp_path,
            crawl={"autothrottle": False},
            sources=[{"name": "eigen", "type": "telegram_web", "channel": "eigen_kanaal", "base_url": server.url}],
        )
        result = cli("--config", str(config), "crawl", "--source", "eigen")
        assert result.returncode == 0, result.stderr
        assert "eigen: 2 nieuw" in result.stdout and " 0 overgeslagen" not in result.stdout, result.stdout
        assert "another channel" in result.stderr
        store = SQLiteStore(tmp_path / "store.sqlite")
        assert sorted(p.source_id for p in store.iter_posts()) == ["eigen_kanaal/1", "eigen_kanaal/2"]
        store.close()
    finally:
        server.close()


def test_a_version_1_store_is_migrated_in_place(tmp_path):
    path = tmp_path / "oud.sqlite"
    store = SQLiteStore(path)
    store.upsert_signals([Signal("s1", ["demonstratie"], "GM0193", "Zwolle", NOW, NOW, ["rss:g1", "telegram:k/1"])])
    store.close()
    db = sqlite3.connect(path)
    db.execute(
        "INSERT INTO posts (id, source, source_id, source_name, channel, published_ts, fetched_ts, text) "
        "VALUES ('rss:g1', 'rss', 'g1', 'politie', 'politie', ?, ?, 'Demonstratie in Zwolle')",
        (NOW.timestamp(), NOW.timestamp()),
    )
    db.execute(
        "INSERT INTO posts (id, source, source_id, source_name, channel, published_ts, fetched_ts, text) "
        "VALUES ('telegram:k/1', 'telegram', 'k/1', NULL, 'k', ?, ?, 'Zonder bron')",
        (NOW.timestamp(), NOW.timestamp()),
    )
    db.execute(
        "INSERT INTO analyses (post_id, published_ts, relevant, categories, scores, announced, time_known, "
        "keywords, model) VALUES ('rss:g1', ?, 1, '[\"demonstratie\"]', '{}', 0, 0, '[]', 'm')",
        (NOW.timestamp(),),
    )
    db.execute(
        "INSERT INTO feedback VALUES ('post', 'rss:g1', 'terecht', NULL, '[]', 'analist', ?)", (NOW.timestamp(),)
    )
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    store = SQLiteStore(path)
    assert store._db.execute("PRAGMA user_version").fetchone()[0] == 4
    assert sorted(p.id for p in store.iter_posts()) == ["politie:g1", "telegram:k/1"]
    assert list(store.get_analyses(["politie:g1"])) == ["politie:g1"]
    assert store.get_signal("s1").post_ids == ["politie:g1", "telegram:k/1"]
    assert [f.target_id for f in store.feedback()] == ["politie:g1"]
    assert store._db.execute("PRAGMA foreign_key_check").fetchall() == []
    # A re-crawl of the same item after the migration updates, never duplicates.
    again = Post("rss", "g1", "politie", NOW, "Demonstratie in Zwolle", source_name="politie")
    assert store.upsert_posts([again]).new == 0 and store.count_posts() == 2
    store.close()
    assert SQLiteStore(path).count_posts() == 2  # opening again migrates nothing twice


def test_reddit_and_mastodon_accept_only_their_own_channel():
    from crawlers.spiders.reddit import parse_listing

    listing = {
        "kind": "Listing",
        "data": {
            "children": [
                {
                    "kind": "t3",
                    "data": {"name": "t3_a", "title": "Eigen", "created_utc": NOW.timestamp(), "subreddit": "Zwolle"},
                },
                {
                    "kind": "t3",
                    "data": {"name": "t3_b", "title": "Vreemd", "created_utc": NOW.timestamp(), "subreddit": "other"},
                },
            ]
        },
    }
    posts, problems, _ = parse_listing(json.dumps(listing).encode(), "zwolle", "http://x")
    assert [p.source_id for p in posts] == ["t3_a"] and "another subreddit" in problems[0]


@pytest.mark.slow
def test_mastodon_account_source_skips_statuses_of_other_accounts(tmp_path):
    server = Loopback()
    try:

        def status(sid, acct):
            return {
                "id": sid,
                "created_at": NOW.isoformat(),
                "uri": f"{server.url}/s/{sid}",
                "url": None,
                "content": f"<p>Bericht {sid}</p>",
                "account": {"acct": acct},
                "reblog": None,
            }

        server.route("/api/v1/accounts/lookup", Reply(json.dumps({"id": "7"}), ctype="application/json"))
        server.route(
            "/api/v1/accounts/7/statuses",
            Reply(
                json.dumps([status("2", "politie_zwolle"), status("1", "iemand_anders@elders.example")]),
                ctype="application/json",
            ),
        )
        config = write_config(
            tmp_path,
            crawl={"autothrottle": False},
            sources=[{"name": "politie", "type": "mastodon", "base_url": server.url, "account": "politie_zwolle"}],
        )
        result = cli("--config", str(config), "crawl", "--source", "politie")
        assert "politie: 1 nieuw" in result.stdout and "1 overgeslagen" in result.stdout, result.stdout + result.stderr
    finally:
        server.close()


@pytest.mark.es
def test_an_elasticsearch_store_with_old_ids_is_migrated_once():
    from elasticsearch import Elasticsearch
    from store_backends import ES_URL, elastic_store

    from store.elastic import ElasticStore

    first = elastic_store()  # skips without a node
    prefix, client = first.p, first.es
    try:
        old = Post("rss", "g1", "politie", NOW, "Demonstratie in Zwolle", source_name="politie")
        first.upsert_posts([old])
        # Rewrite the document as an older version stored it: id (platform, source_id).
        index = first._posts_index(old.published_at)
        doc = client.get(index=index, id="politie:g1")["_source"]
        client.delete(index=index, id="politie:g1", refresh=True)
        client.index(index=index, id="rss:g1", document={**doc, "pid": "rss:g1"}, refresh=True)
        first.upsert_signals([Signal("s1", ["demonstratie"], "GM0193", "Zwolle", NOW, NOW, ["rss:g1"])])
        client.delete(index=f"{prefix}-meta", id="schema:ids", refresh=True)
        again = ElasticStore(Elasticsearch(ES_URL), prefix=prefix, analyzer="standard")
        assert [p.id for p in again.iter_posts()] == ["politie:g1"]
        assert again.get_signal("s1").post_ids == ["politie:g1"]
        assert again.upsert_posts([old]).new == 0 and again.count_posts() == 1
        again.close()
    finally:
        first.drop()
        first.close()
