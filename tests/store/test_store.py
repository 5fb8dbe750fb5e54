"""One test suite for the store interface, run against both backends: SQLite and a real
Elasticsearch node (started by `make test` / `make test-es` through .ci/es.sh), so their
behaviour cannot drift. The two-backend `store` fixture is in tests/store_backends.py."""

from datetime import UTC, datetime, timedelta

import pytest

from onrustradar.core.models import Analysis, Post, Signal
from onrustradar.core.pseudonym import pseudonymise
from store import Decision, Feedback, Note, OutboxItem, SignalQuery, Visit

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def post(n: int, text: str = "Demonstratie op het Malieveld", days_old: float = 0, **kw) -> Post:
    return Post(
        source="telegram",
        source_id=f"kanaal/{n}",
        channel="kanaal",
        published_at=NOW - timedelta(days=days_old),
        text=text,
        **kw,
    )


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
    store.upsert_posts(
        [
            post(1, "Explosie bij woning in Zwolle, politie doet onderzoek"),
            post(2, "Geen nieuws vandaag"),
            post(3, "Café in Enschede: ruzie na de wedstrijd"),
        ]
    )
    assert [p.source_id for p in store.search_posts("explos zwolle")] == ["kanaal/1"]
    assert [p.source_id for p in store.search_posts("cafe")] == ["kanaal/3"]
    assert store.search_posts('"; DROP TABLE posts; --') == []
    assert store.count_posts() == 3


def test_search_can_be_limited_to_gemeenten(store):
    store.upsert_posts([post(1, "rellen in Zwolle"), post(2, "rellen in Enschede")])
    store.save_analyses(
        [
            Analysis("telegram:kanaal/1", ["incident"], {}, gemeente_code="GM0193", gemeente="Zwolle"),
            Analysis("telegram:kanaal/2", ["incident"], {}, gemeente_code="GM0153", gemeente="Enschede"),
        ]
    )
    assert [p.source_id for p in store.search_posts("rellen", ["GM0153"])] == ["kanaal/2"]


def test_signal_query_filters_and_status(store):
    def sig(i, cat, code, score, rel="onbevestigd"):
        return Signal(f"s{i}", [cat], code, code, NOW, NOW, [], score=score, reliability=rel)

    store.upsert_signals(
        [
            sig(1, "incident", "GM0193", 50, "bevestigd"),
            sig(2, "demonstratie", "GM0193", 80),
            sig(3, "incident", "GM0153", 90),
        ]
    )

    def ids(q):
        return [s.signal_id for s in store.query_signals(q)]

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


def test_analysed_posts_and_reset(store):
    store.upsert_posts([post(1, "rellen in Zwolle"), post(2, "mooi weer")])
    store.save_analyses(
        [
            Analysis(
                "telegram:kanaal/1",
                ["incident"],
                {"incident": 0.9},
                "GM0193",
                "Zwolle",
                keywords=["incident:rellen"],
                event_start=NOW + timedelta(hours=3),
                time_known=True,
                model="m1",
            ),
            Analysis("telegram:kanaal/2", [], {}, model="m1"),
        ]
    )
    relevant = store.analysed_posts(since=NOW - timedelta(days=1))
    assert [(p.source_id, a.categories, a.gemeente_code) for p, a in relevant] == [("kanaal/1", ["incident"], "GM0193")]
    assert relevant[0][1].event_start == NOW + timedelta(hours=3)
    assert len(store.analysed_posts(since=NOW - timedelta(days=1), relevant_only=False)) == 2
    assert store.get_analyses(["telegram:kanaal/1"])["telegram:kanaal/1"].keywords == ["incident:rellen"]
    assert store.reset_analyses(NOW - timedelta(days=1), unless_model="m1") == 0
    assert store.reset_analyses(NOW - timedelta(days=1), unless_model="m2") == 2
    assert sorted(p.source_id for p in store.unanalysed_posts()) == ["kanaal/1", "kanaal/2"]


def test_context_posts_of_gemeenten_with_or_without_the_unplaced(store):
    store.upsert_posts(
        [post(1, "we staan er al in Zwolle"), post(2, "we staan er al"), post(3, "Assen"), post(4, "rellen")]
    )
    store.save_analyses(
        [
            Analysis("telegram:kanaal/1", [], {}, "GM0193", "Zwolle"),
            Analysis("telegram:kanaal/2", [], {}),
            Analysis("telegram:kanaal/3", [], {}, "GM0106", "Assen"),
            Analysis("telegram:kanaal/4", ["incident"], {"incident": 0.9}, "GM0193", "Zwolle"),
        ]
    )
    since = NOW - timedelta(days=1)

    def ids(rows):
        return sorted(p.source_id for p, _ in rows)

    assert ids(store.context_posts(["GM0193"], since)) == ["kanaal/1", "kanaal/2"]
    assert ids(store.context_posts(["GM0193"], since, unplaced=False)) == ["kanaal/1"]
    assert ids(store.context_posts([], since)) == ["kanaal/2"]
    assert store.context_posts([], since, unplaced=False) == []
    assert ids(store.context_posts(["GM0193"], NOW + timedelta(hours=1))) == []
    # of any gemeente, none without one, none with a category, within the two moments, of
    # these channels or naming these names (at least: more is allowed, the caller tests each)
    later = NOW + timedelta(hours=1)
    assert ids(store.placed_context_posts(since, later, ["kanaal"], [])) == ["kanaal/1", "kanaal/3"]
    assert ids(store.placed_context_posts(since, NOW - timedelta(hours=1), ["kanaal"], [])) == []
    assert ids(store.placed_context_posts(NOW + timedelta(seconds=1), later, ["kanaal"], [])) == []
    assert "kanaal/3" in ids(store.placed_context_posts(since, later, [], ["assen"]))


def test_feedback_status_log_and_daily_counts(store):
    store.upsert_posts([post(1, "a", days_old=0.1), post(2, "b", days_old=1.1), post(3, "c", days_old=1.2)])
    store.save_analyses([Analysis(f"telegram:kanaal/{i}", ["demonstratie"], {}, "GM0193", "Zwolle") for i in (1, 2, 3)])
    days = {(c.day, c.category): c.posts for c in store.daily_counts(NOW - timedelta(days=7), ["GM0193"])}
    assert sorted(days.values()) == [1, 2] and len(days) == 2
    assert store.daily_counts(NOW - timedelta(days=7), ["GM0153"]) == []
    store.add_feedback(Feedback("post", "telegram:kanaal/1", "onterecht", "analist", keywords=["demonstratie:demo"]))
    store.add_feedback(Feedback("post", "telegram:kanaal/1", "terecht", "analist", keywords=["demonstratie:demo"]))
    [fb] = store.feedback()  # one verdict per person: the second replaces the first
    assert fb.verdict == "terecht" and fb.keywords == ["demonstratie:demo"]
    store.upsert_signals([Signal("s1", ["demonstratie"], "GM0193", "Zwolle", NOW, NOW, [])])
    store.set_signal_status("s1", "in behandeling", by="oov", note="n1")
    store.set_signal_status("s1", "afgehandeld", by="oov")
    assert [h[1:] for h in store.status_history("s1")] == [
        ("in behandeling", "oov", "n1"),
        ("afgehandeld", "oov", None),
    ]


def test_outbox_is_exactly_once(store):
    item = OutboxItem(
        "digest:GM0193:2026-11-20",
        "digest",
        "GM0193",
        ["b@x"],
        "<m1@x>",
        b"Subject: x\r\n\r\nbody",
        snapshot={"s1": {"score": 3}},
    )
    assert store.outbox_add(item) is True
    assert store.outbox_add(item) is False
    store.outbox_update(item.key, "sent", 1)
    got = store.outbox_get(item.key)
    assert (got.status, got.attempts, got.message, got.snapshot) == ("sent", 1, item.message, {"s1": {"score": 3}})
    assert got.sent_at is not None and [i.key for i in store.outbox_list(kind="digest")] == [item.key]
    assert store.outbox_get("nope") is None


def test_many_signals_beyond_one_page(store):
    store.upsert_signals(
        [Signal(f"s{i:05d}", ["incident"], "GM0193", "Zwolle", NOW, NOW, [], score=i) for i in range(6000)]
    )
    got = store.query_signals(SignalQuery(limit=1_000_000))
    assert len(got) == 6000 and got[0].signal_id == "s05999"


# -- per-gemeente isolation ---------------------------------------------------------------------

SCOPED_METHODS = {
    "query_signals",
    "get_signal",
    "set_signal_status",
    "status_history",
    "get_posts",
    "get_analyses",
    "search_posts",
    "analysed_posts",
    "iter_posts",
    "add_feedback",
    "feedback",
    "daily_counts",
    "outbox_list",
    "source_health",
    "record_own_report",
    "outbox_get",
    "outbox_add",
    "outbox_update",  # eigen meldingen (#19)
    "quarantined",  # ids, sources and reasons of set-aside posts: no text, no gemeente
    "signals_of_posts",
    "add_note",
    "notes",
    "assign",
    "assignments",
    "decisions",
    "merge_signals",
    "split_signal",
    "last_visit",
    "set_visit",
}  # about the board user, not about any gemeente


def _two_gemeenten(store) -> None:
    zw = Post(
        "telegram",
        "k/1",
        "k",
        NOW - timedelta(hours=3),
        "Demonstratie zaterdag bij het stadhuis",
        author=pseudonymise("alice"),
    )
    dv = Post(
        "telegram", "k/2", "k", NOW - timedelta(hours=2), "Demonstratie zondag op de Brink", author=pseudonymise("bob")
    )
    store.upsert_posts([zw, dv])
    store.save_analyses(
        [
            Analysis(zw.id, ["demonstratie"], {"demonstratie": 0.9}, "GM0193", "Zwolle"),
            Analysis(dv.id, ["demonstratie"], {"demonstratie": 0.9}, "GM0150", "Deventer"),
        ]
    )
    store.upsert_signals(
        [
            Signal("sig-zw", ["demonstratie"], "GM0193", "Zwolle", NOW, NOW, [zw.id], score=50),
            Signal("sig-dv", ["demonstratie"], "GM0150", "Deventer", NOW, NOW, [dv.id], score=90),
        ]
    )
    for target_type, target in (("signal", "sig-zw"), ("signal", "sig-dv"), ("post", zw.id), ("post", dv.id)):
        store.add_feedback(Feedback(target_type, target, "terecht", "analist", at=NOW))
    for name in ("Zwolle", "Deventer"):
        store.outbox_add(OutboxItem(f"digest:{name}", "digest", name, ["x@example.org"], f"<{name}@x>", b"m"))
    for code in ("GM0193", "GM0150"):  # digests and alerts name their gemeente by code
        store.outbox_add(OutboxItem(f"alert:{code}", "alert", code, ["x@example.org"], f"<{code}@x>", b"m"))
    store.set_signal_status("sig-dv", "in behandeling", "oov-deventer")


def test_a_lezer_of_one_gemeente_gets_nothing_of_another(store):
    from onrustradar.service.scoped import ScopedStore

    _two_gemeenten(store)
    zwolle = ScopedStore(store, {"GM0193"})
    public = {n for n in dir(zwolle) if not n.startswith("_") and callable(getattr(zwolle, n))}
    assert public == SCOPED_METHODS, "a new query path needs an isolation check here"

    assert [s.signal_id for s in zwolle.query_signals(SignalQuery())] == ["sig-zw"]
    assert zwolle.query_signals(SignalQuery(gemeente_codes=frozenset({"GM0150"}))) == []
    assert zwolle.get_signal("sig-dv") is None and zwolle.get_signal("sig-zw") is not None
    with pytest.raises(KeyError):
        zwolle.set_signal_status("sig-dv", "afgehandeld", "lezer-zwolle")
    assert store.get_signal("sig-dv").status == "in behandeling"
    assert zwolle.status_history("sig-dv") == []
    assert [p.id for p in zwolle.get_posts(["telegram:k/1", "telegram:k/2"])] == ["telegram:k/1"]
    assert set(zwolle.get_analyses(["telegram:k/1", "telegram:k/2"])) == {"telegram:k/1"}
    assert [p.id for p in zwolle.search_posts("demonstratie")] == ["telegram:k/1"]
    assert zwolle.search_posts("demonstratie", gemeente_codes=["GM0150"]) == []
    assert [p.id for p, _ in zwolle.analysed_posts(NOW - timedelta(days=1))] == ["telegram:k/1"]
    assert [p.id for p in zwolle.iter_posts(NOW - timedelta(days=1))] == ["telegram:k/1"]
    assert {(f.target_type, f.target_id) for f in zwolle.feedback()} == {("signal", "sig-zw"), ("post", "telegram:k/1")}
    with pytest.raises(KeyError):
        zwolle.add_feedback(Feedback("signal", "sig-dv", "onterecht", "lezer-zwolle"))
    assert {c.gemeente_code for c in zwolle.daily_counts(NOW - timedelta(days=2))} == {"GM0193"}
    assert zwolle.daily_counts(NOW - timedelta(days=2), gemeente_codes=["GM0150"]) == []
    assert sorted(i.gemeente for i in zwolle.outbox_list()) == ["GM0193", "Zwolle"]
    assert [i.key for i in zwolle.outbox_list(kind="alert")] == ["alert:GM0193"]
    # Writing an eigen melding and its terugkoppeling: only inside the scope.
    melding = Post("eigen", "m/1", "eigen melding · wijkagent", NOW, "Groep jongeren bij de Brink")
    with pytest.raises(KeyError):
        zwolle.record_own_report(
            melding, Analysis(melding.id, ["incident"], {}, "GM0150", "Deventer"), store.get_signal("sig-dv")
        )
    assert store.get_posts([melding.id]) == []
    assert zwolle.outbox_get("digest:Deventer") is None and zwolle.outbox_get("digest:Zwolle") is not None
    with pytest.raises(KeyError):
        zwolle.outbox_add(OutboxItem("terugkoppeling:x", "terugkoppeling", "GM0150", ["m@x"], "<t@x>", b"m"))
    with pytest.raises(KeyError):
        zwolle.outbox_update("digest:Deventer", "sent", 1)
    assert store.outbox_get("digest:Deventer").status == "built"

    assert zwolle.signals_of_posts(["telegram:k/1", "telegram:k/2"]) == {"telegram:k/1": "sig-zw"}
    store.add_note(Note("sig-dv", "notitie", "oov-deventer", "alleen voor Deventer"))
    store.assign("sig-dv", "oov-deventer", "oov-deventer")
    assert zwolle.notes("sig-dv") == [] and zwolle.assignments(["sig-dv"]) == {}
    for action in (
        lambda: zwolle.add_note(Note("sig-dv", "notitie", "lezer-zwolle", "x")),
        lambda: zwolle.assign("sig-dv", "lezer-zwolle", "lezer-zwolle"),
        lambda: zwolle.merge_signals("sig-zw", "sig-dv", "lezer-zwolle"),
        lambda: zwolle.split_signal("sig-dv", ["telegram:k/2"], "lezer-zwolle"),
    ):
        with pytest.raises(KeyError):
            action()
    store.add_decision(Decision("split", "sig-new", "sig-dv", ["telegram:k/2"], [], "GM0150", "oov-deventer"))
    assert zwolle.decisions() == [] and len(store.decisions()) == 1
    assert store.get_signal("sig-dv").post_ids == ["telegram:k/2"]

    nobody = ScopedStore(store, set())  # no gemeenten means nothing, never everything
    assert nobody.query_signals(SignalQuery()) == [] and nobody.get_posts(["telegram:k/1"]) == []
    assert nobody.search_posts("demonstratie") == [] and nobody.outbox_list() == [] and nobody.feedback() == []


def test_subject_request_deletes_exactly_that_authors_posts(store):
    from onrustradar.governance.subjects import subject_request

    store.upsert_posts(
        [
            post(1, author=pseudonymise("@Alice")),
            post(2, author=pseudonymise("bob")),
            post(3, author=pseudonymise("alice")),
            post(4),
        ]
    )
    report = subject_request(store, "ALICE", delete=False)
    assert (report.found, report.deleted) == (2, 0) and store.count_posts() == 4
    report = subject_request(store, "alice", delete=True)
    assert (report.found, report.deleted) == (2, 2)
    assert sorted(p.source_id for p in store.iter_posts()) == ["kanaal/2", "kanaal/4"]
    assert subject_request(store, "alice").found == 0


# -- issue #17: identity, quarantine, audit anchor, deletions (both backends) ---------------------


def test_identity_includes_the_source_name(store):
    official = post(1, "Officieel bericht", source_name="politie")
    fake = post(1, "Vals bericht", source_name="nep")  # the same platform id, another source
    assert store.upsert_posts([official]).new == 1 and store.upsert_posts([fake]).new == 1
    texts = {p.source_name: p.text for p in store.get_posts(["politie:kanaal/1", "nep:kanaal/1"])}
    assert texts == {"politie": "Officieel bericht", "nep": "Vals bericht"}


def test_a_quarantined_post_leaves_the_analysis_queue(store):
    store.upsert_posts([post(1), post(2)])
    store.quarantine_post("telegram:kanaal/1", "cannot be analysed (OverflowError)")
    assert [p.id for p in store.unanalysed_posts()] == ["telegram:kanaal/2"]
    [item] = store.quarantined()
    assert (item.post_id, item.reason) == ("telegram:kanaal/1", "cannot be analysed (OverflowError)")


def test_the_audit_anchor_round_trips(store):
    assert store.audit_anchor() is None
    store.set_audit_anchor({"rows": 3, "head": "ab" * 32, "mac": "cd" * 32})
    store.set_audit_anchor({"rows": 4, "head": "ef" * 32, "mac": "01" * 32})
    assert store.audit_anchor() == {"rows": 4, "head": "ef" * 32, "mac": "01" * 32}


def test_subject_posts_include_forwards_of_them(store):
    store.upsert_posts(
        [
            post(1, author=pseudonymise("alice")),
            post(2, forwarded_from=pseudonymise("alice")),
            post(3, author=pseudonymise("bob")),
        ]
    )
    assert sorted(p.source_id for p in store.posts_by_author(pseudonymise("alice"))) == ["kanaal/1", "kanaal/2"]
    assert store.delete_posts(["telegram:kanaal/1", "telegram:kanaal/2"]) == 2
    assert store.search_posts("Demonstratie") and store.count_posts() == 1


def test_triage_round_trips(store):
    store.upsert_signals(
        [
            Signal("a", ["incident"], "GM0193", "Zwolle", NOW, NOW, ["p1", "p2"], reach=1234),
            Signal("b", ["incident"], "GM0193", "Zwolle", NOW, NOW, ["p3"]),
        ]
    )
    a = store.get_signal("a")
    assert a.reach == 1234 and a.created_at is not None and a.changed_at == a.created_at
    store.upsert_signals([Signal("a", ["incident"], "GM0193", "Zwolle", NOW, NOW, ["p1", "p2"], score=5.0)])
    assert store.get_signal("a").changed_at == a.changed_at  # the score alone is no change
    store.upsert_signals([Signal("a", ["incident"], "GM0193", "Zwolle", NOW, NOW, ["p1", "p2", "p4"])])
    assert store.get_signal("a").changed_at > a.changed_at and store.get_signal("a").created_at == a.created_at
    assert store.signals_of_posts(["p1", "p3", "p4", "p9"]) == {"p1": "a", "p3": "b", "p4": "a"}
    store.add_note(Note("a", "notitie", "ana", "eerste", at=NOW))
    store.add_note(Note("a", "overdracht", "ana", "tweede", assignee="bob", at=NOW + timedelta(minutes=1)))
    assert [(n.kind, n.text, n.assignee) for n in store.notes("a")] == [
        ("notitie", "eerste", None),
        ("overdracht", "tweede", "bob"),
    ]
    store.assign("a", "bob", "ana")
    assert store.assignments(["a", "b"])["a"].assignee == "bob" and "b" not in store.assignments(["a", "b"])
    assert [s.signal_id for s in store.query_signals(SignalQuery(assignee="bob"))] == ["a"]
    assert [s.signal_id for s in store.query_signals(SignalQuery(assignee=""))] == ["b"]
    store.add_decision(Decision("merge", "a", "b", ["p3"], ["p1", "p2"], "GM0193", "ana", at=NOW))
    store.add_decision(Decision("split", "c", "a", ["p4"], [], "GM0193", "bob", at=NOW + timedelta(minutes=1)))
    assert [(d.kind, d.signal_id, d.other_id, d.post_ids, d.keep_post_ids, d.actor) for d in store.decisions()] == [
        ("merge", "a", "b", ["p3"], ["p1", "p2"], "ana"),
        ("split", "c", "a", ["p4"], [], "bob"),
    ]
    assert store.delete_signal("b") and store.get_signal("b") is None and not store.delete_signal("b")
    assert store.signals_of_posts(["p3"]) == {}
    store.set_visit(Visit("ana", NOW, NOW - timedelta(days=1)))
    assert store.last_visit("ana") == Visit("ana", NOW, NOW - timedelta(days=1)) and store.last_visit("bob") is None


def test_ticks_are_counted_for_health_and_soak(store):
    assert store.tick_stats() is None
    store.record_tick(NOW, 1.5, True)
    store.record_tick(NOW + timedelta(minutes=1), 4.0, False, "RuntimeError: boom")
    store.record_tick(NOW + timedelta(minutes=2), 0.5, True)
    stats = store.tick_stats()
    assert (stats.count, stats.failed, stats.longest, stats.last_ok, stats.last_error) == (3, 1, 4.0, True, None)
    assert stats.last_started == NOW + timedelta(minutes=2) and stats.last_seconds == 0.5
    assert stats.last_ok_at == NOW + timedelta(minutes=2, seconds=0.5)
    store.record_tick(NOW + timedelta(minutes=3), 0.2, False, "x" * 2000)
    stats = store.tick_stats()
    assert not stats.last_ok and len(stats.last_error) == 500
    assert stats.last_ok_at == NOW + timedelta(minutes=2, seconds=0.5)  # the last good one stays
    free, total = store.disk_usage()
    assert 0 < free <= total
