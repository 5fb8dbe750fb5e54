"""Signalen (ranked list) and Signaal (detail: evidence, status, feedback)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import streamlit as st

from dashboard.common import ICONS, codes, current_user, md_escape, record
from onrustradar.access import allowed
from onrustradar import nl
from onrustradar.models import CATEGORIES, CATEGORY_LABELS
from store import Feedback, SignalQuery

VERDICTS = ("terecht", "onterecht", "andere categorie")


def signal_list(store, gemeenten, categories, reliability, statuses, days, user=None) -> None:
    now = datetime.now(timezone.utc)
    signals = store.query_signals(SignalQuery(
        gemeente_codes=codes(gemeenten), categories=frozenset(categories), reliability=frozenset(reliability),
        statuses=frozenset(statuses), since=now - timedelta(days=days),
    ))
    st.caption(f"{len(signals)} signalen · bijgewerkt {nl.local(now):%H:%M:%S}")
    if not signals:
        st.info("Geen signalen voor deze selectie.")
        return
    if user is not None and allowed(user, "signals.export"):
        _export(signals)
    for signal in signals:
        with st.container(border=True):
            icons = " ".join(ICONS[c] for c in signal.categories)
            title = " + ".join(CATEGORY_LABELS[c] for c in signal.categories)
            place = signal.gemeente or "onbekende plaats"
            if signal.place:
                place += f" · {signal.place}"
            cols = st.columns([5, 2, 2])
            cols[0].markdown(f"**{icons} {title}**")
            cols[0].text(place)  # names from outside are never Markdown
            badge = "🟢 bevestigd" if signal.reliability == "bevestigd" else "🟠 onbevestigd"
            cols[1].write(badge + (" · 📈 opkomend" if signal.burst_factor >= 3 else ""))
            cols[2].write(f"score {signal.score:.0f} · {signal.status} · {signal.independent_sources} bron(nen)")
            if signal.event_start:
                st.write(f"{'Aangekondigd voor' if signal.announced else 'Op'} "
                         f"{nl.when(signal.event_start, signal.time_known)} ({nl.relative(signal.event_start, now)})")
            st.text(signal.explanation)  # it quotes channel names: plain text
            if st.button("Details", key=f"open-{signal.signal_id}"):
                st.session_state["selected"] = signal.signal_id
                st.rerun()


def _export(signals) -> None:
    """Signals only, never raw posts; the recipient and legal basis are recorded."""
    from onrustradar.exports import signals_csv

    with st.expander("Exporteren"):
        recipient = st.text_input("Ontvanger", key="exp_recipient")
        basis = st.text_input("Grondslag voor het verstrekken", key="exp_basis")
        if recipient.strip() and basis.strip():
            if st.download_button("Download signalen (CSV)", signals_csv(signals), file_name="signalen.csv",
                                  mime="text/csv", key="exp_download"):
                record("signals.export", f"{len(signals)} signalen", "ok",
                       {"recipient": recipient.strip(), "legal_basis": basis.strip(),
                        "signals": [s.signal_id for s in signals][:50]})
        else:
            st.caption("Vul ontvanger en grondslag in om te exporteren; de export wordt vastgelegd.")


def signal_detail(store, signal_id: str, user=None) -> None:
    signal = store.get_signal(signal_id)
    if signal is None:
        # Not there, or not in this user's gemeenten: the same answer either way.
        st.warning("Dit signaal bestaat niet (meer).")
        return
    if st.session_state.get("_viewed") != signal_id:
        record("signal.view", signal_id)
        st.session_state["_viewed"] = signal_id
    if st.button("← Terug naar de lijst", key="back"):
        st.session_state.pop("selected", None)
        st.rerun()
    st.subheader(" + ".join(CATEGORY_LABELS[c] for c in signal.categories) + f" — {md_escape(signal.gemeente or 'onbekend')}")
    st.write(f"Betrouwbaarheid: **{signal.reliability}** · status: **{signal.status}** · score {signal.score:.0f}")
    st.text(signal.explanation)
    from dashboard.signal_extras import summary_and_briefing

    summary_and_briefing(store, signal)
    may_feedback = user is None or allowed(user, "feedback.add")
    if user is None or allowed(user, "signals.status"):
        _status_controls(store, signal)
    if may_feedback:
        _signal_feedback(store, signal)

    posts = sorted(store.get_posts(signal.post_ids), key=lambda p: p.published_at)
    st.markdown(f"**Tijdlijn ({len(posts)} berichten)**")
    if posts:
        import pandas as pd

        frame = pd.DataFrame({"tijd": [nl.local(p.published_at).replace(tzinfo=None) for p in posts], "berichten": 1})
        st.bar_chart(frame.set_index("tijd").resample("1h").sum())
    for post in posts:
        with st.container(border=True):
            # Channel names and forward origins come from outside: plain text, never Markdown.
            st.text(f"{post.source} · {post.channel} · {nl.when(post.published_at)}"
                       + (f" · auteur {post.author}" if post.author else "")
                       + (f" · doorgestuurd van {post.forwarded_from}" if post.forwarded_from else ""))
            st.text(post.text)  # plain text: a post can contain markup, it must stay inert
            cols = st.columns([2, 3])
            if post.url and post.url.startswith(("http://", "https://")):
                cols[0].link_button("Origineel", post.url)
            if may_feedback:
                _feedback_buttons(store, "post", post.id, cols[1])
    history = store.status_history(signal.signal_id)
    if history:
        st.markdown("**Statusgeschiedenis**")
        for at, status, actor, note in history:
            st.text(f"{nl.when(at)} · {status} · {actor}" + (f" · {note}" if note else ""))


def _status_controls(store, signal) -> None:
    note = st.text_input("Notitie bij statuswijziging", key="status_note")
    cols = st.columns(3)
    for col, status in zip(cols, ("in behandeling", "afgehandeld", "nieuw")):
        if col.button(status.capitalize() if status != "nieuw" else "Heropenen", key=f"status-{status}",
                      disabled=signal.status == status):
            store.set_signal_status(signal.signal_id, status, by=current_user(), note=note or None)
            record("signal.status", signal.signal_id, "ok", {"status": status})
            st.rerun()


def _signal_feedback(store, signal) -> None:
    st.markdown("**Was dit signaal terecht?**")
    keywords = sorted({k for a in store.get_analyses(signal.post_ids).values() for k in a.keywords})
    _feedback_buttons(store, "signal", signal.signal_id, st, keywords)


def _feedback_buttons(store, target_type: str, target_id: str, area, keywords: list[str] | None = None) -> None:
    cols = area.columns(3)
    if keywords is None:
        analysis = store.get_analyses([target_id]).get(target_id)
        keywords = analysis.keywords if analysis else []
    choice = None
    for col, verdict in zip(cols, VERDICTS[:2]):
        if col.button(verdict, key=f"fb-{target_type}-{target_id}-{verdict}"):
            choice = verdict
    other = cols[2].selectbox("andere categorie", ["—", *CATEGORIES], key=f"fb-{target_type}-{target_id}-cat",
                              label_visibility="collapsed")
    if other != "—" and st.session_state.get(f"fb-done-{target_type}-{target_id}") != other:
        choice = "andere categorie"
        st.session_state[f"fb-done-{target_type}-{target_id}"] = other
    if choice:
        store.add_feedback(Feedback(target_type, target_id, choice, current_user(),
                                    category=other if choice == "andere categorie" else None, keywords=keywords))
        record("feedback.add", f"{target_type}:{target_id}", "ok", {"verdict": choice})
        area.success(f"Feedback opgeslagen: {choice}")
