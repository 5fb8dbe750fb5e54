"""The digest as the burgemeester reads it (#19), received from a real SMTP server (aiosmtpd):
one line per signal saying what happened, ranked by severity then bevestigd then upcoming,
each signal once, labelled counts, a fixed window whatever time it is built, and refusals."""

import re
from dataclasses import replace
from datetime import timedelta

import pytest
from conftest import cli
from digest_scenario import AT, DAY, make_analysis, make_post

from digest import service
from onrustradar.config import load_config
from onrustradar.core.models import Post, Signal
from store.sqlite import SQLiteStore

LINK = re.compile(r"https://bord\.zwolle\.example/\?signal=([\w-]+)")


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
    fresh = make_post("telegram", "f/1", "zwolle_zegt_nee", eight, "Vanavond weer demonstratie op het Grote Kerkplein")
    store.upsert_posts([news, fresh])
    store.save_analyses([make_analysis(news, ["incident"]), make_analysis(fresh, ["demonstratie"])])
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


@pytest.mark.slow
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
