"""The periodic trend report: `run` mails the weekly (and optionally monthly) PDF briefing to
each gemeente's recipients at the configured time, exactly once — through the outbox, whose
key (kind, gemeente, last day) survives a restart, so a report is built and stored once and
sent once, and a service that was down at the time sends it when it comes back."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from digest.briefing import period_briefing
from digest.compose import digest_moment
from digest.delivery import Outcome, deliver, smtp_send
from digest.pdf import render
from digest.render import report_message
from digest.service import deployment_gemeente
from onrustradar.config import WEEKDAYS, Config, source_kinds
from onrustradar.core import nl

PERIOD = {"weekly": "week", "monthly": "month"}
log = logging.getLogger(__name__)


def report_key(kind: str, code: str, end_day: date) -> str:
    return f"report:{kind}:{code}:{end_day.isoformat()}"


def _month_back(day: date) -> date:
    return day.replace(year=day.year - 1, month=12) if day.month == 1 else day.replace(month=day.month - 1)


def scheduled(config: Config, now: datetime) -> list[tuple[str, date]]:
    """The latest scheduled moment of each configured report at or before `now`: (kind, day)."""
    r = config.settings.reports
    today = nl.local(now).date()
    out = []
    if r.weekly is not None:
        day = today - timedelta(days=(today.weekday() - WEEKDAYS.index(r.weekly.weekday)) % 7)
        if digest_moment(day, r.weekly.time) > now:
            day -= timedelta(days=7)
        out.append(("weekly", day))
    if r.monthly is not None:
        day = today.replace(day=r.monthly.day)
        if digest_moment(day, r.monthly.time) > now:
            day = _month_back(day)
        out.append(("monthly", day))
    return out


def report_recipients(config: Config) -> dict[str, list[str]]:
    s = config.settings
    return {name: rcpts for name, rcpts in (s.reports.recipients or s.digest.recipients).items() if rcpts}


def reports_due(config: Config, store, now: datetime) -> list[tuple[str, str, date]]:
    """(gemeente, kind, last day) of each report whose time has come and that was not sent."""
    due = []
    for name in report_recipients(config):
        try:
            code = deployment_gemeente(config, name).code
        except ValueError as exc:
            log.error("rapportage niet gemaakt: %s", exc)
            continue
        for kind, day in scheduled(config, now):
            item = store.outbox_get(report_key(kind, code, day))
            if item is None or item.status == "built":
                due.append((name, kind, day))
    return due


def send_report(
    store, config: Config, gemeente: str, kind: str, end_day: date, now: datetime, send=smtp_send, sleep=None
) -> Outcome:

    g = deployment_gemeente(config, gemeente)
    recipients = report_recipients(config)[g.name]

    def build():
        briefing = period_briefing(store, config, g, PERIOD[kind], end_day, source_kinds(config), now)
        filename = f"onrustradar-{PERIOD[kind]}-{g.code}-{end_day.isoformat()}.pdf"
        message = report_message(briefing, render(briefing), filename, config.settings.smtp.sender, recipients)
        return message, {"signals": [v.signal_id for v in briefing.items]}

    kwargs = {"sleep": sleep} if sleep else {}
    return deliver(
        store,
        report_key(kind, g.code, end_day),
        "report",
        g.code,
        recipients,
        config.settings.smtp,
        build,
        send=send,
        now=now,
        **kwargs,
    )
