"""Grouping quality on the labelled scenario set (detectors/eval): B-cubed F1 >= 0.90."""

import sys

from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from grouping_quality import run  # noqa: E402


def test_bcubed_on_the_scenario_set():
    score, signals, records = run()
    assert score.posts >= 290 and score.events >= 40
    assert score.f1 >= 0.90, score
    assert score.precision >= 0.95  # over-merging is the failure this guards against
    noise = {r["id"] for r in records if not r.get("event")}
    assert not noise & {i for s in signals for i in s["post_ids"]}
