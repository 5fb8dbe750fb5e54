"""Charts of the board in Dutch: nl-NL number and date formats (1.234,5; 25-10), Dutch day
and month names, times in Europe/Amsterdam, and one colour per category on every page."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import altair as alt
import pandas as pd

from dashboard.common import COLORS
from onrustradar.core.models import CATEGORIES, CATEGORY_LABELS
from onrustradar.core.nl import DAY_NAMES, DAYS, MONTH_NAMES, MONTHS, local

NL_LOCALE = {
    "number": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["€ ", ""]},
    "time": {
        "dateTime": "%A %e %B %Y %X",
        "date": "%d-%m-%Y",
        "time": "%H:%M:%S",
        "periods": ["", ""],
        "days": [DAY_NAMES[6], *DAY_NAMES[:6]],  # d3 weeks start on Sunday
        "shortDays": [DAYS[6], *DAYS[:6]],
        "months": list(MONTH_NAMES),
        "shortMonths": list(MONTHS),
    },
}
# Category colours as a fixed scale: the same colour whatever categories a chart happens to hold.
CATEGORY_SCALE = alt.Scale(domain=[CATEGORY_LABELS[c] for c in CATEGORIES], range=[COLORS[c] for c in CATEGORIES])


def _wall_clock(moment: datetime) -> datetime:
    """Amsterdam wall-clock time without zone, drawn on a UTC scale so that the browser's own
    time zone cannot shift it."""
    return local(moment).replace(tzinfo=None)


def dutch(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    return chart.configure(locale=NL_LOCALE)


def timeline(times: list[datetime]) -> alt.Chart:
    """Posts per hour of a signal."""
    hours = pd.Series(1, index=pd.DatetimeIndex([_wall_clock(t) for t in times])).resample("1h").sum()
    frame = pd.DataFrame({"uur": hours.index, "berichten": hours.values})
    chart = (
        alt.Chart(frame)
        .mark_bar(color="#4c78a8")
        .encode(
            x=alt.X(
                "uur:T",
                title="tijd (Europe/Amsterdam)",
                scale=alt.Scale(type="utc"),
                axis=alt.Axis(format="%d-%m %H:%M", labelAngle=-30),
            ),
            y=alt.Y("berichten:Q", title="berichten per uur", axis=alt.Axis(format="d", tickMinStep=1)),
            tooltip=[
                alt.Tooltip("utcyearmonthdatehoursminutes(uur):T", title="uur", format="%d-%m-%Y %H:%M"),
                alt.Tooltip("berichten:Q", title="berichten", format="d"),
            ],
        )
        .properties(height=160)
    )
    return dutch(chart)


def daily_frame(counts, start: date, end: date, gemeente_names: dict[str, str] | None = None) -> pd.DataFrame:
    """Posts per day, category (and gemeente), every day from start to end present: a day
    without posts is a zero, not a gap."""
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    totals: dict[tuple, int] = {}
    for c in counts:
        gemeente = (gemeente_names or {}).get(c.gemeente_code or "", "onbekend")
        key = (date.fromisoformat(c.day), CATEGORY_LABELS.get(c.category, c.category), gemeente)
        totals[key] = totals.get(key, 0) + c.posts
    gemeenten = sorted(set((gemeente_names or {}).values()) | {k[2] for k in totals}) or ["—"]
    rows = [
        {
            "dag": pd.Timestamp(d),
            "categorie": CATEGORY_LABELS[cat],
            "gemeente": g,
            "berichten": totals.get((d, CATEGORY_LABELS[cat], g), 0),
        }
        for d in days
        for cat in CATEGORIES
        for g in gemeenten
    ]
    return pd.DataFrame(rows, columns=["dag", "categorie", "gemeente", "berichten"])


def per_day(frame: pd.DataFrame, by_gemeente: bool = False) -> alt.TopLevelMixin:
    data = frame if by_gemeente else frame.groupby(["dag", "categorie"], as_index=False)["berichten"].sum()
    chart = (
        alt.Chart(data)
        .mark_line(point=alt.OverlayMarkDef(size=18))
        .encode(
            x=alt.X("dag:T", title="dag", scale=alt.Scale(type="utc"), axis=alt.Axis(format="%d-%m", labelAngle=-30)),
            y=alt.Y("berichten:Q", title="berichten per dag", axis=alt.Axis(format="d", tickMinStep=1)),
            color=alt.Color("categorie:N", title="categorie", scale=CATEGORY_SCALE),
            tooltip=[
                alt.Tooltip("utcyearmonthdate(dag):T", title="dag", format="%d-%m-%Y"),
                alt.Tooltip("categorie:N", title="categorie"),
                alt.Tooltip("berichten:Q", title="berichten", format="d"),
            ]
            + ([alt.Tooltip("gemeente:N", title="gemeente")] if by_gemeente else []),
        )
        .properties(height=220 if not by_gemeente else 160)
    )
    if by_gemeente:
        chart = chart.properties(width=420).facet(facet=alt.Facet("gemeente:N", title=None), columns=2)
    return dutch(chart)
