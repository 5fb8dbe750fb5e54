"""Crawl + store throughput: 10,000 posts served from a loopback server, crawled by the real
spiders into a fresh SQLite store, end to end (child process start-up included).

    .venv/bin/python bench/crawl_throughput.py [--posts 10000]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))  # before tests/: its store/ folder would shadow the store package
os.environ.setdefault("ONRUSTRADAR_PSEUDONYM_KEY", "bench-pseudonym-key-0123456789")

from conftest import write_config  # noqa: E402
from loopback import Loopback, Reply  # noqa: E402

from crawlers.runner import crawl  # noqa: E402
from onrustradar.config import load_config  # noqa: E402
from onrustradar.service.replay import ReplayPost, render_rss, render_tme_page  # noqa: E402
from store.sqlite import SQLiteStore  # noqa: E402

WORDS = (
    "demonstratie zaterdag bij het stadhuis iedereen komen scooters politie wedstrijd supporters "
    "verzamelen station explosie woning wijk buurt onrust gemeente burgemeester avond"
).split()


def text(i: int) -> str:
    return " ".join(WORDS[(i * 7 + k * 3) % len(WORDS)] for k in range(40))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=10_000)
    args = parser.parse_args()
    half = args.posts // 2
    channels, per_channel = 5, half // 5
    start = datetime.now(UTC) - timedelta(days=3)
    server = Loopback()
    sources = []
    for c in range(channels):
        name = f"kanaal{c}"
        msgs = [
            ReplayPost(name, "telegram", i, text(i), start + timedelta(seconds=20 * i), author=f"@a{i % 50}", views=i)
            for i in range(1, per_channel + 1)
        ]
        server.route(
            f"/s/{name}",
            lambda q, n=name, m=msgs: Reply(render_tme_page(n, m, int(q["before"]) if "before" in q else None)),
        )
        sources.append({"name": name, "type": "telegram_web", "channel": name, "base_url": server.url})
    feeds = 5
    for f in range(feeds):
        items = [
            ReplayPost(f"feed{f}", "rss", i, f"Kop {i}\n\n{text(i)}", start + timedelta(seconds=30 * i))
            for i in range(1, (args.posts - half) // feeds + 1)
        ]
        server.route(
            f"/feed{f}.xml", Reply(render_rss({"name": f"feed{f}"}, items, server.url), ctype="application/rss+xml")
        )
        sources.append({"name": f"feed{f}", "type": "rss", "url": f"{server.url}/feed{f}.xml"})
    with tempfile.TemporaryDirectory() as tmp:
        config = load_config(
            write_config(Path(tmp), sources=sources, crawl={"autothrottle": False, "concurrent_per_domain": 8})
        )
        names = [s["name"] for s in sources]
        t0 = time.perf_counter()
        reports = crawl(config.settings, names)
        elapsed = time.perf_counter() - t0
        store = SQLiteStore(config.settings.store.path)
        stored = store.count_posts()
        store.close()
    server.close()
    new = sum(r.new for r in reports)
    errors = [r for r in reports if r.error]
    print(f"posts served: {args.posts} ({channels} t.me/s channels, {feeds} RSS feeds); stored: {stored}; new: {new}")
    print(f"errors: {len(errors)}; t.me/s pages: {sum(-(-per_channel // 20) for _ in range(channels))}")
    print(f"crawl+store: {elapsed:.1f} s -> {new / elapsed:,.0f} posts/s")


if __name__ == "__main__":
    main()
