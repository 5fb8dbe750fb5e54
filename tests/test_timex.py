"""Dutch time expressions, resolved against publication time in Europe/Amsterdam."""

from datetime import datetime

import pytest

from nlp.timex import AMS, resolve

# Wednesday 25 March 2026, 10:00; summer time starts Sunday 29 March.
PUB = datetime(2026, 3, 25, 10, 0, tzinfo=AMS)


@pytest.mark.parametrize("text, start, known, announced", [
    ("aanstaande zaterdag om 14.00 uur demo", "2026-03-28T14:00:00+01:00", True, True),
    ("za 28/3 13:30 verzamelen", "2026-03-28T13:30:00+01:00", True, True),
    ("morgenavond meeting", "2026-03-26T00:00:00+01:00", False, True),
    ("vanavond om 9 iedereen komen", "2026-03-25T21:00:00+01:00", True, True),
    ("20u bij het station", "2026-03-25T20:00:00+01:00", True, True),
    ("vanavond om half 9", "2026-03-25T20:30:00+01:00", True, True),
    ("kwart over 7 verzamelen", "2026-03-25T19:15:00+01:00", True, True),
    ("1900 uur bij het stadhuis", "2026-03-25T19:00:00+01:00", True, True),
    ("zondagmiddag om 3 uur", "2026-03-29T15:00:00+02:00", True, True),
    ("de 31e", "2026-03-31T00:00:00+02:00", False, True),
    ("volgende week woensdag", "2026-04-01T00:00:00+02:00", False, True),
    ("over twee weken", "2026-04-08T00:00:00+02:00", False, True),
    ("Koningsdag wordt het feest", "2026-04-27T00:00:00+02:00", False, True),
    ("oudejaarsavond", "2026-12-31T00:00:00+01:00", False, True),
    ("eerste paasdag", "2026-04-05T00:00:00+02:00", False, True),
    ("zondag na de wedstrijd", "2026-03-29T00:00:00+01:00", False, True),
    ("Protest op zondag 29 maart om 15:00", "2026-03-29T15:00:00+02:00", True, True),
    ("MAANDAG 30 MAART 22:00 meeting, zelfde plek als vorige week", "2026-03-30T22:00:00+02:00", True, True),
    ("Politie beëindigde zaterdag een scootermeeting", "2026-03-21T00:00:00+01:00", False, False),
    ("gisteravond rellen in de wijk", "2026-03-24T00:00:00+01:00", False, False),
])
def test_expressions(text, start, known, announced):
    result = resolve(text, PUB)
    assert result.start.isoformat() == start
    assert (result.time_known, result.announced) == (known, announced)


def test_koningsdag_moves_to_saturday_when_27_april_is_a_sunday():
    assert resolve("Koningsdag", datetime(2025, 4, 1, 12, tzinfo=AMS)).start.date().isoformat() == "2025-04-26"


def test_no_time_expression():
    result = resolve("Demonstratie tegen het azc", PUB)
    assert result.start is None and not result.time_known
