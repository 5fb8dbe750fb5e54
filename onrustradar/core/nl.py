"""Dutch wording for times and counts, shared by the detectors' explanations, the board and
the digest, so they all say it the same way."""

from __future__ import annotations

from datetime import date as Date
from datetime import datetime
from zoneinfo import ZoneInfo

AMS = ZoneInfo("Europe/Amsterdam")
DAYS = ("ma", "di", "wo", "do", "vr", "za", "zo")
DAY_NAMES = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
MONTHS = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
MONTH_NAMES = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
# Counts written as words, in posts ("ruim honderd man") and in times ("kwart over twaalf").
NUMBER_WORDS = {
    "een": 1,
    "één": 1,
    "twee": 2,
    "drie": 3,
    "vier": 4,
    "vijf": 5,
    "zes": 6,
    "zeven": 7,
    "acht": 8,
    "negen": 9,
    "tien": 10,
    "elf": 11,
    "twaalf": 12,
    "dertien": 13,
    "veertien": 14,
    "vijftien": 15,
    "twintig": 20,
    "dertig": 30,
    "veertig": 40,
    "vijftig": 50,
    "zestig": 60,
    "zeventig": 70,
    "tachtig": 80,
    "negentig": 90,
    "honderd": 100,
    "duizend": 1000,
}


def local(moment: datetime) -> datetime:
    """The moment in Dutch time (Europe/Amsterdam), as users read it."""
    return moment.astimezone(AMS)


def when(moment: datetime, time_known: bool = True) -> str:
    """'za 14:00' (or 'za 21 mrt' when only the date is known)."""
    m = local(moment)
    day = DAYS[m.weekday()]
    if time_known:
        return f"{day} {m.day} {MONTHS[m.month - 1]} {m:%H:%M}"
    return f"{day} {m.day} {MONTHS[m.month - 1]}"


def relative(moment: datetime, now: datetime) -> str:
    """'over 2 dagen', 'over 3 uur', 'nu', '5 uur geleden'."""
    seconds = (moment - now).total_seconds()
    ahead = seconds >= 0
    seconds = abs(seconds)
    if seconds < 45 * 60:
        amount = "nu" if seconds < 15 * 60 else f"{round(seconds / 60)} min"
    elif seconds < 36 * 3600:
        amount = f"{round(seconds / 3600)} uur"
    else:
        days = round(seconds / 86400)
        amount = f"{days} dag" if days == 1 else f"{days} dagen"
    if amount == "nu":
        return amount
    return f"over {amount}" if ahead else f"{amount} geleden"


def plural(n: int, one: str, many: str) -> str:
    """ "1 signaal", "3 signalen": a count with the right Dutch form."""
    return f"{n} {one if n == 1 else many}"


def date(day: Date | datetime) -> str:
    """25-10-2026 (a moment is taken in Europe/Amsterdam)."""
    if isinstance(day, datetime):
        day = local(day).date()
    return f"{day.day:02d}-{day.month:02d}-{day.year}"


def date_time(moment: datetime) -> str:
    """25-10-2026 14:05, in Europe/Amsterdam."""
    m = local(moment)
    return f"{date(m.date())} {m:%H:%M}"


def day_heading(day: Date) -> str:
    """zaterdag 25-10-2026"""
    return f"{DAY_NAMES[day.weekday()]} {date(day)}"


def number(value: float, decimals: int = 0) -> str:
    """1.234,5: a point between thousands, a comma before decimals."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")
