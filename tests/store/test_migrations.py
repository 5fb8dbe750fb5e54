"""One migration path to schema 4 (triage and incremental processing together), from real
older stores: each is created with the schema SQL of its time (tests/fixtures/schemas/:
schema 2; main's schema 3 with triage; the incremental branch's schema 3, whose events were
stored in an older form), filled with posts, analyses, a signal with an analyst's status, a
note and a merge decision, then opened by today's store and processed."""

import json
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from conftest import FIXTURES, write_config

from detectors.grouping import signal_id_for
from onrustradar.config import load_config
from onrustradar.service.pipeline import process
from store import SignalQuery
from store.sqlite import SCHEMA_VERSION, SQLiteStore

SCHEMAS = FIXTURES / "schemas"
NOW = datetime(2026, 11, 14, 20, 0, tzinfo=UTC)
SIG = signal_id_for("tg:k0/0")  # the id grouping gives the event (as main's process kept it)
TEXTS = [
    "Demonstratie tegen het azc zaterdag om 14:00 bij het stadhuis in Zwolle, iedereen komen",
    "Zaterdag 14:00 demonstratie bij het stadhuis Zwolle tegen het azc, DELEN",
    "Mooi weer vandaag in Zwolle",
]


def _old_store(path, schema: str, version: int) -> None:
    db = sqlite3.connect(path)
    db.executescript((SCHEMAS / schema).read_text(encoding="utf-8"))
    columns = {r[1] for r in db.execute("PRAGMA table_info(signals)")}
    with db:
        for n, text in enumerate(TEXTS):
            t = (NOW - timedelta(hours=5 - n)).timestamp()
            db.execute(
                "INSERT INTO posts (id, source, source_id, source_name, channel, published_ts, fetched_ts, text) "
                "VALUES (?, 'telegram', ?, 'tg', ?, ?, ?, ?)",
                (f"tg:k{n}/{n}", f"k{n}/{n}", f"k{n}", t, t, text),
            )
        for n in range(2):  # the third post was never analysed
            t = (NOW - timedelta(hours=5 - n)).timestamp()
            db.execute(
                "INSERT INTO analyses (post_id, published_ts, relevant, categories, scores, gemeente_code, "
                "gemeente, place, announced, event_start_ts, time_known, keywords, model) "
                "VALUES (?, ?, 1, '[\"demonstratie\"]', '{\"demonstratie\": 0.9}', 'GM0193', 'Zwolle', "
                "'stadhuis', 1, NULL, 0, '[]', 'oud')",
                (f"tg:k{n}/{n}", t),
            )
        signal = {
            "signal_id": SIG,
            "categories": '["demonstratie"]',
            "gemeente_code": "GM0193",
            "gemeente": "Zwolle",
            "time_known": 0,
            "announced": 1,
            "first_seen_ts": NOW.timestamp() - 5 * 3600,
            "last_seen_ts": NOW.timestamp() - 4 * 3600,
            "post_ids": '["tg:k0/0", "tg:k1/1"]',
            "independent_sources": 2,
            "official_sources": 0,
            "score": 50.0,
            "reliability": "bevestigd",
            "burst_factor": 1.0,
            "explanation": "oud",
            "status": "in behandeling",
            "status_by": "analist",
        }
        if "created_ts" in columns:
            signal["created_ts"] = signal["changed_ts"] = NOW.timestamp() - 4 * 3600
        db.execute(
            f"INSERT INTO signals ({', '.join(signal)}) VALUES ({', '.join('?' * len(signal))})", list(signal.values())
        )
        if schema == "v3_triage.sql":
            db.execute(
                "INSERT INTO signal_notes (signal_id, kind, actor, text, ts) VALUES "
                "(?, 'notitie', 'analist', 'wijkagent gebeld', ?)",
                (SIG, NOW.timestamp()),
            )
            db.execute(
                "INSERT INTO signal_decisions (kind, signal_id, other_id, post_ids, keep_post_ids, gemeente_code, "
                "actor, ts) VALUES ('merge', ?, 'sig_weg', '[\"tg:k1/1\"]', '[\"tg:k0/0\"]', 'GM0193', "
                "'analist', ?)",
                (SIG, NOW.timestamp() - 3600),
            )
        if schema == "v3_incremental.sql":
            # the events as that branch stored them (centroid as JSON pairs), and its flags
            db.execute("UPDATE analyses SET grouped = 1")
            state = {
                "categories": ["demonstratie"],
                "gemeente_code": "GM0193",
                "places": ["stadhuis"],
                "anchors": [],
                "origins": ["k0", "k1"],
                "start": None,
                "time_known": False,
                "first_seen": (NOW - timedelta(hours=5)).isoformat(),
                "last_seen": (NOW - timedelta(hours=4)).isoformat(),
                "centroid": [[1, 0.5], [7, 0.25]],
                "norm": 0.56,
                "post_ids": ["tg:k0/0", "tg:k1/1"],
            }
            db.execute(
                "INSERT INTO groups (signal_id, gemeente_code, open_until_ts, start_ts, time_known, last_seen_ts, "
                "rank_ts, rank_id, refresh_ts, score_base, state, members) VALUES (?, 'GM0193', ?, NULL, "
                '0, ?, 0, \'tg:k0/0\', ?, 25.0, ?, \'{"members": [], "firsts": [["k0", [[1, 0.5]]]], '
                '"copies": [], "burst": null}\')',
                (SIG, NOW.timestamp() + 3600, NOW.timestamp() - 4 * 3600, NOW.timestamp(), json.dumps(state)),
            )
            db.execute("INSERT INTO group_keys (key, signal_id) VALUES ('p:stadhuis', ?)", (SIG,))
        db.execute(f"PRAGMA user_version = {version}")
    db.close()


@pytest.mark.parametrize("schema,version", [("v2.sql", 2), ("v3_triage.sql", 3), ("v3_incremental.sql", 3)])
def test_older_stores_migrate_to_schema_4(tmp_path, schema, version):
    path = tmp_path / "store.sqlite"
    _old_store(path, schema, version)
    store = SQLiteStore(path)
    try:
        db = store._db
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 4
        assert {"reach", "created_ts", "changed_ts"} <= {r[1] for r in db.execute("PRAGMA table_info(signals)")}
        assert "analysed" in {r[1] for r in db.execute("PRAGMA table_info(posts)")}
        # the post -> signal index is filled; nothing of the old events is left
        assert store.signals_of_posts(["tg:k0/0", "tg:k1/1"]) == {"tg:k0/0": SIG, "tg:k1/1": SIG}
        assert db.execute("SELECT count(*) FROM groups").fetchone()[0] == 0
        assert db.execute("SELECT count(*) FROM group_keys").fetchone()[0] == 0
        # work is found by the new flags: one post to analyse, both analysed ones to group
        assert [p.id for p in store.unanalysed_posts()] == ["tg:k2/2"]
        assert sorted(p.id for p, _ in store.ungrouped_posts(since=NOW - timedelta(days=1))) == ["tg:k0/0", "tg:k1/1"]
        notes = store.notes(SIG)
        decisions = store.decisions()
        assert (len(notes), len(decisions)) == ((1, 1) if schema == "v3_triage.sql" else (0, 0))
        # the first tick rebuilds the events; the analyst's status and decisions stay
        config = load_config(write_config(tmp_path, store={"backend": "sqlite", "path": str(path)}))
        process(store, config, now=NOW)
        assert db.execute("SELECT count(*) FROM groups").fetchone()[0] >= 1
        signals = [s for s in store.query_signals(SignalQuery(limit=100)) if "tg:k0/0" in s.post_ids]
        # (the stored signal has the id grouping gives the event: it is rebuilt under it)
        assert [s.signal_id for s in signals] == [SIG] and "tg:k1/1" in signals[0].post_ids
        assert signals[0].status == "in behandeling" and signals[0].status_by == "analist"
        assert store.decisions() == decisions and len(store.notes(SIG)) == len(notes)
    finally:
        store.close()
    again = SQLiteStore(path)  # opening it again changes nothing
    try:
        assert again._db.execute("PRAGMA user_version").fetchone()[0] == 4
        assert again.ungrouped_posts(since=NOW - timedelta(days=1)) == []
    finally:
        again.close()


@pytest.mark.es
def test_older_elasticsearch_indices_migrate_to_version_4():
    from store_backends import elastic_store

    from onrustradar.core.models import Analysis, Post
    from store.elastic import ENGINE_VERSION, ElasticStore

    store = elastic_store()
    es_client, prefix = store.es, store.p
    try:
        posts = [
            Post("telegram", f"k{n}/{n}", f"k{n}", NOW - timedelta(hours=5 - n), TEXTS[n], source_name="tg")
            for n in range(2)
        ]
        store.upsert_posts(posts)
        store.save_analyses(
            [Analysis(p.id, ["demonstratie"], {"demonstratie": 0.9}, "GM0193", "Zwolle") for p in posts]
        )
        # as an older cluster left it: posts grouped, an event in an older form, no version 4 marker
        store.save_grouping([], {}, [], [p.id for p in posts])
        es_client.index(
            index=f"{prefix}-groups",
            id=SIG,
            refresh=True,
            document={"signal_id": SIG, "gemeente_code": "GM0193", "state": {"centroid": [[1, 0.5]]}},
        )
        es_client.delete(index=f"{prefix}-meta", id="schema:engine", refresh=True)
        assert store.ungrouped_posts(since=NOW - timedelta(days=1)) == []
        reopened = ElasticStore(es_client, prefix=prefix, analyzer="standard")
        assert sorted(p.id for p, _ in reopened.ungrouped_posts(since=NOW - timedelta(days=1))) == sorted(
            p.id for p in posts
        )
        assert es_client.count(index=f"{prefix}-groups")["count"] == 0
        assert reopened._meta("schema", "engine")["version"] == ENGINE_VERSION == 4
    finally:
        store.drop()
