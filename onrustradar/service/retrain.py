"""`onrustradar train --with-feedback`: retrain with the analysts' feedback, and install the new
model only when no target gets worse on the held-out sets.

The candidate is trained on the corpus's training split plus the feedback-labelled posts still
in the store (nlp.feedback), then the old and the new analyzer are both measured on the test
split and on the real-style check set. The report and the decision are returned; the caller
prints them, writes the audit row and installs the file.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from nlp import corpus
from nlp.evaluate import Report, evaluate, worse
from nlp.feedback import corpus_vocabulary, feedback_examples, labels_from
from nlp.train import train_from
from onrustradar.config import Config
from onrustradar.service.analyzer import analyzer_for

REALSTYLE = corpus.CORPUS.parent / "realstyle" / "realstyle.jsonl"


@dataclass
class RetrainResult:
    feedback_posts: int
    reports: dict[str, tuple[Report, Report]] = field(default_factory=dict)  # set -> (old, new)
    worse: list[str] = field(default_factory=list)
    candidate: Path | None = None

    @property
    def install(self) -> bool:
        return self.feedback_posts > 0 and not self.worse


def retrain_with_feedback(config: Config, store, current_model: Path, within=None) -> RetrainResult:
    """Train a candidate model on the corpus plus the feedback-labelled posts in retention, and compare it with the
    current one on every target (the caller installs it only when none got worse)."""
    feedback = store.feedback(within=within) if within is not None else store.feedback()
    signal_ids = {f.target_id for f in feedback if f.target_type == "signal"}
    signal_posts = {sid: s.post_ids for sid in signal_ids if (s := store.get_signal(sid)) is not None}
    post_ids = {f.target_id for f in feedback if f.target_type == "post"} | {
        p for ids in signal_posts.values() for p in ids
    }
    # Posts past retention are gone from the store: their feedback teaches nothing.
    posts = (
        store.get_posts(sorted(post_ids), within=within) if within is not None else store.get_posts(sorted(post_ids))
    )
    analyses = {pid: a.categories for pid, a in store.get_analyses([p.id for p in posts]).items()}
    labels = labels_from(feedback, signal_posts, analyses)

    training, test = corpus.split(corpus.load())
    examples = feedback_examples(posts, labels, corpus_vocabulary(training))
    result = RetrainResult(feedback_posts=len(examples))
    if not examples:
        return result
    candidate = Path(tempfile.mkdtemp(prefix="onrustradar-model-")) / "classifier.skops"
    train_from(training, category_only=examples).save(candidate)
    result.candidate = candidate

    sets = {"test split": test}
    if REALSTYLE.exists():
        sets["real-style"] = corpus.load_file(REALSTYLE)
    old = analyzer_for(config, model_path=current_model)
    new = analyzer_for(config, model_path=candidate)
    for name, examples_ in sets.items():
        before, after = evaluate(old, examples_), evaluate(new, examples_)
        result.reports[name] = (before, after)
        result.worse += [f"{name}: {w}" for w in worse(before, after)]
    return result
