"""Sending e-mail exactly once.

A message is built, stored in the outbox under its key (a digest per gemeente and date, an
alert per signal and escalation) and only then sent; it is marked sent after the server
accepted it. So a crash between building and sending loses nothing (the stored message is
sent on the next run, with the same Message-ID), and the same key is never sent twice. The
one window left — a crash after the server accepted but before the mark — is closed by
receivers de-duplicating on the Message-ID.

SMTP: STARTTLS and login with ONRUSTRADAR_SMTP_USER / ONRUSTRADAR_SMTP_PASSWORD, a timeout,
retries with exponential backoff on temporary (4xx, connection) failures; a permanent (5xx)
failure is recorded and shown on the board's Bronnen page.
"""

from __future__ import annotations

import logging
import os
import smtplib
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default as default_policy

from onrustradar.config import SmtpConfig
from store import OutboxItem

log = logging.getLogger(__name__)
USER_ENV, PASSWORD_ENV = "ONRUSTRADAR_SMTP_USER", "ONRUSTRADAR_SMTP_PASSWORD"


class TemporaryFailure(Exception):
    pass


class PermanentFailure(Exception):
    pass


@dataclass(frozen=True, slots=True)
class Outcome:
    key: str
    status: str  # sent | already sent | failed | retry later
    attempts: int
    message_id: str
    error: str | None = None


def smtp_send(message: EmailMessage, recipients: list[str], cfg: SmtpConfig) -> None:
    """One delivery attempt; classifies every failure as temporary or permanent."""
    try:
        with smtplib.SMTP(cfg.host, cfg.port, timeout=cfg.timeout) as smtp:
            smtp.ehlo()
            if cfg.starttls:
                smtp.starttls(context=ssl.create_default_context(cafile=cfg.ca_file))
                smtp.ehlo()
            user, password = os.environ.get(USER_ENV), os.environ.get(PASSWORD_ENV)
            if user and password:
                smtp.login(user, password)
            refused = smtp.send_message(message, from_addr=cfg.sender, to_addrs=recipients)
            if refused:
                raise PermanentFailure(f"refused recipients: {refused}")
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        kind = TemporaryFailure if all(400 <= c < 500 for c in codes) else PermanentFailure
        raise kind(f"recipients refused: {exc.recipients}") from None
    except smtplib.SMTPResponseException as exc:
        kind = TemporaryFailure if 400 <= exc.smtp_code < 500 else PermanentFailure
        raise kind(
            f"{exc.smtp_code} "
            f"{exc.smtp_error.decode(errors='replace') if isinstance(exc.smtp_error, bytes) else exc.smtp_error}"
        ) from None
    except (TimeoutError, smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, ConnectionError, OSError) as exc:
        raise TemporaryFailure(f"{type(exc).__name__}: {exc}") from None


def deliver(
    store,
    key: str,
    kind: str,
    gemeente: str | None,
    recipients: list[str],
    cfg: SmtpConfig,
    build: Callable[[], tuple[EmailMessage, dict | None]],
    send: Callable = smtp_send,
    sleep: Callable[[float], None] = time.sleep,
    now: datetime | None = None,
) -> Outcome:
    item = store.outbox_get(key)
    if item is not None and item.status == "sent":
        return Outcome(key, "already sent", item.attempts, item.message_id)
    if item is None:
        message, snapshot = build()
        # The audit trail's head at this moment travels with the message (and stays in the
        # outbox): a later cut or rewrite of the trail no longer matches what was sent.
        anchor = store.audit_anchor() if hasattr(store, "audit_anchor") else None
        if anchor:
            message["X-Onrustradar-Audit"] = f"{anchor['rows']}:{anchor['head']}"
            snapshot = {**(snapshot or {}), "audit": {"rows": anchor["rows"], "head": anchor["head"]}}
        store.outbox_add(
            OutboxItem(
                key,
                kind,
                gemeente,
                recipients,
                message["Message-ID"],
                bytes(message),
                snapshot=snapshot,
                created_at=now,
            )
        )
        item = store.outbox_get(key)
    message = BytesParser(policy=default_policy).parsebytes(item.message)
    attempts = item.attempts
    for retry in range(cfg.retries + 1):
        attempts += 1
        try:
            send(message, item.recipients, cfg)
        except TemporaryFailure as exc:
            log.warning("%s: temporary failure (attempt %s): %s", key, attempts, exc)
            store.outbox_update(key, "built", attempts, f"tijdelijk: {exc}")
            if retry < cfg.retries:
                sleep(cfg.backoff * 2**retry)
            continue
        except PermanentFailure as exc:
            log.error("%s: permanent failure, not sent: %s", key, exc)
            store.outbox_update(key, "failed", attempts, f"permanent: {exc}")
            return Outcome(key, "failed", attempts, item.message_id, str(exc))
        store.outbox_update(key, "sent", attempts)
        log.info("%s sent to %s (message-id %s)", key, ", ".join(item.recipients), item.message_id)
        return Outcome(key, "sent", attempts, item.message_id)
    return Outcome(key, "retry later", attempts, item.message_id, "temporary failures; kept for the next run")
