"""The board for the OOV-medewerker: ranked signals per gemeente, with the reason and the
evidence one click away; map, trends, keyword tuning and source health beside it.
Everything reads through the store interface.

Started by `onrustradar board` (streamlit run dashboard/app.py -- --config PATH).
"""

from __future__ import annotations

import streamlit as st

from dashboard import keywords_page, map_page, signals_page, sources_page, trends_page
from dashboard.common import config_path, resources
from onrustradar.config import ConfigError, resolve_config_path
from onrustradar.models import CATEGORIES, CATEGORY_LABELS, RELIABILITY, SIGNAL_STATUSES

PERIODS = {"24 uur": 1, "7 dagen": 7, "30 dagen": 30}
PAGES = ("Signalen", "Kaart", "Trends", "Trefwoorden", "Bronnen")


def main() -> None:
    st.set_page_config(page_title="Onrustradar", page_icon="📡", layout="wide")
    try:
        config, store = resources(str(resolve_config_path(config_path()).resolve()))
    except ConfigError as exc:
        st.error(f"Configuratiefout: {exc}")
        return
    # A link from the digest or an alert (?signal=ID) opens that signal.
    linked = st.query_params.get("signal")
    if linked and st.session_state.get("linked") != linked:
        st.session_state["linked"] = st.session_state["selected"] = linked
    with st.sidebar:
        st.markdown("### 📡 Onrustradar")
        page = st.radio("Pagina", PAGES, key="page")
        gemeenten = st.multiselect("Gemeente", config.settings.gemeenten, default=config.settings.gemeenten,
                                   key="f_gemeente", placeholder="alle gemeenten")
        if page in ("Signalen", "Kaart"):
            categories = st.multiselect("Categorie", CATEGORIES, format_func=CATEGORY_LABELS.get, key="f_categorie",
                                        placeholder="alle categorieën")
            reliability = st.multiselect("Betrouwbaarheid", RELIABILITY, key="f_betrouwbaarheid", placeholder="alle")
            statuses = st.multiselect("Status", SIGNAL_STATUSES, default=["nieuw", "in behandeling"], key="f_status",
                                      placeholder="alle statussen")
            period = st.selectbox("Periode", list(PERIODS), index=1, key="f_periode")
    st.title(f"Onrustradar — {page.lower()}")

    if page == "Signalen":
        # Only this fragment reruns on the refresh interval: filters, selection and scroll stay.
        @st.fragment(run_every=config.settings.board.refresh_seconds)
        def live() -> None:
            selected = st.session_state.get("selected")
            if selected:
                signals_page.signal_detail(store, selected)
            else:
                signals_page.signal_list(store, gemeenten, categories, reliability, statuses, PERIODS[period])

        live()
    elif page == "Kaart":
        map_page.page(store, gemeenten, categories, reliability, statuses, PERIODS[period])
    elif page == "Trends":
        trends_page.page(store, gemeenten)
    elif page == "Trefwoorden":
        keywords_page.page(store, config)
    else:
        sources_page.page(store, config)


main()
