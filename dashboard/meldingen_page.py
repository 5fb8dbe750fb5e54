"""Meldingen: the OOV-medewerker records the gemeente's own information (an eigen melding from
the wijkagent, handhaving, the meldpunt or a partner), attached to a signal or starting one,
and sends a terugkoppeling for meldpunt meldingen. Who reported it is a role, never a name."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import streamlit as st

from dashboard.auth import record
from onrustradar.core import nl
from onrustradar.core.gazetteer import gazetteer
from onrustradar.core.models import CATEGORIES, CATEGORY_LABELS
from onrustradar.service import meldingen
from store import SignalQuery

NEW = "__nieuw__"
SHOWN = timedelta(days=14)


def _signal_label(signal) -> str:
    what = " + ".join(CATEGORY_LABELS[c] for c in signal.categories)
    where = ", ".join(p for p in (signal.place, signal.gemeente) if p)
    when = f" · {nl.when(signal.event_start, signal.time_known)}" if signal.event_start else ""
    return f"{what} — {where}{when} · {signal.reliability}"


def page(store, config, user) -> None:
    st.caption(
        "Leg vast wat de wijkagent, handhaving, het meldpunt of een partner meldde. Een eigen melding telt "
        "als officiële bron: het signaal wordt bevestigd. Noem geen namen van melders of betrokkenen: "
        "kies de rol."
    )
    now = datetime.now(UTC)
    gemeente = st.selectbox("Gemeente", list(user.gemeenten), key="m_gemeente")
    code = gazetteer().gemeente(gemeente).code
    signals = store.query_signals(
        SignalQuery(
            gemeente_codes=frozenset({code}),
            statuses=frozenset({"nieuw", "in behandeling"}),
            since=now - SHOWN,
            limit=200,
        )
    )
    labels = {NEW: "Nieuw signaal starten", **{s.signal_id: _signal_label(s) for s in signals}}
    preset = st.session_state.pop("m_signal_preset", None)
    if preset in labels:
        st.session_state["m_signal"] = preset
    target = st.selectbox("Koppelen aan", list(labels), format_func=labels.get, key="m_signal")
    via = st.selectbox("Van wie (rol, geen naam)", list(meldingen.VIA), format_func=meldingen.VIA.get, key="m_via")
    categories = st.multiselect("Soort", CATEGORIES, format_func=CATEGORY_LABELS.get, key="m_soort")
    what = st.text_area("Wat is er gemeld", key="m_wat", max_chars=meldingen.MAX_TEXT)
    place = st.text_input("Waar (wijk, straat of plek)", key="m_waar")
    cols = st.columns(3)
    day = cols[0].date_input("Wanneer (datum)", value=nl.local(now).date(), key="m_dag", format="DD-MM-YYYY")
    moment = cols[1].time_input("Tijd", value=time(nl.local(now).hour, 0), key="m_tijd")
    known = cols[2].checkbox("Tijd bekend", value=True, key="m_tijd_bekend")
    kenmerk = st.text_input("Kenmerk van het meldpunt (alleen bij het meldpunt)", key="m_kenmerk")
    if st.button("Melding vastleggen", key="m_opslaan", type="primary"):
        when = datetime.combine(day, moment if known else time(12, 0)).replace(tzinfo=nl.AMS)
        melding = meldingen.Melding(what, gemeente, categories, via, place or None, when, known, kenmerk or None)
        try:
            signal = meldingen.record(store, config, melding, None if target == NEW else target, now)
        except meldingen.MeldingError as exc:
            st.error(f"Niet vastgelegd: {exc}")
        else:
            record(
                "melding.add", signal.signal_id, "ok", {"via": via, "gemeente": code, "nieuw_signaal": target == NEW}
            )
            st.success(f"Melding vastgelegd bij: {_signal_label(signal)}")
    _recent(store, config, user, now)


def _recent(store, config, user, now) -> None:
    own = sorted(
        (p for p in store.iter_posts(now - SHOWN) if meldingen.is_melding(p)),
        key=lambda p: p.published_at,
        reverse=True,
    )
    st.markdown(f"**Eigen meldingen, afgelopen 14 dagen ({len(own)})**")
    if own and st.session_state.get("_meldingen_viewed") != len(own):
        record("meldingen.view", f"{len(own)} meldingen")  # the list shows their text
        st.session_state["_meldingen_viewed"] = len(own)
    analyses = store.get_analyses([p.id for p in own])
    for post in own:
        with st.container(border=True):
            a = analyses.get(post.id)
            st.text(
                f"{nl.when(post.published_at)} · {post.channel} · {a.gemeente if a else ''}"
                + (f" · kenmerk {meldingen.kenmerk_of(post)}" if meldingen.kenmerk_of(post) else "")
            )
            st.text(post.text)  # typed by a person, shown as plain text like every post
            if meldingen.kenmerk_of(post) and a and config.settings.meldingen.meldpunt.get(a.gemeente):
                text = st.text_area("Terugkoppeling voor de melder (via het meldpunt)", key=f"tk-text-{post.id}")
                if st.button("Terugkoppeling sturen", key=f"tk-{post.id}"):
                    try:
                        outcome = meldingen.send_feedback(store, config, post.id, text, now)
                    except meldingen.MeldingError as exc:
                        st.error(str(exc))
                    else:
                        record("melding.terugkoppeling", post.id, outcome.status)
                        st.info(f"Terugkoppeling: {outcome.status}")
