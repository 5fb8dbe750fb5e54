"""Ingest and board-query speed of both store backends: 1,000,000 demo-like posts (with their
analyses) through the store interface, then the Signalen query (3 gemeenten, 7 days, open
statuses) repeated, p50/p95.

    .venv/bin/python bench/store_backends.py [--posts 1000000] [--es http://127.0.0.1:9250]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("ONRUSTRADAR_PSEUDONYM_KEY", "bench-pseudonym-key-0123456789")

from onrustradar.core.gazetteer import gazetteer  # noqa: E402
from onrustradar.core.models import CATEGORIES, Analysis, Post, Signal  # noqa: E402
from store import SignalQuery  # noqa: E402

WORDS = "demonstratie stadhuis scooters politie supporters station explosie wijk onrust verzamelen zaterdag".split()


def batches(n: int, size: int = 5000):
    rng = random.Random(5)
    now = datetime.now(UTC)
    codes = [g.code for g in gazetteer().gemeenten.values()]
    posts, analyses = [], []
    for i in range(n):
        post = Post(
            "telegram",
            f"c{i % 500}/{i}",
            f"c{i % 500}",
            now - timedelta(seconds=rng.randint(0, 25 * 86400)),
            " ".join(rng.choice(WORDS) for _ in range(40)),
            views=i % 997,
        )
        cats = [rng.choice(CATEGORIES)] if i % 3 == 0 else []
        posts.append(post)
        analyses.append(Analysis(post.id, cats, {c: 0.9 for c in cats}, gemeente_code=rng.choice(codes)))
        if len(posts) == size:
            yield posts, analyses
            posts, analyses = [], []
    if posts:
        yield posts, analyses


def signals(n: int, home: list[str]) -> list[Signal]:
    rng = random.Random(6)
    now = datetime.now(UTC)
    codes = [g.code for g in gazetteer().gemeenten.values()]
    out = []
    for i in range(n):
        code = home[i % len(home)] if i % 10 == 0 else rng.choice(codes)
        seen = now - timedelta(hours=rng.randint(0, 24 * 30))
        out.append(
            Signal(
                f"s{i}",
                [rng.choice(CATEGORIES)],
                code,
                code,
                seen,
                seen,
                [],
                score=rng.uniform(1, 200),
                status=rng.choice(["nieuw", "in behandeling", "afgehandeld"]),
            )
        )
    return out


def measure(name: str, store, n: int) -> None:
    t0 = time.perf_counter()
    for posts, analyses in batches(n):
        store.upsert_posts(posts)
        store.save_analyses(analyses)
    ingest = time.perf_counter() - t0
    home = [gazetteer().gemeente(g).code for g in ("Zwolle", "Deventer", "Enschede")]
    store.upsert_signals(signals(10_000, home))
    query = SignalQuery(
        gemeente_codes=frozenset(home),
        statuses=frozenset({"nieuw", "in behandeling"}),
        since=datetime.now(UTC) - timedelta(days=7),
    )
    times = []
    for _ in range(50):
        t = time.perf_counter()
        store.query_signals(query)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    print(
        f"{name}: {store.count_posts():,} posts ingested in {ingest:.0f} s -> {n / ingest:,.0f} posts/s; "
        f"Signalen query p50 {statistics.median(times):.1f} ms, p95 {times[int(0.95 * len(times)) - 1]:.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--es", default=os.environ.get("ONRUSTRADAR_TEST_ES"))
    parser.add_argument("--only", choices=["sqlite", "elasticsearch"])
    args = parser.parse_args()
    if args.only != "elasticsearch":
        from store.sqlite import SQLiteStore

        with tempfile.TemporaryDirectory() as tmp:
            store = SQLiteStore(Path(tmp) / "bench.sqlite")
            measure("sqlite", store, args.posts)
            store.close()
    if args.only != "sqlite" and args.es:
        from elasticsearch import Elasticsearch

        from store.elastic import ElasticStore

        store = ElasticStore(
            Elasticsearch(args.es, request_timeout=120), prefix=f"bench-{uuid.uuid4().hex[:6]}", analyzer="standard"
        )
        try:
            measure("elasticsearch (1 node, 512 MB heap)", store, args.posts)
        finally:
            store.drop()
            store.close()


if __name__ == "__main__":
    main()
