"""The analysts' feedback as training examples: what `onrustradar train --with-feedback` adds.

On the board an analist marks a post or a signal *terecht*, *onterecht* or "andere categorie".
Each verdict on a post still in the store (so within retention) becomes a labelled example:
terecht keeps the categories the analysis gave, onterecht means no category, "andere
categorie" means that category. A verdict on a signal applies to each of its posts. The last
verdict on a post counts.

No person may enter the model. Handles (@name, name@instance) and links are removed; a word
the corpus does not know is kept only when it occurs in at least MIN_POSTS feedback posts (a
name rarely does), and a capitalised word inside a sentence that is no Dutch word is never
kept (it is a name or a place — places the gazetteer resolves anyway).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import replace

from nlp.corpus import Example
from nlp.lemmas import lexicon
from nlp.text import words_and_norms
from onrustradar.core.models import CATEGORIES

MIN_POSTS = 5
_HANDLE = re.compile(r"(?<!\w)@[\w.]+(?:@[\w.-]+)?|\b[\w.]+@[\w-]+\.[\w.-]+\b")
_LINK = re.compile(r"https?://\S+|www\.\S+")


def labels_from(
    feedback: list, signal_posts: dict[str, list[str]], analyses: dict[str, list[str]]
) -> dict[str, list[str]]:
    """post id -> categories, from the verdicts (in time order; the last one counts)."""
    out: dict[str, list[str]] = {}
    for fb in sorted(feedback, key=lambda f: f.at.timestamp() if f.at else 0.0):
        targets = [fb.target_id] if fb.target_type == "post" else signal_posts.get(fb.target_id, [])
        for post_id in targets:
            if fb.verdict == "terecht":
                out[post_id] = list(analyses.get(post_id, []))
            elif fb.verdict == "onterecht":
                out[post_id] = []
            elif fb.verdict == "andere categorie" and fb.category in CATEGORIES:
                out[post_id] = [fb.category]
    return out


def scrub(texts: list[str], known: set[str], min_posts: int = MIN_POSTS) -> list[str]:
    """Remove handles, links and rare unknown words (see the module's docstring)."""
    texts = [_LINK.sub(" ", _HANDLE.sub(" ", t)) for t in texts]
    tokenised = [words_and_norms(t) for t in texts]
    spread = Counter(n for _, norms in tokenised for n in set(norms))
    ordinary = lexicon()
    out = []
    for words, norms in tokenised:
        kept = []
        for i, (word, norm) in enumerate(zip(words, norms)):
            name_like = i > 0 and word[:1].isupper() and norm not in ordinary
            if name_like or (norm not in known and spread[norm] < min_posts):
                continue
            kept.append(word)
        out.append(" ".join(kept))
    return out


def feedback_examples(posts: list, labels: dict[str, list[str]], known: set[str]) -> list[Example]:
    """Examples for the category models (announced and time stay with the corpus)."""
    posts = [p for p in posts if p.id in labels]
    texts = scrub([p.text for p in posts], known)
    examples = []
    for post, text in zip(posts, texts):
        if not text.strip():
            continue
        ident = "fb-" + hashlib.sha1(post.id.encode()).hexdigest()[:12]
        categories = labels[post.id]
        examples.append(
            Example(
                id=ident,
                post=replace(post, text=text, author=None),
                categories=categories,
                gemeente_code=None,
                announced=False,
                event_start=None,
                time_known=False,
                hard_negative=not categories,
            )
        )
    return examples


def corpus_vocabulary(examples: list[Example]) -> set[str]:
    return {n for e in examples for n in words_and_norms(e.post.text)[1]}
