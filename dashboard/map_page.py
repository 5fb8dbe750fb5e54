"""Kaart: signals at their place (woonplaats or wijk when known, else the gemeente),
coloured by category and sized by score."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pandas as pd
import streamlit as st

from dashboard.common import COLORS, codes
from onrustradar.gazetteer import fold, gazetteer
from onrustradar.models import CATEGORY_LABELS
from store import SignalQuery


def coordinates(signal) -> tuple[float, float] | None:
    gaz = gazetteer()
    if signal.place:
        for place in gaz.places:
            if place.gemeente_code == signal.gemeente_code and place.lat is not None and fold(place.name) == fold(signal.place):
                return place.lat, place.lon
    g = gaz.gemeenten.get(signal.gemeente_code or "")
    return (g.lat, g.lon) if g else None


def frame(signals) -> pd.DataFrame:
    rows = []
    for s in signals:
        point = coordinates(s)
        if point is None:
            continue
        rows.append({"lat": point[0], "lon": point[1], "color": COLORS[s.categories[0]],
                     "size": 300 + 40 * s.score, "categorie": CATEGORY_LABELS[s.categories[0]],
                     "gemeente": s.gemeente, "score": round(s.score)})
    return pd.DataFrame(rows, columns=["lat", "lon", "color", "size", "categorie", "gemeente", "score"])


def page(store, gemeenten, categories, reliability, statuses, days) -> None:
    signals = store.query_signals(SignalQuery(
        gemeente_codes=codes(gemeenten), categories=frozenset(categories), reliability=frozenset(reliability),
        statuses=frozenset(statuses), since=datetime.now(timezone.utc) - timedelta(days=days)))
    data = frame(signals)
    st.caption(" · ".join(f"{CATEGORY_LABELS[c]}: {color}" for c, color in COLORS.items()))
    if data.empty:
        st.info("Geen signalen met een plaats voor deze selectie.")
        return
    st.map(data, latitude="lat", longitude="lon", color="color", size="size")
    st.dataframe(data[["categorie", "gemeente", "score"]], hide_index=True)
