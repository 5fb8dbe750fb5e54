"""The analyzer on text the models never saw, written apart from the training corpus:

- `realstyle` (default): nlp/corpus/realstyle/realstyle.jsonl, 440 passages in the style of real
  Dutch news (60%) and public posts, written after reading real news and police news, labelled
  by a second person who saw neither the code nor the corpus, disagreements adjudicated (see
  nlp/corpus/realstyle/merge.py). Half A (ids rs-a-…) was looked at by the developer while
  tuning rules; half B (rs-b-…) only as aggregate figures — B is the honest one.
- `unseen`: nlp/corpus/unseen/unseen.jsonl, 200 more passages made the same way on 5 December
  2026 by two other writers (brief in its folder) and a blind labeller, measured once before
  anyone looked at its errors (the figure of that first run is in the README).
- `unseen2`: nlp/corpus/unseen2/unseen2.jsonl, 200 more passages made the same way on 6 December
  2026 by two new writers (halves E and F) and two blind labellers, measured after the last
  change of the analyzer it reports on; then half E's errors were read, then half F's.
- `unseen3`: nlp/corpus/unseen3/unseen3.jsonl, 200 more passages by two further writers (halves G
  and H) and two blind labellers, disagreements settled by an adjudicator who wrote neither
  label; measured once before anyone read it, then half G's errors were read; half H is held
  out (this command prints none of its errors).
- `unseen4`: nlp/corpus/unseen4/unseen4.jsonl, 200 more passages by two further writers (halves I
  and J) and two blind labellers (who agreed on every measured field), made on 6 December 2026
  and measured once before anyone read them; half J is held out.
- `unseen5`: nlp/corpus/unseen5/unseen5.jsonl, 200 more passages by two further writers (halves M
  and N) and two blind labellers, made on 7 December 2026 and measured once before anyone read
  them; half N is held out.
- `unseen6`: nlp/corpus/unseen6/unseen6.jsonl, 200 more passages by two further writers (halves O
  and P; more gemeente notices, liveblogs, buurtapp forwards, English and dialect, every season)
  and two blind labellers, made on 7 December 2026 and measured once before anyone read them;
  half P is held out.
- `unseen7`: nlp/corpus/unseen7/unseen7.jsonl, 200 more passages by two further writers (halves Q
  and R) and two blind labellers, made on 7 December 2026 after the day's rules and landmarks and
  measured once before anyone read them; both halves are held out.
- `unseen8`: nlp/corpus/unseen8/unseen8.jsonl, 200 more passages by two further writers (halves W
  and X) and two blind labellers, made on 7 December 2026 and measured once before anyone read
  them; half X is held out.
- `unseen9`: nlp/corpus/unseen9/unseen9.jsonl, 200 more passages by two further writers (halves K
  and L) and two blind labellers, made on 8 December 2026 and measured once before anyone read
  them; half L is held out.
- `unseen10`: nlp/corpus/unseen10/unseen10.jsonl, 200 more passages by two further writers (halves
  S and T) and two blind labellers, made on 8 December 2026 and measured once before anyone read
  them; half T is held out.
- `hardneg`: nlp/corpus/hardneg/hardneg.jsonl, 200 passages by two further writers (halves U and
  V), about two thirds hard negatives in the events' own words and a third positives (a third of
  those without a Dutch gemeente), two blind labellers; half V is held out.
- `independent`: nlp/corpus/independent/i1.jsonl, 150 posts by a writer who saw only the
  label guide (issue #4).

Neither is ever trained on.

    .venv/bin/python bench/independent_eval.py [--set realstyle|unseen … unseen10|hardneg|independent] [--errors N]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from nlp import corpus  # noqa: E402
from nlp.evaluate import evaluate  # noqa: E402
from onrustradar.config import load_config  # noqa: E402
from onrustradar.service.analyzer import analyzer_for  # noqa: E402

SETS = {
    "realstyle": ROOT / "nlp" / "corpus" / "realstyle",
    "unseen": ROOT / "nlp" / "corpus" / "unseen",
    "unseen2": ROOT / "nlp" / "corpus" / "unseen2",
    "unseen3": ROOT / "nlp" / "corpus" / "unseen3",
    "unseen4": ROOT / "nlp" / "corpus" / "unseen4",
    "unseen5": ROOT / "nlp" / "corpus" / "unseen5",
    "unseen6": ROOT / "nlp" / "corpus" / "unseen6",
    "unseen7": ROOT / "nlp" / "corpus" / "unseen7",
    "unseen8": ROOT / "nlp" / "corpus" / "unseen8",
    "unseen9": ROOT / "nlp" / "corpus" / "unseen9",
    "unseen10": ROOT / "nlp" / "corpus" / "unseen10",
    "hardneg": ROOT / "nlp" / "corpus" / "hardneg",
    "independent": ROOT / "nlp" / "corpus" / "independent",
}


# Each check set's halves (id prefix) and what has been read of them; a held-out half's errors
# are never printed.
HALVES = {
    "realstyle": [("A", "rs-a-", "seen while tuning"), ("B", "rs-b-", "held out")],
    "unseen": [("C", "us-c-", "its errors read after the first run"), ("D", "us-d-", "its errors read on 6 December")],
    "unseen2": [("E", "us-e-", "its errors may be read"), ("F", "us-f-", "its errors read on 6 December")],
    "unseen3": [("G", "us-g-", "its errors read on 6 December"), ("H", "us-h-", "its errors read on 6 December")],
    "unseen4": [("I", "us-i-", "its errors read on 6 December"), ("J", "us-j-", "held out")],
    "unseen5": [("M", "us-m-", "its errors may be read"), ("N", "us-n-", "held out")],
    "unseen6": [("O", "us-o-", "its errors may be read"), ("P", "us-p-", "held out")],
    "unseen7": [("Q", "us-q-", "held out"), ("R", "us-r-", "held out")],
    "unseen8": [("W", "us-w-", "its errors may be read"), ("X", "us-x-", "held out")],
    "unseen9": [("K", "us-k-", "its errors may be read"), ("L", "us-l-", "held out")],
    "unseen10": [("S", "us-s-", "its errors may be read"), ("T", "us-t-", "held out")],
    "hardneg": [
        ("U", "us-u-", "its errors may be read"),
        ("V", "us-v-", "held out; two of its errors were printed once, by mistake, on 7 December"),
    ],
}


def errors_readable(name: str, title: str) -> bool:
    """Whether the errors of this part of a check set may be printed: a half that is not held
    out, and the whole set only when it has no halves (its errors would hold a held-out half's)."""
    if title:
        return "held out" not in title
    return name not in HALVES


def load(name: str) -> list[corpus.Example]:
    if name in HALVES:
        return corpus.load_file(SETS[name] / f"{name}.jsonl")
    return corpus.load(SETS[name])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=sorted(SETS), default="realstyle")
    parser.add_argument("--errors", type=int, default=0, help="also print up to this many misclassified posts")
    args = parser.parse_args()
    examples = load(args.set)
    if not examples:
        sys.exit(f"no posts in {SETS[args.set]}")
    analyzer = analyzer_for(load_config(ROOT / "config" / "onrustradar.yml"))
    parts = [("", examples)] + [
        (f" — half {half} ({status})", [e for e in examples if e.id.startswith(prefix)])
        for half, prefix, status in HALVES.get(args.set, ())
    ]
    for title, subset in parts:
        readable = errors_readable(args.set, title)
        report = evaluate(analyzer, subset, keep_errors=args.errors if readable else 0)
        print(f"\n{args.set} check set{title}, analyzer {analyzer.name}")
        for line in report.lines():
            print(line)
        if not readable:
            continue
        for line in report.errors[: args.errors]:
            print(line)


if __name__ == "__main__":
    main()
