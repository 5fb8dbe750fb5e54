"""The board for triage, with Streamlit's AppTest against a real SQLite store: the URL follows
the page, the open signal, filters and sort; markers for what is new or changed since the last
visit; assigning, notes and hand-over; an analyst's merge and split; search; the map."""

import html
import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from conftest import AUTH_PROVIDER, board_app, write_config

from onrustradar.core.models import Analysis, Post, Signal
from store import SignalQuery, Visit
from store.sqlite import SQLiteStore

NOW = datetime.now(UTC)
ANA = {"email": "ana@zwolle.example"}  # an analist of both gemeenten (roles from the config)
HOSTILE_PLACE = "<img src=http://evil.example/x.png>"


@pytest.fixture
def region(tmp_path, monkeypatch):
    config = write_config(
        tmp_path,
        gemeenten=["Zwolle", "Enschede"],
        auth={
            "provider": AUTH_PROVIDER,
            "users": [
                {"email": "ana@zwolle.example", "roles": ["analist", "lezer"], "gemeenten": ["Zwolle", "Enschede"]},
                {"email": "bob@zwolle.example", "roles": ["lezer"], "gemeenten": ["Zwolle"]},
                {"email": "eva@enschede.example", "roles": ["lezer"], "gemeenten": ["Enschede"]},
            ],
        },
    )
    store = SQLiteStore(tmp_path / "store.sqlite")
    posts = [
        Post("telegram", "k/1", "kanaal", NOW - timedelta(hours=3), "Zaterdag demonstratie bij het stadhuis"),
        Post("telegram", "k/2", "kanaal", NOW - timedelta(hours=2), "Wij lopen mee naar het stadhuis, zaterdag"),
        Post("telegram", "k/3", "scooters", NOW - timedelta(hours=2), "Scootermeeting zondag bij de IJsselhallen"),
        Post("rss", "n/1", "nieuws", NOW - timedelta(hours=1), "Onrust bij het stadhuis van Enschede"),
    ]
    store.upsert_posts(posts)
    store.save_analyses(
        [
            Analysis("telegram:k/1", ["demonstratie"], {"demonstratie": 0.9}, "GM0193", "Zwolle"),
            Analysis("telegram:k/2", ["demonstratie"], {"demonstratie": 0.9}, "GM0193", "Zwolle"),
            Analysis("telegram:k/3", ["scootermeeting"], {"scootermeeting": 0.9}, "GM0193", "Zwolle"),
            Analysis("rss:n/1", ["incident"], {"incident": 0.9}, "GM0153", "Enschede"),
        ]
    )
    store.upsert_signals(
        [
            Signal(
                "s-demo",
                ["demonstratie"],
                "GM0193",
                "Zwolle",
                NOW - timedelta(hours=3),
                NOW - timedelta(hours=2),
                ["telegram:k/1", "telegram:k/2"],
                score=90,
                event_start=NOW + timedelta(days=2),
                time_known=True,
                announced=True,
                place="Holtenbroek",
                reach=9600,
                explanation="1 bron",
            ),
            Signal(
                "s-scoot",
                ["scootermeeting"],
                "GM0193",
                "Zwolle",
                NOW - timedelta(hours=2),
                NOW - timedelta(hours=2),
                ["telegram:k/3"],
                score=120,
                event_start=NOW + timedelta(days=1),
                time_known=True,
                announced=True,
                place=HOSTILE_PLACE,
                explanation="1 bron",
            ),
            Signal(
                "s-ens",
                ["incident"],
                "GM0153",
                "Enschede",
                NOW - timedelta(hours=1),
                NOW - timedelta(hours=1),
                ["rss:n/1"],
                score=60,
                reliability="bevestigd",
                explanation="1 bron (1 officieel/nieuws)",
            ),
        ]
    )
    store.close()
    monkeypatch.setenv("ONRUSTRADAR_CONFIG", str(config))
    return tmp_path


def rows(at) -> list[str]:
    return [m for e in at.markdown for m in re.findall(r'class="or-row" id="row-([^"]+)"', html.unescape(e.value))]


def params(at) -> dict:
    return {k: (v[0] if isinstance(v, list) and len(v) == 1 else v) for k, v in at.query_params.items()}


def audit_rows(path) -> list[dict]:
    return [json.loads(line) for line in (path / "audit.jsonl").read_text(encoding="utf-8").splitlines()]


@pytest.mark.slow
def test_the_url_follows_the_open_signal_and_page(region):
    at = board_app(ANA).run()
    assert not at.exception and params(at) == {"pagina": "signalen"}
    assert rows(at) == ["s-scoot", "s-demo", "s-ens"]  # tomorrow, the day after, then what happened
    at.button(key="open-s-demo").click().run()
    assert params(at) == {"pagina": "signalen", "signal": "s-demo"}
    at.button(key="back").click().run()
    assert params(at) == {"pagina": "signalen"}
    # a shared link opens its signal; opening another one from there names the new one
    linked = board_app(ANA)
    linked.query_params.update({"pagina": "signalen", "signal": "s-ens"})
    linked.run()
    assert any("Incident" in s.value and "Enschede" in s.value for s in linked.subheader)
    linked.button(key="back").click().run()
    linked.button(key="open-s-scoot").click().run()
    assert params(linked)["signal"] == "s-scoot"
    assert any("Scootermeeting" in s.value for s in linked.subheader)
    linked.sidebar.radio(key="page").set_value("Kaart").run()
    assert params(linked) == {"pagina": "kaart"}


def test_filters_and_sort_are_kept_in_the_url(region):
    at = board_app(ANA)
    at.query_params.update(
        {"pagina": "signalen", "sortering": "score", "categorie": "scootermeeting,incident", "periode": "30d"}
    )
    at.run()
    assert rows(at) == ["s-scoot", "s-ens"]  # by score, demonstraties filtered out
    assert at.sidebar.selectbox(key="f_periode").value == "30 dagen"
    at.sidebar.multiselect(key="f_status").set_value(["nieuw"]).run()
    assert params(at) == {
        "pagina": "signalen",
        "sortering": "score",
        "categorie": "scootermeeting,incident",
        "periode": "30d",
        "status": "nieuw",
    }


def test_hostile_urls_are_ignored(region):
    at = board_app({"email": "bob@zwolle.example"})  # a lezer of Zwolle
    at.query_params.update(
        {
            "pagina": "privacy",
            "signal": "<script>alert(1)</script>",
            "categorie": "bogus,incident",
            "gemeente": "Enschede,Zwolle",
            "sortering": "'; DROP",
            "periode": "99y",
        }
    )
    at.run()
    assert not at.exception
    assert at.sidebar.radio(key="page").value == "Signalen"  # not a page of this role
    assert at.sidebar.multiselect(key="f_categorie").value == ["incident"]
    assert at.sidebar.multiselect(key="f_gemeente").value == ["Zwolle"]  # not a gemeente of this user
    assert at.sidebar.selectbox(key="f_periode").value == "7 dagen" and "signal" not in params(at)


def test_new_and_changed_since_the_last_visit_are_marked(region):
    store = SQLiteStore(region / "store.sqlite")
    old = NOW - timedelta(days=1)
    store.upsert_signals(
        [
            Signal("s-old", ["incident"], "GM0193", "Zwolle", old, old, ["x/1"], created_at=old),
            Signal("s-grew", ["incident"], "GM0193", "Zwolle", old, old, ["x/2"], created_at=old),
        ]
    )
    store.upsert_signals([Signal("s-grew", ["incident"], "GM0193", "Zwolle", old, NOW, ["x/2", "x/3"])])
    store.set_visit(Visit("ana@zwolle.example", NOW - timedelta(hours=2), None))  # the previous visit ended 2 hours ago
    store.close()
    at = board_app(ANA).run()
    marks = {}
    for value in (html.unescape(m.value) for m in at.markdown):
        for sid, mark in re.findall(r'id="row-([^"]+)"><span(?: class="or-mark or-(\w+)")?', value):
            marks[sid] = mark
    assert marks["s-old"] == "" and marks["s-grew"] == "gewijzigd" and marks["s-demo"] == "nieuw"
    assert "nieuw of gewijzigd sinds uw vorige bezoek" in " ".join(c.value for c in at.caption)


def test_score_scale_and_reach_are_explained_on_hover(region):
    at = board_app(ANA).run()
    row = next(v for v in (html.unescape(m.value) for m in at.markdown) if 'id="row-s-demo"' in v)
    assert "score 90 (middel)" in row and "bereik 9.600" in row
    assert re.search(r'title="Score: [^"]*Onder 40 laag, 40 tot 100 middel, vanaf 100 hoog', row)
    assert re.search(r'title="Bereik: [^"]*geen aantal unieke personen', row, re.I)


@pytest.mark.slow
def test_assign_note_and_hand_over_are_kept_and_audited(region):
    at = board_app(ANA).run()
    at.button(key="open-s-demo").click().run()
    assert at.selectbox(key="assign-who-s-demo").options == [
        "ana@zwolle.example",
        "bob@zwolle.example",
    ]  # not eva (Enschede)
    at.selectbox(key="assign-who-s-demo").set_value("bob@zwolle.example").run()
    at.button(key="assign-s-demo").click().run()
    at.text_area(key="note-text-s-demo").input("organisator gebeld, route via de Grote Markt").run()
    at.button(key="note-add-s-demo").click().run()
    at.button(key="handover-s-demo").click().run()  # a hand-over without a note is refused
    assert any("overdracht" in w.value for w in at.warning)
    at.text_input(key="handover-note-s-demo").input("dienst voorbij, bob neemt het over").run()
    at.button(key="handover-s-demo").click().run()
    assert not at.exception
    store = SQLiteStore(region / "store.sqlite")
    notes = [(n.kind, n.actor, n.text, n.assignee) for n in store.notes("s-demo")]
    held = store.assignments(["s-demo"])["s-demo"]
    store.close()
    ana = "ana@zwolle.example"
    assert notes == [
        ("toewijzing", ana, "", "bob@zwolle.example"),
        ("notitie", ana, "organisator gebeld, route via de Grote Markt", None),
        ("overdracht", ana, "dienst voorbij, bob neemt het over", "bob@zwolle.example"),
    ]
    assert held.assignee == "bob@zwolle.example"
    texts = " ".join(t.value for t in at.text)
    assert "organisator gebeld, route via de Grote Markt" in texts  # the thread, as plain text
    rows_ = audit_rows(region)
    assert [r["action"] for r in rows_ if r["action"].startswith("signal.") and r["action"] != "signal.view"] == [
        "signal.assign",
        "signal.note",
        "signal.handover",
    ]
    assert "organisator" not in (region / "audit.jsonl").read_text(encoding="utf-8")  # the note stays out
    # bob's view: "aan mij" shows it, "aan niemand" does not
    bob = board_app({"email": "bob@zwolle.example"})
    bob.query_params.update({"pagina": "signalen", "toegewezen": "ik"})
    bob.run()
    assert rows(bob) == ["s-demo"]
    bob.sidebar.radio(key="f_toegewezen").set_value("niemand").run()
    assert rows(bob) == ["s-scoot"]


@pytest.mark.slow
def test_an_analyst_merges_and_splits_on_the_board(region):
    at = board_app(ANA).run()
    at.button(key="open-s-demo").click().run()
    at.selectbox(key="merge-other-s-demo").set_value("s-scoot").run()
    at.button(key="merge-s-demo").click().run()
    assert not at.exception and any("Samengevoegd" in s.value for s in at.success)
    store = SQLiteStore(region / "store.sqlite")
    assert store.get_signal("s-scoot") is None
    assert store.get_signal("s-demo").post_ids == ["telegram:k/1", "telegram:k/2", "telegram:k/3"]
    store.close()
    at.checkbox(key="split-s-demo-telegram:k/3").check().run()
    at.button(key="split-s-demo").click().run()
    assert not at.exception and any("Afgesplitst" in s.value for s in at.success)
    store = SQLiteStore(region / "store.sqlite")
    decisions = [(d.kind, d.signal_id, d.other_id, d.post_ids) for d in store.decisions()]
    new_id = decisions[1][1]
    assert decisions == [
        ("merge", "s-demo", "s-scoot", ["telegram:k/3"]),
        ("split", new_id, "s-demo", ["telegram:k/3"]),
    ]
    assert store.get_signal(new_id).post_ids == ["telegram:k/3"]
    assert {s.signal_id for s in store.query_signals(SignalQuery())} == {"s-demo", "s-ens", new_id}
    store.close()
    actions = [(r["action"], r["object"]) for r in audit_rows(region)]
    assert ("signal.merge", "s-demo") in actions and ("signal.split", "s-demo") in actions
    # a link to the merged-away signal says where it went
    old = board_app(ANA)
    old.query_params.update({"pagina": "signalen", "signal": "s-scoot"})
    old.run()
    assert any("samengevoegd" in i.value for i in old.info)
    old.button(key="open-merged").click().run()
    assert params(old)["signal"] == "s-demo"
    # a lezer sees no merge or split controls
    lezer = board_app({"email": "bob@zwolle.example"})
    lezer.query_params.update({"pagina": "signalen", "signal": "s-demo"})
    lezer.run()
    assert not [b for b in lezer.button if b.key and b.key.startswith(("merge-", "split-"))]


def test_search_finds_posts_of_the_users_gemeenten_and_links_to_their_signal(region):
    bob = board_app({"email": "bob@zwolle.example"})
    bob.query_params.update({"pagina": "zoeken"})
    bob.run()
    bob.text_input(key="q").input("STADHUIS").run()
    texts = [t.value for t in bob.text]
    assert "Zaterdag demonstratie bij het stadhuis" in texts and "Wij lopen mee naar het stadhuis, zaterdag" in texts
    assert "Onrust bij het stadhuis van Enschede" not in texts  # another gemeente's post
    search = [r for r in audit_rows(region) if r["action"] == "posts.search"][-1]
    assert json.loads(search["detail"])["zoekterm"] == "STADHUIS" and search["actor"] == "bob@zwolle.example"
    bob.text_input(key="q").input("scoot ijssel").run()  # prefixes, every word
    assert [t.value for t in bob.text if "IJsselhallen" in t.value] == ["Scootermeeting zondag bij de IJsselhallen"]
    bob.button(key="zp-telegram:k/3").click().run()
    assert params(bob) == {"pagina": "signalen", "signal": "s-scoot"}
    assert any("Scootermeeting" in s.value for s in bob.subheader)


def test_search_finds_signals_by_place(region):
    at = board_app(ANA).run()
    at.sidebar.radio(key="page").set_value("Zoeken").run()
    at.text_input(key="q").input("holtenbr").run()
    assert [b.key for b in at.button if b.key and b.key.startswith("zs-")] == ["zs-s-demo"]


@pytest.mark.slow
def test_the_map_draws_outlines_markers_and_links(region):
    at = board_app(ANA).run()
    at.sidebar.radio(key="page").set_value("Kaart").run()
    assert not at.exception
    import base64

    embedded = next(e.proto.body for e in at.get("html") if "or-map-box" in e.proto.body)
    svg = base64.b64decode(re.search(r'atob\("([^"]+)"\)', embedded)[1]).decode("utf-8")
    codes = set(re.findall(r'class="gm gm-watched" data-code="([^"]+)"', html.unescape(svg)))
    assert codes == {"GM0193", "GM0153"}
    assert len(re.findall(r'<path class="gm', svg)) > 10  # neighbours drawn too
    decoded = html.unescape(svg)
    for sid in ("s-demo", "s-scoot", "s-ens"):
        assert f'data-signal="{sid}"' in decoded
        assert re.search(rf'href="\?pagina=signalen&signal={sid}"', decoded)
    assert "<img" not in svg and "&lt;img" in svg  # a hostile place name: shown in the tooltip, inert
    assert "<svg" not in embedded  # the SVG reaches the page only through the box (no sanitiser, no new tab)
    assert any("Bron: CBS" in m.value for m in at.markdown)
    legend = " ".join(m.value for m in at.markdown)
    for label in ("Demonstratie", "Scootermeeting", "Supporters", "Incident", "uw gemeenten"):
        assert label in legend
