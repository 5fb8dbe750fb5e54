"""Opdrachten (watches): what is monitored, why, and until when. Analists add and renew
watches; a watch cannot be saved without purpose, legal basis, aanleiding, owner, gemeenten
and expiry; every change is written to the watches file and the audit trail."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import streamlit as st

from dashboard.auth import record
from dashboard.common import current_user, md_escape
from onrustradar.config import load_config
from onrustradar.config import watches as watch_files
from onrustradar.core import nl
from onrustradar.core.models import CATEGORIES
from onrustradar.governance.access import allowed


def _visible(config, user) -> list:
    # Only the watches of the user's own gemeenten.
    return [w for w in load_config(config.path).settings.watches if set(w.gemeenten) & set(user.gemeenten)]


def expiry_banner(config, user) -> None:
    today = watch_files.today_local()
    for watch in _visible(config, user):
        if not watch.active(today):
            st.error(
                f"Opdracht **{md_escape(watch.name)}** is verlopen op {watch.expires:%d-%m-%Y}: de bronnen ervan "
                "worden niet meer opgehaald."
            )
        elif watch.expires_within(today):
            days = (watch.expires - today).days
            st.warning(
                f"Opdracht **{md_escape(watch.name)}** verloopt over {nl.plural(days, 'dag', 'dagen')} "
                f"({watch.expires:%d-%m-%Y}). "
                "Verleng hem onder Opdrachten als de aanleiding er nog is."
            )


def page(config, user) -> None:
    today = watch_files.today_local()
    watches = _visible(config, user)
    rows = [
        {
            "opdracht": w.name,
            "doel": w.purpose,
            "aanleiding": w.aanleiding,
            "grondslag": w.legal_basis,
            "eigenaar": w.owner,
            "gemeenten": ", ".join(w.gemeenten),
            "einddatum": nl.date(w.expires),
            "status": "verlopen"
            if not w.active(today)
            else ("verloopt binnenkort" if w.expires_within(today) else "actief"),
            "bronnen": len(w.sources),
            "trefwoordenlijsten": ", ".join(w.keywords),
        }
        for w in watches
    ]
    if rows:
        st.dataframe(pd.DataFrame(rows), hide_index=True)
    else:
        st.caption("Geen opdrachten voor uw gemeenten.")
    for w in watches:
        if w.renewals:
            with st.expander(f"Verlengingen van {md_escape(w.name)}"):
                for r in w.renewals:
                    st.text(
                        f"{nl.date(r.on)} · {r.by} · {nl.date(r.previous_expiry)} → {nl.date(r.new_expiry)} · "
                        f"{r.reason}"
                    )
    if not allowed(user, "watches.edit"):
        return
    path = config.watches_path
    if path is None:
        st.caption("Opdrachten staan alleen in de configuratie (geen watches_file): wijzigen via de beheerder.")
        return
    filed = {w.name for w in (watch_files.load_watches_file(path).watches if path.exists() else [])}
    st.markdown("**Verlengen**")
    renewable = [w.name for w in watches if w.name in filed]
    if renewable:
        name = st.selectbox("Opdracht", renewable, key="w_renew_name", placeholder="kies een opdracht")
        until = st.date_input(
            "Nieuwe einddatum", value=today + timedelta(days=90), key="w_renew_until", format="DD-MM-YYYY"
        )
        reason = st.text_input("Waarom is deze opdracht nog nodig?", key="w_renew_reason")
        if st.button("Verlengen", key="w_renew"):
            try:
                watch_files.renew(path, name, until, current_user(), reason, today)
                load_config(config.path)  # the renewed file must still be a valid config
            except (ValueError, KeyError) as exc:
                record("watch.renew", name, "geweigerd", str(exc))
                st.error(str(exc))
            else:
                record("watch.renew", name, "ok", {"until": until.isoformat(), "reason": reason})
                st.success(f"Opdracht {name} verlengd tot {until:%d-%m-%Y}.")
    st.markdown("**Nieuwe opdracht**")
    with st.form("w_new"):
        values = {
            "name": st.text_input("Naam (letters, cijfers, - of _)", key="w_new_name"),
            "purpose": st.text_area("Doel", key="w_new_purpose"),
            "legal_basis": st.text_input("Grondslag", key="w_new_basis"),
            "aanleiding": st.text_area("Aanleiding (de concrete reden nu)", key="w_new_aanleiding"),
            "owner": st.text_input("Eigenaar", key="w_new_owner"),
            "gemeenten": st.multiselect(
                "Gemeenten", list(user.gemeenten), key="w_new_gemeenten", placeholder="kies gemeenten"
            ),
            "expires": st.date_input(
                "Einddatum", value=today + timedelta(days=90), key="w_new_expires", format="DD-MM-YYYY"
            ),
            "sources": st.multiselect(
                "Bronnen", [s.name for s in config.settings.sources], key="w_new_sources", placeholder="kies bronnen"
            ),
            "keywords": st.multiselect(
                "Trefwoordenlijsten", list(CATEGORIES), key="w_new_keywords", placeholder="kies lijsten"
            ),
        }
        if st.form_submit_button("Opslaan", key="w_new_save"):
            _add(config, path, values)


def _add(config, path, values: dict) -> None:
    from pydantic import ValidationError

    try:
        watch = watch_files.Watch.model_validate(values)
        if watch.expires <= watch_files.today_local():
            raise ValueError("de einddatum moet in de toekomst liggen")
        watch_files.add(path, watch)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"])
        record("watch.add", values.get("name") or "-", "geweigerd", f"{field}: {err['msg']}")
        st.error(f"Niet opgeslagen: {field} — {err['msg'].removeprefix('Value error, ')}")
        return
    except ValueError as exc:
        record("watch.add", values.get("name") or "-", "geweigerd", str(exc))
        st.error(f"Niet opgeslagen: {exc}")
        return
    record("watch.add", watch.name, "ok", {"gemeenten": watch.gemeenten, "expires": watch.expires.isoformat()})
    st.success(f"Opdracht {watch.name} opgeslagen.")
