"""The board for the OOV-medewerker: ranked signals per gemeente, with the reason and the
evidence one click away. Everything reads through the store interface.

Started by `onrustradar board` (streamlit run dashboard/app.py -- --config PATH).
Post text is always shown as plain text (st.text), never as Markdown or HTML.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, timedelta, timezone

import streamlit as st

from onrustradar import nl
from onrustradar.config import ConfigError, load_config
from onrustradar.models import CATEGORIES, CATEGORY_LABELS, RELIABILITY, SIGNAL_STATUSES
from store import SignalQuery, open_store

ICONS = {"demonstratie": "📢", "scootermeeting": "🛵", "supporters": "⚽", "incident": "🚨"}
PERIODS = {"24 uur": 1, "7 dagen": 7, "30 dagen": 30}


def _config_path() -> str | None:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--config")
    args, _ = parser.parse_known_args(sys.argv[1:])
    return args.config


@st.cache_resource
def _resources(path: str | None):
    config = load_config(path)
    return config, open_store(config.settings)


def signal_list(store, config, gemeenten, categories, reliability, statuses, days) -> None:
    codes = frozenset(config_codes(config, gemeenten))
    signals = store.query_signals(SignalQuery(
        gemeente_codes=codes, categories=frozenset(categories), reliability=frozenset(reliability),
        statuses=frozenset(statuses), since=datetime.now(timezone.utc) - timedelta(days=days),
    ))
    now = datetime.now(timezone.utc)
    st.caption(f"{len(signals)} signalen · bijgewerkt {nl.local(now):%H:%M:%S}")
    if not signals:
        st.info("Geen signalen voor deze selectie.")
        return
    for signal in signals:
        with st.container(border=True):
            icons = " ".join(ICONS[c] for c in signal.categories)
            title = " + ".join(CATEGORY_LABELS[c] for c in signal.categories)
            place = signal.gemeente or "onbekende plaats"
            if signal.place:
                place += f" · {signal.place}"
            cols = st.columns([5, 2, 2])
            cols[0].markdown(f"**{icons} {title}** — {_md_escape(place)}")
            badge = "🟢 bevestigd" if signal.reliability == "bevestigd" else "🟠 onbevestigd"
            cols[1].write(badge)
            cols[2].write(f"score **{signal.score:.0f}** · {signal.status}")
            if signal.event_start:
                st.write(f"{'Aangekondigd voor' if signal.announced else 'Op'} "
                         f"{nl.when(signal.event_start, signal.time_known)} ({nl.relative(signal.event_start, now)})")
            st.caption(signal.explanation)
            if st.button("Details", key=f"open-{signal.signal_id}"):
                st.session_state["selected"] = signal.signal_id
                st.rerun()


def signal_detail(store, signal_id: str) -> None:
    signal = store.get_signal(signal_id)
    if signal is None:
        st.warning("Dit signaal bestaat niet (meer).")
        return
    if st.button("← Terug naar de lijst"):
        st.session_state.pop("selected", None)
        st.rerun()
    st.subheader(" + ".join(CATEGORY_LABELS[c] for c in signal.categories) + f" — {signal.gemeente or 'onbekend'}")
    st.write(f"Betrouwbaarheid: **{signal.reliability}** · status: **{signal.status}** · score {signal.score:.0f}")
    st.caption(signal.explanation)
    posts = store.get_posts(signal.post_ids)
    st.markdown(f"**Berichten ({len(posts)})**")
    for post in posts:
        with st.container(border=True):
            st.caption(f"{post.source} · {post.channel} · {nl.when(post.published_at)}"
                       + (f" · auteur {post.author}" if post.author else "")
                       + (f" · doorgestuurd van {post.forwarded_from}" if post.forwarded_from else ""))
            st.text(post.text)  # plain text: a post can contain markup, it must stay inert
            if post.url and post.url.startswith(("http://", "https://")):
                st.link_button("Origineel", post.url)


def _md_escape(text: str) -> str:
    return "".join("\\" + ch if ch in "\\`*_{}[]()#+-.!|<>~" else ch for ch in text)


def config_codes(config, names) -> list[str]:
    from onrustradar.gazetteer import gazetteer

    return [gazetteer().gemeente(n).code for n in names]


def main() -> None:
    st.set_page_config(page_title="Onrustradar", page_icon="📡", layout="wide")
    try:
        config, store = _resources(_config_path())
    except ConfigError as exc:
        st.error(f"Configuratiefout: {exc}")
        return
    st.title("Onrustradar — signalen")
    with st.sidebar:
        gemeenten = st.multiselect("Gemeente", config.settings.gemeenten, default=config.settings.gemeenten,
                                   key="f_gemeente")
        categories = st.multiselect("Categorie", CATEGORIES, format_func=CATEGORY_LABELS.get, key="f_categorie")
        reliability = st.multiselect("Betrouwbaarheid", RELIABILITY, key="f_betrouwbaarheid")
        statuses = st.multiselect("Status", SIGNAL_STATUSES, default=["nieuw", "in behandeling"], key="f_status")
        period = st.selectbox("Periode", list(PERIODS), index=1, key="f_periode")
    selected = st.session_state.get("selected")

    @st.fragment(run_every=config.settings.board.refresh_seconds)
    def live() -> None:
        if selected:
            signal_detail(store, selected)
        else:
            signal_list(store, config, gemeenten, categories, reliability, statuses, PERIODS[period])

    live()


main()
