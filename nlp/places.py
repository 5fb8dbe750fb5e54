"""Where: resolve the Dutch gemeente (and wijk or landmark) a post is about.

Names come from the gazetteer (gemeenten, woonplaatsen, neighbourhoods, aliases) and the
curated landmark list in onrustradar/core/data/gazetteer/landmarks.csv. Ambiguous names are settled by the other
places in the post, a province named in it, or the channel's home gemeente.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from nlp.lemmas import lexicon, stop_words
from nlp.text import TOKEN, tokenize
from onrustradar.core import nl
from onrustradar.core.gazetteer import (
    GEMEENTE_ALIASES,
    LANDMARKS,
    PROVINCE_ALIASES,
    PROVINCIAL_SEATS,
    Gazetteer,
    fold,
    fold_word,
    gazetteer,
    load_landmarks,
)

DATA = Path(__file__).resolve().parent / "data"
ABROAD = DATA / "abroad.txt"
CLUBS = DATA / "clubs.csv"
ABROAD_CODE = "abroad"  # a candidate that, when it wins, means "not in a Dutch gemeente"
MAX_WORDS = 5

# Place names that are also everyday words: only a place after a preposition ("in Best").
COMMON_WORDS = {
    "amen",
    "balk",
    "beek",
    "best",
    "boer",
    "born",
    "echt",
    "een",
    "heel",
    "hoek",
    "horn",
    "lent",
    "lies",
    "loon",
    "made",
    "mill",
    "neer",
    "nes",
    "reek",
    "veen",
    "waal",
    "well",
    "wier",
    "hall",
    "hem",
    "elim",
    "ens",
    "erm",
    "lith",
    "rijs",
    "leek",
    "sluis",
    "oost",
    "west",
    "noord",
    "zuid",
    "haven",
    "heide",
    "stad",
    "ter",
    "den",
    "ie",
    "loo",
    "spui",
    "zeeland",
    "kaag",
    "tuk",
    "ane",
    "bant",
    "ell",
    "est",
    "elp",
    "hee",
    "riel",
    "wons",
    "putten",
    "dam",
    "plein",
    "oranje",
    "buren",
    "top",
    "noorden",
    "zuiden",
    "oosten",
    "westen",
}
# "gemeentehuis Ommen", "carmeet Putten": after these nouns a capitalised everyday word is a name.
PLACE_NOUNS = {
    "gemeentehuis",
    "raadhuis",
    "stadhuis",
    "station",
    "meet",
    "carmeet",
    "motormeet",
    "brommermeet",
    "scootermeet",
    "centrum",
    "dorp",
    "haven",
    "markt",
    "gemeente",
    "wijk",
    "kermis",
    "kern",
    "dorpskern",
}
# Wijk and landmark names that every town has ("de Markt", "Centrum", "het Hof"): they say
# nothing about which town on their own. "Nederland" is the country, not the hamlet.
GENERIC_WORDS = {
    "markt",
    "grote",
    "kleine",
    "oude",
    "nieuwe",
    "centrum",
    "binnenstad",
    "hof",
    "plein",
    "stadhuisplein",
    "marktplein",
    "kerkplein",
    "havenplein",
    "dorpsplein",
    "stationsplein",
    "stationsweg",
    "station",
    "haven",
    "brink",
    "korenmarkt",
    "vismarkt",
    "botermarkt",
    "boulevard",
    "dijk",
    "kade",
    "stadion",
    "stadhuis",
    "gemeentehuis",
    "dorp",
    "kern",
    "industrieterrein",
    "bedrijventerrein",
    "sportpark",
    "park",
    "noord",
    "zuid",
    "oost",
    "west",
    "nederland",
    "kerk",
    "parkeerplaats",
    "winkelcentrum",
    "de",
    "het",
    # streets nearly every town has: "in de Grotestraat" says nothing of which town
    "grotestraat",
    "hoofdstraat",
    "kerkstraat",
    "dorpsstraat",
    "stationsstraat",
    "nieuwstraat",
    "langestraat",
    "marktstraat",
    "voorstraat",
    "achterstraat",
    "molenstraat",
    "schoolstraat",
    "oranjestraat",
    "oranjelaan",
    "kruisstraat",
    "breestraat",
    "burgwal",
    "oosterstraat",
    "westerstraat",
    "noorderstraat",
    "zuiderstraat",
    "julianaplein",
    "wilhelminaplein",
    "koningsplein",
    "hoogstraat",
    "kerkweg",
    "dorpsweg",
}
REPEAT_SHARE = 0.25
# A place pointed at without a name we know: an unknown proper name after a preposition, or a
# noun for a place in town.
_LOCAL_PLACE = re.compile(
    r"\b(?i:bij|op|aan|naar|in|voor|vanaf|achter|langs|over)\s+(?i:de|het|'t)\s+[A-Z][\w'-]+"
    r"|\b(?i:bij|op|aan|naar|in|voor|vanaf|achter|langs|over)\s+[A-Z][a-z][\w'-]*"
    r"|(?i:\b(?:station|stadion|centrum|markt|plein|wijk|dorp|gemeentehuis|stadhuis|raadhuis|haven|"
    r"parkeerplaats|parkeerterrein|parkeerdek|winkelcentrum|bedrijventerrein|kruispunt|rotonde|"
    r"sportpark|kantine|tribune|uitvak|perron|boulevard|strand|dijk|brug|kermis|hier|thuis|"
    r"ingang|uitgang|hoofdingang|caf[eé]|kroeg|veld)\w*)"
    # a street or square by its own name, without a preposition ("Korenmarkt staat vol blauw")
    r"|\b[A-Z][a-z]\w*(?:markt|plein|straat|laan|kade|haven|dijk|singel|gracht|park|terrein)\b"
)
ROUTE_WORDS = {"daarna", "dan", "vervolgens", "doorrijden", "via", "terug"}
# "Heerenveen-fans", "Ajax-supporters": a town named as a club, not as the scene.
FAN_SUFFIXES = ("-fans", "-supporters", "-aanhang", "-aanhangers", "-hooligans", "-gasten", "-harde")
ARTICLE_WORDS = frozenset({"de", "den", "het", "'t", "t"})
FAN_WORDS = {"fans", "supporters", "aanhang", "aanhangers", "hooligans", "ultras"}
PROVINCE_WORDS = frozenset({"provincie", "prov", "provinciaal", "provinciale"})
# "om 11.00 rijden we naar het provinciehuis" in "Boerenverzet Drenthe": the province's seat
PROVINCE_HOUSE = re.compile(r"\bprovinciehuis\b|\bprovinciale staten\b|\bgedeputeerde")
# "Genoeg gepraat in Den Haag", "de heren in Den Haag", "Den Haag luistert niet": the national
# government, not where anything happens (a march "naar Den Haag" keeps its weight)
GOVERNMENT_WORDS = frozenset(
    "gepraat praten gelul beloftes beloofd politiek politici kabinet regering heren dames bobo's bobos "
    "zakkenvullers beslissen besluiten vergaderen lobby".split()
)
GOVERNMENT_VERBS = frozenset("moet moeten luistert luisteren beslist besluit wil laat".split())
CLUB_PREFIXES = {"fc", "sc", "tegen", "vs"}
# A club after these is the opponent ("tegen Ajax", "uit bij Cambuur"): no hint of the scene.
OPPONENT_WORDS = {"tegen", "vs", "bij", "naar", "op"}
# "het Limburgse Bergen", "in het Gelderse Hengelo": a province's adjective is context too.
PROVINCE_ADJECTIVES = {
    "limburgse": "Limburg",
    "friese": "Fryslân",
    "drentse": "Drenthe",
    "overijsselse": "Overijssel",
    "gelderse": "Gelderland",
    "zeeuwse": "Zeeland",
    "brabantse": "Noord-Brabant",
    "noord-hollandse": "Noord-Holland",
    "zuid-hollandse": "Zuid-Holland",
    "flevolandse": "Flevoland",
    "achterhoekse": "Gelderland",
    "achterhoek": "Gelderland",
    "west-friese": "Noord-Holland",
    "west-friesland": "Noord-Holland",
}
PLACE_PREPOSITIONS = {"in", "te", "bij", "uit", "naar", "rond", "nabij", "richting", "op", "via", "omgeving", "door"}
# Where the event happens is after these; where people come from is after "uit"/"van".
# (with the dialects' own: Frisian "yn", Gronings, Twents and Limburgs "bie")
# (and English posts' "at")
EVENT_PREPOSITIONS = {"in", "te", "op", "bij", "rond", "nabij", "vanaf", "@", "door", "yn", "bie", "at"}
# "ZATERDAG naar Steenwijk!", "met bussen naar Den Haag": where people go is where it happens,
# a little less surely than where it is ("in", "op").
DESTINATION_PREPOSITIONS = {"naar", "nei", "noar", "nao", "naor", "to", "towards"}
# "verzamelen 14:30 Stationsplein Deventer": the gathering is the event a call is about.
GATHERING_WORDS = {
    "verzamelen",
    "verzamel",
    "verzamelt",
    "verzamelpunt",
    "samenkomst",
    "start",
    "iedereen",
    "ontvangen",
    "opwachten",
}
# (Frisian "út" folds to "ut", which is also Brabants for "het": not among them)
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
ORIGIN_PREPOSITIONS = {"uit", "van", "vanuit", "oet", "uut", "vanuut", "from"}
# "het centrum van Veenendaal", "de burgemeester van Hoorn": after these nouns "van" names the
# town the item is about, not where people come from.
SCENE_OF_NOUNS = {
    # ("het strand van Zandvoort", "de boulevard van Vlissingen": a place of the town)
    "strand",
    "boulevard",
    "kade",
    "winkelcentrum",
    "uitgaansstraat",
    "centrum",
    "binnenstad",
    "burgemeester",
    "gemeente",
    "gemeenteraad",
    "politie",
    "wijk",
    "wijken",
    "haven",
    "station",
    "stadhuis",
    "gemeentehuis",
    "raadhuis",
    "hart",
    "straten",
    "inwoners",
    "bewoners",
    "stadsdeel",
    "uitgaansgebied",
    "omgeving",
    "buitengebied",
    "rand",
    "industrieterrein",
    "bedrijventerrein",
    "noorden",
    "zuiden",
    "oosten",
    "westen",
    "markt",
}

# "de Roermondse wijk De Kemp", "de Kerkraadse politie": a town's adjective before these nouns
# names the town, and beats a wijk of the same name elsewhere.
ADJECTIVE_NOUNS = (
    "wijk",
    "woonwijk",
    "buurt",
    "binnenstad",
    "stadsdeel",
    "politie",
    "burgemeester",
    "gemeenteraad",
    "raad",
    "gemeente",
    "dorp",
    "centrum",
    "haven",
    "uitgaansgebied",
    "bedrijventerrein",
    "industrieterrein",
)
# Neuter nouns a town's adjective comes before uninflected, without an article ("op Heerlens
# bedrijventerrein", "op Gouds grondgebied").
NEUTER_NOUNS = ("bedrijventerrein", "industrieterrein", "grondgebied", "stadhuis", "gemeentehuis", "politiebureau")
# Adjectives of countries abroad. Before a word for a town ("de Amerikaanse speelstad", "een
# Duitse grensplaats") or a town's name ("het Noorse Bergen") they put the scene abroad; alone
# they are a nationality ("Duitse supporters in Enschede" stay in Enschede).
FOREIGN_ADJECTIVES = frozenset(
    {
        "amerikaanse",
        "duitse",
        "belgische",
        "vlaamse",
        "waalse",
        "franse",
        "britse",
        "engelse",
        "schotse",
        "ierse",
        "spaanse",
        "italiaanse",
        "portugese",
        "poolse",
        "turkse",
        "griekse",
        "oostenrijkse",
        "zwitserse",
        "deense",
        "zweedse",
        "noorse",
        "hongaarse",
        "tsjechische",
        "kroatische",
        "servische",
        "qatarese",
        "canadese",
        "mexicaanse",
        "australische",
        # cities across the border, with their districts ("het Antwerpse district Deurne")
        "antwerpse",
        "brusselse",
        "gentse",
        "luikse",
        "keulse",
        "akense",
        "berlijnse",
        "parijse",
        "londense",
    }
)
# "het Antwerpse district Deurne": the part of a town abroad, between the adjective and the name
FOREIGN_PART_NOUNS = frozenset({"district", "districten", "wijk", "stadsdeel", "deelgemeente", "voorstad", "gemeente"})
TOWN_NOUNS = (
    "stad",
    "hoofdstad",
    "speelstad",
    "grensstad",
    "havenstad",
    "plaats",
    "grensplaats",
    "dorp",
    "grensdorp",
    "gastheerstad",
    "gemeente",
    "regio",
    "deelstaat",
)
# Several towns named, none the scene: a national item (an action day in twenty towns, a policy).
NATIONAL_CUES = re.compile(
    r"\b(in het hele land|door het hele land|in heel nederland|door heel nederland|"
    r"landelijk\w*|in onder meer|onder meer in|in verschillende (?:steden|gemeenten|plaatsen)|"
    r"in meerdere (?:steden|gemeenten|plaatsen)|in tientallen (?:steden|gemeenten|plaatsen)|"
    r"in (?:\w+ )?steden als|in gemeenten als|in plaatsen als)\b",
    re.IGNORECASE,
)
# "in twintig steden tegelijk", "in 14 gemeenten": the action is the country's; a dateline is
# only where the item was written.
_MANY = "|".join(w for w, n in nl.NUMBER_WORDS.items() if 3 <= n < 1000)
COUNTRYWIDE = re.compile(
    rf"\b(?:in|op|naar) (?:ruim |meer dan |zo'n |wel )?(?:{_MANY}|[1-9]\d+|[3-9]) "
    r"(?:(?:andere|grote|nederlandse) )?(?:steden|gemeenten|plaatsen)\b|"
    r"\b(?:door|in) (?:het hele|heel) (?:land|nederland)\b",
    re.IGNORECASE,
)
# "Forwarded from Scooterscene 023", "Doorgestuurd van SCHALKWIJK RIDERZ:": the channel a
# forward comes from, not the scene; read as a channel name.
_FORWARD_HEADER = re.compile(
    r"[^\w\n]{0,8}(?:forwarded from|doorgestuurd van|fw(?:d)?:? van)\s+([^\n]{1,80}?)\s*(?::|\n)", re.IGNORECASE
)
# "PARIJS (ANP) - ", "BERLIJN - "; a dateline is short, so the match never scans a post of capitals
# ("HOFPLEIN LJOUWERT" a thousand times): asked once per mention, it must cost the same each time
_DATELINE = re.compile(r"\s{0,3}[A-Z][A-Z' .-]{0,40}(?:\s*\([A-Z]{1,10}\))?\s*[-–:]\s")
# "Den Helder – Man zwaargewond …", "Alphen aan den Rijn - …": a regional site's dateline in the
# town's own spelling, always with a spaced dash (not "Update: …"); at most five words
_TITLE_DATELINE = re.compile(
    r"\s{0,3}(?:'s-)?[A-Z][\w'.-]{1,30}(?:\s(?:[A-Z][\w'.-]{0,30}|aan|den|de|op|van|der|in|bij)){0,4}\s[-–]\s"
)
ABROAD_BONUS = 0.6
MATCH_NOUNS = frozenset(
    {"wedstrijd", "thuiswedstrijd", "uitwedstrijd", "derby", "duel", "thuisduel", "uitduel", "competitieduel", "match"}
)
AWAY_MATCH_WORDS = {"uitwedstrijd", "uitduel", "uitwedstrijden", "uitmatch"}
# A town's adjective before these names the people, not the scene ("Amsterdamse supporters").
PEOPLE_NOUNS = {
    "scholieren",
    "studenten",
    "supporters",
    "fans",
    "boeren",
    "jongeren",
    "inwoners",
    "bewoners",
    "ondernemers",
    "actievoerders",
    "demonstranten",
    "vissers",
    "agenten",
    "hooligans",
    "harde",
    "raadsleden",
    "ouders",
    "leraren",
    "artsen",
    "verpleegkundigen",
    "zorgmedewerkers",
    "medewerkers",
}
SEVERAL_PLACES_MARGIN = 1.15  # four or more towns and the strongest not this far ahead: no scene

# Places called with an article though their name has none ("de Eemshaven", "de Lemmer").
ARTICLE_TOWNS = {("eemshaven",), ("lemmer",)}
KIND_RANK = {"landmark": 3, "wijk": 2, "woonplaats": 1, "gemeente": 1, "abroad": 1, "club": 0}
# Irregular adjectives of towns ("de Haagse Schilderswijk"); regular ones are derived.
DEMONYMS = {
    "haagse": "GM0518",
    "bossche": "GM0796",
    "zwolse": "GM0193",
    "nijmeegse": "GM0268",
    "almeerse": "GM0034",
    "leeuwarder": "GM0080",
    "maastrichtse": "GM0935",
    "amersfoortse": "GM0307",
    "zaanse": "GM0479",
    "helderse": "GM0400",
    # three-letter towns, too short for the derived forms
    "edese": "GM0228",
    "osse": "GM0828",
    "urker": "GM0184",
}


@dataclass(frozen=True, slots=True)
class Candidate:
    """One thing a name in a post may mean: a gemeente, town, wijk, landmark, club or abroad."""

    gemeente_code: str
    kind: str  # gemeente | woonplaats | wijk | landmark
    label: str


@dataclass(frozen=True, slots=True)
class PlaceMatch:
    """Where a post is: its gemeente, and the more specific place named when there is one."""

    gemeente_code: str
    gemeente: str
    place: str | None  # wijk, landmark or woonplaats, when more specific than the gemeente


class PlaceResolver:
    """Finds the gemeente a post is about: an index of every name (gemeenten, woonplaatsen,
    wijken, landmarks, clubs, adjectives, places abroad) and the rules that weigh the names a
    post mentions. Build it once (place_resolver()): the index takes about a second."""

    def __init__(self, gaz: Gazetteer | None = None, landmarks: Path = LANDMARKS):
        self.gaz = gaz or gazetteer()
        self.index: dict[tuple[str, ...], list[Candidate]] = {}
        for g in self.gaz.gemeenten.values():
            self._add(g.name, Candidate(g.code, "gemeente", g.name))
            self._add(g.name_plain, Candidate(g.code, "gemeente", g.name))
        for alias, code in GEMEENTE_ALIASES.items():
            self._add(alias, Candidate(code, "gemeente", self.gaz.gemeenten[code].name))
        for p in self.gaz.places:
            if p.kind == "wijk" and _generic(p.name) or fold(p.name) == "nederland":
                continue
            self._add(p.name, Candidate(p.gemeente_code, p.kind, p.name))
            if p.name.startswith(("St.-", "St. ")):  # "St.-Annaparochie" is written "Sint Annaparochie"
                self._add("Sint " + p.name[4:].lstrip(), Candidate(p.gemeente_code, p.kind, p.name))
        # "Zwaagdijk" for Zwaagdijk-Oost and -West: a village split in parts is named as a whole
        # when every part lies in one gemeente and the whole is no other name
        halves: dict[str, set[str]] = {}
        for p in self.gaz.places:
            base, dash, side = p.name.rpartition("-")
            if p.kind == "woonplaats" and dash and side in ("Oost", "West", "Noord", "Zuid"):
                halves.setdefault(base, set()).add(p.gemeente_code)
        for base, codes in halves.items():
            if len(codes) == 1 and len(base) > 3 and not self.index.get(_key(base)):
                (code,) = codes
                self._add(base, Candidate(code, "woonplaats", base))
        stadiums = set()
        for name, code, kind in load_landmarks(landmarks):
            if code in self.gaz.gemeenten and not _generic(name):
                self._add(name, Candidate(code, "landmark", name))
                if kind == "stadium":
                    stadiums.add(name)
        self.stadiums = frozenset(stadiums)  # a channel may be named after one ("Bunnikside Berichten")
        for g in self.gaz.gemeenten.values():
            for adjective in _adjectives(g.name_plain):
                self._add(adjective, Candidate(g.code, "gemeente", g.name))
        for adjective, code in DEMONYMS.items():
            self._add(adjective, Candidate(code, "gemeente", self.gaz.gemeenten[code].name))
        for adjective, code in self._irregular_adjectives().items():
            for noun in ADJECTIVE_NOUNS:
                self._add(f"{adjective} {noun}", Candidate(code, "gemeente", self.gaz.gemeenten[code].name))
            for noun in NEUTER_NOUNS:
                self._add(f"{adjective[:-1]} {noun}", Candidate(code, "gemeente", self.gaz.gemeenten[code].name))
        for adjective in sorted(FOREIGN_ADJECTIVES):
            for noun in TOWN_NOUNS:
                self._add(f"{adjective} {noun}", Candidate(ABROAD_CODE, "abroad", f"{adjective} {noun}"))
        if CLUBS.exists():
            with CLUBS.open(encoding="utf-8") as fh:
                for row in csv.DictReader(fh):
                    if row["gm_code"] in self.gaz.gemeenten:
                        self._add(row["name"], Candidate(row["gm_code"], "club", row["name"]))
        if ABROAD.exists():
            for line in ABROAD.read_text(encoding="utf-8").splitlines():
                # A name a Dutch place also has is read as that place, unless its own spelling
                # differs ("Zürich", the Frisian village is Zurich): then the spelling decides.
                if line.strip() and not line.startswith("#") and (not self.index.get(_key(line)) or not line.isascii()):
                    self._add(line.strip(), Candidate(ABROAD_CODE, "abroad", line.strip()))
        # The longest name starting with each word: most words start none, and are skipped.
        self.starts: dict[str, int] = {}
        for key in self.index:
            self.starts[key[0]] = max(self.starts.get(key[0], 0), len(key))
        # Names safe to read without a capital ("carmeet dedemsvaart"): not a Dutch word.

        words, stops = lexicon(), stop_words()
        self.lowercase_ok = {
            key
            for key, cands in self.index.items()
            if all(c.kind in ("gemeente", "woonplaats", "landmark") for c in cands)
            and len("".join(key)) >= 5
            and (
                (key[0] not in words and key[0] not in stops and key[0] not in COMMON_WORDS)
                # "zaterdag na den bosch - helmond": an article before a name that is no word
                or (
                    len(key) >= 2
                    and key[0] in ARTICLE_WORDS
                    and key[-1] not in words
                    and key[-1] not in stops
                    and key[-1] not in COMMON_WORDS
                )
            )
        }
        # the colloquial names people type lower-case ("na den bosch"), though "bosch" is a word
        self.lowercase_ok |= {key for key in map(_key, GEMEENTE_ALIASES) if len(key) >= 2 and key[0] in ARTICLE_WORDS}
        # "Meer hoef ik niet te zeggen": a place named like one of the commonest words is read
        # as a place only after a preposition, as COMMON_WORDS are
        self.common_words = COMMON_WORDS | {key[0] for key in self.index if len(key) == 1 and key[0] in stops}
        self.provinces = {fold(g.province): g.province for g in self.gaz.gemeenten.values()}
        self.provinces.update(PROVINCE_ALIASES)
        self.provinces.update(PROVINCE_ADJECTIVES)

    def _irregular_adjectives(self) -> dict[str, str]:
        """Adjectives the regular rule misses ("Kerkraadse", "Goudse", "Leidse", "Bredase"),
        found by stem; only used before a noun of ADJECTIVE_NOUNS, so "Goudse kaas" stays cheese."""
        stems: dict[str, set[str]] = {}
        names = [(g.name_plain, g.code) for g in self.gaz.gemeenten.values()]
        names += [(p.name, p.gemeente_code) for p in self.gaz.places if p.kind == "woonplaats"]
        for name, code in names:
            if " " in name or "-" in name or len(name) < 4:
                continue
            for stem in _stems(fold(name)):
                stems.setdefault(stem, set()).add(code)
        out = {}
        for stem, codes in stems.items():
            if len(codes) == 1:
                out[_undouble(stem) + "se"] = next(iter(codes))
                out[stem + "se"] = next(iter(codes))
        for g in self.gaz.gemeenten.values():  # the regular ones too, now as a pair with the noun
            for adjective in _adjectives(g.name_plain):
                out.setdefault(fold(adjective), g.code)
        out.update(DEMONYMS)
        return out

    @cached_property
    def _channel_names(self) -> dict[str, str]:
        """Town words a channel name may be made of that the name index lacks ("asser_nieuws"):
        gemeente names and aliases, their adjectives and the -er form, and woonplaatsen of one
        gemeente; never a Dutch word ("best", "echt") or a short name."""

        words = lexicon()
        out: dict[str, str] = {}
        for name, code in [(g.name_plain, g.code) for g in self.gaz.gemeenten.values()] + [
            (p.name, p.gemeente_code) for p in self.gaz.places if p.kind == "woonplaats"
        ]:
            folded = fold(name)
            key = " ".join(_key(name))
            forms = {key}
            if " " not in folded and "-" not in folded:
                forms.update(fold(a) for a in _adjectives(name))
                for s in _stems(folded) | {folded}:
                    # the people: "arnhemer"/"arnhemmer", "assenaar", "drachtster"
                    forms.update((s + "er", s + s[-1] + "er", s + "aar", s + "ster"))
            for form in forms:
                if (
                    len(form) >= 4
                    and form not in words
                    and form not in COMMON_WORDS
                    and form not in COMPASS_FORMS
                    and form != "nederland"
                ):
                    out.setdefault(form, code)
        # a wijk whose name only one town has ("charlois_bewoner", "kanaleneilander")
        wijken: dict[str, set[str]] = {}
        for p in self.gaz.places:
            if p.kind == "wijk" and not _generic(p.name):
                wijken.setdefault(fold(p.name), set()).add(p.gemeente_code)
        for folded, codes in wijken.items():
            if len(codes) == 1 and len(folded) >= 6 and " " not in folded and folded not in words:
                code = next(iter(codes))
                out.setdefault(folded, code)
                out.setdefault(folded + "er", code)
        for alias, code in GEMEENTE_ALIASES.items():
            out[" ".join(_key(alias))] = code
        for adjective, code in self._irregular_adjectives().items():
            if adjective not in words and adjective not in COMPASS_FORMS:
                out.setdefault(adjective, code)
        return out

    def _add(self, name: str, candidate: Candidate) -> None:
        key = _key(name)
        if not key or len(key) > MAX_WORDS:
            return
        bucket = self.index.setdefault(key, [])
        if candidate not in bucket:
            bucket.append(candidate)

    def _mentions(
        self, words: list[str], norms: list[str], surnames: bool = True, text: str | None = None
    ) -> list[tuple[int, tuple[str, ...], list[Candidate]]]:
        found = []
        starts = self.starts
        # "Nijmegen-West", "Rotterdam-Zuid": a hyphenated word not known as a whole is read as
        # its first part.
        keys = [n if n in starts or "-" not in n else n.split("-", 1)[0] for n in norms]
        i, count = 0, len(words)
        while i < count:
            first = words[i]
            if keys[i] not in starts:
                i += 1
                continue
            # A place name is written with a capital (or a digit, or 's-), unless it is no word.
            capital = first[0].isupper() or first[0].isdigit() or first[0] == "'"
            longest = starts[keys[i]]
            for n in range(min(longest, count - i), 0, -1):
                key = tuple(keys[i : i + n])
                cands = self.index.get(key)
                if not cands or not (capital or key in self.lowercase_ok):
                    continue
                if (
                    surnames
                    and i
                    and words[i - 1] == "Van"
                    and capital
                    and n == 1
                    and not (i + 1 < count and norms[i + 1] in ("tot", "naar"))  # "Van Groningen tot Maastricht"
                ):
                    continue  # "woordvoerder Van Alphen": a surname, not a place
                if (
                    i
                    and norms[i - 1] in ("de", "het")
                    and key not in ARTICLE_TOWNS
                    and all(c.kind == "woonplaats" for c in cands)
                ):
                    continue  # "naar de Horst" (a stadium's nickname): a village is named without an article
                prev = norms[i - 1] if i else ""
                if prev in ("de", "het") and i > 1:  # "op de Dam", "bij het Plein"
                    prev = norms[i - 2]
                # "gemeentehuis Ommen": a capitalised word inside a sentence is a name
                named = (
                    prev in PLACE_NOUNS
                    and first[1:].islower()
                    # "16:30 station. Meer hoef ik niet te zeggen": a new sentence, not a name
                    and (
                        text is None
                        or re.search(rf"{re.escape(words[i - 1])}[ \t]+{re.escape(first)}", text) is not None
                    )
                )
                if (
                    n == 1
                    and key[0] in self.common_words
                    and (prev not in PLACE_PREPOSITIONS or _new_sentence(text, words, i))
                    and not named
                    # "ECHT - Zo'n vijfhonderd inwoners ...": a dateline is a place, whatever word it is
                    and not (first.isupper() and text is not None and i == _dateline_position(text))
                ):
                    continue
                if any(c.kind == "abroad" and not c.label.isascii() for c in cands):
                    cands = _by_spelling(" ".join(words[i : i + n]).lower(), cands)
                found.append((i, key, cands))
                i += n - 1
                break
            i += 1
        return found

    def _provincial_seat(self, text: str, norms: list[str], channel: str | None) -> PlaceMatch | None:
        """A post that names no town but the provinciehuis (or Provinciale Staten) and one province,
        in its text or its channel's name ("Boerenverzet Drenthe"): the province's seat."""
        if not PROVINCE_HOUSE.search(text.casefold()):
            return None
        provinces = self._provinces_named(norms)
        if not provinces and channel:
            provinces = self._provinces_named([fold_word(w) for w in re.split(r"[\W_]+", channel) if w])
        if len(provinces) != 1:
            return None
        code = PROVINCIAL_SEATS.get(next(iter(provinces)))
        g = self.gaz.gemeenten.get(code or "")
        return PlaceMatch(g.code, g.name, "provinciehuis") if g else None

    def _unnamed_place(self, text: str, home: str | None) -> PlaceMatch | None:
        """A post in a town's channel that points at a place without a name we know ("bij de
        Esplanade", "op het station") is about a place in that town; a post that names no place
        at all gets no gemeente."""
        if home and home in self.gaz.gemeenten and _LOCAL_PLACE.search(text):
            return PlaceMatch(home, self.gaz.gemeenten[home].name, None)
        return None

    @staticmethod
    def _no_single_scene(text: str, scored: dict[str, float], parts: dict[str, list[float]]) -> bool:
        """Several Dutch towns and none clearly the scene (a national action day, a policy item
        listing towns): the post has no gemeente."""
        towns = [c for c in parts if c != ABROAD_CODE and scored.get(c, 0) > 0]
        if len(towns) < 2:
            return False
        ranked = sorted((scored[c] for c in towns), reverse=True)
        if NATIONAL_CUES.search(text):
            return len(towns) >= 3 and ranked[0] < 2.0 * ranked[1] or ranked[0] < 1.3 * ranked[1]
        return len(towns) >= 4 and ranked[0] < SEVERAL_PLACES_MARGIN * ranked[1]

    def channel_home(self, channel: str | None) -> str | None:
        """The gemeente a channel's name points to ("scooters_emmen", "r/Almere"), if one."""
        if not channel:
            return None
        # (camel case splits: "DelftInternationals", "UtrechtExpats")
        return self._channel_home(_CAMEL.sub(" ", channel).casefold())

    @lru_cache(maxsize=20_000)  # noqa: B019 (one resolver lives as long as the process; the cache is bounded)
    def _channel_home(self, channel: str) -> str | None:
        words = [w.title() for w in re.split(r"[\W_]+", channel) if w]
        if PROVINCE_WORDS.intersection(w.casefold() for w in words):
            return None  # "utrecht_provincie_verzet": the province (a context in _tally), not the city
        found = [
            c
            for _, _, cands in self._mentions(words, [fold_word(w) for w in words], surnames=False)
            for c in cands
            # (a channel named after a stadium or its stand, "Bunnikside Berichten", is its town's; not
            # after any landmark: "WaalstadForum" is no channel of Wageningen's Forum)
            if c.kind in ("gemeente", "woonplaats", "club") or (c.kind == "landmark" and c.label in self.stadiums)
        ]
        codes = {c.gemeente_code for c in found}
        if len(codes) > 1:  # "gemeente-hoorn.nl": the gemeente Hoorn, not the hamlet on Terschelling
            codes = {c.gemeente_code for c in found if c.kind == "gemeente"} or codes
        if not codes:
            # town words the index lacks: "asser_nieuws", "meppeler_lezer", "r_alphen"
            parts = [fold(w) for w in words][:12]
            codes = {
                code
                for n in (3, 2, 1)
                for i in range(len(parts) - n + 1)
                if (code := self._channel_names.get(" ".join(parts[i : i + n])))
            }
        if not codes:
            # a town glued to another word: "groenmaastricht", "scooterboysemmen", "almeloactueel"
            glued_names = self._glued_names
            for part in (p for p in parts if len(p) >= 8):
                # every head and tail of the word, looked up (not every town name tried)
                glued = [
                    (k, code)
                    for k in range(6, len(part))
                    for form in (part[:k], part[-k:])
                    if (code := glued_names.get(form))
                ]
                if glued:  # the longest: "groenmaastricht" is Maastricht, not Tricht
                    codes.add(max(glued)[1])
        return codes.pop() if len(codes) == 1 else None

    @cached_property
    def _glued_names(self) -> dict[str, str]:
        """Town names long enough to find inside a longer channel word (six letters or more)."""
        return {
            form: code
            for form, code in self._channel_names.items()
            if " " not in form and "-" not in form and len(form) >= 6
        }

    def resolve(
        self,
        text: str,
        home_gemeente: str | None = None,
        words: list[str] | None = None,
        norms: list[str] | None = None,
        channel: str | None = None,
    ) -> PlaceMatch | None:
        """The gemeente (and wijk, landmark or woonplaats) `text` is about, or None when it names
        no single Dutch scene (abroad, a list of towns, a national item, no place at all).

        `home_gemeente`: the channel's gemeente from config; `channel`: its name, a weaker
        hint. `words`/`norms`: the tokens of `text` (nlp.text) and their folded forms, when
        the caller already has them."""
        words, norms, forwarded = _tokens_after_forward_header(text, words, norms)
        mentions = [
            m
            for m in self._mentions(words, norms, text=text)
            if not _seat_of_government(norms, m) and not _opponent_town(norms, m)
        ]
        named = home_gemeente or self.channel_home(channel) or (forwarded and self.channel_home(forwarded.group(1)))
        if not mentions:
            return self._unnamed_place(text, named) or self._provincial_seat(text, norms, channel)
        tally = self._tally(text, norms, mentions, home_gemeente, channel)
        if named and tally.origins_only and named not in tally.parts:
            # "honderden mensen, ook uit Lelystad en Zeewolde" in a town's channel: the people
            # came from elsewhere to the channel's town
            return self._unnamed_place(text, named) or PlaceMatch(named, self.gaz.gemeenten[named].name, None)
        if tally.origins_only and THITHER.intersection(norms):
            # "Ook vanuit Emmen en Assen rijden we erheen": where people leave from for a scene
            # the post does not name
            return self._unnamed_place(text, named)
        # a forward's words were written in the channel it came from: the forwarding channel's
        # town breaks no tie ("⏩ Doorgestuurd van zh_scooterscene … SCHIEDAM" in maasstad_brommers)
        tie = named if not forwarded or home_gemeente else self.channel_home(forwarded.group(1))
        _channel_tiebreak(tally, tie, home_gemeente)
        scene = self._scene(text, tally, named, _listed_towns(mentions, norms))
        if scene is not None and COUNTRYWIDE.search(text):
            # "DEN HAAG - Huurders gaan zaterdag in twintig steden de straat op": the dateline
            # is the only mention of the town, and the action is everywhere
            at = [pos for pos, _, cands in mentions if any(c.gemeente_code == scene.gemeente_code for c in cands)]
            if at == [_dateline_position(text)]:
                return None
        return scene

    def scene_abroad(self, text: str) -> bool:
        """Whether the post's strongest place is abroad ("Vanuit Lissabon: duizenden mensen op
        straat"): such a post is no bystander of a Dutch event (detectors.attach)."""
        words, norms, _ = _tokens_after_forward_header(text, None, None)
        mentions = self._mentions(words, norms, text=text)
        if not any(c.kind == "abroad" for _, _, cands in mentions for c in cands):
            return False
        scored = self._tally(text, norms, mentions, None, None).scored
        return bool(scored) and max(sorted(scored), key=lambda c: scored[c]) == ABROAD_CODE

    def _tally(
        self, text: str, norms: list[str], mentions: list[Mention], home_gemeente: str | None, channel: str | None
    ) -> _Tally:
        """The weighed mentions, with the provinces the post and its channel name ("omrop_fryslan",
        "noordholland_boeren") as context for ambiguous names."""
        provinces = self._provinces_named(norms)
        channel_provinces = (
            self._provinces_named([fold_word(w) for w in re.split(r"[\W_]+", channel) if w]) if channel else set()
        )
        post = _PostContext(
            text, norms, provinces, _unambiguous_gemeenten(mentions), home_gemeente, channel_provinces - provinces
        )
        return self._weigh_mentions(post, mentions)

    def _provinces_named(self, norms: list[str]) -> set[str]:
        """Provinces the post names, which settle ambiguous town names; "het Limburgse Bergen
        dus, niet Noord-Holland": a negated province is no context."""
        return {
            self.provinces[n]
            for i, n in enumerate(norms)
            if n in self.provinces and "niet" not in norms[max(0, i - 3) : i]
        }

    def _weigh_mentions(self, post: _PostContext, mentions: list[Mention]) -> _Tally:
        """Each mention's weight as the scene (the preposition before it, the words around it),
        spread over the gemeenten its name may mean; then repeats of a town summed."""
        tally = _Tally()
        norms = post.norms
        origin_end = -9  # the last word of a run of origins ("uit Zwolle, Kampen en Meppel")
        abroad_at = {pos for pos, _, cands in mentions if cands and all(c.kind == "abroad" for c in cands)}
        folded: str | None = None
        last_club: tuple[int, str] | None = None  # (position, folded last word) of the last club named
        # where a town is named, and which gemeente it is ("HOFPLEIN LJOUWERT": the square is that town's)
        towns_at = {
            pos: {c.gemeente_code for c in cands}
            for pos, _, cands in mentions
            if cands and all(c.kind in ("gemeente", "woonplaats") for c in cands)
        }
        for pos, key, cands in mentions:
            cands, codes = _abroad_by_adjective(norms, pos, key, cands)
            away = False
            if last_club is not None and 0 < pos - last_club[0] <= 3:
                # "SC Cambuur – sc Heerenveen", "PSV-Ajax": a match is written home team first;
                # the visitors' town is not the scene
                folded = folded if folded is not None else fold(post.text)
                away = (
                    re.search(
                        rf"\b{re.escape(last_club[1])}\s*(?:[-–]|vs\.?)\s*(?:(?:sc|fc|vv)\s+)?{re.escape(key[0])}\b",
                        folded,
                    )
                    is not None
                )
            if any(c.kind == "club" for c in cands):
                last_club = (pos + len(key) - 1, key[-1])
            if away:
                continue
            weight, origin = _preposition_weight(norms, pos, origin_end)
            end = pos + len(key)
            if end + 1 in abroad_at and end < len(norms) and norms[end] in ("in", "te"):
                weight *= 0.1  # "bij de Tivoli in Aachen": a name shared with a Dutch place, there
            if origin:
                origin_end = pos + len(key) - 1
            else:
                tally.scene_named = True
            weight = _surroundings_weight(norms, pos, weight)
            weight = _name_form_weight(post.text, norms, pos, key, weight)
            if (
                len(codes) > 1
                and post.context
                and not codes & post.context
                and all(c.kind == "landmark" for c in cands)
            ):
                # "in de Hoofdstraat" in an item that names Veenendaal: that town's street,
                # not the listed Hoofdstraat of another town
                weight *= 0.3
            town_after = towns_at.get(pos + len(key))
            if town_after and not codes & town_after and all(c.kind == "landmark" for c in cands):
                # "Zaterdag 14:00 Hofplein Leeuwarden": a square of that name in the town named
                # with it, not the listed square of another town
                weight *= 0.2
            self._spread(tally, post, pos, cands, codes, weight)
        tally.count_repeats()
        return tally

    def _spread(
        self, tally: _Tally, post: _PostContext, pos: int, cands: list[Candidate], codes: set[str], weight: float
    ) -> None:
        """Share one mention's weight among the gemeenten its name may mean, each with the bonus
        of what in the post points to it; a club only hints at its home town."""
        norms = post.norms
        prev = norms[pos - 1] if pos else ""
        share = 1.0 / len(codes)
        # a name several gemeenten share ("Westpoort": a wijk of Amsterdam, an industrial
        # estate of Groningen) is as strong for each: its kind picks the place, not the gemeente
        top_rank = max((KIND_RANK[c.kind] for c in cands if c.kind != "club"), default=0)
        for cand in cands:
            if cand.kind == "club":
                # The fans' own club hints at its home town, weakly; the opponent
                # ("tegen Ajax", "uit bij Cambuur") says nothing about the scene.
                hint = 0.0 if prev in OPPONENT_WORDS else 0.4
                tally.scored[cand.gemeente_code] = tally.scored.get(cand.gemeente_code, 0.0) + hint
                continue
            g = self.gaz.gemeenten.get(cand.gemeente_code)  # None: abroad
            bonus = _disambiguation_bonus(cand, g.province, post) if len(codes) > 1 and g is not None else 0.0
            rank = KIND_RANK[cand.kind]
            if cand.kind == "abroad" and (
                prev in EVENT_PREPOSITIONS
                or (prev in ("de", "het") and pos > 1 and norms[pos - 2] in EVENT_PREPOSITIONS)
            ):
                # A place abroad is named on purpose as the scene ("in Gronau, net over de
                # grens bij Enschede"); the Dutch towns beside it are references or origins.
                bonus += ABROAD_BONUS
            kind_weight = 0.2 * (top_rank if len(codes) > 1 else rank)
            tally.parts.setdefault(cand.gemeente_code, []).append((weight + kind_weight) * share + bonus)
            label = None if cand.kind == "gemeente" else cand.label
            if (
                label
                and g is not None
                and fold(label) not in (fold(g.name), fold(g.name_plain))
                and rank > tally.best_place.get(cand.gemeente_code, (0, None))[0]
            ):
                tally.best_place[cand.gemeente_code] = (rank, label)

    def _scene(self, text: str, tally: _Tally, named: str | None, listed: set[str]) -> PlaceMatch | None:
        """The strongest gemeente, unless the post has no single scene: several towns none
        clearly ahead, a list of towns, only opponents named, or a place abroad."""
        scored = tally.scored
        code = max(sorted(scored), key=lambda c: scored[c])
        if self._no_single_scene(text, scored, tally.parts):
            return None
        if scored[code] > 0 and sum(1 for c in scored if c != ABROAD_CODE and scored[c] == scored[code]) > 1:
            # "een explosie bij een zaak aan de Koemarkt": a name two towns share and nothing in
            # the post or its channel to choose by. No gemeente rather than the first in the
            # list: a signal on the wrong town's board misleads, one without a place waits for
            # evidence (picking the town the gazetteer knows best gained 1 post of 713 on the
            # test split and lost 3 events' grouping on the scenario sets).
            return self._unnamed_place(text, named)
        if code in listed and not any(scored.get(c, 0) >= scored[code] for c in scored if c not in listed):
            # "invallen in Tilburg en Breda", "in Westland, Delft en Rijswijk": a list of towns
            # is no single scene (the first only seems stronger for the "in" before it)
            return None
        if scored[code] <= 0:  # only opponents named ("tegen Ajax"): as if no place was named
            return self._unnamed_place(text, named)
        if code == ABROAD_CODE:
            return None
        g = self.gaz.gemeenten[code]
        return PlaceMatch(code, g.name, tally.best_place.get(code, (0, None))[1])


def _opponent_town(norms: list[str], mention: Mention) -> bool:
    """ "zondag thuiswedstrijd tegen Almelo": the town stands for the visiting club, as a club
    named after "tegen" does (OPPONENT_WORDS): no scene."""
    pos, _, cands = mention
    return (
        pos > 0
        and norms[pos - 1] in ("tegen", "vs")
        and bool(MATCH_NOUNS.intersection(norms))
        and all(c.kind in ("gemeente", "woonplaats") for c in cands)
    )


def _seat_of_government(norms: list[str], mention: Mention) -> bool:
    """ "Genoeg gepraat in Den Haag", "Den Haag luistert niet": the government, no place at all
    (nor context for an ambiguous square: the Grote Markt of that call is not The Hague's)."""
    pos, key, _ = mention
    end = pos + len(key)
    return key[-1] == "haag" and bool(
        GOVERNMENT_WORDS.intersection(norms[max(0, pos - 3) : pos])
        or (end < len(norms) and norms[end] in GOVERNMENT_VERBS)
    )


def _new_sentence(text: str | None, words: list[str], i: int) -> bool:
    """Whether word `i` starts a sentence after word i-1 ("tussen de auto's door. Echt
    levensgevaarlijk"): the preposition before the full stop governs nothing after it."""
    if text is None or i == 0:
        return False
    return re.search(rf"{re.escape(words[i - 1])}\s*[.!?]+\s+{re.escape(words[i])}", text) is not None


def _by_spelling(written: str, cands: list[Candidate]) -> list[Candidate]:
    """A name shared by a place abroad and a Dutch one, told apart by how it is written:
    "ZÜRICH -" is the city abroad, "Zurich" the Frisian village."""
    if written.isascii():
        return [c for c in cands if c.kind != "abroad" or c.label.isascii()] or cands
    return [c for c in cands if c.kind == "abroad" or c.label.lower() == written] or cands


Mention = tuple[int, tuple[str, ...], list[Candidate]]  # (word position, folded name, what it may mean)


@dataclass(frozen=True, slots=True)
class _PostContext:
    """What weighing a post's mentions reads besides the mention itself."""

    text: str
    norms: list[str]
    provinces: set[str]  # provinces named in the post
    context: set[str]  # gemeenten named unambiguously in the post
    home_gemeente: str | None
    channel_provinces: set[str] = field(default_factory=set)  # named in the channel's name only


def _unambiguous_gemeenten(mentions: list[Mention]) -> set[str]:
    """Gemeenten named unambiguously in the post: they help settle ambiguous names."""
    return {c[0].gemeente_code for _, _, c in mentions if len({x.gemeente_code for x in c}) == 1}


@dataclass(slots=True)
class _Tally:
    """The evidence over a post's mentions, per gemeente code (ABROAD_CODE for abroad)."""

    scored: dict[str, float] = field(default_factory=dict)  # total score
    parts: dict[str, list[float]] = field(default_factory=dict)  # each mention's score
    best_place: dict[str, tuple[int, str | None]] = field(default_factory=dict)  # (kind rank, wijk/landmark)
    scene_named: bool = False  # some place is named other than as where people come from

    @property
    def origins_only(self) -> bool:
        """Every town is named as where people come from ("ook uit Lelystad en Zeewolde")."""
        return bool(self.parts) and not self.scene_named

    def count_repeats(self) -> None:
        """The strongest mention counts in full, repeats of the same town a little: a post
        that names its destination three times is still about where it gathers."""
        for code, values in self.parts.items():
            values.sort(reverse=True)
            self.scored[code] = self.scored.get(code, 0.0) + values[0] + REPEAT_SHARE * sum(values[1:])


def _tokens_after_forward_header(
    text: str, words: list[str] | None, norms: list[str] | None
) -> tuple[list[str], list[str], re.Match[str] | None]:
    """The words and folded words of `text`, without a "Forwarded from <channel>" header (its
    channel is returned as a hint, not read as a place in the post)."""
    if words is None or norms is None:
        words = TOKEN.findall(text)
        norms = [fold_word(w) for w in words]
    forwarded = _FORWARD_HEADER.match(text)
    if forwarded:
        skip = len(TOKEN.findall(text[: forwarded.end()]))
        words, norms = words[skip:], norms[skip:]
    return words, norms, forwarded


def _abroad_by_adjective(
    norms: list[str], pos: int, key: tuple[str, ...], cands: list[Candidate]
) -> tuple[list[Candidate], set[str]]:
    """The candidates of a mention and their gemeente codes; "in het Noorse Bergen": a town of
    that name abroad."""
    prev = norms[pos - 1] if pos else ""
    if prev in FOREIGN_ADJECTIVES or (prev in FOREIGN_PART_NOUNS and pos >= 2 and norms[pos - 2] in FOREIGN_ADJECTIVES):
        return [Candidate(ABROAD_CODE, "abroad", key[0])], {ABROAD_CODE}
    return cands, {c.gemeente_code for c in cands}


def _preposition_weight(norms: list[str], pos: int, origin_end: int) -> tuple[float, bool]:
    """A mention's base weight by the preposition before it ("in", "naar", "uit"), and whether it
    names where people come from rather than the scene (`origin_end`: the last word of the
    origins named just before, so "uit Zwolle, Kampen en Meppel" stays a list of origins)."""
    prev = norms[pos - 1] if pos else ""
    weight = 1.0
    # "bij het Rotterdam Centraal", "naar de Goffert": the preposition before the article
    lead = norms[pos - 2] if prev in ("de", "het", "t") and pos >= 2 else prev
    if lead in EVENT_PREPOSITIONS:
        weight += 1.0
    elif lead in DESTINATION_PREPOSITIONS:
        weight += 0.6
    elif prev == "van" and pos >= 2 and norms[pos - 2] in SCENE_OF_NOUNS:
        weight += 0.5
    elif prev in ORIGIN_PREPOSITIONS and pos >= 2 and norms[pos - 2] in RETURN_WORDS:
        return weight + 0.6, False  # "terug uit Berlijn": where the writer was, the scene
    elif prev in ORIGIN_PREPOSITIONS:
        weight -= 0.6
    origin = lead in ORIGIN_PREPOSITIONS and not (
        prev == "van" and pos >= 2 and norms[pos - 2] in SCENE_OF_NOUNS | {"hoogte"}
    )
    if not origin and (origin_end == pos - 1 or origin_end == pos - 2 and prev in ("en", "of")):
        origin, weight = True, weight - 0.6  # "uit Zwolle, Kampen en Meppel": the list goes on
    return weight, origin


RETURN_WORDS = frozenset({"terug", "back", "thuiskomst"})
THITHER = frozenset({"erheen", "ernaartoe", "daarheen", "daarnaartoe", "derhinne"})
DEPARTURE_WORDS = frozenset({"vertrekken", "vertrekt", "vertrek", "vertrekpunt", "carpoolplaats", "carpoolen"})


def _away_trip(norms: list[str]) -> bool:
    return any(n == "uit" and nxt in ("naar", "in", "bij", "tegen") for n, nxt in zip(norms, norms[1:])) or bool(
        AWAY_MATCH_WORDS.intersection(norms)
    )


def _surroundings_weight(norms: list[str], pos: int, weight: float) -> float:
    """The weight after the words just before the mention: a gathering, a negation, a route, an
    away match."""
    prev = norms[pos - 1] if pos else ""
    before = norms[max(0, pos - 8) : pos]
    if "eerst" in before:
        weight *= 0.5  # "verzamelt zich eerst bij Venray en rijdt dan naar Straatsburg": a first stop
    elif any(n in GATHERING_WORDS for n in norms[max(0, pos - 5) : pos]):
        weight += 0.8
    if "niet" in norms[max(0, pos - 3) : pos]:
        weight *= 0.1  # "ons Hoorn, niet dat in West-Friesland"
    if prev == "van" and pos >= 2 and norms[pos - 2] == "hoogte":
        weight += 1.6  # "ter hoogte van Staphorst" is a location, not an origin
    if prev not in ("naar", "richting") and any(n in DEPARTURE_WORDS for n in before) and not _away_trip(norms):
        # "we vertrekken om 9 uur vanaf de carpoolplaats bij Staphorst" to a protest elsewhere:
        # not the scene (fans leaving for an away match gather there: that is the scene)
        weight *= 0.3
    if any(n in ROUTE_WORDS for n in norms[max(0, pos - 4) : pos]):
        weight *= 0.5  # "meet in Elst, daarna richting Bemmel": the route after the start
    if pos >= 2 and norms[pos - 2] == "uit" and prev in ("in", "naar", "bij"):
        weight = 0.6  # "uit in Arnhem": the away match; a call is about its gathering
    if pos >= 2 and norms[pos - 2] in AWAY_MATCH_WORDS and prev in ("in", "bij", "tegen"):
        weight = 0.3  # "op de terugweg van de uitwedstrijd in Enschede": not the scene
    if pos >= 2 and norms[pos - 2] == "ook" and prev in ("in", "bij", "op"):
        weight *= 0.4  # "Ook in Zwijndrecht was het onrustig": a place besides the scene
    if THITHER.intersection(norms[pos + 1 : pos + 5]):
        weight *= 0.3  # "wij rijden 13:15 vanaf Zuidplein erheen": where some leave for the scene
    return weight


def _name_form_weight(text: str, norms: list[str], pos: int, key: tuple[str, ...], weight: float) -> float:
    """The weight after the form of the name and what follows it: an adjective before people,
    a dateline, "de Roermondse wijk", a club's fans."""
    prev = norms[pos - 1] if pos else ""
    end = pos + len(key) - 1
    if len(key) == 1 and key[0].endswith("se") and end + 1 < len(norms) and norms[end + 1] in PEOPLE_NOUNS:
        weight *= 0.3  # "Harderwijkse scholieren gaan naar het Malieveld": where they come from
    if pos == _dateline_position(text):
        weight += 3.0  # "BERLIJN - Honderden Nederlanders reizen ...": where it is written from
    if len(key) == 2 and key[1] in ADJECTIVE_NOUNS:
        weight += 1.5  # "de Roermondse wijk De Kemp"
    if (
        norms[end].endswith(FAN_SUFFIXES)
        or (end + 1 < len(norms) and norms[end + 1] in FAN_WORDS)
        or prev in CLUB_PREFIXES
    ):
        weight *= 0.3  # the club, not the scene
    return weight


def _dateline_position(text: str) -> int:
    """The word position of the dateline: the text's start ("BERLIJN - …"), or the line after a
    headline ("Boeren willen naar provinciehuis\nDEN HAAG - …"); -1 without one."""
    if _DATELINE.match(text) or _TITLE_DATELINE.match(text):
        return 0
    head, newline, body = text.partition("\n")
    if newline and (_DATELINE.match(body) or _TITLE_DATELINE.match(body)):
        return len(TOKEN.findall(head))
    return -1


def _disambiguation_bonus(cand: Candidate, province: str, post: _PostContext) -> float:
    """For a name several gemeenten share: what in the post points to this one (its province,
    another mention of it, the channel's own gemeente, or being the gemeente itself)."""
    bonus = 0.0
    if province in post.provinces:
        bonus += 2.0
    elif province in post.channel_provinces:
        bonus += 0.6  # the channel's region ("omrop_fryslan"): a tie-breaker, weaker than the text
    if cand.gemeente_code in post.context:
        bonus += 1.5
    if cand.gemeente_code == post.home_gemeente:
        bonus += 2.5  # the channel reports on its own gemeente
    if cand.kind == "gemeente":
        bonus += 0.5  # "Hengelo" alone means the town, not the hamlet
    return bonus


# Forms derived from Noorden (Nieuwkoop) and the like that are the compass words channels are named
# with ("Noorderland Nieuws", "noordse_scooters"): never a town.
COMPASS_FORMS = frozenset(
    {"noorder", "noordse", "noordaar", "noordder", "zuider", "zuidse", "ooster", "oostse", "wester", "westse"}
)


def _channel_tiebreak(tally: _Tally, named: str | None, home_gemeente: str | None) -> None:
    """The gemeente a channel's name points to breaks a tie among the named places, unless the
    config gives the channel's gemeente (its bonus is already counted) or a place abroad leads."""
    if named is None or named not in tally.scored or home_gemeente is not None:
        return
    # (a place abroad ahead of the channel's town stays ahead: "bus naar Brussel, vertrek vanaf
    # Utrecht Centraal" in a Utrecht channel is a march in Brussels)
    abroad_first = tally.scored.get(ABROAD_CODE, 0.0) >= tally.scored[named]
    if not abroad_first:
        tally.scored[named] += 1.5  # a tie-breaker, not a verdict


def _listed_towns(mentions: list[Mention], norms: list[str]) -> set[str]:
    """Gemeenten named in a list ("Tilburg en Breda", "Westland, Delft en Rijswijk"): mentions
    with nothing but "en", "of" or a comma between them, each naming one gemeente; and ranges
    across the country ("van Groningen tot Maastricht, van Vlissingen tot Enschede")."""
    listed: set[str] = set()
    ranges: set[str] = set()
    running = False  # a list runs from a town after "in", "te", "bij" (scenes, not origins or a route)
    for (a, key_a, cands_a), (b, _key_b, cands_b) in zip(mentions, mentions[1:]):
        between = norms[a + len(key_a) : b]
        codes_a = {c.gemeente_code for c in cands_a if c.kind in ("gemeente", "woonplaats")}
        codes_b = {c.gemeente_code for c in cands_b if c.kind in ("gemeente", "woonplaats")}
        one_each = len(codes_a) == 1 and len(codes_b) == 1 and codes_a != codes_b
        if one_each and between == ["tot"] and a and norms[a - 1] == "van":
            ranges |= codes_a | codes_b
        if not running and _lead_preposition(norms, a) not in EVENT_PREPOSITIONS:
            continue
        if one_each and all(w in ("en", "of") for w in between) and len(between) <= 1:
            listed |= codes_a | codes_b
            running = True
        else:
            running = False
    if len(ranges) >= 4 or ranges and NATIONWIDE_WORDS.intersection(norms):
        listed |= ranges  # one range can be a route; two, or one across "twintig steden", are the country
    return listed


NATIONWIDE_WORDS = frozenset({"steden", "landelijk", "landelijke", "land", "provincies", "gemeenten"})


def _lead_preposition(norms: list[str], pos: int) -> str:
    """The preposition before a mention, past "onder meer", "onder andere", "o.a." and
    "zoals" ("manifestaties in onder meer Utrecht, Zwolle en Eindhoven")."""
    i = pos - 1
    if i >= 1 and norms[i - 1] == "onder" and norms[i] in ("meer", "andere"):
        i -= 2
    elif i >= 0 and norms[i] in ("oa", "o.a.", "zoals"):
        i -= 1
    return norms[i] if i >= 0 else ""


def _undouble(stem: str) -> str:
    """ "kerkrad" -> "kerkraad": Dutch doubles the vowel of an open syllable that closes."""
    if len(stem) >= 3 and stem[-2] in "aeou" and stem[-1] not in "aeiou" and stem[-3] not in "aeiou":
        return stem[:-1] + stem[-2] + stem[-1]
    return stem


def _stems(name: str) -> set[str]:
    """Forms an adjective in -se is built on: Kerkrade -> kerkrad, Gouda -> goud, Leiden -> leid."""
    out = {name}
    if name.endswith("en"):
        out.add(name[:-2])
    if name[-1] in "aeo":
        out.add(name[:-1])
    return {s for s in out if len(s) >= 3}


def _key(name: str) -> tuple[str, ...]:
    return tuple(t.norm for t in tokenize(name))


def _generic(name: str) -> bool:
    return all(w in GENERIC_WORDS for w in _key(name))


def _adjectives(name: str) -> list[str]:
    """Regular adjectives of a town name: Hengelo → Hengelose, Groningen → Groningse,
    Enschede → Enschedese (irregular ones are in DEMONYMS)."""
    if " " in name or "-" in name or len(name) < 5 or fold(name) in COMMON_WORDS or name.endswith("s"):
        return []
    forms = [name + "se"]
    if name.endswith("en"):
        forms.append(name[:-2] + "se")
    return forms


@lru_cache(maxsize=1)
def place_resolver() -> PlaceResolver:
    """The process's one PlaceResolver over the shipped gazetteer and landmarks (built on first use)."""
    return PlaceResolver()
