"""Join the two writers' halves of the January timeline set into posts.jsonl and events.jsonl
(the format bench/grouping_quality.py reads). Run after editing a half."""

from pathlib import Path

HERE = Path(__file__).resolve().parent
for name in ("posts.jsonl", "events.jsonl"):
    lines = []
    for half in ("c", "d"):
        lines += [line for line in (HERE / half / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    (HERE / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{name}: {len(lines)} lines")
