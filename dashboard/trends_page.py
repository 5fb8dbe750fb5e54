"""Trends: posts per day per category, and this week against the four weeks before —
the analysed trend information a mayor asks for."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pandas as pd
import streamlit as st

from dashboard.common import codes
from detectors.trends import weekly
from onrustradar.models import CATEGORY_LABELS
from onrustradar.nl import local


def weekly_table(counts, today) -> pd.DataFrame:
    return pd.DataFrame([{"categorie": CATEGORY_LABELS[t.category], "deze week": t.this_week,
                          "gemiddeld 4 weken ervoor": round(t.before_avg, 1), "verandering": t.change}
                         for t in weekly(counts, today)])


def daily(counts) -> pd.DataFrame:
    data = pd.DataFrame([{"dag": c.day, "categorie": CATEGORY_LABELS[c.category], "berichten": c.posts} for c in counts],
                        columns=["dag", "categorie", "berichten"])
    if data.empty:
        return data
    table = data.pivot_table(index="dag", columns="categorie", values="berichten", aggfunc="sum", fill_value=0)
    table.index = pd.to_datetime(table.index)
    return table


def bursts(table: pd.DataFrame) -> list[str]:
    """Days on which a category had more than 3× its average of the week before."""
    out = []
    for column in table.columns:
        series = table[column]
        baseline = series.shift(1).rolling(7, min_periods=3).mean()
        for day, value in series.items():
            base = baseline.get(day)
            if base is not None and base == base and value >= 3 and value > 3 * max(base, 0.5):
                out.append(f"{day:%a %d %b}: {column} {int(value)} berichten ({value / max(base, 0.5):.0f}× normaal)")
    return out


def page(store, gemeenten) -> None:
    now = datetime.now(timezone.utc)
    counts = store.daily_counts(now - timedelta(days=35), codes(gemeenten))
    table = daily(counts)
    st.markdown("**Deze week tegenover de vier weken ervoor**")
    st.dataframe(weekly_table(counts, local(now).date()), hide_index=True)
    if table.empty:
        st.info("Nog geen relevante berichten in de afgelopen vijf weken.")
        return
    st.markdown("**Berichten per dag**")
    st.line_chart(table)
    marks = bursts(table)
    if marks:
        st.markdown("**Pieken**")
        for mark in marks:
            st.text("📈 " + mark)
