"""Backups of the SQLite store: `onrustradar store backup` and `store restore`.

The copy is made with SQLite's online backup API in one step (store.sqlite.SQLiteStore.backup_to),
into a temporary file beside the target that is checked (`PRAGMA integrity_check`), made
private (mode 0600: it holds posts) and only then renamed into place: a backup file that
exists is complete. A restore checks the backup the same way before it touches the store.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from store.sqlite import SQLiteStore


class BackupError(Exception):
    """What went wrong, in Dutch, naming the file."""


@dataclass(slots=True)
class BackupReport:
    """A checked backup file: where it is, what it holds and how large it is."""

    path: Path
    posts: int
    signals: int
    size: int
    anchor: tuple[int, str] | None = None  # the audit anchor inside it (rows, head)


def check_backup(path: Path) -> BackupReport:
    """Open `path` read-only and check it is a whole, intact Onrustradar store; returns what it
    holds, or raises BackupError saying what is wrong."""
    if not path.is_file():
        raise BackupError(f"{path}: bestaat niet of is geen gewoon bestand")
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise BackupError(f"{path}: niet te openen: {exc}") from None
    try:
        result = db.execute("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            raise BackupError(f"{path}: beschadigd ({result})")
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not {"posts", "analyses", "signals"} <= tables:
            raise BackupError(f"{path}: geen Onrustradar-store")
        posts = db.execute("SELECT count(*) FROM posts").fetchone()[0]
        signals = db.execute("SELECT count(*) FROM signals").fetchone()[0]
        anchor = None
        if "audit_anchor" in tables:
            row = db.execute("SELECT rows, head FROM audit_anchor WHERE id = 1").fetchone()
            anchor = (row[0], row[1]) if row else None
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path}: geen SQLite-database ({exc})") from None
    finally:
        db.close()
    return BackupReport(path, posts, signals, path.stat().st_size, anchor)


def backup(store: SQLiteStore, target: Path) -> BackupReport:
    """Write a consistent, checked copy of `store` to `target` (must not exist: a backup is never
    overwritten). Returns the check of the copy; BackupError (in Dutch) on any failure."""
    target = Path(target)
    if target.exists():
        raise BackupError(f"{target}: bestaat al (kies een nieuwe naam; een reservekopie wordt nooit overschreven)")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise BackupError(f"{target}: de map {folder} bestaat niet")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise BackupError(f"{target}: niet te schrijven ({exc.strerror})") from None
    os.close(fd)
    os.chmod(tmp, 0o600)
    try:
        store.backup_to(Path(tmp))
        report = check_backup(Path(tmp))
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.link(tmp, target)  # never over an existing file, even one made meanwhile
    except FileExistsError:
        raise BackupError(f"{target}: bestaat al") from None
    except (OSError, sqlite3.Error) as exc:
        raise BackupError(f"{target}: reservekopie mislukt: {exc}") from None
    finally:
        Path(tmp).unlink(missing_ok=True)
    report.path = target
    return report


def restore(store: SQLiteStore, source: Path) -> BackupReport:
    """Replace the content of `store` by the backup `source`, checked first: a damaged or foreign
    file never touches the store. Returns the check of `source`; BackupError on any failure."""
    report = check_backup(source)
    try:
        store.restore_from(source)
    except sqlite3.Error as exc:
        raise BackupError(f"{source}: herstel mislukt: {exc}") from None
    return report
