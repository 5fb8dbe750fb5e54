"""The analyzer on the independent check set: posts written apart from the training corpus, by a
writer who saw only the label guide (not the corpus, the landmark list or the code), in styles
the corpus uses little. Never trained on; a figure for posts the models have not seen.

    .venv/bin/python bench/independent_eval.py [--errors N]
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
from onrustradar.pipeline import analyzer_for  # noqa: E402

INDEPENDENT = ROOT / "nlp" / "corpus" / "independent"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", type=int, default=0, help="also print up to this many misclassified posts")
    args = parser.parse_args()
    examples = corpus.load(INDEPENDENT)
    if not examples:
        sys.exit(f"no posts in {INDEPENDENT}")
    analyzer = analyzer_for(load_config(ROOT / "config" / "onrustradar.yml"))
    report = evaluate(analyzer, examples, keep_errors=args.errors)
    print(f"independent check set ({INDEPENDENT.relative_to(ROOT)}), analyzer {analyzer.name}")
    for line in report.lines():
        print(line)
    for line in report.errors:
        print(line)


if __name__ == "__main__":
    main()
