"""Trends: posts per day per category (every day shown, a quiet day as zero), this week
against the four weeks before, and the same split per gemeente — the analysed trend
information a mayor asks for."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
import streamlit as st

from dashboard import charts
from dashboard.common import codes
from detectors.trends import weekly
from onrustradar.core import nl
from onrustradar.core.gazetteer import gazetteer
from onrustradar.core.models import CATEGORY_LABELS

DAYS = 35


def weekly_table(counts, today) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "categorie": CATEGORY_LABELS[t.category],
                "deze week": t.this_week,
                "gemiddeld 4 weken ervoor": nl.number(t.before_avg, 1),
                "verandering": t.change,
            }
            for t in weekly(counts, today)
        ]
    )


def bursts(frame: pd.DataFrame) -> list[str]:
    """Days on which a category had more than 3× its average of the week before."""
    out = []
    table = frame.groupby(["dag", "categorie"])["berichten"].sum().unstack(fill_value=0)
    for column in table.columns:
        series = table[column]
        baseline = series.shift(1).rolling(7, min_periods=3).mean()
        for day, value in series.items():
            base = baseline.get(day)
            if base is not None and base == base and value >= 3 and value > 3 * max(base, 0.5):
                out.append(
                    f"{nl.day_heading(day.date())}: {column} {nl.plural(int(value), 'bericht', 'berichten')} "
                    f"({nl.number(value / max(base, 0.5))}× normaal)"
                )
    return out


def page(store, gemeenten) -> None:
    now = datetime.now(UTC)
    today = nl.local(now).date()
    wanted = codes(gemeenten)
    counts = store.daily_counts(now - timedelta(days=DAYS), sorted(wanted))
    names = {c: gazetteer().gemeenten[c].name for c in wanted}
    frame = charts.daily_frame(
        [c for c in counts if c.gemeente_code in wanted], today - timedelta(days=DAYS - 1), today, names
    )
    st.markdown("**Deze week tegenover de vier weken ervoor**")
    st.dataframe(weekly_table(counts, today), hide_index=True)
    if not counts:
        st.info("Nog geen relevante berichten in de afgelopen vijf weken.")
        return
    st.markdown(
        f"**Berichten per dag** ({nl.date(today - timedelta(days=DAYS - 1))} t/m {nl.date(today)}, "
        "alle gekozen gemeenten samen)"
    )
    st.altair_chart(charts.per_day(frame), use_container_width=True)
    if len(wanted) > 1:
        st.markdown("**Per gemeente**")
        st.altair_chart(charts.per_day(frame, by_gemeente=True))
    marks = bursts(frame)
    if marks:
        st.markdown("**Pieken**")
        for mark in marks:
            st.text("📈 " + mark)
