"""Signalen (an agenda of compact rows) and Signaal (detail: evidence, triage, status,
feedback, merge and split).

Row and heading text the board writes as HTML is escaped (dashboard.common.h); post text is
only ever shown with st.text, never as Markdown or HTML."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import streamlit as st

from dashboard import agenda as ag
from dashboard.auth import record
from dashboard.charts import timeline
from dashboard.common import COLORS, ICONS, REACH_HELP, codes, current_user, h, md_escape, score_band, score_help
from dashboard.signal_extras import summary_and_briefing
from dashboard.triage import decision_controls, merged_into, triage_panel
from dashboard.urlstate import PERIODS
from onrustradar.core import nl
from onrustradar.core.models import CATEGORIES, CATEGORY_LABELS
from onrustradar.governance.access import allowed
from onrustradar.governance.exports import signals_csv
from store import Feedback, SignalQuery

VERDICTS = ("terecht", "onterecht", "andere categorie")
PAGE_ROWS = 50  # rows per section before "toon meer"
STYLE = """<style>
.or-row{display:grid;column-gap:.5rem;align-items:baseline;font-size:.86rem;line-height:1.3;white-space:nowrap;
        grid-template-columns:3.1rem minmax(0,1.35fr) minmax(0,1.45fr) minmax(0,1.9fr) minmax(0,1.4fr)
                              minmax(0,1.15fr) minmax(0,.95fr) minmax(0,1fr)}
.or-row>span{overflow:hidden;text-overflow:ellipsis}
.or-row .or-title{font-weight:600}
.or-row .or-when{color:#444}
.or-mark{font-size:.7rem;font-weight:700;padding:0 .35rem;border-radius:.5rem;color:#fff;justify-self:start}
.or-nieuw{background:#d62728}.or-gewijzigd{background:#ff7f0e}
.or-bevestigd{color:#1a7f37;font-weight:600}.or-onbevestigd{color:#b35900}
.or-help{border-bottom:1px dotted #888;cursor:help}
.or-day{font-weight:700;margin:.5rem 0 0 0;font-size:.92rem}
.st-key-or-list [data-testid="stVerticalBlock"]{gap:.15rem}
.st-key-or-list [data-testid="stHorizontalBlock"]{min-height:0}
.st-key-or-list .stButton button{min-height:1.5rem;padding:0 .5rem;line-height:1.4}
.st-key-or-list h4{padding:.6rem 0 .1rem 0}
</style>"""


def query_for(view, user) -> SignalQuery:

    assignee = {"": None, "ik": user.id, "niemand": ""}[view.assigned]
    return SignalQuery(
        gemeente_codes=codes(view.gemeenten or list(user.gemeenten)),
        categories=frozenset(view.categories),
        reliability=frozenset(view.reliability),
        statuses=frozenset(view.statuses),
        since=datetime.now(UTC) - timedelta(days=PERIODS[view.period]),
        limit=500,
        assignee=assignee,
    )


def signal_list(store, view, user, config, since: datetime | None) -> None:
    now = datetime.now(UTC)
    signals = store.query_signals(query_for(view, user))
    held = store.assignments([s.signal_id for s in signals])
    marks = {s.signal_id: ag.marker(s, since) for s in signals}
    fresh = sum(1 for m in marks.values() if m)
    st.caption(
        f"{nl.plural(len(signals), 'signaal', 'signalen')} · bijgewerkt {nl.local(now):%H:%M:%S}"
        + (f" · {fresh} nieuw of gewijzigd sinds uw vorige bezoek" if fresh else "")
    )
    if not signals:
        st.info("Geen signalen voor deze selectie.")
        return
    st.markdown(STYLE, unsafe_allow_html=True)
    threshold = config.settings.alerts.threshold
    draw = lambda s: _row(s, now, marks[s.signal_id], held.get(s.signal_id), threshold)  # noqa: E731
    with st.container(key="or-list"):
        if view.sort == "agenda":
            _agenda(ag.agenda(signals, now), draw)
        else:
            _rows(ag.ordered(signals, view.sort, now), draw, "alle")
    if allowed(user, "signals.export"):
        _export(signals)


def _agenda(plan, draw) -> None:
    st.markdown("#### Komende dagen")
    if not plan.upcoming:
        st.caption("Geen aangekondigde gebeurtenissen in deze selectie.")
    for day, day_signals in plan.upcoming:
        st.markdown(f'<div class="or-day">{h(nl.day_heading(day).capitalize())}</div>', unsafe_allow_html=True)
        _rows(day_signals, draw, f"dag-{day.isoformat()}")
    st.markdown("#### Gebeurd")
    if not plan.happened:
        st.caption("Geen meldingen of incidenten in deze selectie.")
    _rows(plan.happened, draw, "gebeurd")


def _rows(signals, draw, section: str) -> None:
    shown = st.session_state.get(f"more-{section}", PAGE_ROWS)
    for signal in signals[:shown]:
        draw(signal)
    if len(signals) > shown:
        if st.button(f"Toon meer ({len(signals) - shown} verborgen)", key=f"more-btn-{section}"):
            st.session_state[f"more-{section}"] = shown + PAGE_ROWS
            st.rerun()


def row_html(signal, now: datetime, mark: str | None, assignment, threshold: float) -> str:
    """One compact row; every value escaped."""
    first = signal.categories[0]
    title = " + ".join(CATEGORY_LABELS[c] for c in signal.categories)
    icons = "".join(ICONS[c] for c in signal.categories)
    place = signal.gemeente or "onbekende plaats"
    if signal.place:
        place += f" · {signal.place}"
    if signal.event_start is not None:
        when = f"{nl.when(signal.event_start, signal.time_known)} ({nl.relative(signal.event_start, now)})"
    else:
        when = f"laatst {nl.when(signal.last_seen)} ({nl.relative(signal.last_seen, now)})"
    parts = [
        f'<div class="or-row" id="row-{h(signal.signal_id)}">',
        f'<span class="or-mark or-{mark}" title="{h(mark)} sinds uw vorige bezoek">{h(mark)}</span>'
        if mark
        else "<span></span>",
    ]
    parts += [
        f'<span class="or-title"><span style="color:{COLORS[first]}">●</span> {icons} {h(title)}</span>',
        f'<span class="or-place">{h(place)}</span>',
        f'<span class="or-when">{h(when)}</span>',
        f'<span><span class="or-{h(signal.reliability)}">{h(signal.reliability)}</span> · '
        f"{h(nl.plural(signal.independent_sources, 'bron', 'bronnen'))}</span>",
        f'<span class="or-help" title="{h(score_help(threshold))}">score {h(nl.number(signal.score))} '
        f"({h(score_band(signal.score))})</span>",
    ]
    parts.append(
        f'<span class="or-help" title="{h(REACH_HELP)}">bereik {h(nl.number(signal.reach))}</span>'
        if signal.reach
        else "<span></span>"
    )
    status = (
        ("📈 opkomend · " if signal.burst_factor >= 3 else "")
        + signal.status
        + (f" · {assignment.assignee}" if assignment else "")
    )
    parts.append(f"<span>{h(status)}</span></div>")
    return "".join(parts)


def _row(signal, now, mark, assignment, threshold) -> None:
    cols = st.columns([15, 1], vertical_alignment="center", gap="small")
    cols[0].markdown(row_html(signal, now, mark, assignment, threshold), unsafe_allow_html=True)
    if cols[1].button("Open", key=f"open-{signal.signal_id}", type="tertiary"):
        st.session_state["selected"] = signal.signal_id
        st.rerun()


def _export(signals) -> None:
    """Signals only, never raw posts; the recipient and legal basis are recorded."""

    with st.expander("Exporteren"):
        recipient = st.text_input("Ontvanger", key="exp_recipient")
        basis = st.text_input("Grondslag voor het verstrekken", key="exp_basis")
        if recipient.strip() and basis.strip():
            if st.download_button(
                "Download signalen (CSV)",
                signals_csv(signals),
                file_name="signalen.csv",
                mime="text/csv",
                key="exp_download",
            ):
                record(
                    "signals.export",
                    nl.plural(len(signals), "signaal", "signalen"),
                    "ok",
                    {
                        "recipient": recipient.strip(),
                        "legal_basis": basis.strip(),
                        "signals": [s.signal_id for s in signals][:50],
                    },
                )
        else:
            st.caption("Vul ontvanger en grondslag in om te exporteren; de export wordt vastgelegd.")


def copy_link_button() -> None:
    """Copies the browser's address, which always names the open page and signal."""
    st.html(
        '<button id="or-copy" style="border:1px solid #ccc;border-radius:.4rem;padding:.25rem .7rem;'
        'background:#fff;cursor:pointer">🔗 Link kopiëren</button><script>'
        'document.getElementById("or-copy").addEventListener("click", e => {'
        "const href = window.location.href;"
        'navigator.clipboard.writeText(href).then(() => { e.target.textContent = "Link gekopieerd ✓"; },'
        ' () => { window.prompt("Kopieer deze link:", href); }); });</script>',
        unsafe_allow_javascript=True,
    )


def signal_detail(store, signal_id: str, user, config) -> None:
    signal = store.get_signal(signal_id)
    if signal is None:
        # Not there, or not in this user's gemeenten: the same answer either way — unless an
        # analyst merged it into another signal of these gemeenten.
        into = merged_into(store, signal_id)
        if st.button("← Terug naar de lijst", key="back"):
            st.session_state.pop("selected", None)
            st.rerun()
        if into:
            st.info("Dit signaal is samengevoegd met een ander signaal.")
            if st.button("Open het samengevoegde signaal", key="open-merged"):
                st.session_state["selected"] = into
                st.rerun()
        else:
            st.warning("Dit signaal bestaat niet (meer).")
        return
    if st.session_state.get("_viewed") != signal_id:
        record("signal.view", signal_id)
        st.session_state["_viewed"] = signal_id
    top = st.columns([3, 2, 5])
    if top[0].button("← Terug naar de lijst", key="back"):
        st.session_state.pop("selected", None)
        st.rerun()
    with top[1]:
        copy_link_button()
    now = datetime.now(UTC)
    icons = " ".join(ICONS[c] for c in signal.categories)
    st.subheader(
        f"{icons} "
        + " + ".join(CATEGORY_LABELS[c] for c in signal.categories)
        + f" — {md_escape(signal.gemeente or 'onbekend')}"
        + (f" · {md_escape(signal.place)}" if signal.place else "")
    )
    threshold = config.settings.alerts.threshold
    facts = [
        f"Betrouwbaarheid: <b>{h(signal.reliability)}</b>",
        f"status: <b>{h(signal.status)}</b>",
        f'<span class="or-help" title="{h(score_help(threshold))}">score {h(nl.number(signal.score))} '
        f"({h(score_band(signal.score))})</span>",
    ]
    if signal.reach:
        facts.append(f'<span class="or-help" title="{h(REACH_HELP)}">bereik {h(nl.number(signal.reach))}</span>')
    if signal.event_start is not None:
        verb = "Aangekondigd voor" if signal.announced else "Op"
        facts.append(
            h(f"{verb} {nl.when(signal.event_start, signal.time_known)} ({nl.relative(signal.event_start, now)})")
        )
    st.markdown(STYLE + " · ".join(facts), unsafe_allow_html=True)
    st.text(signal.explanation)  # it quotes channel names: plain text

    summary_and_briefing(store, signal)

    may_feedback = allowed(user, "feedback.add")
    with st.container(border=True):
        st.markdown("**Behandeling**")
        if allowed(user, "signals.status"):
            _status_controls(store, signal)
        if allowed(user, "signals.triage"):
            triage_panel(store, signal, user, config)
    if may_feedback:
        _signal_feedback(store, signal)

    posts = sorted(store.get_posts(signal.post_ids), key=lambda p: (p.published_at, p.id))
    st.markdown(f"**Tijdlijn ({nl.plural(len(posts), 'bericht', 'berichten')})**")
    if posts:
        st.altair_chart(timeline([p.published_at for p in posts]), use_container_width=True)
    may_split = allowed(user, "signals.merge") and len(posts) > 1
    for post in posts:
        with st.container(border=True):
            # Channel names and forward origins come from outside: plain text, never Markdown.
            st.text(
                f"{post.source} · {post.channel} · {nl.when(post.published_at)}"
                + (f" · auteur {post.author}" if post.author else "")
                + (f" · doorgestuurd van {post.forwarded_from}" if post.forwarded_from else "")
            )
            st.text(post.text)  # plain text: a post can contain markup, it must stay inert
            cols = st.columns([2, 3, 2])
            if post.url and post.url.startswith(("http://", "https://")):
                cols[0].link_button("Origineel", post.url)
            if may_feedback:
                _feedback_buttons(store, "post", post.id, cols[1])
            if may_split:
                cols[2].checkbox("afsplitsen", key=f"split-{signal.signal_id}-{post.id}")
    if allowed(user, "signals.merge"):
        decision_controls(store, signal, posts)
    history = store.status_history(signal.signal_id)
    if history:
        st.markdown("**Statusgeschiedenis**")
        for at, status, actor, note in history:
            st.text(f"{nl.date_time(at)} · {status} · {actor}" + (f" · {note}" if note else ""))


def _status_controls(store, signal) -> None:
    note = st.text_input("Notitie bij statuswijziging", key="status_note")
    cols = st.columns(3)
    for col, status in zip(cols, ("in behandeling", "afgehandeld", "nieuw")):
        if col.button(
            status.capitalize() if status != "nieuw" else "Heropenen",
            key=f"status-{status}",
            disabled=signal.status == status,
        ):
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
    other = cols[2].selectbox(
        "andere categorie",
        ["—", *CATEGORIES],
        key=f"fb-{target_type}-{target_id}-cat",
        placeholder="kies een categorie",
        format_func=lambda c: CATEGORY_LABELS.get(c, c),
        label_visibility="collapsed",
    )
    if other != "—" and st.session_state.get(f"fb-done-{target_type}-{target_id}") != other:
        choice = "andere categorie"
        st.session_state[f"fb-done-{target_type}-{target_id}"] = other
    if choice:
        store.add_feedback(
            Feedback(
                target_type,
                target_id,
                choice,
                current_user(),
                category=other if choice == "andere categorie" else None,
                keywords=keywords,
            )
        )
        record("feedback.add", f"{target_type}:{target_id}", "ok", {"verdict": choice})
        area.success(f"Feedback opgeslagen: {choice}")
