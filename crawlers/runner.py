"""Running Scrapy crawls from a CLI or from the long-lived `onrustradar run` process.

Twisted's reactor can start only once per process, so every crawl runs in a fresh child
process (multiprocessing 'spawn'): the parent stays clean, a crawl that crashes or hangs
takes only its child with it, and memory from parsing large pages is returned to the OS.
The cost is about a second of start-up per crawl, small next to a source's interval.
"""

from __future__ import annotations

import importlib
import logging
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from multiprocessing.process import BaseProcess
from typing import Any

from onrustradar.config import SOURCE_TYPES, Settings
from onrustradar.config.watches import source_active, today_local
from onrustradar.core.children import die_with_parent
from store import open_store

log = logging.getLogger(__name__)
_children: set[BaseProcess] = set()  # crawl children running now (run's shutdown kills them)
# A stop may come while a crawl child is being spawned, before it is in `_children`; under one
# lock, a child is either registered before the stop (and killed by it) or never started.
_children_lock = threading.Lock()
_stopped = threading.Event()


class CrawlStopped(RuntimeError):
    """The crawl was not started or not finished because the command is stopping."""


@dataclass(slots=True)
class CrawlReport:
    source: str
    new: int = 0
    seen: int = 0
    skipped: int = 0
    error: str | None = None


def load_object(path: str) -> Any:
    """The object a registry's dotted path names ("package.module.Name")."""
    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)


def spider_classes() -> dict[str, type]:
    """The Scrapy spider of each source type, as the registry names it (config.SOURCE_TYPES)."""
    return {name: load_object(t.crawler) for name, t in SOURCE_TYPES.items() if t.scrapy}


def _crawl_functions(types: set[str]) -> dict[str, Callable]:
    """The non-Scrapy crawl function of each source type present (Telegram's API client)."""
    return {name: load_object(t.crawler) for name, t in SOURCE_TYPES.items() if not t.scrapy and name in types}


def scrapy_settings(settings: Settings, log_level: str = "WARNING") -> dict:
    c = settings.crawl
    return {
        "ONRUSTRADAR_SETTINGS": settings,
        "USER_AGENT": settings.deployment.user_agent,
        "ROBOTSTXT_OBEY": True,
        "AUTOTHROTTLE_ENABLED": c.autothrottle,
        "AUTOTHROTTLE_START_DELAY": 0.5,
        "AUTOTHROTTLE_MAX_DELAY": 30,
        "CONCURRENT_REQUESTS_PER_DOMAIN": c.concurrent_per_domain,
        "DOWNLOAD_TIMEOUT": c.timeout,
        "DOWNLOAD_MAXSIZE": c.max_page_mb * 1024 * 1024,
        "DOWNLOAD_WARNSIZE": min(2, c.max_page_mb) * 1024 * 1024,
        "RETRY_ENABLED": c.retries > 0,
        "RETRY_TIMES": c.retries,
        "RETRY_BACKOFF_BASE": c.backoff,
        "RETRY_BACKOFF_MAX": 60.0,
        "DOWNLOADER_MIDDLEWARES": {
            "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
            "crawlers.middlewares.BackoffRetryMiddleware": 550,
            "crawlers.middlewares.BackoffDelayMiddleware": 560,
            # Every article request, redirects included, before robots.txt is fetched for its host: no SSRF.
            "crawlers.ssrf.ArticleGuardMiddleware": 60,
        },
        "REDIRECT_MAX_TIMES": 5,
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": log_level,
        "ITEM_PIPELINES": {"crawlers.pipelines.StorePipeline": 100},
    }


def crawl_here(
    settings: Settings, names: list[str], now: datetime | None = None, log_level: str = "WARNING"
) -> list[CrawlReport]:
    """Crawl in this process. Runs the Twisted reactor, so call it once per process."""
    from scrapy.crawler import CrawlerProcess

    classes = spider_classes()
    today = today_local(now)
    sources = []
    for s in settings.sources:
        if s.name not in names:
            continue
        # Defence in depth: whoever asks, a disabled source or one without a running watch is
        # not fetched.
        if not s.enabled:
            log.warning("source %s skipped: it is disabled", s.name)
            continue
        if not source_active(settings, s.name, today):
            log.warning("source %s skipped: its watch has expired", s.name)
            continue
        sources.append(s)
    reports: dict[str, CrawlReport] = {}
    store = open_store(settings)
    try:
        cursors = {s.name: store.get_cursor(s.name) for s in sources}
        # Clients of their own (Telethon runs its own asyncio loop) finish before Scrapy's reactor starts.
        for kind, crawl_sources in _crawl_functions({s.type for s in sources}).items():
            for name, (new, error) in crawl_sources([s for s in sources if s.type == kind], store, now).items():
                reports[name] = CrawlReport(name, new=new, seen=new, error=error)
    finally:
        store.close()
    process = CrawlerProcess(scrapy_settings(settings, log_level))
    crawlers = []
    for source in sources:
        if source.type not in classes:
            continue
        crawler = process.create_crawler(classes[source.type])
        process.crawl(crawler, source=source, cursor=cursors[source.name], now=now)
        crawlers.append((source, crawler))
    if crawlers:
        process.start()
    for source, crawler in crawlers:
        stats = crawler.stats.get_stats()
        reports[source.name] = CrawlReport(
            source.name,
            new=stats.get("onrustradar/new", 0),
            seen=stats.get("onrustradar/seen", 0),
            skipped=stats.get("onrustradar/skipped", 0),
            error=stats.get("onrustradar/error"),
        )
    return [reports[s.name] for s in sources if s.name in reports]


def crawl(
    settings: Settings, names: list[str], now: datetime | None = None, log_level: str = "WARNING"
) -> list[CrawlReport]:
    """Crawl the named sources in a child process and report per source."""
    if not names:
        return []
    ctx = multiprocessing.get_context("spawn")
    receiver, sender = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_crawl_child, args=(sender, settings, names, now, log_level, os.getpid()), daemon=True)
    with _children_lock:
        if _stopped.is_set():
            receiver.close()
            sender.close()
            raise CrawlStopped("crawl not started: stopping")
        child.start()
        _children.add(child)
    sender.close()
    try:
        status, payload = receiver.recv()
    except EOFError:
        if _stopped.is_set():
            raise CrawlStopped("crawl killed: stopping") from None
        status, payload = "error", f"crawl process ended without a report (exit code {child.exitcode})"
    except BaseException:
        child.kill()  # stopped (Ctrl-C, SIGTERM): the crawl stops with us, now
        raise
    finally:
        receiver.close()
        child.join(timeout=30)
        if child.is_alive():
            child.kill()
            child.join()
        _children.discard(child)
    if status == "raise":
        raise payload
    if status != "ok":
        raise RuntimeError(payload)
    return payload


def stop_crawls() -> None:
    """Kill the running crawl children and start no new one (a stopping `run`): the store keeps
    what they committed, and a source's cursor moves only after a complete walk, so the next
    crawl resumes."""
    with _children_lock:
        _stopped.set()
        for child in list(_children):
            if child.is_alive():
                child.kill()


def resume_crawls() -> None:
    """Allow crawls again after `stop_crawls` (a new `run` in the same process, or a test)."""
    _stopped.clear()


def _crawl_child(
    sender, settings: Settings, names: list[str], now: datetime | None, log_level: str, parent: int | None = None
) -> None:
    # Killed with its parent, however the parent ends (even SIGKILL): a crawl never runs on
    # as an orphan. SIGKILL, because Scrapy's own SIGTERM handler would first finish requests.
    die_with_parent(signal.SIGKILL, parent)
    # Scrapy installs its own SIGTERM/SIGINT handlers in this process; a pool's terminate()
    # could then wait forever on a worker that no longer dies. So: report through a pipe and
    # leave with os._exit, whatever Scrapy's reactor threads still hold.
    try:
        sender.send(("ok", crawl_here(settings, names, now, log_level)))
    except BaseException as exc:  # noqa: BLE001 — the parent must hear of any failure
        try:
            sender.send(("raise", exc))  # the same exception in the parent (MissingKeyError, ...)
        except Exception:
            sender.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        sender.close()
        logging.shutdown()
        os._exit(0)


def due_sources(settings: Settings, health: dict[str, datetime | None], now: datetime) -> list[str]:
    """Sources whose interval has passed since their last attempt."""
    due = []
    today = today_local(now)
    for source in settings.sources:
        if not source.enabled or not source_active(settings, source.name, today):
            continue
        last = health.get(source.name)
        if last is None or now - last >= timedelta(seconds=source.interval):
            due.append(source.name)
    return due
