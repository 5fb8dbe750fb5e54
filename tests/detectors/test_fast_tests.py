"""The fast forms of grouping's text tests give exactly what their full patterns give: they
run on every post without a category, so speed was bought with a substring prefilter, and a
missed word or an odd case-fold must not change which post counts as naming a day."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from detectors.attach import _OTHER_EVENT, about_other_event
from detectors.grouping import _DATE_HINT, names_a_day

# Pieces of the words both patterns look for, in odd cases, with the characters that fold to
# ASCII letters only under re.IGNORECASE (long s, Kelvin sign, dotted and dotless i) and digits.
PIECES = st.sampled_from(
    [
        "zaterdag", "ZATERDAG", "Zat", "za", "ZA", "zo", "do", "ma", "di", "wo", "vr", "maar", "dit",
        "vanavond", "VanNacht", "weekend", "morgen", "gister", "eergister", "tonight", "ſaturday",
        "Saturday", "\u212aoningsdag", "koningsdag", "vandaag", "\u0130", "\u0131", "oud en nieuw",
        "12-3", "1/11", "123-4", "3 mrt", "3e maart", "21 Mei", "4 mÁrt", "40 scooters", "٣/٤",
        "kermis", "Kermis", "beurs", "beursvloer", "motorbeurs", "doc", "docu", "docent", "gta",
        "GTA", "wint", "gewonnen", "in evenwicht", "ticket", "kaartjes", "transfer", "concert",
        "technisch directeur", "xbox", "game", "gamen", " ", "  ", ",", ".", "!", "\n", "🛵", "é",
    ]
)  # fmt: skip
# ... and every alternative of the other-event pattern, its regex syntax stripped: a term added
# to the pattern but not to its prefilter's words is then among the texts tried.
PATTERN_TERMS = st.sampled_from(
    sorted({re.sub(r"\\b|[()?]|\\", "", t) for t in re.split(r"\|", _OTHER_EVENT.pattern)} - {""})
)
TEXTS = st.one_of(
    st.lists(st.one_of(PIECES, PATTERN_TERMS, st.text(max_size=6)), max_size=12).map("".join),
    st.text(max_size=60),
)


@settings(max_examples=3000, deadline=None)
@given(TEXTS)
def test_names_a_day_is_the_date_pattern(text):
    assert names_a_day(text) == (_DATE_HINT.search(text) is not None)


@settings(max_examples=3000, deadline=None)
@given(TEXTS)
def test_about_other_event_is_its_pattern(text):
    assert about_other_event(text) == (_OTHER_EVENT.search(text.casefold()) is not None)


def test_examples_both_ways():
    assert names_a_day("kom ZA 22:00 naar de parkeerplaats")
    assert names_a_day("demo op 21-11 bij het stadhuis")
    assert names_a_day("ſaturday pull up")  # long s: the full pattern decides
    assert not names_a_day("40 scooters en maar door, dit is gekkenwerk")
    assert about_other_event("Kermis in het centrum, gezellig druk")
    assert not about_other_event("docent zegt dat het rustig bleef")
