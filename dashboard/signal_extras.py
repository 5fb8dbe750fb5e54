"""On the Signaal page: the one line that says what happened, and the PDF briefing of this
signal (kept in one helper so the page can move it)."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from dashboard.auth import record
from dashboard.common import resources
from detectors.summary import summarize
from digest.briefing import signal_briefing
from digest.pdf import render
from onrustradar.config import source_kinds


def summary_and_briefing(store, signal) -> None:

    config, _ = resources(st.session_state["_config_path"])
    kind = source_kinds(config)
    posts = store.get_posts(signal.post_ids)
    st.text("Wat er gebeurde: " + summarize(signal, posts, kind, store.get_analyses([p.id for p in posts])))
    key = f"pdf-{signal.signal_id}"
    cols = st.columns([2, 2, 3])
    if cols[0].button("PDF-briefing maken", key=f"make-{key}"):
        briefing = signal_briefing(store, config, signal.signal_id, kind, datetime.now(UTC))
        if briefing is not None:
            record("signal.report", signal.signal_id)  # it quotes the signal's posts: recorded
            st.session_state[key] = render(briefing)
    if st.session_state.get(key):
        cols[1].download_button(
            "Download PDF",
            st.session_state[key],
            file_name=f"signaal-{signal.signal_id}.pdf",
            mime="application/pdf",
            key=f"download-{key}",
        )
    cols[2].button(
        "Eigen melding toevoegen", key=f"melding-{signal.signal_id}", on_click=_to_meldingen, args=(signal.signal_id,)
    )
    if st.session_state.pop("_to_meldingen", False):
        st.rerun()  # the whole page: the button sits in the Signalen fragment


def _to_meldingen(signal_id: str) -> None:
    st.session_state["m_signal_preset"] = signal_id
    st.session_state["page"] = "Meldingen"
    st.session_state["_to_meldingen"] = True
