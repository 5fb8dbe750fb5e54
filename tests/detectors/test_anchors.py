"""Anchors (detectors/anchors.py): the names two posts about one place share."""

import runpy

from conftest import ROOT

from detectors.anchors import ORDINARY_WORDS, anchors


def test_an_ordinary_word_starting_a_sentence_is_no_name():
    # "Rook" opens a sentence in a supporters' call and in a fire drill notice: no shared place
    call = "Zaterdag 18:00 bij de Abe, we onthalen de bus. Rook, lawaai, vlaggen."
    drill = "Zaterdagochtend oefenen wij bij het stadshuis. Rook en zwaailichten horen erbij."
    assert not anchors(call) & anchors(drill)
    assert "mensen" not in anchors("Mensen staan al klaar bij de Zernike")
    # names stay names, in capitals or all caps
    assert {"zernike", "almeerderstrand"} <= anchors("Mensen bij Zernike en PARKEERPLAATS ALMEERDERSTRAND")


def test_the_ordinary_word_list_is_built_from_the_current_corpus():
    build = runpy.run_path(str(ROOT / "nlp" / "data" / "build_ordinary_words.py"))["build"]
    assert ORDINARY_WORDS.read_text(encoding="utf-8").split() == build()


def test_a_site_or_street_word_glued_to_a_name_leaves_the_name_as_an_anchor_too():
    # the call says "Zernike", the police "het Zerniketerrein", a bystander "de Zernikelaan"
    assert "zernike" in anchors("Politie op het Zerniketerrein") & anchors("📍 Zernike, 13:00 stipt")
    assert "zernike" in anchors("Rondjes over de Zernikelaan")
    # a building or a market square the same way: "Erasmusgebouw" in the call, "Erasmus building" in English
    assert "erasmus" in anchors("Bezetting van het Erasmusgebouw") & anchors("Occupation at the Erasmus building")
    # a name whose stem is an ordinary word gives no stem ("Stationsplein", "Hoofdstraat")
    assert anchors("Stationsplein vol") == frozenset() and anchors("De Hoofdstraat is afgezet") == frozenset()


def test_a_village_name_that_is_also_a_wijk_elsewhere_stays_an_anchor():
    # "Schalkwijk" is a wijk of Haarlem and a village of Houten: the resolver gives such a post no
    # gemeente, so the name is what links the police's post to the event; a town's own name is not
    assert "schalkwijk" in anchors("Agenten bekogeld met zwaar vuurwerk in Schalkwijk")
    assert anchors("Onrustig in Houten en Haarlem vannacht") == frozenset()


def test_a_place_adjective_shares_an_anchor_with_the_place():
    """ "op het Scheveningse strand" and "bij het Zwarte Pad in Scheveningen" are one place; "de
    Kralingse Plas" and "in Kralingen" too. A town's own adjective stays out (the town is the
    gemeente, compared on its own)."""
    assert anchors("Op het Scheveningse strand vlogen de stoelen") & anchors("Vechtpartij in Scheveningen")
    assert anchors("Honderden auto's bij de Kralingse Plas") & anchors("Politie grijpt in bij Kralingen")
    assert "groningen" not in anchors("De Groningse supporters lopen mee")
