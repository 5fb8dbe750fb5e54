"""`onrustradar import posts --input FILE`: JSON lines in the `export posts` format into the store.

For archives, migrations and benchmarks. Every line passes the same intake as a crawled post
(onrustradar.core.intake.admit: dates, lengths, handles in ids, links and mentions); an `author`
handle, when a line has one, is replaced by its pseudonym before anything is stored. A line
whose (source, source_id) is stored already — imported before, or crawled by a configured
source — is left alone, so importing a file twice changes nothing. A bad line is reported
with its line number and skipped; the good lines are kept.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from onrustradar.core.intake import MAX_TEXT, Rejected, admit, check_moment
from onrustradar.core.models import PSEUDONYM_RE, Post
from onrustradar.core.nl import AMS
from onrustradar.core.pseudonym import pseudonymise
from onrustradar.service.jsonl import MAX_DEPTH, MAX_LINE, open_input, read_lines, too_deep

BATCH = 1000
REQUIRED = ("source", "source_id", "channel", "published_at", "text")
OPTIONAL_TEXT = ("url", "forwarded_from")
COUNTS = ("views", "forwards", "replies")


@dataclass
class ImportReport:
    lines: int = 0
    new: int = 0
    present: int = 0  # (source, source_id) stored already
    expired: int = 0  # older than the retention period: not taken in
    errors: list[str] = field(default_factory=list)  # "regel N: reden"


class BadRecord(ValueError):
    pass


def post_from_export(record, now: datetime) -> Post:
    """One `export posts` object as a Post that passed intake; BadRecord (Dutch) otherwise."""
    if not isinstance(record, dict):
        raise BadRecord("geen JSON-object")
    for key in REQUIRED:
        value = record.get(key)
        if not isinstance(value, str) or not value.strip():
            raise BadRecord(f"'{key}' ontbreekt of is geen tekst")
    if len(record["text"]) > MAX_TEXT:
        raise BadRecord(f"'text' is langer dan {MAX_TEXT} tekens")
    try:
        moment = datetime.fromisoformat(record["published_at"].replace("Z", "+00:00"))
    except ValueError:
        raise BadRecord(f"'published_at' is geen ISO 8601-tijd: {record['published_at'][:40]!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=AMS)  # as for `detect`: Dutch sources without offset mean local time
    try:
        check_moment(moment, now)
    except Rejected:
        raise BadRecord("'published_at' ligt voor 1990 of meer dan een dag in de toekomst") from None
    optional: dict[str, Any] = {}  # text fields by name, checked above
    for key in OPTIONAL_TEXT:
        value = record.get(key)
        if value is not None and not isinstance(value, str):
            raise BadRecord(f"'{key}' is geen tekst")
        optional[key] = value or None
    author = record.get("author")
    if author is not None and not isinstance(author, str):
        raise BadRecord("'author' is geen tekst")
    if author and author.strip():
        # A handle never reaches the store: its keyed pseudonym does (one already is kept).
        author = author.strip() if PSEUDONYM_RE.match(author.strip()) else pseudonymise(author)
    else:
        author = None
    post = Post(
        source=record["source"],
        source_id=record["source_id"],
        channel=record["channel"],
        published_at=moment,
        text=record["text"],
        author=author,
        fetched_at=now,
        **optional,
        **{k: record.get(k) for k in COUNTS if _whole(record.get(k))},
    )
    try:
        return admit(post, now)
    except Rejected as exc:
        raise BadRecord(f"afgewezen bij intake: {exc}") from None


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def import_posts(
    path: Path, store, retention_days: int, now: datetime | None = None, on_error=lambda message: None
) -> ImportReport:
    """Read `path` and store its good posts in batches; `on_error` hears of each bad line."""
    now = now or datetime.now(UTC)
    cutoff = now - timedelta(days=retention_days)
    report = ImportReport()
    batch: dict[tuple[str, str], Post] = {}

    def bad(lineno: int, reason: str) -> None:
        message = f"regel {lineno}: {reason}"
        report.errors.append(message)
        on_error(message)

    def flush() -> None:
        by_source: dict[str, list[str]] = {}
        for source, source_id in batch:
            by_source.setdefault(source, []).append(source_id)
        stored = {(source, i) for source, ids in by_source.items() for i in store.stored_source_ids(source, ids)}
        fresh = [p for key, p in batch.items() if key not in stored]
        report.present += len(batch) - len(fresh)
        if fresh:
            report.new += store.upsert_posts(fresh).new
        batch.clear()

    with open_input(path) as fh:
        for lineno, line in read_lines(fh):
            if line is None:
                bad(lineno, f"langer dan {MAX_LINE} bytes")
                continue
            if not line.strip():
                continue
            report.lines += 1
            if too_deep(line):
                bad(lineno, f"dieper genest dan {MAX_DEPTH} niveaus")
                continue
            try:
                record = json.loads(line)
                post = post_from_export(record, now)
            except (json.JSONDecodeError, RecursionError):
                bad(lineno, "geen geldige JSON")
                continue
            except (BadRecord, ValueError) as exc:
                bad(lineno, str(exc))
                continue
            if post.published_at < cutoff:
                report.expired += 1  # retention holds for imports too: never stored, not purged later
                continue
            key = (post.source, post.source_id)
            if key in batch:
                report.present += 1  # the same post twice in one file
                continue
            batch[key] = post
            if len(batch) >= BATCH:
                flush()
    flush()
    return report
