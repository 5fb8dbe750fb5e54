"""Zoeken: one search box over posts (the store's full-text index: accents ignored, words
match as prefixes) and signals, within the user's gemeenten. Each search is a read of posts
and is written to the audit trail; every result links to its signal. There is no search by
author: the index holds post text, and handles in it were pseudonymised at intake."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import streamlit as st

from dashboard.auth import record
from dashboard.common import codes
from onrustradar.core import nl
from onrustradar.core.gazetteer import fold
from onrustradar.core.models import CATEGORY_LABELS
from store import SignalQuery

POSTS = 50
SIGNAL_WINDOW = timedelta(days=60)
MAX_QUERY = 200


def _open(signal_id: str) -> None:
    # a callback: it runs before the page is drawn again, so it may switch the page
    st.session_state["page"] = "Signalen"
    st.session_state["selected"] = signal_id


def signal_matches(signals, query: str) -> list:
    """Signals whose categories, gemeente, place or explanation hold every word of the query
    (as the start of a word, accents ignored)."""
    words = re.findall(r"\w+", fold(query))
    if not words:
        return []
    out = []
    for s in signals:
        text = fold(
            " ".join([*(CATEGORY_LABELS[c] for c in s.categories), s.gemeente or "", s.place or "", s.explanation])
        )
        tokens = re.findall(r"\w+", text)
        if all(any(t.startswith(w) for t in tokens) for w in words):
            out.append(s)
    return out


def page(store, gemeenten, user) -> None:
    query = st.text_input(
        "Zoek in berichten en signalen",
        key="q",
        max_chars=MAX_QUERY,
        placeholder="bijvoorbeeld: stadhuis, scooter, Grote Markt",
    ).strip()
    st.caption(
        "Zoekt in de tekst van berichten en in signalen van "
        + (", ".join(gemeenten) if gemeenten else "uw gemeenten")
        + "; hoofdletters en accenten tellen niet, een woord vindt ook langere woorden (scoot → scooters)."
    )
    if not query:
        return
    wanted = codes(gemeenten)
    posts = store.search_posts(query, sorted(wanted), limit=POSTS)
    since = datetime.now(UTC) - SIGNAL_WINDOW
    signals = signal_matches(store.query_signals(SignalQuery(gemeente_codes=wanted, since=since, limit=5000)), query)
    if st.session_state.get("_searched") != (query, tuple(sorted(wanted))):
        # A search reads posts: recorded like every other read (the words, not the results).
        record(
            "posts.search",
            nl.plural(len(posts), "bericht", "berichten"),
            "ok",
            {"zoekterm": query, "gemeenten": sorted(wanted), "signalen": len(signals)},
        )
        st.session_state["_searched"] = (query, tuple(sorted(wanted)))
    holders = store.signals_of_posts([p.id for p in posts])
    st.markdown(f"**Signalen ({len(signals)})**")
    if not signals:
        st.caption("Geen signalen met deze woorden.")
    for s in signals[:POSTS]:
        cols = st.columns([8, 1], vertical_alignment="center")
        when = nl.when(s.event_start, s.time_known) if s.event_start else f"laatst {nl.when(s.last_seen)}"
        cols[0].text(
            f"{' + '.join(CATEGORY_LABELS[c] for c in s.categories)} · {s.gemeente or 'onbekend'}"
            + (f" · {s.place}" if s.place else "")
            + f" · {when} · {s.reliability}"
        )
        cols[1].button("Open", key=f"zs-{s.signal_id}", on_click=_open, args=(s.signal_id,), type="tertiary")
    more = " (de nieuwste)" if len(posts) == POSTS else ""
    st.markdown(f"**Berichten ({len(posts)}{more})**")
    if not posts:
        st.caption("Geen berichten met deze woorden.")
    for post in posts:
        with st.container(border=True):
            st.text(f"{post.source} · {post.channel} · {nl.date_time(post.published_at)}")
            st.text(post.text[:1000])  # plain text, never Markdown or HTML
            held = holders.get(post.id)
            if held:
                st.button("Naar het signaal", key=f"zp-{post.id}", on_click=_open, args=(held,))
            else:
                st.caption("Dit bericht hoort (nog) bij geen signaal.")
