"""Privacy (for the functionaris gegevensbescherming): the audit trail (verify, export),
subject requests by handle, and approval of keywords that look like a person's name."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from dashboard.common import current_user, record
from onrustradar import approvals
from onrustradar.access import allowed
from onrustradar.audit import audit_log_for
from onrustradar.subjects import subject_request


def page(store, config, user) -> None:
    log = audit_log_for(config, store)
    result = log.verify()
    if result.ok:
        st.success(f"Audittrail intact: {result.rows} regels, de sleutelketen en het anker kloppen.")
    else:
        st.error(f"Audittrail beschadigd: {result.reason}")
    rows = list(log.rows())
    st.dataframe(pd.DataFrame(rows[-300:][::-1], columns=["seq", "at", "actor", "role", "action", "object",
                                                           "result", "detail"]), hide_index=True)
    if allowed(user, "audit.export"):
        data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
        if st.download_button("Exporteer audittrail (JSON lines)", data, file_name="audittrail.jsonl", key="audit_dl"):
            record("audit.export", f"{len(rows)} regels")

    st.markdown("**Verzoek van een betrokkene (inzage of verwijdering)**")
    handle = st.text_input("Accountnaam (handle) van de betrokkene", key="sr_handle")
    cols = st.columns(2)
    look, delete = cols[0].button("Zoeken", key="sr_find"), cols[1].button("Zoeken en verwijderen", key="sr_delete")
    if (look or delete) and handle.strip():
        report = subject_request(store, handle, delete=False)
        if delete and report.found:
            # Recorded before the deletion: if the audit trail cannot take the row, nothing goes.
            record("subject.request", report.pseudonym, "verwijderen", {**report.as_dict(), "delete": True})
            report = subject_request(store, handle, delete=True)
        # The handle itself is not logged: its pseudonym identifies the request.
        record("subject.request", report.pseudonym, "ok", report.as_dict())
        st.text(f"Gevonden: {report.found} bericht(en) · verwijderd: {report.deleted} · per bron: {report.by_source}")

    st.markdown("**Trefwoorden die op een naam of account lijken**")
    directory = config.keywords_dir
    waiting = approvals.pending(directory)
    if not waiting:
        st.caption("Geen aanvragen.")
    for item in waiting:
        with st.container(border=True):
            st.text(f"{item.category}: {item.term} — aangevraagd door {item.requested_by} op {item.requested_at}")
            reason = st.text_input("Motivering", key=f"ap_reason_{item.category}_{item.term}")
            c1, c2 = st.columns(2)
            for col, approve, label in ((c1, True, "Goedkeuren"), (c2, False, "Afwijzen")):
                if col.button(label, key=f"ap_{approve}_{item.category}_{item.term}", disabled=not reason.strip()):
                    approvals.decide(directory, item.category, item.term, approve, current_user(), reason)
                    record("keywords.approve" if approve else "keywords.reject", f"{item.category}:{item.term}",
                           "ok", {"reason": reason})
                    st.rerun()
