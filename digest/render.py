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
from onrustradar import nl
from onrustradar.models import CATEGORY_LABELS, Signal

TEMPLATES = Path(__file__).resolve().parent / "templates"
_env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "html.jinja"]),
                   trim_blocks=False, lstrip_blocks=False)


def _helpers() -> dict:
    return {
        "label": lambda s: " + ".join(CATEGORY_LABELS[c] for c in s.categories),
        "place": lambda s: ", ".join(p for p in (s.place, s.gemeente) if p) or "onbekende plaats",
        "when": lambda s: nl.when(s.event_start, s.time_known) if s.event_start else "",
        "category": CATEGORY_LABELS.get,
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
    context = {"d": d, "day": nl.when(d.moment, False), "chart_cid": chart_cid[1:-1], **_helpers()}
    msg.set_content(_env.get_template("digest.txt.jinja").render(**context))
    msg.add_alternative(_env.get_template("digest.html.jinja").render(**context), subtype="html")
    msg.get_payload()[1].add_related(trend_png(d.trend), maintype="image", subtype="png", cid=chart_cid,
                                     filename="trend.png")
    return msg


def alert_message(signal: Signal, link: str, sender: str, recipients: list[str], escalated: bool) -> EmailMessage:
    helpers = _helpers()
    msg = EmailMessage()
    prefix = "Opgeschaald" if escalated else "Urgent"
    msg["Subject"] = f"[Onrustradar] {prefix}: {helpers['label'](signal)} in {helpers['place'](signal)}"
    msg["From"] = sender
    msg["To"] = ", ".join(recipients)
    msg["Message-ID"] = make_msgid("alert", domain=_domain(sender))
    msg.set_content(_env.get_template("alert.txt.jinja").render(s=signal, link=link, escalated=escalated, **helpers))
    return msg
