"""The digest scenario of #19 as the burgemeester of Zwolle reads it: a deployment with an SMTP
server (the `smtp` fixture of smtp_server.py), and a store with a rumour, confirmed news, two
demonstrations (one to come, one over) and activity outside the window. A pytest plugin of the
root conftest, so `deployment` is a fixture in every test folder."""

from datetime import date, datetime, timedelta

import pytest
from conftest import write_config
from smtp_server import PASSWORD, USER

from onrustradar.core.models import Analysis, Post, Signal
from onrustradar.core.nl import AMS
from store.sqlite import SQLiteStore

DAY = date(2026, 11, 20)
AT = datetime(2026, 11, 20, 7, 0, tzinfo=AMS)


def make_post(source, sid, channel, at, text, **kw):
    return Post(source, sid, channel, at, text, fetched_at=at, **kw)


def make_analysis(post, categories, **kw):
    return Analysis(post.id, categories, {c: 0.9 for c in categories}, "GM0193", "Zwolle", **kw)


@pytest.fixture
def deployment(tmp_path, smtp, monkeypatch):
    """(config path, store path) of the Zwolle deployment with the scenario's posts and signals."""
    monkeypatch.setenv("ONRUSTRADAR_SMTP_USER", USER)
    monkeypatch.setenv("ONRUSTRADAR_SMTP_PASSWORD", PASSWORD)
    path = write_config(
        tmp_path,
        gemeenten=["Zwolle", "Kampen"],
        sources=[{"name": "regio", "type": "rss", "url": "http://127.0.0.1:9/feed.xml", "kind": "news"}],
        smtp={
            "host": "127.0.0.1",
            "port": smtp.port,
            "starttls": True,
            "sender": "onrustradar@zwolle.example",
            "ca_file": str(smtp.cert),
            "timeout": 5,
            "retries": 0,
            "backoff": 0,
        },
        digest={
            "time": "07:00",
            "recipients": {"Zwolle": ["burgemeester@zwolle.example"]},
            "board_url": "https://bord.zwolle.example",
        },
    )
    store = SQLiteStore(tmp_path / "store.sqlite")
    posts = {
        # An unconfirmed single post with a high score, and a confirmed incident with a low one.
        "rumour": make_post(
            "telegram",
            "k/1",
            "buurtkanaal",
            AT - timedelta(hours=10),
            "Volgens Pieter Bakker (@pbakker) is er vannacht een explosie geweest bij een woning in "
            "Holtenbroek, wie weet meer?",
        ),
        "news": Post(
            "rss",
            "n/1",
            "regio",
            AT - timedelta(hours=8),
            "Explosie bij woning aan de Middelweg in Zwolle-Holtenbroek\n\nBij een explosie bij een woning "
            "in Holtenbroek raakten vannacht twee bewoners gewond. De politie hield één verdachte aan.",
            fetched_at=AT - timedelta(hours=8),
            source_name="regio",
        ),
        "witness": make_post(
            "mastodon",
            "m/1",
            "#zwolle",
            AT - timedelta(hours=7),
            "Knal gehoord in Holtenbroek, politie is er met veel auto's",
        ),
        # Two demonstrations of the same severity: one still to come, one that is over.
        "call": make_post(
            "telegram",
            "d/1",
            "zwolle_zegt_nee",
            AT - timedelta(hours=20),
            "ZATERDAG 14:00 DEMONSTRATIE tegen het azc op het Grote Kerkplein in Zwolle! Er komen zeker "
            "300 mensen. DELEN!!",
        ),
        "call2": make_post(
            "telegram",
            "d/2",
            "wakker_oost",
            AT - timedelta(hours=19),
            "Zaterdag om 14:00 demonstratie tegen het azc op het Grote Kerkplein, Zwolle. Kom allemaal.",
        ),
        "past": make_post(
            "telegram",
            "p/1",
            "boerenkanaal",
            AT - timedelta(hours=6),
            "Boerenprotest bij het provinciehuis in Zwolle is begonnen, tientallen trekkers staan er al.",
        ),
        "past2": make_post(
            "mastodon",
            "p/2",
            "#zwolle",
            AT - timedelta(hours=5),
            "Trekkers bij het provinciehuis, demonstratie van boeren loopt rustig.",
        ),
        # Outside the window: activity three days ago.
        "old": make_post("telegram", "o/1", "scooterkanaal", AT - timedelta(days=3), "Scootermeeting bij Stadshagen"),
    }
    store.upsert_posts(posts.values())
    store.save_analyses(
        [
            make_analysis(posts["rumour"], ["incident"], keywords=["incident:explosie"]),
            make_analysis(posts["news"], ["incident"], keywords=["incident:explosie"]),
            make_analysis(posts["witness"], ["incident"]),
            make_analysis(
                posts["call"],
                ["demonstratie"],
                announced=True,
                event_start=AT + timedelta(days=1, hours=7),
                time_known=True,
                keywords=["demonstratie:demonstratie"],
            ),
            make_analysis(
                posts["call2"],
                ["demonstratie"],
                announced=True,
                event_start=AT + timedelta(days=1, hours=7),
                time_known=True,
            ),
            make_analysis(posts["past"], ["demonstratie"], keywords=["demonstratie:protest*"]),
            make_analysis(posts["past2"], ["demonstratie"]),
            make_analysis(posts["old"], ["scootermeeting"]),
        ]
    )

    def signal(sid, categories, keys, reliability, score, **kw):
        ps = [posts[k] for k in keys]
        return Signal(
            sid,
            categories,
            "GM0193",
            "Zwolle",
            min(p.published_at for p in ps),
            max(p.published_at for p in ps),
            [p.id for p in ps],
            reliability=reliability,
            score=score,
            independent_sources=len({p.channel for p in ps}),
            explanation=f"{len(ps)} berichten",
            **kw,
        )

    store.upsert_signals(
        [
            signal("s-rumour", ["incident"], ["rumour"], "onbevestigd", 300, place="Holtenbroek"),
            signal(
                "s-explosion",
                ["incident"],
                ["news", "witness"],
                "bevestigd",
                40,
                place="Holtenbroek",
                official_sources=1,
            ),
            signal(
                "s-coming",
                ["demonstratie"],
                ["call", "call2"],
                "bevestigd",
                60,
                announced=True,
                event_start=AT + timedelta(days=1, hours=7),
                time_known=True,
                place="Grote Kerkplein",
            ),
            signal(
                "s-over",
                ["demonstratie"],
                ["past", "past2"],
                "bevestigd",
                90,
                event_start=AT - timedelta(hours=6),
                time_known=True,
            ),
            signal("s-old", ["scootermeeting"], ["old"], "onbevestigd", 20),
        ]
    )
    store.close()
    return path, tmp_path / "store.sqlite"
