"""The board for the OOV-medewerker: signals per gemeente as an agenda, with the reason and
the evidence one click away; map, trends, search, keyword tuning, watches, sources and privacy
beside it.

Every visitor signs in (dashboard.auth); each page and action checks the role, and all reads
go through a ScopedStore holding only the user's gemeenten. The URL always names the page, the
open signal, the filters and the sort order (dashboard.urlstate), so every view can be shared.

Started by `onrustradar board` (streamlit run dashboard/app.py -- --config PATH).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import streamlit as st

from dashboard import (
    agenda,
    keywords_page,
    map_page,
    meldingen_page,
    privacy_page,
    search_page,
    signals_page,
    sources_page,
    trends_page,
    urlstate,
    watches_page,
)
from dashboard.auth import guard, record, sign_in
from dashboard.common import config_path, resources
from onrustradar.config import ConfigError, resolve_config_path
from onrustradar.core.models import CATEGORIES, CATEGORY_LABELS, RELIABILITY, SIGNAL_STATUSES
from onrustradar.governance.access import allowed
from onrustradar.governance.audit import AuditError, audit_log_for
from onrustradar.service.scoped import ScopedStore

PERIODS = urlstate.PERIODS
# page -> the action it needs
PAGES = {
    "Signalen": "signals.view",
    "Kaart": "signals.view",
    "Trends": "signals.view",
    "Zoeken": "posts.search",
    "Meldingen": "meldingen.add",
    "Trefwoorden": "keywords.edit",
    "Opdrachten": "watches.view",
    "Bronnen": "sources.view",
    "Privacy": "audit.view",
}
FILTER_KEYS = ("f_gemeente", "f_categorie", "f_betrouwbaarheid", "f_status", "f_periode", "f_sortering", "f_toegewezen")
VISIT_WRITE_EVERY = timedelta(minutes=1)


def _sync_from_url(pages: list[str], user) -> None:
    """A URL the session has not applied yet (a shared link, a digest link, a bookmark, or
    the first load) sets the page, the open signal and the filters."""
    params = st.query_params.to_dict()
    if st.session_state.get("_url") == params:
        return
    urlstate.to_state(
        urlstate.parse(params, pages, list(user.gemeenten)),
        st.session_state,
        given=params if "_url" not in st.session_state else None,
    )
    st.session_state["_url"] = params


def _sync_to_url(pages: list[str]) -> None:
    """After drawing: the URL names what is on screen now."""
    params = urlstate.to_params(urlstate.from_state(st.session_state, pages))
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)
    st.session_state["_url"] = params


def _since_last_visit(store, user) -> datetime | None:
    """The moment since which signals are marked new or changed for this user."""
    now = datetime.now(UTC)
    visit = st.session_state.get("_visit")
    if visit is None:
        visit = agenda.next_visit(store.last_visit(user.id), user.id, now)
        store.set_visit(visit)
    elif now - visit.seen > VISIT_WRITE_EVERY:
        visit.seen = now
        store.set_visit(visit)
    st.session_state["_visit"] = visit
    return visit.since


def _page_changed() -> None:
    st.session_state.pop("selected", None)  # another page: no signal stays open behind it


def main() -> None:
    st.set_page_config(page_title="Onrustradar", page_icon="📡", layout="wide")
    path = str(resolve_config_path(config_path()).resolve())
    try:
        config, full_store = resources(path)
    except ConfigError as exc:
        st.error("Configuratiefout:")
        st.text(str(exc))
        return
    try:
        # Every action on a page is recorded after it happens: if the audit trail could not take
        # that row (a torn line, no key, rows cut off), no page acts at all.
        audit_log_for(config, full_store).ready()
    except AuditError as exc:
        st.error("Het bord is gestopt: de audittrail kan geen handelingen vastleggen.")
        st.text(str(exc))
        return
    user = sign_in(config)
    if user is None:
        return
    st.session_state["_user"], st.session_state["_config_path"] = user, path
    store = ScopedStore(full_store, user.gemeente_codes)
    pages = [p for p, action in PAGES.items() if allowed(user, action)]
    _sync_from_url(pages, user)
    for key in FILTER_KEYS:  # keep filters while a page without them is shown
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]
    with st.sidebar:
        st.markdown("### 📡 Onrustradar")
        st.text(f"{user.id} · {user.role_label}")
        if not user.demo and st.button("Afmelden", key="logout"):
            record("signout", user.id)
            st.logout()
        page = st.radio("Pagina", pages, key="page", on_change=_page_changed)
        st.multiselect("Gemeente", list(user.gemeenten), key="f_gemeente", placeholder="alle gemeenten")
        if page in ("Signalen", "Kaart"):
            st.multiselect(
                "Categorie",
                CATEGORIES,
                format_func=CATEGORY_LABELS.get,
                key="f_categorie",
                placeholder="alle categorieën",
            )
            st.multiselect("Betrouwbaarheid", RELIABILITY, key="f_betrouwbaarheid", placeholder="alle")
            st.multiselect("Status", SIGNAL_STATUSES, key="f_status", placeholder="alle statussen")
            st.selectbox("Periode", list(PERIODS), key="f_periode", placeholder="kies een periode")
            st.radio(
                "Toegewezen",
                list(urlstate.ASSIGNED),
                format_func=urlstate.ASSIGNED.get,
                key="f_toegewezen",
                horizontal=True,
            )
        if page == "Signalen":
            st.selectbox(
                "Volgorde",
                list(urlstate.SORTS),
                format_func=urlstate.SORTS.get,
                key="f_sortering",
                placeholder="kies een volgorde",
            )
    view = urlstate.from_state(st.session_state, pages)
    gemeenten = view.gemeenten or list(user.gemeenten)
    # room for the compact rows: less padding, a smaller title
    st.markdown(
        "<style>.block-container{padding:2.5rem 1.8rem 2rem 1.8rem;max-width:none}"
        "h1{font-size:1.9rem !important;padding:.2rem 0 .4rem 0 !important}</style>",
        unsafe_allow_html=True,
    )
    st.title(f"Onrustradar — {page.lower()}")
    if allowed(user, "watches.view"):
        watches_page.expiry_banner(config, user)
    if not guard(config, user, PAGES[page], page):
        _sync_to_url(pages)
        return

    if page == "Signalen":
        since = _since_last_visit(store, user)

        # Only this fragment reruns on the refresh interval: filters, selection and scroll stay.
        @st.fragment(run_every=config.settings.board.refresh_seconds)
        def live() -> None:
            selected = st.session_state.get("selected")
            if selected:
                signals_page.signal_detail(store, selected, user, config)
            else:
                signals_page.signal_list(store, view, user, config, since)

        live()
    elif page == "Kaart":
        map_page.page(store, view, user, config)
    elif page == "Trends":
        trends_page.page(store, gemeenten)
    elif page == "Zoeken":
        search_page.page(store, gemeenten, user)
    elif page == "Meldingen":
        meldingen_page.page(store, config, user)
    elif page == "Trefwoorden":
        keywords_page.page(store, config)
    elif page == "Opdrachten":
        watches_page.page(config, user)
    elif page == "Bronnen":
        sources_page.page(store, config)
    else:
        privacy_page.page(full_store, config, user)
    _sync_to_url(pages)


main()
