"""`onrustradar health`: is the unattended service doing its job? One line per check and the
exit code monitoring systems expect: 0 ok, 1 warning, 2 critical.

Checks: each source's last successful crawl against what its interval allows, the last tick
(age, outcome, duration against the process interval), the e-mail outbox, whether the store
answers, and the free disk space where the store and the audit trail live.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from onrustradar.config import Config
from onrustradar.config.watches import source_active, today_local

OK, WARNING, CRITICAL = 0, 1, 2
LABELS = {OK: "OK", WARNING: "WAARSCHUWING", CRITICAL: "KRITIEK"}
SLACK = timedelta(seconds=60)  # a crawl round or a tick takes time itself
MAIL_LATE = timedelta(minutes=15)  # a built message not sent this long after: backlog
MAIL_STALE = timedelta(hours=6)  # ... this long: a digest has missed its morning
DISK_WARNING, DISK_CRITICAL = (0.10, 2 * 1024**3), (0.03, 500 * 1024**2)  # (fraction free, bytes free)


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    level: int
    message: str

    def line(self) -> str:
        return f"{LABELS[self.level]:<13}{self.name}: {self.message}"


def ago(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    if seconds < 120:
        return f"{seconds} s geleden"
    if seconds < 7200:
        return f"{seconds // 60} min geleden"
    if seconds < 2 * 86400:
        return f"{seconds // 3600} uur geleden"
    return f"{seconds // 86400} dagen geleden"


def duration(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds >= 120 or seconds == int(seconds) else f"{seconds:.1f} s"


def source_allowance(interval: float, process_interval: float) -> timedelta:
    """How old a source's last successful crawl may be: two intervals (one failed round is
    normal: a 5xx burst, a timeout), plus one tick (a crawl starts at the first tick after it
    is due) and some slack. Older is critical: the source is not being watched."""
    return timedelta(seconds=2 * interval + process_interval) + SLACK


def source_checks(config: Config, health: list, now: datetime) -> list[Check]:
    settings = config.settings
    by_name = {h.source_name: h for h in health}
    today = today_local(now)
    checks = []
    for source in settings.sources:
        name = f"bron {source.name}"
        if not source.enabled or not source_active(settings, source.name, today):
            continue  # not crawled on purpose: nothing to warn about
        h = by_name.get(source.name)
        allowed = source_allowance(source.interval, settings.schedule.process_interval)
        every = f"interval {duration(source.interval)}"
        if h is None:
            checks.append(Check(name, WARNING, f"nog nooit opgehaald ({every})"))
        elif h.last_success is None:
            checks.append(
                Check(
                    name,
                    CRITICAL,
                    f"nog nooit gelukt; laatste fout {ago(now - h.last_error_at)}: {h.last_error}"
                    if h.last_error_at
                    else "nog nooit gelukt",
                )
            )
        elif now - h.last_success > allowed:
            checks.append(
                Check(
                    name,
                    CRITICAL,
                    f"laatst gelukt {ago(now - h.last_success)}, meer dan het "
                    f"{every} toestaat ({duration(allowed.total_seconds())})"
                    + (f"; laatste fout: {h.last_error}" if h.last_error else ""),
                )
            )
        elif h.last_error_at is not None and h.last_error_at > h.last_success:
            checks.append(
                Check(
                    name, WARNING, f"laatste poging mislukt ({h.last_error}); laatst gelukt {ago(now - h.last_success)}"
                )
            )
        else:
            checks.append(Check(name, OK, f"laatst gelukt {ago(now - h.last_success)} ({every})"))
    return checks


def tick_check(config: Config, stats, now: datetime) -> Check:
    interval = config.settings.schedule.process_interval
    late = timedelta(seconds=3 * interval) + SLACK * 2
    if stats is None:
        return Check("verwerking", WARNING, "nog geen ronde geregistreerd (draait `onrustradar run`?)")
    ended = stats.last_started + timedelta(seconds=stats.last_seconds)
    last_ok = stats.last_ok_at
    if last_ok is None or now - last_ok > late:
        when = f"laatste goede ronde {ago(now - last_ok)}" if last_ok else "nog geen goede ronde"
        return Check(
            "verwerking",
            CRITICAL,
            f"{when}; interval {duration(interval)}"
            + (f"; laatste fout: {stats.last_error}" if stats.last_error else ""),
        )
    message = (
        f"laatste ronde {ago(now - ended)}, duurde {duration(stats.last_seconds)} "
        f"(interval {duration(interval)}; {stats.failed} van {stats.count} mislukt)"
    )
    if not stats.last_ok:
        return Check("verwerking", WARNING, f"laatste ronde mislukt: {stats.last_error}; {message}")
    if stats.last_seconds > interval:
        return Check("verwerking", WARNING, f"ronde langer dan het interval: {message}")
    return Check("verwerking", OK, message)


def outbox_check(items: list, now: datetime) -> Check:
    unsent = [i for i in items if i.status != "sent" and i.created_at is not None]
    if not unsent:
        return Check("e-mail", OK, "geen achterstand")
    oldest = min(i.created_at for i in unsent)
    failed = sum(1 for i in unsent if i.status == "failed")
    message = f"{len(unsent)} niet verzonden ({failed} mislukt), oudste {ago(now - oldest)}"
    if now - oldest > MAIL_STALE:
        return Check("e-mail", CRITICAL, message)
    if failed or now - oldest > MAIL_LATE:
        return Check("e-mail", WARNING, message)
    return Check("e-mail", OK, message)


def disk_check(name: str, free: int, total: int) -> Check:
    if total <= 0:
        return Check(name, WARNING, "vrije ruimte onbekend")
    fraction = free / total
    message = f"{free / 1024**3:.1f} GB vrij ({fraction:.0%})"
    if fraction < DISK_CRITICAL[0] or free < DISK_CRITICAL[1]:
        return Check(name, CRITICAL, message)
    if fraction < DISK_WARNING[0] or free < DISK_WARNING[1]:
        return Check(name, WARNING, message)
    return Check(name, OK, message)


def run_checks(config: Config, open_store, now: datetime) -> list[Check]:
    """All checks; a store that cannot be opened or read is one critical line (and the checks
    that need it are left out)."""
    checks: list[Check] = []
    try:
        store = open_store(config.settings)
    except Exception as exc:  # noqa: BLE001 — whatever it is, the service cannot work
        return [Check("store", CRITICAL, f"niet bereikbaar: {exc}"), *local_disk_checks(config, None)]
    try:
        try:
            posts = store.count_posts()
            health, stats, outbox = store.source_health(), store.tick_stats(), store.outbox_list(limit=1000)
            free, total = store.disk_usage()
        except Exception as exc:  # noqa: BLE001
            return [Check("store", CRITICAL, f"antwoordt niet: {exc}"), *local_disk_checks(config, None)]
        checks.append(Check("store", OK, f"bereikbaar ({config.settings.store.backend}, {posts} berichten)"))
        checks += source_checks(config, health, now)
        checks.append(tick_check(config, stats, now))
        checks.append(outbox_check(outbox, now))
        checks.append(disk_check(f"schijf store ({config.settings.store.backend})", free, total))
        checks += local_disk_checks(config, store_path(config))
    finally:
        store.close()
    return checks


def store_path(config: Config) -> Path | None:
    store = config.settings.store
    return Path(store.path).resolve().parent if store.backend == "sqlite" else None


def local_disk_checks(config: Config, already: Path | None) -> list[Check]:
    """The audit trail's disk, unless it is the one already checked for the store."""
    folder = Path(config.settings.audit_log).resolve().parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        if already is not None and already.exists() and already.stat().st_dev == folder.stat().st_dev:
            return []
        usage = shutil.disk_usage(folder)
    except OSError as exc:
        return [Check("schijf audittrail", CRITICAL, f"niet te lezen: {exc.strerror}")]
    return [disk_check("schijf audittrail", usage.free, usage.total)]
