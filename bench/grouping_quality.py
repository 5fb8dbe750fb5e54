"""B-cubed precision/recall/F1 of `detect` on the labelled scenario set
(detectors/eval/grouping_set.jsonl, see its README).

    .venv/bin/python bench/grouping_quality.py [--set PATH]
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
from detectors.evaluate import bcubed  # noqa: E402

SET = ROOT / "detectors" / "eval" / "grouping_set.jsonl"


def run(path: Path = SET):
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    gold = {r["id"]: r["event"] for r in records if r.get("event")}
    last = max(r["published_at"] for r in records)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "signals.jsonl"
        exe = Path(sys.executable).with_name("onrustradar")
        subprocess.run([str(exe), "detect", "--input", str(path), "--output", str(out), "--now", last],
                       check=True, cwd=ROOT, capture_output=True)
        signals = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    return bcubed([s["post_ids"] for s in signals], gold), signals, records


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--set", type=Path, default=SET)
    args = parser.parse_args()
    score, signals, records = run(args.set)
    noise = [r["id"] for r in records if not r.get("event")]
    noise_in_signals = sum(1 for s in signals for i in s["post_ids"] if i in set(noise))
    print(f"B-cubed on {score.posts} posts of {score.events} events -> {score.signals} signals: "
          f"precision {score.precision:.3f}, recall {score.recall:.3f}, F1 {score.f1:.3f}; "
          f"noise posts in signals: {noise_in_signals}/{len(noise)}")


if __name__ == "__main__":
    main()
