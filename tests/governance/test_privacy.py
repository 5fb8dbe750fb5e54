"""Lawful by design: watches, roles, the audit trail, subject requests, exports and the FG's
approval of name-like keywords — through the real CLI, the real store and the board."""

import json
from datetime import UTC, datetime, timedelta

import pytest
import yaml
from conftest import AUTH_PROVIDER, board_app, cli, write_config
from loopback import RSS, Loopback, Reply, feed

from onrustradar.config.watches import today_local  # the board and the CLI count days in Dutch time
from onrustradar.core.models import Analysis, Post, Signal
from onrustradar.core.pseudonym import pseudonymise
from onrustradar.governance.access import PERMISSIONS, ROLES
from store.sqlite import SQLiteStore

WATCH = {
    "purpose": "openbare orde",
    "legal_basis": "art. 172 Gemeentewet",
    "aanleiding": "aangekondigde acties",
    "owner": "OOV",
    "gemeenten": ["Zwolle"],
    "keywords": ["demonstratie"],
}


def _watch(name, sources, expires, **extra):
    return {"name": name, **WATCH, "sources": sources, "expires": expires, **extra}


# -- watches ------------------------------------------------------------------------------------


@pytest.mark.slow
def test_expired_watch_stops_its_sources_from_being_crawled(tmp_path):
    server = Loopback()
    try:
        server.route("/actief.xml", Reply(feed([("Demonstratie in Zwolle", "zaterdag")]), ctype=RSS))
        server.route("/verlopen.xml", Reply(feed([("Rellen in Zwolle", "gisteren")]), ctype=RSS))
        yesterday = (today_local() - timedelta(days=2)).isoformat()
        config = write_config(
            tmp_path,
            crawl={"autothrottle": False},
            sources=[{"name": n, "type": "rss", "url": f"{server.url}/{n}.xml"} for n in ("actief", "verlopen")],
            watches=[_watch("loopt", ["actief"], "2099-01-01"), _watch("voorbij", ["verlopen"], yesterday)],
        )
        result = cli("--config", str(config), "crawl")
        assert result.returncode == 0, result.stderr
        assert "actief: 1 nieuw" in result.stdout and "verlopen" not in result.stdout
        assert server.hits["/actief.xml"] == 1 and server.hits["/verlopen.xml"] == 0
        refused = cli("--config", str(config), "crawl", "--source", "verlopen")
        assert refused.returncode == 2 and "haar opdracht is verlopen" in refused.stderr
        assert server.hits["/verlopen.xml"] == 0
        check = cli("--config", str(config), "config", "check")
        assert check.returncode == 0 and "opdracht voorbij is verlopen" in check.stdout
    finally:
        server.close()


@pytest.mark.slow
@pytest.mark.parametrize("missing", ["aanleiding", "purpose", "legal_basis", "owner", "expires", "gemeenten"])
def test_a_watch_without_its_reasons_is_rejected(tmp_path, missing):
    watch = _watch("w", ["nieuws"], "2099-01-01")
    if missing == "aanleiding":
        watch["aanleiding"] = "   "
    else:
        del watch[missing]
    config = write_config(
        tmp_path, sources=[{"name": "nieuws", "type": "rss", "url": "http://127.0.0.1:9/x"}], watches=[watch]
    )
    result = cli("--config", str(config), "config", "check")
    assert result.returncode == 2
    assert f"watches[0].{missing}" in result.stderr, result.stderr


@pytest.mark.slow
def test_a_source_outside_every_watch_is_rejected(tmp_path):
    config = write_config(
        tmp_path,
        sources=[
            {"name": "a", "type": "rss", "url": "http://127.0.0.1:9/a"},
            {"name": "b", "type": "rss", "url": "http://127.0.0.1:9/b"},
        ],
        watches=[_watch("w", ["a"], "2099-01-01")],
    )
    result = cli("--config", str(config), "config", "check")
    assert result.returncode == 2 and "bron 'b' hoort bij geen opdracht" in result.stderr


@pytest.mark.slow
def test_watches_file_renewal_records_who_and_why(tmp_path):
    config = write_config(tmp_path, sources=[{"name": "a", "type": "rss", "url": "http://127.0.0.1:9/a"}], watches=[])
    soon = (today_local() + timedelta(days=5)).isoformat()
    (tmp_path / "watches.yml").write_text(yaml.safe_dump({"watches": [_watch("w", ["a"], soon)]}), encoding="utf-8")
    check = cli("--config", str(config), "config", "check")
    assert check.returncode == 0 and "opdracht w verloopt" in check.stdout
    refused = cli(
        "--config", str(config), "watches", "renew", "w", "--until", "2099-01-01", "--reason", " ", "--by", "teamleider"
    )
    assert refused.returncode == 2
    ok = cli(
        "--config",
        str(config),
        "watches",
        "renew",
        "w",
        "--until",
        "2099-01-01",
        "--reason",
        "acties houden aan",
        "--by",
        "teamleider",
    )
    assert ok.returncode == 0, ok.stderr
    listed = [json.loads(line) for line in cli("--config", str(config), "watches", "list").stdout.splitlines()]
    assert listed[0]["expires"] == "2099-01-01" and listed[0]["state"] == "actief"
    assert listed[0]["renewals"][0] | {"on": None} == {
        "by": "teamleider",
        "on": None,
        "reason": "acties houden aan",
        "previous_expiry": soon,
        "new_expiry": "2099-01-01",
    }


# -- roles on the board ---------------------------------------------------------------------------


def _board_store(tmp_path):
    now = datetime.now(UTC)
    store = SQLiteStore(tmp_path / "store.sqlite")
    store.upsert_posts(
        [
            Post("telegram", "k/1", "k", now - timedelta(hours=2), "Demonstratie zaterdag in Zwolle"),
            Post("telegram", "k/2", "k", now - timedelta(hours=1), "Rellen in Deventer"),
        ]
    )
    store.save_analyses(
        [
            Analysis("telegram:k/1", ["demonstratie"], {"demonstratie": 0.9}, "GM0193", "Zwolle"),
            Analysis("telegram:k/2", ["incident"], {"incident": 0.9}, "GM0150", "Deventer"),
        ]
    )
    store.upsert_signals(
        [
            Signal("s-zw", ["demonstratie"], "GM0193", "Zwolle", now, now, ["telegram:k/1"], score=80),
            Signal("s-dv", ["incident"], "GM0150", "Deventer", now, now, ["telegram:k/2"], score=95),
        ]
    )
    store.close()


@pytest.fixture
def region(tmp_path, monkeypatch):
    config = write_config(
        tmp_path,
        gemeenten=["Zwolle", "Deventer"],
        auth={
            "provider": AUTH_PROVIDER,
            "users": [{"email": "analist@zwolle.example", "roles": ["analist"], "gemeenten": ["Zwolle"]}],
        },
    )
    _board_store(tmp_path)
    monkeypatch.setenv("ONRUSTRADAR_CONFIG", str(config))
    return tmp_path


EXPECTED_PAGES = {
    "lezer": ["Signalen", "Kaart", "Trends", "Zoeken", "Meldingen"],
    "analist": ["Signalen", "Kaart", "Trends", "Zoeken", "Meldingen", "Trefwoorden", "Opdrachten"],
    "beheerder": ["Opdrachten", "Bronnen"],
    "fg": ["Opdrachten", "Privacy"],
}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_only_its_pages(region, role):
    at = board_app({"email": f"{role}@zwolle.example", "roles": [role], "gemeenten": ["Zwolle"]}).run()
    assert not at.exception
    assert at.radio(key="page").options == EXPECTED_PAGES[role]


def test_a_page_outside_the_role_is_refused_and_logged(region):
    at = board_app({"email": "lezer@zwolle.example", "roles": ["lezer"], "gemeenten": ["Zwolle"]})
    at.session_state["page"] = "Privacy"  # as if forced past the menu
    at.run()
    rows = [json.loads(line) for line in (region / "audit.jsonl").read_text().splitlines()]
    body = " ".join(m.value for m in at.markdown) + " ".join(e.value for e in at.error)
    assert "Audittrail" not in body
    assert not any(r["action"] == "audit.view" and r["result"] == "ok" for r in rows)


def test_lezer_cannot_give_feedback_but_analist_can(region):
    lezer = board_app({"email": "l@zwolle.example", "roles": ["lezer"], "gemeenten": ["Zwolle"]})
    lezer.session_state["selected"] = "s-zw"
    lezer.run()
    assert not lezer.exception and lezer.button(key="status-afgehandeld")
    assert not [b for b in lezer.button if b.key and b.key.startswith("fb-")]
    analist = board_app({"email": "analist@zwolle.example"})  # roles from the config's user list
    analist.session_state["selected"] = "s-zw"
    analist.run()
    assert [b for b in analist.button if b.key and b.key.startswith("fb-")]


def test_board_shows_only_the_users_gemeente(region):
    at = board_app({"email": "l@zwolle.example", "roles": ["lezer"], "gemeenten": ["Zwolle"]}).run()
    text = " ".join([m.value for m in at.markdown] + [t.value for t in at.text])
    assert "Zwolle" in text and "Deventer" not in text
    at.session_state["selected"] = "s-dv"  # a deep link to another gemeente's signal
    at.run()
    assert any("bestaat niet" in w.value for w in at.warning)
    assert "Rellen in Deventer" not in " ".join(t.value for t in at.text)


def test_claims_cannot_widen_the_deployment_and_no_role_means_no_access(region):
    at = board_app({"email": "x@elders.example", "roles": ["lezer"], "gemeenten": ["Amsterdam"]}).run()
    assert any("geen rol of gemeente" in e.value for e in at.error)
    assert not at.radio


@pytest.mark.slow
def test_board_refuses_a_public_address_without_identity_provider(tmp_path, monkeypatch):
    config = write_config(tmp_path)
    monkeypatch.setenv("ONRUSTRADAR_CONFIG", str(config))
    at = board_app(address="0.0.0.0").run()
    assert any("weigert te starten" in e.value for e in at.error) and not at.radio
    result = cli("--config", str(config), "board", "--address", "0.0.0.0")
    assert result.returncode == 2 and "zonder aanmelding" in result.stderr
    demo = board_app().run()
    assert any("Demomodus" in w.value for w in demo.warning)


def test_permissions_cover_every_role():
    assert set().union(*PERMISSIONS.values()) == set(ROLES)
    assert PERMISSIONS["subject.request"] == {"fg"} and PERMISSIONS["keywords.edit"] == {"analist"}


# -- audit trail ----------------------------------------------------------------------------------


def _store_with_signals(tmp_path):
    config = write_config(tmp_path)
    _board_store(tmp_path)
    return config


@pytest.mark.slow
def test_audit_verify_passes_on_a_real_log_and_fails_after_tampering(tmp_path):
    config = _store_with_signals(tmp_path)
    assert (
        cli(
            "--config",
            str(config),
            "export",
            "signals",
            "--recipient",
            "politie",
            "--legal-basis",
            "art. 172 Gemeentewet",
        ).returncode
        == 0
    )
    assert cli("--config", str(config), "subject-request", "--handle", "someone").returncode == 0
    assert cli("--config", str(config), "audit", "export", "-o", str(tmp_path / "a.jsonl")).returncode == 0
    ok = cli("--config", str(config), "audit", "verify")
    assert ok.returncode == 0 and "3 regels" in ok.stdout
    log = tmp_path / "audit.jsonl"
    lines = log.read_text().splitlines()
    row = json.loads(lines[1])
    row["result"] = "geweigerd"
    log.write_text("\n".join([lines[0], json.dumps(row, ensure_ascii=False), *lines[2:]]) + "\n")
    bad = cli("--config", str(config), "audit", "verify")
    assert bad.returncode == 1 and "regel 2" in bad.stderr
    log.write_text("\n".join([lines[0], *lines[2:]]) + "\n")  # a deleted row
    assert cli("--config", str(config), "audit", "verify").returncode == 1


@pytest.mark.slow
def test_export_holds_signals_never_posts_and_is_logged(tmp_path):
    config = _store_with_signals(tmp_path)
    result = cli(
        "--config",
        str(config),
        "export",
        "signals",
        "--recipient",
        "politie eenheid Oost",
        "--legal-basis",
        "convenant",
        "--gemeente",
        "Zwolle",
    )
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["signal_id"] for r in rows] == ["s-zw"]
    assert not {"post_ids", "text", "author"} & set(rows[0]) and "Demonstratie zaterdag" not in result.stdout
    entry = json.loads((tmp_path / "audit.jsonl").read_text().splitlines()[-1])
    assert entry["action"] == "signals.export" and "politie eenheid Oost" in entry["detail"]
    assert "convenant" in entry["detail"]
    missing = cli("--config", str(config), "export", "signals", "--recipient", "x")
    assert missing.returncode == 2


def test_subject_request_via_cli_deletes_only_that_author_and_logs_no_handle(tmp_path):
    config = write_config(tmp_path)
    now = datetime.now(UTC)
    store = SQLiteStore(tmp_path / "store.sqlite")
    store.upsert_posts(
        [
            Post("telegram", f"k/{i}", "k", now, f"bericht {i}", author=pseudonymise(h))
            for i, h in enumerate(["Jansen_1988", "jansen_1988", "anderen", "@Jansen_1988"])
        ]
    )
    store.close()
    report = cli("--config", str(config), "subject-request", "--handle", "@jansen_1988", "--delete")
    assert report.returncode == 0, report.stderr
    assert json.loads(report.stdout)["deleted"] == 3
    store = SQLiteStore(tmp_path / "store.sqlite")
    assert [p.source_id for p in store.iter_posts()] == ["k/2"]
    store.close()
    log = (tmp_path / "audit.jsonl").read_text()
    assert "jansen" not in log.casefold() and pseudonymise("jansen_1988") in log
    for path in tmp_path.glob("store.sqlite*"):
        assert b"jansen" not in path.read_bytes().lower()


# -- FG approval of name-like keywords --------------------------------------------------------------


def test_name_like_keywords_wait_for_fg_approval(tmp_path):
    from onrustradar.config import load_config
    from onrustradar.governance import approvals

    config = write_config(tmp_path)
    path = tmp_path / "keywords" / "demonstratie.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["phrases"] = {**data.get("phrases", {}), "Piet de Boer": 2.0, "Grote Markt": 1.0}
    data["terms"] = {**data["terms"], "@actievoerder": 2.0}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    lists = load_config(config).keywords
    assert set(lists["demonstratie"].pending) == {"piet de boer", "@actievoerder"}  # a landmark is no person
    assert "grote markt" in lists["demonstratie"].phrases
    assert "piet de boer" not in lists["demonstratie"].phrases and "@actievoerder" not in lists["demonstratie"].terms
    directory = tmp_path / "keywords"
    approvals.request(directory, "demonstratie", "Piet de Boer", "analist@x")
    approvals.decide(directory, "demonstratie", "piet de boer", True, "fg@x", "publieke woordvoerder, noodzakelijk")
    lists = load_config(config).keywords
    assert "piet de boer" in lists["demonstratie"].phrases and lists["demonstratie"].pending == ["@actievoerder"]
    approvals.request(directory, "demonstratie", "@actievoerder", "analist@x")
    approvals.decide(directory, "demonstratie", "@actievoerder", False, "fg@x", "gericht op een persoon")
    assert "@actievoerder" not in load_config(config).keywords["demonstratie"].terms


def test_fg_approves_on_the_board_and_it_is_logged(region):
    from onrustradar.governance import approvals

    approvals.request(region / "keywords", "incident", "@iemand", "analist@zwolle.example")
    at = board_app({"email": "fg@zwolle.example", "roles": ["fg"], "gemeenten": ["Zwolle"]})
    at.session_state["page"] = "Privacy"
    at.run()
    assert not at.exception
    at.text_input(key="ap_reason_incident_@iemand").input("noodzakelijk voor dreiging tegen burgemeester").run()
    at.button(key="ap_True_incident_@iemand").click().run()
    assert approvals.load(region / "keywords")[-1].status == "goedgekeurd"
    rows = [json.loads(line) for line in (region / "audit.jsonl").read_text().splitlines()]
    assert any(r["action"] == "keywords.approve" and r["actor"] == "fg@zwolle.example" for r in rows)


def test_after_retention_signals_keep_a_summary_without_posts(tmp_path):
    from onrustradar.config import load_config
    from onrustradar.service.pipeline import process

    config = load_config(write_config(tmp_path, retention_days=7))
    now = datetime.now(UTC)
    old = now - timedelta(days=10)
    store = SQLiteStore(tmp_path / "store.sqlite")
    store.upsert_posts([Post("telegram", "k/1", "k", old, "Demonstratie in Zwolle", author=pseudonymise("x"))])
    store.upsert_signals(
        [
            Signal(
                "oud",
                ["demonstratie"],
                "GM0193",
                "Zwolle",
                old,
                old,
                ["telegram:k/1"],
                score=50,
                explanation="3 berichten, 2 bronnen",
            )
        ]
    )
    report = process(store, config, now=now)
    signal = store.get_signal("oud")
    assert report.purged == 1 and store.count_posts() == 0
    assert signal.post_ids == [] and signal.explanation == "3 berichten, 2 bronnen" and signal.gemeente == "Zwolle"
    store.close()


@pytest.mark.slow
def test_analist_renews_and_adds_watches_on_the_board(tmp_path, monkeypatch):
    config = write_config(
        tmp_path,
        sources=[{"name": "a", "type": "rss", "url": "http://127.0.0.1:9/a"}],
        watches=[],
        auth={"provider": AUTH_PROVIDER},
    )
    soon = (today_local() + timedelta(days=3)).isoformat()
    (tmp_path / "watches.yml").write_text(yaml.safe_dump({"watches": [_watch("w", ["a"], soon)]}), encoding="utf-8")
    monkeypatch.setenv("ONRUSTRADAR_CONFIG", str(config))
    _board_store(tmp_path)
    at = board_app({"email": "a@zwolle.example", "roles": ["analist"], "gemeenten": ["Zwolle"]})
    at.session_state["page"] = "Opdrachten"
    at.run()
    assert not at.exception and any("verloopt over 3 dagen" in w.value for w in at.warning)
    at.text_input(key="w_renew_reason").input("de acties gaan door").run()
    at.button(key="w_renew").click().run()
    renewed = yaml.safe_load((tmp_path / "watches.yml").read_text())["watches"][0]
    assert renewed["expires"] > soon and renewed["renewals"][0]["by"] == "a@zwolle.example"
    # a new watch without aanleiding is refused and nothing is written
    at.text_input(key="w_new_name").input("nieuw")
    at.text_area(key="w_new_purpose").input("zicht op acties")
    at.text_input(key="w_new_basis").input("art. 172 Gemeentewet")
    at.text_input(key="w_new_owner").input("OOV")
    at.multiselect(key="w_new_gemeenten").select("Zwolle")
    at.button(key="w_new_save").click().run()
    assert any("aanleiding" in e.value for e in at.error)
    assert [w["name"] for w in yaml.safe_load((tmp_path / "watches.yml").read_text())["watches"]] == ["w"]
    rows = [json.loads(line) for line in (tmp_path / "audit.jsonl").read_text().splitlines()]
    assert [(r["action"], r["result"]) for r in rows if r["action"].startswith("watch.")] == [
        ("watch.renew", "ok"),
        ("watch.add", "geweigerd"),
    ]
