"""Expand scenarios.yml into grouping_set.jsonl (the `detect` input format plus gold `event`).

.venv/bin/python detectors/eval/build.py
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

HERE = Path(__file__).resolve().parent
AMS = ZoneInfo("Europe/Amsterdam")
REPOSTS = [
    ("DOORSTUREN: ", ""),
    ("", " 🔥🔥 wie gaat er mee?"),
    ("Let op!! ", " #delen"),
    ("Gezien in een groep: ", ""),
    ("", "\n\nIedereen komen en DELEN!!"),
    ("Info van een maat: ", " (geen idee of het klopt)"),
]


def main() -> None:
    """Write grouping_set.jsonl from scenarios.yml: each event's posts, dated from the base date."""
    data = yaml.safe_load((HERE / "scenarios.yml").read_text(encoding="utf-8"))
    base = date.fromisoformat(str(data["base"]))
    rows = []
    for event in data["events"]:
        start = datetime.combine(base + timedelta(days=event["day"]), time.fromisoformat(event["at"])).replace(
            tzinfo=AMS
        )
        for post in event["posts"]:
            published = (start + timedelta(hours=post["h"])).astimezone(AMS)
            row = {
                "source": post.get("src", "telegram"),
                "channel": post["ch"],
                "published_at": published.isoformat(),
                "text": post["text"],
                "event": event["id"],
            }
            rows.append(row)
            for k, channel in enumerate(post.get("fw", []), 1):
                rows.append(
                    {
                        **row,
                        "channel": channel,
                        "forwarded_from": post["ch"],
                        "published_at": (published + timedelta(minutes=20 * k)).isoformat(),
                    }
                )
            if row["source"] == "telegram":
                # Calls travel: copied by other channels with a few words added, not forwarded.
                for k, (before, after) in enumerate(REPOSTS, 1):
                    rows.append(
                        {
                            **row,
                            "channel": f"{post['ch'][:14]}_kopie{k}",
                            "text": f"{before}{post['text']}{after}",
                            "published_at": (published + timedelta(minutes=45 * k)).isoformat(),
                        }
                    )
    for item in data["noise"]:
        moment = datetime.combine(base + timedelta(days=item["day"]), time.fromisoformat(item["t"])).replace(tzinfo=AMS)
        rows.append(
            {
                "source": item.get("src", "telegram"),
                "channel": item["ch"],
                "published_at": moment.isoformat(),
                "text": item["text"],
                "event": None,
            }
        )
    rows.sort(key=lambda r: r["published_at"])
    with (HERE / "grouping_set.jsonl").open("w", encoding="utf-8") as out:
        for n, row in enumerate(rows, 1):
            out.write(json.dumps({"id": f"g-{n:04d}", **row}, ensure_ascii=False) + "\n")
    events = {r["event"] for r in rows if r["event"]}
    print(f"{len(rows)} posts, {len(events)} events, {sum(1 for r in rows if not r['event'])} noise")


if __name__ == "__main__":
    main()
