"""Measure the analyzer on labelled examples: what `onrustradar eval` prints."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from nlp.corpus import Example
from nlp.pipeline import Analyzer
from onrustradar.core.models import CATEGORIES
from onrustradar.core.nl import local


@dataclass
class Report:
    n: int
    per_category: dict[str, dict[str, float]] = field(default_factory=dict)
    macro_f1: float = 0.0
    gemeente_accuracy: float = 0.0
    gemeente_n: int = 0
    event_start_accuracy: float = 0.0
    event_start_n: int = 0
    announced_accuracy: float = 0.0
    announced_n: int = 0
    announced_precision: float = 0.0
    announced_recall: float = 0.0
    announced_gold: int = 0
    hard_negatives_clean: float = 0.0
    hard_negatives_n: int = 0
    gemeente_wrongly_given: float = 0.0
    gemeente_none_n: int = 0
    errors: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"{self.n} posts"]
        out.append(f"{'categorie':<16}{'precision':>10}{'recall':>10}{'F1':>8}{'n':>6}")
        for c, m in self.per_category.items():
            out.append(f"{c:<16}{m['precision']:>10.3f}{m['recall']:>10.3f}{m['f1']:>8.3f}{int(m['support']):>6}")
        out.append(f"macro-F1            {self.macro_f1:.3f}")
        out.append(f"gemeente accuracy   {self.gemeente_accuracy:.3f}  (n={self.gemeente_n}, relevant posts)")
        out.append(
            f"event_start acc.    {self.event_start_accuracy:.3f}  (n={self.event_start_n}; 30 min when "
            "the time is known, same date otherwise)"
        )
        out.append(f"announced accuracy  {self.announced_accuracy:.3f}  (n={self.announced_n}, relevant posts)")
        out.append(
            f"announced precision {self.announced_precision:.3f}  recall {self.announced_recall:.3f}"
            f"  (n={self.announced_gold} announced in the gold labels, all posts)"
        )
        out.append(
            f"hard negatives clean {self.hard_negatives_clean:.3f}  (n={self.hard_negatives_n}, no category given)"
        )
        out.append(
            f"gemeente given where none is right {self.gemeente_wrongly_given:.3f}"
            f"  (n={self.gemeente_none_n}, relevant posts without a Dutch gemeente)"
        )
        return out


def start_matches(pred, gold, time_known: bool) -> bool:
    if pred is None:
        return False
    if time_known:
        return abs(pred - gold) <= timedelta(minutes=30)
    return local(pred).date() == local(gold).date()


def evaluate(analyzer: Analyzer, examples: list[Example], keep_errors: int = 0) -> Report:
    analyses = analyzer.analyze_many([e.post for e in examples])
    report = Report(n=len(examples))
    f1s = []
    for c in CATEGORIES:
        tp = sum(1 for e, a in zip(examples, analyses) if c in e.categories and c in a.categories)
        fp = sum(1 for e, a in zip(examples, analyses) if c not in e.categories and c in a.categories)
        fn = sum(1 for e, a in zip(examples, analyses) if c in e.categories and c not in a.categories)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        report.per_category[c] = {"precision": p, "recall": r, "f1": f1, "support": tp + fn}
        f1s.append(f1)
    report.macro_f1 = sum(f1s) / len(f1s)
    relevant = [(e, a) for e, a in zip(examples, analyses) if e.categories]
    report.gemeente_n = len(relevant)
    report.gemeente_accuracy = sum(e.gemeente_code == a.gemeente_code for e, a in relevant) / max(1, len(relevant))
    timed = [(e, a) for e, a in relevant if e.event_start is not None]
    report.event_start_n = len(timed)
    report.event_start_accuracy = sum(
        start_matches(a.event_start, e.event_start, e.time_known) for e, a in timed
    ) / max(1, len(timed))
    report.announced_n = len(relevant)
    report.announced_accuracy = sum(e.announced == a.announced for e, a in relevant) / max(1, len(relevant))
    predicted = sum(1 for a in analyses if a.announced)
    hits = sum(1 for e, a in zip(examples, analyses) if e.announced and a.announced)
    report.announced_gold = sum(1 for e in examples if e.announced)
    report.announced_precision = hits / predicted if predicted else 0.0
    report.announced_recall = hits / report.announced_gold if report.announced_gold else 0.0
    negatives = [(e, a) for e, a in zip(examples, analyses) if e.hard_negative]
    report.hard_negatives_n = len(negatives)
    report.hard_negatives_clean = sum(not a.categories for _, a in negatives) / max(1, len(negatives))
    nowhere = [(e, a) for e, a in relevant if e.gemeente_code is None]
    report.gemeente_none_n = len(nowhere)
    report.gemeente_wrongly_given = sum(a.gemeente_code is not None for _, a in nowhere) / max(1, len(nowhere))
    if keep_errors:
        for e, a in zip(examples, analyses):
            problems = []
            if sorted(e.categories) != sorted(a.categories):
                problems.append(f"categories {a.categories} != {e.categories}")
            if e.categories and e.gemeente_code != a.gemeente_code:
                problems.append(f"gemeente {a.gemeente_code} != {e.gemeente_code}")
            if e.categories and e.event_start and not start_matches(a.event_start, e.event_start, e.time_known):
                problems.append(f"start {a.event_start} != {e.event_start}")
            if e.announced != a.announced:
                problems.append(f"announced {a.announced} != {e.announced}")
            if problems:
                report.errors.append(f"{e.id}: {'; '.join(problems)} | {e.post.text[:120]!r}")
    return report


# What `train --with-feedback` compares: (attribute, True when higher is better).
TARGETS = (
    ("macro_f1", True),
    ("gemeente_accuracy", True),
    ("event_start_accuracy", True),
    ("announced_precision", True),
    ("announced_recall", True),
    ("hard_negatives_clean", True),
    ("gemeente_wrongly_given", False),
)


def worse(old: Report, new: Report) -> list[str]:
    """The targets on which `new` is worse than `old`."""
    out = []
    for name, higher in TARGETS:
        a, b = round(getattr(old, name), 4), round(getattr(new, name), 4)
        if (b < a) if higher else (b > a):
            out.append(f"{name} {a:.3f} -> {b:.3f}")
    return out
