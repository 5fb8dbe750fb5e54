"""Operations: `health` (exit 0/1/2, one line per check), `store backup` taken while another
process writes (consistent copies) and `store restore`, on real SQLite files and the real CLI."""

import multiprocessing
import sqlite3
import time
from datetime import UTC, datetime, timedelta

import pytest
from conftest import cli, write_config

from onrustradar.config import load_config
from onrustradar.core.models import Post
from onrustradar.service.health import CRITICAL, OK, WARNING, source_allowance, source_checks, tick_check
from store import OutboxItem, SourceHealth, TickStats
from store.sqlite import SQLiteStore

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
SOURCES = [
    {"name": "nieuws", "type": "rss", "url": "http://127.0.0.1:9/feed.xml", "interval": "10m"},
    {"name": "kanaal", "type": "telegram_web", "channel": "kanaal", "interval": "5m"},
    {"name": "uit", "type": "rss", "url": "http://127.0.0.1:9/uit.xml", "interval": "5m", "enabled": False},
]


@pytest.fixture
def config_file(tmp_path):
    return write_config(tmp_path, sources=SOURCES, schedule={"process_interval": "1m"})


def test_a_source_older_than_its_interval_allows_is_critical(config_file):
    config = load_config(config_file)
    allowed = source_allowance(600, 60)
    assert allowed == timedelta(minutes=22)  # two intervals, one tick, a minute's slack

    def level(age, error_after=None):
        h = SourceHealth(
            "nieuws",
            last_success=NOW - age,
            last_error="HTTP 503" if error_after else None,
            last_error_at=NOW - age + error_after if error_after else None,
        )
        return {c.name: c for c in source_checks(config, [h], NOW)}["bron nieuws"]

    assert level(timedelta(minutes=5)).level == OK
    assert level(allowed).level == OK
    late = level(allowed + timedelta(seconds=1))
    assert late.level == CRITICAL and "meer dan het interval 600 s toestaat" in late.message
    assert level(timedelta(minutes=15), error_after=timedelta(minutes=10)).level == WARNING
    checks = {c.name: c for c in source_checks(config, [], NOW)}
    assert checks["bron kanaal"].level == WARNING and "nog nooit" in checks["bron kanaal"].message
    assert "bron uit" not in checks  # a disabled source is not watched, so not checked
    never = SourceHealth("kanaal", last_error="timeout", last_error_at=NOW - timedelta(minutes=1))
    assert {c.name: c for c in source_checks(config, [never], NOW)}["bron kanaal"].level == CRITICAL


def test_tick_check(config_file):
    config = load_config(config_file)

    def stats(age_s, seconds=2.0, ok=True, ok_age_s=None):
        ok_at = NOW - timedelta(seconds=ok_age_s if ok_age_s is not None else age_s)
        return TickStats(
            NOW - timedelta(seconds=age_s + seconds),
            seconds,
            ok,
            None if ok else "boom",
            ok_at,
            10,
            0 if ok else 1,
            seconds,
        )

    assert tick_check(config, stats(30), NOW).level == OK
    assert tick_check(config, stats(30, seconds=90), NOW).level == WARNING  # longer than the interval
    assert tick_check(config, stats(30, ok=False, ok_age_s=90), NOW).level == WARNING
    assert tick_check(config, stats(30, ok=False, ok_age_s=3600), NOW).level == CRITICAL
    assert tick_check(config, stats(3600), NOW).level == CRITICAL  # run stopped or hangs
    assert tick_check(config, None, NOW).level == WARNING


@pytest.mark.slow
def test_health_cli_exit_codes(config_file, tmp_path):
    store = SQLiteStore(tmp_path / "store.sqlite")
    try:
        store.record_crawl("nieuws", 3)
        store.record_crawl("kanaal", 1)
        now = datetime.now(UTC)
        store.record_tick(now - timedelta(seconds=3), 1.5, True)
    finally:
        store.close()
    healthy = cli("--config", str(config_file), "health")
    assert healthy.returncode == 0, healthy.stdout + healthy.stderr
    lines = healthy.stdout.splitlines()
    assert [line.split()[0] for line in lines] == ["OK"] * len(lines)
    names = [line.split(":")[0].split(None, 1)[1] for line in lines]
    assert names[:4] == ["store", "bron nieuws", "bron kanaal", "verwerking"] and "e-mail" in names
    assert any(n.startswith("schijf") for n in names)

    # The news source was last crawled an hour ago: more than a 10-minute interval allows.
    db = sqlite3.connect(tmp_path / "store.sqlite")
    with db:
        db.execute(
            "UPDATE source_health SET last_success = ? WHERE source_name = 'nieuws'",
            ((now - timedelta(hours=1)).timestamp(),),
        )
    db.close()
    stale = cli("--config", str(config_file), "health")
    assert stale.returncode == 2, stale.stdout
    line = next(x for x in stale.stdout.splitlines() if "bron nieuws" in x)
    assert line.startswith("KRITIEK") and "60 min geleden" in line

    # A digest waiting to be sent for 20 minutes is a warning (the source fixed first).
    store = SQLiteStore(tmp_path / "store.sqlite")
    try:
        store.record_crawl("nieuws", 0)
        store.outbox_add(
            OutboxItem(
                "digest:GM0193:2026-11-20",
                "digest",
                "Zwolle",
                ["b@example.org"],
                "<m@x>",
                b"x",
                created_at=now - timedelta(minutes=20),
            )
        )
    finally:
        store.close()
    waiting = cli("--config", str(config_file), "health")
    assert waiting.returncode == 1, waiting.stdout
    assert next(x for x in waiting.stdout.splitlines() if "e-mail" in x).startswith("WAARSCHUWING")


def test_health_is_critical_when_the_store_cannot_be_opened(tmp_path):
    (tmp_path / "map").mkdir()
    config = write_config(tmp_path, store={"backend": "sqlite", "path": str(tmp_path / "map")})
    out = cli("--config", str(config), "health")
    assert out.returncode == 2
    assert out.stdout.splitlines()[0].startswith("KRITIEK") and "store" in out.stdout.splitlines()[0]


# -- backup and restore ---------------------------------------------------------------------

BATCH = 50


def _writer(path: str, stop, written) -> None:
    """Another process writing the store the whole time, in transactions of BATCH posts."""
    store = SQLiteStore(path)
    n = 0
    while not stop.is_set():
        store.upsert_posts(
            [
                Post(
                    source="telegram",
                    source_id=f"k/{n + i}",
                    channel="k",
                    text=f"bericht {n + i} " * 20,
                    published_at=NOW - timedelta(seconds=n + i),
                )
                for i in range(BATCH)
            ]
        )
        n += BATCH
        written.value = n
    store.close()


def _consistent(path) -> int:
    db = sqlite3.connect(path)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        posts = db.execute("SELECT count(*) FROM posts").fetchone()[0]
        fts = db.execute("SELECT count(*) FROM posts_fts").fetchone()[0]
    finally:
        db.close()
    assert posts % BATCH == 0, posts  # never half a transaction
    assert fts == posts  # the full-text index moves with its posts, in the same transaction
    return posts


@pytest.mark.slow
def test_backup_while_another_process_writes_is_consistent_and_restores(config_file, tmp_path):
    path = tmp_path / "store.sqlite"
    SQLiteStore(path).close()
    ctx = multiprocessing.get_context("spawn")
    stop, written = ctx.Event(), ctx.Value("i", 0)
    writer = ctx.Process(target=_writer, args=(str(path), stop, written))
    writer.start()
    counts = []
    try:
        while written.value < 5 * BATCH:
            time.sleep(0.05)
        for n in range(3):
            target = tmp_path / f"backup-{n}.sqlite"
            out = cli("--config", str(config_file), "store", "backup", "--output", str(target))
            assert out.returncode == 0, out.stderr
            assert "integriteit ok" in out.stdout
            assert oct(target.stat().st_mode & 0o777) == "0o600"  # it holds posts
            counts.append(_consistent(target))
        assert written.value > counts[0]  # the writer really went on during the copies
    finally:
        stop.set()
        writer.join(timeout=30)
    assert counts == sorted(counts) and counts[-1] > 0

    again = cli("--config", str(config_file), "store", "backup", "--output", str(tmp_path / "backup-0.sqlite"))
    assert again.returncode == 1 and "bestaat al" in again.stderr  # never overwritten

    total = SQLiteStore(path)
    before = total.count_posts()
    total.close()
    restored = cli("--config", str(config_file), "store", "restore", "--input", str(tmp_path / "backup-0.sqlite"))
    assert restored.returncode == 0, restored.stderr
    assert f"{counts[0]} berichten" in restored.stdout
    back = SQLiteStore(path)
    try:
        assert back.count_posts() == counts[0]
        assert len(back.search_posts("bericht", limit=100000)) == counts[0]
    finally:
        back.close()
    kept = [f for f in tmp_path.iterdir() if ".voor-herstel-" in f.name]
    assert len(kept) == 1 and _consistent(kept[0]) == before  # the store it replaced is kept
    verify = cli("--config", str(config_file), "audit", "verify")
    assert verify.returncode == 0, verify.stderr  # the restore re-anchored the trail


@pytest.mark.slow
def test_restore_refuses_what_is_no_backup_of_this_deployment(config_file, tmp_path):
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"dit is geen database" * 100)
    out = cli("--config", str(config_file), "store", "restore", "--input", str(junk))
    assert out.returncode == 1 and "geen SQLite-database" in out.stderr
    # A backup from another deployment: its audit anchor is not in this trail.
    other = write_config(tmp_path / "ander", sources=SOURCES)
    assert cli("--config", str(other), "store", "backup", "--output", str(tmp_path / "ander.sqlite")).returncode == 0
    cli("--config", str(config_file), "health")  # creates this deployment's store
    out = cli("--config", str(config_file), "store", "restore", "--input", str(tmp_path / "ander.sqlite"))
    assert out.returncode == 1 and "hoort niet bij deze audittrail" in out.stderr
