"""The gemeente's own information: an "eigen melding" from the wijkagent, handhaving, the
meldpunt or a partner, recorded by an OOV-medewerker on the board.

A melding is stored as a post of the platform `eigen` (models.OWN_SOURCE) with the analysis
the person gave (category, gemeente, place, time; model OWN_MODEL, which no model redoes), so
it travels the same road as every other piece of evidence: the detectors attach it to the
chosen signal (or start one with it), count it as an official source for reliability
(pipeline.source_kinds), name it in the explanation ("bevestigd door officieel: eigen
melding · wijkagent"), and it is deleted with the other posts after the retention period.

Who reported it is a role, never a name: the reporter's name or address is not asked for and
not kept. A terugkoppeling for a reporter who came through the meldpunt goes to the meldpunt's
own mailbox with the melding's kenmerk; the meldpunt, which knows the reporter, passes it on.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from detectors.grouping import signal_id_for
from detectors.signals import build_signals
from digest.delivery import deliver, smtp_send
from onrustradar.config import Config, source_kinds
from onrustradar.core import nl
from onrustradar.core.gazetteer import gazetteer
from onrustradar.core.intake import Rejected, admit
from onrustradar.core.models import CATEGORIES, OWN_MODEL, OWN_SOURCE, Analysis, Post, Signal
from onrustradar.service.pipeline import detector_settings

SOURCE_NAME = "eigen-melding"  # the 'configured source' of every melding (its post ids start with it)
VIA = {
    "wijkagent": "wijkagent (politie)",
    "handhaving": "handhaving (boa)",
    "meldpunt": "meldpunt",
    "jongerenwerk": "jongerenwerk",
    "woningcorporatie": "woningcorporatie",
    "onderwijs": "school of onderwijs",
    "ondernemer": "ondernemer of winkeliersvereniging",
    "partner": "andere partner",
}
KENMERK = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/_.-]{0,39}$")
MAX_TEXT = 2000
AHEAD = timedelta(days=366)  # an announced event at most a year ahead
BACK = timedelta(days=30)  # something that happened at most a month ago


class MeldingError(ValueError):
    """A melding that cannot be recorded; the message (Dutch) says why."""


@dataclass
class Melding:
    what: str
    gemeente: str
    categories: list[str]
    via: str
    place: str | None = None
    when: datetime | None = None  # when it happens or happened
    time_known: bool = False
    kenmerk: str | None = None  # the meldpunt's reference, for the terugkoppeling
    received: datetime | None = None  # when the gemeente heard of it [default: now]
    extra: dict = field(default_factory=dict)


def is_melding(post: Post) -> bool:
    return post.source == OWN_SOURCE


def kenmerk_of(post: Post) -> str | None:
    prefix = "meldpunt/"
    return post.source_id[len(prefix) :] if post.source_id.startswith(prefix) else None


def _post(m: Melding, config: Config, now: datetime) -> tuple[Post, Analysis]:
    g = gazetteer().gemeente(m.gemeente or "")
    if g is None or g.name not in config.settings.gemeenten:
        raise MeldingError("kies een gemeente van deze installatie")
    what = " ".join((m.what or "").split())
    if not what:
        raise MeldingError("beschrijf wat er gemeld is")
    if len(what) > MAX_TEXT:
        raise MeldingError(f"de beschrijving is te lang (hoogstens {MAX_TEXT} tekens)")
    categories = [c for c in CATEGORIES if c in set(m.categories or [])]
    if not categories or len(categories) != len(set(m.categories)):
        raise MeldingError("kies minstens één soort: demonstratie, scootermeeting, supporters of incident")
    if m.via not in VIA:
        raise MeldingError("kies van wie de melding komt (een rol, geen naam)")
    kenmerk = (m.kenmerk or "").strip() or None
    if kenmerk is not None and (m.via != "meldpunt" or not KENMERK.match(kenmerk)):
        raise MeldingError(
            "een kenmerk hoort alleen bij een melding van het meldpunt: letters, cijfers, - / _ . (hoogstens 40)"
        )
    received = m.received or now
    if not now - BACK <= received <= now:
        raise MeldingError("de melding is ontvangen in de afgelopen 30 dagen, niet in de toekomst")
    if m.when is not None and (m.when.tzinfo is None or not now - BACK <= m.when <= now + AHEAD):
        raise MeldingError("het tijdstip ligt tussen 30 dagen geleden en een jaar vooruit")
    place = " ".join((m.place or "").split())[:120] or None
    # A meldpunt melding is keyed by its kenmerk: recording it twice updates it, never doubles it.
    source_id = f"meldpunt/{kenmerk}" if kenmerk else uuid.uuid4().hex
    post = Post(
        OWN_SOURCE, source_id, f"eigen melding · {m.via}", received, what, fetched_at=now, source_name=SOURCE_NAME
    )
    try:
        admit(post, now)  # the same intake as every post: bounded, account mentions pseudonymised
    except Rejected as exc:
        raise MeldingError(f"melding niet opgenomen: {exc}") from None
    announced = m.when is not None and m.when > now
    analysis = Analysis(
        post.id,
        categories,
        {c: 1.0 for c in categories},
        g.code,
        g.name,
        place,
        announced,
        m.when,
        bool(m.when is not None and m.time_known),
        [],
        OWN_MODEL,
    )
    return post, analysis


def record(store, config: Config, m: Melding, signal_id: str | None, now: datetime) -> Signal:
    """Store a melding, attached to `signal_id` or starting a signal, and return the signal as
    the detectors now see it (the next process pass ranks it among all posts again)."""

    post, analysis = _post(m, config, now)
    if signal_id:
        signal = store.get_signal(signal_id)
        if signal is None:
            raise MeldingError("dat signaal bestaat niet (meer)")
        if signal.gemeente_code != analysis.gemeente_code:
            raise MeldingError(f"dat signaal hoort bij {signal.gemeente}, de melding bij {analysis.gemeente}")
        ids = [i for i in signal.post_ids if i != post.id] + [post.id]
    else:
        signal_id, ids = signal_id_for(post.id), [post.id]
    others = store.get_posts([i for i in ids if i != post.id])
    analyses = store.get_analyses([p.id for p in others])
    pairs = [(p, analyses[p.id]) for p in others if p.id in analyses] + [(post, analysis)]
    built = build_signals(
        pairs, now, source_kinds(config), store.get_signal, {signal_id: ids}, detector_settings(config)
    )
    signal = next((s for s in built if s.signal_id == signal_id), None)
    if signal is None:
        raise MeldingError("de melding kon geen signaal vormen (controleer gemeente en soort)")
    if hasattr(store, "record_own_report"):
        store.record_own_report(post, analysis, signal)  # the board's scoped store checks the gemeente
    else:
        store.upsert_posts([post])
        store.save_analyses([analysis])
        store.upsert_signals([signal])
    return signal


def feedback_message(post: Post, text: str, gemeente: str, sender: str, recipient: str, now: datetime) -> EmailMessage:
    msg = EmailMessage()
    kenmerk = kenmerk_of(post)
    msg["Subject"] = f"Terugkoppeling melding {kenmerk}"
    msg["From"] = sender
    msg["To"] = recipient
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = make_msgid("terugkoppeling", domain=sender.rsplit("@", 1)[-1].strip(">") or "localhost")
    msg.set_content(
        f"Terugkoppeling voor de melder van melding {kenmerk} (gemeente {gemeente}, ontvangen "
        f"{nl.when(post.published_at)}).\n\n{text}\n\n"
        "Het meldpunt stuurt dit door aan de melder; Onrustradar bewaart geen gegevens van melders.\n"
    )
    return msg


def send_feedback(store, config: Config, post_id: str, text: str, now: datetime, send=None):
    """One terugkoppeling per meldpunt melding, through the outbox (exactly once)."""

    [post] = store.get_posts([post_id]) or [None]
    if post is None or not is_melding(post) or kenmerk_of(post) is None:
        raise MeldingError("alleen een melding van het meldpunt met kenmerk krijgt een terugkoppeling")
    analysis = store.get_analyses([post_id]).get(post_id)
    gemeente = analysis.gemeente if analysis else None
    address = config.settings.meldingen.meldpunt.get(gemeente or "")
    if not address:
        raise MeldingError(f"geen adres van het meldpunt ingesteld voor {gemeente} (meldingen.meldpunt)")
    text = (text or "").strip()
    if not text or len(text) > MAX_TEXT:
        raise MeldingError(f"schrijf de terugkoppeling (hoogstens {MAX_TEXT} tekens)")
    sender = config.settings.smtp.sender

    def build():
        return feedback_message(post, text, gemeente, sender, address, now), {"post": post_id}

    return deliver(
        store,
        f"terugkoppeling:{post_id}",
        "terugkoppeling",
        analysis.gemeente_code,
        [address],
        config.settings.smtp,
        build,
        send=send or smtp_send,
        now=now,
    )
