"""Lemmas come from spaCy's Dutch lookup table; read directly they must equal what spaCy's own
blank-nl lookup lemmatizer gives."""

import pytest

from nlp.lemmas import dutch, lemma, lemma_tokens
from onrustradar.core.gazetteer import fold


@pytest.mark.slow
def test_direct_table_equals_spacy_lookup_lemmatizer():
    words = [
        "demonstranten",
        "liepen",
        "gingen",
        "rellen",
        "supporters",
        "bekogelden",
        "brommers",
        "verzamelden",
        "explosies",
        "agenten",
        "scooters",
        "huizen",
    ]
    doc = dutch()(" ".join(words))
    assert [lemma(w) for w in words] == [fold(t.lemma_) for t in doc]
    assert lemma("demonstranten") != "demonstranten"  # the table really lemmatises


def test_numbers_and_punctuation():
    assert lemma_tokens("Om 20:00 DEMONSTRANTEN!! 🔥") == ["om", "<num>", lemma("demonstranten")]


def test_stop_words_are_spacys():
    from spacy.lang.nl.stop_words import STOP_WORDS

    from nlp.lemmas import stop_words

    assert stop_words() == {fold(w) for w in STOP_WORDS} and "het" in stop_words()
