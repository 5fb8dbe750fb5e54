"""Which digests and alerts are due, and sending them: shared by `onrustradar digest` and the
schedule inside `onrustradar run`."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from detectors.summary import summarize
from digest.compose import OPEN, compose, digest_moment
from digest.delivery import Outcome, deliver, smtp_send
from digest.render import alert_message, digest_message
from onrustradar.config import Config, source_kinds
from onrustradar.core.gazetteer import Gemeente, gazetteer
from onrustradar.core.nl import local
from store import SignalQuery


def digest_key(code: str, day: date) -> str:
    return f"digest:{code}:{day.isoformat()}"


def previous_snapshot(store, code: str, day: date) -> dict | None:
    item = store.outbox_get(digest_key(code, day - timedelta(days=1)))
    return item.snapshot if item else None


class Refused(ValueError):
    """A digest or report that must not be made; the message (Dutch) says why."""


def deployment_gemeente(config: Config, name: str) -> Gemeente:
    """The gemeente, if it is one of this deployment's; otherwise Refused."""
    g = gazetteer().gemeente(name)
    if g is None:
        raise Refused(f"onbekende gemeente {name!r}")
    if g.name not in config.settings.gemeenten:
        raise Refused(
            f"gemeente {g.name} hoort niet bij deze installatie (gemeenten: {', '.join(config.settings.gemeenten)})"
        )
    return g


def _code(name: str) -> str:
    """The CBS code of a gemeente named in the config (names there are checked against the
    gazetteer when the config is read)."""
    g = gazetteer().gemeente(name)
    if g is None:
        raise Refused(f"onbekende gemeente {name!r}")
    return g.code


def digest_recipients(config: Config, name: str) -> tuple[Gemeente, list[str]]:
    """The gemeente and its digest recipients; Refused when it has none: a digest is never
    addressed to no one."""
    g = deployment_gemeente(config, name)
    recipients = config.settings.digest.recipients.get(g.name)
    if not recipients:
        raise Refused(f"geen ontvangers voor het dagoverzicht van {g.name} ingesteld (digest.recipients)")
    return g, recipients


def build_digest(store, config: Config, gemeente: str, day: date):

    g, recipients = digest_recipients(config, gemeente)
    s = config.settings
    d = compose(
        store,
        g.code,
        g.name,
        day,
        s.digest.time,
        s.digest.board_url,
        previous_snapshot(store, g.code, day),
        source_kinds(config),
        dict(s.detectors.severity),
    )
    return d, digest_message(d, s.smtp.sender, recipients)


def dry_run(store, config: Config, gemeente: str, day: date, directory: Path) -> Path:
    _, message = build_digest(store, config, gemeente, day)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"digest-{deployment_gemeente(config, gemeente).code}-{day.isoformat()}.eml"
    path.write_bytes(bytes(message))
    return path


def send_digest(store, config: Config, gemeente: str, day: date, send=smtp_send, sleep=None) -> Outcome:
    g, recipients = digest_recipients(config, gemeente)

    def build():
        d, message = build_digest(store, config, g.name, day)
        return message, d.snapshot()

    kwargs = {"sleep": sleep} if sleep else {}
    return deliver(
        store, digest_key(g.code, day), "digest", g.code, recipients, config.settings.smtp, build, send=send, **kwargs
    )


def digests_due(config: Config, store, now: datetime) -> list[tuple[str, date]]:
    """Digests whose local time has come today and that were not sent yet."""
    today = local(now).date()
    due = []
    for name in config.settings.digest.recipients:
        if now >= digest_moment(today, config.settings.digest.time):
            item = store.outbox_get(digest_key(_code(name), today))
            if item is None or item.status == "built":
                due.append((name, today))
    return due


def check_alerts(store, config: Config, now: datetime, send=smtp_send, sleep=None) -> list[Outcome]:
    """An immediate alert for each open signal over the threshold: once, and again only when
    it escalated and the cooldown has passed."""

    a = config.settings.alerts
    kind = source_kinds(config)
    outcomes = []
    for name, recipients in a.recipients.items():
        code = _code(name)
        earlier = store.outbox_list(kind="alert", gemeente=code, limit=10_000)
        for signal in store.query_signals(
            SignalQuery(gemeente_codes=frozenset({code}), since=now - timedelta(days=7), limit=200)
        ):
            if signal.score < a.threshold or signal.status not in OPEN:
                continue
            mine = [e for e in earlier if e.snapshot and e.snapshot.get("signal_id") == signal.signal_id]
            if mine:
                last = max(mine, key=lambda e: e.created_at)
                if signal.score < last.snapshot["score"] * a.escalation:
                    continue
                if now - last.created_at < timedelta(hours=a.cooldown_hours):
                    continue
            link = f"{config.settings.digest.board_url.rstrip('/')}/?signal={signal.signal_id}"

            def build(signal=signal, link=link, escalated=bool(mine), recipients=recipients):
                posts = store.get_posts(signal.post_ids)
                summary = summarize(signal, posts, kind, store.get_analyses([p.id for p in posts]))
                message = alert_message(signal, link, config.settings.smtp.sender, recipients, escalated, summary)
                return message, {"signal_id": signal.signal_id, "score": signal.score}

            kwargs = {"sleep": sleep} if sleep else {}
            outcomes.append(
                deliver(
                    store,
                    f"alert:{signal.signal_id}:{len(mine) + 1}",
                    "alert",
                    code,
                    recipients,
                    config.settings.smtp,
                    build,
                    send=send,
                    now=now,
                    **kwargs,
                )
            )
    return outcomes
