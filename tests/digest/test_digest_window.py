"""The digest as the burgemeester reads it (#19), received from a real SMTP server (aiosmtpd):
one line per signal saying what happened, ranked by severity then bevestigd then upcoming,
each signal once, labelled counts, a fixed window whatever time it is built, and refusals."""

import re
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from conftest import cli, write_config
from smtp_server import PASSWORD, USER, SmtpServer

from digest import service
from onrustradar.config import load_config
from onrustradar.core.models import Analysis, Post, Signal
from onrustradar.core.nl import AMS
from store.sqlite import SQLiteStore

DAY = date(2026, 11, 20)
AT = datetime(2026, 11, 20, 7, 0, tzinfo=AMS)
LINK = re.compile(r"https://bord\.zwolle\.example/\?signal=([\w-]+)")


def _post(source, sid, channel, at, text, **kw):
    return Post(source, sid, channel, at, text, fetched_at=at, **kw)


def _analysis(post, categories, **kw):
    return Analysis(post.id, categories, {c: 0.9 for c in categories}, "GM0193", "Zwolle", **kw)


@pytest.fixture
def smtp(tmp_path):
    server = SmtpServer(tmp_path)
    yield server
    server.stop()


@pytest.fixture
def deployment(tmp_path, smtp, monkeypatch):
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
        "rumour": _post(
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
        "witness": _post(
            "mastodon",
            "m/1",
            "#zwolle",
            AT - timedelta(hours=7),
            "Knal gehoord in Holtenbroek, politie is er met veel auto's",
        ),
        # Two demonstrations of the same severity: one still to come, one that is over.
        "call": _post(
            "telegram",
            "d/1",
            "zwolle_zegt_nee",
            AT - timedelta(hours=20),
            "ZATERDAG 14:00 DEMONSTRATIE tegen het azc op het Grote Kerkplein in Zwolle! Er komen zeker "
            "300 mensen. DELEN!!",
        ),
        "call2": _post(
            "telegram",
            "d/2",
            "wakker_oost",
            AT - timedelta(hours=19),
            "Zaterdag om 14:00 demonstratie tegen het azc op het Grote Kerkplein, Zwolle. Kom allemaal.",
        ),
        "past": _post(
            "telegram",
            "p/1",
            "boerenkanaal",
            AT - timedelta(hours=6),
            "Boerenprotest bij het provinciehuis in Zwolle is begonnen, tientallen trekkers staan er al.",
        ),
        "past2": _post(
            "mastodon",
            "p/2",
            "#zwolle",
            AT - timedelta(hours=5),
            "Trekkers bij het provinciehuis, demonstratie van boeren loopt rustig.",
        ),
        # Outside the window: activity three days ago.
        "old": _post("telegram", "o/1", "scooterkanaal", AT - timedelta(days=3), "Scootermeeting bij Stadshagen"),
    }
    store.upsert_posts(posts.values())
    store.save_analyses(
        [
            _analysis(posts["rumour"], ["incident"], keywords=["incident:explosie"]),
            _analysis(posts["news"], ["incident"], keywords=["incident:explosie"]),
            _analysis(posts["witness"], ["incident"]),
            _analysis(
                posts["call"],
                ["demonstratie"],
                announced=True,
                event_start=AT + timedelta(days=1, hours=7),
                time_known=True,
                keywords=["demonstratie:demonstratie"],
            ),
            _analysis(
                posts["call2"],
                ["demonstratie"],
                announced=True,
                event_start=AT + timedelta(days=1, hours=7),
                time_known=True,
            ),
            _analysis(posts["past"], ["demonstratie"], keywords=["demonstratie:protest*"]),
            _analysis(posts["past2"], ["demonstratie"]),
            _analysis(posts["old"], ["scootermeeting"]),
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


def _bodies(message) -> tuple[str, str]:
    return message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content()


def _content(message) -> tuple[list[str], list[str], bytes]:
    """Text, HTML (the chart's per-message Content-ID left out) and the chart itself."""
    text, html = _bodies(message)
    [chart] = [p.get_content() for p in message.walk() if p.get_content_type() == "image/png"]
    return text.splitlines(), re.sub(r'cid:[^"]+', "cid:", html).splitlines(), chart


def _entries(text: str) -> list[tuple[str, str]]:
    """(signal id, summary line) of each numbered entry in the plain-text digest."""
    section = text.split("BELANGRIJKSTE SIGNALEN", 1)[1].split("AANKONDIGINGEN", 1)[0]
    entries = re.split(r"\n(?=\d+\. )", section)
    out = []
    for entry in entries[1:]:
        summary = entry.split("\n", 1)[0].split(". ", 1)[1].strip()
        [sid] = LINK.findall(entry)
        out.append((sid, summary))
    return out


def test_sent_digest_ranks_summarises_and_lists_each_signal_once(deployment, smtp):
    path, _ = deployment
    result = cli("--config", str(path), "digest", "--gemeente", "Zwolle", "--date", DAY.isoformat(), "--send")
    assert result.returncode == 0, result.stderr
    [(_, message)] = smtp.handler.messages
    text, html = _bodies(message)
    entries = _entries(text)
    order = [sid for sid, _ in entries]
    # Severity first (incident above demonstratie), then bevestigd above onbevestigd whatever the
    # score, then the demonstration still to come above the one that is over.
    assert order == ["s-explosion", "s-rumour", "s-coming", "s-over"]
    # Each signal once: one entry and one link in the text, one link in the HTML.
    for sid in order:
        assert len(re.findall(rf"signal={sid}\b", text)) == 1, sid
        assert len(re.findall(rf"signal={sid}\b", html)) == 1, sid
    assert "s-old" not in text  # its activity lies outside the window
    summaries = dict(entries)
    # Every listed signal says what happened, in a line taken from its most reliable post.
    assert all(len(s.split()) >= 4 for s in summaries.values())
    assert summaries["s-explosion"].startswith("Explosie bij woning aan de Middelweg")
    assert "2 gewonden" in summaries["s-explosion"] and "1 aanhouding" in summaries["s-explosion"]
    assert "300" in summaries["s-coming"]
    # No person's name or handle, even when the only post names one.
    for word in ("Pieter", "Bakker", "pbakker", "ps_"):
        assert word not in text and word not in html
    assert "explosie" in summaries["s-rumour"].lower()
    # Counts carry their noun; the agenda refers to the numbered entry instead of repeating it.
    assert "1 bron · 1 bericht" in text and "2 bronnen · 2 berichten" in text
    assert re.search(r"Demonstratie: \d+ berichten? \(gemiddeld", text)
    agenda = text.split("AANKONDIGINGEN", 1)[1].split("TREND", 1)[0]
    assert "(signaal 3)" in agenda and "Grote Kerkplein" in agenda
    assert summaries["s-coming"] in html and summaries["s-explosion"] in html


def test_a_digest_built_at_nine_equals_the_one_built_at_seven(deployment, tmp_path):
    path, db = deployment
    config = load_config(path)
    store = SQLiteStore(db)
    at_seven = _content(service.build_digest(store, config, "Zwolle", DAY)[1])

    # Between 07:00 and 09:00 the service goes on: a news item confirms the rumour, a new
    # signal starts, the past demonstration expires, and the detectors' scores change.
    eight = AT + timedelta(hours=1)
    news = Post(
        "rss", "n/2", "regio", eight, "Politie bevestigt explosie in Holtenbroek", fetched_at=eight, source_name="regio"
    )
    fresh = _post("telegram", "f/1", "zwolle_zegt_nee", eight, "Vanavond weer demonstratie op het Grote Kerkplein")
    store.upsert_posts([news, fresh])
    store.save_analyses([_analysis(news, ["incident"]), _analysis(fresh, ["demonstratie"])])
    rumour, over = store.get_signal("s-rumour"), store.get_signal("s-over")
    store.upsert_signals(
        [
            replace(
                rumour,
                post_ids=rumour.post_ids + [news.id],
                last_seen=eight,
                reliability="bevestigd",
                independent_sources=2,
                official_sources=1,
                score=500,
                explanation="bevestigd door nieuws",
            ),
            replace(over, status="verlopen", status_by="systeem", status_at=eight + timedelta(minutes=45), score=1),
            Signal("s-fresh", ["demonstratie"], "GM0193", "Zwolle", eight, eight, [fresh.id], score=999),
        ]
    )
    at_nine = _content(service.build_digest(store, config, "Zwolle", DAY)[1])
    assert at_nine == at_seven

    # Nothing is lost: what came in after 07:00 is in the next day's digest.
    next_day = service.build_digest(store, config, "Zwolle", DAY + timedelta(days=1))[0]
    store.close()
    listed = {v.signal_id: v for v in next_day.items}
    assert listed["s-rumour"].reliability == "bevestigd" and "s-fresh" in listed


def test_refuses_gemeenten_outside_the_deployment_or_without_recipients(deployment, tmp_path, smtp):
    path, _ = deployment
    for args in (["--dry-run", str(tmp_path / "eml")], ["--send"]):
        outside = cli("--config", str(path), "digest", "--gemeente", "Deventer", "--date", DAY.isoformat(), *args)
        assert outside.returncode == 2 and "Deventer hoort niet bij deze installatie" in outside.stderr
        silent = cli("--config", str(path), "digest", "--gemeente", "Kampen", "--date", DAY.isoformat(), *args)
        assert silent.returncode == 2 and "geen ontvangers" in silent.stderr and "Kampen" in silent.stderr
    assert not (tmp_path / "eml").exists() and smtp.handler.messages == []


def test_an_alert_says_what_happened(deployment, smtp):
    path, db = deployment
    config = load_config(path)
    config = config.model_copy(
        update={
            "settings": config.settings.model_copy(
                update={
                    "alerts": config.settings.alerts.model_copy(
                        update={"threshold": 100, "recipients": {"Zwolle": ["oov@zwolle.example"]}}
                    )
                }
            )
        }
    )
    store = SQLiteStore(db)
    outcomes = service.check_alerts(store, config, AT)
    store.close()
    assert [o.key for o in outcomes] == ["alert:s-rumour:1"] and outcomes[0].status == "sent"
    [(_, message)] = smtp.handler.messages
    body = message.get_body(("plain",)).get_content()
    assert "Volgens iemand is er vannacht een explosie geweest bij een woning in Holtenbroek" in body
    assert "Pieter" not in body and "pbakker" not in body and "1 bron · 1 bericht" in body
