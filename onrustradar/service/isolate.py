"""Analysis that isolates failures: a post the NLP cannot handle is named and set aside,
never allowed to take its batch (and so every later post) down with it."""

from __future__ import annotations

import logging
import re
from dataclasses import replace

log = logging.getLogger(__name__)

# Runs of five or more digits: no date, time or count in a real announcement needs them, and
# an absurd amount ("over 420000 weken") overflows the date arithmetic of the time code.
_LONG_NUMBER = re.compile(r"\d{5,}")


def defuse(text: str) -> str:
    """The text with absurdly long numbers removed, for a second try at analysing it."""
    return _LONG_NUMBER.sub(" ", text)


def analyse_safely(analyzer, posts: list) -> list:
    """Analyses in input order; a post the NLP cannot handle gets its error (a string) instead
    of taking the whole batch down with it. A post that fails is tried once more without
    absurd numbers (the analysis then keeps its id, only the time code saw less)."""
    try:
        return analyzer.analyze_many(posts)
    except Exception:  # noqa: BLE001 — find the post that did it, analyse the rest
        out = []
        for post in posts:
            try:
                out.append(analyzer.analyze_many([post])[0])
                continue
            except Exception as exc:  # noqa: BLE001
                first = exc
            try:
                defused = defuse(post.text)
                if defused == post.text:
                    raise first
                out.append(analyzer.analyze_many([replace(post, text=defused)])[0])
            except Exception as exc:  # noqa: BLE001
                log.warning("post %s could not be analysed: %s", post.id, type(exc).__name__)
                out.append(f"cannot be analysed ({type(exc).__name__})")
        return out
