"""`detect` on 100,000 posts, one core: classify + group + rank, wall clock.

    .venv/bin/python bench/detect_speed.py [--posts 100000]

Posts are drawn from templates over many gemeenten, days and channels (a third relevant,
forwards and reposts included), so grouping sees realistic blocks, not one giant one.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from onrustradar.core.gazetteer import gazetteer  # noqa: E402

TEMPLATES = [
    "Zaterdag {t} demonstratie tegen het azc bij het stadhuis in {g}! Iedereen komen, DELEN!!",
    "Scootermeeting vanavond om {t} op het bedrijventerrein in {g}, pull up met je crew 🛵",
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


def make_posts(n: int, path: Path) -> None:
    rng = random.Random(7)
    names = [g.name for g in gazetteer().gemeenten.values()]
    start = datetime(2026, 10, 1, tzinfo=UTC)
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            tpl = rng.choice(TEMPLATES)
            text = tpl.format(g=rng.choice(names), t=f"{rng.randint(12, 23)}:{rng.choice(['00', '30'])}")
            text += " " + " ".join(
                rng.choice(["echt", "nu", "weer", "alweer", "hoor", "man", "wow"]) for _ in range(rng.randint(2, 12))
            )
            rec = {
                "id": f"b{i}",
                "source": "telegram",
                "channel": f"kanaal{rng.randint(1, 400)}",
                "published_at": (start + timedelta(seconds=i * 26)).isoformat(),
                "text": text,
            }
            if rng.random() < 0.1:
                rec["forwarded_from"] = f"kanaal{rng.randint(1, 400)}"
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = Path(tmp) / "posts.jsonl", Path(tmp) / "signals.jsonl"
        make_posts(args.posts, src)
        exe = Path(sys.executable).with_name("onrustradar")
        # taskset pins the run to one core, as the target asks.
        cmd = [
            "taskset",
            "-c",
            "0",
            str(exe),
            "detect",
            "--input",
            str(src),
            "--output",
            str(dst),
            "--now",
            "2026-11-01T00:00:00+00:00",
        ]
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, cwd=ROOT)
        elapsed = time.perf_counter() - t0
        rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        signals = sum(1 for _ in dst.open())
    print(
        f"detect on {args.posts} posts: {elapsed:.1f} s on one core ({args.posts / elapsed:,.0f} posts/s), "
        f"{signals} signals, peak RSS {rss:.0f} MB"
    )


if __name__ == "__main__":
    main()
