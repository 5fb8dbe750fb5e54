"""`classify` speed: posts per second on one core for 40-word posts in batch mode with the
model loaded, start-up time, and peak resident memory.

    .venv/bin/python bench/classify_speed.py [--posts 50000]

Start-up is a run on a one-line file (interpreter, imports, model and gazetteer loaded);
throughput is (posts - 1) / (time of the big run - time of the start-up run). Both runs are
pinned to one core with taskset, as the target asks.
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
from bench.detect_speed import TEMPLATES  # noqa: E402
from onrustradar.core.gazetteer import gazetteer  # noqa: E402

FILLER = (
    "echt weer zo iedereen die in de buurt woont weet waar het om gaat en wat er gebeurt als niemand "
    "iets doet dus kom allemaal en neem je vrienden mee want samen staan we sterk hoor"
).split()


def make_posts(n: int, path: Path) -> float:
    rng = random.Random(11)
    names = [g.name for g in gazetteer().gemeenten.values()]
    start = datetime(2026, 10, 1, tzinfo=UTC)
    words = 0
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            text = rng.choice(TEMPLATES).format(g=rng.choice(names), t=f"{rng.randint(12, 23)}:00").split()
            while len(text) < 40:
                text.append(rng.choice(FILLER))
            words += len(text)
            out.write(
                json.dumps(
                    {
                        "id": f"b{i}",
                        "source": "telegram",
                        "channel": f"kanaal{i % 300}",
                        "published_at": (start + timedelta(seconds=i * 30)).isoformat(),
                        "text": " ".join(text),
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
    return words / n


def run(src: Path, dst: Path) -> float:
    exe = Path(sys.executable).with_name("onrustradar")
    t0 = time.perf_counter()
    subprocess.run(
        ["taskset", "-c", "0", str(exe), "classify", "--input", str(src), "--output", str(dst)],
        check=True,
        cwd=ROOT,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=50_000)
    parser.add_argument("--startups", type=int, default=3, help="runs on one post; the fastest is the start-up")
    args = parser.parse_args()
    model = ROOT / "nlp" / "models" / "classifier.skops"
    with tempfile.TemporaryDirectory() as tmp:
        one, many, out = Path(tmp) / "one.jsonl", Path(tmp) / "many.jsonl", Path(tmp) / "out.jsonl"
        make_posts(1, one)
        mean_words = make_posts(args.posts, many)
        startup = min(run(one, out) for _ in range(max(1, args.startups)))
        total = run(many, out)
        rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        lines = sum(1 for _ in out.open())
    rate = (args.posts - 1) / max(1e-9, total - startup)
    print(
        f"classify, model {'loaded' if model.exists() else 'ABSENT (keywords only)'}: {args.posts} posts of "
        f"{mean_words:.0f} words in {total:.1f} s on one core; start-up {startup:.2f} s; "
        f"{rate:,.0f} posts/s after start-up; peak RSS {rss:.0f} MB; {lines} output lines"
    )


if __name__ == "__main__":
    main()
