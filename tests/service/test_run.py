"""`onrustradar run` keeps crawling on the interval in one long-lived process."""

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

import pytest
from conftest import ROOT, write_config
from loopback import Loopback, Reply

from store.sqlite import SQLiteStore

pytestmark = pytest.mark.slow


def test_run_crawls_repeatedly_and_processes(tmp_path):
    server = Loopback()
    rounds = {"n": 0}

    def feed(_q):
        rounds["n"] += 1
        now = format_datetime(datetime.now(UTC))
        items = "".join(
            f"<item><title>Demonstratie {i} in Zwolle</title><guid>g{i}</guid><pubDate>{now}</pubDate></item>"
            for i in range(rounds["n"])
        )
        return Reply(
            f'<rss version="2.0"><channel><title>t</title>{items}</channel></rss>', ctype="application/rss+xml"
        )

    server.route("/feed.xml", feed)
    config = write_config(
        tmp_path,
        schedule={"process_interval": "1s"},
        sources=[{"name": "f", "type": "rss", "url": f"{server.url}/feed.xml", "interval": "1s"}],
    )
    exe = Path(sys.executable).with_name("onrustradar")
    proc = subprocess.Popen(
        [str(exe), "--config", str(config), "run"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )
    try:
        deadline = time.time() + 60
        while time.time() < deadline and rounds["n"] < 3:
            time.sleep(0.5)
        assert rounds["n"] >= 3, "run did not keep crawling"
        time.sleep(2)
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
        server.close()
    store = SQLiteStore(tmp_path / "store.sqlite")
    try:
        posts = store.count_posts()
        analysed = store.analysed_posts(since=datetime(2000, 1, 1, tzinfo=UTC), relevant_only=False)
        ticks = store.tick_stats()
    finally:
        store.close()
    assert posts >= 2 and len(analysed) >= 1  # crawled more than once and processed what came in
    assert "draait" in out
    assert ticks.count >= 3 and ticks.failed == 0 and ticks.last_ok  # recorded for `health`
