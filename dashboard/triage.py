"""Triage on a signal: assign it to a colleague, hand it over with a note, keep a thread of
notes; and, for analysts, merge another signal into it or split posts off it. Every action is
written to the audit trail; notes are shown as plain text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import streamlit as st

from dashboard.auth import record
from dashboard.common import h
from detectors.overrides import DecisionError
from onrustradar.core import nl
from onrustradar.core.gazetteer import gazetteer
from onrustradar.core.models import CATEGORY_LABELS
from store import Note, SignalQuery

NOTE_LIMIT = 2000
KIND_LABELS = {"notitie": "notitie", "toewijzing": "toegewezen aan", "overdracht": "overgedragen aan"}


def colleagues(config, user, gemeente_code: str | None) -> list[str]:
    """Who can take a signal of this gemeente: the configured users who read signals there,
    and the user themself. Only these can be chosen (nobody is typed in)."""
    names = []
    for entry in config.settings.auth.users:
        if not {"lezer", "analist"} & set(entry.roles):
            continue
        found = [gazetteer().gemeente(g) for g in entry.gemeenten]
        if any(g is not None and g.code == gemeente_code for g in found):
            names.append(entry.email)
    return list(dict.fromkeys([user.id, *sorted(names)]))


def _add_note(store, signal_id: str, actor: str) -> None:
    key = f"note-text-{signal_id}"
    text = (st.session_state.get(key) or "").strip()[:NOTE_LIMIT]
    if not text:
        st.session_state[f"note-error-{signal_id}"] = "Schrijf eerst een notitie."
        return
    store.add_note(Note(signal_id, "notitie", actor, text))
    record("signal.note", signal_id, "ok", {"tekens": len(text)})  # the note itself stays out of the trail
    st.session_state[key] = ""


def _assign(store, signal_id: str, actor: str, handover: bool) -> None:
    who = st.session_state.get(f"assign-who-{signal_id}")
    note_key = f"handover-note-{signal_id}"
    text = (st.session_state.get(note_key) or "").strip()[:NOTE_LIMIT]
    if handover and not text:
        st.session_state[f"note-error-{signal_id}"] = "Schrijf bij een overdracht wat de collega moet weten."
        return
    store.assign(signal_id, who, by=actor)
    store.add_note(Note(signal_id, "overdracht" if handover else "toewijzing", actor, text, assignee=who))
    record("signal.handover" if handover else "signal.assign", signal_id, "ok", {"aan": who})
    st.session_state[note_key] = ""


def triage_panel(store, signal, user, config) -> None:
    sid = signal.signal_id
    held = store.assignments([sid]).get(sid)
    if held:
        st.markdown(
            f"Toegewezen aan <b>{h(held.assignee)}</b> (door {h(held.by)}, {h(nl.date_time(held.at))})",
            unsafe_allow_html=True,
        )
    else:
        st.markdown("Nog aan niemand toegewezen.")
    options = colleagues(config, user, signal.gemeente_code)
    cols = st.columns([3, 3, 1, 1], vertical_alignment="bottom")
    cols[0].selectbox(
        "Collega",
        options,
        key=f"assign-who-{sid}",
        placeholder="kies een collega",
        index=options.index(held.assignee) if held and held.assignee in options else 0,
    )
    cols[1].text_input(
        "Overdrachtsnotitie", key=f"handover-note-{sid}", max_chars=NOTE_LIMIT, placeholder="wat moet de collega weten?"
    )
    cols[2].button("Toewijzen", key=f"assign-{sid}", on_click=_assign, args=(store, sid, user.id, False))
    cols[3].button("Overdragen", key=f"handover-{sid}", on_click=_assign, args=(store, sid, user.id, True))
    st.markdown("**Notities**")
    for note in store.notes(sid):
        label = KIND_LABELS.get(note.kind, note.kind) + (f" {note.assignee}" if note.assignee else "")
        # Notes are people's own words: plain text, never Markdown.
        st.text(f"{nl.date_time(note.at)} · {note.actor} · {label}" + (f": {note.text}" if note.text else ""))
    st.text_area("Nieuwe notitie", key=f"note-text-{sid}", max_chars=NOTE_LIMIT, height=80)
    st.button("Notitie toevoegen", key=f"note-add-{sid}", on_click=_add_note, args=(store, sid, user.id))
    problem = st.session_state.pop(f"note-error-{sid}", None)
    if problem:
        st.warning(problem)


def merged_into(store, signal_id: str) -> str | None:
    """The signal a merged-away signal now lives in (within the user's gemeenten), if any."""
    targets = {d.other_id: d.signal_id for d in store.decisions() if d.kind == "merge"}
    current, seen = signal_id, set()
    while current in targets and current not in seen:
        seen.add(current)
        current = targets[current]
        if store.get_signal(current) is not None:
            return current
    return None


def _label(s) -> str:
    categories = " + ".join(CATEGORY_LABELS[c] for c in s.categories)
    when = nl.when(s.event_start, s.time_known) if s.event_start else f"laatst {nl.when(s.last_seen)}"
    return f"{categories} · {s.place or s.gemeente or 'onbekend'} · {when} · {s.signal_id}"


def decision_controls(store, signal, posts) -> None:
    """Merge another signal of this gemeente into this one; split the ticked posts off."""
    sid = signal.signal_id
    st.markdown("**Samenvoegen of splitsen** (analist; wordt vastgelegd en blijft gelden bij elke verwerking)")
    since = datetime.now(UTC) - timedelta(days=30)
    others = [
        s
        for s in store.query_signals(
            SignalQuery(gemeente_codes=frozenset({signal.gemeente_code or ""}), since=since, limit=200)
        )
        if s.signal_id != sid
    ]
    by_id = {s.signal_id: s for s in others}
    cols = st.columns([5, 2], vertical_alignment="bottom")
    other = cols[0].selectbox(
        "Signaal van dezelfde gemeente om hierin samen te voegen",
        [None, *by_id],
        format_func=lambda i: "— kies een signaal —" if i is None else _label(by_id[i]),
        key=f"merge-other-{sid}",
        placeholder="kies een signaal",
    )
    if cols[1].button("Samenvoegen", key=f"merge-{sid}", disabled=other is None):
        try:
            store.merge_signals(sid, other, actor=st.session_state["_user"].id)
        except (DecisionError, KeyError) as exc:
            st.error(str(exc) if isinstance(exc, DecisionError) else "Dat signaal bestaat niet (meer).")
        else:
            record("signal.merge", sid, "ok", {"samengevoegd": other})
            st.session_state.pop(f"merge-other-{sid}", None)
            st.session_state[f"merge-done-{sid}"] = other
            st.rerun()
    merged = st.session_state.pop(f"merge-done-{sid}", None)
    if merged:
        st.success(
            f"Samengevoegd: {merged} hoort nu bij dit signaal. Score en uitleg worden bij de volgende "
            "verwerkingsronde herberekend."
        )
    chosen = [p.id for p in posts if st.session_state.get(f"split-{sid}-{p.id}")]
    if len(posts) > 1:
        cols = st.columns([5, 2], vertical_alignment="center")
        cols[0].caption(
            f"{nl.plural(len(chosen), 'bericht', 'berichten')} aangevinkt om af te splitsen "
            "(vink 'afsplitsen' aan bij de berichten hieronder)"
        )
        if cols[1].button("Afsplitsen", key=f"split-{sid}", disabled=not chosen):
            try:
                new = store.split_signal(sid, chosen, actor=st.session_state["_user"].id)
            except (DecisionError, KeyError) as exc:
                st.error(str(exc) if isinstance(exc, DecisionError) else "Dit signaal bestaat niet (meer).")
            else:
                record("signal.split", sid, "ok", {"nieuw": new.signal_id, "berichten": len(chosen)})
                for post_id in chosen:
                    st.session_state.pop(f"split-{sid}-{post_id}", None)
                st.session_state[f"split-done-{sid}"] = new.signal_id
                st.rerun()
    done = st.session_state.get(f"split-done-{sid}")
    if done:
        st.success("Afgesplitst in een nieuw signaal.")
        if st.button("Open het nieuwe signaal", key="open-split"):
            st.session_state.pop(f"split-done-{sid}", None)
            st.session_state["selected"] = done
            st.rerun()
