"""Train the models from the corpus's training split, reproducibly (fixed seed)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from nlp import timex
from nlp.corpus import Example
from nlp.model import TrainedModel, train
from nlp.pipeline import time_flags


def corpus_version(examples: list[Example]) -> str:
    digest = hashlib.sha1("".join(sorted(e.id for e in examples)).encode()).hexdigest()[:8]
    return f"{len(examples)}-{digest}"


def train_from(examples: list[Example], category_only: Sequence[Example] = ()) -> TrainedModel:
    """`category_only`: examples that teach the category models but not the announced model
    (feedback posts: an analyst judged their category, not their time)."""
    relevant = [e for e in examples if e.categories]
    examples = list(examples) + list(category_only)
    flags = [time_flags(timex.resolve(e.post.text, e.post.published_at), e.post) for e in relevant]
    return train(
        texts=[e.post.text for e in examples],
        labels=[e.categories for e in examples],
        announced_texts=[e.post.text for e in relevant],
        announced_flags=flags,
        announced_labels=[e.announced for e in relevant],
        version=corpus_version(examples) + ("+fb" if category_only else ""),
    )
