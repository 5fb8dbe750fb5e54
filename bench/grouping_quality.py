"""Grouping quality of `detect` on the labelled scenario sets: B-cubed precision, recall and F1,
the share of events found at all and found as exactly one signal, noise posts in signals and
the accuracy of the reliability label.

    .venv/bin/python bench/grouping_quality.py [--set independent|fresh|january|…|april|own|PATH] [--errors]

`independent` (default): detectors/eval/independent/ (posts.jsonl + events.jsonl), timelines
written apart from the project by a writer who saw only a brief. `fresh`:
detectors/eval/fresh/, 60 more timelines by two other brief-only writers (December 2026), first
measured unseen, then used to find the causes of noise and splits. `own`: the developer's
detectors/eval/grouping_set.jsonl. A PATH is a JSON-lines file in the `detect` input format with
a gold `event` per post (null for noise), and an `events.jsonl` beside it when reliability is to
be scored.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from detectors.evaluate import bcubed, event_coverage  # noqa: E402

SETS = {
    "independent": ROOT / "detectors" / "eval" / "independent" / "posts.jsonl",
    "fresh": ROOT / "detectors" / "eval" / "fresh" / "posts.jsonl",
    "january": ROOT / "detectors" / "eval" / "january" / "posts.jsonl",
    "february": ROOT / "detectors" / "eval" / "february" / "posts.jsonl",
    "march": ROOT / "detectors" / "eval" / "march" / "posts.jsonl",
    "april": ROOT / "detectors" / "eval" / "april" / "posts.jsonl",
    "may": ROOT / "detectors" / "eval" / "may" / "posts.jsonl",
    "june": ROOT / "detectors" / "eval" / "june" / "posts.jsonl",
    "july": ROOT / "detectors" / "eval" / "july" / "posts.jsonl",
    "own": ROOT / "detectors" / "eval" / "grouping_set.jsonl",
}
# Each month set's held-out half (its README): measured as a figure, its errors never printed —
# not for the half, nor for the whole set it is part of.
HELD_OUT = {"january": "c", "february": "f", "march": "l", "april": "t", "may": "z", "june": "q", "july": "s"}


def errors_allowed(path: Path) -> bool:
    """Whether `--errors` may print this set's errors: not when it is or holds a held-out half."""
    resolved = path.resolve()
    for month, half in HELD_OUT.items():
        month_dir = (ROOT / "detectors" / "eval" / month).resolve()
        if resolved == month_dir / "posts.jsonl" or resolved.is_relative_to(month_dir / half):
            return False
    return True


def _read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def run(path: Path):
    records = _read(path)
    events_file = path.with_name("events.jsonl")
    reliability = {e["event"]: e["reliability"] for e in _read(events_file)} if events_file.exists() else None
    gold = {r["id"]: r.get("event") for r in records}
    last = max(r["published_at"] for r in records)
    with tempfile.TemporaryDirectory() as tmp:
        posts = Path(tmp) / "posts.jsonl"
        posts.write_text(
            "".join(
                json.dumps({k: r[k] for k in ("id", "source", "channel", "published_at", "text")}, ensure_ascii=False)
                + "\n"
                for r in records
            ),
            encoding="utf-8",
        )
        out = Path(tmp) / "signals.jsonl"
        exe = Path(sys.executable).with_name("onrustradar")
        subprocess.run(
            [str(exe), "detect", "--input", str(posts), "--output", str(out), "--now", last],
            check=True,
            cwd=ROOT,
            capture_output=True,
        )
        signals = _read(out)
    score = bcubed([s["post_ids"] for s in signals], {p: e for p, e in gold.items() if e})
    coverage = event_coverage(signals, gold, reliability)
    return score, coverage, signals, records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default="independent", help="a set name (fresh, january, march, …) or a path")
    parser.add_argument("--errors", action="store_true", help="print the events not found as one signal")
    args = parser.parse_args()
    path = SETS.get(args.set, Path(args.set))
    if args.errors and not errors_allowed(path):
        sys.exit(
            f"--errors: {args.set} is or holds a held-out half ({', '.join(f'{m}/{h}' for m, h in HELD_OUT.items())});"
            " ask for a read half's posts.jsonl instead"
        )
    score, cov, signals, records = run(path)
    print(
        f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: {score.posts} posts of "
        f"{score.events} events -> {score.signals} signals"
    )
    print(f"B-cubed precision {score.precision:.3f}, recall {score.recall:.3f}, F1 {score.f1:.3f}")
    print(
        f"events found {cov.found:.3f}, exactly one signal {cov.exactly_one:.3f}; "
        f"noise posts in signals {cov.noise_in_signals:.3f} (of {cov.noise_posts}); "
        f"reliability accuracy {cov.reliability_accuracy:.3f} (n={cov.reliability_n})"
    )
    if args.errors:
        by_id = {r["id"]: r for r in records}
        where: dict[str, list[int]] = {}
        for n, s in enumerate(signals):
            for p in s["post_ids"]:
                where.setdefault(p, []).append(n)
        events: dict[str, list[str]] = {}
        for r in records:
            if r.get("event"):
                events.setdefault(r["event"], []).append(r["id"])
        for event, ids in sorted(events.items()):
            placed = {p: where.get(p, []) for p in ids}
            if len({n for ns in placed.values() for n in ns}) == 1 and all(placed.values()):
                continue
            print(f"\n{event}:")
            for p in ids:
                sig = (
                    ",".join(f"{n}:{signals[n]['gemeente']}/{signals[n]['reliability'][:3]}" for n in placed[p]) or "-"
                )
                print(f"  {sig:<28} {by_id[p]['text'][:110]!r}")
        for n, s in enumerate(signals):
            noise = [p for p in s["post_ids"] if by_id.get(p, {}).get("event") is None]
            for p in noise:
                print(f"noise in signal {n}: {by_id[p]['text'][:110]!r}")


if __name__ == "__main__":
    main()
