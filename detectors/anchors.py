"""Anchors: the names an event is known by, taken from its posts' text.

A call says "PARKEERPLAATS ALMEERDERSTRAND", the next-day news "bij het Almeerderstrand", a
bystander "Almeerderstrand vol scooters": the words differ, the name is the same. Anchors are
the words written as names (a capital or all caps) that are no ordinary Dutch word, no weekday
or month and no stop word — squares, streets, wijken, stadiums, venues, whether or not the
gazetteer knows them. Sharing one is strong evidence that two posts are about one place.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from nlp.lemmas import lemma, lexicon, stop_words
from nlp.text import words_and_norms
from nlp.timex import MONTHS, WEEKDAYS
from onrustradar.core.gazetteer import fold_word, gazetteer

MIN_LENGTH = 4
PLACE_SUFFIXES = (
    "terrein",
    "complex",
    "straat",
    "plein",
    "laan",
    "park",
    "weg",
    "gebouw",
    "hallen",
    "kade",
    "markt",
    "brug",
    "boulevard",
)
ORDINARY_WORDS = Path(__file__).resolve().parent.parent / "nlp" / "data" / "ordinary_words.txt"
# Names every event shares (police, the country, the platforms, generic nouns in caps).
COMMON = {
    "politie",
    "nederland",
    "telegram",
    "twitter",
    "mastodon",
    "instagram",
    "tiktok",
    "facebook",
    "whatsapp",
    "snapchat",
    "youtube",
    "dumpert",
    "reddit",
    "bluesky",
    "delen",
    "update",
    "breaking",
    "live",
    "nieuws",
    "oproep",
    "iedereen",
    "vandaag",
    "morgen",
    "vanavond",
    "zaterdag",
    "zondag",
    "gemeente",
    "burgemeester",
    "video",
    "foto",
    "fotos",
    "meeting",
    "scootermeeting",
    "carmeet",
    "demonstratie",
    "protest",
    "rellen",
    "explosie",
    "supporters",
    "harde",
    "kern",
    "boost",
    "retweet",
    "please",
    "thread",
    "graag",
    "bron",
}


@lru_cache(maxsize=1)
def _ordinary() -> frozenset[str]:
    """Words no anchor is made of; the names of gemeenten and woonplaatsen too: they are the
    gemeente, which grouping compares on its own, not a place within it."""
    gaz = gazetteer()
    towns = {fold_word(g.name_plain) for g in gaz.gemeenten.values()}
    # (a woonplaats whose name is also a wijk or a woonplaats elsewhere stays a name: the
    # resolver gives such a post no gemeente, so the name is all that links it — "Schalkwijk"
    # is a wijk of Haarlem and a village of Houten)
    homes: dict[str, set[str]] = {}
    for p in gaz.places:
        if p.kind in ("woonplaats", "wijk"):
            homes.setdefault(fold_word(p.name), set()).add(p.gemeente_code)
    towns |= {fold_word(p.name) for p in gaz.places if p.kind == "woonplaats" and len(homes[fold_word(p.name)]) == 1}
    # words the corpus writes in lower case: the lemma table lacks "mensen", "rook", "gaat"
    corpus_words = frozenset(ORDINARY_WORDS.read_text(encoding="utf-8").split())
    return (
        frozenset(lexicon())
        | frozenset(stop_words())
        | frozenset(WEEKDAYS)
        | frozenset(MONTHS)
        | COMMON
        | towns
        | corpus_words
    )


@lru_cache(maxsize=65_536)
def anchors(text: str) -> frozenset[str]:
    """Folded names in `text` that could identify a place (cached: grouping asks for a post's
    anchors when it weighs the post and again when the post joins)."""
    ordinary = _ordinary()
    words, norms = words_and_norms(text)
    out = set()
    for word, norm in zip(words, norms):
        if len(norm) < MIN_LENGTH or not word[0].isupper() or norm in ordinary or norm.isdigit():
            continue
        if lemma(norm) in ordinary:  # "Omwonenden", "Demonstranten": a plural or verb form
            continue
        out.add(norm)
        if norm.endswith("se") and len(norm) >= MIN_LENGTH + 3:
            # "het Scheveningse strand" is at Scheveningen, "de Hoograafse weg" at Hoograaf: the
            # adjective's place name is an anchor too (Groningse -> Groningen, Hengelose -> Hengelo)
            for place in (norm[:-2] + "en", norm[:-2]):
                if place not in ordinary and lemma(place) not in ordinary:
                    out.add(place)
        # "Zerniketerrein", "Zernikelaan" and "Zernike" are one place: the name without its
        # street or site word is an anchor too
        for suffix in PLACE_SUFFIXES:
            if not norm.endswith(suffix):
                continue
            stem = norm[: -len(suffix)]
            if len(stem) >= MIN_LENGTH and stem not in ordinary and lemma(stem) not in ordinary:
                out.add(stem)
            break
    return frozenset(out)
