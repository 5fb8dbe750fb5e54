"""Search on the board (Zoeken) with 1,000,000 posts in SQLite: how fast a person's search
answers, within their gemeenten, through the store interface and the user's scope.

    .venv/bin/python bench/search_latency.py [--posts 1000000] [--runs 5]

Posts are written through the store interface with analyses: 40% in the user's three
gemeenten, 30% in other gemeenten, 30% without one; and 10,000 signals (a tenth in the user's
gemeenten). A search is what the Zoeken page does: the posts (full-text index, the user's
scope, the newest 50), the signals that hold them, and the signals whose words match.
Their text draws words from a Zipf-shaped
vocabulary (a few words in many posts, most in few) plus event words at realistic rates, so
searches range from a word in tens of thousands of posts to a rare one. Each query runs
`runs` times; the median and worst are reported, and the answers are checked (a word that only
posts of another gemeente contain finds nothing).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("ONRUSTRADAR_PSEUDONYM_KEY", "bench-pseudonym-key-0123456789")

from dashboard.search_page import SIGNAL_WINDOW, signal_matches  # noqa: E402
from onrustradar.core.gazetteer import gazetteer  # noqa: E402
from onrustradar.core.models import CATEGORIES, Analysis, Post, Signal  # noqa: E402
from onrustradar.service.scoped import ScopedStore  # noqa: E402
from store import SignalQuery  # noqa: E402
from store.sqlite import SQLiteStore  # noqa: E402

HOME = ["Zwolle", "Deventer", "Enschede"]
# (word, share of posts) for words a person would search for
EVENT_WORDS = [
    ("demonstratie", 0.05),
    ("stadhuis", 0.02),
    ("scootermeeting", 0.01),
    ("politie", 0.08),
    ("supporters", 0.02),
    ("café", 0.005),
    ("Grolsch", 0.003),
]
ELSEWHERE = "Hofvijverprotest"  # only in posts of other gemeenten
SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ne",
    "ro",
    "su",
    "te",
    "va",
    "wi",
    "zo",
    "ber",
    "dam",
    "gen",
    "hof",
    "kerk",
    "lan",
    "mer",
    "oord",
    "sche",
    "veen",
    "wijk",
    "zeel",
]
QUERIES = [
    "demonstratie",
    "politie",
    "stadhuis",
    "scoot",
    "cafe",
    "demonstratie stadhuis",
    "grolsch",
    "kalomi",
    ELSEWHERE.lower(),
]


def vocabulary(rng: random.Random, size: int = 20_000) -> list[str]:
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def fill(store: SQLiteStore, n_posts: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    words = vocabulary(rng)
    weights = [1 / (rank + 1) for rank in range(len(words))]  # Zipf
    home = [gazetteer().gemeente(g).code for g in HOME]
    others = [c for c in gazetteer().gemeenten if c not in home]
    now = datetime.now(UTC)
    batch, analyses = [], []
    for i in range(n_posts):
        text = rng.choices(words, weights, k=rng.randint(12, 40))
        for word, share in EVENT_WORDS:
            if rng.random() < share:
                text.insert(rng.randrange(len(text)), word)
        roll = rng.random()
        code = rng.choice(home) if roll < 0.4 else rng.choice(others) if roll < 0.7 else None
        if code in others and rng.random() < 0.001:
            text.append(ELSEWHERE)
        post = Post(
            "telegram",
            f"c{i % 500}/{i}",
            f"c{i % 500}",
            now - timedelta(seconds=rng.randint(0, 30 * 86400)),
            " ".join(text),
        )
        batch.append(post)
        analyses.append(Analysis(post.id, [], {}, gemeente_code=code))
        if len(batch) == 20_000:
            store.upsert_posts(batch)
            store.save_analyses(analyses)
            batch, analyses = [], []
    store.upsert_posts(batch)
    store.save_analyses(analyses)
    places = ["stadhuis", "Grote Markt", "station", "Holtenbroek", "Grolsch Veste", "IJsselhallen"]
    signals = []
    for i in range(10_000):
        code = home[i % 3] if i % 10 == 0 else rng.choice(others)
        seen = now - timedelta(hours=rng.randint(0, 24 * 30))
        signals.append(
            Signal(
                f"s{i}",
                [rng.choice(CATEGORIES)],
                code,
                gazetteer().gemeenten[code].name,
                seen,
                seen,
                [f"telegram:c{j % 500}/{j}" for j in range(i * 5, i * 5 + 5)],
                place=rng.choice(places),
                score=rng.uniform(1, 200),
                explanation="3 bronnen · bevestigd door nieuws: regio (za 24 okt 14:00) · 12 berichten",
            )
        )
    store.upsert_signals(signals)


def measure(path: Path, runs: int) -> list[tuple[str, int, float, float]]:
    store = SQLiteStore(path)
    home = frozenset(gazetteer().gemeente(g).code for g in HOME)
    scoped = ScopedStore(store, home)
    results = []
    for query in QUERIES:
        times, found = [], []
        for _ in range(runs):
            t = time.perf_counter()
            found = scoped.search_posts(query, sorted(home), limit=50)
            scoped.signals_of_posts([p.id for p in found])  # results link to their signal
            since = datetime.now(UTC) - SIGNAL_WINDOW
            signal_matches(scoped.query_signals(SignalQuery(gemeente_codes=home, since=since, limit=5000)), query)
            times.append(time.perf_counter() - t)
        if query == ELSEWHERE.lower():
            assert found == [], "a post of another gemeente was found"
        results.append((query, len(found), statistics.median(times), max(times)))
    store.close()
    return results


def main(argv: list[str] | None = None) -> list[tuple[str, int, float, float]]:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "store.sqlite"
        store = SQLiteStore(path)
        t0 = time.perf_counter()
        fill(store, args.posts)
        posts = store.count_posts()
        store.close()
        print(f"store: {posts:,} posts, 10,000 signals (filled in {time.perf_counter() - t0:.0f} s)")
        results = measure(path, args.runs)
    for query, n, median, worst in results:
        print(f"  {query!r:28} {n:3d} results  median {median * 1000:7.1f} ms  worst {worst * 1000:7.1f} ms")
    print(f"all searches: worst {max(r[3] for r in results) * 1000:.1f} ms over {args.runs} runs each")
    return results


if __name__ == "__main__":
    main()
