"""Grouping quality of `detect` on the labelled scenario sets (bench/grouping_quality.py).

The developer's own set (detectors/eval/grouping_set.jsonl) guards against regressions; the
independent timelines (detectors/eval/independent/, written apart from the project) are what
the targets of issue #15 are measured on — their floors here are today's figures, so a change
that loses ground fails."""

import sys

import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from grouping_quality import SETS, run  # noqa: E402

pytestmark = pytest.mark.slow


def test_bcubed_on_the_developers_scenario_set():
    score, coverage, signals, records = run(SETS["own"])
    assert score.posts >= 290 and score.events >= 40
    assert score.f1 >= 0.90, score
    assert score.precision >= 0.93  # over-merging is the failure this guards against
    assert coverage.exactly_one >= 0.9, coverage
    noise = {r["id"] for r in records if not r.get("event")}
    assert len(noise & {i for s in signals for i in s["post_ids"]}) <= 2


def test_one_signal_per_event_on_the_independent_timelines():
    score, coverage, signals, records = run(SETS["independent"])
    assert score.events >= 60 and coverage.noise_posts >= 60
    assert score.precision >= 0.95, score
    assert score.recall >= 0.76, score
    assert coverage.found >= 0.95 and coverage.exactly_one >= 0.85, coverage
    assert coverage.noise_in_signals <= 0.05, coverage
    assert coverage.reliability_accuracy >= 0.9, coverage
    # no signal without a gemeente: a post that names no place never makes a card of its own
    assert all(s["gemeente_code"] for s in signals)


def test_the_fresh_timelines_keep_what_context_attachment_gained():
    """detectors/eval/fresh/ (two more brief-only writers): follow-ups joined by the only event
    of their gemeente, by its day or its hours (6 December: B-cubed recall 0.603 -> 0.669)."""
    score, coverage, signals, records = run(SETS["fresh"])
    assert score.precision >= 0.99 and score.recall >= 0.72, score
    assert coverage.noise_in_signals <= 0.02 and coverage.exactly_one >= 0.80, coverage


def test_the_read_half_of_the_march_timelines_keeps_its_fixes():
    """detectors/eval/march/k/ (read after its first run, F1 0.781, exactly one 0.633, noise
    0.091): the organiser's channel on the day, called-off notices without a new date, scenes
    abroad and video games as no bystanders (7 December: F1 0.802, exactly one 0.667, noise 0.030).
    Half l/ is held out and has no floor here: a floor would invite tuning on it."""
    score, coverage, signals, records = run(ROOT / "detectors" / "eval" / "march" / "k" / "posts.jsonl")
    assert score.precision >= 0.95 and score.f1 >= 0.79, score
    assert coverage.exactly_one >= 0.66 and coverage.noise_in_signals <= 0.04, coverage
