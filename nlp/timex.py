"""When: Dutch date and time expressions, resolved against the post's publication time.

Everything is computed in Europe/Amsterdam wall-clock time and then given its correct offset
for that date (zoneinfo), so "zondag 14:00" across a DST change gets +02:00 or +01:00 right.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import islice
from zoneinfo import ZoneInfo

from nlp.lemmas import lemma
from onrustradar.core.gazetteer import fold
from onrustradar.core.nl import DAY_NAMES, NUMBER_WORDS

AMS = ZoneInfo("Europe/Amsterdam")
MAX_AHEAD_DAYS = 2 * 366  # "over N weken" further ahead than this is no announcement

WEEKDAYS = {
    "maandag": 0,
    "dinsdag": 1,
    "woensdag": 2,
    "donderdag": 3,
    "vrijdag": 4,
    "zaterdag": 5,
    "zondag": 6,
    "ma": 0,
    "di": 1,
    "wo": 2,
    "do": 3,
    "vr": 4,
    "za": 5,
    "zo": 6,
    "zat": 5,
    "maan": 0,
    "dins": 1,
    "woens": 2,
    "donder": 3,
    "vrij": 4,
    "zater": 5,
    "zon": 6,
}
MONTHS = {
    "januari": 1,
    "jan": 1,
    "februari": 2,
    "feb": 2,
    "maart": 3,
    "mrt": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "juni": 6,
    "jun": 6,
    "juli": 7,
    "jul": 7,
    "augustus": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "okt": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
# Clock hours written as words; "één" stays out as the bare article "een" is handled apart.
NUMBERS = {word: n for word, n in NUMBER_WORDS.items() if n <= 12 and word != "één"}
_PARTS = r"(ochtend|morgen|middag|avond|nacht)"
_DAYNAME = r"(maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|zat|ma|di|wo|do|vr|za|zo)"
_MONTHNAME = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"

PAST_CUES = {
    "werd",
    "werden",
    "was",
    "waren",
    "hadden",
    "had",
    "gegaan",
    "gedaan",
    "afgelopen",
    "vorige",
    "jl",
    "gisteren",
    "gisteravond",
    "gistermiddag",
    "gisternacht",
    "eergisteren",
    "beeindigd",
    "beeindigde",
    "opgepakt",
    "aangehouden",
    "gearresteerd",
    "ingegrepen",
    "ontstond",
    "raakte",
    "raakten",
    "gewond",
    "verliep",
    "verliepen",
    "trokken",
    "liep",
    "liepen",
    "ontaardde",
    "uiteengedreven",
    "ontruimd",
    "ontruimde",
    "gehouden",
    "plaatsgevonden",
    "vond",
    "vonden",
    "kwamen",
    "stonden",
    "hield",
    "hielden",
    "eindigde",
    "geweest",
    "gebeurde",
    "gebeurd",
    "afgegaan",
    "uitgebrand",
    "gebracht",
    "gekomen",
    "kwam",
    "zorgde",
    "zorgden",
    "vernield",
    "beschoten",
    "neergestoken",
    "bekogeld",
    "ingezet",
    "gegooid",
    "gesticht",
    "gedemonstreerd",
    "geprotesteerd",
    "actiegevoerd",
    "verlopen",
    "stond",
    "ging",
    "gingen",
    "zaten",
    "lag",
    "lagen",
    "gezien",
    "ontploft",
    "ontplofte",
    "vernielden",
    "gevlogen",
    "uitgerukt",
    "afgezet",
    "gestoken",
    "geschoten",
    # strong verbs in the simple past, which the lemma table lacks or maps to themselves
    # ("De onrust begon woensdagavond rond 22.00 uur": last Wednesday, not the next)
    "begon",
    "begonnen",
    "brak",
    "braken",
    "sloeg",
    "sloegen",
    "viel",
    "vielen",
    "trok",
    "bleef",
    "bleven",
    "schoot",
    "riep",
    "riepen",
    "vloog",
    "vlogen",
    "kreeg",
    "kregen",
    "ontstonden",
    "verscheen",
    "verschenen",
}
FUTURE_CUES = {
    "komt",
    "kom",
    "komen",
    "gaat",
    "gaan",
    "zal",
    "zullen",
    "wordt",
    "aanstaande",
    "komende",
    "volgende",
    "as",
    "morgen",
    "overmorgen",
    "straks",
    "verzamelen",
    "verzamel",
    "verzamelt",
    "iedereen",
    "delen",
    "wees",
    "gepland",
    "aangekondigd",
    "organiseert",
    "organiseren",
    "oproep",
    "oproepen",
    "roept",
    "roepen",
    "opgeroepen",
    "kondigt",
    "allen",
    "erbij",
    "meedoen",
    "doe",
    "sluit",
    "aansluiten",
    "vertrek",
    "vertrekken",
    # modal and announcing verbs of news prose: "wil zaterdag opnieuw de weg op"
    "wil",
    "willen",
    "plan",
    "plannen",
    "kondigen",
    "aankondiging",
    "later",
    "verplaatst",
    "zou",
    "zouden",
}
# Participles that speak of a plan, not of something done ("is gepland", "zijn opgeroepen").
_PLAN_PARTICIPLES = {
    "gepland",
    "aangekondigd",
    "opgeroepen",
    "verwacht",
    "georganiseerd",
    "verplaatst",
    "aangevraagd",
    "gemeld",
    "toegestaan",
    "verboden",
    "uitgenodigd",
}
# A perfect tense: an auxiliary and a participle in one clause ("zijn slaags geraakt").
_AUXILIARY = {"is", "zijn", "heeft", "hebben", "had", "hadden", "was", "waren", "werd", "werden"}
_PARTICIPLE = re.compile(r"^(?:(?:aan|af|in|op|uit|om|over|los|neer|weg|door|terug|vast|mee|bij|toe)?ge\w{3,}[dt])$")
# Participles without ge- that, beside any auxiliary, report what happened ("is ontstaan").
_EVENT_PARTICIPLES = {
    "bedreigd",  # "is woensdagavond bij zijn woning bedreigd": it happened
    "mishandeld",
    "aangevallen",
    "ontstaan",
    "ontploft",
    "ontsnapt",
    "overleden",
    "omgekomen",
    "bekogeld",
    "beschoten",
    "beschadigd",
    "vernield",
    "verwond",
    "ontvoerd",
    "ontruimd",
    "ontaard",
    "verstoord",
    "belaagd",
}
_PAST_AUXILIARY = {"heeft", "hebben", "had", "hadden", "werd", "werden", "was", "waren"}
# Participles without ge- that read as past only beside "heeft"/"hebben" ("heeft dinsdag
# dreigberichten ontvangen"; "we gaan ze ontvangen" is to come).
_HAVE_PARTICIPLES = {"ontvangen", "begonnen", "verloren", "ontdekt", "besloten", "vernomen", "verzonden", "bedreigd"}
_HAVE = {"heeft", "hebben", "had", "hadden"}
# Strong participles ("aangewezen", "gekomen", "neergestoken"), which end in -en like plurals.
_STRONG_PARTICIPLE = re.compile(
    r"^(?:aan|af|in|op|uit|om|over|los|neer|weg|door|terug|vast|mee|bij|toe|dood|binnen|samen)?ge"
    r"(?:wezen|komen|geven|nomen|sloten|houden|broken|vonden|stoken|schoten|vallen|lopen|trokken|reden|"
    r"bleven|zien|staan|gaan|slagen|sprongen|dragen|varen|vochten|schreven|beten|wonnen|grepen|weken|"
    r"kozen|hangen|dreven|smeten|blazen|roepen|vlogen|wezen|zeten)$"
)
# Nouns and adjectives of that shape.
_NOT_PARTICIPLES = {
    "geweld",
    "gebied",
    "gezicht",
    "gewicht",
    "geluid",
    "gerecht",
    "geduld",
    "gezond",
    "gevecht",
    "gemiddeld",
    "gebit",
    "gebod",
    "gezant",
    "gesticht",
    "gelukt",
    "gedicht",
    "gewest",
    "geest",
    "gezet",
    "gebouwd",
}


@dataclass(frozen=True, slots=True)
class TimeResult:
    """When a post's event is: `start` (Amsterdam time; midnight of the day when no clock time is
    said, None when nothing places it), whether the clock time is known, and whether the post
    announces it as still to come rather than reporting it."""

    start: datetime | None
    time_known: bool
    announced: bool


def _easter(year: int) -> date:
    # Anonymous Gregorian algorithm (Meeus/Jones/Butcher).
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month = (h + l_ - 7 * m + 114) // 31
    day = ((h + l_ - 7 * m + 114) % 31) + 1
    return date(year, month, day)


def _koningsdag(year: int) -> date:
    day = date(year, 4, 27)
    return day - timedelta(days=1) if day.weekday() == 6 else day


HOLIDAYS = {
    "koningsdag": _koningsdag,
    "koninginnedag": _koningsdag,
    "oudejaarsavond": lambda y: date(y, 12, 31),
    "oudejaarsdag": lambda y: date(y, 12, 31),
    "oudjaar": lambda y: date(y, 12, 31),
    # The night of oud en nieuw belongs to 1 January, like every night to the later day; a
    # clock time in the evening moves it back to the 31st (see resolve).
    "oud en nieuw": lambda y: date(y, 1, 1),
    "jaarwisseling": lambda y: date(y, 1, 1),
    "nieuwjaarsdag": lambda y: date(y, 1, 1),
    "nieuwjaarsnacht": lambda y: date(y, 1, 1),
    "oudejaarsnacht": lambda y: date(y, 1, 1),
    "bevrijdingsdag": lambda y: date(y, 5, 5),
    "dodenherdenking": lambda y: date(y, 5, 4),
    "kerstavond": lambda y: date(y, 12, 24),
    "eerste kerstdag": lambda y: date(y, 12, 25),
    "tweede kerstdag": lambda y: date(y, 12, 26),
    "pakjesavond": lambda y: date(y, 12, 5),
    "eerste paasdag": _easter,
    "pasen": _easter,
    "paaszondag": _easter,
    "tweede paasdag": lambda y: _easter(y) + timedelta(days=1),
    "paasmaandag": lambda y: _easter(y) + timedelta(days=1),
    "goede vrijdag": lambda y: _easter(y) - timedelta(days=2),
    "hemelvaartsdag": lambda y: _easter(y) + timedelta(days=39),
    "hemelvaart": lambda y: _easter(y) + timedelta(days=39),
    "eerste pinksterdag": lambda y: _easter(y) + timedelta(days=49),
    "pinksteren": lambda y: _easter(y) + timedelta(days=49),
    "tweede pinksterdag": lambda y: _easter(y) + timedelta(days=50),
}
_HOLIDAY_RE = re.compile(r"\b(" + "|".join(sorted(HOLIDAYS, key=len, reverse=True)) + r")\b")
_EVENING_HOLIDAYS = {"oudejaarsavond", "kerstavond", "pakjesavond"}
_NIGHT_HOLIDAYS = {"nieuwjaarsnacht", "oudejaarsnacht", "oud en nieuw", "jaarwisseling"}

# not a fraction ("1/4 mijl", "1/8 finale") or a share ("2/3 van de leden")
_DATE_NUMERIC = re.compile(
    r"(?<![\d:.])(\d{1,2})[/-](\d{1,2})(?:[/-](\d{2,4}))?(?![\d:])"
    r"(?!\s*(?:mijl|mile|km|kilometer|meter|liter|kilo|kg|deel|finale|van de|van het|van alle)\b)"
)
# "meet 23.01, 22:00": day.month, as social posts write a date — read as a date only where it
# cannot be the clock (`_dotted_dates`)
_DATE_DOTTED = re.compile(r"(?<![\d:.,€$])(\d{1,2})\.(\d{2})(?:\.(\d{2,4}))?(?![\d:,])")
_DOTTED_NOT_AFTER = re.compile(
    r"\s*(?:uur|u\b|h\b|hr\b|[-–]\s*\d|m\b|meter|km|cm|kg|kilo|euro|eur\b|%|procent|"
    r"miljoen|miljard|million|billion|k\b|seconden|sec\b|minuten|min\b)"
)
_DOTTED_NOT_BEFORE = re.compile(r"\b(?:om|rond|rondom|omstreeks|vanaf|van|tot|tussen|tegen|na|voor|en)\s+$")
_OTHER_CLOCK = re.compile(r"(?<![\d.])\d{1,2}:\d{2}(?!\d)|(?<![\d.])\d{1,2}(?:[.:]\d{2})?\s*(?:uur|u\b)")
_DATE_NAMED = re.compile(r"\b(\d{1,2})(?:e|ste|de)?\s+" + _MONTHNAME + r"(?:\s+(20\d\d)(?!\s*u))?\b")
# "in de nacht van zaterdag op zondag": the night belongs to the later day
_WEEKDAY_DOM = re.compile(r"\b" + _DAYNAME + r"\s+(?:de\s+)?(\d{1,2})(?:e|ste|de)\b")
_NIGHT_OF = re.compile(r"\bnacht van " + _DAYNAME + r" op " + _DAYNAME + r"\b")
_DAY_OF_MONTH = re.compile(r"\bde (\d{1,2})(?:e|ste|de)\b")
_WEEKDAY = re.compile(
    r"\b(?:(aanstaande|komende|volgende week|volgende|deze|afgelopen|vorige|sinds)\s+)?"
    + _DAYNAME
    + _PARTS
    + r"?\b(\s*(?:a\.?s\.?|jl\.?))?"
)
_RELATIVE = re.compile(
    r"\b(eergisteren|overmorgen|gisteren|gister|vandaag|vanochtend|vanmorgen|vanmiddag|"
    r"vanavond|vannacht|morgenochtend|morgenmiddag|morgenavond|morgennacht|gisteravond|"
    r"gistermiddag|gisternacht|gisterochtend|morgenvroeg|morgen)\b"
)
# Cheap substring tests before the scans above (most posts name no day at all).
_HOLIDAY_HEADS = tuple(sorted({name[:5] for name in HOLIDAYS}))
_RELATIVE_HEADS = ("gister", "morgen", "vandaag", "vanavond", "vanmiddag", "vanochtend", "vannacht")
_DAY_HEADS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
_DAY_ABBREV = re.compile(r"\b(?:ma|di|wo|do|vr|za|zo|zat)\b")
_IN_N = re.compile(r"\bover (\d+|" + "|".join(NUMBERS) + r") (dag|dagen|week|weken)\b")

_TIME_PATTERNS = [
    (re.compile(r"(?<![\d/])(\d{1,2})[:.]([0-5]\d)(?!\d)(?:\s*u(?:ur)?\b)?"), "hm"),  # hour checked below
    (re.compile(r"\b([01]?\d|2[0-3])u([0-5]\d)?\b"), "hm"),
    (re.compile(r"\b([01]\d|2[0-3])([0-5]\d)\s*u(?:ur)?\b"), "hm"),  # "1900 uur", "1100u"
    (re.compile(r"\bkwart over (\d{1,2}|" + "|".join(NUMBERS) + r")\b"), "q+"),
    (re.compile(r"\bkwart voor (\d{1,2}|" + "|".join(NUMBERS) + r")\b"), "q-"),
    (re.compile(r"\bhalf (\d{1,2}|" + "|".join(NUMBERS) + r")\b"), "half"),
    (
        re.compile(
            r"\b(?:om|vanaf|rond|tegen|start|begint|aanvang)\s+(\d{1,2}|"
            + "|".join(NUMBERS)
            + r")(?:\s*uur)?\b(?![:./-]\d)"
        ),
        "h",
    ),
    (re.compile(r"\b(\d{1,2}|" + "|".join(NUMBERS) + r") uur\b"), "h"),
    # four digits without a separator ("1430 verzamelen", "vanaf 1200"), only where the words
    # around make it a time and not a year
    (re.compile(r"\b(?:om|vanaf|rond|tegen|start|aanvang|tot)\s+([01]\d|2[0-3])([0-5]\d)\b(?!\s*uur)"), "hm"),
    (re.compile(r"\b([01]\d|2[0-3])([0-5]\d)\s+(?:verzamel|start|aanvang)"), "hm"),
    (re.compile(r"(?<=[,.:] )([01]\d|2[0-3])([0-5]\d)(?=[:,] )"), "hm"),
    (re.compile(r"\been uur of (\d{1,2})\b"), "h"),
    (re.compile(r"\bhalf(" + "|".join(NUMBERS) + r")\b"), "half"),  # "halfvier"
    # a bare quarter-hour "1430", "2100": last resort, not a year, count or amount
    (
        re.compile(
            r"(?<![\d/:.,€-])(?<!nr )(?<!natura )\b([01]\d|2[0-3])(00|15|30|45)\b(?![.,:/-]?\d)(?!-)"
            r"(?!\s*(?:euro|mensen|man\b|deelnemers|supporters|fans|km|meter|m\b|agenten|auto|scooters|"
            r"woningen|jaar|bezoekers|demonstranten|stuks|huizen|boeren|trekkers)\b)"
        ),
        "bare",
    ),
]
# Substrings each time pattern needs (None: no cheap test), in the order of _TIME_PATTERNS.
_TIME_GATES = [
    None,
    None,
    None,
    ("kwart over",),
    ("kwart voor",),
    ("half ",),
    None,
    ("uur",),
    None,
    ("verzamel", "start", "aanvang"),
    None,
    ("een uur of",),
    ("half",),
    None,
]
# Words that make a four-digit number a year rather than a time ("doelen voor 2030").
_YEARISH = re.compile(r"(jaar|doel\w*|in|tot|sinds|voor|na|eind|begin|per|van|anno|t/m|vanaf)\s+$")
# Without a part of the day, "half 10" at a meet is in the evening.
_MEET_WORDS = ("meet", "meeting", "toer", "rondje", "scooter", "brommer", "cruise")
# Without a digit, a clock time needs one of these words ("half 9", "om negen", "kwart voor").
_WORD_TIMES = ("half", "kwart", "uur", "om ", "vanaf", "rond", "tegen", "start", "begint", "aanvang")
# Times near these words are the event's start; times of a train or bus departure are not.
_START_NEAR = re.compile(
    r"(verzamel|start|aanvang|begint|beginnen|lopen|zitten we|staan we|staan wij|afspraak|samenkomst)"
)
# "de stoet vertrekt om 19.00 uur": the departure of a march is its start
_PROCESSION = re.compile(
    r"\b(stoet|optocht|\w*tocht|mars|karavaan|colonne|trekkers|demonstranten|betogers|actievoerders)\b"
)
_TRAVEL_NEAR = re.compile(r"(trein|bus |bussen|busje|vertrek|vertrekt|carpool|opstappen|instappen)")


def _num(token: str) -> int:
    return NUMBERS[token] if token in NUMBERS else int(token)


def _tense(words: set[str], perfect: bool = False) -> int:
    """Positive when the post speaks of the future, negative when of the past. `perfect`: also
    count participles beside an auxiliary (for one clause or sentence, not a whole post)."""
    return (
        len(words & FUTURE_CUES)
        - len(words & PAST_CUES)
        - _past_verb_forms(words - PAST_CUES - FUTURE_CUES)
        - (_perfect(words) if perfect else 0)
    )


def _perfect(words: set[str]) -> int:
    """Participles the lemma table does not know, with an auxiliary beside them."""
    if not words & _AUXILIARY:
        return 0
    # "zijn afgesloten" is as often a state to come as a past event; "heeft aangewezen" is past
    strong = bool(words & _PAST_AUXILIARY)
    have = len(words & _HAVE_PARTICIPLES) if words & _HAVE else 0
    return (
        have
        + len(words & _EVENT_PARTICIPLES)
        + sum(
            1
            for w in words
            if w not in _PLAN_PARTICIPLES
            and w not in PAST_CUES
            and len(w) >= 6
            and w not in _NOT_PARTICIPLES
            and (_PARTICIPLE.match(w) or strong and _STRONG_PARTICIPLE.match(w))
            and lemma(w) == w
        )
    )


# Strong verbs in the past with a separable particle, which the lemma table lacks as a whole
# ("waar een explosief afging", "toen de brand uitbrak", "de groep die samenkwam").
_SEPARABLE_PAST = re.compile(
    r"(?:af|op|uit|aan|in|los|neer|mee|door|om|over|weg|toe|terug|bij|samen|binnen|vast)"
    r"(?:ging|gingen|kwam|kwamen|brak|braken|liep|liepen|vloog|vlogen|schoot|schoten|stond|stonden|"
    r"vond|vonden|trok|trokken|reed|reden|viel|vielen|sloeg|sloegen|bleef|bleven|zag|zagen|nam|namen|"
    r"gaf|gaven|hield|hielden|riep|riepen|sprong|sprongen|dook|doken)"
)


def _past_verb_forms(words: set[str]) -> int:
    """Past-tense and participle forms the lemma table knows ("gooiden", "kwamen", "zette",
    "afgestoken"): news prose reports in them without any of the listed cue words."""
    count = 0
    for w in words:
        if len(w) < 5:
            continue
        if _SEPARABLE_PAST.fullmatch(w):
            count += 1
            continue
        base = lemma(w)
        if base == w or not base.endswith("en"):
            continue
        if w.endswith(("de", "te", "den", "ten")) or (w.endswith("en") and not w.endswith("nen")):
            count += 1
        elif w.endswith(("d", "t")) and _participle(w, base):  # "uitgedeeld", "gemaakt"
            count += 1
    return count


def _participle(word: str, base: str) -> bool:
    i = word.find("ge", 0, max(0, len(word) - 3))
    if i < 0:
        return False
    # the "ge" of the verb itself ("geeft", "gebeurt") makes no participle
    return not base.startswith(word[:i] + "ge") or word.startswith(word[:i] + "gege")


def _find_time(text: str, part_of_day: str | None, date_position: int = -1) -> tuple[time | None, int]:
    """The event's clock time: among all times in the text, one said with a start word
    ("om 19:15 verzamelen") wins over a departure time ("trein van 17:04") or a kick-off, one
    in the sentence of the date over one elsewhere; else the first. A part of the day said in
    the time's own clause ("om 10 uur begint het protest" after "vannacht") beats the post's."""
    if not any(map(str.isdigit, text)) and not any(w in text for w in _WORD_TIMES):
        return None, -1
    candidates: list[tuple[float, int, int, time]] = []  # (-score, position, pattern rank, time)
    taken: list[tuple[int, int]] = [m.span() for m in _dotted_dates(text)]  # dates, not clock times
    for rank, (pattern, kind) in enumerate(_TIME_PATTERNS):
        gate = _TIME_GATES[rank]
        if gate and not any(g in text for g in gate):
            continue  # a substring the pattern needs is absent: skip the scan
        for m in islice(pattern.finditer(text), MAX_DATES):  # (as for dates: a bounded number)
            span = m.span()
            if any(a <= span[0] < b or span[0] <= a < span[1] for a, b in taken):
                continue  # the same digits, already read by a more specific pattern
            if (
                kind == "bare"
                and m.group(1).startswith("20")
                and _YEARISH.search(text[max(0, m.start() - 12) : m.start()])
            ):
                continue
            if kind == "bare" and _COUNT_BEFORE.search(text, max(0, m.start() - 18), m.start()):
                continue  # "zo'n 2000 PEC-fans": a count, not 20:00
            if kind == "h" and m.group(1) == "een" and _ABOUT_HOUR_AFTER.match(text, m.end()):
                continue  # "om een uur of 2 vannacht": about two, read by its own pattern
            if (
                kind == "h"
                and m.group(1) in NUMBERS
                and not m.group(0).endswith("uur")
                and _NOUN_AFTER.match(text, m.end())
            ):
                continue  # "om een onderzoek", "tegen een azc": an article, not one o'clock
            if (
                kind == "h"
                and m.group(1) in NUMBERS
                and _DURATION_BEFORE.search(text, max(0, m.start() - 12), m.start())
            ):
                continue  # "blauw kwam pas na een uur", "binnen twee uur": a duration
            if (
                kind == "h"
                and m.group(1) in NUMBERS
                and not _CLOCK_PREPOSITION.search(text, max(0, m.start() - 10), m.start())
                and not _CLOCK_AFTER.match(text, m.end())
            ):
                continue  # "een uur lang", "twee uur naar de rellen gekeken": a duration, not a clock time
            clause = _clause(text, m.start())
            # "gaat om acht uur van start en moet tot de volgende ochtend duren": the morning is its end
            own_part = _part_of_day(_words(_UNTIL_PART.sub(" ", clause)))
            same_sentence = date_position < 0 or _sentence_span(text, m.start()) == _sentence_span(text, date_position)
            how = "hm" if kind == "bare" else kind
            clock = _clock(m, how, own_part or (part_of_day if same_sentence else None))
            if (
                clock is not None
                and own_part is None
                and how != "hm"
                and clock.hour < 5
                and part_of_day == "ochtend"
                and "ochtend" not in _sentence(text, m.start())
            ):
                # "vanaf 2 uur!! … exacte plek zondagochtend hier": a morning said elsewhere does
                # not make a spoken small hour a night-time one; "2 uur" is two in the afternoon.
                clock = _clock(m, how, None)
            if (
                clock is not None
                and own_part is None
                and not same_sentence
                and part_of_day in ("avond", "nacht", "ochtend")
            ):
                # "donderdagavond … Rond half tien werd vuurwerk afgestoken", "in de nacht van
                # zaterdag op zondag … rond half drie": a spoken hour elsewhere in the text is
                # of that evening or night (of the night only an early hour: "om negen uur
                # kwam de burgemeester" is the morning after).
                spoken_clock = _clock(m, how, part_of_day)
                # "morgenvroeg … Om 6 uur gaan de poorten dicht": of that morning
                if spoken_clock is not None and (
                    part_of_day == "avond"
                    or spoken_clock.hour < 8
                    and part_of_day == "nacht"
                    or part_of_day == "ochtend"
                    and 5 <= spoken_clock.hour < 12
                ):
                    clock = spoken_clock
            if clock is None:
                continue
            if _not_a_start(text, m.start(), m.end()):
                taken.append(span)  # a clock time, not the start: its digits are read ("16.00 uur" is not "00 uur")
                continue
            taken.append(span)
            before, after = text[max(0, m.start() - 14) : m.start()], text[m.end() : m.end() + 22]
            procession = _PROCESSION.search(clause)
            travel = (
                _TRAVEL_NEAR.search(before) or _TRAVEL_NEAR.search(_clause_before(text, m.start()))
            ) and not procession
            score: float = (
                2 if _START_NEAR.search(before + " " + after) or (procession and "vertrek" in clause) else 0
            ) - (2 if travel else 0)
            if _KICKOFF.search(clause):
                score = min(score, 0) - 1  # "de wedstrijd begint om 14.30 uur": the match, not the gathering
            if date_position >= 0 and _sentence_span(text, m.start()) == _sentence_span(text, date_position):
                score += 1.5
            candidates.append((-score, m.start(), rank, clock))
    if not candidates:
        return None, -1
    candidates.sort(key=lambda c: (c[0], c[1], c[2]))
    return candidates[0][3], candidates[0][1]


_COUNT_BEFORE = re.compile(r"(zo'n|ruim|ongeveer|circa|bijna|zeker|meer dan|minstens|naar schatting)\s+$")
_ABOUT_HOUR_AFTER = re.compile(r"(?:\s*uur)?\s+of\s+\d")
_CLOCK_PREPOSITION = re.compile(
    r"\b(om|rond|rondom|omstreeks|tegen|vanaf|van|tot|tussen|en|voor|start|begint|aanvang)\s+$"
)
_CLOCK_AFTER = re.compile(
    r"\s*(?:$|[,.!?;:\n]|'s\b|s\b|savonds|smiddags|sochtends|snachts|bij\b|op\b|aan\b|in\b|verzamel|"
    r"vanavond|vanmiddag|vanochtend|vannacht|bij\b|precies|stipt)"
)
_DURATION_BEFORE = re.compile(
    r"\b(na|binnen|ruim|bijna|pas na|zo'n|ongeveer|dan|een|al|nog|meer dan|minder dan|langer dan)\s+$"
)
# After a number word, a word that makes it an article or a count ("een onderzoek").
_NOUN_AFTER = re.compile(
    r"\s+(?!uur\b|u\b|s\b|'s\b|savonds|smiddags|sochtends|snachts|verzamelen|en\b|bij\b|op\b|aan\b|in\b|bij\b|vanaf\b|tot\b)[a-z]"
)
# The time a report was made ("rond 14.45 uur meldde de gemeente") or a match kicked off in a
# report ("de wedstrijd, die om 14.30 uur begon") is not the start of what happened.
_REPORTING = re.compile(
    r"\b(meldde|meldden|liet \w* ?weten|lieten \w* ?weten|zei|bevestigde|persbericht|twitterde|"
    r"schreef|aldus)\b"
)
# Residents and witnesses who report a bang report the time it happened; an authority that
# reports ("meldde de gemeente") gives the time of its message.
_WITNESSES = re.compile(r"\b(buurtbewoners|bewoners|omwonenden|getuigen|buren|voorbijgangers|melder|beveiliger)\b")
_KICKOFF = re.compile(
    r"\b(wedstrijd|duel|aftrap|afgetrapt|kick-off|affluiten|derby|competitieduel|thuiswedstrijd|klassieker|topper|"
    r"topduel|bekerduel|bekerfinale|finale)\b"
)


# A measure's hours ("de binnenstad wordt van 12.00 tot 02.00 uur aangewezen als
# veiligheidsrisicogebied", "om 21.40 uur kondigde de burgemeester een noodbevel af") are not
# the event's start.
_MEASURE = re.compile(
    r"veiligheidsrisicogebied|noodverordening|noodbevel|samenscholingsverbod|gebiedsverbod|"
    r"cameratoezicht|preventief fouilleren|alcoholverbod|\bgeldt\b|\bgelden\b|"
    # "vanaf 17.00 uur is parkeren op de Nieuwe Steen niet toegestaan"
    r"\bniet toegestaan\b"
)


def _not_a_start(text: str, start: int, end: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    live_stamp = _LIVE_STAMP_BEFORE.fullmatch(text, line_start, start) or (
        line_start > 0 and text.startswith("live") and not text[line_start:start].strip()
    )
    if live_stamp and _LIVE_STAMP_AFTER.match(text, end):
        return True  # "LIVE | 08.00 uur: vissers varen vanmiddag om 14.00 uur …": the update's time
    if not text[line_start:start].strip() and _LIVEBLOG_LINE.match(text, end):
        return True  # "19.42 uur: Na afloop gooien supporters flessen": a liveblog line's own time
    if _DEADLINE_BEFORE.search(text, max(0, start - 30), start):
        return True  # "insprekers kunnen zich tot woensdag 12.00 uur melden": a deadline
    if _DEADLINE_AFTER.match(text, end):
        return True  # "het bestuur wil dat het gebouw om 22.00 uur leeg is": a deadline, not a start
    if _OVER_AFTER.match(text, end):
        return True  # "rond 00.45 uur was het terrein leeg": when it was over
    clause = _clause(text, start)
    if _REPORTING.search(clause) and not _WITNESSES.search(clause):
        return True
    if _MEASURE.search(clause):
        return True
    if _REVEAL.search(text, max(0, start - 60), start) and _REVEAL.search(clause):
        return True  # "exacte spot komt zaterdag om 21:00 in deze groep": when the place is told
    if _REVEAL_AFTER.match(text, end):
        return True  # "location drop at 21:30 in this channel", "pin om 21:00 hier in de groep"
    sentence = _sentence(text, start)
    if _KICKOFF.search(sentence) and _LIVEBLOG_POST.match(text):
        return True  # "15.32 uur - Vierhonderd supporters lopen … De wedstrijd begint om 16.45 uur"
    if _KICKOFF.search(sentence) and not _START_NEAR.search(clause):
        words = _words(sentence)
        return _tense(words) < 0 or "begon" in words or "floot" in words
    return False


# A post that is one liveblog line ("15.32 uur - …", "LIVE | 08.00 uur: …"): what goes on now
_LIVEBLOG_POST = re.compile(r"\s*(?:live(?:blog)?\s*[|:\-–]?\s*)?\d{1,2}[:.]\d{2}\s*(?:uur)?\s*[:\-–|]\s")
_DEADLINE_BEFORE = re.compile(
    rf"\b(?:tot|uiterlijk|tot uiterlijk)\s+(?:(?:{'|'.join(DAY_NAMES)}|morgen|vandaag|vanavond)\s+)?(?:om\s+)?$"
)
_DEADLINE_AFTER = re.compile(
    r"\s*(?:uur\s*)?(?:(?:leeg|ontruimd)\b|(?:moet|moeten)\s+(?:\w+\s+)?(?:leeg|ontruimd|weg)\b"
    # "de bezetting wordt na 22.00 uur niet langer gedoogd": when it must end
    r"|niet (?:langer|meer) (?:wordt )?(?:gedoogd|toegestaan|welkom)\b)"
)
_OVER_AFTER = re.compile(
    r"\s*(?:uur\s*)?(?:was|waren|werd|keerde)\b[^,.;!?\n]{0,40}?"
    r"\b(?:leeg|ontruimd|rustig|terug|teruggekeerd|voorbij|afgelopen)\b"
)
# "19.42 uur:", "13.05 uur – " (not the range "14.00 - 16.00")
_LIVEBLOG_LINE = re.compile(r"\s*(?:uur)?\s*:(?!\d)|\s*(?:uur)?\s*[–-]\s+(?!\d)")
# The time a meet's location is told, not its start.
_REVEAL = re.compile(
    r"\b(?:locatie|spot|pin|adres|location)\w*\b.{0,40}\b(?:komt|volgt|bekend|gedeeld|drop)\b"
    r"|\b(?:location|locatie|pin)\s*drop\b"
)
_REVEAL_AFTER = re.compile(
    r"\s*(?:uur\s*)?(?:in|hier in)\s+(?:de|deze|dit|this|the)\s+(?:groep|kanaal|channel|group|app)\b"
)
_LIVE_STAMP_BEFORE = re.compile(r"\s*(?:live(?:blog)?|update)\s*[|:\-–]?\s*")
_LIVE_STAMP_AFTER = re.compile(r"\s*(?:uur)?\s*[:|\-–]")


def _clock(m: re.Match, kind: str, part_of_day: str | None) -> time | None:
    if kind == "hm":
        hour, minute = int(m.group(1)), int(m.group(2) or 0)
    else:
        n = _num(m.group(1))
        if n > 24:
            return None
        hour, minute = {"q+": (n, 15), "q-": (n - 1, 45), "half": (n - 1, 30), "h": (n, 0)}[kind]
        hour %= 24
        if hour == 0 and kind == "half" and part_of_day != "nacht":
            hour = 12  # "half 1" is half past twelve, at noon unless said of the night
        # Spoken Dutch uses a 12-hour clock: "vanavond om 9" is 21:00; events at 3 or
        # 6 o'clock are afternoon events unless the post says morning.
        if part_of_day == "avond" and 1 <= hour < 12:
            hour += 12
        elif part_of_day == "middag" and 1 <= hour <= 7:
            hour += 12
        elif part_of_day == "nacht" and 8 <= hour < 12:
            hour += 12
        elif part_of_day == "nacht" and hour == 12:
            hour = 0  # "na 12 uur" in the night is midnight
        elif part_of_day is None and 1 <= hour <= 7:
            hour += 12
    if 0 <= hour < 24:
        return time(hour, minute)
    return None


def _next_weekday(today: date, weekday: int, include_today: bool) -> date:
    delta = (weekday - today.weekday()) % 7
    if delta == 0 and not include_today:
        delta = 7
    return today + timedelta(days=delta)


def _prev_weekday(today: date, weekday: int) -> date:
    delta = (today.weekday() - weekday) % 7 or 7
    return today - timedelta(days=delta)


# (priority, position, day, part of the day): the lower the priority, the more specific the
# expression ("12 maart" 0, a holiday 1, "morgen" 2, a weekday 3, "de 14e" alone 4)
_Found = tuple[int, int, date, str | None]


@dataclass(frozen=True, slots=True)
class _DateQuery:
    """What every date extractor reads: the folded text, the post's day and tense, and whether
    the text has a digit at all (a cheap guard: most patterns need one)."""

    text: str
    today: date
    tense: int
    digits: bool


def _holiday_dates(q: _DateQuery) -> Iterator[_Found]:
    """ "Koningsdag", "oud en nieuw": the nearest one in the direction the post speaks of."""
    if not any(h in q.text for h in _HOLIDAY_HEADS):
        return
    today, tense = q.today, q.tense
    for m in _HOLIDAY_RE.finditer(q.text):
        if _SINCE_HOLIDAY.search(q.text, max(0, m.start() - 12), m.start()):
            continue  # "het derde incident sinds de jaarwisseling": a count since, not the day
        if _NOT_YET.search(q.text, max(0, m.start() - 20), m.start()):
            continue  # "en het is nog niet eens oud en nieuw": a comparison, not the day
        if _LIKE_BEFORE.search(q.text, max(0, m.start() - 25), m.start()):
            continue  # "een avond als oud en nieuw", "erger dan met oud en nieuw": likewise
        name = m.group(1)
        day = HOLIDAYS[name](today.year)
        if day < today - timedelta(days=3) and tense >= 0:
            day = HOLIDAYS[name](today.year + 1)
        elif day > today + timedelta(days=45) and tense < 0:
            day = HOLIDAYS[name](today.year - 1)  # a holiday weeks ahead is still ahead
        part = "avond" if name in _EVENING_HOLIDAYS else "nacht+" if name in _NIGHT_HOLIDAYS else None
        yield (1, m.start(), day, part)


def _named_month_dates(q: _DateQuery) -> Iterator[_Found]:
    """ "12 maart", "3e oktober 2026"."""
    if not q.digits:
        return
    for m in _DATE_NAMED.finditer(q.text):
        if _superseded(q.text, m.start()):
            continue
        year = int(m.group(3)) if m.group(3) else None
        day = _safe_date(year, MONTHS[m.group(2)], int(m.group(1)), q.today, q.tense)
        if day:
            yield (0, m.start(), day, None)


def _numeric_dates(q: _DateQuery) -> Iterator[_Found]:
    """ "13/12", "13-12-2026" (not a match score), and "23.01" where it cannot be a clock time."""
    if not q.digits:
        return
    numeric = [m for m in _DATE_NUMERIC.finditer(q.text) if not _is_score(q.text, m)] + _dotted_dates(q.text)
    for m in numeric:
        year = m.group(3)
        if year and len(year) == 2:
            year = "20" + year
        day = _safe_date(int(year) if year else None, int(m.group(2)), int(m.group(1)), q.today, q.tense)
        if day:
            yield (0, m.start(), day, None)


def _relative_offset(word: str) -> int:
    """Days from the post's day: "eergisteren" -2, "gisteravond" -1, "morgenochtend" 1, "vanavond" 0."""
    if word == "eergisteren":
        return -2
    if word == "overmorgen":
        return 2
    if word.startswith("gister"):
        return -1
    if word.startswith("morgen"):
        return 1
    return 0


def _relative_days(q: _DateQuery) -> Iterator[_Found]:
    """ "morgen", "overmorgen", "vandaag", "gisteravond", "vanmorgen": a day counted from the post."""
    if not any(r in q.text for r in _RELATIVE_HEADS):
        return
    for m in _RELATIVE.finditer(q.text):
        word = m.group(1)
        part = next((p for p in ("ochtend", "middag", "avond", "nacht") if word.endswith(p)), None)
        if word in ("vanmorgen", "morgenvroeg"):
            part = "ochtend"
        yield (2, m.start(), q.today + timedelta(days=_relative_offset(word)), part)


def _weekdays(q: _DateQuery) -> Iterator[_Found]:
    """ "zaterdag", "aanstaande vrijdagavond", "zo a.s.", "afgelopen dinsdag": the next such day,
    or the last one when a modifier or the sentence's tense says it is behind us."""
    text, today = q.text, q.today
    if not (any(d in text for d in _DAY_HEADS) or _DAY_ABBREV.search(text)):
        return
    for m in _WEEKDAY.finditer(text):
        modifier, name, part, suffix = m.group(1), m.group(2), m.group(3), (m.group(4) or "").strip()
        if _superseded(text, m.start()):
            continue
        if not modifier and _INDEFINITE_DAY.search(text, max(0, m.start() - 5), m.start()):
            continue  # "niet voor de lol op een zondagochtend in het bos": any Sunday, no date
        weekday = WEEKDAYS[name]
        if len(name) <= 3 and not (part or modifier or suffix or _looks_like_day_abbrev(text, m.end(2))):
            continue  # "do", "ma", "zo" are also words; only as a day with a date or time after
        if modifier == "volgende week":
            monday = today + timedelta(days=7 - today.weekday())
            day = monday + timedelta(days=weekday)
        elif modifier == "sinds" and weekday == today.weekday():
            day = today  # "bezet sinds dinsdagochtend" on a Tuesday: since this morning
        elif modifier in ("afgelopen", "vorige", "sinds") or suffix.startswith("jl"):
            day = _prev_weekday(today, weekday)
        elif modifier in ("aanstaande", "komende", "volgende") or suffix.startswith("a"):
            day = _next_weekday(today, weekday, include_today=False)
        elif _FOR_DAY.search(text, max(0, m.start() - 6), m.start()) and not _PAST_PERFECT.search(
            _sentence(text, m.start())
        ):
            # "hebben voor zondag opnieuw afgesproken", "een noodbevel voor zaterdagavond": the
            # day something is arranged for lies ahead, whatever the tense of the arranging
            day = _next_weekday(today, weekday, include_today=True)
        elif _present_verb_after(text, m.start(), m.end()):
            # "Donderdag speelt FC Utrecht thuis. De burgemeester heeft de wedstrijd aangemerkt
            # als risicowedstrijd": the sentence's own verb says it is to come, whatever the next
            # sentence's tense
            day = _next_weekday(today, weekday, include_today=True)
        elif _sentence_tense(text, m.start(), q.tense) < 0 or _past_verb_after(text, m.start(), m.end()):
            day = today if weekday == today.weekday() else _prev_weekday(today, weekday)
        else:
            day = _next_weekday(today, weekday, include_today=True)
        yield (3, m.start(), day, "ochtend" if part == "morgen" else "nacht-" if part == "nacht" else part)


_INDEFINITE_DAY = re.compile(r"\been\s+$")


def _past_verb_after(text: str, start: int, end: int) -> bool:
    """ "Zondagmiddag kwamen zo'n zestig rijders af op een oproep": the verb right after a weekday
    that opens the sentence is its finite verb (Dutch puts it second), and its tense is the
    event's, whatever cue nouns ("oproep") the rest of the sentence holds."""
    before = text[max(0, start - 80) : start].rstrip(" \t")  # (not the whole prefix: a post may hold thousands of days)
    if before and before[-1] not in ".!?\n":
        return False
    following = re.match(r"\s*(\w+)", text[end:])
    if following is None:
        return False
    verb = following.group(1)
    return verb in PAST_CUES or _past_verb_forms({verb}) > 0


# Finite verbs in the present that the lemma table does not reduce ("speelt", "is"), and those of
# gathering and deciding that news puts after a day ("Donderdagavond vergadert de raad").
_PRESENT_FINITE = frozenset(
    "is gaat gaan komt komen staat staan speelt spelen loopt lopen houdt houden wil willen moet moeten "
    "mag mogen kan kunnen wordt worden zal zullen begint beginnen vertrekt vertrekken rijdt rijden "
    "trekt trekken vergadert vergaderen beslist beslissen praat praten debatteert debatteren "
    "demonstreert demonstreren protesteert protesteren verzamelt verzamelen opent openen".split()
)


_NON_SPACE = re.compile(r"\S")


def _present_verb_after(text: str, start: int, end: int) -> bool:
    """ "Donderdagavond bespreekt de gemeenteraad …", "Zaterdag lopen we weer": a weekday that opens
    a sentence, not the headline, with a verb in the present right after it (Dutch puts the
    finite verb second) and nothing past in its clause: still to come."""
    before = text[max(0, start - 80) : start].rstrip(" \t")
    if before and before[-1] not in ".!?\n":
        return False
    newline = text.find("\n")
    if newline >= end and _NON_SPACE.search(text, newline):
        return False  # a headline tells of the past in the present ("Zaterdag botsen fans in centrum")
    following = re.match(r"\s*(\w+)", text[end:])
    if following is None:
        return False
    verb = following.group(1)
    base = lemma(verb)
    finite = verb in _PRESENT_FINITE or (
        verb.endswith("t") and base != verb and base.endswith("en") and not _past_verb_forms({verb})
    )
    return finite and _tense(_words(_clause(text, start)), perfect=True) >= 0


def _nights_of(q: _DateQuery) -> Iterator[_Found]:
    """ "in de nacht van zaterdag op zondag": the night belongs to the later day, most often
    the night just behind the post."""
    text, today = q.text, q.today
    if "nacht van" not in text:
        return
    for m in _NIGHT_OF.finditer(text):
        later = WEEKDAYS[m.group(2)]
        ahead = re.search(r"(aanstaande|komende|volgende)\s+$", text[max(0, m.start() - 25) : m.start()])
        if ahead or (q.tense > 1 and not _past_night(text)):
            day = _next_weekday(today, later, include_today=False)
        else:
            day = today if later == today.weekday() else _prev_weekday(today, later)
        yield (1, m.start(), day, "nacht")


def _weekday_with_day_of_month(q: _DateQuery) -> Iterator[_Found]:
    """ "zaterdag de 14e": that day of this month, or of the next when it has passed."""
    if not q.digits:
        return
    today, tense = q.today, q.tense
    for m in _WEEKDAY_DOM.finditer(q.text):
        candidate = _safe_date(None, today.month, int(m.group(2)), today, tense)
        if candidate and candidate < today - timedelta(days=3) and tense >= 0:
            month = today.month % 12 + 1
            candidate = _safe_date(today.year + (month == 1), month, int(m.group(2)), today, tense)
        if candidate:
            yield (0, m.start(), candidate, None)


def _days_ahead(q: _DateQuery) -> Iterator[_Found]:
    """ "over drie dagen", "over 2 weken"."""
    if "over " not in q.text:
        return
    for m in _IN_N.finditer(q.text):
        n = _num(m.group(1))
        days = n * 7 if m.group(2).startswith("we") else n
        if days > MAX_AHEAD_DAYS:
            continue  # "over 420000 weken": no event's start (and past what dates can hold)
        yield (2, m.start(), q.today + timedelta(days=days), None)


def _bare_day_of_month(q: _DateQuery) -> Iterator[_Found]:
    """ "de 14e" alone, the first one: this month's, or next month's when it has passed. Weak
    evidence, read only when no other expression names a day."""
    m = _DAY_OF_MONTH.search(q.text) if q.digits else None
    if not m:
        return
    today = q.today
    day = _safe_date(None, today.month, int(m.group(1)), today, q.tense)
    if day and day < today and q.tense >= 0:
        month = today.month % 12 + 1
        day = _safe_date(today.year + (month == 1), month, int(m.group(1)), today, q.tense)
    if day:
        yield (4, m.start(), day, None)


# The date extractors, run in this order: among expressions of equal priority at the same
# position the earlier extractor's wins (the sort in _most_specific is stable).
_DATE_EXTRACTORS: tuple[Callable[[_DateQuery], Iterable[_Found]], ...] = (
    _holiday_dates,
    _named_month_dates,
    _numeric_dates,
    _relative_days,
    _weekdays,
    _nights_of,
    _weekday_with_day_of_month,
    _days_ahead,
)


def _find_date(text: str, today: date, tense: int) -> tuple[date | None, str | None, int]:
    """The date an expression names, its part of the day, and the position it was found at."""
    q = _DateQuery(text, today, tense, any(map(str.isdigit, text)))
    # (each kind of expression read at most MAX_DATES times: no real post names more, and a
    # hostile one of thousands of dates must cost what a real one does)
    found = [f for extract in _DATE_EXTRACTORS for f in islice(extract(q), MAX_DATES)]
    if not found:
        found = list(islice(_bare_day_of_month(q), MAX_DATES))
    # "de noodverordening geldt tot zondag": the end of a measure is no event's start
    found = [f for f in found if not _UNTIL.search(text, max(0, f[1] - 16), f[1])]
    if not found:
        return None, None, -1
    kept = [f for f in found if not _feared_or_measured(text, f)]
    if kept:
        found = kept
    return _most_specific(found, text, today)


_DAY_CLOCK_GAP = re.compile(r"[\s,]*(?:om|vanaf|rond|tegen)?\s*$")


def _day_just_before(text: str, clock_position: int, today: date, tense: int) -> tuple[date, str | None, int] | None:
    """The weekday written right before a clock time ("zaterdag 12:00", "zondag om 14.00"), read
    as `_weekdays` reads it: (its date, part of the day, position), or None."""
    window = text[max(0, clock_position - 40) : clock_position]
    offset = clock_position - len(window)
    q = _DateQuery(text, today, tense, True)
    for found in islice(_weekdays(q), MAX_DATES):
        at = found[1]
        if offset <= at < clock_position:
            m = _WEEKDAY.match(text, at)
            if m is not None and _DAY_CLOCK_GAP.fullmatch(text, m.end(), clock_position):
                return found[2], found[3], at
    return None


def _feared_or_measured(text: str, found: _Found) -> bool:
    start = _span(_SENTENCE_END, text, found[1])[0]
    before = text[start : found[1]]
    if _FEARED.search(before):
        return True
    if _MEASURE_DECLARED.search(_clause(text, found[1])) and not _FOR_DAY.search(text, max(0, found[1] - 6), found[1]):
        return True
    return found[0] == 1 and bool(_MEASURE_FOR.search(_sentence(text, found[1])))


def _most_specific(found: list[_Found], text: str, today: date) -> tuple[date, str | None, int]:
    """The most specific expression wins: an explicit date beats a holiday, "morgen" and a
    weekday; among equals the first one in the text. Its part of the day, if it has none of
    its own, may come from another expression of the same day ("14 maart, zaterdagavond")."""
    found = sorted(found, key=lambda f: (f[0], f[1]))
    if found[0][2] <= today:
        # A report with one clause announcing what comes next ("Vorige week liep de betoging
        # uit de hand. Zaterdag volgt een nieuwe mars"): the announced event is the start.
        ahead = [
            f
            for f in found[1:]
            if (f[2] > today or (f[2] == today and f[3] in ("middag", "avond") and f[0] == 2))
            and _announcing(text, f[1])
            and not _MEDIA.search(_clause(text, f[1]))
        ]
        if ahead:
            found = ahead
    _, pos, day, part = found[0]
    part = part or next((p for _, _, d, p in found if d == day and p), None)
    return day, part, pos


# "video's komen vanavond online": what comes next is the footage, not another event
_MEDIA = re.compile(r"\b(?:video'?s?|filmpjes?|beelden|foto'?s|online|livestream|stream|compilatie|aflevering)\b")
_UNTIL_PART = re.compile(
    r"\btot (?:in )?(?:de |het )?(?:volgende |vroege |late )?\w*(?:ochtend|morgen|middag|avond|nacht)\b"
)
# A date in a clause of fear ("de gemeente vreest dat het vanavond opnieuw onrustig wordt") is
# no event; a holiday in a clause of a measure or decision ("een noodbevel voor oudejaarsavond",
# "het besluit om het vreugdevuur op oudejaarsavond te verbieden") is what the measure is for.
_FEARED = re.compile(r"\b(vreest|vrezen|vreesde|vreesden|bang dat|bang voor|angst dat|angst voor|zorgen dat)\b")
_MEASURE_FOR = re.compile(
    r"\b(noodbevel|noodverordening|verbod|verbieden|verboden|verbiedt|maatregel|maatregelen|overweegt|besluit)\b"
)
_FOR_DAY = re.compile(r"\bvoor\s+$")
_PAST_PERFECT = re.compile(r"\b(had|hadden|was|waren)\b")
# A date in the clause where a measure is declared ("heeft donderdagochtend een noodverordening
# afgekondigd") is when it was declared, not the event's start ("voor zaterdagavond" is).
_MEASURE_DECLARED = re.compile(
    rf"(?:{_MEASURE.pattern}).*\b(afgekondigd|afgegeven|ingesteld|uitgevaardigd|ingetrokken|verlengd)\b"
)
_LIKE_BEFORE = re.compile(r"\b(?:als|zoals|dan)\s+(?:met\s+|bij\s+|tijdens\s+|op\s+)?(?:de\s+|een\s+)?$")
# "De tocht stond eerst voor zaterdag gepland, maar werd een dag opgeschoven": a plan that was
# replaced names no start.
_SUPERSEDED_BEFORE = re.compile(r"\b(?:eerst|aanvankelijk|oorspronkelijk|in eerste instantie)\s+(?:\w+\s+){0,2}$")
_FORMER_PLAN = re.compile(r"\b(?:stond|stonden|was|waren|zou|zouden)\b")


def _superseded(text: str, start: int) -> bool:
    return bool(_SUPERSEDED_BEFORE.search(text, max(0, start - 40), start)) and bool(
        _FORMER_PLAN.search(_clause(text, start))
    )


_SINCE_HOLIDAY = re.compile(r"\bsinds\s+(?:de\s+|het\s+)?$")
_NOT_YET = re.compile(r"\bnog (?:niet|geen)(?: eens)?\s+$")
_UNTIL = re.compile(
    r"\b(tot|t/m|tot en met|uiterlijk|tot uiterlijk|tot zeker|verlengd tot)\s+(?:en met\s+)?(?:(?:de|het|na)\s+)?$"
)
_EARLIER_TIME = re.compile(
    r"\b(vorige (keer|week|maand|editie|meet)|vorig jaar|afgelopen keer|de laatste keer|eerder dit jaar)\b"
)
_SENTENCE_END = re.compile(r"[!?\n]|\.(?!\d)")  # not the dot of "22.40"
_CLOCKISH = re.compile(r"\d{1,2}[:.]\d{2}|\b\d{1,2}u\b|\buur\b|\bhalf \w|\b[012]\d[0-5]\du?\b")


# (without a comma before it too, after a noun: "de groep inwoners die vorige week handtekeningen
# aanbood, houdt …"; not "Die moet donderdag beginnen," at the start of a sentence)
_RELATIVE_CLAUSE = re.compile(
    r",\s*(?:die|dat|wat|waar|waarbij|nadat|toen)\b(?:[^,.;!?\n]|\.(?=\d))*,|"
    r"(?<=\w )(?:die|waar|nadat)\b(?:[^,.;!?\n]|\.(?=\d))*,"
)
# ... and one that ends the sentence, when it speaks of an earlier time ("Zaterdag lopen we een
# stille tocht voor Kees, die vorige maand bij de haven in elkaar is geslagen")
_TRAILING_RELATIVE = re.compile(r",\s*(?:die|dat|wat|waar|waarbij|nadat|toen)\b(?:[^,.;!?\n]|\.(?=\d))*$")
_CLAUSE_END = re.compile(r"[,;!?\n()]|:(?!\d)|(?<!\d):|\.(?!\d)| - | – ")  # (not the colon of "22:00")


MAX_DATES = 40
_SPAN_LOOKBACK = (200, 2000)  # no clause or sentence of real text is longer than the last


def _span(boundary: re.Pattern, text: str, position: int) -> tuple[int, int]:
    """Start and end of the clause or sentence (by `boundary`) around `position`. Looks back a
    bounded way, so a hostile post of thousands of dates costs linear time, not quadratic."""
    start = None
    for lookback in _SPAN_LOOKBACK:
        lo = max(0, position - lookback)
        for m in boundary.finditer(text, lo, position):
            start = m.end()
        if start is not None or lo == 0:
            break
    if start is None:
        start = max(0, position - _SPAN_LOOKBACK[-1])
    limit = position + _SPAN_LOOKBACK[-1]
    end = boundary.search(text, position, limit)
    return start, end.start() if end else min(len(text), limit)


def _clause(text: str, position: int) -> str:
    start, end = _span(_CLAUSE_END, text, position)
    return text[start:end]


# "het beoogde windpark", "de verwachte deelnemers": an inflected participle after an article
# is an adjective, no verb in the past.
_ATTRIBUTIVE = re.compile(r"\b(de|het|een|deze|die|dit)\s+\w+(?:de|te)\b(?=\s+\w)")


# "de oproep om maandagavond naar het gemeentehuis te komen": an infinitive has no tense of its own
_INFINITIVE = re.compile(r"\bte (?:komen|gaan|zullen|worden)\b")


_INFINITIVE_END = re.compile(r"\bte \w+\s*$")
_OM = re.compile(r"\bom\b")


def _words(text: str) -> set[str]:
    if "de " in text or "te " in text:
        text = _ATTRIBUTIVE.sub(r"\1", text)
        text = _INFINITIVE.sub("te", text)
    words = set(re.findall(r"\w+", text))
    if "achter de rug" in text:
        words.add("afgelopen")  # "heeft een onrustige vrijdagnacht achter de rug": behind us
    return words


def _since(text: str, position: int) -> bool:
    """ "sinds vanochtend", "sinds maandagavond": going on since, not to come."""
    return text[max(0, position - 6) : position].strip() == "sinds"


_ANNOUNCING = re.compile(
    r"\b(wil|willen|gaat|gaan|zal|zullen|volgt|plan|plannen|gepland|kondig\w*|aangekondigd|roept|roepen|"
    r"opgeroepen|komt|komen|iedereen|allemaal|verzamel\w*|organiseert|organiseren|houdt|houden|staat|staan|opnieuw|begint|start)\b"
)


def _announcing(text: str, position: int) -> bool:
    clause = _clause(text, position)
    if _ANNOUNCING.search(clause):
        return _tense(_words(clause), perfect=True) >= 0
    return bool(_ANNOUNCING.search(_sentence(text, position))) and _sentence_tense(text, position, 0) >= 0


_MATCH_WORDS = re.compile(
    r"\b(wedstrijd|duel|derby|eindigde|eindstand|stand|gelijkspel|won|verloor|winst|verlies|"
    r"uitslag|doelpunt|goal|gelijk|score|competitie|beker|thuisploeg|uitploeg)\b"
)


def _is_score(text: str, m: re.Match) -> bool:
    """ "eindigde in 1-3", "2-2 na verlenging": a match score, not the first of March."""
    if m.group(3) or "/" in m.group(0) or len(m.group(1)) > 1 or len(m.group(2)) > 1:
        return False
    return bool(
        _MATCH_WORDS.search(_sentence(text, m.start()))
        or re.search(r"\b(in|met|werd het)\s+$", text[max(0, m.start() - 10) : m.start()])
    )


def _clause_before(text: str, position: int) -> str:
    """The clause of `position` up to it ("de bus van Heracles vertrekt morgen om")."""
    return text[_span(_CLAUSE_END, text, position)[0] : position]


def _sentence_span(text: str, position: int) -> tuple[int, int]:
    return _span(_SENTENCE_END, text, position)


def _sentence(text: str, position: int) -> str:
    start, end = _span(_SENTENCE_END, text, position)
    return text[start:end]


def _sentence_tense(text: str, position: int, default: int) -> int:
    """The tense of the clause around `position`, else of its sentence, when it has cues of its
    own ("De actiegroep, die vorige maand de A12 blokkeerde, wil zaterdag opnieuw de weg op"); a
    sentence that gives a clock time and no tense is a plan ("Zaterdag weer actie, vanaf 14.00")."""
    if _in_past_relative(text, position):
        return -1
    own_clause = _clause(text, position)
    # ("de oproep om maandagavond naar het gemeentehuis te komen, liep uit op …": an infinitive
    # clause takes the tense of the clause it belongs to)
    infinitive = _INFINITIVE_END.search(own_clause) and _OM.search(own_clause)
    clause = 0 if infinitive else _tense(_words(own_clause), perfect=True)
    if clause:
        return clause
    start, end = _span(_SENTENCE_END, text, position)
    own = _own_tense(_without_other_times(text, start, end, position))
    if own:
        return own
    # A sentence without tense ("Bewoners houden zaterdag een stille tocht") takes it from the
    # sentences beside it ("De stoet vertrekt om 19.00 uur"), before the post as a whole.
    # (the neighbours within a bounded window: a hostile post of thousands of sentences must not
    # make every date read the whole text)
    window = _SPAN_LOOKBACK[-1]
    following = _own_tense(text[end + 1 : end + 1 + window], first=True, neighbour=True)
    if following:
        return following
    preceding = _own_tense(text[max(0, start - window) : start], last=True, neighbour=True)
    return preceding or default


# Another time in the sentence said to be behind us ("naar aanleiding van de steekpartij van
# afgelopen zaterdag"): its "afgelopen" dates that time, not the one asked about.
_OTHER_PAST_TIME = re.compile(r"\b(?:afgelopen|vorige|vorig)\s+\w+|\bgisteren\w*")


def _without_other_times(text: str, start: int, end: int, position: int) -> str:
    """The sentence text[start:end] with the past times other than the one at `position` blanked."""
    sentence = text[start:end]
    if "afgelopen" not in sentence and "vorig" not in sentence and "gisteren" not in sentence:
        return sentence
    return _OTHER_PAST_TIME.sub(
        lambda m: m.group(0) if start + m.start() <= position < start + m.end() else " ", sentence
    )


_RELATIVE_START = re.compile(r"\b(?:waar|die|dat|toen|nadat|waarbij)\b")


def _in_past_relative(text: str, position: int) -> bool:
    """ "de woning waar dinsdagnacht een explosief afging voor drie maanden sluiten": a time
    inside a relative clause in the past tense is background, whatever the main clause says."""
    start, end = _span(_CLAUSE_END, text, position)
    before = list(_RELATIVE_START.finditer(text, start, position))
    if not before:
        return False
    # the relative clause runs to its verb: a few words past the time expression
    tail = text[before[-1].start() : end].split()
    return _tense(_words(" ".join(tail[:8])), perfect=True) < 0


def _own_tense(text: str, first: bool = False, last: bool = False, neighbour: bool = False) -> int:
    if first or last:
        parts = [p for p in _SENTENCE_END.split(text) if p.strip()]
        if not parts:
            return 0
        text = parts[0] if first else parts[-1]
    if neighbour and _EARLIER_TIME.search(text):
        return 0  # "Vorige week liep de betoging uit de hand. Zaterdag volgt …": lends no tense
    text = _RELATIVE_CLAUSE.sub(",", text)  # ", die vorige maand de A12 blokkeerde,": background
    trailing = _TRAILING_RELATIVE.search(text)
    if trailing and _EARLIER_TIME.search(trailing.group(0)):
        text = text[: trailing.start()]
    local = _tense(_words(text), perfect=True)
    if local:
        return local
    return 1 if _CLOCKISH.search(text) else 0


def _past_night(text: str) -> bool:
    return bool(re.search(r"\b(is|zijn|werd|werden) in de nacht van", text))


def _looks_like_day_abbrev(text: str, end: int) -> bool:
    return bool(
        re.match(
            r"\.?\s*(\d{1,2}[/-]\d{1,2}|\d{1,2}\s+[a-z]+|\d{1,2}[:.]\d{2}|\d{1,2}u|(ochtend|middag|avond|nacht)\b)",
            text[end : end + 12],
        )
    )


def _dotted_dates(text: str) -> list[re.Match]:
    """ "23.01" read as a date: a valid day and month, not said as a clock time ("om 23.01",
    "23.01 uur", "20.05-22.00"), and with a year or another clock time in the text ("BIG meet
    23.01, Trade Port 22:00")."""
    if "." not in text:
        return []
    out = []
    clocks: list[int] | None = None  # where clock times start, read once (and a bounded number)
    for m in islice(_DATE_DOTTED.finditer(text), MAX_DATES):
        day, month = int(m.group(1)), int(m.group(2))
        if (
            not (1 <= day <= 31 and 1 <= month <= 12)
            or _DOTTED_NOT_AFTER.match(text, m.end())
            or _DOTTED_NOT_BEFORE.search(text, max(0, m.start() - 12), m.start())
        ):
            continue
        if clocks is None:
            clocks = [c.start() for c in islice(_OTHER_CLOCK.finditer(text), MAX_DATES + 1)]
        if m.group(3) or any(not (m.start() <= c < m.end()) for c in clocks):
            out.append(m)
    return out


def _safe_date(year: int | None, month: int, day: int, today: date, tense: int) -> date | None:
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    try:
        if year and abs(year - today.year) <= 3:
            return date(year, month, day)
        candidate = date(today.year, month, day)
    except ValueError:
        return None
    # A date without a year is the nearest one in the direction the post speaks of.
    if tense >= 0 and candidate < today - timedelta(days=60):
        candidate = candidate.replace(year=today.year + 1)
    elif tense < 0 and candidate > today + timedelta(days=60):
        candidate = candidate.replace(year=today.year - 1)
    return candidate


# English, Frisian and dialect day words in Dutch posts ("saturday night meet", "saterdei",
# "zaoterdag", "mörge"), read as Dutch.
_ENGLISH = {
    "monday": "maandag",
    "tuesday": "dinsdag",
    "wednesday": "woensdag",
    "thursday": "donderdag",
    "friday": "vrijdag",
    "saturday": "zaterdag",
    "sunday": "zondag",
    "tonight": "vanavond",
    "tomorrow": "morgen",
    "today": "vandaag",
    "yesterday": "gisteren",
    "last night": "gisteravond",
    "this morning": "vanochtend",
    "this afternoon": "vanmiddag",
    "this evening": "vanavond",
    "night": "nacht",
}
_DIALECT = {
    "moandei": "maandag",
    "tiisdei": "dinsdag",
    "woansdei": "woensdag",
    "tongersdei": "donderdag",
    "saterdei": "zaterdag",
    "snein": "zondag",
    "sneon": "zaterdag",
    "freed": "vrijdag",
    "juster": "gisteren",
    "moarn": "morgen",
    "hjoed": "vandaag",
    "fannacht": "vannacht",
    "oere": "uur",
    "nacht fan": "nacht van",
    "jûn": "vanavond",
    "juen": "vanavond",
    "maondag": "maandag",
    "dinsdig": "dinsdag",
    "goonsdag": "woensdag",
    "donderdig": "donderdag",
    "vriedig": "vrijdag",
    "zaoterdag": "zaterdag",
    "zaoterdig": "zaterdag",
    "zoaterdag": "zaterdag",
    "zotterdag": "zaterdag",
    "zundag": "zondag",
    "zondig": "zondag",
    "zaterdig": "zaterdag",
    "vrijdig": "vrijdag",
    "maandig": "maandag",
    "woensdig": "woensdag",
    "oer": "uur",
    "um": "om",
    "zóndag": "zondag",
    "mörge": "morgen",
    "morge": "morgen",
    "vandoag": "vandaag",
    "vanoavond": "vanavond",
    "vanaovend": "vanavond",
    "vanaovond": "vanavond",
}
_FOREIGN = {fold(k): v for k, v in {**_ENGLISH, **_DIALECT}.items()}
_FOREIGN_RE = re.compile(r"\b(" + "|".join(sorted(_FOREIGN, key=len, reverse=True)) + r")\b")
# ... and their parts of the day, written as one word ("vriedigaovend", "zaoterdigmiddag")
_DIALECT_PART = {"aovend": "avond", "aovond": "avond", "oavond": "avond", "oavend": "avond", "mirrag": "middag"}
_DIALECT_DAY_PART = re.compile(
    r"\b("
    + "|".join(sorted((fold(k) for k, v in _DIALECT.items() if v in DAY_NAMES), key=len, reverse=True))
    + r")("
    + "|".join([*_DIALECT_PART, "avond", "middag", "ochtend", "nacht"])
    + r")\b"
)


def _dialect_day_part(m: re.Match) -> str:
    return _FOREIGN[m.group(1)] + _DIALECT_PART.get(m.group(2), m.group(2))


# "8pm", "8.30 pm", "11am" in English posts: rewritten as "20:00" before anything reads the text
_AM_PM = re.compile(r"\b(1[0-2]|0?[1-9])(?:[:.]([0-5]\d))?\s?(am|pm)\b")
_NOON = re.compile(r"\b(?:12\s?)?noon\b")


def _twenty_four(m: re.Match) -> str:
    hour = int(m.group(1)) % 12 + (12 if m.group(3) == "pm" else 0)
    return f"{hour:02d}:{m.group(2) or '00'}"


def resolve(text: str, published_at: datetime) -> TimeResult:
    """The start of the event `text` speaks of, read from its Dutch date and time expressions
    ("zaterdag om 14.00", "morgenavond", "de 14e") relative to `published_at`, and whether it is
    announced (ahead of the post, in a clause that does not speak of the past)."""
    folded = fold(text)
    # "⏩ Doorgestuurd" above a forwarded message: the forward's participle is no past tense
    folded = _FORWARD_HEADER.sub(lambda m: " " * len(m.group(0)), folded)
    folded = _FOREIGN_RE.sub(lambda m: _FOREIGN[m.group(1)], folded)
    folded = _DIALECT_DAY_PART.sub(_dialect_day_part, folded)
    if "am" in folded or "pm" in folded:
        folded = _AM_PM.sub(_twenty_four, folded)
    if "noon" in folded:
        folded = _NOON.sub("12:00", folded)  # "the march starts at noon"
    words = _words(folded)
    tense = _tense(words)
    if tense < 0 and _EARLIER_TIME.search(folded):
        # "Zaterdag weer een meet. Vorige keer werden we weggestuurd": the past tense of a
        # remark about an earlier occurrence says nothing about this one.
        tense = _tense(
            set(
                re.findall(
                    r"\w+", " ".join(part for part in _SENTENCE_END.split(folded) if not _EARLIER_TIME.search(part))
                )
            )
        )
    local = published_at.astimezone(AMS)
    today = local.date()
    day, part, position = _find_date(folded, today, tense)
    if (
        day == today
        and part == "avond"
        and local.hour < 5
        and position >= 0
        and folded.startswith("vanavond", position)
        and _sentence_tense(folded, position, tense) < 0
    ):
        day = today - timedelta(days=1)  # "vanavond was mega" posted at 01:30: the evening just behind us
    night = part in ("nacht+", "nacht-")
    spoken = (
        ("nacht" if night else part)
        or _part_of_day(words)
        or ("avond" if any(w in folded for w in _MEET_WORDS) else None)
    )
    clock, clock_position = _find_time(folded, spoken, position)
    if (
        clock is not None
        and clock_position > position >= 0
        and _sentence_span(folded, position) == _sentence_span(folded, clock_position)
        and _START_NEAR.search(_clause(folded, clock_position)) is not None
    ):
        # "Vertrek vrijdagavond 22:00 …, zaterdag 12:00 start de mars": the clock chosen as the
        # start is the one after "zaterdag", so its day is that one, not the first day named in
        # the sentence, when its clause says so (elsewhere a clock may be a report's, an arrest's
        # or a match's: "Dat maakte de gemeente dinsdag rond 14.00 uur bekend")
        own = _day_just_before(folded, clock_position, today, tense)
        if own is not None and own[0] != day:
            day, part, position = own
    if part == "avond" and clock is not None and clock.hour < 6:
        clock = None  # "zaterdagavond verzamelden zich … Rond 00.30 uur greep de ME in": the evening, not its end
    if day is not None and part == "nacht+" and clock is not None and clock.hour >= 12:
        day -= timedelta(days=1)  # "jaarwisseling om 23:00" is still the 31st
    elif day is not None and part == "nacht-" and clock is not None and clock.hour < 6:
        later = day + timedelta(days=1)  # "zaterdagnacht half 3", "zaterdagavond … rond 00.45 uur" is early Sunday
        if not (
            datetime.combine(later, clock, AMS) > local
            and position >= 0
            and _sentence_tense(folded, position, tense) < 0
        ):
            day = later
        # ("Woensdagnacht om 03.10 uur ontplofte …" on Wednesday morning: early that Wednesday,
        # as a report of what happened cannot lie ahead)
    if day == today and part == "nacht" and "vannacht" in words and clock is not None:
        # "vannacht" in the morning is the night behind us, in the evening the one ahead.
        if local.hour < 12 and clock.hour >= 18:
            day = today - timedelta(days=1)
        elif local.hour >= 12 and clock.hour < 12 and tense >= 0:
            day = today + timedelta(days=1)
    # "houden sinds 08.00 uur het gebouw bezet": going on since then, not a start to come
    since_clock = clock_position >= 0 and bool(_SINCE_CLOCK.search(folded, max(0, clock_position - 22), clock_position))
    if (
        day is None
        and clock is not None
        and not since_clock
        and 1 <= clock.hour <= 11
        and spoken is None
        and clock_position >= 0
        and not _DIGITAL_CLOCK.match(folded, clock_position)
        and (
            _sentence_tense(folded, clock_position, tense) >= 0
            or _CALL_AFTER_CLOCK.search(folded, clock_position, clock_position + 40)
        )
    ):
        evening = datetime.combine(today, clock.replace(hour=clock.hour + 12), AMS)
        if datetime.combine(today, clock, AMS) < local - timedelta(hours=1) and evening > local - timedelta(minutes=30):
            # "iedereen om 9 uur naar het bureau" posted at 19:40: 21:00 tonight, a call
            return TimeResult(evening, True, evening > local - timedelta(minutes=30))
    if day is None and clock is not None:
        day = today
        if since_clock:
            if clock.hour == 12 and local.hour < 6 and not _DIGITAL_CLOCK.match(folded, clock_position):
                clock = clock.replace(hour=0)  # "al sinds kwart over 12" posted at 01:12: midnight
            elif (
                clock.hour < 12
                and not _DIGITAL_CLOCK.match(folded, clock_position)
                and datetime.combine(today, clock.replace(hour=clock.hour + 12), AMS) <= local + timedelta(minutes=30)
            ):
                clock = clock.replace(hour=clock.hour + 12)  # "sinds kwart voor 1" posted at 14:00: 12:45
            if datetime.combine(today, clock, AMS) > local + timedelta(minutes=30):
                day = today - timedelta(days=1)
            return TimeResult(datetime.combine(day, clock).replace(tzinfo=AMS), True, False)
        if tense >= 0 and datetime.combine(today, clock, AMS) < local - timedelta(hours=1):
            day = today + timedelta(days=1)  # "om 20:00" posted at 22:00 means tomorrow
        elif (
            tense < 0
            and clock.hour == 12
            and local.hour < 6
            and clock_position >= 0
            and not _DIGITAL_CLOCK.match(folded, clock_position)
        ):
            clock = clock.replace(hour=0)  # "al sinds kwart over 12" posted at 01:12: midnight
        elif (
            tense < 0
            and local.hour < 6
            and 13 <= clock.hour <= 17
            and clock.replace(hour=clock.hour - 12) <= local.time()
            and clock_position >= 0
            and not _DIGITAL_CLOCK.match(folded, clock_position)
        ):
            clock = clock.replace(hour=clock.hour - 12)  # "rond kwart voor 2 ging het mis" posted at 02:15: 01:45
        elif tense < 0 and clock.hour >= 12 and datetime.combine(today, clock, AMS) > local:
            day = today - timedelta(days=1)  # "rond 21.00 uur werden knallen gehoord" at 10:00: last night
    if day is None:
        announced = tense > 1 and bool(
            words & {"verzamelen", "kom", "komt", "iedereen", "oproep", "wees", "aanstaande", "komende"}
        )
        if not announced:
            # A report without a date is about the day it was posted; posted in the small
            # hours, about the evening before (but a night of oud en nieuw is 1 January).
            if local.hour < 4 and (today.month, today.day) != (1, 1):
                today -= timedelta(days=1)
            return TimeResult(datetime.combine(today, time(0, 0)).replace(tzinfo=AMS), False, False)
        return TimeResult(None, False, announced)
    start = datetime.combine(day, clock or time(0, 0)).replace(tzinfo=AMS)
    if clock is not None:
        future = start > local - timedelta(minutes=30)
    else:
        # later today only when the clause or sentence of "vanavond" itself speaks of the future
        local_tense = (
            _tense(_words(_clause(folded, position)), perfect=True)
            or _tense(_words(_sentence(folded, position)), perfect=True)
            if position >= 0
            else tense
        )
        since = position >= 0 and _since(folded, position)
        future = day > today or (
            day == today and not since and (local_tense > 0 or _part_ahead(folded, position, part, local))
        )
    if (
        day == today
        and future
        and position >= 0
        and (
            _announcing(folded, position)
            or _sentence_tense(folded, position, tense) >= 0
            or (clock_position >= 0 and _announcing(folded, clock_position))
        )
    ):
        # "vanavond om 20.00 uur" in a morning item about last night's trouble: the clause of
        # the time expression decides, not the report around it
        return TimeResult(start, clock is not None, True)
    announced = future and (tense >= 0 or day > today)
    return TimeResult(start, clock is not None, announced)


_FORWARD_HEADER = re.compile(r"^\W*(?:doorgestuurd|forwarded|fwd)\b")
_DIGITAL_CLOCK = re.compile(r"\d{1,2}[:.]\d{2}")  # "09:00" is read on a 24-hour clock
_SINCE_CLOCK = re.compile(r"\bsinds\s+(?:(?:kwart|\d{1,2}|tien|vijf)\s+(?:voor|over)\s+(?:half\s+)?|half\s+)?$")
# "ze hebben hem opgepakt 😡 om 10 uur IEDEREEN naar het bureau": a call right after the hour
_CALL_AFTER_CLOCK = re.compile(r"\b(iedereen|allemaal|verzamelen|komen|kom|komt)\b")
# "Mega klap net", "brandweer is er nu": a post in the small hours about this very moment
_NOW_WORDS = {"net", "nu", "zojuist", "zonet", "momenteel", "live", "now", "rightnow"}

_PART_STARTS = {"ochtend": 6, "middag": 12, "avond": 18}  # "vannacht" in the morning is behind us


def _part_ahead(text: str, position: int, part: str | None, local: datetime) -> bool:
    """ "Vanmiddag is er een manifestatie" posted in the morning, "later vanochtend": a part
    of today still to come, in a clause that does not speak of the past."""
    if position < 0 or _sentence_tense(text, position, 0) < 0 or _since(text, position):
        return False
    if re.search(r"\b(later|straks|nog)\b", _clause(text, position)):
        return True
    return part in _PART_STARTS and local.hour < _PART_STARTS[part]


def _part_of_day(words: set[str]) -> str | None:
    if words & {"avond", "savonds", "vanavond", "avonds"}:
        return "avond"
    if words & {"middag", "smiddags", "vanmiddag", "middags"}:
        return "middag"
    if words & {"ochtend", "sochtends", "smorgens", "vanochtend", "vanmorgen", "ochtends", "morgens"}:
        return "ochtend"
    if words & {"nacht", "snachts", "nachts", "vannacht", "middernacht"}:
        return "nacht"
    return None
