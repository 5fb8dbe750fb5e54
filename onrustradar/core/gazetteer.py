"""The one owner of Dutch place data: gemeenten, woonplaatsen, neighbourhoods, aliases.

Data: CBS (gemeenten, woonplaatsen; "Bron: CBS", CC BY) and GeoNames (coordinates,
neighbourhood names; CC BY 4.0). See data/gazetteer/PROVENANCE.md.
"""

from __future__ import annotations

import csv
import difflib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "gazetteer"
LANDMARKS = DATA / "landmarks.csv"  # curated stadiums, squares, stations, azc's, ... by gemeente


def load_landmarks(path: Path = LANDMARKS) -> list[tuple[str, str, str]]:
    """(name, gemeente code, kind) of each curated landmark; [] when the list is absent."""
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as fh:
        return [(r["name"], r["gm_code"], r.get("kind", "landmark")) for r in csv.DictReader(fh)]


# Colloquial and historic names people write instead of the official CBS name.
GEMEENTE_ALIASES = {
    "den haag": "GM0518",
    "the hague": "GM0518",
    "den bosch": "GM0796",
    "nuenen": "GM0820",
    "mokum": "GM0363",
    "a'dam": "GM0363",
    "adam": "GM0363",
    "r'dam": "GM0599",
    "010": "GM0599",
    "020": "GM0363",
    "070": "GM0518",
    "030": "GM0344",
    # area codes as street slang writes them ("wie de baas is in 040")
    "040": "GM0772",
    "050": "GM0014",
    "013": "GM0855",
    "024": "GM0268",
    "026": "GM0202",
    "053": "GM0153",
    "043": "GM0935",
    "076": "GM0758",
    "073": "GM0796",
    "058": "GM0080",
    "038": "GM0193",
    "077": "GM0983",
    "036": "GM0034",
    "023": "GM0392",
    "071": "GM0546",
    "033": "GM0307",
    "denhaag": "GM0518",
    "denbosch": "GM0796",
    "alphen": "GM0484",
    "capelle": "GM0502",
    "sudwest fryslan": "GM1900",
    # colloquial and Frisian/Limburgish names people write
    "dordt": "GM0505",
    "gorcum": "GM0512",
    "schier": "GM0088",
    "ljouwert": "GM0080",
    "snits": "GM1900",
    "it hearrenfean": "GM0074",
    "it fean": "GM0074",
    "mestreech": "GM0935",
    "kirchroa": "GM0928",
    "heële": "GM0917",
    "grunn": "GM0014",
    "grunnen": "GM0014",
    "zitterd": "GM1883",
    "zittert": "GM1883",
    "knoal": "GM0037",
    "remunj": "GM0957",
    "utreg": "GM0344",
    "skylge": "GM0093",
    "flylan": "GM0096",
    "amelan": "GM0060",
    # city nicknames news and fans use ("komt Rotterdam naar de Kaasstad")
    "lichtstad": "GM0772",
    "hofstad": "GM0518",
    "hofstad den haag": "GM0518",
    "maasstad": "GM0599",
    "sleutelstad": "GM0546",
    "kaasstad": "GM0361",
    "domstad": "GM0344",
}

# The gemeente where each province's government sits (its provinciehuis, Provinciale Staten).
PROVINCIAL_SEATS = {
    "Groningen": "GM0014",
    "Fryslân": "GM0080",
    "Drenthe": "GM0106",
    "Overijssel": "GM0193",
    "Flevoland": "GM0995",
    "Gelderland": "GM0202",
    "Utrecht": "GM0344",
    "Noord-Holland": "GM0392",
    "Zuid-Holland": "GM0518",
    "Zeeland": "GM0687",
    "Noord-Brabant": "GM0796",
    "Limburg": "GM0935",
}

PROVINCE_ALIASES = {
    "friesland": "Fryslân",
    "fryslan": "Fryslân",
    "brabant": "Noord-Brabant",
    # as channel names glue them ("noordholland_boeren", "zuidholland_nieuws")
    "noordholland": "Noord-Holland",
    "zuidholland": "Zuid-Holland",
    "noordbrabant": "Noord-Brabant",
}


def fold(text: str) -> str:
    """Lower-case and strip accents, so 'Fryslân' and 'fryslan' compare equal."""
    if text.isascii():
        return text.casefold().strip()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).strip()


@lru_cache(maxsize=300_000)
def fold_word(word: str) -> str:
    """fold() for single words, cached: the hot path of every tokenizer here."""
    return fold(word)


@dataclass(frozen=True, slots=True)
class Gemeente:
    """A gemeente of the CBS list: code, official and plain name, province and centre."""

    code: str
    name: str
    province: str
    lat: float
    lon: float
    name_plain: str


@dataclass(frozen=True, slots=True)
class Place:
    """A named place inside a gemeente: a woonplaats or a neighbourhood."""

    name: str
    kind: str  # "woonplaats" | "wijk"
    gemeente_code: str
    lat: float | None
    lon: float | None


def _float(value: str) -> float | None:
    return float(value) if value else None


class Gazetteer:
    """Dutch places: gemeenten, woonplaatsen and neighbourhoods with their aliases, looked up by folded name."""

    def __init__(self, data_dir: Path = DATA):
        self.gemeenten: dict[str, Gemeente] = {}
        with (data_dir / "gemeenten.csv").open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                g = Gemeente(
                    row["gm_code"],
                    row["name"],
                    row["province"],
                    float(row["lat"]),
                    float(row["lon"]),
                    row["name_plain"],
                )
                self.gemeenten[g.code] = g
        self.places: list[Place] = []
        with (data_dir / "woonplaatsen.csv").open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                self.places.append(
                    Place(
                        row["name"],
                        "woonplaats",
                        row["gm_code"],
                        _float(row["lat"]),
                        _float(row["lon"]),
                    )
                )
                if row["name_plain"] != row["name"]:
                    self.places.append(
                        Place(
                            row["name_plain"],
                            "woonplaats",
                            row["gm_code"],
                            _float(row["lat"]),
                            _float(row["lon"]),
                        )
                    )
        with (data_dir / "neighbourhoods_geonames.csv").open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                names = [row["name"]] + [a for a in row["alt_names"].split(";") if a]
                for name in names:
                    self.places.append(
                        Place(
                            name,
                            "wijk",
                            row["gm_code"],
                            _float(row["lat"]),
                            _float(row["lon"]),
                        )
                    )
        self._by_name: dict[str, str] = {}
        for g in self.gemeenten.values():
            self._by_name[fold(g.name)] = g.code
            self._by_name.setdefault(fold(g.name_plain), g.code)
        for alias, code in GEMEENTE_ALIASES.items():
            self._by_name.setdefault(fold(alias), code)

    def gemeente(self, name_or_code: str) -> Gemeente | None:
        """Exact lookup by CBS code, official name, plain name or colloquial alias."""
        key = name_or_code.strip()
        if key.upper() in self.gemeenten:
            return self.gemeenten[key.upper()]
        code = self._by_name.get(fold(key))
        return self.gemeenten[code] if code else None

    def code(self, name_or_code: str) -> str:
        """The CBS code of a gemeente known to exist (a validated config value); KeyError otherwise."""
        found = self.gemeente(name_or_code)
        if found is None:
            raise KeyError(name_or_code)
        return found.code

    def is_place(self, name: str) -> bool:
        """Whether a name is a gemeente, woonplaats or wijk in the gazetteer."""
        if self.gemeente(name) is not None:
            return True
        if not hasattr(self, "_place_names"):
            self._place_names = {fold(p.name) for p in self.places}
        return fold(name) in self._place_names

    def point(self, gemeente_code: str | None, place: str | None = None) -> tuple[float, float] | None:
        """Coordinates of a named place (woonplaats or wijk) in a gemeente, else of the gemeente."""
        if place:
            key = fold(place)
            for p in self.places:
                if p.gemeente_code == gemeente_code and p.lat is not None and p.lon is not None and fold(p.name) == key:
                    return p.lat, p.lon
        g = self.gemeenten.get(gemeente_code or "")
        return (g.lat, g.lon) if g else None

    def suggest(self, name: str) -> str | None:
        names = [g.name for g in self.gemeenten.values()]
        close = difflib.get_close_matches(name, names, n=1, cutoff=0.75)
        return close[0] if close else None

    def province(self, name: str) -> str | None:
        provinces = {fold(g.province): g.province for g in self.gemeenten.values()}
        key = fold(name)
        return provinces.get(key) or PROVINCE_ALIASES.get(key)


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The shared gazetteer (read once per process)."""
    return Gazetteer()
