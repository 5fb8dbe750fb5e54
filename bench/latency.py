"""End-to-end latency (#16): from a post's publication on a loopback t.me/s page or RSS feed to
its signal being in the store, while `onrustradar run` works with its configured intervals.

    .venv/bin/python bench/latency.py [--posts 60] [--interval 30] [--process 10] [--spacing 4]

Two t.me/s channels and two RSS feeds publish `--posts` posts (Dutch calls and reports that
name a gemeente, so each belongs in a signal) at random moments `--spacing` seconds apart on
average, after `run` has done its first tick. The store is read every 0.2 s; a post's latency
is the time from its publication to the first moment a stored signal lists it. Target: at most
source interval + process interval + 5 s.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from live_sources import LiveServer, Plan, StoreWatch, start_run, stop_run, write_config


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=60)
    parser.add_argument("--interval", type=int, default=30.0, help="every source's interval (s)")
    parser.add_argument("--process", type=int, default=10.0, help="process_interval (s)")
    parser.add_argument("--spacing", type=float, default=4.0, help="mean seconds between publications")
    parser.add_argument("--feeds", type=int, default=4)
    args = parser.parse_args(argv)
    rng = random.Random(16)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        plan = Plan.make(args.feeds, args.posts, datetime.now(UTC) + timedelta(days=365), args.spacing, rng)
        server = LiveServer(plan.feeds, plan.posts).start()
        config = write_config(tmp, plan, server.url, args.interval, args.process)
        proc = start_run(config, tmp / "run.log")
        watch = StoreWatch(tmp / "store.sqlite")
        try:
            deadline = time.monotonic() + 120
            while not watch.ticks() and time.monotonic() < deadline:
                time.sleep(0.2)
            if not watch.ticks():
                raise SystemExit("run did not complete a first tick:\n" + (tmp / "run.log").read_text()[-3000:])
            # publish from now on, at the planned spacing
            start = datetime.now(UTC) + timedelta(seconds=1)
            offset = start - plan.posts[0].visible_from
            for post in plan.posts:
                post.visible_from = post.published_at = post.visible_from + offset
            wanted = {plan.post_id(p): p.visible_from for p in plan.posts}
            seen: dict[str, datetime] = {}
            last = plan.posts[-1].visible_from
            limit = last + timedelta(seconds=3 * (args.interval + args.process) + 30)
            while len(seen) < len(wanted) and datetime.now(UTC) < limit:
                moment = datetime.now(UTC)
                for ids in watch.signal_posts().values():
                    for pid in ids:
                        if pid in wanted and pid not in seen:
                            seen[pid] = moment
                time.sleep(0.2)
            ticks = watch.ticks()
        finally:
            stop_run(proc)
            watch.close()
            server.stop()
    latencies = [(seen[pid] - wanted[pid]).total_seconds() for pid in seen]
    target = args.interval + args.process + 5
    result = {
        "posts": len(wanted),
        "in_signals": len(seen),
        "target_s": target,
        "median_s": statistics.median(latencies) if latencies else None,
        "p95_s": percentile(latencies, 0.95) if latencies else None,
        "max_s": max(latencies) if latencies else None,
        "ticks": ticks,
    }
    if latencies:
        print(
            f"latency publication -> signal over {len(seen)}/{len(wanted)} posts (source interval "
            f"{args.interval:.0f} s, "
            f"process interval {args.process:.0f} s): median {result['median_s']:.1f} s, p95 {result['p95_s']:.1f} s, "
            f"max {result['max_s']:.1f} s; target <= {target:.0f} s: "
            f"{'met' if result['max_s'] <= target else 'NOT met'}"
        )
    else:
        print(f"no post reached a signal ({len(wanted)} published)")
    return result


if __name__ == "__main__":
    main()
