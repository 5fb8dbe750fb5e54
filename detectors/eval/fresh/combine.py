"""Join the two writers' halves of a timeline set into posts.jsonl and events.jsonl (the format
bench/grouping_quality.py reads). Run after editing a half; detectors/eval/january/combine.py
uses it for that set."""

from pathlib import Path


def combine(here: Path, halves: tuple[str, ...]) -> None:
    """Concatenate the halves' posts.jsonl and events.jsonl into `here`, in the order given."""
    for name in ("posts.jsonl", "events.jsonl"):
        lines = []
        for half in halves:
            lines += [line for line in (here / half / name).read_text(encoding="utf-8").splitlines() if line.strip()]
        (here / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"{name}: {len(lines)} lines")


if __name__ == "__main__":
    combine(Path(__file__).resolve().parent, ("a", "b"))
