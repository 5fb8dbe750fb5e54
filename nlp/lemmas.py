"""spaCy's blank Dutch pipeline (tokenizer + lookup lemmatizer from spacy-lookups-data):
no pretrained model is needed, and the lemmas let 'demonstranten' and 'demonstrant',
'liepen' and 'lopen' share evidence."""

from __future__ import annotations

import gzip
import importlib.util
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from onrustradar.core.gazetteer import fold

if TYPE_CHECKING:
    from spacy.language import Language


@lru_cache(maxsize=1)
def dutch() -> Language:
    """spaCy's blank Dutch pipeline with the lookup lemmatizer (the reference for lemma())."""
    import spacy

    nlp = spacy.blank("nl")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    return nlp


_WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*|\d+(?:[.,:/]\d+)*", re.UNICODE)


@lru_cache(maxsize=1)
def _lookup() -> dict[str, str]:
    """The table spaCy's lookup lemmatizer for Dutch uses (spacy-lookups-data), read straight
    from the package: building the blank pipeline only to get at it costs three seconds of
    start-up (tests/nlp/test_lemmas.py checks both give the same lemmas)."""

    spec = importlib.util.find_spec("spacy_lookups_data")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("spacy-lookups-data is not installed: the Dutch lemma table comes from it")
    path = Path(spec.origin).parent / "data" / "nl_lemma_lookup.json.gz"
    return json.loads(gzip.decompress(path.read_bytes()))


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """The folded lookup lemma of a lower-case word ('demonstranten' -> 'demonstrant')."""
    return fold(_lookup().get(word, word))


def lemma_tokens(text: str) -> list[str]:
    """Folded lemmas of the words; numbers become '<num>', punctuation and emoji drop out.

    Tokens come from a regular expression rather than spaCy's tokenizer: the lemmas are the
    same for words, and it is several times faster, which the 2,000 posts/s target needs.
    """
    return ["<num>" if w[0].isdigit() else lemma(w) for w in _WORD.findall(text.lower())]


def lemma_text(text: str) -> str:
    return " ".join(lemma_tokens(text))


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """spaCy's Dutch stop words, folded. Read from spaCy's module file without importing the
    spacy package (a second of start-up that `classify` does not otherwise need)."""

    spec = importlib.util.find_spec("spacy")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("spacy is not installed: the Dutch stop words come from it")
    path = Path(spec.origin).parent / "lang" / "nl" / "stop_words.py"
    module_spec = importlib.util.spec_from_file_location("_spacy_nl_stop_words", path)
    if module_spec is None or module_spec.loader is None:
        raise ImportError(f"cannot load spaCy's Dutch stop words from {path}")
    module = importlib.util.module_from_spec(module_spec)
    module_spec.loader.exec_module(module)
    return frozenset(fold(w) for w in module.STOP_WORDS)


def lexicon() -> set[str]:
    """Every Dutch word form the lemma table knows (forms and their lemmas), folded: what
    counts as "a word" when deciding whether a lower-case token may be a place name. Not
    cached: the place resolver needs it once, at start-up, and it is large."""
    table = _lookup()
    # the table is lower-case already: fold only the accented forms (no copies of the rest)
    return {w if w.isascii() else fold(w) for w in (*table, *table.values())}
