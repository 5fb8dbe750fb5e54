"""Digest and alert as e-mail messages: multipart (plain text + HTML with the trend chart
inline), built with jinja2 templates. HTML autoescaping makes everything that came from a post
inert: no markup, no links, no images can be injected."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from digest.chart import trend_png
from digest.compose import Digest
from onrustradar.core import nl
from onrustradar.core.models import CATEGORY_LABELS, Signal

TEMPLATES = Path(__file__).resolve().parent / "templates"
_env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html", "html.jinja"]),
    trim_blocks=False,
    lstrip_blocks=False,
)


def _signal(item) -> Signal:
    """A Signal, or the Signal inside a view of it (digest.views.SignalView)."""
    return getattr(item, "signal", item)


def _when(item) -> str:
    """When the signal's event starts, in words; empty when it has no known start."""
    signal = _signal(item)
    return nl.when(signal.event_start, signal.time_known) if signal.event_start else ""


def _helpers() -> dict:
    return {
        "label": lambda s: " + ".join(CATEGORY_LABELS[c] for c in _signal(s).categories),
        "place": lambda s: ", ".join(p for p in (_signal(s).place, _signal(s).gemeente) if p) or "onbekende plaats",
        "when": _when,
        "category": CATEGORY_LABELS.get,
        # Counts always carry their noun: "8 berichten", never a bare 8.
        "count": nl.plural,
    }


def _domain(sender: str) -> str:
    return sender.rsplit("@", 1)[-1].strip(">") or "localhost"


def digest_message(d: Digest, sender: str, recipients: list[str]) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = f"Onrustradar dagoverzicht {d.gemeente} {d.day:%d-%m-%Y}"
    msg["From"] = sender
    msg["To"] = ", ".join(recipients)
    msg["Date"] = format_datetime(d.moment)
    msg["Message-ID"] = make_msgid("digest", domain=_domain(sender))
    chart_cid = make_msgid("trend", domain=_domain(sender))
    window = f"{nl.when(d.start)} tot {nl.when(d.moment)}"
    context = {
        "d": d,
        "day": nl.when(d.moment, False),
        "window": window,
        "chart_cid": chart_cid[1:-1],
        "numbers": lambda items: ", ".join(str(d.number(v)) for v in items),
        **_helpers(),
    }
    msg.set_content(_env.get_template("digest.txt.jinja").render(**context))
    msg.add_alternative(_env.get_template("digest.html.jinja").render(**context), subtype="html")
    # The HTML alternative (the second part) carries the chart it shows inline.
    list(msg.iter_parts())[1].add_related(
        trend_png(d.trend), maintype="image", subtype="png", cid=chart_cid, filename="trend.png"
    )
    return msg


def alert_message(
    signal: Signal, link: str, sender: str, recipients: list[str], escalated: bool, summary: str
) -> EmailMessage:
    helpers = _helpers()
    msg = EmailMessage()
    prefix = "Opgeschaald" if escalated else "Urgent"
    msg["Subject"] = f"[Onrustradar] {prefix}: {helpers['label'](signal)} in {helpers['place'](signal)}"
    msg["From"] = sender
    msg["To"] = ", ".join(recipients)
    msg["Message-ID"] = make_msgid("alert", domain=_domain(sender))
    msg.set_content(
        _env.get_template("alert.txt.jinja").render(
            s=signal, link=link, escalated=escalated, summary=summary, **helpers
        )
    )
    return msg


def report_message(b, pdf: bytes, filename: str, sender: str, recipients: list[str]) -> EmailMessage:
    """The periodic briefing: a short plain-text cover with the PDF attached."""
    msg = EmailMessage()
    msg["Subject"] = f"Onrustradar {b.title.lower()} {b.gemeente.name} t/m {nl.local(b.end):%d-%m-%Y}"
    msg["From"] = sender
    msg["To"] = ", ".join(recipients)
    msg["Date"] = format_datetime(b.built)
    msg["Message-ID"] = make_msgid("report", domain=_domain(sender))
    msg.set_content(_env.get_template("report.txt.jinja").render(b=b, **_helpers()))
    msg.add_attachment(pdf, maintype="application", subtype="pdf", filename=filename)
    return msg
