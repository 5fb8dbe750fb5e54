"""Kaart: the signals of the selection on a map of gemeente outlines (dashboard.geo), the
user's gemeenten highlighted, coloured by category with a Dutch legend; a marker's tooltip
says what, where, when and how reliable, and clicking it opens the signal."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from dashboard import geo, urlstate
from dashboard.common import COLORS, ICONS, codes, h
from dashboard.signals_page import query_for
from onrustradar.core import nl
from onrustradar.core.models import CATEGORY_LABELS


def markers(signals, view, now: datetime) -> tuple[list[geo.Marker], list]:
    """Markers for the signals that have a place; and the signals without one."""
    out, missing = [], []
    for s in signals:
        where = geo.point(s.gemeente_code, s.place)
        if where is None:
            missing.append(s)
            continue
        lat, lon, approximate = where
        place = (s.place or s.gemeente or "onbekend") + (
            " (bij benadering: punt van de gemeente)" if approximate and s.place else ""
        )
        if s.event_start is not None:
            when = ("aangekondigd voor " if s.announced and s.event_start > now else "op ") + nl.when(
                s.event_start, s.time_known
            )
        else:
            when = "laatst " + nl.when(s.last_seen)
        lines = (
            " + ".join(CATEGORY_LABELS[c] for c in s.categories),
            f"{s.gemeente or ''} · {place}".strip(" ·"),
            when,
            s.reliability,
        )
        href = "?" + urlencode(urlstate.to_params(replace(view, page="Signalen", signal=s.signal_id)))
        out.append(geo.Marker(s.signal_id, s.categories[0], lat, lon, approximate, lines, href))
    return out, missing


def legend(tiles_attribution: str) -> str:
    items = "".join(
        f'<span style="margin-right:1.1rem;white-space:nowrap"><span style="color:{color};'
        f'font-size:1.2rem">●</span> {ICONS[c]} {h(CATEGORY_LABELS[c])}</span>'
        for c, color in COLORS.items()
    )
    watched = (
        '<span style="margin-right:1.1rem"><span style="display:inline-block;width:1rem;height:.7rem;'
        'background:#fff4c2;border:2px solid #8a6d00;vertical-align:middle"></span> uw gemeenten</span>'
    )
    source = "Gemeentegrenzen: Bron: CBS (via PDOK, CC BY 4.0)" + (
        f" · Achtergrond: {h(tiles_attribution)}" if tiles_attribution else ""
    )
    return (
        f'<div class="or-legend" style="font-size:.9rem">{items}{watched}</div>'
        f'<div style="font-size:.75rem;color:#666">{source}. Klik op een punt om het signaal te openen; '
        f"punten op dezelfde plek staan in een kring eromheen.</div>"
    )


def page(store, view, user, config) -> None:
    now = datetime.now(UTC)
    signals = store.query_signals(query_for(view, user))
    found, missing = markers(signals, view, now)
    board = config.settings.board
    watched = sorted(codes(view.gemeenten or list(user.gemeenten)))
    st.markdown(legend(board.map_attribution), unsafe_allow_html=True)
    st.html(geo.embed(geo.MAP_STYLE + geo.svg(found, watched, board.map_tiles)), unsafe_allow_javascript=True)
    if not found:
        st.info("Geen signalen met een plaats voor deze selectie.")
    if missing:
        st.caption(f"{nl.plural(len(missing), 'signaal', 'signalen')} zonder bekende plaats staan niet op de kaart.")
    if found:
        by_id = {s.signal_id: s for s in signals}
        rows = [
            {
                "categorie": m.lines[0],
                "gemeente": by_id[m.signal_id].gemeente,
                "plaats": m.lines[1],
                "wanneer": m.lines[2],
                "betrouwbaarheid": m.lines[3],
                "score": nl.number(by_id[m.signal_id].score),
            }
            for m in found
        ]
        st.dataframe(pd.DataFrame(rows), hide_index=True)
