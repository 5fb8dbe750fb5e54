"""Check the mechanical rules of the labelled corpus (see LABEL_GUIDE.md).

Usage: python nlp/corpus/validate.py [FILE ...]   (default: every parts/*.jsonl)
Prints one line per problem and a summary; exits 1 when a problem was found.
"""

from __future__ import annotations

import csv
import json
import sys
from collections import Counter
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
GAZETTEER = HERE.parent.parent / "onrustradar" / "core" / "data" / "gazetteer" / "gemeenten.csv"
CATEGORIES = {"demonstratie", "scootermeeting", "supporters", "incident"}
SOURCES = {"telegram", "rss", "mastodon", "reddit", "bluesky", "dumpert"}
FIELDS = {
    "id",
    "source",
    "channel",
    "published_at",
    "text",
    "categories",
    "gemeente_code",
    "gemeente",
    "place",
    "announced",
    "event_start",
    "time_known",
    "hard_negative",
}
AMS = ZoneInfo("Europe/Amsterdam")


def _offset_ok(value: str) -> bool:
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        return False
    return moment.utcoffset() == moment.astimezone(AMS).utcoffset()


def check_record(rec: dict, gemeenten: dict[str, str]) -> list[str]:
    problems = []
    missing = FIELDS - rec.keys()
    extra = rec.keys() - FIELDS - {"notes"}
    if missing:
        return [f"missing fields {sorted(missing)}"]
    if extra:
        problems.append(f"unknown fields {sorted(extra)}")
    if rec["source"] not in SOURCES:
        problems.append(f"bad source {rec['source']!r}")
    if not isinstance(rec["text"], str) or not rec["text"].strip():
        problems.append("empty text")
    cats = rec["categories"]
    if not isinstance(cats, list) or set(cats) - CATEGORIES or len(set(cats)) != len(cats):
        problems.append(f"bad categories {cats!r}")
    try:
        if not _offset_ok(rec["published_at"]):
            problems.append("published_at offset is not Europe/Amsterdam's")
    except (TypeError, ValueError):
        problems.append("published_at is not ISO 8601")
    code, name = rec["gemeente_code"], rec["gemeente"]
    if (code is None) != (name is None):
        problems.append("gemeente_code and gemeente must both be null or both set")
    elif code is not None and gemeenten.get(code) != name:
        problems.append(f"gemeente {code}/{name!r} not in gazetteer (expected {gemeenten.get(code)!r})")
    if not isinstance(rec["announced"], bool) or not isinstance(rec["time_known"], bool):
        problems.append("announced/time_known must be booleans")
    if not isinstance(rec["hard_negative"], bool):
        problems.append("hard_negative must be a boolean")
    if rec["hard_negative"] and cats:
        problems.append("hard_negative with categories")
    start = rec["event_start"]
    if not cats and (start is not None or rec["announced"]):
        problems.append("post without categories must have event_start null and announced false")
    if start is None:
        if rec["time_known"]:
            problems.append("time_known true without event_start")
    else:
        try:
            if not _offset_ok(start):
                problems.append("event_start offset is not Europe/Amsterdam's")
            moment = datetime.fromisoformat(start)
            if not rec["time_known"] and (moment.hour, moment.minute) != (0, 0):
                problems.append("time_known false but event_start is not at 00:00")
            published = datetime.fromisoformat(rec["published_at"])
            if rec["announced"] and moment.date() < published.astimezone(AMS).date():
                problems.append("announced event starts before its publication date")
        except (TypeError, ValueError):
            problems.append("event_start is not ISO 8601")
    return problems


def main(argv: list[str]) -> int:
    with GAZETTEER.open(encoding="utf-8") as fh:
        gemeenten = {row["gm_code"]: row["name"] for row in csv.DictReader(fh)}
    files = [Path(a) for a in argv] or sorted((HERE / "parts").glob("*.jsonl"))
    seen: set[str] = set()
    stats: Counter = Counter()
    codes: set[str] = set()
    bad = 0
    for path in files:
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            where = f"{path.name}:{lineno}"
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                print(f"{where}: not JSON ({exc})")
                bad += 1
                continue
            problems = check_record(rec, gemeenten)
            if rec.get("id") in seen:
                problems.append(f"duplicate id {rec.get('id')}")
            seen.add(rec.get("id"))
            for problem in problems:
                print(f"{where} [{rec.get('id')}]: {problem}")
            bad += bool(problems)
            stats["posts"] += 1
            stats["hard_negative"] += bool(rec.get("hard_negative"))
            stats["negative"] += not rec.get("categories")
            for cat in rec.get("categories") or []:
                stats[cat] += 1
            if rec.get("gemeente_code"):
                codes.add(rec["gemeente_code"])
    print(
        f"{stats['posts']} posts, {bad} with problems; negatives {stats['negative']} "
        f"(hard {stats['hard_negative']}); "
        + ", ".join(f"{c} {stats[c]}" for c in sorted(CATEGORIES))
        + f"; {len(codes)} gemeenten"
    )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
