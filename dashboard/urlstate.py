"""The board's state in its URL: the page, the open signal, the filters and the sort order,
so a link names exactly what is on screen and a view can be bookmarked or shared.

Everything read from a URL is checked against what this user may choose (their pages, their
gemeenten, the known categories and statuses); anything else is ignored, never trusted. Only
values that differ from the defaults are written, so links stay short.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from onrustradar.core.models import CATEGORIES, RELIABILITY, SIGNAL_STATUSES

PAGE_SLUGS = {
    "Signalen": "signalen",
    "Kaart": "kaart",
    "Trends": "trends",
    "Zoeken": "zoeken",
    "Trefwoorden": "trefwoorden",
    "Opdrachten": "opdrachten",
    "Bronnen": "bronnen",
    "Privacy": "privacy",
}
PERIODS = {"24 uur": 1, "7 dagen": 7, "30 dagen": 30}
PERIOD_SLUGS = {"24 uur": "24u", "7 dagen": "7d", "30 dagen": "30d"}
SORTS = {
    "agenda": "agenda (komend en gebeurd)",
    "score": "score (hoogste eerst)",
    "gewijzigd": "laatst gewijzigd eerst",
}
ASSIGNED = {"": "iedereen", "ik": "aan mij", "niemand": "aan niemand"}
DEFAULT_STATUSES = ("nieuw", "in behandeling")
DEFAULT_PERIOD = "7 dagen"
SIGNAL_ID = re.compile(r"[A-Za-z0-9_.:-]{1,100}")

# session-state keys of the widgets that show each part of the view
KEYS = {
    "page": "page",
    "gemeenten": "f_gemeente",
    "categories": "f_categorie",
    "reliability": "f_betrouwbaarheid",
    "statuses": "f_status",
    "period": "f_periode",
    "sort": "f_sortering",
    "assigned": "f_toegewezen",
}


@dataclass
class View:
    page: str = "Signalen"
    signal: str | None = None
    gemeenten: list[str] = field(default_factory=list)  # empty: all of the user's gemeenten
    categories: list[str] = field(default_factory=list)
    reliability: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=lambda: list(DEFAULT_STATUSES))
    period: str = DEFAULT_PERIOD
    sort: str = "agenda"
    assigned: str = ""


def _list(value: str | None, allowed) -> list[str] | None:
    if value is None:
        return None
    wanted = [v.strip() for v in value[:2000].split(",") if v.strip()]
    allowed = list(allowed)
    return [a for a in allowed if a in wanted]  # in the board's own order, each once


def parse(params: Mapping[str, str], pages: list[str], gemeenten: list[str]) -> View:
    """The view a URL asks for, limited to what this user may see."""
    view = View(page=pages[0] if pages else "Signalen")
    slug = params.get("pagina")
    by_slug = {PAGE_SLUGS.get(p, p.lower()): p for p in pages}
    if slug in by_slug:
        view.page = by_slug[slug]
    signal = params.get("signal")
    if signal and SIGNAL_ID.fullmatch(signal) and view.page == "Signalen":
        view.signal = signal
    for name, allowed in (
        ("gemeente", gemeenten),
        ("categorie", CATEGORIES),
        ("betrouwbaarheid", RELIABILITY),
        ("status", SIGNAL_STATUSES),
    ):
        chosen = _list(params.get(name), allowed)
        if chosen is not None:
            setattr(
                view,
                {
                    "gemeente": "gemeenten",
                    "categorie": "categories",
                    "betrouwbaarheid": "reliability",
                    "status": "statuses",
                }[name],
                chosen,
            )
    period = {v: k for k, v in PERIOD_SLUGS.items()}.get(params.get("periode", ""))
    if period:
        view.period = period
    if params.get("sortering") in SORTS:
        view.sort = params["sortering"]
    if params.get("toegewezen") in ASSIGNED:
        view.assigned = params["toegewezen"]
    return view


def to_params(view: View) -> dict[str, str]:
    """The URL's query parameters for a view: only what differs from the defaults."""
    out = {"pagina": PAGE_SLUGS.get(view.page, view.page.lower())}
    if view.signal and view.page == "Signalen":
        out["signal"] = view.signal
    default = View()
    for name, attr in (
        ("gemeente", "gemeenten"),
        ("categorie", "categories"),
        ("betrouwbaarheid", "reliability"),
        ("status", "statuses"),
    ):
        value = getattr(view, attr)
        if list(value) != list(getattr(default, attr)):
            out[name] = ",".join(value)
    if view.period != default.period:
        out["periode"] = PERIOD_SLUGS[view.period]
    if view.sort != default.sort:
        out["sortering"] = view.sort
    if view.assigned:
        out["toegewezen"] = view.assigned
    return out


PARAMS = {
    "pagina": "page",
    "signal": "signal",
    "gemeente": "gemeenten",
    "categorie": "categories",
    "betrouwbaarheid": "reliability",
    "status": "statuses",
    "periode": "period",
    "sortering": "sort",
    "toegewezen": "assigned",
}


def to_state(view: View, state, given: Mapping[str, str] | None = None) -> None:
    """Put a view into the widgets' session state (before the widgets are drawn). With
    `given` (a session's first URL), only what that URL names replaces state set before."""
    named = None if given is None else {PARAMS[k] for k in given if k in PARAMS}
    for attr, key in KEYS.items():
        if named is not None and attr not in named and key in state:
            continue
        value = getattr(view, attr)
        state[key] = list(value) if isinstance(value, list) else value
    if view.signal:
        state["selected"] = view.signal
    elif named is None:
        state.pop("selected", None)


def from_state(state, pages: list[str]) -> View:
    """The view the widgets show now."""
    view = View()
    for attr, key in KEYS.items():
        if key in state:
            value = state[key]
            setattr(view, attr, list(value) if isinstance(value, (list, tuple)) else value)
    if view.page not in pages and pages:
        view.page = pages[0]
    view.signal = state.get("selected") if view.page == "Signalen" else None
    return view
