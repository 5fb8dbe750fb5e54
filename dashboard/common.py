"""What every board page shares: the config and store of this board, who is looking, and
safe rendering helpers. Post text is only ever shown with st.text (never Markdown/HTML)."""

from __future__ import annotations

import argparse
import html
import sys
from urllib.parse import urlencode

import streamlit as st

from onrustradar.config import load_config
from onrustradar.core.gazetteer import gazetteer
from onrustradar.core.nl import number
from store import open_store

ICONS = {"demonstratie": "📢", "scootermeeting": "🛵", "supporters": "⚽", "incident": "🚨"}
# One colour per category on every page: rows, map, legend and charts.
COLORS = {"demonstratie": "#1f77b4", "scootermeeting": "#ff7f0e", "supporters": "#2ca02c", "incident": "#d62728"}

# What a score means. It has no fixed upper bound: severity of the category x how soon x
# independent sources x reach x a rising burst x confirmation (detectors/signals.py).
SCORE_BANDS = ((100.0, "hoog"), (40.0, "middel"), (0.0, "laag"))
REACH_HELP = (
    "Bereik: de weergaven en doorsturingen van de berichten bij elkaar opgeteld, voor zover de bron "
    "die laat zien (Telegram wel, nieuwsfeeds niet). Het is geen aantal unieke personen: één persoon "
    "kan meerdere berichten zien."
)


def score_band(score: float) -> str:
    return next(label for bound, label in SCORE_BANDS if score >= bound)


def score_help(alert_threshold: float) -> str:

    return (
        "Score: hoe dringend dit signaal aandacht vraagt, zonder vaste bovengrens (meestal 0 tot 200). "
        "De basis is de ernst van de categorie; de score stijgt als het binnenkort plaatsvindt, als meer "
        "onafhankelijke bronnen het melden, bij groot bereik, bij een plotselinge piek in berichten en als "
        "het bevestigd is, en zakt als het voorbij is. Onder 40 laag, 40 tot 100 middel, vanaf 100 hoog; "
        f"vanaf {number(alert_threshold)} gaat er direct een urgente melding per e-mail uit."
    )


# Characters Markdown (and Streamlit's extensions: :red[], $math$) would read as syntax. The
# board's own HTML goes through st.markdown, so outside values get them as numeric entities:
# the browser shows the same character, no parser sees syntax.
_MARKDOWN = str.maketrans({c: f"&#{ord(c)};" for c in "[]()*_`~$#!|:\\{}+-=^@"})  # @: no mail autolink


def h(text) -> str:
    """Escape a value for the HTML the board writes itself (names, places, ids): never markup,
    neither HTML nor Markdown."""
    return html.escape(str(text), quote=True).translate(_MARKDOWN)


def board_link(params: dict[str, str]) -> str:
    """An absolute link to this board with these query parameters (relative when the
    browser's address is not known, as in tests)."""
    base = None
    try:
        base = st.context.url
    except Exception:  # outside a browser session
        base = None
    return (base or "./") + ("?" + urlencode(params) if params else "")


def config_path() -> str | None:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--config")
    args, _ = parser.parse_known_args(sys.argv[1:])
    return args.config


@st.cache_resource
def resources(path: str | None):
    config = load_config(path)
    return config, open_store(config.settings)


def current_user() -> str:
    """The signed-in person (e-mail from the identity provider) or 'demo' in demo mode."""
    user = st.session_state.get("_user")
    return user.id if user else "onbekend"


def session_user():
    return st.session_state.get("_user")


def md_escape(text: str) -> str:
    """Escape text for use inside st.markdown (names from config and gazetteer only)."""
    return "".join("\\" + ch if ch in "\\`*_{}[]()#+-.!|<>~:$=^" else ch for ch in text)


def codes(names: list[str]) -> frozenset[str]:
    return frozenset(gazetteer().gemeente(n).code for n in names)
