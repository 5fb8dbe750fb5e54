"""The SQLite store: idempotent upsert, retention, FTS, signals, cursors, health."""

from datetime import datetime, timedelta, timezone

import pytest

from onrustradar.models import Analysis, Post, Signal
from onrustradar.pseudonym import pseudonymise
from store import SignalQuery
from store.sqlite import SQLiteStore

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)


def post(n: int, text: str = "Demonstratie op het Malieveld", days_old: float = 0, **kw) -> Post:
    return Post(source="telegram", source_id=f"kanaal/{n}", channel="kanaal",
                published_at=NOW - timedelta(days=days_old), text=text, **kw)


@pytest.fixture
def store(tmp_path):
    s = SQLiteStore(tmp_path / "s.sqlite")
    yield s
    s.close()


def test_upsert_is_idempotent(store):
    first = store.upsert_posts([post(1), post(2), post(3)])
    again = store.upsert_posts([post(1), post(2), post(3), post(4)])
    assert (first.new, again.new, again.updated) == (3, 1, 3)
    assert store.count_posts() == 4
    assert again.new_ids == ["telegram:kanaal/4"]


def test_upsert_refreshes_counts_and_reanalyses_edited_text(store):
    store.upsert_posts([post(1, views=10)])
    store.save_analyses([Analysis("telegram:kanaal/1", ["demonstratie"], {"demonstratie": 0.9})])
    store.upsert_posts([post(1, views=99)])
    assert store.get_posts(["telegram:kanaal/1"])[0].views == 99
    assert store.unanalysed_posts() == []  # same text: analysis kept
    store.upsert_posts([post(1, text="Demonstratie gaat niet door")])
    assert [p.id for p in store.unanalysed_posts()] == ["telegram:kanaal/1"]
    assert store.search_posts("niet")[0].text == "Demonstratie gaat niet door"
    assert store.search_posts("Malieveld") == []  # the FTS index follows the edit


def test_retention_purge_deletes_old_posts_with_their_index_and_analysis(store):
    store.upsert_posts([post(1, "oude rellen", days_old=40), post(2, "nieuwe rellen", days_old=1)])
    store.save_analyses([Analysis("telegram:kanaal/1", ["incident"], {"incident": 1.0})])
    assert store.purge_posts(NOW - timedelta(days=30)) == 1
    assert [p.source_id for p in store.iter_posts()] == ["kanaal/2"]
    assert [p.text for p in store.search_posts("rellen")] == ["nieuwe rellen"]
    assert store.analysed_posts(since=NOW - timedelta(days=100), relevant_only=False) == []


def test_fts_search_ignores_accents_and_matches_prefixes(store):
    store.upsert_posts([
        post(1, "Explosie bij woning in Zwolle, politie doet onderzoek"),
        post(2, "Geen nieuws vandaag"),
        post(3, "Café in Enschede: ruzie na de wedstrijd"),
    ])
    assert [p.source_id for p in store.search_posts("explos zwolle")] == ["kanaal/1"]
    assert [p.source_id for p in store.search_posts("cafe")] == ["kanaal/3"]
    assert store.search_posts('"; DROP TABLE posts; --') == []
    assert store.count_posts() == 3


def test_search_can_be_limited_to_gemeenten(store):
    store.upsert_posts([post(1, "rellen in Zwolle"), post(2, "rellen in Enschede")])
    store.save_analyses([
        Analysis("telegram:kanaal/1", ["incident"], {}, gemeente_code="GM0193", gemeente="Zwolle"),
        Analysis("telegram:kanaal/2", ["incident"], {}, gemeente_code="GM0153", gemeente="Enschede"),
    ])
    assert [p.source_id for p in store.search_posts("rellen", ["GM0153"])] == ["kanaal/2"]


def test_signal_query_filters_and_status(store):
    def sig(i, cat, code, score, rel="onbevestigd"):
        return Signal(f"s{i}", [cat], code, code, NOW, NOW, [], score=score, reliability=rel)

    store.upsert_signals([sig(1, "incident", "GM0193", 50, "bevestigd"), sig(2, "demonstratie", "GM0193", 80),
                          sig(3, "incident", "GM0153", 90)])
    ids = lambda q: [s.signal_id for s in store.query_signals(q)]
    assert ids(SignalQuery()) == ["s3", "s2", "s1"]
    assert ids(SignalQuery(gemeente_codes=frozenset({"GM0193"}))) == ["s2", "s1"]
    assert ids(SignalQuery(categories=frozenset({"incident"}))) == ["s3", "s1"]
    assert ids(SignalQuery(reliability=frozenset({"bevestigd"}))) == ["s1"]
    store.set_signal_status("s2", "in behandeling", by="oov@zwolle", note="gebeld met organisator")
    got = store.get_signal("s2")
    assert (got.status, got.status_by, got.status_note) == ("in behandeling", "oov@zwolle", "gebeld met organisator")
    assert ids(SignalQuery(statuses=frozenset({"nieuw"}))) == ["s3", "s1"]
    with pytest.raises(KeyError):
        store.set_signal_status("missing", "afgehandeld", by="x")


def test_cursor_and_health(store):
    assert store.get_cursor("tg") is None
    store.set_cursor("tg", "120")
    store.set_cursor("tg", "140")
    store.record_crawl("tg", 5)
    store.record_crawl("tg", 0, error="HTTP 500")
    [health] = store.source_health()
    assert (health.cursor, health.total_new, health.last_new) == ("140", 5, 5)
    assert health.last_error == "HTTP 500" and health.last_success is not None


def test_post_refuses_a_raw_handle():
    with pytest.raises(ValueError):
        post(1, author="@jan_de_vries")
    assert pseudonymise("@Jan_de_Vries") == pseudonymise("jan_de_vries")
    assert pseudonymise("jan_de_vries").startswith("ps_")
