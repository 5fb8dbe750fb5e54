"""The file contracts of `classify` and `detect`: JSON lines in, JSON lines out.

A malformed input line never stops a run: it gets an output line with an "error" field.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from onrustradar.models import Post
from onrustradar.nl import AMS

if TYPE_CHECKING:  # the detectors are imported only by `detect`: `classify` starts faster
    from detectors.settings import DetectorSettings
    from nlp.pipeline import Analyzer

MAX_TEXT = 20_000  # longer texts are cut: no real post is longer, an absurd one must not stall a batch
BATCH = 1000


class BadLine(ValueError):
    pass


def post_from_record(record: dict) -> Post:
    if not isinstance(record, dict):
        raise BadLine("line is not a JSON object")
    ident, text, published = record.get("id"), record.get("text"), record.get("published_at")
    if ident is None or (isinstance(ident, str) and not ident.strip()):
        raise BadLine("missing 'id'")
    if not isinstance(text, str):
        raise BadLine("'text' must be a string")
    if not isinstance(published, str):
        raise BadLine("'published_at' must be an ISO 8601 string")
    try:
        moment = datetime.fromisoformat(published.replace("Z", "+00:00"))
    except ValueError:
        raise BadLine(f"'published_at' is not ISO 8601: {published[:40]!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=AMS)  # Dutch sources without offset mean local time
    def _count(key: str) -> int | None:
        value = record.get(key)
        return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None

    forwarded = record.get("forwarded_from")
    return Post(
        source=str(record.get("source") or "unknown"),
        source_id=str(ident),
        channel=str(record.get("channel") or record.get("source") or "unknown"),
        published_at=moment,
        text=text[:MAX_TEXT],
        url=record.get("url") if isinstance(record.get("url"), str) else None,
        views=_count("views"),
        forwards=_count("forwards"),
        forwarded_from=str(forwarded) if forwarded else None,
    )


def read_records(path: Path) -> Iterator[tuple[dict | None, Post | None, str | None]]:
    """(raw record, post, error) per non-blank line."""
    with path.open(encoding="utf-8", errors="replace") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                yield None, None, f"line {lineno}: not JSON ({exc.msg})"
                continue
            try:
                yield record, post_from_record(record), None
            except BadLine as exc:
                yield record, None, f"line {lineno}: {exc}"


def _raw_id(record: dict | None):
    return record.get("id") if isinstance(record, dict) else None


def classify_file(input_path: Path, output_path: Path, analyzer: Analyzer) -> dict:
    stats = {"lines": 0, "errors": 0}
    with output_path.open("w", encoding="utf-8") as out:
        batch: list[tuple[dict, Post]] = []

        def flush() -> None:
            for (record, post), analysis in zip(batch, analyzer.analyze_many(p for _, p in batch)):
                out.write(json.dumps({"id": record["id"], **analysis.contract()}, ensure_ascii=False) + "\n")
            batch.clear()

        for record, post, error in read_records(input_path):
            stats["lines"] += 1
            if error:
                flush()  # keep output lines in input order
                stats["errors"] += 1
                out.write(json.dumps({"id": _raw_id(record), "error": error}, ensure_ascii=False) + "\n")
                continue
            batch.append((record, post))
            if len(batch) >= BATCH:
                flush()
        flush()
    return stats


def detect_file(input_path: Path, output_path: Path, analyzer: Analyzer, source_kind, now: datetime,
                settings: DetectorSettings | None = None) -> dict:
    stats = {"lines": 0, "errors": 0, "signals": 0}
    posts: list[Post] = []
    for _record, post, error in read_records(input_path):
        stats["lines"] += 1
        if error:
            stats["errors"] += 1
            continue
        posts.append(post)
    input_ids = {p.id: p.source_id for p in posts}
    items = list(zip(posts, analyzer.analyze_many(posts)))
    from detectors.settings import DetectorSettings
    from detectors.signals import build_signals

    signals = build_signals(items, now, source_kind, settings=settings or DetectorSettings())
    with output_path.open("w", encoding="utf-8") as out:
        for signal in signals:
            record = signal.contract()
            record["post_ids"] = [input_ids[i] for i in signal.post_ids]
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    stats["signals"] = len(signals)
    return stats
