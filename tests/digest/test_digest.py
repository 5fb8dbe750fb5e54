"""The daily digest and urgent alerts against a real SMTP server (aiosmtpd) on 127.0.0.1 with
STARTTLS and AUTH; exactly-once delivery; the schedule across both DST changes."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from conftest import cli, write_config
from smtp_server import PASSWORD, USER

from digest import service
from onrustradar.config import load_config
from onrustradar.core.models import Post, Signal
from onrustradar.core.nl import AMS
from store import OutboxItem
from store.sqlite import SQLiteStore

DAY = date(2026, 11, 20)
AT = datetime(2026, 11, 20, 7, 0, tzinfo=AMS)
HOSTILE_PLACE = '<a href="javascript:alert(1)">klik</a>'
HOSTILE_TEXT = "<img src=x onerror=alert(1)>"


@pytest.fixture
def env(monkeypatch):
    monkeypatch.setenv("ONRUSTRADAR_SMTP_USER", USER)
    monkeypatch.setenv("ONRUSTRADAR_SMTP_PASSWORD", PASSWORD)


@pytest.fixture
def setup(tmp_path, smtp, env):
    path = write_config(
        tmp_path,
        gemeenten=["Zwolle"],
        smtp={
            "host": "127.0.0.1",
            "port": smtp.port,
            "starttls": True,
            "sender": "onrustradar@zwolle.example",
            "ca_file": str(smtp.cert),
            "timeout": 5,
            "retries": 3,
            "backoff": 0,
        },
        digest={
            "time": "07:00",
            "recipients": {"Zwolle": ["burgemeester@zwolle.example"]},
            "board_url": "https://onrustradar.zwolle.example",
        },
        alerts={"threshold": 100, "recipients": {"Zwolle": ["oov@zwolle.example"]}, "cooldown_hours": 6},
    )
    store = SQLiteStore(tmp_path / "store.sqlite")
    # Fetched when published: a digest reads signals as they were known at its time (digest.views).
    store.upsert_posts(
        [
            Post(
                "telegram",
                "k/1",
                "k",
                AT - timedelta(hours=5),
                "demo " + HOSTILE_TEXT,
                fetched_at=AT - timedelta(hours=5),
            )
        ]
    )
    store.upsert_signals(
        [
            Signal(
                "s-demo",
                ["demonstratie"],
                "GM0193",
                "Zwolle",
                AT - timedelta(hours=20),
                AT - timedelta(hours=5),
                ["telegram:k/1"],
                place=HOSTILE_PLACE,
                event_start=AT + timedelta(days=2, hours=7),
                time_known=True,
                announced=True,
                independent_sources=3,
                score=120,
                reliability="bevestigd",
                explanation="3 bronnen · " + HOSTILE_TEXT,
            ),
            Signal(
                "s-incident",
                ["incident"],
                "GM0193",
                "Zwolle",
                AT - timedelta(hours=10),
                AT - timedelta(hours=2),
                ["telegram:k/1"],
                score=60,
                explanation="1 bron",
            ),
        ]
    )
    store.close()
    return path, tmp_path / "store.sqlite"


@pytest.mark.slow
def test_digest_arrives_with_both_parts_and_inline_chart_once(setup, smtp):
    path, _ = setup
    result = cli("--config", str(path), "digest", "--gemeente", "Zwolle", "--date", DAY.isoformat(), "--send")
    assert result.returncode == 0, result.stderr
    assert "digest:GM0193:2026-11-20: sent" in result.stdout
    [(rcpts, msg)] = smtp.handler.messages
    assert rcpts == ["burgemeester@zwolle.example"]
    assert msg["Subject"] == "Onrustradar dagoverzicht Zwolle 20-11-2026"
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    assert "BELANGRIJKSTE SIGNALEN" in text and "AANKONDIGINGEN" in text and "SINDS GISTEREN" in text
    assert "bevestigd" in text and "https://onrustradar.zwolle.example/?signal=s-demo" in text
    [image] = [p for p in msg.walk() if p.get_content_type() == "image/png"]
    cid = image["Content-ID"].strip("<>")
    assert f'src="cid:{cid}"' in html and image.get_content()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "Aankondigingen" in html and "Sinds gisteren" in html
    # Nothing from a post can inject markup or links: it arrives escaped and inert.
    assert '<a href="javascript' not in html and "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "&lt;a href=" in html
    assert not re.search(r"<a [^>]*href=\"(?!https://onrustradar\.zwolle\.example/)", html)

    again = cli("--config", str(path), "digest", "--gemeente", "Zwolle", "--date", DAY.isoformat(), "--send")
    assert "already sent" in again.stdout and len(smtp.handler.messages) == 1


def test_dry_run_writes_the_eml(setup, tmp_path, smtp):
    path, _ = setup
    out = tmp_path / "eml"
    result = cli(
        "--config", str(path), "digest", "--gemeente", "Zwolle", "--date", DAY.isoformat(), "--dry-run", str(out)
    )
    assert result.returncode == 0, result.stderr
    [eml] = out.glob("*.eml")
    assert eml.name == "digest-GM0193-2026-11-20.eml" and b"multipart/alternative" in eml.read_bytes()
    assert smtp.handler.messages == []


def test_421_then_recovery_delivers_once(setup, smtp):
    path, db = setup
    smtp.handler.script = ["421 4.3.0 probeer later", "421 4.3.0 probeer later"]
    config, store = load_config(path), SQLiteStore(db)
    waits = []
    outcome = service.send_digest(store, config, "Zwolle", DAY, sleep=waits.append)
    again = service.send_digest(store, config, "Zwolle", DAY, sleep=waits.append)
    store.close()
    assert (outcome.status, outcome.attempts) == ("sent", 3) and len(waits) == 2
    assert again.status == "already sent" and len(smtp.handler.messages) == 1


def test_550_is_a_permanent_failure_shown_as_such(setup, smtp):
    path, db = setup
    smtp.handler.script = ["550 5.1.1 mailbox onbekend"] * 5
    result = cli("--config", str(path), "digest", "--gemeente", "Zwolle", "--date", DAY.isoformat(), "--send")
    assert result.returncode == 1 and "failed" in result.stdout and "550" in result.stdout
    store = SQLiteStore(db)
    [item] = store.outbox_list(kind="digest")
    store.close()
    assert item.status == "failed" and item.attempts == 1 and "permanent" in item.error
    assert smtp.handler.messages == []


def test_a_crash_between_building_and_sending_loses_nothing(setup, smtp):
    path, db = setup
    config, store = load_config(path), SQLiteStore(db)

    def crash(message, recipients, cfg):
        raise SystemExit("power cut")

    with pytest.raises(SystemExit):
        service.send_digest(store, config, "Zwolle", DAY, send=crash)
    [built] = store.outbox_list(kind="digest")
    assert built.status == "built"
    outcome = service.send_digest(store, config, "Zwolle", DAY)
    store.close()
    assert outcome.status == "sent" and outcome.message_id == built.message_id
    assert smtp.handler.messages[0][1]["Message-ID"] == built.message_id


def test_alert_once_then_only_on_escalation_after_cooldown(setup, smtp):
    path, db = setup
    config, store = load_config(path), SQLiteStore(db)
    now = AT
    first = service.check_alerts(store, config, now)
    assert [o.key for o in first] == ["alert:s-demo:1"] and first[0].status == "sent"
    assert service.check_alerts(store, config, now + timedelta(hours=1)) == []  # once per signal
    signal = store.get_signal("s-demo")
    signal.score = 200  # escalated
    store.upsert_signals([signal])
    assert service.check_alerts(store, config, now + timedelta(hours=2)) == []  # within the cooldown
    later = service.check_alerts(store, config, now + timedelta(hours=7))
    store.close()
    assert [o.key for o in later] == ["alert:s-demo:2"]
    subjects = [m["Subject"] for _, m in smtp.handler.messages]
    assert subjects[0].startswith("[Onrustradar] Urgent: Demonstratie") and subjects[1].startswith(
        "[Onrustradar] Opgeschaald"
    )


@pytest.mark.parametrize(
    "start, dst_day",
    [
        (datetime(2026, 3, 26, 0, 0, tzinfo=UTC), date(2026, 3, 29)),  # summer time begins
        (datetime(2026, 10, 22, 0, 0, tzinfo=UTC), date(2026, 10, 25)),  # winter time begins
    ],
)
def test_schedule_sends_at_seven_local_every_day_across_dst(tmp_path, start, dst_day):
    config = load_config(
        write_config(tmp_path, digest={"time": "07:00", "recipients": {"Zwolle": ["b@zwolle.example"]}})
    )
    store = SQLiteStore(tmp_path / "store.sqlite")
    sent: list[datetime] = []
    clock = start
    while clock < start + timedelta(days=6):
        for _name, day in service.digests_due(config, store, clock):
            store.outbox_add(OutboxItem(service.digest_key("GM0193", day), "digest", "GM0193", [], "<x>", b"", "sent"))
            sent.append(clock)
        clock += timedelta(minutes=5)
    store.close()
    local_times = [s.astimezone(AMS) for s in sent]
    assert [t.strftime("%H:%M") for t in local_times] == ["07:00"] * 6  # one a day, at 07:00 local
    assert len({t.date() for t in local_times}) == 6 and dst_day in {t.date() for t in local_times}
    offsets = {t.date(): t.utcoffset() for t in local_times}
    before, after = offsets[dst_day - timedelta(days=1)], offsets[dst_day]
    assert before != after  # the UTC moment moved by an hour; the local time did not
