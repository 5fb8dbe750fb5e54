"""The keyword matcher (nlp/keywords.py): what an analyst's list entry finds in a post."""

import pytest
from pydantic import ValidationError

from nlp.keywords import KeywordMatcher
from onrustradar.config import KeywordList


def _lists(**terms: float) -> dict[str, KeywordList]:
    return {"scootermeeting": KeywordList(category="scootermeeting", threshold=1.0, terms=dict(terms))}


def test_a_symbol_term_is_found_in_the_text_once_and_a_word_term_by_its_word():
    matcher = KeywordMatcher(_lists(**{"🛵": 0.4, "meeting": 0.3}))
    hits = matcher.match("ZATERDAG MEETING STAD 🛵💨 🛵 half 3 Zernike")
    assert hits.matched["scootermeeting"] == ["🛵", "meeting"]
    assert abs(hits.scores["scootermeeting"] - 0.7) < 1e-9  # the symbol counts once per post
    assert not matcher.match("Zaterdag ritje met de brommer, wie gaat mee?").scores
    # a symbol never matches by a word that folds to nothing
    assert matcher.match("Zaterdag 💨 en 🔥").scores == {}


@pytest.mark.parametrize("term", [".", "!!", " - "])
def test_a_term_of_plain_punctuation_is_refused(term):
    # it would be "found" in nearly every post
    with pytest.raises(ValidationError, match="leestekens"):
        KeywordList(category="incident", terms={term: 0.5})
