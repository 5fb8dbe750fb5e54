"""Fold the landmarks named by corpus writers (nlp/corpus/landmarks/*.csv) into the curated
list the place resolver reads (onrustradar/core/data/gazetteer/landmarks.csv).

    .venv/bin/python nlp/corpus/merge_landmarks.py

Rows are kept only when the gemeente code exists and the kind is known; a name that is also a
gemeente or woonplaats, or a wijk of the same gemeente, is left to the gazetteer (a wijk of that
name elsewhere is not: "Westpoort" is a wijk of Amsterdam and an industrial estate of
Groningen, and the resolver weighs the two); exact duplicates are dropped. The curated
file's own rows always stay. Prints what it added and what it refused.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from onrustradar.core.gazetteer import fold, gazetteer  # noqa: E402

KINDS = {"stadium", "square", "station", "street", "azc", "park", "townhall", "venue", "area", "road", "landmark"}
KIND_ALIASES = {"wijk": "area", "neighbourhood": "area", "industrial": "area"}  # writers' words for the same kinds
CURATED = ROOT / "onrustradar" / "core" / "data" / "gazetteer" / "landmarks.csv"


def main() -> None:
    gaz = gazetteer()
    with CURATED.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    seen = {(fold(r["name"]), r["gm_code"]) for r in rows}
    towns = {fold(p.name) for p in gaz.places if p.kind == "woonplaats"}
    wijken = {(fold(p.name), p.gemeente_code) for p in gaz.places if p.kind == "wijk"}
    added, refused = 0, []
    for path in sorted((ROOT / "nlp" / "corpus" / "landmarks").glob("*.csv")):
        with path.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                name, code, kind = (
                    (row.get("name") or "").strip(),
                    (row.get("gm_code") or "").strip().upper(),
                    (row.get("kind") or "").strip(),
                )
                kind = KIND_ALIASES.get(kind, kind)
                if not name or code not in gaz.gemeenten or kind not in KINDS:
                    refused.append(f"{path.name}: {row}")
                    continue
                known = gaz.gemeente(name) is not None or fold(name) in towns or (fold(name), code) in wijken
                if known or len(fold(name)) < 4:
                    continue  # the gazetteer already knows it, or it is too short to be safe
                if (fold(name), code) in seen:
                    continue
                seen.add((fold(name), code))
                rows.append({"name": name, "gm_code": code, "kind": kind})
                added += 1
    with CURATED.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["name", "gm_code", "kind"])
        writer.writeheader()
        writer.writerows(rows)
    print(f"{added} landmarks added, {len(rows)} in total, {len(refused)} refused")
    for line in refused[:20]:
        print("refused:", line)


if __name__ == "__main__":
    main()
