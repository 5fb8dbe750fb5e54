"""The board for the OOV-medewerker: ranked signals per gemeente, with the reason and the
evidence one click away; map, trends, keyword tuning, watches, sources and privacy beside it.

Every visitor signs in (dashboard.auth); each page and action checks the role, and all reads
go through a ScopedStore holding only the user's gemeenten.

Started by `onrustradar board` (streamlit run dashboard/app.py -- --config PATH).
"""

from __future__ import annotations

import streamlit as st

from dashboard import (keywords_page, map_page, meldingen_page, privacy_page, signals_page, sources_page, trends_page,
                       watches_page)
from dashboard.auth import guard, sign_in
from dashboard.common import config_path, record, resources
from onrustradar.access import allowed
from onrustradar.audit import AuditError, audit_log_for
from onrustradar.config import ConfigError, resolve_config_path
from onrustradar.models import CATEGORIES, CATEGORY_LABELS, RELIABILITY, SIGNAL_STATUSES
from store.scoped import ScopedStore

PERIODS = {"24 uur": 1, "7 dagen": 7, "30 dagen": 30}
# page -> the action it needs
PAGES = {
    "Signalen": "signals.view", "Kaart": "signals.view", "Trends": "signals.view", "Meldingen": "meldingen.add",
    "Trefwoorden": "keywords.edit", "Opdrachten": "watches.view", "Bronnen": "sources.view",
    "Privacy": "audit.view",
}


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
        # Every action on a page is recorded after it happens: if the audit trail could not
        # take that row (a torn line, no key, rows cut off), no page acts at all.
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
    # A link from the digest or an alert (?signal=ID) opens that signal.
    linked = st.query_params.get("signal")
    if linked and st.session_state.get("linked") != linked:
        st.session_state["linked"] = st.session_state["selected"] = linked
    with st.sidebar:
        st.markdown("### 📡 Onrustradar")
        st.text(f"{user.id} · {user.role_label}")
        if not user.demo and st.button("Afmelden", key="logout"):
            record("signout", user.id)
            st.logout()
        page = st.radio("Pagina", pages, key="page")
        gemeenten = st.multiselect("Gemeente", list(user.gemeenten), default=list(user.gemeenten),
                                   key="f_gemeente", placeholder="alle gemeenten")
        if page in ("Signalen", "Kaart"):
            categories = st.multiselect("Categorie", CATEGORIES, format_func=CATEGORY_LABELS.get, key="f_categorie",
                                        placeholder="alle categorieën")
            reliability = st.multiselect("Betrouwbaarheid", RELIABILITY, key="f_betrouwbaarheid", placeholder="alle")
            statuses = st.multiselect("Status", SIGNAL_STATUSES, default=["nieuw", "in behandeling"], key="f_status",
                                      placeholder="alle statussen")
            period = st.selectbox("Periode", list(PERIODS), index=1, key="f_periode")
    gemeenten = gemeenten or list(user.gemeenten)
    st.title(f"Onrustradar — {page.lower()}")
    if allowed(user, "watches.view"):
        watches_page.expiry_banner(config, user)
    if not guard(config, user, PAGES[page], page):
        return

    if page == "Signalen":
        # Only this fragment reruns on the refresh interval: filters, selection and scroll stay.
        @st.fragment(run_every=config.settings.board.refresh_seconds)
        def live() -> None:
            selected = st.session_state.get("selected")
            if selected:
                signals_page.signal_detail(store, selected, user)
            else:
                signals_page.signal_list(store, gemeenten, categories, reliability, statuses, PERIODS[period], user)

        live()
    elif page == "Kaart":
        map_page.page(store, gemeenten, categories, reliability, statuses, PERIODS[period])
    elif page == "Trends":
        trends_page.page(store, gemeenten)
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


main()
