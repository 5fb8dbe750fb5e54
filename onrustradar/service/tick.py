"""One tick of the service: crawl the sources that are due, process what is new, deliver what
is due (alerts, digests, reports). `onrustradar run` schedules it; `onrustradar demo` loops it
against the replay server. Both reload the configuration first, so keyword edits on the board
apply without a restart.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from crawlers.runner import CrawlReport, crawl, due_sources
from digest.periodic import reports_due, send_report
from digest.service import check_alerts, digests_due, send_digest
from onrustradar.config import Config, ConfigError, load_config
from onrustradar.service.pipeline import ProcessReport, process
from store import Store, open_store

log = logging.getLogger(__name__)


@dataclass
class TickResult:
    """What one tick did; `error` is set when processing or delivery failed (the crawl's own
    errors are per source, in `crawls`)."""

    crawls: list[CrawlReport] = field(default_factory=list)
    report: ProcessReport | None = None
    deliveries: list[str] = field(default_factory=list)  # "alert KEY: status", one per message
    error: str | None = None
    seconds: float = 0.0


def reload_config(config: Config, on_error: Callable[[ConfigError], None] | None = None) -> Config:
    """The configuration as it is on disk now; an invalid file keeps the previous one."""
    try:
        return load_config(config.path)
    except ConfigError as exc:
        log.error("configuration became invalid, keeping the previous one: %s", exc)
        if on_error is not None:
            on_error(exc)
        return config


def sources_due(config: Config, store: Store, now: datetime) -> list[str]:
    """Names of the sources whose interval has passed since their last attempt."""
    last: dict[str, datetime | None] = {}
    for h in store.source_health():
        attempts = [t for t in (h.last_success, h.last_error_at) if t]
        last[h.source_name] = max(attempts) if attempts else None
    return due_sources(config.settings, last, now)


def record_tick(store: Store, started: datetime, seconds: float, error: str | None) -> None:
    """Note a tick (for `health` and the soak benchmark); a store that cannot take it is logged."""
    try:
        store.record_tick(started, seconds, error is None, error)
    except Exception:  # noqa: BLE001 — bookkeeping must not turn a good tick into a failed one
        log.exception("could not record the tick")


def deliver(store: Store, config: Config, now: datetime) -> list[str]:
    """Send the alerts, digests and periodic reports that are due; one line per message."""
    lines = [f"alert {o.key}: {o.status}" for o in check_alerts(store, config, now)]
    for name, day in digests_due(config, store, now):
        outcome = send_digest(store, config, name, day)
        lines.append(f"digest {outcome.key}: {outcome.status}")
    for name, kind, day in reports_due(config, store, now):
        outcome = send_report(store, config, name, kind, day, now)
        lines.append(f"rapportage {outcome.key}: {outcome.status}")
    return lines


def tick(
    config: Config,
    names: list[str] | None = None,
    *,
    send: bool = True,
    log_level: str = "WARNING",
    stopping: Callable[[], bool] = lambda: False,
    on_crawl: Callable[[list[CrawlReport]], None] | None = None,
) -> TickResult:
    """Crawl `names` (None: the sources that are due), process, and with `send` deliver.

    A failure in processing or delivery is caught and returned, so one bad tick does not end
    the service; a failure caused by a stop (`stopping()` true) is not recorded as one."""
    result = TickResult()
    store = open_store(config.settings)
    started, clock = datetime.now(UTC), time.perf_counter()
    try:
        if names is None:
            names = sources_due(config, store, datetime.now(UTC))
        if names:
            result.crawls = crawl(config.settings, names, log_level=log_level)
            if on_crawl is not None:
                on_crawl(result.crawls)
        result.report = process(store, config)
        log.info("processed %s posts, %s signals", result.report.analysed, result.report.signals)
        if send:
            result.deliveries = deliver(store, config, datetime.now(UTC))
        log.info("tick done")
    except Exception as exc:  # one bad tick must not end the service
        if stopping():
            log.info("tick ended by the stop")
        else:
            result.error = f"{type(exc).__name__}: {exc}"
            log.exception("tick failed; trying again next interval")
    finally:
        result.seconds = time.perf_counter() - clock
        if not stopping():
            record_tick(store, started, result.seconds, result.error)
        store.close()
    return result
