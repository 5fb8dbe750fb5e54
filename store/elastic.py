"""The same store on Elasticsearch 8.x, for a region or a network of gemeenten.

Indices (all under `index_prefix`): posts in monthly indices `{p}-posts-YYYY.MM` (so
retention drops whole months; the post's analysis lives in the post's document, which keeps
per-gemeente filtering and full-text search in one query), and `{p}-signals`, `{p}-meta`
(cursors, source health), `{p}-feedback`, `{p}-statuslog`, `{p}-outbox`. Document ids are
(source name, source_id) for posts, so a bulk re-ingest never duplicates and one source never
overwrites another's post (older clusters are migrated once, see _migrate_ids).

Only core Elasticsearch features are used (no scripts, no update/delete-by-query), so the
minimal integration-test distribution runs it as well as a production cluster.
"""

from __future__ import annotations

import base64
import os
import re
from collections.abc import Collection, Iterable, Iterator
from datetime import UTC, datetime, timedelta, timezone

from elasticsearch import ConflictError, Elasticsearch, NotFoundError, helpers

from onrustradar.core.copykeys import copy_keys
from onrustradar.core.gazetteer import fold
from onrustradar.core.models import OWN_MODEL, Analysis, Post, Signal, post_id, utcnow
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

USER_ENV, PASSWORD_ENV, API_KEY_ENV = "ONRUSTRADAR_ES_USERNAME", "ONRUSTRADAR_ES_PASSWORD", "ONRUSTRADAR_ES_API_KEY"
PAGE = 5000
ANALYSIS_FIELDS = (
    "analysed",
    "relevant",
    "categories",
    "scores",
    "gemeente_code",
    "gemeente",
    "place",
    "announced",
    "event_start",
    "event_start_tz",
    "time_known",
    "keywords",
    "model",
    "grouped",
)


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat() if moment else None


def _at(value: str, offset: int | None = None) -> datetime:
    """The moment of a date field every document of its index has."""
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(timezone(timedelta(seconds=offset))) if offset is not None else moment


def _dt(value: str | None, offset: int | None = None) -> datetime | None:
    return None if value is None else _at(value, offset)


def _offset(moment: datetime | None) -> int | None:
    if not moment:
        return None
    offset = moment.utcoffset()
    if offset is None:  # a naive moment has no offset to keep; every stored moment is aware
        raise ValueError(f"naive datetime has no offset to store: {moment.isoformat()}")
    return int(offset.total_seconds())


def _scope(field: str, within: Collection[str] | None) -> list[dict]:
    """Filters restricting `field` to a gemeente scope: None = no restriction, empty = nothing."""
    if within is None:
        return []
    codes = sorted(within)
    return [{"terms": {field: codes}}] if codes else [{"bool": {"must_not": {"match_all": {}}}}]


def _post_doc(p: Post) -> dict:
    return {
        "pid": p.id,
        "source": p.source,
        "source_id": p.source_id,
        "source_name": p.source_name,
        "channel": p.channel,
        "url": p.url,
        "author": p.author,
        "published": _iso(p.published_at),
        "fetched": _iso(p.fetched_at),
        "text": p.text,
        "text_folded": fold(p.text),
        "views": p.views,
        "forwards": p.forwards,
        "replies": p.replies,
        "forwarded_from": p.forwarded_from,
        "analysed": False,
        "relevant": False,
        "copy_keys": copy_keys(p.text),
    }


def _post(d: dict) -> Post:
    return Post(
        source=d["source"],
        source_id=d["source_id"],
        channel=d["channel"],
        published_at=_at(d["published"]),
        text=d["text"],
        url=d.get("url"),
        author=d.get("author"),
        fetched_at=_at(d["fetched"]),
        source_name=d.get("source_name"),
        views=d.get("views"),
        forwards=d.get("forwards"),
        replies=d.get("replies"),
        forwarded_from=d.get("forwarded_from"),
    )


def _posts(hits: Iterable[dict], bad: list | None = None) -> list[Post]:
    """Posts of hits; a document that no longer makes a valid Post (stored before intake
    checks existed) is left out, and noted in `bad` with its reason."""
    out = []
    for hit in hits:
        try:
            out.append(_post(hit["_source"]))
        except (ValueError, OverflowError, OSError, KeyError) as exc:
            if bad is not None:
                bad.append((hit["_id"], f"ongeldig bericht: {exc}"))
    return out


def _analysis(d: dict) -> Analysis:
    return Analysis(
        post_id=d["pid"],
        categories=d.get("categories") or [],
        scores=d.get("scores") or {},
        gemeente_code=d.get("gemeente_code"),
        gemeente=d.get("gemeente"),
        place=d.get("place"),
        announced=bool(d.get("announced")),
        event_start=_dt(d.get("event_start"), d.get("event_start_tz")),
        time_known=bool(d.get("time_known")),
        keywords=d.get("keywords") or [],
        model=d.get("model") or "",
    )


def _pairs(hits) -> list[tuple[Post, Analysis]]:
    """(post, analysis) of post documents; an invalid stored post is left out (it is
    quarantined by unanalysed_posts)."""
    out = []
    for h in hits:
        try:
            out.append((_post(h["_source"]), _analysis(h["_source"])))
        except (ValueError, OverflowError, OSError, KeyError):
            continue
    return out


def _signal_doc(s: Signal) -> dict:
    return {
        "signal_id": s.signal_id,
        "categories": s.categories,
        "gemeente_code": s.gemeente_code,
        "gemeente": s.gemeente,
        "place": s.place,
        "event_start": _iso(s.event_start),
        "event_start_tz": _offset(s.event_start),
        "time_known": s.time_known,
        "announced": s.announced,
        "first_seen": _iso(s.first_seen),
        "last_seen": _iso(s.last_seen),
        "post_ids": s.post_ids,
        "independent_sources": s.independent_sources,
        "official_sources": s.official_sources,
        "score": s.score,
        "reliability": s.reliability,
        "burst_factor": s.burst_factor,
        "explanation": s.explanation,
        "status": s.status,
        "status_by": s.status_by,
        "status_at": _iso(s.status_at),
        "status_note": s.status_note,
        # post_ids is stored only; post_ref indexes the same ids (which signal holds a post)
        "post_ref": s.post_ids,
        "created": _iso(s.created_at),
        "changed": _iso(s.changed_at),
        "reach": s.reach,
    }


# What a person sees of a signal: when one of these changes, the signal is marked as changed.
_VISIBLE = ("post_ids", "reliability", "categories", "event_start", "status")


def _signal(d: dict) -> Signal:
    return Signal(
        signal_id=d["signal_id"],
        categories=d["categories"],
        gemeente_code=d.get("gemeente_code"),
        gemeente=d.get("gemeente"),
        place=d.get("place"),
        event_start=_dt(d.get("event_start"), d.get("event_start_tz")),
        time_known=d["time_known"],
        announced=d["announced"],
        first_seen=_at(d["first_seen"]),
        last_seen=_at(d["last_seen"]),
        post_ids=d["post_ids"],
        independent_sources=d["independent_sources"],
        official_sources=d["official_sources"],
        score=d["score"],
        reliability=d["reliability"],
        burst_factor=d["burst_factor"],
        explanation=d["explanation"],
        status=d["status"],
        status_by=d.get("status_by"),
        status_at=_dt(d.get("status_at")),
        status_note=d.get("status_note"),
        reach=d.get("reach") or 0,
        created_at=_dt(d.get("created")),
        changed_at=_dt(d.get("changed")),
    )


KW = {"type": "keyword"}
DATE = {"type": "date"}
INT = {"type": "integer"}
BOOL = {"type": "boolean"}
STORED = {"type": "keyword", "index": False, "doc_values": False}
ENGINE_VERSION = 4  # the mapping version: store/sqlite.py SCHEMA_VERSION
SIGNAL_FIELDS_3 = {"post_ref": KW, "created": DATE, "changed": DATE, "reach": {"type": "long"}}


class ElasticStore:
    """The Store in Elasticsearch indices named `<prefix>-*` (posts in monthly indices); the
    indices and mappings are created or extended on opening."""

    def __init__(
        self,
        client: Elasticsearch,
        prefix: str = "onrustradar",
        analyzer: str = "dutch",
        shards: int = 1,
        replicas: int = 0,
    ):
        self.es, self.p, self.analyzer = client, prefix, analyzer
        self.settings = {"number_of_shards": shards, "number_of_replicas": replicas}
        self._ensure()

    @classmethod
    def from_config(cls, cfg) -> ElasticStore:
        """The store of the `store` section of the config; credentials come from the environment
        (an API key before a user name and password), never from the config file."""
        api_key = os.environ.get(API_KEY_ENV) or None
        user = os.environ.get(USER_ENV)
        basic_auth = (user, os.environ.get(PASSWORD_ENV, "")) if user and api_key is None else None
        client = Elasticsearch(
            cfg.hosts,
            verify_certs=cfg.verify_certs,
            ca_certs=cfg.ca_certs,
            request_timeout=30,
            retry_on_timeout=True,
            max_retries=3,
            api_key=api_key,  # None (the client's default) when unset, as is basic_auth
            basic_auth=basic_auth,
        )
        return cls(client, cfg.index_prefix, cfg.analyzer, cfg.shards, cfg.replicas)

    # -- setup ---------------------------------------------------------------------------

    def _ensure(self) -> None:
        posts = {
            "properties": {
                "pid": KW,
                "source": KW,
                "source_id": KW,
                "source_name": KW,
                "channel": KW,
                "url": STORED,
                "author": KW,
                "published": DATE,
                "fetched": DATE,
                "text": {"type": "text", "analyzer": self.analyzer},
                # A folded copy (lower case, no accents: folded in Python) so search behaves the same
                # with or without the analysis module: "cafe" finds "Café", words match as prefixes.
                "text_folded": {"type": "text", "analyzer": "standard"},
                "views": {"type": "long"},
                "forwards": {"type": "long"},
                "replies": {"type": "long"},
                "forwarded_from": KW,
                "analysed": BOOL,
                "relevant": BOOL,
                "categories": KW,
                "scores": {"type": "object", "enabled": False},
                "gemeente_code": KW,
                "gemeente": KW,
                "place": KW,
                "announced": BOOL,
                "event_start": DATE,
                "event_start_tz": INT,
                "time_known": BOOL,
                "keywords": KW,
                "model": KW,
                "quarantine": KW,
                "quarantined_at": DATE,
                "grouped": BOOL,
                "copy_keys": KW,
            }
        }
        self.es.indices.put_index_template(
            name=f"{self.p}-posts",
            index_patterns=[f"{self.p}-posts-*"],
            template={"settings": self.settings, "mappings": posts},
            priority=100,
        )
        simple: dict[str, dict] = {
            "signals": {
                "properties": {
                    "signal_id": KW,
                    "categories": KW,
                    "gemeente_code": KW,
                    "gemeente": KW,
                    "place": KW,
                    "event_start": DATE,
                    "event_start_tz": INT,
                    "time_known": BOOL,
                    "announced": BOOL,
                    "first_seen": DATE,
                    "last_seen": DATE,
                    "post_ids": STORED,
                    "independent_sources": INT,
                    "official_sources": INT,
                    "score": {"type": "double"},
                    "reliability": KW,
                    "burst_factor": {"type": "double"},
                    "explanation": {"type": "text", "index": False},
                    "status": KW,
                    "status_by": KW,
                    "status_at": DATE,
                    "status_note": {"type": "text", "index": False},
                    **SIGNAL_FIELDS_3,
                }
            },
            "meta": {"dynamic": True, "properties": {"kind": KW, "source_name": KW, "engine_value": STORED}},
            # events between ticks (detectors.incremental): indexed fields to find them by,
            # state and members as stored objects
            "groups": {
                "properties": {
                    "signal_id": KW,
                    "gemeente_code": KW,
                    "open_until": DATE,
                    "start": DATE,
                    "time_known": BOOL,
                    "last_seen": DATE,
                    "rank_ts": {"type": "double"},
                    "rank_id": KW,
                    "refresh_at": DATE,
                    "keys": KW,
                    "score_base": {"type": "double", "index": False},
                    "state": {"type": "object", "enabled": False},
                    "members": {"type": "object", "enabled": False},
                }
            },
            "feedback": {
                "properties": {
                    "target_type": KW,
                    "target_id": KW,
                    "verdict": KW,
                    "category": KW,
                    "keywords": KW,
                    "actor": KW,
                    "ts": DATE,
                }
            },
            "statuslog": {"properties": {"signal_id": KW, "status": KW, "actor": KW, "note": STORED, "ts": DATE}},
            "notes": {
                "properties": {
                    "signal_id": KW,
                    "kind": KW,
                    "actor": KW,
                    "text": STORED,
                    "assignee": KW,
                    "ts": DATE,
                    "seq": {"type": "long"},
                }
            },
            "assignments": {"properties": {"signal_id": KW, "assignee": KW, "actor": KW, "ts": DATE}},
            "decisions": {
                "properties": {
                    "kind": KW,
                    "signal_id": KW,
                    "other_id": KW,
                    "post_ids": STORED,
                    "keep_post_ids": STORED,
                    "gemeente_code": KW,
                    "actor": KW,
                    "ts": DATE,
                    "seq": {"type": "long"},
                }
            },
            "visits": {"properties": {"user_id": KW, "ts": DATE, "since": DATE}},
            "outbox": {
                "properties": {
                    "key": KW,
                    "kind": KW,
                    "gemeente": KW,
                    "recipients": KW,
                    "message_id": KW,
                    "message": {"type": "binary"},
                    "snapshot": {"type": "object", "enabled": False},
                    "status": KW,
                    "attempts": INT,
                    "error": STORED,
                    "created": DATE,
                    "sent": DATE,
                }
            },
        }
        for name, mapping in simple.items():
            index = f"{self.p}-{name}"
            if not self.es.indices.exists(index=index):
                try:
                    self.es.indices.create(index=index, settings=self.settings, mappings=mapping)
                except Exception as exc:  # created concurrently by another process
                    if "resource_already_exists" not in str(exc):
                        raise
        # Fields added later (schema 3): new fields can be added to an existing mapping.
        self.es.indices.put_mapping(index=f"{self.p}-signals", properties=SIGNAL_FIELDS_3)

        # Older clusters learn the fields incremental processing keeps (never guessed as dates).
        self.es.indices.put_mapping(index=f"{self.p}-meta", properties={"engine_value": STORED})
        # Older post indices learn the flag incremental processing finds its work by.
        if self.es.indices.get(index=f"{self.p}-posts-*", allow_no_indices=True, ignore_unavailable=True):
            self.es.indices.put_mapping(
                index=f"{self.p}-posts-*",
                properties={"grouped": BOOL, "copy_keys": KW},
                allow_no_indices=True,
                ignore_unavailable=True,
            )
        self._migrate_ids()
        self._migrate_engine()

    def _migrate_engine(self) -> None:
        """Mapping version 4 (as SQLite's schema 4): triage fields (above) and incremental
        processing together. A cluster from before (version 2, main's triage 3, or the
        branch that used 3 for incremental processing alone, whose events are stored in an
        older form) gets its events dropped and every post marked not yet grouped: the
        first tick rebuilds the events once. Runs once per cluster, recorded in meta."""
        marker = self._meta("schema", "engine")
        if marker and marker.get("version", 0) >= ENGINE_VERSION:
            return
        self.mark_ungrouped(datetime(1970, 1, 1, tzinfo=UTC))
        # the text keys of the posts stored so far (onrustradar.core.copykeys)
        hits = self._scan(self._posts, {"bool": {"must_not": [{"exists": {"field": "copy_keys"}}]}}, [{"pid": "asc"}])
        helpers.bulk(
            self.es,
            (
                {
                    "_op_type": "update",
                    "_index": h["_index"],
                    "_id": h["_id"],
                    "doc": {"copy_keys": copy_keys(h["_source"].get("text") or "")},
                }
                for h in hits
            ),
            refresh=False,
        )
        self._refresh("posts-*")
        self.es.index(
            index=f"{self.p}-meta",
            id="schema:engine",
            refresh="wait_for",
            document={"kind": "schema", "source_name": "engine", "version": ENGINE_VERSION},
        )

    def _migrate_ids(self) -> None:
        """Ids before schema 2 were (platform, source_id); now (source name, source_id), so one
        source can never overwrite another's post. Runs once per cluster, recorded in meta."""
        marker = self._meta("schema", "ids")
        if marker and marker.get("version", 0) >= 2:
            return
        moves: list[tuple[str, str, str]] = []  # (index, old id, new id)
        query = {"exists": {"field": "source_name"}}
        for hit in self._scan(self._posts, query, [{"pid": "asc"}], source=["source_name", "source_id"]):
            new = post_id(hit["_source"]["source_name"], hit["_source"]["source_id"])
            if hit["_id"] != new:
                moves.append((hit["_index"], hit["_id"], new))
        mapping = {old: new for _, old, new in moves}
        for i in range(0, len(moves), PAGE):
            chunk = moves[i : i + PAGE]
            by_index: dict[str, list[tuple[str, str]]] = {}
            for index, old, new in chunk:
                by_index.setdefault(index, []).append((old, new))
            actions = []
            for index, pairs in by_index.items():
                docs = self.es.mget(index=index, ids=[old for old, _ in pairs])["docs"]
                for (old, new), doc in zip(pairs, docs):
                    if doc.get("found"):
                        actions.append(
                            {
                                "_op_type": "index",
                                "_index": index,
                                "_id": new,
                                "_source": {**doc["_source"], "pid": new},
                            }
                        )
                        actions.append({"_op_type": "delete", "_index": index, "_id": old})
            helpers.bulk(self.es, actions, refresh=False)
        if mapping:
            signals = [h["_source"] for h in self._scan(f"{self.p}-signals", {"match_all": {}}, [{"signal_id": "asc"}])]
            actions = [
                {
                    "_op_type": "index",
                    "_index": f"{self.p}-signals",
                    "_id": d["signal_id"],
                    "_source": {**d, "post_ids": [mapping.get(i, i) for i in d["post_ids"]]},
                }
                for d in signals
                if any(i in mapping for i in d["post_ids"])
            ]
            feedback = list(self._scan(f"{self.p}-feedback", {"term": {"target_type": "post"}}, [{"ts": "asc"}]))
            for h in feedback:
                d = h["_source"]
                if d["target_id"] in mapping:
                    d = {**d, "target_id": mapping[d["target_id"]]}
                    actions.append(
                        {
                            "_op_type": "index",
                            "_index": f"{self.p}-feedback",
                            "_id": f"post:{d['target_id']}:{d['actor']}",
                            "_source": d,
                        }
                    )
                    actions.append({"_op_type": "delete", "_index": f"{self.p}-feedback", "_id": h["_id"]})
            helpers.bulk(self.es, actions, refresh=False)
        self._refresh("posts-*", "signals", "feedback")
        self.es.index(
            index=f"{self.p}-meta",
            id="schema:ids",
            refresh="wait_for",
            document={"kind": "schema", "source_name": "ids", "version": 2},
        )

    def close(self) -> None:
        self.es.close()

    def drop(self) -> None:
        """Delete every index of this prefix (tests and migrations only)."""
        names = list(self.es.indices.get(index=f"{self.p}-*", allow_no_indices=True, ignore_unavailable=True))
        for name in names:  # one by one: clusters refuse wildcard deletes
            self.es.indices.delete(index=name)
        try:
            self.es.indices.delete_index_template(name=f"{self.p}-posts")
        except NotFoundError:
            pass

    def _refresh(self, *names: str) -> None:
        self.es.indices.refresh(
            index=",".join(f"{self.p}-{n}" for n in names), allow_no_indices=True, ignore_unavailable=True
        )

    def _posts_index(self, published: datetime) -> str:
        return f"{self.p}-posts-{published.astimezone(UTC):%Y.%m}"

    @property
    def _posts(self) -> str:
        return f"{self.p}-posts-*"

    def _scan(self, index: str, query: dict, sort: list, size: int | None = None, source=True) -> Iterator[dict]:
        """All hits in sort order, paged with search_after (no result-window limit)."""
        after, seen = None, 0
        while size is None or seen < size:
            page = PAGE if size is None else min(PAGE, size - seen)
            body = {"query": query, "sort": sort, "size": page, "_source": source}
            if after is not None:
                body["search_after"] = after
            hits = self.es.search(index=index, ignore_unavailable=True, allow_no_indices=True, **body)["hits"]["hits"]
            yield from hits
            seen += len(hits)
            if len(hits) < page:
                return
            after = hits[-1]["sort"]

    # -- posts ---------------------------------------------------------------------------

    def _existing(self, posts: list[Post]) -> dict[str, dict]:
        found = {}
        by_index: dict[str, list[str]] = {}
        for p in posts:
            by_index.setdefault(self._posts_index(p.published_at), []).append(p.id)
        for index, ids in by_index.items():
            if not self.es.indices.exists(index=index):
                continue
            for doc in self.es.mget(index=index, ids=ids)["docs"]:
                if doc.get("found"):
                    found[doc["_id"]] = doc["_source"]
        return found

    def upsert_posts(self, posts: Iterable[Post]) -> UpsertResult:
        result = UpsertResult()
        batch = list({p.id: p for p in posts}.values())
        for i in range(0, len(batch), PAGE):
            chunk = batch[i : i + PAGE]
            existing = self._existing(chunk)
            actions = []
            for p in chunk:
                doc = _post_doc(p)
                old = existing.get(p.id)
                if old is None:
                    result.new += 1
                    result.new_ids.append(p.id)
                else:
                    result.updated += 1
                    for key in ("views", "forwards", "replies", "url"):
                        if doc[key] is None:
                            doc[key] = old.get(key)
                    if old.get("text") == p.text:  # unchanged text keeps its analysis
                        doc.update({k: old[k] for k in ANALYSIS_FIELDS if k in old})
                actions.append(
                    {"_op_type": "index", "_index": self._posts_index(p.published_at), "_id": p.id, "_source": doc}
                )
            helpers.bulk(self.es, actions, refresh=False)
        self._refresh("posts-*")
        return result

    def get_posts(self, ids: Iterable[str], within: Collection[str] | None = None) -> list[Post]:
        ids = list(ids)
        found = {}
        for i in range(0, len(ids), PAGE):
            chunk = ids[i : i + PAGE]
            query = {"bool": {"filter": [{"terms": {"pid": chunk}}, *_scope("gemeente_code", within)]}}
            for hit in self._scan(self._posts, query, [{"pid": "asc"}]):
                for post in _posts([hit]):
                    found[hit["_id"]] = post
        return [found[i] for i in ids if i in found]

    def iter_posts(self, since: datetime | None = None) -> Iterator[Post]:
        query = {"range": {"published": {"gte": _iso(since)}}} if since else {"match_all": {}}
        for hit in self._scan(self._posts, query, [{"published": "asc"}, {"pid": "asc"}]):
            yield from _posts([hit])

    def count_posts(self) -> int:
        return self.es.count(index=self._posts, ignore_unavailable=True, allow_no_indices=True)["count"]

    def stored_source_ids(self, source: str, source_ids: Iterable[str]) -> set[str]:
        """Which of these ids of a platform are stored already, whichever source fetched them."""
        ids = list(source_ids)
        found: set[str] = set()
        for i in range(0, len(ids), PAGE):
            query = {"bool": {"filter": [{"term": {"source": source}}, {"terms": {"source_id": ids[i : i + PAGE]}}]}}
            found.update(
                h["_source"]["source_id"]
                for h in self._scan(self._posts, query, [{"pid": "asc"}], source=["source_id"])
            )
        return found

    def search_posts(
        self, query: str, gemeente_codes: Iterable[str] = (), limit: int = 50, within: Collection[str] | None = None
    ) -> list[Post]:
        words = re.findall(r"\w+", fold(query))
        if not words:
            return []
        must = [{"prefix": {"text_folded": w}} for w in words]
        codes = list(gemeente_codes)
        filters = [{"terms": {"gemeente_code": codes}}] if codes else []
        filters += _scope("gemeente_code", within)
        hits = self.es.search(
            index=self._posts,
            query={"bool": {"must": must, "filter": filters}},
            sort=[{"published": "desc"}],
            size=limit,
            ignore_unavailable=True,
            allow_no_indices=True,
        )["hits"]["hits"]
        return _posts(hits)

    def _delete_hits(self, hits: Iterable[dict]) -> int:
        actions = ({"_op_type": "delete", "_index": h["_index"], "_id": h["_id"]} for h in hits)
        deleted, _ = helpers.bulk(self.es, actions, refresh=False, raise_on_error=False)
        return deleted

    def posts_by_author(self, author: str) -> list[Post]:
        # The author's own posts, and others' boosts and forwards of them.
        query = {
            "bool": {
                "should": [{"term": {"author": author}}, {"term": {"forwarded_from": author}}],
                "minimum_should_match": 1,
            }
        }
        hits = self._scan(self._posts, query, [{"published": "asc"}, {"pid": "asc"}])
        return _posts(hits)

    def delete_posts(self, ids: Iterable[str]) -> int:
        ids, deleted = list(ids), 0
        touched: set[str] = set()
        for i in range(0, len(ids), PAGE):
            hits = list(self._scan(self._posts, {"terms": {"pid": ids[i : i + PAGE]}}, [{"pid": "asc"}], source=False))
            deleted += self._delete_hits(hits)
            touched.update(h["_index"] for h in hits)
        self._refresh("posts-*")
        self._expunge(touched)
        return deleted

    def purge_posts(self, older_than: datetime) -> int:
        """Retention: whole months are dropped, the boundary month is cleared document by
        document."""
        month = self._posts_index(older_than)
        removed = 0
        for index in sorted(self.es.indices.get(index=self._posts, allow_no_indices=True, ignore_unavailable=True)):
            if index < month:
                removed += self.es.count(index=index)["count"]
                self.es.indices.delete(index=index)
        hits = list(
            self._scan(self._posts, {"range": {"published": {"lt": _iso(older_than)}}}, [{"pid": "asc"}], source=False)
        )
        removed += self._delete_hits(hits)
        self._refresh("posts-*")
        self._expunge({h["_index"] for h in hits})
        return removed

    def _expunge(self, indices: set[str]) -> None:
        """Deleted documents stay in their Lucene segments until merged away: merge the
        indices that lost documents, so purged text is not recoverable from disk."""
        for index in sorted(indices):
            self.es.indices.forcemerge(index=index, only_expunge_deletes=True)

    # -- analyses ------------------------------------------------------------------------

    def unanalysed_posts(self, limit: int = 5000) -> list[Post]:
        query = {"bool": {"filter": [{"term": {"analysed": False}}], "must_not": [{"exists": {"field": "quarantine"}}]}}
        while True:
            hits = list(self._scan(self._posts, query, [{"published": "asc"}, {"pid": "asc"}], size=limit))
            bad: list = []
            posts = _posts(hits, bad)
            for bad_id, reason in bad:
                self.quarantine_post(bad_id, reason)
            if posts or not bad:
                return posts

    def quarantine_post(self, post_id: str, reason: str) -> None:
        hits = list(self._scan(self._posts, {"term": {"pid": post_id}}, [{"pid": "asc"}], source=False))
        for hit in hits:
            self.es.update(
                index=hit["_index"], id=hit["_id"], doc={"quarantine": reason[:300], "quarantined_at": _iso(utcnow())}
            )
        self._refresh("posts-*")

    def quarantined(self, limit: int = 100) -> list[Quarantined]:
        hits = self._scan(
            self._posts,
            {"exists": {"field": "quarantine"}},
            [{"quarantined_at": {"order": "desc", "unmapped_type": "date"}}, {"pid": "asc"}],
            size=limit,
            source=["pid", "source_name", "quarantine", "quarantined_at"],
        )
        return [
            Quarantined(
                h["_source"]["pid"],
                h["_source"].get("source_name"),
                h["_source"]["quarantine"],
                _at(h["_source"]["quarantined_at"]),
            )
            for h in hits
        ]

    def save_analyses(self, analyses: Iterable[Analysis]) -> None:
        analyses = list(analyses)
        where: dict[str, str] = {}
        ids = [a.post_id for a in analyses]
        for i in range(0, len(ids), PAGE):
            for hit in self._scan(self._posts, {"terms": {"pid": ids[i : i + PAGE]}}, [{"pid": "asc"}], source=False):
                where[hit["_id"]] = hit["_index"]
        actions = [
            {
                "_op_type": "update",
                "_index": where[a.post_id],
                "_id": a.post_id,
                "doc": {
                    "analysed": True,
                    "relevant": bool(a.categories),
                    "categories": a.categories,
                    "scores": a.scores,
                    "gemeente_code": a.gemeente_code,
                    "gemeente": a.gemeente,
                    "place": a.place,
                    "announced": a.announced,
                    "event_start": _iso(a.event_start),
                    "event_start_tz": _offset(a.event_start),
                    "time_known": a.time_known,
                    "keywords": a.keywords,
                    "model": a.model,
                    "grouped": False,
                },
            }
            for a in analyses
            if a.post_id in where
        ]
        helpers.bulk(self.es, actions, refresh=False)
        self._refresh("posts-*")

    def analysed_posts(self, since: datetime, relevant_only: bool = True) -> list[tuple[Post, Analysis]]:
        filters = [{"term": {"analysed": True}}, {"range": {"published": {"gte": _iso(since)}}}]
        if relevant_only:
            filters.append({"term": {"relevant": True}})
        hits = self._scan(self._posts, {"bool": {"filter": filters}}, [{"published": "asc"}, {"pid": "asc"}])
        return _pairs(hits)

    def get_analyses(self, post_ids: Iterable[str], within: Collection[str] | None = None) -> dict[str, Analysis]:
        ids = list(post_ids)
        out = {}
        for i in range(0, len(ids), PAGE):
            query = {
                "bool": {
                    "filter": [
                        {"terms": {"pid": ids[i : i + PAGE]}},
                        {"term": {"analysed": True}},
                        *_scope("gemeente_code", within),
                    ]
                }
            }
            for hit in self._scan(self._posts, query, [{"pid": "asc"}]):
                out[hit["_id"]] = _analysis(hit["_source"])
        return out

    def reset_analyses(self, since: datetime, unless_model: str | None = None) -> int:
        filters = [{"term": {"analysed": True}}, {"range": {"published": {"gte": _iso(since)}}}]
        # What a person gave (an eigen melding, OWN_MODEL) is never redone by a model.
        must_not = [{"terms": {"model": [m for m in (unless_model, OWN_MODEL) if m]}}]
        hits = list(
            self._scan(self._posts, {"bool": {"filter": filters, "must_not": must_not}}, [{"pid": "asc"}], source=False)
        )
        actions = [
            {
                "_op_type": "update",
                "_index": h["_index"],
                "_id": h["_id"],
                "doc": {"analysed": False, "relevant": False},
            }
            for h in hits
        ]
        helpers.bulk(self.es, actions, refresh=False)
        self._refresh("posts-*")
        return len(actions)

    # -- signals -------------------------------------------------------------------------

    def upsert_signals(self, signals: Iterable[Signal]) -> None:
        """Store detector output, noting when a signal first came and when what a person
        sees of it changed (the board's markers)."""
        helpers.bulk(self.es, self._signal_actions(list(signals)), refresh=False)
        self._refresh("signals")

    def _signal_actions(self, signals: list[Signal]) -> list[dict]:
        """Bulk actions that store `signals` with their created/changed moments."""
        now = _iso(utcnow())
        before: dict[str, dict] = {}
        ids = [s.signal_id for s in signals]
        for i in range(0, len(ids), PAGE):
            for doc in self.es.mget(
                index=f"{self.p}-signals", ids=ids[i : i + PAGE], source=["created", "changed", *_VISIBLE]
            )["docs"]:
                if doc.get("found"):
                    before[doc["_id"]] = doc["_source"]
        actions = []
        for s in signals:
            doc = _signal_doc(s)
            old = before.get(s.signal_id)
            if old is None:
                doc["created"] = doc["changed"] = _iso(s.created_at) or now
            else:
                same = all(old.get(k) == doc[k] for k in _VISIBLE)
                doc["created"] = old.get("created") or now
                doc["changed"] = old.get("changed") if same and old.get("changed") else now
            actions.append({"_op_type": "index", "_index": f"{self.p}-signals", "_id": s.signal_id, "_source": doc})
        return actions

    def delete_signal(self, signal_id: str, within: Collection[str] | None = None) -> bool:
        """Remove a signal (one merged into another); its thread and history stay."""
        if self.get_signal(signal_id, within=within) is None:
            return False
        self.es.delete(index=f"{self.p}-signals", id=signal_id, refresh="wait_for")
        try:
            self.es.delete(index=f"{self.p}-assignments", id=signal_id, refresh="wait_for")
        except NotFoundError:
            pass
        return True

    def signals_of_posts(self, post_ids: Iterable[str], within: Collection[str] | None = None) -> dict[str, str]:
        ids, out = list(post_ids), {}
        for i in range(0, len(ids), PAGE):
            chunk = set(ids[i : i + PAGE])
            query = {"bool": {"filter": [{"terms": {"post_ref": sorted(chunk)}}, *_scope("gemeente_code", within)]}}
            for hit in self._scan(
                f"{self.p}-signals",
                query,
                [{"last_seen": "asc"}, {"signal_id": "asc"}],
                source=["signal_id", "post_ids"],
            ):
                for post in chunk.intersection(hit["_source"]["post_ids"]):
                    out[post] = hit["_source"]["signal_id"]
        return out

    def get_signal(self, signal_id: str, within: Collection[str] | None = None) -> Signal | None:
        if within is not None:
            query = {"bool": {"filter": [{"term": {"signal_id": signal_id}}, *_scope("gemeente_code", within)]}}
            hits = list(self._scan(f"{self.p}-signals", query, [{"signal_id": "asc"}], size=1))
            return _signal(hits[0]["_source"]) if hits else None
        try:
            return _signal(self.es.get(index=f"{self.p}-signals", id=signal_id)["_source"])
        except NotFoundError:
            return None

    def query_signals(self, query: SignalQuery) -> list[Signal]:
        filters: list[dict] = []
        for field, values in (
            ("gemeente_code", query.gemeente_codes),
            ("reliability", query.reliability),
            ("status", query.statuses),
            ("categories", query.categories),
        ):
            if values:
                filters.append({"terms": {field: sorted(values)}})
        filters += _scope("gemeente_code", query.within)
        if query.since:
            filters.append({"range": {"last_seen": {"gte": _iso(query.since)}}})
        must_not: list[dict] = []
        if query.assignee is not None:
            held = [
                h["_id"]
                for h in self._scan(
                    f"{self.p}-assignments",
                    {"term": {"assignee": query.assignee}} if query.assignee else {"match_all": {}},
                    [{"signal_id": "asc"}],
                    source=False,
                )
            ]
            if query.assignee:
                filters.append({"ids": {"values": held}})
            elif held:
                must_not.append({"ids": {"values": held}})
        hits = self._scan(
            f"{self.p}-signals",
            {"bool": {"filter": filters, "must_not": must_not}},
            [{"score": "desc"}, {"signal_id": "asc"}],
            size=query.limit,
        )
        return [_signal(h["_source"]) for h in hits]

    def set_signal_status(
        self, signal_id: str, status: str, by: str, note: str | None = None, within: Collection[str] | None = None
    ) -> None:
        if within is not None and self.get_signal(signal_id, within=within) is None:
            raise KeyError(signal_id)
        now = _iso(utcnow())
        try:
            self.es.update(
                index=f"{self.p}-signals",
                id=signal_id,
                doc={"status": status, "status_by": by, "status_at": now, "status_note": note},
            )
        except NotFoundError:
            raise KeyError(signal_id) from None
        self.es.index(
            index=f"{self.p}-statuslog",
            document={"signal_id": signal_id, "status": status, "actor": by, "note": note, "ts": now},
        )
        self._refresh("signals", "statuslog")

    def status_history(
        self, signal_id: str, within: Collection[str] | None = None
    ) -> list[tuple[datetime, str, str, str | None]]:
        if within is not None and self.get_signal(signal_id, within=within) is None:
            return []
        hits = self._scan(f"{self.p}-statuslog", {"term": {"signal_id": signal_id}}, [{"ts": "asc"}])
        return [
            (_at(h["_source"]["ts"]), h["_source"]["status"], h["_source"]["actor"], h["_source"].get("note"))
            for h in hits
        ]

    # -- triage: notes, assignments, grouping decisions, visits ------------------------------

    def _in_scope(self, signal_id: str, within: Collection[str] | None) -> bool:
        return within is None or self.get_signal(signal_id, within=within) is not None

    def _next_seq(self, index: str) -> int:
        result = self.es.search(
            index=f"{self.p}-{index}",
            size=0,
            aggs={"m": {"max": {"field": "seq"}}},
            ignore_unavailable=True,
            allow_no_indices=True,
        )
        return int(result["aggregations"]["m"]["value"] or 0) + 1

    def add_note(self, note: Note, within: Collection[str] | None = None) -> None:
        if not self._in_scope(note.signal_id, within):
            raise KeyError(note.signal_id)
        self.es.index(
            index=f"{self.p}-notes",
            refresh="wait_for",
            document={
                "signal_id": note.signal_id,
                "kind": note.kind,
                "actor": note.actor,
                "text": note.text,
                "assignee": note.assignee,
                "ts": _iso(note.at or utcnow()),
                "seq": self._next_seq("notes"),
            },
        )

    def notes(self, signal_id: str, within: Collection[str] | None = None) -> list[Note]:
        if not self._in_scope(signal_id, within):
            return []
        hits = self._scan(f"{self.p}-notes", {"term": {"signal_id": signal_id}}, [{"ts": "asc"}, {"seq": "asc"}])
        return [
            Note(d["signal_id"], d["kind"], d["actor"], d["text"], d.get("assignee"), _dt(d["ts"]))
            for d in (h["_source"] for h in hits)
        ]

    def assign(self, signal_id: str, assignee: str, by: str, within: Collection[str] | None = None) -> None:
        if self.get_signal(signal_id, within=within) is None:
            raise KeyError(signal_id)
        self.es.index(
            index=f"{self.p}-assignments",
            id=signal_id,
            refresh="wait_for",
            document={"signal_id": signal_id, "assignee": assignee, "actor": by, "ts": _iso(utcnow())},
        )

    def assignments(self, signal_ids: Iterable[str], within: Collection[str] | None = None) -> dict[str, Assignment]:
        ids, out = list(signal_ids), {}
        for i in range(0, len(ids), PAGE):
            docs = (
                self.es.mget(index=f"{self.p}-assignments", ids=ids[i : i + PAGE])["docs"] if ids[i : i + PAGE] else []
            )
            found = {d["_id"]: d["_source"] for d in docs if d.get("found")}
            if within is not None and found:
                query = {"bool": {"filter": [{"ids": {"values": list(found)}}, *_scope("gemeente_code", within)]}}
                allowed = {
                    h["_id"] for h in self._scan(f"{self.p}-signals", query, [{"signal_id": "asc"}], source=False)
                }
                found = {k: v for k, v in found.items() if k in allowed}
            for k, d in found.items():
                out[k] = Assignment(k, d["assignee"], d["actor"], _at(d["ts"]))
        return out

    def add_decision(self, decision: Decision) -> None:
        self.es.index(
            index=f"{self.p}-decisions",
            refresh="wait_for",
            document={
                "kind": decision.kind,
                "signal_id": decision.signal_id,
                "other_id": decision.other_id,
                "post_ids": decision.post_ids,
                "keep_post_ids": decision.keep_post_ids,
                "gemeente_code": decision.gemeente_code,
                "actor": decision.actor,
                "ts": _iso(decision.at or utcnow()),
                "seq": self._next_seq("decisions"),
            },
        )

    def decisions(self, within: Collection[str] | None = None) -> list[Decision]:
        query = {"bool": {"filter": _scope("gemeente_code", within)}}
        hits = self._scan(f"{self.p}-decisions", query, [{"seq": "asc"}])
        return [
            Decision(
                d["kind"],
                d["signal_id"],
                d["other_id"],
                d.get("post_ids") or [],
                d.get("keep_post_ids") or [],
                d.get("gemeente_code"),
                d["actor"],
                _dt(d["ts"]),
            )
            for d in (h["_source"] for h in hits)
        ]

    def last_visit(self, user_id: str) -> Visit | None:
        try:
            d = self.es.get(index=f"{self.p}-visits", id=user_id)["_source"]
        except NotFoundError:
            return None
        return Visit(user_id, _at(d["ts"]), _dt(d.get("since")))

    def set_visit(self, visit: Visit) -> None:
        self.es.index(
            index=f"{self.p}-visits",
            id=visit.user_id,
            document={"user_id": visit.user_id, "ts": _iso(visit.seen), "since": _iso(visit.since)},
        )

    # -- feedback and trends -------------------------------------------------------------

    def add_feedback(self, feedback: Feedback) -> None:
        self.es.index(
            index=f"{self.p}-feedback",
            id=f"{feedback.target_type}:{feedback.target_id}:{feedback.actor}",
            document={
                "target_type": feedback.target_type,
                "target_id": feedback.target_id,
                "verdict": feedback.verdict,
                "category": feedback.category,
                "keywords": feedback.keywords,
                "actor": feedback.actor,
                "ts": _iso(feedback.at or utcnow()),
            },
        )
        self._refresh("feedback")

    def feedback(self, within: Collection[str] | None = None) -> list[Feedback]:
        hits = self._scan(f"{self.p}-feedback", {"match_all": {}}, [{"ts": "asc"}])
        items = [
            Feedback(
                d["target_type"],
                d["target_id"],
                d["verdict"],
                d["actor"],
                d.get("category"),
                d.get("keywords") or [],
                _dt(d["ts"]),
            )
            for d in (h["_source"] for h in hits)
        ]
        if within is None:
            return items
        # Keep feedback whose signal or post lies in scope, decided by scoped queries.
        signals = {
            f.target_id
            for f in items
            if f.target_type == "signal" and self.get_signal(f.target_id, within=within) is not None
        }
        posts = set(self.get_analyses([f.target_id for f in items if f.target_type == "post"], within=within))
        return [f for f in items if f.target_id in (signals if f.target_type == "signal" else posts)]

    def daily_counts(
        self, since: datetime, gemeente_codes: Iterable[str] = (), within: Collection[str] | None = None
    ) -> list[DailyCount]:
        filters = [{"term": {"relevant": True}}, {"range": {"published": {"gte": _iso(since)}}}]
        codes = list(gemeente_codes)
        if codes:
            filters.append({"terms": {"gemeente_code": codes}})
        filters += _scope("gemeente_code", within)
        aggs = {
            "g": {
                "terms": {"field": "gemeente_code", "size": 1000, "missing": "-"},
                "aggs": {
                    "c": {
                        "terms": {"field": "categories", "size": 10},
                        "aggs": {
                            "d": {
                                "date_histogram": {
                                    "field": "published",
                                    "calendar_interval": "day",
                                    "time_zone": "Europe/Amsterdam",
                                    "min_doc_count": 1,
                                }
                            }
                        },
                    }
                },
            }
        }
        result = self.es.search(
            index=self._posts,
            query={"bool": {"filter": filters}},
            aggs=aggs,
            size=0,
            ignore_unavailable=True,
            allow_no_indices=True,
        )
        out = []
        for g in result.get("aggregations", {}).get("g", {}).get("buckets", []):
            for c in g["c"]["buckets"]:
                for d in c["d"]["buckets"]:
                    out.append(
                        DailyCount(
                            d["key_as_string"][:10], None if g["key"] == "-" else g["key"], c["key"], d["doc_count"]
                        )
                    )
        return sorted(out, key=lambda x: (x.day, x.gemeente_code or "", x.category))

    # -- outgoing e-mail -----------------------------------------------------------------

    def outbox_add(self, item: OutboxItem) -> bool:
        try:
            self.es.create(
                index=f"{self.p}-outbox",
                id=item.key,
                document={
                    "key": item.key,
                    "kind": item.kind,
                    "gemeente": item.gemeente,
                    "recipients": item.recipients,
                    "message_id": item.message_id,
                    "message": base64.b64encode(item.message).decode(),
                    "snapshot": item.snapshot,
                    "status": item.status,
                    "attempts": item.attempts,
                    "error": item.error,
                    "created": _iso(item.created_at or utcnow()),
                    "sent": None,
                },
                refresh="wait_for",
            )
            return True
        except ConflictError:
            return False

    def _outbox(self, d: dict) -> OutboxItem:
        return OutboxItem(
            d["key"],
            d["kind"],
            d.get("gemeente"),
            d["recipients"],
            d["message_id"],
            base64.b64decode(d["message"]),
            d["status"],
            d.get("snapshot"),
            d["attempts"],
            d.get("error"),
            _dt(d["created"]),
            _dt(d.get("sent")),
        )

    def outbox_get(self, key: str) -> OutboxItem | None:
        try:
            return self._outbox(self.es.get(index=f"{self.p}-outbox", id=key)["_source"])
        except NotFoundError:
            return None

    def outbox_update(self, key: str, status: str, attempts: int, error: str | None = None) -> None:
        self.es.update(
            index=f"{self.p}-outbox",
            id=key,
            refresh="wait_for",
            doc={
                "status": status,
                "attempts": attempts,
                "error": error,
                "sent": _iso(utcnow()) if status == "sent" else None,
            },
        )

    def outbox_list(
        self,
        kind: str | None = None,
        gemeente: str | None = None,
        limit: int = 100,
        within_names: Collection[str] | None = None,
    ) -> list[OutboxItem]:
        filters = [{"term": {"kind": kind}}] if kind else []
        filters += _scope("gemeente", within_names)
        if gemeente:
            filters.append({"term": {"gemeente": gemeente}})
        hits = self._scan(
            f"{self.p}-outbox", {"bool": {"filter": filters}}, [{"created": "desc"}, {"key": "asc"}], size=limit
        )
        return [self._outbox(h["_source"]) for h in hits]

    # -- audit anchor --------------------------------------------------------------------

    def audit_anchor(self) -> dict | None:
        doc = self._meta("audit", "anchor")
        return {k: doc[k] for k in ("rows", "head", "mac")} if doc else None

    def set_audit_anchor(self, anchor: dict) -> None:
        self.es.index(
            index=f"{self.p}-meta",
            id="audit:anchor",
            refresh="wait_for",
            document={"kind": "audit", "source_name": "anchor", **anchor, "updated": _iso(utcnow())},
        )

    # -- crawl bookkeeping ---------------------------------------------------------------

    def _meta(self, kind: str, name: str) -> dict | None:
        try:
            return self.es.get(index=f"{self.p}-meta", id=f"{kind}:{name}")["_source"]
        except NotFoundError:
            return None

    def get_cursor(self, source_name: str) -> str | None:
        doc = self._meta("cursor", source_name)
        return doc["value"] if doc else None

    def set_cursor(self, source_name: str, value: str) -> None:
        self.es.index(
            index=f"{self.p}-meta",
            id=f"cursor:{source_name}",
            refresh="wait_for",
            document={"kind": "cursor", "source_name": source_name, "value": value, "updated": _iso(utcnow())},
        )

    def record_crawl(self, source_name: str, new: int, error: str | None = None) -> None:
        doc = self._meta("health", source_name) or {
            "kind": "health",
            "source_name": source_name,
            "last_new": 0,
            "total_new": 0,
        }
        now = _iso(utcnow())
        doc["total_new"] = doc.get("total_new", 0) + new
        if error:
            doc["last_error"], doc["last_error_at"] = error[:500], now
        else:
            doc["last_success"], doc["last_new"] = now, new
        self.es.index(index=f"{self.p}-meta", id=f"health:{source_name}", document=doc, refresh="wait_for")

    def source_health(self) -> list[SourceHealth]:
        hits = list(self._scan(f"{self.p}-meta", {"term": {"kind": "health"}}, [{"source_name": "asc"}]))
        names = [h["_source"]["source_name"] for h in hits]
        counts = {}
        if names:
            week = {"range": {"published": {"gte": _iso(utcnow() - timedelta(days=7))}}}
            result = self.es.search(
                index=self._posts,
                query=week,
                size=0,
                ignore_unavailable=True,
                allow_no_indices=True,
                aggs={"s": {"terms": {"field": "source_name", "size": max(10, len(names))}}},
            )
            counts = {b["key"]: b["doc_count"] for b in result.get("aggregations", {}).get("s", {}).get("buckets", [])}
        out = []
        for h in hits:
            d = h["_source"]
            out.append(
                SourceHealth(
                    source_name=d["source_name"],
                    last_success=_dt(d.get("last_success")),
                    last_error=d.get("last_error"),
                    last_error_at=_dt(d.get("last_error_at")),
                    last_new=d.get("last_new", 0),
                    total_new=d.get("total_new", 0),
                    cursor=self.get_cursor(d["source_name"]),
                    posts_per_day=round(counts.get(d["source_name"], 0) / 7, 1),
                )
            )
        return out

    # -- the service itself ----------------------------------------------------------------

    def record_tick(
        self, started: datetime, seconds: float, ok: bool, error: str | None = None, name: str = "tick"
    ) -> None:
        old = self._meta("tick", name) or {"count": 0, "failed": 0, "longest": 0.0, "last_ok_at": None}
        end = started + timedelta(seconds=seconds)
        doc = {
            "kind": "tick",
            "source_name": name,
            "last_started": _iso(started),
            "last_seconds": seconds,
            "last_ok": ok,
            "last_error": None if ok else (error or "")[:500],
            "last_ok_at": _iso(end) if ok else old.get("last_ok_at"),
            "count": old["count"] + 1,
            "failed": old["failed"] + (0 if ok else 1),
            "longest": max(old["longest"], seconds),
        }
        self.es.index(index=f"{self.p}-meta", id=f"tick:{name}", document=doc, refresh="wait_for")

    def tick_stats(self, name: str = "tick") -> TickStats | None:
        d = self._meta("tick", name)
        if d is None:
            return None
        return TickStats(
            _at(d["last_started"]),
            d["last_seconds"],
            d["last_ok"],
            d.get("last_error"),
            _dt(d.get("last_ok_at")),
            d["count"],
            d["failed"],
            d["longest"],
        )

    def disk_usage(self) -> tuple[int, int]:
        """The fullest data node's (free, total) bytes: one full node stops the writes."""
        nodes = self.es.nodes.stats(metric="fs")["nodes"].values()
        totals = [
            (n["fs"]["total"]["available_in_bytes"], n["fs"]["total"]["total_in_bytes"])
            for n in nodes
            if n.get("fs", {}).get("total", {}).get("total_in_bytes")
        ]
        return min(totals, key=lambda ft: ft[0] / ft[1]) if totals else (0, 0)

    # -- incremental processing --------------------------------------------------------------

    def ungrouped_posts(self, since: datetime, limit: int = 5000) -> list[tuple[Post, Analysis]]:
        query = {
            "bool": {
                "filter": [
                    {"term": {"analysed": True}},
                    {"term": {"relevant": True}},
                    {"range": {"published": {"gte": _iso(since)}}},
                ],
                "must_not": [{"term": {"grouped": True}}],
            }
        }
        return _pairs(self._scan(self._posts, query, [{"published": "asc"}, {"pid": "asc"}], size=limit))

    def copies_of(self, keys: Iterable[str], since: datetime) -> list[tuple[Post, Analysis, bool]]:
        """Analysed posts of the horizon holding one of these text keys (onrustradar.core.copykeys),
        with whether they are in an event already."""
        keys = sorted(set(keys))
        out = []
        for i in range(0, len(keys), PAGE):
            query = {
                "bool": {
                    "filter": [
                        {"terms": {"copy_keys": keys[i : i + PAGE]}},
                        {"term": {"analysed": True}},
                        {"range": {"published": {"gte": _iso(since)}}},
                    ]
                }
            }
            for h in self._scan(self._posts, query, [{"published": "asc"}, {"pid": "asc"}]):
                try:
                    out.append((_post(h["_source"]), _analysis(h["_source"]), bool(h["_source"].get("grouped"))))
                except (ValueError, OverflowError, OSError, KeyError):
                    continue
        unique = {p.id: (p, a, g) for p, a, g in out}
        return sorted(unique.values(), key=lambda pag: (pag[0].published_at, pag[0].id))

    def candidate_groups(self, want: Candidates) -> list[GroupRecord]:
        ways: list[dict] = []
        if want.gemeenten and want.recent is not None:
            ways.append(
                {
                    "bool": {
                        "filter": [
                            {"terms": {"gemeente_code": sorted(want.gemeenten)}},
                            {"range": {"last_seen": {"gte": _iso(want.recent)}}},
                        ]
                    }
                }
            )
        if want.keys:
            ways.append({"terms": {"keys": sorted(want.keys)}})
        if want.unplaced_keys - want.keys:
            ways.append(
                {
                    "bool": {
                        "filter": [{"terms": {"keys": sorted(want.unplaced_keys - want.keys)}}],
                        "must_not": [{"exists": {"field": "gemeente_code"}}],
                    }
                }
            )
        common = self._common_keys({k for q in want.texts for k in q.keys}, want.common)
        for lo, hi in want.windows:
            ways.append(
                {
                    "bool": {
                        "filter": [
                            {"term": {"time_known": True}},
                            {"exists": {"field": "gemeente_code"}},
                            {"range": {"start": {"gte": _iso(lo), "lte": _iso(hi)}}},
                        ]
                    }
                }
            )
        for q in want.texts:
            keys = [k for k in q.keys if k not in common]
            if not keys and q.gemeente is None:
                continue
            when = {
                "bool": {
                    "should": [
                        {"range": {"start": {"gte": _iso(q.start_lo), "lte": _iso(q.start_hi)}}},
                        {
                            "bool": {
                                "must_not": [{"exists": {"field": "start"}}],
                                "filter": [{"range": {"last_seen": {"gte": _iso(q.seen_lo), "lte": _iso(q.seen_hi)}}}],
                            }
                        },
                    ],
                    "minimum_should_match": 1,
                }
            }
            by = {"term": {"gemeente_code": q.gemeente}} if q.gemeente is not None else {"terms": {"keys": keys}}
            way = {"bool": {"filter": [by, when]}}
            if q.unplaced_only:
                way["bool"]["must_not"] = [{"exists": {"field": "gemeente_code"}}]
            ways.append(way)
        if not ways:
            return []
        query = {
            "bool": {
                "filter": [
                    {"range": {"open_until": {"gte": _iso(want.since)}}},
                    {"range": {"last_seen": {"gte": _iso(want.active_since)}}},
                ],
                "should": ways,
                "minimum_should_match": 1,
            }
        }
        hits = self._scan(f"{self.p}-groups", query, [{"signal_id": "asc"}], source={"excludes": ["members"]})
        return [self._group(h["_source"]) for h in hits]

    def _common_keys(self, keys: set[str], limit: int) -> set[str]:
        """Those of `keys` held by more than `limit` events."""
        if not keys:
            return set()
        result = self.es.search(
            index=f"{self.p}-groups",
            size=0,
            query={"terms": {"keys": sorted(keys)}},
            aggs={
                "k": {
                    "terms": {"field": "keys", "include": sorted(keys), "size": len(keys), "min_doc_count": limit + 1}
                }
            },
        )
        return {b["key"] for b in result["aggregations"]["k"]["buckets"]}

    @staticmethod
    def _group(d: dict) -> GroupRecord:
        state = d["state"]
        return GroupRecord(
            signal_id=d["signal_id"],
            gemeente_code=d.get("gemeente_code"),
            open_until=_at(d["open_until"]),
            start=datetime.fromisoformat(state["start"]) if state["start"] else None,
            time_known=d["time_known"],
            last_seen=datetime.fromisoformat(state["last_seen"]),
            rank=(d["rank_ts"], d["rank_id"]),
            keys=None,
            state=state,
            members=d.get("members"),
            refresh_at=_dt(d.get("refresh_at")),
            score_base=d.get("score_base"),
        )

    def _group_doc(self, r: GroupRecord) -> dict:
        doc: dict[str, object] = {
            "signal_id": r.signal_id,
            "gemeente_code": r.gemeente_code,
            "open_until": _iso(r.open_until),
            "start": _iso(r.start),
            "time_known": r.time_known,
            "last_seen": _iso(r.last_seen),
            "rank_ts": r.rank[0],
            "rank_id": r.rank[1],
            "refresh_at": _iso(r.refresh_at),
            "score_base": r.score_base,
            "state": r.state,
            "members": r.members,
        }
        if r.keys is not None:
            doc["keys"] = r.keys
        return doc

    def due_groups(self, now: datetime, active_since: datetime, limit: int) -> list[GroupRecord]:
        query = {
            "bool": {
                "filter": [
                    {"range": {"refresh_at": {"lte": _iso(now)}}},
                    {"range": {"last_seen": {"gte": _iso(active_since)}}},
                ]
            }
        }
        hits = self._scan(
            f"{self.p}-groups",
            query,
            [{"refresh_at": "asc"}, {"signal_id": "asc"}],
            size=limit,
            source={"excludes": ["members"]},
        )
        return [self._group(h["_source"]) for h in hits]

    def gemeente_groups(self, codes: Iterable[str], active_since: datetime) -> list[GroupRecord]:
        query = {
            "bool": {
                "filter": [
                    {"range": {"last_seen": {"gte": _iso(active_since)}}},
                    {"terms": {"gemeente_code": sorted(set(codes))}},
                ]
            }
        }
        hits = self._scan(f"{self.p}-groups", query, [{"signal_id": "asc"}], source={"excludes": ["members"]})
        return [self._group(h["_source"]) for h in hits]

    def unplaced_groups(self, keys: Iterable[str], active_since: datetime) -> list[GroupRecord]:
        keys = sorted(set(keys))
        if not keys:
            return []
        query = {
            "bool": {
                "filter": [{"range": {"last_seen": {"gte": _iso(active_since)}}}, {"terms": {"keys": keys}}],
                "must_not": [{"exists": {"field": "gemeente_code"}}],
            }
        }
        hits = self._scan(f"{self.p}-groups", query, [{"signal_id": "asc"}], source={"excludes": ["members"]})
        return [self._group(h["_source"]) for h in hits]

    def context_posts(
        self, codes: Iterable[str], since: datetime, unplaced: bool = True
    ) -> list[tuple[Post, Analysis]]:
        wanted: list[dict] = [{"terms": {"gemeente_code": sorted(set(codes))}}]
        if unplaced:
            wanted.append({"bool": {"must_not": [{"exists": {"field": "gemeente_code"}}]}})
        query = {
            "bool": {
                "filter": [
                    {"term": {"analysed": True}},
                    {"term": {"relevant": False}},
                    {"range": {"published": {"gte": _iso(since)}}},
                ],
                "should": wanted,
                "minimum_should_match": 1,
            }
        }
        return _pairs(self._scan(self._posts, query, [{"published": "asc"}, {"pid": "asc"}]))

    def placed_context_posts(
        self, since: datetime, until: datetime, origins: Iterable[str], names: Iterable[str]
    ) -> list[tuple[Post, Analysis]]:
        # (all of the moments: channels are kept as written, origins case-folded; the caller tests each)
        query = {
            "bool": {
                "filter": [
                    {"term": {"analysed": True}},
                    {"term": {"relevant": False}},
                    {"range": {"published": {"gte": _iso(since), "lte": _iso(until)}}},
                    {"exists": {"field": "gemeente_code"}},
                ]
            }
        }
        return _pairs(self._scan(self._posts, query, [{"published": "asc"}, {"pid": "asc"}]))

    def set_refresh(self, items: dict[str, tuple[datetime, float | None]]) -> None:
        if items:
            helpers.bulk(
                self.es,
                [
                    {
                        "_op_type": "update",
                        "_index": f"{self.p}-groups",
                        "_id": sid,
                        "doc": {"refresh_at": _iso(t), "score_base": base},
                    }
                    for sid, (t, base) in items.items()
                ],
                refresh=False,
            )
            self._refresh("groups")

    def get_signals(self, signal_ids: Iterable[str]) -> dict[str, Signal]:
        ids = list(signal_ids)
        out = {}
        for i in range(0, len(ids), PAGE):
            if not self.es.indices.exists(index=f"{self.p}-signals"):
                break
            docs = self.es.mget(index=f"{self.p}-signals", ids=ids[i : i + PAGE])["docs"]
            out.update({d["_id"]: _signal(d["_source"]) for d in docs if d.get("found")})
        return out

    def _post_indices(self, post_ids: list[str]) -> dict[str, str]:
        where = {}
        for i in range(0, len(post_ids), PAGE):
            for hit in self._scan(
                self._posts, {"terms": {"pid": post_ids[i : i + PAGE]}}, [{"pid": "asc"}], source=False
            ):
                where[hit["_id"]] = hit["_index"]
        return where

    def save_grouping(
        self,
        records: list[GroupRecord],
        refresh: dict[str, datetime],
        signals: list[Signal],
        grouped: list[str],
        forget_before: datetime | None = None,
    ) -> None:
        """Events and signals first, the posts' grouped flag last: a tick cut short in between
        finds its posts among the events' members next time and only marks them."""
        groups = f"{self.p}-groups"
        actions = []
        for r in records:
            doc = self._group_doc(r)
            if r.keys is None:  # read from the store: its keys stay as they are
                actions.append(
                    {"_op_type": "update", "_index": groups, "_id": r.signal_id, "doc": doc, "doc_as_upsert": True}
                )
            else:
                actions.append({"_op_type": "index", "_index": groups, "_id": r.signal_id, "_source": doc})
        actions += [
            {"_op_type": "update", "_index": groups, "_id": sid, "doc": {"refresh_at": _iso(t)}}
            for sid, t in refresh.items()
        ]
        actions += self._signal_actions(signals)
        if forget_before is not None:
            old = self._scan(
                groups, {"range": {"last_seen": {"lt": _iso(forget_before)}}}, [{"signal_id": "asc"}], source=False
            )
            actions += [{"_op_type": "delete", "_index": groups, "_id": h["_id"]} for h in old]
        if actions:
            helpers.bulk(self.es, actions, refresh=False)
            self._refresh("groups", "signals")
        if grouped:
            where = self._post_indices(grouped)
            helpers.bulk(
                self.es,
                [
                    {"_op_type": "update", "_index": where[i], "_id": i, "doc": {"grouped": True}}
                    for i in grouped
                    if i in where
                ],
                refresh=False,
            )
            self._refresh("posts-*")

    def make_due(self, now: datetime) -> None:
        hits = self._scan(f"{self.p}-groups", {"match_all": {}}, [{"signal_id": "asc"}], source=False)
        helpers.bulk(
            self.es,
            [
                {"_op_type": "update", "_index": f"{self.p}-groups", "_id": h["_id"], "doc": {"refresh_at": _iso(now)}}
                for h in hits
            ],
            refresh=False,
        )
        self._refresh("groups")

    def mark_ungrouped(self, since: datetime) -> int:
        hits = self._scan(f"{self.p}-groups", {"match_all": {}}, [{"signal_id": "asc"}], source=False)
        helpers.bulk(
            self.es,
            [{"_op_type": "delete", "_index": f"{self.p}-groups", "_id": h["_id"]} for h in hits],
            refresh=False,
        )
        query = {"bool": {"filter": [{"term": {"grouped": True}}, {"range": {"published": {"gte": _iso(since)}}}]}}
        posts = list(self._scan(self._posts, query, [{"pid": "asc"}], source=False))
        helpers.bulk(
            self.es,
            [{"_op_type": "update", "_index": h["_index"], "_id": h["_id"], "doc": {"grouped": False}} for h in posts],
            refresh=False,
        )
        self._refresh("groups", "posts-*")
        return len(posts)

    def _stale_query(self, since: datetime, model: str) -> dict:
        return {
            "bool": {
                "filter": [{"term": {"analysed": True}}, {"range": {"published": {"gte": _iso(since)}}}],
                "must_not": [{"terms": {"model": [model, OWN_MODEL]}}],
            }
        }  # (never an eigen melding)

    def stale_analyses(self, since: datetime, model: str, limit: int) -> list[Post]:
        return _posts(
            self._scan(self._posts, self._stale_query(since, model), [{"published": "asc"}, {"pid": "asc"}], size=limit)
        )

    def count_stale_analyses(self, since: datetime, model: str) -> int:
        return self.es.count(
            index=self._posts, query=self._stale_query(since, model), ignore_unavailable=True, allow_no_indices=True
        )["count"]

    def signals_seen_between(self, since: datetime | None, until: datetime) -> list[Signal]:
        bounds = {"lt": _iso(until)}
        if since is not None:
            bounds["gte"] = _iso(since)
        hits = self._scan(f"{self.p}-signals", {"range": {"last_seen": bounds}}, [{"signal_id": "asc"}])
        return [_signal(h["_source"]) for h in hits]

    def get_meta(self, key: str) -> str | None:
        doc = self._meta("engine", key)
        return doc["engine_value"] if doc else None

    def set_meta(self, key: str, value: str) -> None:
        self.es.index(
            index=f"{self.p}-meta",
            id=f"engine:{key}",  # read back by id: realtime, no refresh
            # its own field: `value` is mapped by whatever the first cursor held
            document={"kind": "engine", "source_name": key, "engine_value": value},
        )
