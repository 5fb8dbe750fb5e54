"""A signal's place is the one most of its posts name; a tie is settled the same way whatever
order the event holds its places in (a set's order changes with the process's hash seed)."""

from types import SimpleNamespace

from detectors.signals import _where
from onrustradar.core.models import Analysis


def _group(places_in_order: list[str], named: list[str]):
    items = [
        SimpleNamespace(
            analysis=Analysis(f"p{i}", ["demonstratie"], {}, gemeente_code="GM0518", gemeente="'s-Gravenhage", place=p)
        )
        for i, p in enumerate(named)
    ]
    return SimpleNamespace(items=items, places=places_in_order, gemeente_code="GM0518")


def test_the_most_named_place_wins():
    named = ["Malieveld", "Utrechtsebaan", "Malieveld"]
    assert _where(_group(["utrechtsebaan", "malieveld"], named)) == ("Malieveld", "'s-Gravenhage")


def test_a_tie_between_places_does_not_depend_on_their_order():
    named = ["Utrechtsebaan", "Malieveld"]
    first = _where(_group(["malieveld", "utrechtsebaan"], named))
    second = _where(_group(["utrechtsebaan", "malieveld"], named))
    assert first == second == ("Malieveld", "'s-Gravenhage")
