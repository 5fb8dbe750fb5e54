"""Saving a keyword list from the board (onrustradar/config/keyword_files.py) keeps every field
the list has, and the history says in words what changed."""

import shutil

from conftest import ROOT

from onrustradar.config import KeywordList, load_keywords, parse_keyword_yaml
from onrustradar.config.keyword_files import describe, diff, history, save, to_yaml


def _list(**changes) -> KeywordList:
    data = {
        "category": "scootermeeting",
        "threshold": 1.0,
        "call_weight": 1.0,
        "terms": {"meeting": 0.3, "🛵": 0.4},
        "exclusions": ["te koop"],
        "measures": ["hardere aanpak"],
    }
    data.update(changes)
    return KeywordList(**data)


def test_a_saved_list_keeps_its_call_weight_and_the_history_names_the_change(tmp_path):
    for shipped in (ROOT / "config" / "keywords").glob("*.yml"):
        shutil.copy(shipped, tmp_path)  # the other categories' lists, as a config has them
    old, new = _list(), _list(call_weight=0.6)
    entry = save(tmp_path, old, new, actor="analist", reason="minder oproepen")
    assert load_keywords(tmp_path, gated=False)["scootermeeting"].call_weight == 0.6
    assert entry["changes"] == {"call_weight": [1.0, 0.6]}
    assert describe(entry["changes"]) == "gewicht van een tijdstip (oproep) 1,0 → 0,6"
    assert history(tmp_path)[-1]["reason"] == "minder oproepen"


def test_the_editor_text_round_trips_every_field():
    kl = _list(call_weight=0.8)
    again = parse_keyword_yaml(to_yaml(kl), "scootermeeting")
    assert again.call_weight == 0.8 and again.terms == kl.terms and again.exclusions == kl.exclusions
    assert again.measures == kl.measures
    assert diff(kl, again) == {}


def test_a_saved_list_keeps_its_measures_and_the_history_names_them(tmp_path):
    """A measure ("sluit woning") lets an incident's aftermath join it (detectors.attach): a save
    from the board must not drop it, and the history says which measure changed."""
    for shipped in (ROOT / "config" / "keywords").glob("*.yml"):
        shutil.copy(shipped, tmp_path)
    old, new = _list(), _list(measures=["hardere aanpak", "sluit woning"])
    entry = save(tmp_path, old, new, actor="analist")
    assert load_keywords(tmp_path, gated=False)["scootermeeting"].measures == ["hardere aanpak", "sluit woning"]
    assert describe(entry["changes"]) == "maatregel 'sluit woning' toegevoegd"
