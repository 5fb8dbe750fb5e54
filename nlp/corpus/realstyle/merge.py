"""Build a check set (NAME: realstyle, the default, or unseen, unseen2 … unseen7) from its two
independent labelings.

    python nlp/corpus/realstyle/merge.py [--set NAME]  # disagreements.jsonl, for an adjudicator
    python nlp/corpus/realstyle/merge.py [--set NAME] --final  # write <set>.jsonl from agreements + decisions

The writers labelled their own texts (writer_*.jsonl); a second person who saw neither the code
nor the corpus labelled the same texts from the label guide alone (labels_*.jsonl). Where the two
agree on what the evaluation measures (categories, gemeente, announced, event_start,
time_known, hard_negative), that label stands; every disagreement is decided by a third person
who sees the guide, the text and both labels (decisions.jsonl, with a reason), and is kept.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
# set name -> (its folder, the writers' parts)
SETS = {
    "realstyle": (HERE, ("a", "b")),
    "unseen": (HERE.parent / "unseen", ("c", "d")),
    "unseen2": (HERE.parent / "unseen2", ("e", "f")),
    "unseen3": (HERE.parent / "unseen3", ("g", "h")),
    "unseen4": (HERE.parent / "unseen4", ("i", "j")),
    "unseen5": (HERE.parent / "unseen5", ("m", "n")),
    "unseen6": (HERE.parent / "unseen6", ("o", "p")),
    "unseen7": (HERE.parent / "unseen7", ("q", "r")),
    "unseen8": (HERE.parent / "unseen8", ("w", "x")),
    "unseen9": (HERE.parent / "unseen9", ("k", "l")),
    "unseen10": (HERE.parent / "unseen10", ("s", "t")),
    "hardneg": (HERE.parent / "hardneg", ("u", "v")),
}
AMS = ZoneInfo("Europe/Amsterdam")
FIELDS = ("categories", "gemeente_code", "gemeente", "place", "announced", "event_start", "time_known", "hard_negative")


def _read(path: Path) -> dict[str, dict]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {r["id"]: r for r in rows}


def _same_start(a: str | None, b: str | None, known: bool) -> bool:
    if a is None or b is None:
        return a == b
    x, y = datetime.fromisoformat(a), datetime.fromisoformat(b)
    if known:
        return abs(x - y) <= timedelta(minutes=30)
    return x.astimezone(AMS).date() == y.astimezone(AMS).date()


def differences(w: dict, lab: dict) -> list[str]:
    out = []
    if sorted(w["categories"]) != sorted(lab["categories"]):
        out.append("categories")
    relevant = bool(w["categories"] or lab["categories"])
    if relevant and w["gemeente_code"] != lab["gemeente_code"]:
        out.append("gemeente")
    if w["announced"] != lab["announced"]:
        out.append("announced")
    if relevant:
        if not _same_start(w["event_start"], lab["event_start"], bool(w["time_known"] and lab["time_known"])):
            out.append("event_start")
        elif bool(w["time_known"]) != bool(lab["time_known"]):
            out.append("time_known")
    if bool(w["hard_negative"]) != bool(lab["hard_negative"]) and not relevant:
        out.append("hard_negative")
    return out


def main() -> None:
    final = "--final" in sys.argv
    name = sys.argv[sys.argv.index("--set") + 1] if "--set" in sys.argv else "realstyle"
    folder, parts = SETS[name]
    decisions = _read(folder / "decisions.jsonl") if (folder / "decisions.jsonl").exists() else {}
    rows, disagreements, pending = [], [], []
    for part in parts:
        texts, writer, labeller = (_read(folder / f"{kind}_{part}.jsonl") for kind in ("texts", "writer", "labels"))
        for ident, text in texts.items():
            w, lab = writer[ident], labeller[ident]
            diff = differences(w, lab)
            if diff:
                # every disagreement stays on record, decided or not, beside its decision
                disagreements.append(
                    {
                        **text,
                        "differs_in": diff,
                        "label_1": {k: w[k] for k in FIELDS},
                        "label_2": {k: lab[k] for k in FIELDS},
                        "note_2": lab.get("note", ""),
                    }
                )
            if not diff:
                label = {k: lab[k] for k in FIELDS}  # agreed; the labeller's place spelling
            elif ident in decisions:
                label = {k: decisions[ident][k] for k in FIELDS}
            else:
                pending.append(ident)
                continue
            rows.append({**{k: text[k] for k in ("id", "source", "channel", "published_at", "text")}, **label})
    if not final:
        with (folder / "disagreements.jsonl").open("w", encoding="utf-8") as fh:
            for d in disagreements:
                fh.write(json.dumps(d, ensure_ascii=False) + "\n")
        print(f"{len(rows)} agreed or decided, {len(pending)} to decide (on record: {len(disagreements)})")
        return
    if pending:
        sys.exit(f"{len(pending)} disagreements have no decision yet")
    with (folder / f"{name}.jsonl").open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"{name}.jsonl: {len(rows)} passages ({len(decisions)} decided by the adjudicator)")


if __name__ == "__main__":
    main()
