"""Copies of one call complete each other's analysis before grouping (detectors.copies)."""

from datetime import datetime, timedelta

from detectors.copies import share_copies
from detectors.signals import build_signals
from onrustradar.core.models import Analysis, Post
from onrustradar.core.nl import AMS

T0 = datetime(2026, 12, 7, 9, 0, tzinfo=AMS)
MONDAY = datetime(2026, 12, 14, 10, 0, tzinfo=AMS)
CALL = "Maandag 14 december 10 uur: allemaal naar de afslag. Als de minister niet naar ons toe komt, gaan wij naar hem."


def pair(n, text, channel, cats=(), gemeente=None, hours=0):
    post = Post("telegram", f"p{n}", channel, T0 + timedelta(hours=hours), text)
    code, name = gemeente or (None, None)
    return post, Analysis(
        post.id,
        list(cats),
        {c: 0.9 for c in cats},
        gemeente_code=code,
        gemeente=name,
        announced=bool(cats),
        event_start=MONDAY if cats else None,
        time_known=bool(cats),
    )


def test_a_forward_with_the_category_and_the_original_with_the_town_make_one_signal():
    original = pair(1, CALL, "Urker Vissers Nieuws", gemeente=("GM0184", "Urk"))  # read too weakly for a category
    forward = pair(2, "Steun de vissers!\n" + CALL, "Flevo Boeren", cats=["demonstratie"], hours=2)  # no town
    shared = share_copies([original, forward])
    assert shared[0][1].categories == ["demonstratie"] and shared[0][1].event_start == MONDAY
    assert shared[1][1].gemeente_code == "GM0184"
    assert original[1].categories == [] and forward[1].gemeente_code is None  # the inputs stay as they were
    signals = build_signals([original, forward], T0 + timedelta(hours=3))
    assert [(s.gemeente_code, sorted(s.post_ids)) for s in signals] == [("GM0184", ["telegram:p1", "telegram:p2"])]


def test_without_copies_nothing_is_shared():
    original = pair(1, CALL, "Urker Vissers Nieuws", gemeente=("GM0184", "Urk"))
    other = pair(
        2,
        "Maandag 14 december om 10 uur protest bij het provinciehuis, kom allemaal!",
        "Flevo Boeren",
        cats=["demonstratie"],
    )
    shared = share_copies([original, other])
    assert shared[0][1].categories == [] and shared[1][1].gemeente_code is None
    # two short lines that happen to be equal are no copies of one call
    a, b = pair(3, "Go go go", "x", cats=["scootermeeting"]), pair(4, "Go go go", "y", gemeente=("GM0184", "Urk"))
    assert share_copies([a, b])[1][1].categories == []


def test_copies_that_disagree_on_the_town_get_none_from_each_other():
    a = pair(1, CALL, "kanaal_a", gemeente=("GM0184", "Urk"))
    b = pair(2, "Forwarded from kanaal_a\n" + CALL, "kanaal_b", gemeente=("GM0171", "Noordoostpolder"))
    c = pair(3, "Delen!!\n" + CALL, "kanaal_c", cats=["demonstratie"])
    shared = share_copies([a, b, c])
    assert shared[2][1].gemeente_code is None and shared[0][1].categories == ["demonstratie"]
