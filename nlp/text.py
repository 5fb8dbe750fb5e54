"""Tokens for matching: folded (lower-case, no accents) words with their original spelling."""

from __future__ import annotations

import re
from typing import NamedTuple

from onrustradar.core.gazetteer import fold_word

# Words, numbers with separators (14:00, 21/3, 14.00), and apostrophe names ('s-Gravenhage).
TOKEN = re.compile(r"'s-\w+|\d{1,2}[:.]\d{2}|\d{1,2}/\d{1,2}(?:/\d{2,4})?|\w+(?:[-']\w+)*", re.UNICODE)


class Token(NamedTuple):
    text: str  # as written
    norm: str  # folded
    start: int


def tokenize(text: str) -> list[Token]:
    return [Token(m.group(), fold_word(m.group()), m.start()) for m in TOKEN.finditer(text)]


def words_and_norms(text: str) -> tuple[list[str], list[str]]:
    """The tokens of a text as written, and folded: computed once, shared by the matchers."""
    words = TOKEN.findall(text)
    return words, [fold_word(w) for w in words]


def folded_words(text: str) -> list[str]:
    return [fold_word(w) for w in TOKEN.findall(text)]
