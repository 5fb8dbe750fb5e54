"""One post must never stop processing: dates and numbers from outside are range-checked at
intake, and a post the NLP still cannot analyse is quarantined with its reason, never its batch."""

import json
import sqlite3
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime

import pytest
from conftest import board_app, cli, write_config
from loopback import Loopback, Reply

from onrustradar.config import load_config
from onrustradar.core.intake import Rejected, admit, check_count
from onrustradar.core.models import Post
from onrustradar.service.analyzer import analyzer_for
from onrustradar.service.pipeline import process
from store.sqlite import SQLiteStore

NOW = datetime.now(UTC)
RSS = "application/rss+xml; charset=utf-8"
JSON = "application/json; charset=utf-8"


def _post(ident: str, text: str, published: datetime = NOW, **extra) -> Post:
    return Post(
        source="rss",
        source_id=ident,
        channel="nieuws",
        published_at=published,
        text=text,
        source_name="nieuws",
        **extra,
    )


@pytest.mark.parametrize(
    "moment",
    [
        NOW + timedelta(days=2),
        datetime(9999, 12, 31, tzinfo=UTC),
        datetime(1989, 12, 31, tzinfo=UTC),
        datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=5))),
    ],
)
def test_dates_outside_the_window_are_refused(moment):
    post = _post("x", "Demonstratie in Zwolle")
    post.published_at = moment  # as a parser would set it, bypassing the model's own check
    with pytest.raises(Rejected):
        admit(post)


def test_the_model_refuses_absurd_dates_and_counts():
    with pytest.raises(ValueError):
        _post("x", "tekst", datetime(9999, 1, 1, tzinfo=UTC))
    with pytest.raises(ValueError):
        _post("x", "tekst", views=-1)
    assert [check_count(v) for v in (float("inf"), float("nan"), -5, 10**13, True, "12", 7, 7.0)] == [
        None,
        None,
        None,
        None,
        None,
        None,
        7,
        7,
    ]


def test_strings_are_made_storable():
    post = admit(_post("id\ud800", "tekst \udfff met\x00nul"))
    assert "\ud800" not in post.source_id and "\udfff" not in post.text and "\x00" not in post.text
    store = SQLiteStore(":memory:")
    assert store.upsert_posts([post]).new == 1


@pytest.mark.slow
def test_classify_and_detect_survive_hostile_dates(tmp_path, config_path):
    lines = [
        {"id": "ok", "published_at": NOW.isoformat(), "text": "Zaterdag demonstratie op het Grote Kerkplein in Zwolle"},
        {"id": "ver", "published_at": "9999-12-31T23:59:59+00:00", "text": "Morgen demonstratie in Zwolle"},
        {"id": "oud", "published_at": "0001-01-01T00:00:00+14:00", "text": "Morgen demonstratie in Zwolle"},
        {"id": "straks", "published_at": (NOW + timedelta(days=30)).isoformat(), "text": "Morgen rellen in Ede"},
        {
            "id": "telling",
            "published_at": NOW.isoformat(),
            "text": "Demonstratie in Zwolle",
            "views": 1e308,
            "forwards": -3,
        },
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = cli("--config", str(config_path), "classify", "--input", str(src), "--output", str(out))
    assert result.returncode == 0, result.stderr
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["ok", "ver", "oud", "straks", "telling"]
    assert "error" not in rows[0] and "error" not in rows[4]
    assert all("published_at" in r["error"] for r in rows[1:4])
    signals = tmp_path / "signals.jsonl"
    result = cli("--config", str(config_path), "detect", "--input", str(src), "--output", str(signals))
    assert result.returncode == 0, result.stderr
    assert "3 fout" in result.stderr


class _FailsOnMarker:
    """The real analyzer, but the NLP breaks on one text (as the time code did on year 9999):
    stands in for any bug an input may still trigger."""

    def __init__(self, real):
        self.real, self.name = real, real.name

    def analyze_many(self, posts):
        posts = list(posts)
        if any("KAPOTMARKER" in p.text for p in posts):
            raise OverflowError("date value out of range")
        return self.real.analyze_many(posts)


def test_process_quarantines_the_post_not_the_batch(tmp_path):
    path = write_config(tmp_path)
    config = load_config(path)
    store = SQLiteStore(tmp_path / "store.sqlite")
    store.upsert_posts(
        [
            _post("goed", "Zaterdag demonstratie op het Grote Kerkplein in Zwolle"),
            _post("kapot", "KAPOTMARKER demonstratie in Zwolle"),
            _post("ook-goed", "Rellen bij het station in Zwolle, politie grijpt in"),
        ]
    )
    report = process(store, config, analyzer=_FailsOnMarker(analyzer_for(config)))
    assert report.analysed == 2
    assert [q.post_id for q in store.quarantined()] == [_post("kapot", "x").id]
    assert "OverflowError" in store.quarantined()[0].reason
    # The next tick does not try again and does not fail.
    assert process(store, config, analyzer=_FailsOnMarker(analyzer_for(config))).analysed == 0
    store.close()


@pytest.mark.slow
def test_a_bad_post_stored_before_the_checks_is_quarantined_and_shown_on_bronnen(tmp_path, monkeypatch):
    path = write_config(tmp_path, sources=[{"name": "nieuws", "type": "rss", "url": "http://127.0.0.1:9/x"}])
    load_config(path)  # the config must load before the store is touched
    store = SQLiteStore(tmp_path / "store.sqlite")
    store.upsert_posts([_post("goed", "Zaterdag demonstratie op het Grote Kerkplein in Zwolle")])
    store.close()
    # A post from an older version, with a date the time code overflows on.
    db = sqlite3.connect(tmp_path / "store.sqlite")
    db.execute(
        "INSERT INTO posts (id, source, source_id, source_name, channel, published_ts, fetched_ts, text) "
        "VALUES ('nieuws:ver', 'rss', 'ver', 'nieuws', 'nieuws', 253402300000, 0, 'Morgen demonstratie')"
    )
    db.commit()
    db.close()
    result = cli("--config", str(path), "process")
    assert result.returncode == 0, result.stderr
    assert "1 bericht geanalyseerd" in result.stdout
    store = SQLiteStore(tmp_path / "store.sqlite")
    assert [q.reason for q in store.quarantined()][0].startswith("ongeldig bericht")
    store.close()
    monkeypatch.setenv("ONRUSTRADAR_CONFIG", str(path))
    at = board_app().run()
    at.sidebar.radio(key="page").set_value("Bronnen").run()
    assert not at.exception
    frames = [df.value for df in at.dataframe]
    assert any("reden" in f.columns and "nieuws:ver" in set(f["bericht"]) for f in frames)


@pytest.mark.slow
def test_crawled_items_with_absurd_dates_and_numbers_are_skipped(tmp_path):
    server = Loopback()
    try:
        good = format_datetime(NOW)
        items = [
            ("Demonstratie in Zwolle", good),
            ("Ver weg", "Fri, 31 Dec 9999 23:59:59 +0000"),
            ("Volgend jaar", format_datetime(NOW + timedelta(days=400))),
            ("Oud", "Mon, 01 Jan 1900 00:00:00 +0000"),
        ]
        body = "".join(
            f"<item><title>{t}</title><guid>g{i}</guid><pubDate>{d}</pubDate></item>" for i, (t, d) in enumerate(items)
        )
        server.route(
            "/f.xml",
            Reply(
                f'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>{body}</channel></rss>', ctype=RSS
            ),
        )
        listing = {
            "kind": "Listing",
            "data": {
                "after": None,
                "children": [
                    {
                        "kind": "t3",
                        "data": {
                            "name": "t3_a",
                            "title": "Rellen in Ede",
                            "created_utc": NOW.timestamp(),
                            "permalink": "/r/x/a",
                            "num_comments": 1e400,
                        },
                    },
                    {"kind": "t3", "data": {"name": "t3_b", "title": "Rellen in Ede", "created_utc": 1e300}},
                    {"kind": "t3", "data": {"name": "t3_c", "title": "Rellen in Ede", "created_utc": "inf"}},
                ],
            },
        }
        server.route("/r/ede/new.json", Reply(json.dumps(listing).replace("Infinity", "1e400"), ctype=JSON))
        path = write_config(
            tmp_path,
            crawl={"autothrottle": False, "retries": 0},
            sources=[
                {"name": "nieuws", "type": "rss", "url": f"{server.url}/f.xml"},
                {"name": "ede", "type": "reddit", "subreddit": "ede", "base_url": server.url},
            ],
        )
        result = cli("--config", str(path), "crawl", "--source", "nieuws", "--source", "ede")
        assert result.returncode == 0, result.stderr
        assert "nieuws: 1 nieuw" in result.stdout and "ede: 1 nieuw" in result.stdout, result.stdout
        store = SQLiteStore(tmp_path / "store.sqlite")
        posts = list(store.iter_posts())
        assert sorted(p.text for p in posts) == ["Demonstratie in Zwolle", "Rellen in Ede"]
        assert all(p.replies is None for p in posts)
        store.close()
        assert cli("--config", str(path), "process").returncode == 0
    finally:
        server.close()
