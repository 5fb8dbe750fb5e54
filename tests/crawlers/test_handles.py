"""No handle reaches the store: every source type is crawled from a loopback server whose
items carry marker handles (authors, account names in ids and links, forward origins, DIDs),
then every file the SQLite store wrote — and, with ONRUSTRADAR_TEST_ES, every document of the
Elasticsearch indices — is searched for the markers."""

import json
import os
import uuid
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from conftest import cli, write_config
from loopback import Loopback, Reply
from telethon.tl import types

from crawlers.telegram_api import message_to_post
from onrustradar.core.intake import admit
from store.sqlite import SQLiteStore

NOW = datetime.now(UTC) - timedelta(hours=1)
JSON = "application/json; charset=utf-8"
MARKERS = [
    "zqxauteur",
    "zqxboost",
    "zqxforward",
    "zqxdid",
    "zqxredditor",
    "zqxschrijver",
    "zqxlink",
    "zqxpersoon",
    "zqxtelethon",
    "zqxondertekend",
    "zqxgenoemd",
]


def _routes(server: Loopback) -> None:
    iso = NOW.isoformat().replace("+00:00", "Z")

    # t.me/s: a message signed by a person, one forwarded from a person's account, one from a
    # hidden sender shown only by name.
    def message(n, extra=""):
        return (
            f'<div class="tgme_widget_message_wrap"><div class="tgme_widget_message" data-post="kanaal_x/{n}">'
            f'{extra}<div class="tgme_widget_message_text">Demonstratie in Zwolle {n}, vraag @zqxgenoemd</div>'
            '<div class="tgme_widget_message_footer"><span class="tgme_widget_message_meta">'
            '<span class="tgme_widget_message_from_author">zqxondertekend</span>'
            f'<a class="tgme_widget_message_date" href="#"><time datetime="{NOW.isoformat()}"></time></a>'
            "</span></div></div></div>"
        )

    fwd_user = (
        '<div class="tgme_widget_message_forwarded_from">Forwarded from <a class="tgme_widget_message_'
        'forwarded_from_name" href="https://t.me/zqxforward"><span>Zqxforward</span></a></div>'
    )
    fwd_name = (
        '<div class="tgme_widget_message_forwarded_from">Forwarded from <span class="tgme_widget_message_'
        'forwarded_from_name">Zqxpersoon Jansen</span></div>'
    )
    page = (
        "<html><body><section>" + message(1) + message(2, fwd_user) + message(3, fwd_name) + "</section></body></html>"
    )
    server.route("/s/kanaal_x", Reply(page))

    def status(sid, acct, reblog=None):
        host = server.url
        name = acct.split("@")[0]
        return {
            "id": sid,
            "created_at": iso,
            "uri": f"{host}/users/{name}/statuses/{sid}",
            "url": f"{host}/@{name}/{sid}",
            "content": f"<p>Rellen in Zwolle {sid} @{name}</p>" if not reblog else "",
            "account": {"id": "1", "acct": acct, "username": name},
            "reblog": reblog,
            "reblogs_count": 1,
            "replies_count": 0,
        }

    server.route(
        "/api/v1/timelines/tag/zwolle",
        Reply(
            json.dumps(
                [
                    status("11", "zqxauteur"),
                    status("12", "zqxboost@elders.example", reblog=status("13", "zqxauteur@thuis.example")),
                ]
            ),
            ctype=JSON,
        ),
    )
    server.route(
        "/r/zwolle/new.json",
        Reply(
            json.dumps(
                {
                    "kind": "Listing",
                    "data": {
                        "after": None,
                        "children": [
                            {
                                "kind": "t3",
                                "data": {
                                    "name": "t3_z1",
                                    "title": "Opstootje in Zwolle",
                                    "selftext": "",
                                    "author": "zqxredditor",
                                    "created_utc": NOW.timestamp(),
                                    "permalink": "/r/zwolle/comments/z1/opstootje/",
                                    "url": "https://www.reddit.com/user/zqxredditor/comments/z1",
                                },
                            }
                        ],
                    },
                }
            ),
            ctype=JSON,
        ),
    )
    server.route(
        "/xrpc/app.bsky.feed.searchPosts",
        Reply(
            json.dumps(
                {
                    "posts": [
                        {
                            "uri": "at://did:plc:zqxdid/app.bsky.feed.post/3k",
                            "indexedAt": iso,
                            "author": {"handle": "zqxauteur.bsky.social", "did": "did:plc:zqxdid"},
                            "record": {"text": "Vuurwerk bij station Zwolle", "createdAt": iso},
                        }
                    ]
                }
            ),
            ctype=JSON,
        ),
    )
    server.route(
        "/mobile_api/json/video/latest/0/",
        Reply(
            json.dumps({"items": [{"id": "100_zqx", "title": "Scooters in Zwolle", "description": "", "date": iso}]}),
            ctype=JSON,
        ),
    )
    rss = (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>Brand in Zwolle</title>'
        f"<author>zqxschrijver@krant.example (Zqxschrijver)</author><link>{server.url}/@zqxlink/artikel-1</link>"
        f"<guid>{server.url}/users/zqxlink/1</guid><pubDate>{format_datetime(NOW)}</pubDate></item></channel></rss>"
    )
    server.route("/feed.xml", Reply(rss, ctype="application/rss+xml"))


def _sources(url: str) -> list[dict]:
    return [
        {"name": "tg", "type": "telegram_web", "channel": "kanaal_x", "base_url": url},
        {"name": "masto", "type": "mastodon", "base_url": url, "tag": "zwolle"},
        {"name": "reddit", "type": "reddit", "subreddit": "zwolle", "base_url": url},
        {"name": "bsky", "type": "bluesky", "base_url": url, "query": "zwolle"},
        {"name": "dumpert", "type": "dumpert", "base_url": url},
        {"name": "krant", "type": "rss", "url": f"{url}/feed.xml"},
    ]


def _telethon_posts():
    """telegram_api: a message signed by a person and one forwarded from a person."""
    peer = types.PeerChannel(channel_id=1)
    fwd = types.MessageFwdHeader(date=NOW, from_name="Zqxtelethon de Vries")
    signed = types.Message(id=1, peer_id=peer, date=NOW, message="Demonstratie Zwolle", post_author="zqxtelethon")
    forwarded = types.Message(id=2, peer_id=peer, date=NOW, message="Demonstratie Zwolle", fwd_from=fwd)
    posts = [message_to_post(m, "kanaal_api") for m in (signed, forwarded)]
    for post in posts:
        post.source_name = "api"
    return [admit(p) for p in posts]


def _crawl(tmp_path, store: dict) -> tuple:
    server = Loopback()
    _routes(server)
    config = write_config(
        tmp_path, crawl={"autothrottle": False, "retries": 0}, sources=_sources(server.url), store=store
    )
    return server, config


@pytest.mark.slow
def test_no_handle_in_any_file_of_the_sqlite_store(tmp_path):
    server, config = _crawl(tmp_path, {"backend": "sqlite", "path": str(tmp_path / "store.sqlite")})
    try:
        result = cli(
            "--config", str(config), "crawl", *[a for s in _sources(server.url) for a in ("--source", s["name"])]
        )
        assert result.returncode == 0, result.stderr
        for name in ("tg", "masto", "reddit", "bsky", "dumpert", "krant"):
            assert f"{name}: 0 nieuw" not in result.stdout, result.stdout + result.stderr
    finally:
        server.close()
    store = SQLiteStore(tmp_path / "store.sqlite")
    store.upsert_posts(_telethon_posts())
    stored = list(store.iter_posts())
    assert len(stored) == 3 + 2 + 1 + 1 + 1 + 1 + 2
    store.close()
    assert cli("--config", str(config), "process").returncode == 0
    exported = cli("--config", str(config), "export", "posts").stdout.casefold()
    files = [p for p in tmp_path.iterdir() if p.name.startswith("store.sqlite")]
    assert files
    for path in files:
        data = path.read_bytes().lower()
        for marker in MARKERS:
            assert marker.encode() not in data, f"{marker} in {path.name}"
    for marker in MARKERS:
        assert marker not in exported


@pytest.mark.es
def test_no_handle_in_the_elasticsearch_indices(tmp_path):
    from store_backends import ES_URL, elastic_store

    elastic_store().close()  # skips (or fails in CI) without a node
    from elasticsearch import Elasticsearch

    from store.elastic import ElasticStore

    prefix = f"test-{uuid.uuid4().hex[:8]}"
    store_cfg = {"backend": "elasticsearch", "hosts": [ES_URL], "index_prefix": prefix, "analyzer": "standard"}
    server, config = _crawl(tmp_path, store_cfg)
    client = Elasticsearch(ES_URL)
    try:
        result = cli(
            "--config", str(config), "crawl", *[a for s in _sources(server.url) for a in ("--source", s["name"])]
        )
        assert result.returncode == 0, result.stderr
        store = ElasticStore(client, prefix=prefix, analyzer="standard")
        store.upsert_posts(_telethon_posts())
        assert cli("--config", str(config), "process").returncode == 0
        client.indices.refresh(index=f"{prefix}-*")
        hits = client.search(index=f"{prefix}-*", query={"match_all": {}}, size=1000)["hits"]["hits"]
        assert len(hits) >= 11
        dump = json.dumps(hits, ensure_ascii=False).casefold()
        for marker in MARKERS:
            assert marker not in dump, marker
    finally:
        server.close()
        ElasticStore(client, prefix=prefix, analyzer="standard").drop()
        client.close()


def test_markers_are_really_in_what_the_servers_send(tmp_path):
    """The test above could pass by crawling nothing: the markers are in the raw replies."""
    server = Loopback()
    try:
        _routes(server)
        import urllib.request

        body = b"".join(
            urllib.request.urlopen(server.url + path).read()
            for path in (
                "/s/kanaal_x",
                "/api/v1/timelines/tag/zwolle",
                "/r/zwolle/new.json",
                "/xrpc/app.bsky.feed.searchPosts",
                "/feed.xml",
            )
        ).lower()
        for marker in set(MARKERS) - {"zqxtelethon"}:
            assert marker.encode() in body, marker
    finally:
        server.close()
    assert os.environ["ONRUSTRADAR_PSEUDONYM_KEY"]
