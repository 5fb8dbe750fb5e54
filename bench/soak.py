"""Soak (#16): `onrustradar run` for a bounded time against 8 loopback sources publishing at ten
times a busy gemeente's rate, with faults injected, and a restart of `run` half-way.

    .venv/bin/python bench/soak.py [--minutes 30] [--feeds 8] [--per-minute 6]

Rate: a busy gemeente sees some 850 public posts a day across its sources; ten times that is
about 6 a minute (`--per-minute`), half of them relevant. Faults, as fractions of the run:
- a burst of HTTP 503s on two feeds (10% of the run each, at different moments);
- one feed slower than the crawl timeout (10%): its requests time out;
- one feed that accepts the connection and never answers (15%);
- `run` stopped with SIGTERM at half-time and started again.

Reported: posts published vs stored (lost: published but never stored; duplicated: a post
stored twice under any id, or a stored post that was never published), resident memory of the
`run` process at the start and end of each half (growth after warm-up), ticks that failed, and
the longest tick. Targets: 0 lost, 0 duplicated, memory growth <= 20%, 0 failed ticks.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from live_sources import Fault, LiveServer, Plan, StoreWatch, rss_mb, start_run, stop_run, write_config


def _wait_for_tick(watch: StoreWatch, after: int, log: Path, limit: float = 180) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        ticks = watch.ticks()
        if ticks and ticks[0] > after:
            return
        time.sleep(0.5)
    raise SystemExit("run did not complete a tick:\n" + log.read_text(errors="replace")[-3000:])


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--feeds", type=int, default=8)
    parser.add_argument("--per-minute", type=float, default=6.0, help="posts published per minute, all feeds")
    parser.add_argument("--interval", type=int, default=30, help="every source's interval (s)")
    parser.add_argument("--process", type=int, default=15, help="process_interval (s)")
    parser.add_argument("--timeout", type=float, default=5.0, help="crawl timeout (s)")
    args = parser.parse_args(argv)
    rng = random.Random(16)
    seconds = args.minutes * 60
    n_posts = max(args.feeds, round(args.per_minute * args.minutes))
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        log = tmp / "run.log"
        plan = Plan.make(
            args.feeds, n_posts, datetime.now(UTC) + timedelta(days=365), 60 / args.per_minute, rng, relevant=0.5
        )
        names = list(plan.feeds)
        server = LiveServer(plan.feeds, plan.posts, slow_seconds=args.timeout * 3).start()
        config = write_config(tmp, plan, server.url, args.interval, args.process, timeout=args.timeout, retries=1)
        watch = StoreWatch(tmp / "store.sqlite")
        proc = start_run(config, log)
        memory: list[tuple[float, float]] = []
        try:
            _wait_for_tick(watch, 0, log)
            start = datetime.now(UTC) + timedelta(seconds=1)
            offset = start - plan.posts[0].visible_from
            for post in plan.posts:  # spread over the run, from now on
                post.visible_from = post.published_at = post.visible_from + offset
            scale = seconds / max((plan.posts[-1].visible_from - start).total_seconds(), 1)
            for post in plan.posts:
                post.visible_from = post.published_at = start + (post.visible_from - start) * scale

            def window(at: float, length: float) -> tuple[datetime, datetime]:
                return start + timedelta(seconds=at * seconds), start + timedelta(seconds=(at + length) * seconds)

            server.faults = [
                Fault(names[1], "error", *window(0.10, 0.10)),
                Fault(names[2], "error", *window(0.60, 0.10)),
                Fault(names[3], "slow", *window(0.30, 0.10)),
                Fault(names[4 % len(names)], "hang", *window(0.70, 0.15)),
            ]
            first_rss = rss_mb(proc.pid)
            end = start + timedelta(seconds=seconds)
            half = start + timedelta(seconds=seconds / 2)
            while datetime.now(UTC) < half:
                time.sleep(1)
            memory.append((first_rss, rss_mb(proc.pid)))
            before = (watch.ticks() or (0, 0, 0))[0]
            stop_run(proc)  # the restart in the middle
            proc = start_run(config, log)
            _wait_for_tick(watch, before, log)
            second_rss = rss_mb(proc.pid)
            while datetime.now(UTC) < end:
                time.sleep(1)
            # the last posts: one more crawl of every source (after a fault ends) and a tick
            published = {plan.post_id(p) for p in plan.posts if p.visible_from <= end}
            deadline = time.monotonic() + 3 * (args.interval + args.process) + 60
            while time.monotonic() < deadline and not published <= set(watch.post_ids()):
                time.sleep(1)
            memory.append((second_rss, rss_mb(proc.pid)))
            stored = watch.post_ids()
            ticks = watch.ticks() or (0, 0, 0.0)
            repeated = watch.db.execute(
                "SELECT count(*) - count(DISTINCT source || ':' || source_id) FROM posts"
            ).fetchone()[0]
        finally:
            stop_run(proc)
            watch.close()
            server.stop()
    lost = sorted(published - set(stored))
    strays = sorted(set(stored) - {plan.post_id(p) for p in plan.posts})
    growth = max((b - a) / a for a, b in memory if a)
    result = {
        "published": len(published),
        "stored": len(stored),
        "lost": len(lost),
        "duplicated": repeated + len(strays),
        "rss_mb": memory,
        "memory_growth": growth,
        "ticks": ticks[0],
        "failed_ticks": ticks[1],
        "longest_tick_s": ticks[2],
        "requests": server.requests,
    }
    print(
        f"soak {args.minutes:g} min, {args.feeds} feeds, {len(published)} posts published: {len(stored)} stored, "
        f"{len(lost)} lost, {result['duplicated']} duplicated; memory (MB, start -> end of each half) "
        + ", ".join(f"{a:.0f} -> {b:.0f}" for a, b in memory)
        + f" (growth at most {growth:.0%}); {ticks[0]} ticks, {ticks[1]} failed, longest {ticks[2]:.1f} s"
    )
    return result


if __name__ == "__main__":
    main()
