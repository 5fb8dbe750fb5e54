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


def _call_lists(call_weight: float) -> dict[str, KeywordList]:
    return {
        "scootermeeting": KeywordList(
            category="scootermeeting", terms={"🛵": 0.4, "meeting": 0.3}, call_weight=call_weight
        ),
        "demonstratie": KeywordList(category="demonstratie", terms={"protest": 0.5}),
    }


@pytest.mark.parametrize(
    "text",
    [
        "ZONDAG 14/2 – ROOSENDAAL – 14.00 🛵 Borchwerf",
        "morgen 15u De Hurk 🛵🔥",
        "Snein 14 feb 1 oere meeting by De Welle",
        "zondag meeting om 13:30 achter de loods",
        "laatste meeting van het jaar 🎄🛵 Almelo, 1 uur",
    ],
)
def test_a_hit_with_a_clock_time_is_a_call(text):
    hits = KeywordMatcher(_call_lists(1.0)).match(text)
    assert "(tijdstip)" in hits.matched["scootermeeting"]
    base = KeywordMatcher(_call_lists(0.0)).match(text)
    assert abs(hits.scores["scootermeeting"] - base.scores["scootermeeting"] - 1.0) < 1e-9


@pytest.mark.parametrize(
    "text",
    [
        "laatste meeting van het jaar 🎄🛵 Almelo",  # no time
        "TE KOOP 🛵 Vespa, €14.50 per dag",  # a price
        "🛵 uitslag 2-1, 3,5 km gereden",  # a score and a decimal
        "om 14:00 staan we er met de hele buurt",  # a time, but no word of the list
    ],
)
def test_no_call_without_a_hit_and_a_clock_time(text):
    hits = KeywordMatcher(_call_lists(1.0)).match(text)
    assert "(tijdstip)" not in hits.matched.get("scootermeeting", [])
    assert hits.scores.get("scootermeeting", 0.0) < 1.0


def test_the_call_weight_counts_only_for_its_own_list():
    hits = KeywordMatcher(_call_lists(1.0)).match("protest zaterdag 14:00 op het plein")
    assert hits.scores == {"demonstratie": 0.5} and hits.matched == {"demonstratie": ["protest"]}


@pytest.mark.parametrize("weight", [-0.1, 5.5])
def test_a_call_weight_out_of_range_is_refused(weight):
    with pytest.raises(ValidationError):
        KeywordList(category="scootermeeting", terms={"meeting": 0.3}, call_weight=weight)
