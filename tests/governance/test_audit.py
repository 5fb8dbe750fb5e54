"""The audit trail is keyed (HMAC with ONRUSTRADAR_AUDIT_KEY) and anchored in the store:
cutting rows off, emptying or deleting the file and rewriting a row with a recomputed chain
are all caught by `onrustradar audit verify`; a torn last line stops an audited command
before it acts."""

import hashlib
import json
from datetime import UTC, datetime

import pytest
from conftest import cli, write_config

from onrustradar.core.models import Post
from onrustradar.core.pseudonym import pseudonymise
from onrustradar.governance.audit import GENESIS, AuditLog
from store.sqlite import SQLiteStore

pytestmark = pytest.mark.slow


@pytest.fixture
def trail(tmp_path):
    config = write_config(tmp_path)
    for n in range(4):
        assert cli("--config", str(config), "subject-request", "--handle", f"iemand{n}").returncode == 0
    ok = cli("--config", str(config), "audit", "verify")
    assert ok.returncode == 0 and "4 regels" in ok.stdout, ok.stderr
    return config, tmp_path / "audit.jsonl"


def _verify(config):
    return cli("--config", str(config), "audit", "verify")


def test_cutting_off_the_last_rows_is_detected(trail):
    config, log = trail
    lines = log.read_text().splitlines(keepends=True)
    log.write_text("".join(lines[:-2]))
    bad = _verify(config)
    assert bad.returncode == 1 and "BESCHADIGD" in bad.stderr and "anker" in bad.stderr


def test_emptying_or_deleting_the_file_is_detected(trail):
    config, log = trail
    log.write_text("")
    assert _verify(config).returncode == 1
    log.unlink()
    bad = _verify(config)
    assert bad.returncode == 1 and "0 regels" in bad.stderr


def _rechain(rows, digest):
    prev = GENESIS
    for row in rows:
        row["prev"] = prev
        body = {k: v for k, v in row.items() if k != "hash"}
        canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        row["hash"] = prev = digest(prev, canonical)
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


@pytest.mark.parametrize("how", ["sha256", "sha256-unversioned", "wrong-key"])
def test_rewriting_a_row_and_recomputing_the_chain_is_detected(trail, how):
    import hmac

    config, log = trail
    rows = [json.loads(x) for x in log.read_text().splitlines()]
    rows[1]["result"] = "geweigerd"
    if how == "sha256-unversioned":
        for row in rows:
            row.pop("v", None)
    if how == "wrong-key":

        def digest(prev, canonical):
            return hmac.new(b"guessed-key-0123456789", (prev + canonical).encode(), hashlib.sha256).hexdigest()
    else:

        def digest(prev, canonical):
            return hashlib.sha256((prev + canonical).encode()).hexdigest()

    log.write_text(_rechain(rows, digest))
    bad = _verify(config)
    assert bad.returncode == 1 and "BESCHADIGD" in bad.stderr


def test_a_forged_anchor_is_detected(trail, tmp_path):
    config, log = trail
    lines = log.read_text().splitlines(keepends=True)
    log.write_text("".join(lines[:-1]))
    store = SQLiteStore(tmp_path / "store.sqlite")
    last = json.loads(lines[-2])
    store.set_audit_anchor({"rows": last["seq"], "head": last["hash"], "mac": "0" * 64})
    store.close()
    bad = _verify(config)
    assert bad.returncode == 1 and "ondertekend" in bad.stderr


def test_a_torn_last_line_stops_a_deletion_before_it_happens(tmp_path):
    config = write_config(tmp_path)
    store = SQLiteStore(tmp_path / "store.sqlite")
    now = datetime.now(UTC)
    store.upsert_posts([Post("telegram", "k/1", "k", now, "bericht", author=pseudonymise("doelwit"))])
    store.close()
    assert cli("--config", str(config), "subject-request", "--handle", "iemand").returncode == 0
    log = tmp_path / "audit.jsonl"
    log.write_text(log.read_text() + '{"seq": 2, "at": "2026-')  # a write cut off by a crash
    result = cli("--config", str(config), "subject-request", "--handle", "doelwit", "--delete")
    assert result.returncode == 1 and "onvolledig" in result.stderr
    store = SQLiteStore(tmp_path / "store.sqlite")
    assert store.count_posts() == 1  # not deleted without its audit row
    store.close()
    assert _verify(config).returncode == 1


def test_without_the_key_nothing_is_audited_or_verified(tmp_path):
    config = write_config(tmp_path)
    result = cli("--config", str(config), "subject-request", "--handle", "x", env={"ONRUSTRADAR_AUDIT_KEY": ""})
    assert result.returncode == 1 and "ONRUSTRADAR_AUDIT_KEY" in result.stderr
    assert _verify(config).returncode == 0  # nothing was written
    assert cli("--config", str(config), "audit", "verify", env={"ONRUSTRADAR_AUDIT_KEY": ""}).returncode == 1


def test_rows_from_before_the_key_are_accepted_only_as_a_prefix(tmp_path):
    config = write_config(tmp_path)
    log = tmp_path / "audit.jsonl"
    legacy = [
        {
            "seq": i,
            "at": "2026-01-01T00:00:00+00:00",
            "actor": "cli:x",
            "role": "server",
            "action": "a",
            "object": "",
            "result": "ok",
            "detail": "",
        }
        for i in (1, 2)
    ]
    log.write_text(_rechain(legacy, lambda p, c: hashlib.sha256((p + c).encode()).hexdigest()))
    store = SQLiteStore(tmp_path / "store.sqlite")
    AuditLog(log, anchor=store).append("cli:x", "server", "b")
    store.close()
    ok = _verify(config)
    assert ok.returncode == 0 and "3 regels" in ok.stdout, ok.stderr
    # A plain row after a keyed one is a forgery.
    rows = [json.loads(x) for x in log.read_text().splitlines()]
    extra = {**legacy[0], "seq": 4}
    log.write_text(_rechain(rows + [extra], lambda p, c: hashlib.sha256((p + c).encode()).hexdigest()))
    assert _verify(config).returncode == 1


def test_a_torn_line_stops_the_board_and_a_watch_renewal(tmp_path, monkeypatch):
    from conftest import board_app

    config = write_config(tmp_path, sources=[{"name": "a", "type": "rss", "url": "http://127.0.0.1:9/a"}], watches=[])
    watches = tmp_path / "watches.yml"
    watches.write_text(
        "watches:\n- {name: w, purpose: p, legal_basis: b, aanleiding: a, owner: o, gemeenten: [Zwolle], "
        "expires: '2099-01-01', sources: [a], keywords: [demonstratie]}\n",
        encoding="utf-8",
    )
    assert cli("--config", str(config), "subject-request", "--handle", "x").returncode == 0
    log = tmp_path / "audit.jsonl"
    log.write_text(log.read_text() + '{"seq": 2')
    before = watches.read_text()
    result = cli(
        "--config", str(config), "watches", "renew", "w", "--until", "2099-06-01", "--reason", "r", "--by", "fg"
    )
    assert result.returncode == 1 and "onvolledig" in result.stderr
    assert watches.read_text() == before  # not renewed without its audit row
    monkeypatch.setenv("ONRUSTRADAR_CONFIG", str(config))
    board = board_app().run()
    assert not board.exception
    assert any("audittrail" in e.value for e in board.error) and not board.sidebar.radio


def test_sent_e_mail_pins_the_trail_even_when_log_and_anchor_are_rolled_back(tmp_path):
    """A digest carries the trail's head; rolling back both the log and the store's anchor to
    an older, consistent state is still caught by the outbox."""
    config = write_config(tmp_path)
    for n in range(2):
        assert cli("--config", str(config), "subject-request", "--handle", f"x{n}").returncode == 0
    log = tmp_path / "audit.jsonl"
    store = SQLiteStore(tmp_path / "store.sqlite")
    old_log, old_anchor = log.read_text(), store.audit_anchor()
    store.close()
    assert cli("--config", str(config), "subject-request", "--handle", "x2").returncode == 0
    from digest.delivery import deliver
    from onrustradar.config import load_config

    cfg = load_config(config)
    store = SQLiteStore(tmp_path / "store.sqlite")
    from email.message import EmailMessage

    def build():
        message = EmailMessage()
        message["Message-ID"] = "<x@y>"
        message.set_content("dagoverzicht")
        return message, {"n": 1}

    outcome = deliver(
        store,
        "digest:test",
        "digest",
        "Zwolle",
        ["a@b"],
        cfg.settings.smtp,
        build,
        send=lambda *a: None,
        sleep=lambda s: None,
    )
    assert outcome.status == "sent"
    from email import message_from_bytes

    header = message_from_bytes(store.outbox_get("digest:test").message)["X-Onrustradar-Audit"]
    assert header.split()[0].startswith("3:")
    assert cli("--config", str(config), "audit", "verify").returncode == 0
    log.write_text(old_log)  # roll both back to the consistent state of two rows
    store.set_audit_anchor(old_anchor)
    store.close()
    bad = cli("--config", str(config), "audit", "verify")
    assert bad.returncode == 1 and "digest:test" in bad.stderr
