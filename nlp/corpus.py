"""The labelled corpus (nlp/corpus/parts/*.jsonl, see LABEL_GUIDE.md) and its fixed split.

The test split is chosen by a hash of each post's id, so it never changes when posts are
added and training never sees it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from onrustradar.core.models import Post

CORPUS = Path(__file__).resolve().parent / "corpus" / "parts"
TEST_SHARE = 5  # one in five posts is in the test split


@dataclass(slots=True)
class Example:
    id: str
    post: Post
    categories: list[str]
    gemeente_code: str | None
    announced: bool
    event_start: datetime | None
    time_known: bool
    hard_negative: bool

    @property
    def test(self) -> bool:
        return in_test_split(self.id)


def in_test_split(ident: str) -> bool:
    return int(hashlib.sha1(ident.encode()).hexdigest(), 16) % TEST_SHARE == 0


def load(directory: Path = CORPUS) -> list[Example]:
    examples = []
    for path in sorted(directory.glob("*.jsonl")):
        examples += load_file(path)
    return examples


def load_file(path: Path) -> list[Example]:
    """One file of labelled posts in the corpus format."""
    examples = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        r = json.loads(line)
        post = Post(
            source=r["source"],
            source_id=r["id"],
            channel=r["channel"],
            published_at=datetime.fromisoformat(r["published_at"]),
            text=r["text"],
        )
        examples.append(
            Example(
                id=r["id"],
                post=post,
                categories=list(r["categories"]),
                gemeente_code=r["gemeente_code"],
                announced=bool(r["announced"]),
                event_start=datetime.fromisoformat(r["event_start"]) if r["event_start"] else None,
                time_known=bool(r["time_known"]),
                hard_negative=bool(r["hard_negative"]),
            )
        )
    return examples


def split(examples: list[Example]) -> tuple[list[Example], list[Example]]:
    train = [e for e in examples if not e.test]
    test = [e for e in examples if e.test]
    return train, test
