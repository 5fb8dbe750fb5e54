"""What every board page shares: the config and store of this board, who is looking, and
safe rendering helpers. Post text is only ever shown with st.text (never Markdown/HTML)."""

from __future__ import annotations

import argparse
import sys

import streamlit as st

from onrustradar.config import load_config
from onrustradar.gazetteer import gazetteer
from store import open_store

ICONS = {"demonstratie": "📢", "scootermeeting": "🛵", "supporters": "⚽", "incident": "🚨"}
COLORS = {"demonstratie": "#1f77b4", "scootermeeting": "#ff7f0e", "supporters": "#2ca02c", "incident": "#d62728"}


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


def record(action: str, object: str = "", result: str = "ok", detail=None) -> None:
    """Write what the signed-in user did to the audit trail."""
    from dashboard.auth import audit

    config, _ = resources(st.session_state["_config_path"])
    audit(config, session_user(), action, object, result, detail)


def md_escape(text: str) -> str:
    """Escape text for use inside st.markdown (names from config and gazetteer only)."""
    return "".join("\\" + ch if ch in "\\`*_{}[]()#+-.!|<>~:$=^" else ch for ch in text)


def codes(names: list[str]) -> frozenset[str]:
    return frozenset(gazetteer().gemeente(n).code for n in names)
