"""Tick time with 100 new posts against a store that already holds N posts (#16).

    taskset -c 0 .venv/bin/python bench/tick_speed.py --posts 10000 [--es URL] [--ticks 10]
    taskset -c 0 .venv/bin/python bench/tick_speed.py --posts 1000000 --keep /var/tmp/ticks-1m.sqlite

The store is filled with N posts spread over the last 14 days (the signal horizon), drawn
from templates over all 342 gemeenten (a third relevant, one in ten without a place, forwards
and copies between channels), analysed and grouped by one `process` call (the "build"). Then
each tick 100 new posts arrive, published in the last minute, and `process` runs as `run`
calls it (analyzer loaded once): analyse them, group them, update signals, recompute what is
due. Reported: build time, tick time median / max, and what the last tick did.

`--keep PATH` keeps the built SQLite store (and reuses it when it exists; the ticks run on a
copy); `--es URL` builds on Elasticsearch, from a kept SQLite store when `--from-sqlite PATH`
is given (posts and analyses are copied through the store interface, then grouped).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
KEY = "ONRUSTRADAR_PSEUDONYM_KEY"

from onrustradar.core.gazetteer import gazetteer  # noqa: E402
from onrustradar.core.models import Post  # noqa: E402

TEMPLATES = [
    "Zaterdag {t} demonstratie tegen het azc bij het stadhuis in {g}! Iedereen komen, DELEN!!",
    "Scootermeeting vanavond om {t} op het bedrijventerrein in {g}, pull up met je crew",
    "Harde kern verzamelen om {t} bij station {g}, daarna mars naar het stadion",
    "Explosie bij woning in {g} vannacht, politie doet onderzoek naar de aanslag",
    "Rellen in {g}: ME grijpt in na onrust in de wijk, relschoppers bekogelen politie",
    "Mooi weer vandaag in {g}, lekker naar het park met de kinderen",
    "Nieuwe kookdemo in de bibliotheek van {g}, een explosie van smaken",
    "Wegwerkzaamheden in {g} zorgen voor files rond het centrum deze week",
    "De gemeenteraad van {g} praat donderdag over de begroting en het nieuwe zwembad",
    "Te koop: scooter in {g}, weinig kilometers, net onderhoud gehad, ophalen",
    "FC {g} wint met 2-1 na een spannende wedstrijd, de supporters waren tevreden",
    "Filmpje van de markt in {g} vanochtend, gezellig druk met kraampjes en muziek",
]
UNPLACED = [  # relevant, but naming no place: they join by text, channel or the hour
    "Landelijke actiedag zaterdag om {t}: iedereen de straat op tegen het kabinet, DELEN",
    "Politie houdt tientallen relschoppers aan na onrust, ME ingezet",
    "Vanavond om {t} scootertoer, pull up, iedereen welkom",
]
# Town-less chatter (`--chatter`): most posts a region's crawl brings name no place and no event;
# each tick reads the ones of the horizon to see whether they reach the events it rebuilds.
CHATTER = [
    "haha wat een dag weer, eerst koffie",
    "Iemand tips voor een goede kapper? Mijn vaste zit vol tot volgende maand",
    "Lekker weer vandaag, eindelijk de tuin in",
    "wie kijkt er vanavond ook naar de wedstrijd",
    "Mijn trein had weer vertraging, elke week hetzelfde verhaal",
    "Nieuwe aflevering van de podcast staat online, luister je mee",
]
FILLER = ["echt", "nu", "weer", "alweer", "hoor", "man", "wow", "jongens", "kijk", "dit"]


class Posts:
    """A reproducible stream of posts."""

    def __init__(self, seed: int = 7, chatter: float = 0.0):
        self.rng = random.Random(seed)
        self.names = sorted(g.name for g in gazetteer().gemeenten.values())
        self.n = 0
        self.chatter = chatter  # share of town-less chatter (0: the stream of the README's figures)

    def make(self, published: datetime) -> Post:
        rng, self.n = self.rng, self.n + 1
        if self.chatter and rng.random() < self.chatter:
            text = rng.choice(CHATTER)
        elif rng.random() < 0.1:
            text = rng.choice(UNPLACED)
        else:
            text = rng.choice(TEMPLATES)
        text = text.format(g=rng.choice(self.names), t=f"{rng.randint(12, 23)}:{rng.choice(['00', '30'])}")
        text += " " + " ".join(rng.choice(FILLER) for _ in range(rng.randint(2, 12)))
        channel = f"kanaal{rng.randint(1, 400)}"
        forwarded = f"kanaal{rng.randint(1, 400)}" if rng.random() < 0.1 else None
        return Post(
            source="telegram",
            source_id=f"{channel}/{self.n}",
            channel=channel,
            published_at=published,
            text=text,
            forwarded_from=forwarded,
            views=rng.randint(0, 5000),
        )

    def spread(self, n: int, start: datetime, end: datetime) -> list[Post]:
        span = (end - start).total_seconds()
        return sorted(
            (self.make(start + timedelta(seconds=self.rng.random() * span)) for _ in range(n)),
            key=lambda p: p.published_at,
        )


def fill(store, stream: Posts, n: int, now: datetime) -> None:
    for i in range(0, n, 20_000):
        store.upsert_posts(stream.spread(min(20_000, n - i), now - timedelta(days=14) + timedelta(minutes=5), now))


def copy_analysed(src, dst, since: datetime) -> int:
    """Posts and analyses of a kept SQLite store into another store (Elasticsearch)."""
    batch, total = [], 0
    for post in src.iter_posts(since=since):
        batch.append(post)
        if len(batch) == 5000:
            total += _copy(src, dst, batch)
            batch = []
    return total + (_copy(src, dst, batch) if batch else 0)


def _copy(src, dst, posts) -> int:
    dst.upsert_posts(posts)
    analyses = src.get_analyses([p.id for p in posts])
    dst.save_analyses(list(analyses.values()))
    return len(posts)


def open_backend(args, tmp: Path):
    if args.es:
        from elasticsearch import Elasticsearch

        from store.elastic import ElasticStore

        return ElasticStore(
            Elasticsearch(args.es, request_timeout=120), prefix=f"bench-{uuid.uuid4().hex[:8]}", analyzer="standard"
        )
    from store.sqlite import SQLiteStore

    path = tmp / "ticks.sqlite"
    if args.keep and Path(args.keep).exists():
        shutil.copyfile(args.keep, path)  # the ticks change it: never the kept original
    return SQLiteStore(path)


def main(argv=None) -> dict:
    """Runs the bench; the environment is left as it was (tests run it in-process)."""
    before = os.environ.get(KEY)
    os.environ.setdefault(KEY, "bench-pseudonym-key-0123456789")
    try:
        return _main(argv)
    finally:
        if before is None:
            os.environ.pop(KEY, None)
        else:
            os.environ[KEY] = before


def _main(argv=None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--new", type=int, default=100)
    parser.add_argument("--ticks", type=int, default=10)
    parser.add_argument("--es", help="Elasticsearch URL (default: SQLite)")
    parser.add_argument("--keep", help="keep (or reuse) the built SQLite store here")
    parser.add_argument("--from-sqlite", help="with --es: copy posts and analyses from this kept SQLite store")
    parser.add_argument("--chatter", type=float, default=0.0, help="share of town-less chatter among the posts (0-1)")
    args = parser.parse_args(argv)

    from onrustradar.config import load_config
    from onrustradar.service.analyzer import analyzer_for
    from onrustradar.service.pipeline import process

    config = load_config(ROOT / "config" / "onrustradar.yml")
    analyzer = analyzer_for(config)
    if not 0.0 <= args.chatter <= 1.0:
        parser.error("--chatter is a share between 0 and 1")
    stream = Posts(chatter=args.chatter)
    now = datetime.now(UTC).replace(microsecond=0)
    with tempfile.TemporaryDirectory() as tmp:
        store = open_backend(args, Path(tmp))
        try:
            reused = not args.es and args.keep and Path(args.keep).exists()
            t0 = time.perf_counter()
            if reused:
                newest = max(
                    (p.published_at for p in store.iter_posts(since=now - timedelta(hours=2))),
                    default=now - timedelta(minutes=1),
                )
                now = max(now, newest + timedelta(minutes=1))
                stream.n = store.count_posts() + 1  # new ids
            elif args.es and args.from_sqlite:
                from store.sqlite import SQLiteStore

                src = SQLiteStore(args.from_sqlite)
                newest = max((p.published_at for p in src.iter_posts(since=now - timedelta(days=1))), default=now)
                now = max(now, newest + timedelta(minutes=1))
                copied = copy_analysed(src, store, now - timedelta(days=15))
                stream.n = src.count_posts() + 1
                src.close()
                print(f"copied {copied} posts with analyses in {time.perf_counter() - t0:.0f} s", flush=True)
            else:
                fill(store, stream, args.posts, now)
                print(f"stored {args.posts} posts in {time.perf_counter() - t0:.0f} s", flush=True)
            built = process(store, config, now=now, analyzer=analyzer)
            build_s = time.perf_counter() - t0
            stored = store.count_posts()
            print(
                f"build: {stored} posts stored, {built.analysed} analysed, {built.signals} signals written, "
                f"{build_s:.0f} s",
                flush=True,
            )
            if args.keep and not args.es and not reused:
                store.close()
                shutil.copyfile(Path(tmp) / "ticks.sqlite", args.keep)
                store = open_backend(argparse.Namespace(es=None, keep=args.keep), Path(tmp))
            times, last = [], None
            for _ in range(args.ticks):
                now += timedelta(minutes=1)
                store.upsert_posts(stream.spread(args.new, now - timedelta(seconds=59), now))
                t = time.perf_counter()
                last = process(store, config, now=now, analyzer=analyzer)
                times.append(time.perf_counter() - t)
            result = {
                "backend": "elasticsearch" if args.es else "sqlite",
                "stored": stored,
                "build_s": build_s,
                "median_s": statistics.median(times),
                "max_s": max(times),
                "ticks": len(times),
                "last_analysed": last.analysed,
                "last_signals": last.signals,
                "last_gemeenten": last.gemeenten,
                "last_rebuilt_posts": last.rebuilt_posts,
            }
            print(
                f"{result['backend']}: {stored} posts stored; tick with {args.new} new posts: median "
                f"{result['median_s']:.3f} s, max {result['max_s']:.3f} s over {len(times)} ticks "
                f"(last tick: {last.analysed} analysed, {last.signals} signals written, {last.gemeenten} gemeenten "
                f"rebuilt over {last.rebuilt_posts} posts)"
            )
            return result
        finally:
            if args.es:
                store.drop()
            store.close()


if __name__ == "__main__":
    main()
