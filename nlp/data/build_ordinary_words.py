"""Build nlp/data/ordinary_words.txt: words the training corpus writes in lower case (at least
twice), which are therefore ordinary words and no names — except the gazetteer's own place
names (landmarks, wijken), which stay names however a slang post writes them.

The lemma table (nlp.lemmas.lexicon) lacks many everyday forms ("mensen", "gaat", "rook"); a
word starting a sentence is capitalised, so "Rook en zwaailichten …" would otherwise make
"rook" a place name two unrelated posts share (detectors/anchors.py).

    .venv/bin/python nlp/data/build_ordinary_words.py   # rewrites the file; tests check it is current
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
OUT = Path(__file__).with_name("ordinary_words.txt")
MIN_COUNT = 2
MIN_LENGTH = 4


def build() -> list[str]:
    from nlp.places import NEUTER_NOUNS, place_resolver
    from nlp.text import words_and_norms

    # (not the words of "Heerlens bedrijventerrein", "Goudse stadhuis": a town's adjective before a
    # common noun makes neither word a name)
    names = {word for key in place_resolver().index if not (len(key) == 2 and key[1] in NEUTER_NOUNS) for word in key}
    counts: Counter[str] = Counter()
    for part in sorted((ROOT / "nlp" / "corpus" / "parts").glob("*.jsonl")):
        for line in part.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            words, norms = words_and_norms(json.loads(line)["text"])
            for word, norm in zip(words, norms):
                if word.islower() and len(norm) >= MIN_LENGTH and not norm.isdigit() and norm not in names:
                    counts[norm] += 1
    return sorted(w for w, n in counts.items() if n >= MIN_COUNT)


if __name__ == "__main__":
    words = build()
    OUT.write_text("\n".join(words) + "\n", encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {len(words)} words")
