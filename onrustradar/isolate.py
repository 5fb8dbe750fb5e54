"""Analysis that isolates failures: a post the NLP cannot handle is named and set aside,
never allowed to take its batch (and so every later post) down with it."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def analyse_safely(analyzer, posts: list) -> list:
    """Analyses in input order; a post the NLP cannot handle gets its error (a string) instead
    of taking the whole batch down with it."""
    try:
        return analyzer.analyze_many(posts)
    except Exception:  # noqa: BLE001 — find the post that did it, analyse the rest
        out = []
        for post in posts:
            try:
                out.append(analyzer.analyze_many([post])[0])
            except Exception as exc:  # noqa: BLE001
                log.warning("post %s could not be analysed: %s", post.source_id, type(exc).__name__)
                out.append(f"cannot be analysed ({type(exc).__name__})")
        return out
