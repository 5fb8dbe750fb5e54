"""The file contracts of `classify` and `detect`: JSON lines in, JSON lines out.

A malformed input line never stops a run: it gets an output line with an "error" field.
"""

from __future__ import annotations

import json
import os
import tempfile
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from onrustradar.isolate import analyse_safely
from onrustradar.intake import MAX_TEXT, Rejected, check_count, check_moment, clean
from onrustradar.models import Post
from onrustradar.nl import AMS

if TYPE_CHECKING:  # the detectors are imported only by `detect`: `classify` starts faster
    from detectors.settings import DetectorSettings
    from nlp.pipeline import Analyzer

BATCH = 1000


class BadLine(ValueError):
    pass


def post_from_record(record: dict, now: datetime | None = None) -> Post:
    if not isinstance(record, dict):
        raise BadLine("line is not a JSON object")
    ident, text, published = record.get("id"), record.get("text"), record.get("published_at")
    if ident is None or (isinstance(ident, str) and not ident.strip()):
        raise BadLine("missing 'id'")
    if isinstance(ident, bool) or not isinstance(ident, (str, int)):
        raise BadLine("'id' must be a string or a whole number")
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
    try:
        check_moment(moment, now)
    except Rejected as exc:
        raise BadLine(f"'published_at' {exc.args[0].removeprefix('published_at ')}") from None

    def _text(key: str) -> str | None:
        value = record.get(key)
        return clean(value) if isinstance(value, str) and value.strip() else None

    return Post(
        source=_text("source") or "unknown",
        source_id=clean(str(ident)),
        channel=_text("channel") or _text("source") or "unknown",
        published_at=moment,
        text=clean(text, MAX_TEXT),
        url=_text("url"),
        views=check_count(record.get("views")),
        forwards=check_count(record.get("forwards")),
        forwarded_from=_text("forwarded_from"),
    )


def read_records(path: Path, now: datetime | None = None) -> Iterator[tuple[dict | None, Post | None, str | None]]:
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
                yield record, post_from_record(record, now), None
            except BadLine as exc:
                yield record, None, f"line {lineno}: {exc}"


@contextmanager
def atomic_output(path: Path):
    """Write to a temporary file beside `path`, renamed over it only when the block ends
    without an error: a failed run never leaves a half-written or emptied output."""
    directory = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _raw_id(record: dict | None):
    return record.get("id") if isinstance(record, dict) else None


def classify_file(input_path: Path, output_path: Path, analyzer: Analyzer) -> dict:
    stats = {"lines": 0, "errors": 0}
    with atomic_output(output_path) as out:
        batch: list[tuple[dict, Post]] = []

        def flush() -> None:
            for (record, post), analysis in zip(batch, analyse_safely(analyzer, [p for _, p in batch])):
                if isinstance(analysis, str):
                    stats["errors"] += 1
                    out.write(json.dumps({"id": record["id"], "error": analysis}, ensure_ascii=False) + "\n")
                else:
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
    for _record, post, error in read_records(input_path, max(now, datetime.now(timezone.utc))):
        stats["lines"] += 1
        if error:
            stats["errors"] += 1
            continue
        posts.append(post)
    input_ids = {p.id: p.source_id for p in posts}
    items = []
    for post, analysis in zip(posts, analyse_safely(analyzer, posts)):
        if isinstance(analysis, str):
            stats["errors"] += 1
        else:
            items.append((post, analysis))
    from detectors.settings import DetectorSettings
    from detectors.signals import build_signals

    signals = build_signals(items, now, source_kind, settings=settings or DetectorSettings())
    with atomic_output(output_path) as out:
        for signal in signals:
            record = signal.contract()
            record["post_ids"] = [input_ids[i] for i in signal.post_ids]
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    stats["signals"] = len(signals)
    return stats
