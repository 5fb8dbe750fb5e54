"""The gemeente's own information (#19): an eigen melding recorded on the board makes an
onbevestigd signal bevestigd (as an official source, through the real detectors), is marked
as such in the evidence, audited, kept through re-analysis, and a meldpunt melding gets one
terugkoppeling through the outbox to the meldpunt (aiosmtpd)."""

from datetime import UTC, datetime, timedelta

import pytest
from conftest import board_app, write_config
from smtp_server import PASSWORD, USER

from digest.briefing import signal_briefing
from onrustradar.config import load_config, source_kinds
from onrustradar.core.models import OWN_MODEL, Analysis, Post, Signal
from onrustradar.core.nl import AMS
from onrustradar.service import meldingen
from onrustradar.service.pipeline import process
from onrustradar.service.scoped import ScopedStore
from store.sqlite import SQLiteStore

HOSTILE = "<script>alert(1)</script> **vet**"


@pytest.fixture
def setup(tmp_path, smtp, monkeypatch):
    monkeypatch.setenv("ONRUSTRADAR_SMTP_USER", USER)
    monkeypatch.setenv("ONRUSTRADAR_SMTP_PASSWORD", PASSWORD)
    path = write_config(
        tmp_path,
        gemeenten=["Zwolle", "Deventer"],
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
        meldingen={"meldpunt": {"Zwolle": "meldpunt@zwolle.example"}},
    )
    now = datetime.now(UTC)
    store = SQLiteStore(tmp_path / "store.sqlite")
    rumour = Post(
        "telegram",
        "k/1",
        "buurtkanaal",
        now - timedelta(hours=3),
        "Grote vechtpartij bij het station in Zwolle, politie is er",
        fetched_at=now - timedelta(hours=3),
    )
    other = Post(
        "telegram",
        "d/1",
        "deventerkanaal",
        now - timedelta(hours=2),
        "Rellen in Deventer",
        fetched_at=now - timedelta(hours=2),
    )
    store.upsert_posts([rumour, other])
    store.save_analyses(
        [
            Analysis(
                rumour.id,
                ["incident"],
                {"incident": 0.9},
                "GM0193",
                "Zwolle",
                place="station",
                keywords=["incident:vechtpartij"],
            ),
            Analysis(other.id, ["incident"], {"incident": 0.9}, "GM0150", "Deventer"),
        ]
    )
    store.upsert_signals(
        [
            Signal(
                "s-rumour",
                ["incident"],
                "GM0193",
                "Zwolle",
                rumour.published_at,
                rumour.published_at,
                [rumour.id],
                score=40,
                explanation="1 bron",
            ),
            Signal(
                "s-deventer",
                ["incident"],
                "GM0150",
                "Deventer",
                other.published_at,
                other.published_at,
                [other.id],
                score=30,
                explanation="1 bron",
            ),
        ]
    )
    store.close()
    monkeypatch.setenv("ONRUSTRADAR_CONFIG", str(path))
    return path, tmp_path / "store.sqlite", now


def _melding(now, **kw):
    values = dict(
        what="Wijkagent bevestigt: vechtpartij bij het station, twee mensen aangehouden",
        gemeente="Zwolle",
        categories=["incident"],
        via="wijkagent",
        place="station",
        when=now - timedelta(hours=3),
        time_known=True,
    )
    values.update(kw)
    return meldingen.Melding(**values)


def test_an_eigen_melding_makes_an_onbevestigd_signal_bevestigd(setup):
    path, db, now = setup
    config, store = load_config(path), SQLiteStore(db)
    assert store.get_signal("s-rumour").reliability == "onbevestigd"
    signal = meldingen.record(store, config, _melding(now), "s-rumour", now)
    assert signal.signal_id == "s-rumour" and signal.reliability == "bevestigd" and signal.official_sources == 1
    assert "bevestigd door officieel: eigen melding · wijkagent" in signal.explanation  # marked in the evidence
    stored = store.get_signal("s-rumour")
    assert stored.reliability == "bevestigd" and len(stored.post_ids) == 2
    # The real pipeline (NLP + detectors) keeps it so: the melding is an official source, and
    # what a person gave is not analysed again by a model after a keyword edit.
    assert store.reset_analyses(now - timedelta(days=14), unless_model="een-ander-model") == 2  # the two posts only
    process(store, config, now=now + timedelta(minutes=1))
    after = store.get_signal("s-rumour")
    melding_id = next(i for i in after.post_ids if i.startswith("eigen-melding:"))
    assert after.reliability == "bevestigd" and after.official_sources >= 1
    assert store.get_analyses([melding_id])[melding_id].model == OWN_MODEL
    # The briefing says why, and counts the melding among the sources without naming anyone.
    briefing = signal_briefing(store, config, "s-rumour", source_kinds(config), now + timedelta(minutes=2))
    store.close()
    [item] = briefing.items
    assert item.basis == "bevestigd door een eigen melding van de gemeente"
    assert "aangehouden" in item.summary or "vechtpartij" in item.summary.lower()
    assert any(r.kind == "Eigen meldingen (gemeente)" and r.posts == 1 for r in briefing.sources)


def test_a_melding_can_start_a_signal_and_bad_input_is_refused_in_dutch(setup):
    path, db, now = setup
    config, store = load_config(path), SQLiteStore(db)
    signal = meldingen.record(
        store,
        config,
        _melding(
            now,
            what="Handhaving ziet groep van 30 scooters bij Stadshagen",
            categories=["scootermeeting"],
            via="handhaving",
            place="Stadshagen",
            when=now + timedelta(hours=5),
        ),
        None,
        now,
    )
    assert signal.signal_id not in ("s-rumour", "s-deventer") and signal.reliability == "bevestigd"
    assert signal.announced and store.get_signal(signal.signal_id) is not None
    cases = [
        (_melding(now, categories=[]), "kies minstens één soort"),
        (_melding(now, what="   "), "beschrijf wat er gemeld is"),
        (_melding(now, via="Jan Jansen"), "een rol, geen naam"),
        (_melding(now, kenmerk="M-2026-1"), "kenmerk hoort alleen bij een melding van het meldpunt"),
        (_melding(now, when=now + timedelta(days=800)), "een jaar vooruit"),
        (_melding(now, gemeente="Kampen"), "gemeente van deze installatie"),
    ]
    for melding, message in cases:
        with pytest.raises(meldingen.MeldingError, match=message):
            meldingen.record(store, config, melding, "s-rumour", now)
    with pytest.raises(meldingen.MeldingError, match="hoort bij Deventer"):
        meldingen.record(store, config, _melding(now), "s-deventer", now)
    # A user of Zwolle alone cannot write into Deventer, whatever the form sends.
    scoped = ScopedStore(store, {"GM0193"})
    with pytest.raises((KeyError, meldingen.MeldingError)):
        meldingen.record(scoped, config, _melding(now, gemeente="Deventer"), None, now)
    assert store.get_signal("s-rumour").reliability == "onbevestigd"  # nothing of the refusals was written
    store.close()


def test_terugkoppeling_goes_once_to_the_meldpunt(setup, smtp):
    path, db, now = setup
    config, store = load_config(path), SQLiteStore(db)
    meldingen.record(
        store,
        config,
        _melding(now, via="meldpunt", kenmerk="MP-2026/0042", what="Bewoner meldt onrust bij het station"),
        "s-rumour",
        now,
    )
    post_id = "eigen-melding:meldpunt/MP-2026/0042"
    first = meldingen.send_feedback(
        store, config, post_id, "Dank voor uw melding; de politie is ter plaatse geweest.", now
    )
    again = meldingen.send_feedback(store, config, post_id, "nog een keer", now)
    with pytest.raises(meldingen.MeldingError, match="alleen een melding van het meldpunt"):
        meldingen.send_feedback(store, config, "telegram:k/1", "x", now)
    store.close()
    assert (first.status, again.status) == ("sent", "already sent")
    [(rcpts, message)] = smtp.handler.messages
    assert rcpts == ["meldpunt@zwolle.example"] and message["Subject"] == "Terugkoppeling melding MP-2026/0042"
    assert "de politie is ter plaatse geweest" in message.get_body(("plain",)).get_content()


def test_board_records_an_eigen_melding_and_audits_it(setup, tmp_path):
    path, db, now = setup
    at = board_app().run()
    at.sidebar.radio(key="page").set_value("Meldingen").run()
    assert not at.exception
    at.selectbox(key="m_signal").set_value("s-rumour")
    at.selectbox(key="m_via").set_value("handhaving")
    at.multiselect(key="m_soort").set_value(["incident"])
    at.text_area(key="m_wat").input("Boa's zien een vechtpartij bij het station " + HOSTILE)
    at.text_input(key="m_waar").input("station")
    at.date_input(key="m_dag").set_value(now.astimezone(AMS).date())
    at.button(key="m_opslaan").click().run()
    assert not at.exception
    assert any("Melding vastgelegd" in s.value and "bevestigd" in s.value for s in at.success)
    store = SQLiteStore(db)
    assert store.get_signal("s-rumour").reliability == "bevestigd"
    store.close()
    # Listed below as plain text, never Markdown or HTML.
    assert any(HOSTILE in t.value for t in at.text)
    for element in at.markdown:
        assert "<script>" not in element.value
    audit = (tmp_path / "audit.jsonl").read_text(encoding="utf-8")
    assert '"melding.add"' in audit and '"s-rumour"' in audit and '"meldingen.view"' in audit
    assert "vechtpartij" not in audit  # the audit trail holds no text of the melding

    # The Signaal page shows what happened and makes the PDF briefing of this one signal.
    at.sidebar.radio(key="page").set_value("Signalen").run()
    at.button(key="open-s-rumour").click().run()
    assert any(t.value.startswith("Wat er gebeurde: ") for t in at.text)
    at.button(key="make-pdf-s-rumour").click().run()
    assert not at.exception
    assert '"signal.report"' in (tmp_path / "audit.jsonl").read_text(encoding="utf-8")
