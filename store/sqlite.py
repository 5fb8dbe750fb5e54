"""The embedded default store: one SQLite file in WAL mode, with FTS5 on post text."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import threading
from collections.abc import Collection, Iterable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import overload

from onrustradar.core.copykeys import copy_keys
from onrustradar.core.models import OWN_MODEL, Analysis, Post, Signal, utcnow
from onrustradar.core.nl import local
from store.base import (
    Assignment,
    Candidates,
    DailyCount,
    Decision,
    Feedback,
    GroupRecord,
    Note,
    OutboxItem,
    Quarantined,
    SignalQuery,
    SourceHealth,
    TickStats,
    UpsertResult,
    Visit,
)

SCHEMA = (Path(__file__).parent / "schema.sql").read_text(encoding="utf-8")
SCHEMA_INCREMENTAL = (Path(__file__).parent / "schema_incremental.sql").read_text(encoding="utf-8")
CHUNK = 500  # SQLite's variable limit is large, but small chunks keep IN (...) plans cheap
# 1: posts keyed on (platform, source_id). 2: keyed on (configured source name, source_id), so
# one source can never overwrite another's post; quarantine table. 3: triage (notes,
# assignments, grouping decisions, visits), which signal holds a post, when a signal changed.
# 4: incremental processing (posts.analysed, analyses.grouped, events in `groups`). A branch
# once used 3 for incremental processing alone: such a store is told apart by its columns and
# migrated too (its events are rebuilt: their stored format changed).
SCHEMA_VERSION = 4


@overload
def _ts(moment: datetime) -> float: ...
@overload
def _ts(moment: datetime | None) -> float | None: ...
def _ts(moment: datetime | None) -> float | None:
    return moment.timestamp() if moment else None


def _at(ts: float, offset: int | None = None) -> datetime:
    """The moment of a timestamp column declared NOT NULL."""
    tz = timezone(timedelta(seconds=offset)) if offset is not None else UTC
    return datetime.fromtimestamp(ts, tz)


def _dt(ts: float | None, offset: int | None = None) -> datetime | None:
    return None if ts is None else _at(ts, offset)


def _offset(moment: datetime | None) -> int | None:
    if not moment:
        return None
    offset = moment.utcoffset()
    if offset is None:  # a naive moment has no offset to keep; every stored moment is aware
        raise ValueError(f"naive datetime has no offset to store: {moment.isoformat()}")
    return int(offset.total_seconds())


def _chunks(items: list, size: int = CHUNK):
    for i in range(0, len(items), size):
        yield items[i : i + size]


_POST_COLUMNS = (
    "id, source, source_id, source_name, channel, url, author, published_ts, fetched_ts, "
    "text, views, forwards, replies, forwarded_from"
)


def _post_from_row(row: sqlite3.Row) -> Post:
    return Post(
        source=row["source"],
        source_id=row["source_id"],
        channel=row["channel"],
        published_at=_at(row["published_ts"]),
        text=row["text"],
        url=row["url"],
        author=row["author"],
        fetched_at=_at(row["fetched_ts"]),
        source_name=row["source_name"],
        views=row["views"],
        forwards=row["forwards"],
        replies=row["replies"],
        forwarded_from=row["forwarded_from"],
    )


def _posts_from_rows(rows, bad: list | None = None) -> list[Post]:
    """Posts of rows; a row that no longer makes a valid Post (stored before intake checks
    existed) is left out, and noted in `bad` with its reason."""
    out = []
    for row in rows:
        try:
            out.append(_post_from_row(row))
        except (ValueError, OverflowError, OSError) as exc:
            if bad is not None:
                bad.append((row["id"], row["source_name"], f"ongeldig bericht: {exc}"))
    return out


def _migrate_to_source_name_ids(db: sqlite3.Connection) -> None:
    """Schema 1 -> 2, in place and in one transaction: every post fetched by a configured
    source gets the id (source name, source_id), and every reference to it follows."""
    rows = db.execute("SELECT id, source_name, source_id FROM posts WHERE source_name IS NOT NULL").fetchall()
    mapping = {r[0]: f"{r[1]}:{r[2]}" for r in rows if f"{r[1]}:{r[2]}" != r[0]}
    with db:
        db.execute("PRAGMA defer_foreign_keys = ON")  # parents and children change together
        for old, new in mapping.items():
            db.execute("UPDATE OR IGNORE posts SET id = ? WHERE id = ?", (new, old))
            db.execute("UPDATE OR IGNORE analyses SET post_id = ? WHERE post_id = ?", (new, old))
            db.execute("UPDATE OR IGNORE quarantine SET post_id = ? WHERE post_id = ?", (new, old))
            db.execute(
                "UPDATE OR IGNORE feedback SET target_id = ? WHERE target_type = 'post' AND target_id = ?", (new, old)
            )
        if mapping:
            for signal_id, post_ids in db.execute("SELECT signal_id, post_ids FROM signals").fetchall():
                ids = json.loads(post_ids)
                moved = [mapping.get(i, i) for i in ids]
                if moved != ids:
                    db.execute("UPDATE signals SET post_ids = ? WHERE signal_id = ?", (json.dumps(moved), signal_id))
        db.execute("PRAGMA user_version = 2")


def _migrate_to_triage(db: sqlite3.Connection) -> None:
    """Schema 2 -> 3: signals learn when they appeared and changed (existing ones count from
    their first post, so they are not all 'new'), and the post -> signal index is filled.
    Idempotent: a store of the branch that used 3 for incremental processing alone gets it
    on its way to 4."""
    columns = {r[1] for r in db.execute("PRAGMA table_info(signals)")}
    with db:
        for column, kind in (("reach", "INTEGER"), ("created_ts", "REAL"), ("changed_ts", "REAL")):
            if column not in columns:
                db.execute(f"ALTER TABLE signals ADD COLUMN {column} {kind}")
        db.execute("UPDATE signals SET created_ts = first_seen_ts, changed_ts = last_seen_ts WHERE created_ts IS NULL")
        db.execute("DELETE FROM signal_posts")
        db.execute(
            "INSERT OR IGNORE INTO signal_posts (post_id, signal_id) "
            "SELECT j.value, s.signal_id FROM signals s, json_each(s.post_ids) j"
        )
        db.execute("PRAGMA user_version = 3")


def _migrate_to_incremental(db: sqlite3.Connection) -> None:
    """Schema 3 -> 4: the flags incremental processing finds its work by. Existing analysed
    posts are marked; every relevant post counts as not yet grouped, so the first tick builds
    the events once (detectors.incremental, `onrustradar reprocess`). A store that already has
    the flags (the branch's incremental schema 3) keeps them, but its events are dropped and
    rebuilt the same way: their stored form has changed since."""
    with db:
        columns = {r[1] for r in db.execute("PRAGMA table_info(posts)")}
        if "analysed" not in columns:
            db.execute("ALTER TABLE posts ADD COLUMN analysed INTEGER NOT NULL DEFAULT 0")
            db.execute("UPDATE posts SET analysed = 1 WHERE id IN (SELECT post_id FROM analyses)")
        if "grouped" not in {r[1] for r in db.execute("PRAGMA table_info(analyses)")}:
            db.execute("ALTER TABLE analyses ADD COLUMN grouped INTEGER NOT NULL DEFAULT 0")
        else:
            db.execute("UPDATE analyses SET grouped = 0 WHERE grouped = 1")
        # the text keys of the posts stored so far (onrustradar.core.copykeys)
        db.execute(
            "CREATE TABLE IF NOT EXISTS copy_keys (key TEXT NOT NULL, post_id TEXT NOT NULL, "
            "PRIMARY KEY (key, post_id)) WITHOUT ROWID"
        )
        db.executemany(
            "INSERT OR IGNORE INTO copy_keys (key, post_id) VALUES (?, ?)",
            ((k, pid) for pid, text in db.execute("SELECT id, text FROM posts").fetchall() for k in copy_keys(text)),
        )
        for table in ("groups", "group_keys"):
            if db.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone()[
                0
            ]:
                db.execute(f"DELETE FROM {table}")
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _analysis_from_row(row: sqlite3.Row) -> Analysis:
    return Analysis(
        post_id=row["post_id"],
        categories=json.loads(row["categories"]),
        scores=json.loads(row["scores"]),
        gemeente_code=row["gemeente_code"],
        gemeente=row["gemeente"],
        place=row["place"],
        announced=bool(row["announced"]),
        event_start=_dt(row["event_start_ts"], row["event_start_tz"]),
        time_known=bool(row["time_known"]),
        keywords=json.loads(row["keywords"]),
        model=row["model"],
    )


def _pairs(rows) -> list[tuple[Post, Analysis]]:
    """(post, analysis) of joined rows, each once; an invalid stored post is left out (it is
    quarantined by unanalysed_posts)."""
    out, seen = [], set()
    for r in rows:
        if r["id"] in seen:
            continue
        seen.add(r["id"])
        try:
            out.append((_post_from_row(r), _analysis_from_row(r)))
        except (ValueError, OverflowError, OSError):
            continue
    return out


def _signal_from_row(row: sqlite3.Row) -> Signal:
    return Signal(
        signal_id=row["signal_id"],
        categories=json.loads(row["categories"]),
        gemeente_code=row["gemeente_code"],
        gemeente=row["gemeente"],
        place=row["place"],
        event_start=_dt(row["event_start_ts"], row["event_start_tz"]),
        time_known=bool(row["time_known"]),
        announced=bool(row["announced"]),
        first_seen=_at(row["first_seen_ts"]),
        last_seen=_at(row["last_seen_ts"]),
        post_ids=json.loads(row["post_ids"]),
        independent_sources=row["independent_sources"],
        official_sources=row["official_sources"],
        score=row["score"],
        reliability=row["reliability"],
        burst_factor=row["burst_factor"],
        explanation=row["explanation"],
        status=row["status"],
        status_by=row["status_by"],
        status_at=_dt(row["status_ts"]),
        status_note=row["status_note"],
        reach=row["reach"] or 0,
        created_at=_dt(row["created_ts"]),
        changed_at=_dt(row["changed_ts"]),
    )


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _group_from_row(row, members: bool = False) -> GroupRecord:
    state = json.loads(row["state"])
    start = datetime.fromisoformat(state["start"]) if state["start"] else None
    return GroupRecord(
        signal_id=row["signal_id"],
        gemeente_code=row["gemeente_code"],
        open_until=_at(row["open_until_ts"]),
        start=start,
        time_known=bool(row["time_known"]),
        last_seen=datetime.fromisoformat(state["last_seen"]),
        rank=(row["rank_ts"], row["rank_id"]),
        keys=None,
        state=state,
        members=json.loads(row["members"]) if members else None,
        refresh_at=_dt(row["refresh_ts"]),
        score_base=row["score_base"],
    )


# What a person sees of a signal: when one of these changes, the signal is marked as changed.
_VISIBLE = ("post_ids", "reliability", "categories", "event_start_ts", "status")


def _outbox_from_row(row: sqlite3.Row) -> OutboxItem:
    return OutboxItem(
        key=row["key"],
        kind=row["kind"],
        gemeente=row["gemeente"],
        recipients=json.loads(row["recipients"]),
        message_id=row["message_id"],
        message=bytes(row["message"]),
        status=row["status"],
        snapshot=json.loads(row["snapshot"]) if row["snapshot"] else None,
        attempts=row["attempts"],
        error=row["error"],
        created_at=_dt(row["created_ts"]),
        sent_at=_dt(row["sent_ts"]),
    )


def _within(column: str, within: Collection[str] | None) -> tuple[str, list[str]]:
    """A SQL condition restricting `column` to a gemeente scope: None = no restriction,
    empty = nothing (a user without gemeenten sees nothing, never everything)."""
    if within is None:
        return "1 = 1", []
    codes = sorted(within)
    if not codes:
        return "0 = 1", []
    return f"{column} IN ({','.join('?' * len(codes))})", codes


def fts_query(text: str) -> str:
    """Turn what a person types into a safe FTS5 query: every word must occur (prefix match)."""
    words = re.findall(r"\w+", text, flags=re.UNICODE)
    return " ".join(f'"{w}"*' for w in words)


class SQLiteStore:
    """The Store in one SQLite file (WAL), safe to share between threads; opening an older file
    migrates its schema in place."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        # The board reads from Streamlit's script threads; one connection behind a lock is
        # simpler and safe, and SQLite serialises writers anyway.
        self._lock = threading.RLock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        # Deleted content is overwritten, not just unlinked: purged posts leave no text behind.
        self._db.execute("PRAGMA secure_delete=ON")
        with self._lock, self._db:
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            fresh = self._db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'posts'").fetchone()[0] == 0
            self._db.executescript(SCHEMA)
        with self._lock:
            if fresh:
                self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            else:
                if version < 2:
                    _migrate_to_source_name_ids(self._db)
                if version < 4:
                    _migrate_to_triage(self._db)  # (idempotent: also for the branch's schema 3)
                    _migrate_to_incremental(self._db)
            with self._db:
                self._db.executescript(SCHEMA_INCREMENTAL)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- posts ---------------------------------------------------------------------------

    def upsert_posts(self, posts: Iterable[Post]) -> UpsertResult:
        """Insert new posts; for known ones refresh engagement counts and edited text.

        Keyed on (source, source_id): a re-crawl never duplicates. An edited text drops the
        old analysis so the post is analysed again.
        """
        result = UpsertResult()
        batch = {p.id: p for p in posts}  # the last version of a post within one batch wins
        with self._lock, self._db:
            for chunk in _chunks(list(batch.values())):
                ids = [p.id for p in chunk]
                marks = ",".join("?" * len(ids))
                existing = dict(self._db.execute(f"SELECT id, text FROM posts WHERE id IN ({marks})", ids))
                rows = []
                for p in chunk:
                    rows.append(
                        (
                            p.id,
                            p.source,
                            p.source_id,
                            p.source_name,
                            p.channel,
                            p.url,
                            p.author,
                            _ts(p.published_at),
                            _ts(p.fetched_at),
                            p.text,
                            p.views,
                            p.forwards,
                            p.replies,
                            p.forwarded_from,
                        )
                    )
                    if p.id not in existing:
                        result.new += 1
                        result.new_ids.append(p.id)
                    else:
                        result.updated += 1
                changed = [p.id for p in chunk if p.id in existing and existing[p.id] != p.text]
                self._db.executemany(
                    f"INSERT INTO posts ({_POST_COLUMNS}) VALUES ({','.join('?' * 14)}) "
                    "ON CONFLICT (id) DO UPDATE SET "
                    "views = coalesce(excluded.views, views), "
                    "forwards = coalesce(excluded.forwards, forwards), "
                    "replies = coalesce(excluded.replies, replies), "
                    "url = coalesce(excluded.url, url), "
                    "text = excluded.text",
                    rows,
                )
                if changed:
                    self._db.executemany("DELETE FROM analyses WHERE post_id = ?", [(i,) for i in changed])
                    self._db.executemany("DELETE FROM copy_keys WHERE post_id = ?", [(i,) for i in changed])
                fresh = set(changed) | {p.id for p in chunk if p.id not in existing}
                self._db.executemany(
                    "INSERT OR IGNORE INTO copy_keys (key, post_id) VALUES (?, ?)",
                    [(k, p.id) for p in chunk if p.id in fresh for k in copy_keys(p.text)],
                )
        return result

    def get_posts(self, ids: Iterable[str], within: Collection[str] | None = None) -> list[Post]:
        ids = list(ids)
        found: dict[str, Post] = {}
        cond, scope = _within("a.gemeente_code", within)
        join = "" if within is None else "JOIN analyses a ON a.post_id = p.id "
        cols = ", ".join("p." + c.strip() for c in _POST_COLUMNS.split(","))
        with self._lock:
            for chunk in _chunks(ids):
                marks = ",".join("?" * len(chunk))
                for row in self._db.execute(
                    f"SELECT {cols} FROM posts p {join}WHERE p.id IN ({marks}) AND {cond}", [*chunk, *scope]
                ):
                    for post in _posts_from_rows([row]):
                        found[row["id"]] = post
        return [found[i] for i in ids if i in found]

    def iter_posts(self, since: datetime | None = None) -> Iterator[Post]:
        with self._lock:
            rows = self._db.execute(
                f"SELECT {_POST_COLUMNS} FROM posts WHERE published_ts >= ? ORDER BY published_ts, id",
                (_ts(since) or 0.0,),
            ).fetchall()
        yield from _posts_from_rows(rows)

    def count_posts(self) -> int:
        with self._lock:
            return self._db.execute("SELECT count(*) FROM posts").fetchone()[0]

    def stored_source_ids(self, source: str, source_ids: Iterable[str]) -> set[str]:
        """Which of these ids of a platform are stored already, whichever source fetched them
        (`import posts` is idempotent on (source, source_id))."""
        found: set[str] = set()
        with self._lock:
            for chunk in _chunks(list(source_ids)):
                marks = ",".join("?" * len(chunk))
                found.update(
                    r[0]
                    for r in self._db.execute(
                        f"SELECT source_id FROM posts WHERE source = ? AND source_id IN ({marks})", [source, *chunk]
                    )
                )
        return found

    def search_posts(
        self, query: str, gemeente_codes: Iterable[str] = (), limit: int = 50, within: Collection[str] | None = None
    ) -> list[Post]:
        match = fts_query(query)
        if not match:
            return []
        codes = list(gemeente_codes)
        if within is not None:
            codes = sorted(set(codes) & set(within)) if codes else sorted(within)
            if not codes:
                return []
        # Newest first by the index's own order (rowid: the order posts were stored, which
        # follows publication but for a backfill), so SQLite stops after `limit` hits in scope
        # instead of sorting every match: a common word in a million posts still answers at
        # once. The page is then shown by publication time.
        sql = (
            f"SELECT {', '.join('p.' + c.strip() for c in _POST_COLUMNS.split(','))} "
            "FROM posts_fts JOIN posts p ON p.rowid = posts_fts.rowid "
        )
        args: list = [match]
        if codes:
            sql += "JOIN analyses a ON a.post_id = p.id WHERE posts_fts MATCH ? "
            sql += f"AND a.gemeente_code IN ({','.join('?' * len(codes))}) "
            args += codes
        else:
            sql += "WHERE posts_fts MATCH ? "
        sql += "ORDER BY posts_fts.rowid DESC LIMIT ?"
        args.append(limit)
        with self._lock:
            posts = _posts_from_rows(self._db.execute(sql, args).fetchall())
        return sorted(posts, key=lambda p: (p.published_at, p.id), reverse=True)

    def posts_by_author(self, author: str) -> list[Post]:
        with self._lock:
            # The author's own posts, and others' boosts and forwards of them.
            rows = self._db.execute(
                f"SELECT {_POST_COLUMNS} FROM posts WHERE author = ? OR forwarded_from = ? ORDER BY published_ts",
                (author, author),
            ).fetchall()
        return _posts_from_rows(rows)

    def delete_posts(self, ids: Iterable[str]) -> int:
        deleted = 0
        with self._lock, self._db:
            for chunk in _chunks(list(ids)):
                marks = ",".join("?" * len(chunk))
                self._db.execute(f"DELETE FROM analyses WHERE post_id IN ({marks})", chunk)
                deleted += self._db.execute(f"DELETE FROM posts WHERE id IN ({marks})", chunk).rowcount
        if deleted:
            self._forget_deleted_text()
        return deleted

    def purge_posts(self, older_than: datetime) -> int:
        with self._lock, self._db:
            removed = self._db.execute("DELETE FROM posts WHERE published_ts < ?", (_ts(older_than),)).rowcount
        if removed:
            self._forget_deleted_text()
        return removed

    def _forget_deleted_text(self) -> None:
        """After a deletion (retention, subject request) no word of a deleted post may stay
        recoverable: the full-text index keeps deleted tokens in its segments until they are
        merged, and the write-ahead log keeps old pages until a checkpoint. secure_delete
        zeroes the pages freed by both."""
        with self._lock:
            with self._db:
                self._db.execute("INSERT INTO posts_fts (posts_fts) VALUES ('optimize')")
            if str(self.path) != ":memory:":
                self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # -- analyses ------------------------------------------------------------------------

    def unanalysed_posts(self, limit: int = 5000) -> list[Post]:
        while True:
            with self._lock:
                rows = self._db.execute(
                    f"SELECT {', '.join('p.' + c.strip() for c in _POST_COLUMNS.split(','))} "
                    "FROM posts p WHERE p.analysed = 0 AND p.id NOT IN (SELECT post_id FROM quarantine) "
                    "ORDER BY p.published_ts LIMIT ?",
                    (limit,),
                ).fetchall()
            bad: list = []
            posts = _posts_from_rows(rows, bad)
            for post_id, _name, reason in bad:
                self.quarantine_post(post_id, reason)
            if posts or not bad:
                return posts

    def quarantine_post(self, post_id: str, reason: str) -> None:
        with self._lock, self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO quarantine (post_id, source_name, reason, ts) "
                "SELECT id, source_name, ?, ? FROM posts WHERE id = ?",
                (reason[:300], _ts(utcnow()), post_id),
            )

    def quarantined(self, limit: int = 100) -> list[Quarantined]:
        with self._lock:
            rows = self._db.execute("SELECT * FROM quarantine ORDER BY ts DESC LIMIT ?", (limit,)).fetchall()
        return [Quarantined(r["post_id"], r["source_name"], r["reason"], _at(r["ts"])) for r in rows]

    def save_analyses(self, analyses: Iterable[Analysis]) -> None:
        rows = [
            (
                a.post_id,
                1 if a.categories else 0,
                json.dumps(a.categories),
                json.dumps(a.scores),
                a.gemeente_code,
                a.gemeente,
                a.place,
                int(a.announced),
                _ts(a.event_start),
                _offset(a.event_start),
                int(a.time_known),
                json.dumps(a.keywords),
                a.model,
            )
            for a in analyses
        ]
        with self._lock, self._db:
            # published_ts is copied from the post so time-window reads need no join.
            self._db.executemany(
                "INSERT OR REPLACE INTO analyses (post_id, published_ts, relevant, categories, "
                "scores, gemeente_code, gemeente, place, announced, event_start_ts, "
                "event_start_tz, time_known, keywords, model) "
                "SELECT ?1, published_ts, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13 "
                "FROM posts WHERE id = ?1",
                rows,
            )

    def analysed_posts(self, since: datetime, relevant_only: bool = True) -> list[tuple[Post, Analysis]]:
        cols = ", ".join("p." + c.strip() for c in _POST_COLUMNS.split(","))
        sql = f"SELECT {cols}, a.* FROM analyses a JOIN posts p ON p.id = a.post_id WHERE a.published_ts >= ? "
        if relevant_only:
            sql += "AND a.relevant = 1 "
        sql += "ORDER BY a.published_ts, a.post_id"
        with self._lock:
            rows = self._db.execute(sql, (_ts(since),)).fetchall()
        return _pairs(rows)

    def get_analyses(self, post_ids: Iterable[str], within: Collection[str] | None = None) -> dict[str, Analysis]:
        ids = list(post_ids)
        out: dict[str, Analysis] = {}
        cond, scope = _within("gemeente_code", within)
        with self._lock:
            for chunk in _chunks(ids):
                marks = ",".join("?" * len(chunk))
                for row in self._db.execute(
                    f"SELECT * FROM analyses WHERE post_id IN ({marks}) AND {cond}", [*chunk, *scope]
                ):
                    out[row["post_id"]] = _analysis_from_row(row)
        return out

    # -- signals -------------------------------------------------------------------------

    def upsert_signals(self, signals: Iterable[Signal]) -> None:
        """Write detector output as it is. The detector carries a person's status decisions
        over (it reads the previous signal), so this only stores — and notes when the signal
        first came and when what a person sees of it changed, for the board's markers."""
        with self._lock, self._db:
            self._write_signals(list(signals))

    def _write_signals(self, signals: list[Signal]) -> None:
        """Within a transaction the caller holds."""
        if not signals:
            return
        now = _ts(utcnow())
        before: dict[str, sqlite3.Row] = {}
        for chunk in _chunks([s.signal_id for s in signals]):
            marks = ",".join("?" * len(chunk))
            for row in self._db.execute(
                f"SELECT signal_id, created_ts, changed_ts, {', '.join(_VISIBLE)} "
                f"FROM signals WHERE signal_id IN ({marks})",
                chunk,
            ):
                before[row["signal_id"]] = row
        rows, moved = [], []
        for s in signals:
            visible = (json.dumps(s.post_ids), s.reliability, json.dumps(s.categories), _ts(s.event_start), s.status)
            old = before.get(s.signal_id)
            if old is None:
                created = changed = _ts(s.created_at) or now
            else:
                created = old["created_ts"] if old["created_ts"] is not None else now
                same = tuple(old[c] for c in _VISIBLE) == visible
                changed = old["changed_ts"] if same and old["changed_ts"] is not None else now
            if old is None or old["post_ids"] != visible[0]:
                moved.append(s)
            rows.append(
                (
                    s.signal_id,
                    visible[2],
                    s.gemeente_code,
                    s.gemeente,
                    s.place,
                    visible[3],
                    _offset(s.event_start),
                    int(s.time_known),
                    int(s.announced),
                    _ts(s.first_seen),
                    _ts(s.last_seen),
                    visible[0],
                    s.independent_sources,
                    s.official_sources,
                    s.score,
                    s.reliability,
                    s.burst_factor,
                    s.explanation,
                    s.status,
                    s.status_by,
                    _ts(s.status_at),
                    s.status_note,
                    s.reach,
                    created,
                    changed,
                )
            )
        self._db.executemany(
            "INSERT INTO signals (signal_id, categories, gemeente_code, gemeente, place, "
            "event_start_ts, event_start_tz, time_known, announced, first_seen_ts, "
            "last_seen_ts, post_ids, independent_sources, official_sources, score, "
            "reliability, burst_factor, explanation, status, status_by, status_ts, "
            "status_note, reach, created_ts, changed_ts) VALUES (" + ",".join("?" * 25) + ") "
            "ON CONFLICT (signal_id) DO UPDATE SET categories = excluded.categories, "
            "gemeente_code = excluded.gemeente_code, gemeente = excluded.gemeente, "
            "place = excluded.place, event_start_ts = excluded.event_start_ts, "
            "event_start_tz = excluded.event_start_tz, time_known = excluded.time_known, "
            "announced = excluded.announced, first_seen_ts = excluded.first_seen_ts, "
            "last_seen_ts = excluded.last_seen_ts, post_ids = excluded.post_ids, "
            "independent_sources = excluded.independent_sources, "
            "official_sources = excluded.official_sources, score = excluded.score, "
            "reliability = excluded.reliability, burst_factor = excluded.burst_factor, "
            "explanation = excluded.explanation, status = excluded.status, "
            "status_by = excluded.status_by, status_ts = excluded.status_ts, "
            "status_note = excluded.status_note, reach = excluded.reach, created_ts = excluded.created_ts, "
            "changed_ts = excluded.changed_ts",
            rows,
        )
        # The post -> signal index follows only the signals whose posts changed.
        for chunk in _chunks([s.signal_id for s in moved]):
            self._db.execute(f"DELETE FROM signal_posts WHERE signal_id IN ({','.join('?' * len(chunk))})", chunk)
        self._db.executemany(
            "INSERT OR IGNORE INTO signal_posts (post_id, signal_id) VALUES (?, ?)",
            [(p, s.signal_id) for s in moved for p in s.post_ids],
        )

    def delete_signal(self, signal_id: str, within: Collection[str] | None = None) -> bool:
        """Remove a signal (one merged into another); its thread and history stay."""
        cond, scope = _within("gemeente_code", within)
        with self._lock, self._db:
            gone = self._db.execute(f"DELETE FROM signals WHERE signal_id = ? AND {cond}", (signal_id, *scope)).rowcount
            if gone:
                self._db.execute("DELETE FROM signal_posts WHERE signal_id = ?", (signal_id,))
                self._db.execute("DELETE FROM signal_assignments WHERE signal_id = ?", (signal_id,))
        return bool(gone)

    def signals_of_posts(self, post_ids: Iterable[str], within: Collection[str] | None = None) -> dict[str, str]:
        """For each post that is in a signal (of this scope): that signal's id."""
        cond, scope = _within("s.gemeente_code", within)
        out: dict[str, str] = {}
        with self._lock:
            for chunk in _chunks(list(post_ids)):
                marks = ",".join("?" * len(chunk))
                for post_id, signal_id in self._db.execute(
                    "SELECT sp.post_id, sp.signal_id FROM signal_posts sp JOIN signals s USING (signal_id) "
                    f"WHERE sp.post_id IN ({marks}) AND {cond} ORDER BY s.last_seen_ts",
                    [*chunk, *scope],
                ):
                    out[post_id] = signal_id
        return out

    def get_signal(self, signal_id: str, within: Collection[str] | None = None) -> Signal | None:
        cond, scope = _within("gemeente_code", within)
        with self._lock:
            row = self._db.execute(
                f"SELECT * FROM signals WHERE signal_id = ? AND {cond}", (signal_id, *scope)
            ).fetchone()
        return _signal_from_row(row) if row else None

    def query_signals(self, query: SignalQuery) -> list[Signal]:
        where: list[str] = []
        args: list[str | float | int] = []
        for column, values in (
            ("gemeente_code", query.gemeente_codes),
            ("reliability", query.reliability),
            ("status", query.statuses),
        ):
            if values:
                where.append(f"{column} IN ({','.join('?' * len(values))})")
                args += sorted(values)
        if query.within is not None:
            cond, scope = _within("gemeente_code", query.within)
            where.append(cond)
            args += scope
        if query.since:
            where.append("last_seen_ts >= ?")
            args.append(_ts(query.since))
        if query.assignee is not None:
            if query.assignee:
                where.append("signal_id IN (SELECT signal_id FROM signal_assignments WHERE assignee = ?)")
                args.append(query.assignee)
            else:
                where.append("signal_id NOT IN (SELECT signal_id FROM signal_assignments)")
        if query.categories:
            where.append(
                "EXISTS (SELECT 1 FROM json_each(signals.categories) WHERE value IN ("
                + ",".join("?" * len(query.categories))
                + "))"
            )
            args += sorted(query.categories)
        sql = "SELECT * FROM signals"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY score DESC, signal_id LIMIT ?"
        args.append(query.limit)
        with self._lock:
            return [_signal_from_row(r) for r in self._db.execute(sql, args)]

    def set_signal_status(
        self, signal_id: str, status: str, by: str, note: str | None = None, within: Collection[str] | None = None
    ) -> None:
        now = _ts(utcnow())
        cond, scope = _within("gemeente_code", within)
        with self._lock, self._db:
            cur = self._db.execute(
                "UPDATE signals SET status = ?, status_by = ?, status_ts = ?, status_note = ? "
                f"WHERE signal_id = ? AND {cond}",
                (status, by, now, note, signal_id, *scope),
            )
            if cur.rowcount == 0:
                raise KeyError(signal_id)
            self._db.execute("INSERT INTO status_log VALUES (?, ?, ?, ?, ?)", (signal_id, status, by, note, now))

    def status_history(
        self, signal_id: str, within: Collection[str] | None = None
    ) -> list[tuple[datetime, str, str, str | None]]:
        cond, scope = _within("s.gemeente_code", within)
        with self._lock:
            rows = self._db.execute(
                "SELECT l.ts, l.status, l.actor, l.note FROM status_log l JOIN signals s USING (signal_id) "
                f"WHERE l.signal_id = ? AND {cond} ORDER BY l.ts",
                (signal_id, *scope),
            ).fetchall()
        return [(_at(r[0]), r[1], r[2], r[3]) for r in rows]

    # -- triage: notes, assignments, grouping decisions, visits ------------------------------

    def _in_scope(self, signal_id: str, within: Collection[str] | None) -> bool:
        return within is None or self.get_signal(signal_id, within=within) is not None

    def add_note(self, note: Note, within: Collection[str] | None = None) -> None:
        if not self._in_scope(note.signal_id, within):
            raise KeyError(note.signal_id)
        with self._lock, self._db:
            self._db.execute(
                "INSERT INTO signal_notes VALUES (?, ?, ?, ?, ?, ?)",
                (note.signal_id, note.kind, note.actor, note.text, note.assignee, _ts(note.at or utcnow())),
            )

    def notes(self, signal_id: str, within: Collection[str] | None = None) -> list[Note]:
        if not self._in_scope(signal_id, within):
            return []
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM signal_notes WHERE signal_id = ? ORDER BY ts, rowid", (signal_id,)
            ).fetchall()
        return [Note(r["signal_id"], r["kind"], r["actor"], r["text"], r["assignee"], _dt(r["ts"])) for r in rows]

    def assign(self, signal_id: str, assignee: str, by: str, within: Collection[str] | None = None) -> None:
        if not self._in_scope(signal_id, within) or self.get_signal(signal_id) is None:
            raise KeyError(signal_id)
        with self._lock, self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO signal_assignments VALUES (?, ?, ?, ?)",
                (signal_id, assignee, by, _ts(utcnow())),
            )

    def assignments(self, signal_ids: Iterable[str], within: Collection[str] | None = None) -> dict[str, Assignment]:
        cond, scope = _within("s.gemeente_code", within)
        out: dict[str, Assignment] = {}
        with self._lock:
            for chunk in _chunks(list(signal_ids)):
                marks = ",".join("?" * len(chunk))
                for r in self._db.execute(
                    "SELECT a.* FROM signal_assignments a JOIN signals s USING (signal_id) "
                    f"WHERE a.signal_id IN ({marks}) AND {cond}",
                    [*chunk, *scope],
                ):
                    out[r["signal_id"]] = Assignment(r["signal_id"], r["assignee"], r["actor"], _at(r["ts"]))
        return out

    def add_decision(self, decision: Decision) -> None:
        with self._lock, self._db:
            self._db.execute(
                "INSERT INTO signal_decisions (kind, signal_id, other_id, post_ids, keep_post_ids, gemeente_code, "
                "actor, ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    decision.kind,
                    decision.signal_id,
                    decision.other_id,
                    json.dumps(decision.post_ids),
                    json.dumps(decision.keep_post_ids),
                    decision.gemeente_code,
                    decision.actor,
                    _ts(decision.at or utcnow()),
                ),
            )

    def decisions(self, within: Collection[str] | None = None) -> list[Decision]:
        cond, scope = _within("gemeente_code", within)
        with self._lock:
            rows = self._db.execute(f"SELECT * FROM signal_decisions WHERE {cond} ORDER BY seq", scope).fetchall()
        return [
            Decision(
                r["kind"],
                r["signal_id"],
                r["other_id"],
                json.loads(r["post_ids"]),
                json.loads(r["keep_post_ids"]),
                r["gemeente_code"],
                r["actor"],
                _dt(r["ts"]),
            )
            for r in rows
        ]

    def last_visit(self, user_id: str) -> Visit | None:
        with self._lock:
            row = self._db.execute(
                "SELECT seen_ts, since_ts FROM board_visits WHERE user_id = ?", (user_id,)
            ).fetchone()
        return Visit(user_id, _at(row[0]), _dt(row[1])) if row else None

    def set_visit(self, visit: Visit) -> None:
        with self._lock, self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO board_visits VALUES (?, ?, ?)",
                (visit.user_id, _ts(visit.seen), _ts(visit.since)),
            )

    # -- feedback and trends -------------------------------------------------------------

    def add_feedback(self, feedback: Feedback) -> None:
        """One verdict per person per post or signal: a second click replaces the first."""
        with self._lock, self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO feedback VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    feedback.target_type,
                    feedback.target_id,
                    feedback.verdict,
                    feedback.category,
                    json.dumps(feedback.keywords),
                    feedback.actor,
                    _ts(feedback.at or utcnow()),
                ),
            )

    def feedback(self, within: Collection[str] | None = None) -> list[Feedback]:
        sql, args = "SELECT * FROM feedback f", []
        if within is not None:
            sig, sig_args = _within("s.gemeente_code", within)
            ana, ana_args = _within("a.gemeente_code", within)
            sql += (
                f" WHERE (f.target_type = 'signal' AND EXISTS (SELECT 1 FROM signals s WHERE "
                f"s.signal_id = f.target_id AND {sig})) OR (f.target_type = 'post' AND EXISTS "
                f"(SELECT 1 FROM analyses a WHERE a.post_id = f.target_id AND {ana}))"
            )
            args = [*sig_args, *ana_args]
        with self._lock:
            rows = self._db.execute(sql + " ORDER BY f.ts", args).fetchall()
        return [
            Feedback(
                r["target_type"],
                r["target_id"],
                r["verdict"],
                r["actor"],
                r["category"],
                json.loads(r["keywords"]),
                _dt(r["ts"]),
            )
            for r in rows
        ]

    def daily_counts(
        self, since: datetime, gemeente_codes: Iterable[str] = (), within: Collection[str] | None = None
    ) -> list[DailyCount]:
        codes = list(gemeente_codes)
        if within is not None:
            codes = sorted(set(codes) & set(within)) if codes else sorted(within)
            if not codes:
                return []
        sql = (
            # Hourly buckets in SQL, days in Europe/Amsterdam in Python: correct across DST.
            "SELECT CAST(a.published_ts / 3600 AS INTEGER) AS hour, a.gemeente_code, c.value AS category, "
            "count(*) AS n FROM analyses a, json_each(a.categories) c WHERE a.relevant = 1 AND a.published_ts >= ? "
        )
        args: list = [_ts(since)]
        if codes:
            sql += f"AND a.gemeente_code IN ({','.join('?' * len(codes))}) "
            args += codes
        sql += "GROUP BY hour, a.gemeente_code, category"
        with self._lock:
            rows = self._db.execute(sql, args).fetchall()
        days: dict[tuple, int] = {}
        for r in rows:
            day = local(datetime.fromtimestamp(r["hour"] * 3600, UTC)).date().isoformat()
            key = (day, r["gemeente_code"], r["category"])
            days[key] = days.get(key, 0) + r["n"]
        return [
            DailyCount(d, g, c, n)
            for (d, g, c), n in sorted(days.items(), key=lambda kv: (kv[0][0], kv[0][1] or "", kv[0][2]))
        ]

    def reset_analyses(self, since: datetime, unless_model: str | None = None) -> int:
        """Forget analyses of recent posts (made by another model or keyword version) so they
        are analysed again. What a person gave (an eigen melding, OWN_MODEL) is never redone."""
        with self._lock, self._db:
            if unless_model is None:
                return self._db.execute(
                    "DELETE FROM analyses WHERE published_ts >= ? AND model != ?", (_ts(since), OWN_MODEL)
                ).rowcount
            return self._db.execute(
                "DELETE FROM analyses WHERE published_ts >= ? AND model NOT IN (?, ?)",
                (_ts(since), unless_model, OWN_MODEL),
            ).rowcount

    # -- outgoing e-mail -----------------------------------------------------------------

    def outbox_add(self, item: OutboxItem) -> bool:
        """Store a built message under its key; False if the key exists (never twice)."""
        with self._lock, self._db:
            cur = self._db.execute(
                "INSERT OR IGNORE INTO outbox (key, kind, gemeente, recipients, message_id, message, snapshot, "
                "status, attempts, error, created_ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    item.key,
                    item.kind,
                    item.gemeente,
                    json.dumps(item.recipients),
                    item.message_id,
                    item.message,
                    json.dumps(item.snapshot) if item.snapshot is not None else None,
                    item.status,
                    item.attempts,
                    item.error,
                    _ts(item.created_at or utcnow()),
                ),
            )
            return cur.rowcount == 1

    def outbox_get(self, key: str) -> OutboxItem | None:
        with self._lock:
            row = self._db.execute("SELECT * FROM outbox WHERE key = ?", (key,)).fetchone()
        return _outbox_from_row(row) if row else None

    def outbox_update(self, key: str, status: str, attempts: int, error: str | None = None) -> None:
        with self._lock, self._db:
            self._db.execute(
                "UPDATE outbox SET status = ?, attempts = ?, error = ?, sent_ts = ? WHERE key = ?",
                (status, attempts, error, _ts(utcnow()) if status == "sent" else None, key),
            )

    def outbox_list(
        self,
        kind: str | None = None,
        gemeente: str | None = None,
        limit: int = 100,
        within_names: Collection[str] | None = None,
    ) -> list[OutboxItem]:
        cond, scope = _within("gemeente", within_names)
        args: list[str | int] = [*scope]
        sql = f"SELECT * FROM outbox WHERE {cond}"
        if kind:
            sql += " AND kind = ?"
            args.append(kind)
        if gemeente:
            sql += " AND gemeente = ?"
            args.append(gemeente)
        sql += " ORDER BY created_ts DESC LIMIT ?"
        args.append(limit)
        with self._lock:
            return [_outbox_from_row(r) for r in self._db.execute(sql, args)]

    # -- audit anchor --------------------------------------------------------------------

    def audit_anchor(self) -> dict | None:
        with self._lock:
            row = self._db.execute("SELECT rows, head, mac FROM audit_anchor WHERE id = 1").fetchone()
        return {"rows": row[0], "head": row[1], "mac": row[2]} if row else None

    def set_audit_anchor(self, anchor: dict) -> None:
        with self._lock, self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO audit_anchor (id, rows, head, mac, ts) VALUES (1, ?, ?, ?, ?)",
                (anchor["rows"], anchor["head"], anchor["mac"], _ts(utcnow())),
            )

    # -- crawl bookkeeping ---------------------------------------------------------------

    def get_cursor(self, source_name: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT value FROM cursors WHERE source_name = ?", (source_name,)).fetchone()
        return row[0] if row else None

    def set_cursor(self, source_name: str, value: str) -> None:
        with self._lock, self._db:
            self._db.execute(
                "INSERT INTO cursors (source_name, value, updated_ts) VALUES (?, ?, ?) "
                "ON CONFLICT (source_name) DO UPDATE SET value = excluded.value, "
                "updated_ts = excluded.updated_ts",
                (source_name, value, _ts(utcnow())),
            )

    def record_crawl(self, source_name: str, new: int, error: str | None = None) -> None:
        now = _ts(utcnow())
        with self._lock, self._db:
            self._db.execute(
                "INSERT INTO source_health (source_name) VALUES (?) ON CONFLICT DO NOTHING", (source_name,)
            )
            if error:
                self._db.execute(
                    "UPDATE source_health SET last_error = ?, last_error_ts = ?, "
                    "total_new = total_new + ? WHERE source_name = ?",
                    (error[:500], now, new, source_name),
                )
            else:
                self._db.execute(
                    "UPDATE source_health SET last_success = ?, last_new = ?, "
                    "total_new = total_new + ? WHERE source_name = ?",
                    (now, new, new, source_name),
                )

    def source_health(self) -> list[SourceHealth]:
        week_ago = _ts(utcnow() - timedelta(days=7))
        with self._lock:
            rows = self._db.execute(
                "SELECT h.*, c.value AS cursor, "
                "(SELECT count(*) FROM posts p WHERE p.source_name = h.source_name "
                " AND p.published_ts >= ?) AS week_posts "
                "FROM source_health h LEFT JOIN cursors c USING (source_name) "
                "ORDER BY h.source_name",
                (week_ago,),
            ).fetchall()
        return [
            SourceHealth(
                source_name=r["source_name"],
                last_success=_dt(r["last_success"]),
                last_error=r["last_error"],
                last_error_at=_dt(r["last_error_ts"]),
                last_new=r["last_new"],
                total_new=r["total_new"],
                cursor=r["cursor"],
                posts_per_day=round(r["week_posts"] / 7, 1),
            )
            for r in rows
        ]

    # -- the service itself ----------------------------------------------------------------

    def record_tick(
        self, started: datetime, seconds: float, ok: bool, error: str | None = None, name: str = "tick"
    ) -> None:
        end = _ts(started) + seconds
        with self._lock, self._db:
            self._db.execute(
                "INSERT INTO ticks (name, last_started_ts, last_seconds, last_ok, last_error, last_ok_ts, count, "
                "failed, longest) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?) ON CONFLICT (name) DO UPDATE SET "
                "last_started_ts = excluded.last_started_ts, last_seconds = excluded.last_seconds, "
                "last_ok = excluded.last_ok, last_error = excluded.last_error, "
                "last_ok_ts = coalesce(excluded.last_ok_ts, ticks.last_ok_ts), count = ticks.count + 1, "
                "failed = ticks.failed + excluded.failed, longest = max(ticks.longest, excluded.longest)",
                (
                    name,
                    _ts(started),
                    seconds,
                    int(ok),
                    None if ok else (error or "")[:500],
                    end if ok else None,
                    0 if ok else 1,
                    seconds,
                ),
            )

    def tick_stats(self, name: str = "tick") -> TickStats | None:
        with self._lock:
            r = self._db.execute("SELECT * FROM ticks WHERE name = ?", (name,)).fetchone()
        if r is None:
            return None
        return TickStats(
            _at(r["last_started_ts"]),
            r["last_seconds"],
            bool(r["last_ok"]),
            r["last_error"],
            _dt(r["last_ok_ts"]),
            r["count"],
            r["failed"],
            r["longest"],
        )

    def disk_usage(self) -> tuple[int, int]:
        usage = shutil.disk_usage(self.path.resolve().parent)
        return usage.free, usage.total

    def backup_to(self, target: Path) -> None:
        """A consistent copy of the whole store in `target` (a new file), taken with SQLite's
        online backup API in one step: one read transaction, so writers (WAL) go on meanwhile
        and the copy is the store as of one moment."""
        copy = sqlite3.connect(str(target))
        try:
            with self._lock:
                self._db.backup(copy, pages=-1)
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        finally:
            copy.close()

    def restore_from(self, source: Path) -> None:
        """Replace the whole store by the content of the backup `source` (online: the same API
        the other way round, so other connections see the restored store, never a torn one)."""
        backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            with self._lock:
                backup.backup(self._db, pages=-1)
        finally:
            backup.close()

    # -- incremental processing --------------------------------------------------------------

    def ungrouped_posts(self, since: datetime, limit: int = 5000) -> list[tuple[Post, Analysis]]:
        """Relevant analysed posts of the horizon that no tick has put in an event yet."""
        cols = ", ".join("p." + c.strip() for c in _POST_COLUMNS.split(","))
        with self._lock:
            rows = self._db.execute(
                f"SELECT {cols}, a.* FROM analyses a JOIN posts p ON p.id = a.post_id "
                "WHERE a.relevant = 1 AND a.grouped = 0 AND a.published_ts >= ? "
                "ORDER BY a.published_ts, a.post_id LIMIT ?",
                (_ts(since), limit),
            ).fetchall()
        return _pairs(rows)

    def candidate_groups(self, want: Candidates) -> list[GroupRecord]:
        """Open events (see Candidates) without their members: by gemeente, by key, by start."""
        since, active = _ts(want.since), _ts(want.active_since)
        ids: set[str] = set()
        with self._lock:
            recent = _ts(max(want.recent, want.active_since)) if want.recent else None
            for chunk in _chunks(sorted(want.gemeenten)) if recent is not None else ():
                ids.update(
                    r[0]
                    for r in self._db.execute(
                        f"SELECT signal_id FROM groups WHERE gemeente_code IN ({','.join('?' * len(chunk))}) "
                        "AND last_seen_ts >= ?",
                        [*chunk, recent],
                    )
                )
            for keys, only in ((want.keys, ""), (want.unplaced_keys - want.keys, "AND g.gemeente_code IS NULL ")):
                for chunk in _chunks(sorted(keys)):
                    ids.update(
                        r[0]
                        for r in self._db.execute(
                            "SELECT g.signal_id FROM group_keys k JOIN groups g ON g.signal_id = k.signal_id "
                            f"WHERE k.key IN ({','.join('?' * len(chunk))}) AND g.open_until_ts >= ? "
                            "AND g.last_seen_ts >= ? " + only,
                            [*chunk, since, active],
                        )
                    )
            common = {
                k
                for k in {k for q in want.texts for k in q.keys}
                if self._db.execute(
                    "SELECT 1 FROM group_keys WHERE key = ? LIMIT 1 OFFSET ?", (k, want.common)
                ).fetchone()
            }
            for lo, hi in want.windows:
                ids.update(
                    r[0]
                    for r in self._db.execute(
                        "SELECT signal_id FROM groups WHERE time_known = 1 AND gemeente_code IS NOT NULL "
                        "AND start_ts BETWEEN ? AND ? AND open_until_ts >= ? AND last_seen_ts >= ?",
                        (_ts(lo), _ts(hi), since, active),
                    )
                )
            dated = "AND (g.start_ts BETWEEN ? AND ? OR (g.start_ts IS NULL AND g.last_seen_ts BETWEEN ? AND ?))"
            for q in want.texts:
                if q.gemeente is not None:
                    ids.update(
                        r[0]
                        for r in self._db.execute(
                            "SELECT g.signal_id FROM groups g INDEXED BY groups_gemeente WHERE g.gemeente_code = ? "
                            f"AND g.open_until_ts >= ? AND g.last_seen_ts >= ? {dated}",
                            (
                                q.gemeente,
                                since,
                                active,
                                _ts(q.start_lo),
                                _ts(q.start_hi),
                                _ts(q.seen_lo),
                                _ts(q.seen_hi),
                            ),
                        )
                    )
                    continue
                for chunk in _chunks([k for k in q.keys if k not in common]):
                    ids.update(
                        r[0]
                        for r in self._db.execute(
                            "SELECT g.signal_id FROM group_keys k JOIN groups g ON g.signal_id = k.signal_id "
                            f"WHERE k.key IN ({','.join('?' * len(chunk))}) AND g.open_until_ts >= ? "
                            "AND g.last_seen_ts >= ? "
                            + ("AND g.gemeente_code IS NULL " if q.unplaced_only else "")
                            + "AND (g.start_ts BETWEEN ? AND ? OR (g.start_ts IS NULL AND g.last_seen_ts "
                            "BETWEEN ? AND ?))",
                            [*chunk, since, active, _ts(q.start_lo), _ts(q.start_hi), _ts(q.seen_lo), _ts(q.seen_hi)],
                        )
                    )
            rows = []
            for chunk in _chunks(sorted(ids)):
                rows += self._db.execute(
                    "SELECT signal_id, gemeente_code, open_until_ts, start_ts, time_known, last_seen_ts, rank_ts, "
                    "rank_id, refresh_ts, score_base, state FROM groups WHERE signal_id IN "
                    f"({','.join('?' * len(chunk))})",
                    chunk,
                ).fetchall()
        return [_group_from_row(r) for r in rows]

    def due_groups(self, now: datetime, active_since: datetime, limit: int) -> list[GroupRecord]:
        """Events whose signal is due for a time-only recomputation, most overdue first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT signal_id, gemeente_code, open_until_ts, start_ts, time_known, last_seen_ts, rank_ts, "
                "rank_id, refresh_ts, score_base, state FROM groups "
                "WHERE refresh_ts <= ? AND last_seen_ts >= ? ORDER BY refresh_ts LIMIT ?",
                (_ts(now), _ts(active_since), limit),
            ).fetchall()
        return [_group_from_row(r) for r in rows]

    def gemeente_groups(self, codes: Iterable[str], active_since: datetime) -> list[GroupRecord]:
        """Every event of these gemeenten active since `active_since`, without members (the
        regrouping of a gemeente, onrustradar.service.incremental)."""
        rows = []
        with self._lock:
            for chunk in _chunks(sorted(set(codes))):
                rows += self._db.execute(
                    "SELECT signal_id, gemeente_code, open_until_ts, start_ts, time_known, last_seen_ts, rank_ts, "
                    "rank_id, refresh_ts, score_base, state FROM groups INDEXED BY groups_gemeente "
                    f"WHERE gemeente_code IN ({','.join('?' * len(chunk))}) AND last_seen_ts >= ?",
                    [*chunk, _ts(active_since)],
                ).fetchall()
        return [_group_from_row(r) for r in rows]

    def unplaced_groups(self, keys: Iterable[str], active_since: datetime) -> list[GroupRecord]:
        """Events without a gemeente holding one of these keys ("a:" names, "o:" channels),
        active since `active_since`, without members."""
        ids: set[str] = set()
        with self._lock:
            for chunk in _chunks(sorted(set(keys))):
                ids.update(
                    r[0]
                    for r in self._db.execute(
                        "SELECT g.signal_id FROM group_keys k JOIN groups g ON g.signal_id = k.signal_id "
                        f"WHERE k.key IN ({','.join('?' * len(chunk))}) AND g.gemeente_code IS NULL "
                        "AND g.last_seen_ts >= ?",
                        [*chunk, _ts(active_since)],
                    )
                )
            rows = []
            for chunk in _chunks(sorted(ids)):
                rows += self._db.execute(
                    "SELECT signal_id, gemeente_code, open_until_ts, start_ts, time_known, last_seen_ts, rank_ts, "
                    "rank_id, refresh_ts, score_base, state FROM groups WHERE signal_id IN "
                    f"({','.join('?' * len(chunk))})",
                    chunk,
                ).fetchall()
        return [_group_from_row(r) for r in rows]

    def context_posts(
        self, codes: Iterable[str], since: datetime, unplaced: bool = True
    ) -> list[tuple[Post, Analysis]]:
        """Analysed posts without a category since `since`, of these gemeenten and (unless
        `unplaced` is False) of none: what context attachment and weak events look at."""
        cols = ", ".join("p." + c.strip() for c in _POST_COLUMNS.split(","))
        codes = sorted(set(codes))
        rows = []
        with self._lock:
            for chunk in _chunks(codes):
                rows += self._db.execute(
                    f"SELECT {cols}, a.* FROM analyses a INDEXED BY analyses_gemeente JOIN posts p ON p.id = a.post_id "
                    f"WHERE a.gemeente_code IN ({','.join('?' * len(chunk))}) AND a.published_ts >= ? "
                    "AND a.relevant = 0",
                    [*chunk, _ts(since)],
                ).fetchall()
            if unplaced:
                rows += self._db.execute(
                    f"SELECT {cols}, a.* FROM analyses a INDEXED BY analyses_gemeente JOIN posts p ON p.id = a.post_id "
                    "WHERE a.gemeente_code IS NULL AND a.published_ts >= ? AND a.relevant = 0",
                    (_ts(since),),
                ).fetchall()
        return _pairs(rows)

    def placed_context_posts(
        self, since: datetime, until: datetime, origins: Iterable[str], names: Iterable[str]
    ) -> list[tuple[Post, Analysis]]:
        cols = ", ".join("p." + c.strip() for c in _POST_COLUMNS.split(","))
        origins, names = sorted(set(origins)), sorted(set(names))
        found = "a.relevant = 0 AND a.published_ts BETWEEN ? AND ? AND a.gemeente_code IS NOT NULL"
        rows = []
        with self._lock:
            for chunk in _chunks(origins):
                # (lower() folds ASCII only: a channel named in other letters is passed on to
                # the caller's exact test, never missed)
                rows += self._db.execute(
                    f"SELECT {cols}, a.* FROM analyses a INDEXED BY analyses_relevant JOIN posts p ON p.id = a.post_id "
                    f"WHERE {found} AND (lower(coalesce(p.forwarded_from, p.channel)) IN "
                    f"({','.join('?' * len(chunk))}) OR coalesce(p.forwarded_from, p.channel) GLOB '*[^ -~]*')",
                    [_ts(since), _ts(until), *chunk],
                ).fetchall()
            if names:
                match = " OR ".join('"' + n.replace('"', '""') + '"' for n in names)
                rows += self._db.execute(
                    f"SELECT {cols}, a.* FROM posts_fts JOIN posts p ON p.rowid = posts_fts.rowid "
                    f"JOIN analyses a ON a.post_id = p.id WHERE posts_fts MATCH ? AND {found}",
                    (match, _ts(since), _ts(until)),
                ).fetchall()
        return _pairs(rows)

    def set_refresh(self, items: dict[str, tuple[datetime, float | None]]) -> None:
        """Per event: when its signal is next recomputed, and its score without the time factor."""
        with self._lock, self._db:
            self._db.executemany(
                "UPDATE groups SET refresh_ts = ?, score_base = ? WHERE signal_id = ?",
                [(_ts(t), base, sid) for sid, (t, base) in items.items()],
            )

    def get_signals(self, signal_ids: Iterable[str]) -> dict[str, Signal]:
        out = {}
        with self._lock:
            for chunk in _chunks(list(signal_ids)):
                for row in self._db.execute(
                    f"SELECT * FROM signals WHERE signal_id IN ({','.join('?' * len(chunk))})", chunk
                ):
                    out[row["signal_id"]] = _signal_from_row(row)
        return out

    def save_grouping(
        self,
        records: list[GroupRecord],
        refresh: dict[str, datetime],
        signals: list[Signal],
        grouped: list[str],
        forget_before: datetime | None = None,
    ) -> None:
        """One tick's writes in one transaction: changed events (with their keys), new refresh
        times, changed signals, the posts now grouped; events inactive since `forget_before`
        are dropped (they can take no post any more)."""
        with self._lock, self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO groups (signal_id, gemeente_code, open_until_ts, start_ts, time_known, "
                "last_seen_ts, rank_ts, rank_id, refresh_ts, score_base, state, members) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                [
                    (
                        r.signal_id,
                        r.gemeente_code,
                        _ts(r.open_until),
                        _ts(r.start),
                        int(r.time_known),
                        _ts(r.last_seen),
                        r.rank[0],
                        r.rank[1],
                        _ts(r.refresh_at),
                        r.score_base,
                        _json(r.state),
                        _json(r.members),
                    )
                    for r in records
                ],
            )
            rekeyed = [(r.signal_id, r.keys) for r in records if r.keys is not None]  # None: loaded, keys unchanged
            for chunk in _chunks([sid for sid, _keys in rekeyed]):
                self._db.execute(f"DELETE FROM group_keys WHERE signal_id IN ({','.join('?' * len(chunk))})", chunk)
            self._db.executemany(
                "INSERT OR IGNORE INTO group_keys (key, signal_id) VALUES (?, ?)",
                [(k, sid) for sid, keys in rekeyed for k in keys],
            )
            self._db.executemany(
                "UPDATE groups SET refresh_ts = ? WHERE signal_id = ?", [(_ts(t), sid) for sid, t in refresh.items()]
            )
            self._write_signals(signals)
            self._db.executemany("UPDATE analyses SET grouped = 1 WHERE post_id = ?", [(i,) for i in grouped])
            if forget_before is not None:
                old = [
                    r[0]
                    for r in self._db.execute(
                        "SELECT signal_id FROM groups WHERE last_seen_ts < ?", (_ts(forget_before),)
                    )
                ]
                for chunk in _chunks(old):
                    marks = ",".join("?" * len(chunk))
                    self._db.execute(f"DELETE FROM group_keys WHERE signal_id IN ({marks})", chunk)
                    self._db.execute(f"DELETE FROM groups WHERE signal_id IN ({marks})", chunk)

    def make_due(self, now: datetime) -> None:
        """Every event's signal is due for recomputation at `now`."""
        with self._lock, self._db:
            self._db.execute("UPDATE groups SET refresh_ts = ?", (_ts(now),))

    def copies_of(self, keys: Iterable[str], since: datetime) -> list[tuple[Post, Analysis, bool]]:
        """Analysed posts of the horizon holding one of these text keys (onrustradar.core.copykeys),
        with whether they are in an event already (`grouped`)."""
        keys = sorted(set(keys))
        cols = ", ".join("p." + c.strip() for c in _POST_COLUMNS.split(","))
        out, seen = [], set()
        with self._lock:
            for chunk in _chunks(keys):
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(
                    f"SELECT DISTINCT {cols}, a.* FROM copy_keys k JOIN posts p ON p.id = k.post_id "
                    f"JOIN analyses a ON a.post_id = p.id WHERE k.key IN ({marks}) AND p.published_ts >= ?",
                    (*chunk, _ts(since)),
                ).fetchall()
                for r in rows:
                    if r["id"] in seen:
                        continue
                    seen.add(r["id"])
                    try:
                        out.append((_post_from_row(r), _analysis_from_row(r), bool(r["grouped"])))
                    except (ValueError, OverflowError, OSError):
                        continue
        return sorted(out, key=lambda pa: (pa[0].published_at, pa[0].id))

    def mark_ungrouped(self, since: datetime) -> int:
        """Forget every event of the horizon: its relevant posts are grouped again from scratch
        (`onrustradar reprocess`)."""
        with self._lock, self._db:
            self._db.execute("DELETE FROM group_keys")
            self._db.execute("DELETE FROM groups")
            return self._db.execute(
                "UPDATE analyses SET grouped = 0 WHERE published_ts >= ? AND grouped = 1", (_ts(since),)
            ).rowcount

    def stale_analyses(self, since: datetime, model: str, limit: int) -> list[Post]:
        """Posts of the horizon analysed by another model or keyword version, oldest first
        (never an eigen melding: what a person gave is not redone by a model)."""
        cols = ", ".join("p." + c.strip() for c in _POST_COLUMNS.split(","))
        with self._lock:
            rows = self._db.execute(
                f"SELECT {cols} FROM analyses a JOIN posts p ON p.id = a.post_id "
                "WHERE a.published_ts >= ? AND a.model != ? AND a.model != ? ORDER BY a.published_ts, "
                "a.post_id LIMIT ?",
                (_ts(since), model, OWN_MODEL, limit),
            ).fetchall()
        return _posts_from_rows(rows)

    def count_stale_analyses(self, since: datetime, model: str) -> int:
        with self._lock:
            return self._db.execute(
                "SELECT count(*) FROM analyses WHERE published_ts >= ? AND model != ? AND model != ?",
                (_ts(since), model, OWN_MODEL),
            ).fetchone()[0]

    def signals_seen_between(self, since: datetime | None, until: datetime) -> list[Signal]:
        """Signals whose last post lies in [since, until) (retention: forget their post ids)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM signals WHERE last_seen_ts >= ? AND last_seen_ts < ?",
                (_ts(since) if since else float("-inf"), _ts(until)),
            ).fetchall()
        return [_signal_from_row(r) for r in rows]

    def get_meta(self, key: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT value FROM engine_meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self._lock, self._db:
            self._db.execute("INSERT OR REPLACE INTO engine_meta (key, value) VALUES (?, ?)", (key, value))
