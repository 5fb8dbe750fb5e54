"""What happened, in one Dutch line: an extractive summary of a signal from its posts.

The line is a sentence taken from the most reliable posts — the headline of the confirming
news item, an official report, or the sentence that carries the category words, the place
and the time — followed by the numbers that matter (crowd size, arrests, injuries) when a
post gives them. It never names a person: account mentions, links and pseudonyms are removed,
and what looks like a person's name is dropped (a title such as "burgemeester" stays).

Used by the digest, the alerts, the PDF briefing and the board; it reads a signal and its
posts and writes nothing.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from onrustradar.core import nl
from onrustradar.core.gazetteer import LANDMARKS, fold, gazetteer
from onrustradar.core.models import CATEGORY_LABELS, Analysis, Post, Signal
from onrustradar.core.nl import DAY_NAMES, MONTH_NAMES, NUMBER_WORDS

MAX_CHARS = 170  # one line in an e-mail client or a table cell of the briefing
KIND_RANK = {"official": 0, "news": 1, "social": 2}
NLP_DATA = Path(__file__).resolve().parent.parent / "nlp" / "data"

_URL = re.compile(r"\bhttps?://\S+|\bwww\.\S+", re.IGNORECASE)
_HANDLE = re.compile(r"(?<![\w.])(?:@[\w.]+(?:@[\w.-]+)?|u/\w+)|\bps_[0-9a-f]{16}\b")
_HASHTAG = re.compile(r"#(\w+)")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[A-Z0-9À-Ý])|\n+")
_WORD = re.compile(r"[\w'’-]+", re.UNICODE)
_CLOCK = re.compile(r"\b\d{1,2}[:.]\d{2}\b")

# Number words up to the sizes posts use for crowds; rough amounts stay words.
_ROUGH = ("tientallen", "honderden", "duizenden", "tienduizenden", "enkele", "meerdere")
_NUM = (
    r"(?P<num>\d{1,3}(?:\.\d{3})+|\d+\+?|"
    + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
    + "|"
    + "|".join(_ROUGH)
    + ")"
)
_ABOUT = r"(?P<about>zo'n|zo’n|ongeveer|circa|ca\.|ruim|bijna|meer dan|minstens|zeker|naar schatting|rond de)?\s*"
_CROWD_NOUNS = (
    "demonstranten",
    "deelnemers",
    "betogers",
    "actievoerders",
    "mensen",
    "personen",
    "supporters",
    "fans",
    "hooligans",
    "scooters",
    "scooterrijders",
    "jongeren",
    "relschoppers",
    "aanwezigen",
    "boeren",
    "trekkers",
    "auto's",
    "bezoekers",
    "man",
)
_CROWD = re.compile(rf"\b{_ABOUT}{_NUM}\s+(?:\w+\s+)?(?P<noun>{'|'.join(_CROWD_NOUNS)})\b", re.IGNORECASE)
_ARREST = re.compile(
    rf"\b{_NUM}\s+(?:(?:\w+\s+){{0,3}}?(?P<noun>aanhoudingen|arrestaties|arrestanten)"
    rf"|(?:\w+\s+){{0,3}}?(?:zijn|werden|is|werd)\s+(?:\w+\s+)?(?P<verb>aangehouden|gearresteerd|opgepakt))\b",
    re.IGNORECASE,
)
_ARREST_ACTIVE = re.compile(rf"\bhield(?:en)?\s+{_NUM}\s+(?:\w+\s+){{0,2}}?aan\b", re.IGNORECASE)
_INJURY = re.compile(
    rf"\b{_NUM}\s+(?:(?:\w+\s+){{0,2}}?(?P<noun>(?:zwaar|licht)?gewonden|gewonde)"
    rf"|(?:\w+\s+){{0,2}}?(?:raakten|raakte|zijn|werden|is|werd)\s+(?:licht\s+|zwaar\s+)?gewond)\b",
    re.IGNORECASE,
)
_INJURY_AFTER = re.compile(  # "raakten vannacht twee bewoners gewond"
    rf"\b(?:raakten|raakte|werden|zijn)\s+(?:\w+\s+){{0,2}}?{_NUM}\s+(?:\w+\s+)?(?:licht\s+|zwaar\s+)?gewond\b",
    re.IGNORECASE,
)
_EXPECTED = re.compile(r"\b(verwacht\w*|aangemeld|komen|zullen)\b", re.IGNORECASE)

# Words that stand before a person's name; the title stays, the name goes.
_TITLES = {
    "burgemeester",
    "wethouder",
    "minister",
    "staatssecretaris",
    "agent",
    "wijkagent",
    "woordvoerder",
    "woordvoerster",
    "officier",
    "rechter",
    "advocaat",
    "raadslid",
    "kamerlid",
    "voorzitter",
    "organisator",
    "initiatiefnemer",
    "directeur",
    "meneer",
    "mevrouw",
    "dhr",
    "mw",
    "mr",
    "dr",
    "ir",
    "heer",
    "politicus",
    "activist",
    "influencer",
    "verdachte",
    "eigenaar",
    "trainer",
    "spits",
    "aanvoerder",
}
_PARTICLES = {"van", "de", "der", "den", "ten", "ter", "'t", "la", "le", "du", "da", "di", "el", "al", "bin", "von"}
# Street and place names end like this ("Middelweg", "Grote Kerkplein"): no one's name.
_STREET = re.compile(
    r"(weg|straat|laan|plein|singel|gracht|kade|dijk|park|hof|markt|steeg|pad|dreef|ring|wal|"
    r"veld|plantsoen|brug|haven|terrein|centrum|station|stadion|hal|huis|kerk|school)$"
)
# Capitalised words that are no one's name: organisations, media, days and months, and the
# capitalised nouns of news prose. Places come from the gazetteer, clubs and landmarks from
# the NLP's own lists.
_NOT_NAMES = {
    "politie",
    "gemeente",
    "brandweer",
    "ambulance",
    "me",
    "mobiele",
    "eenheid",
    "marechaussee",
    "om",
    "openbaar",
    "ministerie",
    "justitie",
    "rechtbank",
    "provincie",
    "rijk",
    "kabinet",
    "tweede",
    "eerste",
    "kamer",
    "raad",
    "veiligheidsregio",
    "boa",
    "boa's",
    "handhaving",
    "nos",
    "anp",
    "rtv",
    "omroep",
    "nieuws",
    "regio",
    "oost",
    "west",
    "noord",
    "zuid",
    "centrum",
    "centraal",
    "station",
    "markt",
    "plein",
    "park",
    "azc",
    "coa",
    "extinction",
    "rebellion",
    "xr",
    "pegida",
    "fnv",
    "fdf",
    "farmers",
    "defence",
    "force",
    "kick",
    "out",
    "zwarte",
    "piet",
    "kozp",
    "nederland",
    "nederlandse",
    "nederlanders",
    "europa",
    "eu",
    "nato",
    "vvd",
    "pvv",
    "cda",
    "d66",
    "gl",
    "pvda",
    "sp",
    "bbb",
    "ja21",
    "fvd",
    "denk",
    "volt",
    "cu",
    "sgp",
    "pvdd",
    "eredivisie",
    "knvb",
    "uefa",
    *DAY_NAMES,
    *MONTH_NAMES,
    "koningsdag",
    "oud",
    "nieuw",
    "oudjaar",
    "oudejaarsavond",
    "kerst",
    "pasen",
    "ramadan",
    "suikerfeest",
    "update",
    "breaking",
    "live",
    "video",
    "foto",
    "let",
    "op",
    "oproep",
    "demonstratie",
    "protest",
    "eigen",
    "melding",
    "meldpunt",
    "wijkagent",
    "jongerenwerk",
    "stadhuis",
    "gemeentehuis",
    "grote",
    "kleine",
    "nieuwe",
    "oude",
    "sint",
    "st",
    "hoog",
    "laag",
    "dit",
    "deze",
    "die",
    "dat",
    "het",
    "de",
    "een",
    "er",
    "ook",
    "maar",
}


@lru_cache(maxsize=1)
def _known_names() -> frozenset[str]:
    """Folded words of clubs and landmarks (the NLP's own lists, read only)."""
    words: set[str] = set()
    for path in (NLP_DATA / "clubs.csv", LANDMARKS):
        if path.exists():
            with path.open(encoding="utf-8") as fh:
                for row in csv.DictReader(fh):
                    words.update(fold(w) for w in _WORD.findall(row["name"]))
    return frozenset(words)


def _is_known(word: str) -> bool:
    folded = fold(word.strip("'’-"))
    # Names are written with one capital; shouted words (DELEN, AZC) and lower-case ones are none.
    return (
        folded in _NOT_NAMES
        or folded in _known_names()
        or len(folded) <= 1
        or not word[:1].isupper()
        or word.isupper()
        or _STREET.search(folded) is not None
        or gazetteer().is_place(word)
        or "-" in word
        and all(gazetteer().is_place(part) for part in word.split("-") if part)
    )


def scrub_names(text: str) -> str:
    """Drop what looks like a person's name: capitalised words after a title, two or more
    unknown capitalised words in a row, an initial with a surname, a first name, a name with
    an age ("Jan de Vries (34)")."""
    tokens = list(re.finditer(r"\S+", text))
    words = [re.sub(r"^[\"'(\[]+|[\"'),.:;!?\]]+$", "", t.group()) for t in tokens]
    drop: set[int] = set()
    replace: dict[int, str] = {}
    i = 0
    while i < len(tokens):
        word = words[i]
        after_title = i > 0 and fold(words[i - 1].rstrip(".")) in _TITLES and word[:1].isupper()
        starts_sentence = i == 0 or tokens[i - 1].group()[-1:] in ".!?:"
        initial = re.fullmatch(r"(?:[A-Z]\.)+", tokens[i].group().lstrip("(\"'")) is not None
        first_name = fold(word) in _first_names() and word[:1].isupper()
        candidate = word[:1].isupper() and not _is_known(word) and not starts_sentence
        if not (after_title or initial or first_name or candidate):
            i += 1
            continue
        # A name goes on over more capitalised words and particles (de, van der); after a
        # first name, title or initial a surname that is also a place name ("Vries") still counts.
        sure = after_title or initial or first_name
        j = i + 1
        while j < len(tokens):
            nxt = words[j]
            if nxt[:1].isupper() and fold(nxt) not in _NOT_NAMES and (sure or not _is_known(nxt)):
                j += 1
            elif fold(nxt) in _PARTICLES and j + 1 < len(tokens) and words[j + 1][:1].isupper():
                j += 1
            else:
                break
            if tokens[j - 1].group()[-1:] in ",.:;!?)":
                break  # the name ended at its punctuation
        aged = j < len(tokens) and re.fullmatch(r"\(\d{1,3}\)[,.:;]?", tokens[j].group()) is not None
        capitals = sum(1 for k in range(i, j) if words[k][:1].isupper())
        if sure or aged or capitals >= 2:
            span = range(i, j + 1 if aged else j)
            drop.update(span)
            if not after_title:
                replace[i] = "iemand"  # the title stays in place of a name; otherwise someone
            i = span.stop
            continue
        i += 1
    if not drop:
        return text
    out: list[str] = []
    for k, token in enumerate(tokens):
        if k in replace:
            out.append(replace[k])
        if k in drop:
            # Keep the punctuation that closed the name ("… zegt Jansen." -> "… zegt."), not
            # the dot of an initial.
            tail = re.search(r"[,.:;!?]+$", token.group())
            if tail and out and (k + 1 not in drop) and not out[-1].endswith(tail.group()):
                out[-1] += tail.group()
            continue
        out.append(token.group())
    return " ".join(out)


@lru_cache(maxsize=1)
def _first_names() -> frozenset[str]:
    # Common Dutch first names, written for this project: a lone first name in the middle of a
    # sentence ("toen Mohammed werd geslagen") is a person.
    return frozenset(
        """jan piet kees henk gerrit willem johan hans peter pieter klaas dirk bert wim joost sander
        mark thomas daan sem lucas levi finn bram luuk noah milan jesse tim lars ruben stijn thijs max niels kevin
        dennis jeroen martijn bas rik mohammed mohamed ahmed youssef mustafa ali omar ibrahim hamza ayoub mehmet
        emre anna emma sophie julia lisa sanne eva lotte fleur anouk iris femke linda sandra monique ingrid
        marieke esther fatima aisha sara yasmina nora noor zoë lieke tess maud saskia""".split()
    )


def clean(text: str) -> str:
    """Post text as one tidy line without links, handles, hashtags' # or emoji."""
    text = _URL.sub("", text)
    text = _HANDLE.sub("", text)
    text = _HASHTAG.sub(r"\1", text)
    text = "".join(
        ch
        for ch in text
        if unicodedata.category(ch) not in ("So", "Cs", "Co", "Cn")
        and (ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    )
    text = re.sub(r"\(\s*\)|\[\s*\]", "", text)  # brackets that held a handle or a link
    text = re.sub(r"([!?])[!?]+", r"\1", text)
    text = re.sub(r"[ \t]+", " ", text)
    return "\n".join(line.strip(" -–—|•·*") for line in text.splitlines()).strip()


def _sentences(post: Post) -> list[tuple[str, bool]]:
    """(sentence, is_headline) of a post; a news item's first line is its headline."""
    text = clean(post.text)
    parts = [p.strip() for p in _SENTENCE.split(text) if p and p.strip()]
    return [(p, i == 0 and "\n" in text) for i, p in enumerate(parts)]


def _shorten(text: str, limit: int = MAX_CHARS) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:-–")
    return cut + "…"


def _terms(analyses: Iterable[Analysis], categories: Iterable[str]) -> set[str]:
    wanted = set(categories)
    out = set()
    for a in analyses:
        for hit in a.keywords:
            category, _, term = hit.partition(":")
            if category in wanted and term:
                out.add(fold(term.rstrip("*")))
    for category in wanted:
        out.add(fold(CATEGORY_LABELS.get(category, category)))
    return out


def _score(sentence: str, headline: bool, kind: str, terms: set[str], places: set[str]) -> float:
    folded = fold(sentence)
    words = [fold(w) for w in _WORD.findall(sentence)]
    score = {"official": 3.0, "news": 2.0}.get(kind, 0.0)
    if headline and kind in ("official", "news"):
        score += 2.5
    if any(w.startswith(t) for t in terms if t for w in words):
        score += 3
    if any(p and p in folded for p in places):
        score += 2
    if _CLOCK.search(sentence) or any(w in nl_days() for w in words):
        score += 1
    if _CROWD.search(sentence) or _ARREST.search(sentence) or _INJURY.search(sentence):
        score += 1
    if len(words) < 4:
        score -= 3
    if len(sentence) > 220:
        score -= 1.5
    letters = [c for c in sentence if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) / len(letters) > 0.5:
        score -= 2  # shouting
    if scrub_names(sentence) != sentence:
        score -= 2  # would need a name cut out
    return score


@lru_cache(maxsize=1)
def nl_days() -> frozenset[str]:
    """Dutch words for a day: a sentence that names one likely tells when (sentence scoring)."""
    return frozenset(
        {
            *DAY_NAMES,
            "vandaag",
            "vanavond",
            "vannacht",
            "morgen",
            "gisteravond",
            "gisteren",
            "vanmiddag",
            "vanochtend",
        }
    )


@dataclass(frozen=True, slots=True)
class Fact:
    """A number a summary reports: a crowd ('verwacht' when announced, not seen), arrests or injuries."""

    kind: str  # crowd | arrests | injuries
    amount: str  # "200", "drie" -> "3", "honderden"
    noun: str
    expected: bool = False

    def __str__(self) -> str:
        if self.kind == "arrests":
            return f"{self.amount} {'aanhouding' if self.amount == '1' else 'aanhoudingen'}"
        if self.kind == "injuries":
            return f"{self.amount} {'gewonde' if self.amount == '1' else 'gewonden'}"
        prefix = "verwacht: " if self.expected else ""
        return f"{prefix}{self.amount} {self.noun}"


def _amount(match: re.Match) -> str:
    raw = match["num"].lower().rstrip("+")
    if raw in NUMBER_WORDS:
        return str(NUMBER_WORDS[raw])
    if raw in _ROUGH:
        return raw
    about = (match.groupdict().get("about") or "").lower()
    plus = "+" if match["num"].endswith("+") else ""
    return (
        (
            "ca. "
            if about in ("zo'n", "zo’n", "ongeveer", "circa", "ca.", "naar schatting", "rond de")
            else "ruim "
            if about in ("ruim", "meer dan", "minstens", "zeker")
            else "bijna "
            if about == "bijna"
            else ""
        )
        + raw
        + plus
    )


def facts(texts: Iterable[str]) -> list[Fact]:
    """Crowd size, arrests and injuries, the first that the texts (most reliable first) give."""
    found: dict[str, Fact] = {}
    for text in texts:
        for sentence in _SENTENCE.split(clean(text)):
            taken: list[range] = []  # "hield drie mensen aan" is an arrest count, not a crowd
            for kind, patterns, noun in (
                ("arrests", (_ARREST, _ARREST_ACTIVE), "aanhoudingen"),
                ("injuries", (_INJURY, _INJURY_AFTER), "gewonden"),
            ):
                m = next((m for p in patterns if (m := p.search(sentence))), None)
                if m:
                    taken.append(range(m.start(), m.end()))
                    found.setdefault(kind, Fact(kind, _amount(m), noun))
            if "crowd" not in found:
                for m in _CROWD.finditer(sentence):
                    if any(m.start() in r or m.end() - 1 in r for r in taken):
                        continue
                    if m["num"].lower() in ("een", "één") or m["noun"].lower() == "man" and not m["num"][0].isdigit():
                        continue  # "een man" is one person, not a crowd
                    found["crowd"] = Fact("crowd", _amount(m), m["noun"].lower(), bool(_EXPECTED.search(sentence)))
                    break
    return [found[k] for k in ("crowd", "arrests", "injuries") if k in found]


def describe(signal: Signal) -> str:
    """The line when no post is left to quote (posts past retention): what, where, when."""
    what = " + ".join(CATEGORY_LABELS.get(c, c) for c in signal.categories) or "Signaal"
    where = ", ".join(p for p in (signal.place, signal.gemeente) if p)
    line = f"{what} in {where}" if where else what
    if signal.event_start:
        line += (
            f", {'aangekondigd voor' if signal.announced else 'op'} {nl.when(signal.event_start, signal.time_known)}"
        )
    return line


def summarize(
    signal: Signal, posts: list[Post], kind: Callable[[Post], str], analyses: dict[str, Analysis] | None = None
) -> str:
    """One Dutch line saying what happened, from the signal's most reliable posts."""
    analyses = analyses or {}
    if not posts:
        return describe(signal)
    ranked = sorted(posts, key=lambda p: (KIND_RANK.get(kind(p), 3), p.published_at, p.id))
    terms = _terms(analyses.values(), signal.categories)
    places = {fold(p) for p in (signal.place, signal.gemeente) if p}
    best, best_score = None, float("-inf")
    for rank, post in enumerate(ranked):
        post_kind = kind(post)
        for sentence, headline in _sentences(post):
            # Ties go to the more reliable, earlier post (the origin rather than a copy).
            score = _score(sentence, headline, post_kind, terms, places) - rank * 0.01
            if score > best_score:
                best, best_score = sentence, score
    if best is None:
        return describe(signal)
    line = scrub_names(best).strip(" ,;:-")
    if len(_WORD.findall(line)) < 3:
        line = describe(signal)
    line = line[:1].upper() + line[1:]
    said = {f.kind for f in facts([line])}  # a number the line itself gives is not repeated
    numbers = [str(f) for f in facts(p.text for p in ranked) if f.kind not in said]
    if numbers:
        return _shorten(line, MAX_CHARS - 3 - sum(len(n) + 2 for n in numbers)) + " (" + "; ".join(numbers) + ")"
    return _shorten(line)
