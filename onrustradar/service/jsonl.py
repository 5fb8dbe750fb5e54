"""The file contracts of `classify` and `detect`: JSON lines in, JSON lines out.

A malformed input line never stops a run: it gets an output line with an "error" field.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from onrustradar.core.intake import MAX_TEXT, Rejected, check_count, check_moment, clean
from onrustradar.core.models import Post
from onrustradar.core.nl import AMS
from onrustradar.service.isolate import analyse_safely

if TYPE_CHECKING:
    from detectors.settings import DetectorSettings
    from nlp.pipeline import Analyzer

BATCH = 1000


MAX_LINE = 1 << 20  # bytes: a post is at most 20,000 characters; a longer line is refused, not read
MAX_DEPTH = 32  # nesting of JSON brackets in one line


class BadLine(ValueError):
    pass


class FileProblem(Exception):
    """A problem with a file as a whole, naming that file (the CLI exits with it)."""

    def __init__(self, path: Path, message: str):
        self.path = path
        super().__init__(f"{path}: {message}")


class InputError(FileProblem):
    pass


class OutputError(FileProblem):
    pass


def post_from_record(record: dict, now: datetime | None = None) -> Post:
    """A Post from one input line's object, range-checked; BadLine says what is wrong."""
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


def too_deep(line: str) -> bool:
    """Whether brackets nest deeper than MAX_DEPTH (outside strings): checked before parsing,
    so a hostile line cannot exhaust the parser's recursion."""
    if line.count("[") + line.count("{") <= MAX_DEPTH:
        return False
    depth, in_string, escaped = 0, False, False
    for ch in line:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return True
        elif ch in "]}":
            depth -= 1
    return False


def read_lines(fh) -> Iterator[tuple[int, str | None]]:
    """(line number, text) per line; text None for a line longer than MAX_LINE, which is
    skipped in bounded chunks (never held in memory)."""
    lineno = 0
    while True:
        raw = fh.readline(MAX_LINE + 1)
        if not raw:
            return
        lineno += 1
        if len(raw) > MAX_LINE and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):
                raw = fh.readline(1 << 20)
            yield lineno, None
            continue
        yield lineno, raw.decode("utf-8", "replace")


def open_input(path: Path):
    """The input file, opened for reading; InputError (naming it) when it is missing, not a
    regular file (a directory, /dev/zero, a pipe) or unreadable."""
    try:
        if not path.is_file():
            raise InputError(path, "bestaat niet" if not path.exists() else "is geen gewoon bestand")
        return path.open("rb")
    except OSError as exc:
        raise InputError(path, exc.strerror or str(exc)) from None


def read_records(path: Path, now: datetime | None = None) -> Iterator[tuple[dict | None, Post | None, str | None]]:
    """(raw record, post, error) per non-blank line."""
    with open_input(path) as fh:
        for lineno, line in read_lines(fh):
            if line is None:
                yield None, None, f"line {lineno}: longer than {MAX_LINE} bytes"
                continue
            if not line.strip():
                continue
            if too_deep(line):
                yield None, None, f"line {lineno}: nested deeper than {MAX_DEPTH} levels"
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                yield None, None, f"line {lineno}: not JSON ({exc.msg})"
                continue
            except RecursionError:
                yield None, None, f"line {lineno}: nested too deeply"
                continue
            try:
                yield record, post_from_record(record, now), None
            except BadLine as exc:
                yield record, None, f"line {lineno}: {exc}"


def check_paths(input_path: Path, output_path: Path) -> None:
    """Refuse what would destroy data before anything is read or written: the output being
    the input (it would be emptied), or an output that is a directory."""
    open_input(input_path).close()
    try:
        same = output_path.exists() and os.path.samefile(input_path, output_path)
    except OSError:
        same = False
    if same or input_path.resolve() == output_path.resolve():
        raise OutputError(output_path, "is hetzelfde bestand als de invoer")
    if output_path.is_dir():
        raise OutputError(output_path, "is een map")
    if not output_path.parent.resolve().is_dir():
        raise OutputError(output_path, "de map bestaat niet")


@contextmanager
def atomic_output(path: Path):
    """Write to a temporary file beside `path`, renamed over it only when the block ends
    without an error: a failed run never leaves a half-written or emptied output."""
    directory = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputError(path, exc.strerror or str(exc)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        try:
            os.replace(tmp, path)
        except OSError as exc:
            raise OutputError(path, exc.strerror or str(exc)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _raw_id(record: dict | None):
    """The input line's id as it may be written back: a string (made storable) or a whole
    number; anything else (an object, a list) is not echoed."""
    ident = record.get("id") if isinstance(record, dict) else None
    if isinstance(ident, str):
        return clean(ident)
    return ident if isinstance(ident, int) and not isinstance(ident, bool) else None


def classify_file(input_path: Path, output_path: Path, analyzer: Analyzer) -> dict:
    """The `classify` contract: one output line per input line, in order; a bad line gets an error line and the rest go
    on."""
    stats = {"lines": 0, "errors": 0}
    check_paths(input_path, output_path)
    with atomic_output(output_path) as out:
        batch: list[tuple[dict, Post]] = []

        def flush() -> None:
            for (record, _post), analysis in zip(batch, analyse_safely(analyzer, [p for _, p in batch])):
                if isinstance(analysis, str):
                    stats["errors"] += 1
                    out.write(json.dumps({"id": _raw_id(record), "error": analysis}, ensure_ascii=False) + "\n")
                else:
                    out.write(json.dumps({"id": _raw_id(record), **analysis.contract()}, ensure_ascii=False) + "\n")
            batch.clear()

        for record, post, error in read_records(input_path):
            stats["lines"] += 1
            if error:
                flush()  # keep output lines in input order
                stats["errors"] += 1
                out.write(json.dumps({"id": _raw_id(record), "error": error}, ensure_ascii=False) + "\n")
                continue
            assert record is not None and post is not None  # read_records: no error, a record and its post
            batch.append((record, post))
            if len(batch) >= BATCH:
                flush()
        flush()
    return stats


def detect_file(
    input_path: Path,
    output_path: Path,
    analyzer: Analyzer,
    source_kind,
    now: datetime,
    settings: DetectorSettings | None = None,
) -> dict:
    """The `detect` contract: the signals the input posts make at `now`, one line each."""
    # Lazy: the detectors (spaCy's stop words, the grouping code) add about a second and 50 MB;
    # only `detect` needs them, so `classify` starts without.
    from detectors.settings import DetectorSettings
    from detectors.signals import build_signals

    stats = {"lines": 0, "errors": 0, "signals": 0}
    check_paths(input_path, output_path)
    posts: list[Post] = []
    seen: set[str] = set()
    for _record, post, error in read_records(input_path, max(now, datetime.now(UTC))):
        stats["lines"] += 1
        if error or post is None or post.id in seen:  # a repeated id would make two signals of one post
            stats["errors"] += 1
            continue
        seen.add(post.id)
        posts.append(post)
    input_ids = {p.id: p.source_id for p in posts}
    items = []
    for post, analysis in zip(posts, analyse_safely(analyzer, posts)):
        if isinstance(analysis, str):
            stats["errors"] += 1
        else:
            items.append((post, analysis))

    signals = build_signals(items, now, source_kind, settings=settings or DetectorSettings())
    with atomic_output(output_path) as out:
        for signal in signals:
            record = signal.contract()
            record["post_ids"] = [input_ids[i] for i in signal.post_ids]
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    stats["signals"] = len(signals)
    return stats
