"""Signalen page render time with 1,000,000 posts and 10,000 signals in SQLite.

    .venv/bin/python bench/board_latency.py [--posts 1000000] [--signals 10000] [--runs 10]

Fills a store through the store interface, then renders the Signalen page (the agenda, its
markers and assignments) with Streamlit's AppTest (the real script, the real queries) and
reports the median and worst render time.
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
sys.path.insert(0, str(ROOT / "tests"))
os.environ.setdefault("ONRUSTRADAR_PSEUDONYM_KEY", "bench-pseudonym-key-0123456789")

from conftest import write_config  # noqa: E402

from onrustradar.core.gazetteer import gazetteer  # noqa: E402
from onrustradar.core.models import CATEGORIES, Analysis, Post, Signal  # noqa: E402
from store.sqlite import SQLiteStore  # noqa: E402


def fill(store: SQLiteStore, n_posts: int, n_signals: int, gemeenten: list[str]) -> None:
    rng = random.Random(3)
    now = datetime.now(UTC)
    codes = [g.code for g in gazetteer().gemeenten.values()]
    batch, analyses = [], []
    for i in range(n_posts):
        published = now - timedelta(seconds=rng.randint(0, 30 * 86400))
        post = Post(
            "telegram",
            f"c{i % 500}/{i}",
            f"c{i % 500}",
            published,
            f"Bericht {i} over de demonstratie bij het stadhuis en scooters in de wijk",
            views=i % 1000,
        )
        batch.append(post)
        cats = [rng.choice(CATEGORIES)] if i % 3 == 0 else []
        analyses.append(Analysis(post.id, cats, {c: 0.9 for c in cats}, gemeente_code=rng.choice(codes)))
        if len(batch) == 20_000:
            store.upsert_posts(batch)
            store.save_analyses(analyses)
            batch, analyses = [], []
    store.upsert_posts(batch)
    store.save_analyses(analyses)
    home = [gazetteer().gemeente(g).code for g in gemeenten]
    signals = []
    for i in range(n_signals):
        code = home[i % len(home)] if i % 10 == 0 else rng.choice(codes)
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
                event_start=seen + timedelta(days=1),
                time_known=True,
                announced=True,
                score=rng.uniform(1, 200),
                explanation="3 bronnen · 12 berichten",
                status=rng.choice(["nieuw", "in behandeling", "afgehandeld"]),
            )
        )
    store.upsert_signals(signals)


def main(argv: list[str] | None = None) -> list[float]:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--signals", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args(argv)
    from streamlit import config as st_config
    from streamlit.testing.v1 import AppTest

    st_config.set_option("server.address", "127.0.0.1")  # the demo board: loopback, no sign-in

    with tempfile.TemporaryDirectory() as tmp:
        gemeenten = ["Zwolle", "Deventer", "Enschede"]
        config = write_config(Path(tmp), gemeenten=gemeenten)
        store = SQLiteStore(Path(tmp) / "store.sqlite")
        t0 = time.perf_counter()
        fill(store, args.posts, args.signals, gemeenten)
        fill_s = time.perf_counter() - t0
        posts = store.count_posts()
        store.close()
        # The app reads its config from the environment; put it back afterwards, so a run inside
        # the test suite leaks no path to a deleted temporary directory into later tests.
        before = os.environ.get("ONRUSTRADAR_CONFIG")
        os.environ["ONRUSTRADAR_CONFIG"] = str(config)
        times = []
        try:
            for _ in range(args.runs + 1):
                at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=60)
                t = time.perf_counter()
                at.run()
                times.append(time.perf_counter() - t)
                assert not at.exception, at.exception
        finally:
            if before is None:
                os.environ.pop("ONRUSTRADAR_CONFIG", None)
            else:
                os.environ["ONRUSTRADAR_CONFIG"] = before
        shown = next(c.value for c in at.caption if " · bijgewerkt" in c.value)
        rows = sum(1 for m in at.markdown if 'class="or-row"' in m.value)
        assert rows, "the Signalen page drew no rows"
        times = times[1:]  # the first run also imports the app's modules
        print(f"store: {posts:,} posts, {args.signals:,} signals (filled in {fill_s:.0f} s)")
        print(
            f"Signalen page ({shown.split(' ·')[0]} for 3 gemeenten, 7 days, {rows} rows drawn): "
            f"median {statistics.median(times):.2f} s, worst {max(times):.2f} s over {args.runs} renders"
        )
    return times


if __name__ == "__main__":
    main()
