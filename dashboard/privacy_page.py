"""Privacy (for the functionaris gegevensbescherming): the audit trail (verify, export),
subject requests by handle, and approval of keywords that look like a person's name."""

from __future__ import annotations

import json
from datetime import datetime

import pandas as pd
import streamlit as st

from dashboard.auth import record
from dashboard.common import current_user
from onrustradar.core import nl
from onrustradar.governance import approvals
from onrustradar.governance.access import allowed
from onrustradar.governance.audit import audit_log_for
from onrustradar.governance.subjects import subject_request

COLUMNS = {
    "seq": "nr",
    "at": "tijd",
    "actor": "wie",
    "role": "rol",
    "action": "handeling",
    "object": "object",
    "result": "resultaat",
    "detail": "details",
}


def detail_text(detail) -> str:
    """A row's details as words: 'sleutel: waarde; ...', never a raw data structure."""
    if detail in (None, "", {}, []):
        return ""
    if isinstance(detail, str) and detail[:1] in "{[":
        try:
            detail = json.loads(detail)  # the trail keeps structured details as JSON text
        except ValueError:
            return detail
    if isinstance(detail, dict):
        return "; ".join(f"{k}: {detail_text(v)}" for k, v in detail.items())
    if isinstance(detail, (list, tuple)):
        return ", ".join(detail_text(v) for v in detail)
    if isinstance(detail, bool):
        return "ja" if detail else "nee"
    if isinstance(detail, float):
        return nl.number(detail, 2)
    return str(detail)


def audit_table(rows: list[dict]) -> pd.DataFrame:
    """The audit trail for the FG: Dutch headings, times in Europe/Amsterdam (25-10-2026 14:05)."""
    out = []
    for r in rows:
        try:
            at = nl.date_time(datetime.fromisoformat(str(r.get("at"))))
        except ValueError:
            at = str(r.get("at"))
        out.append(
            {
                "nr": r.get("seq"),
                "tijd": at,
                "wie": r.get("actor"),
                "rol": r.get("role"),
                "handeling": r.get("action"),
                "object": r.get("object"),
                "resultaat": r.get("result"),
                "details": detail_text(r.get("detail")),
            }
        )
    return pd.DataFrame(out, columns=list(COLUMNS.values()))


def page(store, config, user) -> None:
    log = audit_log_for(config, store)
    result = log.verify()
    if result.ok:
        st.success(f"Audittrail intact: {result.rows} regels, de sleutelketen en het anker kloppen.")
    else:
        st.error(f"Audittrail beschadigd: {result.reason}")
    rows = list(log.rows())
    if rows:
        st.dataframe(audit_table(rows[-300:][::-1]), hide_index=True)
    else:
        st.caption("De audittrail is nog leeg.")
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
        per_source = ", ".join(f"{name}: {n}" for name, n in sorted(report.by_source.items())) or "—"
        st.text(
            f"Gevonden: {nl.plural(report.found, 'bericht', 'berichten')} · verwijderd: {report.deleted} · "
            f"per bron: {per_source}"
        )

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
                    record(
                        "keywords.approve" if approve else "keywords.reject",
                        f"{item.category}:{item.term}",
                        "ok",
                        {"reason": reason},
                    )
                    st.rerun()
