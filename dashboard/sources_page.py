"""Bronnen: is every source alive? Last success, last error, posts per day, cursor — a source
that went silent stands out."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import streamlit as st

from onrustradar.config.watches import source_active, today_local
from onrustradar.core import nl


def rows(config, health) -> list[dict]:
    now = datetime.now(UTC)
    by_name = {h.source_name: h for h in health}
    out = []
    for source in config.settings.sources:
        h = by_name.get(source.name)
        if not source.enabled:
            state = "uit"
        elif not source_active(config.settings, source.name, today_local()):
            state = "⚠ opdracht verlopen"
        elif h is None or h.last_success is None:
            state = "⚠ nog nooit gelukt" if h and h.last_error else "nog niet opgehaald"
        elif (now - h.last_success).total_seconds() > 3 * source.interval + 600:
            state = "⚠ stil"
        elif h.last_error_at and h.last_error_at > h.last_success:
            state = "⚠ fout"
        else:
            state = "ok"
        out.append(
            {
                "bron": source.name,
                "type": source.type,
                "status": state,
                "laatst gelukt": nl.date_time(h.last_success) if h and h.last_success else "—",
                "laatste fout": (f"{nl.date_time(h.last_error_at)}: {h.last_error}" if h and h.last_error else "—"),
                "berichten per dag": nl.number(h.posts_per_day if h else 0.0, 1),
                "cursor": (h.cursor or "—") if h else "—",
            }
        )
    return out


def page(store, config) -> None:
    data = pd.DataFrame(rows(config, store.source_health()))
    problems = int(data["status"].str.startswith("⚠").sum()) if not data.empty else 0
    if problems:
        st.warning(f"{nl.plural(problems, 'bron vraagt', 'bronnen vragen')} aandacht.")
    st.dataframe(data, hide_index=True)
    st.markdown("**E-mail: dagoverzichten en urgente meldingen**")
    sent = deliveries(store)
    failed = int(sent["status"].str.startswith("⚠").sum()) if not sent.empty else 0
    if failed:
        st.error(f"{nl.plural(failed, 'e-mail kon', 'e-mails konden')} niet worden afgeleverd (permanente fout).")
    if sent.empty:
        st.caption("Nog geen e-mail verstuurd.")
    else:
        st.dataframe(sent, hide_index=True)
    st.markdown("**Berichten in quarantaine**")
    st.caption("Berichten die niet geanalyseerd konden worden; de rest van de verwerking gaat door.")
    held = quarantine(store)
    if held.empty:
        st.caption("Geen berichten in quarantaine.")
    else:
        st.dataframe(held, hide_index=True)
    st.markdown("**Gebruikers**")
    auth = config.settings.auth
    st.caption(
        "Aanmelding via "
        + ("de identiteitsprovider van de gemeente" if auth.provider else "niets: demomodus")
        + f"; rollen uit de configuratie of de claims '{auth.roles_claim}' en '{auth.gemeenten_claim}'."
    )
    if auth.users:
        st.dataframe(
            pd.DataFrame(
                [
                    {"gebruiker": u.email, "rollen": ", ".join(u.roles), "gemeenten": ", ".join(u.gemeenten)}
                    for u in auth.users
                ],
                columns=["gebruiker", "rollen", "gemeenten"],
            ),
            hide_index=True,
        )
    else:
        st.caption("Geen gebruikers in de configuratie (auth.users).")


KINDS = {"digest": "dagoverzicht", "alert": "urgente melding"}
STATES = {"built": "klaargezet", "sent": "verzonden", "failed": "mislukt"}


def deliveries(store) -> pd.DataFrame:
    rows = [
        {
            "bericht": i.key,
            "soort": KINDS.get(i.kind, i.kind),
            "status": ("⚠ " if i.status == "failed" else "") + STATES.get(i.status, i.status),
            "aan": ", ".join(i.recipients),
            "pogingen": i.attempts,
            "verzonden": nl.date_time(i.sent_at) if i.sent_at else "—",
            "fout": i.error or "—",
            "message-id": i.message_id,
        }
        for i in store.outbox_list(limit=50)
    ]
    return pd.DataFrame(
        rows, columns=["bericht", "soort", "status", "aan", "pogingen", "verzonden", "fout", "message-id"]
    )


def quarantine(store) -> pd.DataFrame:
    rows = [
        {"bericht": q.post_id, "bron": q.source_name or "—", "reden": q.reason, "sinds": nl.date_time(q.at)}
        for q in store.quarantined(limit=100)
    ]
    return pd.DataFrame(rows, columns=["bericht", "bron", "reden", "sinds"])
