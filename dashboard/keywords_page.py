"""Trefwoorden (for analysts): edit a category's keyword list, see what the change would have
caught in the last N days — with the same analysis as the live pipeline (model and keyword
lists together) — before saving, save with history, see what each weight does and per-term
precision."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import streamlit as st

from dashboard.auth import record
from dashboard.common import current_user, md_escape
from nlp.backtest import backtest, explanation, model_alone, recent_posts, term_precision, weight_effect
from nlp.pipeline import Analyzer
from onrustradar.config import ConfigError, keyword_files, load_keywords, parse_keyword_yaml, parse_yaml
from onrustradar.core import nl
from onrustradar.core.models import CATEGORIES, CATEGORY_LABELS
from onrustradar.governance import approvals
from onrustradar.service.analyzer import analyzer_for

EXAMPLES = 5


def live_analyzer(config, lists):
    """The live pipeline's analyzer (its model, its channel homes) with the lists as saved now."""

    base = analyzer_for(config)
    return Analyzer(lists, model=base.model, home_gemeenten=base.home_gemeenten, places=base.places, stages=base.stages)


def page(store, config) -> None:
    directory = config.keywords_dir
    lists = load_keywords(directory)  # read fresh: the file is the truth, not a cached copy
    category = st.selectbox(
        "Categorie", CATEGORIES, format_func=CATEGORY_LABELS.get, key="kw_category", placeholder="kies een categorie"
    )
    current = lists[category]
    st.text(current.description)
    if current.pending:
        st.info("Wacht op goedkeuring van de FG (nog niet actief): " + md_escape(", ".join(current.pending)))
    text = st.text_area(
        "Trefwoordenlijst (YAML: threshold = drempel, terms = trefwoorden met gewicht, "
        "phrases = woordgroepen, exclusions = uitsluitingen, measures = maatregelen na een incident)",
        value=keyword_files.to_yaml(current),
        height=320,
        key=f"kw_text_{category}",
    )
    try:
        edited = parse_keyword_yaml(text, category, label=f"{category}.yml")
        edited = edited.model_copy(update={"description": current.description})
    except ConfigError as exc:
        st.error(f"Ongeldige lijst: {exc.key + ': ' if exc.key else ''}{exc.message}")
        edited = None
    live = live_analyzer(config, lists)
    with st.expander("Wat doet een gewicht?"):
        st.markdown(md_escape(explanation(current, with_model=live.model is not None)))
        if edited is not None:
            _weights(edited, live.model is not None)
    days = st.slider("Backtest over de laatste dagen", 1, 30, 7, key="kw_days")
    if edited is not None and st.button("Backtest", key="kw_backtest"):
        with st.spinner("De live analyse draait over de berichten…"):
            posts = recent_posts(store, days, datetime.now(UTC))
            st.session_state["kw_result"] = (category, backtest(posts, live, edited, days))
    result = st.session_state.get("kw_result")
    if result and result[0] == category:
        _show_backtest(result[1])
    reason = st.text_input("Reden van de wijziging", key="kw_reason")
    if edited is not None and st.button("Opslaan", key="kw_save", disabled=edited == current):
        entry = keyword_files.save(directory, current, edited, actor=current_user(), reason=reason)
        record("keywords.change", category, "ok", {"reason": reason, "changes": entry["changes"]})
        for term in _name_like(text):
            approvals.request(directory, category, term, current_user())
            record("keywords.approval_requested", f"{category}:{term.casefold()}")
            st.warning(f"'{md_escape(term)}' lijkt op een naam of account: het telt pas mee na goedkeuring door de FG.")
        st.session_state.pop("kw_result", None)
        st.success(
            "Opgeslagen; de wijziging geldt vanaf de volgende verwerkingsronde: "
            + md_escape(keyword_files.describe(entry["changes"]))
            + "."
        )

    st.markdown("**Precisie per trefwoord (uit feedback)**")
    precision = [t for t in term_precision(store.feedback()) if t.term.startswith(category + ":")]
    if precision:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "trefwoord": t.term.split(":", 1)[1],
                        "terecht": t.right,
                        "onterecht": t.wrong,
                        "precisie": nl.number(t.precision, 2),
                    }
                    for t in precision
                ]
            ),
            hide_index=True,
        )
    else:
        st.caption("Nog geen feedback op berichten met deze trefwoorden.")
    st.markdown("**Geschiedenis**")
    history = [h for h in keyword_files.history(directory) if h["category"] == category]
    if not history:
        st.caption("Nog geen wijzigingen via het bord.")
    for h in reversed(history[-20:]):
        st.text(
            f"{nl.date_time(datetime.fromisoformat(h['at']))} · {h['actor']} · {h.get('reason') or '-'} · "
            f"{keyword_files.describe(h['changes'])}"
        )


def _weights(kl, with_model: bool) -> None:
    rows = []
    for term, weight in sorted({**kl.terms, **kl.phrases}.items(), key=lambda kv: (-kv[1], kv[0])):
        effect = weight_effect(term, weight, kl, with_model)
        rows.append(
            {
                "trefwoord": term,
                "gewicht": nl.number(weight, 1),
                "trefwoordscore": f"{nl.number(effect.keyword_score * 100)}%",
                "met alleen dit woord": "beslist alleen"
                if effect.decides_alone
                else (
                    f"model moet ≥ {nl.number(effect.model_needed * 100)}% zeker zijn"
                    if with_model
                    else "telt niet alleen"
                ),
            }
        )
    if with_model:
        st.caption(
            f"Zonder trefwoord moet het model ≥ {nl.number(min(model_alone(kl.category), 1.0) * 100)}% zeker zijn."
        )
    st.dataframe(
        pd.DataFrame(rows, columns=["trefwoord", "gewicht", "trefwoordscore", "met alleen dit woord"]), hide_index=True
    )


def _show_backtest(result) -> None:
    st.markdown(
        f"**Backtest over {nl.plural(result.days, 'dag', 'dagen')} "
        f"({nl.plural(result.posts, 'bericht', 'berichten')}, met de live analyse: model en trefwoorden)**"
    )
    cols = st.columns(4)
    cols[0].metric("Nu", result.before)
    cols[1].metric("Met wijziging", result.after)
    cols[2].metric("Erbij", len(result.added))
    cols[3].metric("Eraf", len(result.removed))
    for label, posts in (("Erbij", result.added), ("Eraf", result.removed)):
        if posts:
            st.markdown(f"*{label} (voorbeelden)*")
            for post in posts[:EXAMPLES]:
                st.text(f"{nl.when(post.published_at)} · {post.channel}: {post.text[:300]}")


def _name_like(text: str) -> list[str]:
    """Terms of the edited YAML, as typed, that look like a person's name or handle."""
    try:
        raw = parse_yaml(text, "<editor>") or {}
    except ConfigError:
        return []
    if not isinstance(raw, dict):
        return []
    terms = [*(raw.get("terms") or {}), *(raw.get("phrases") or {})]
    return [str(t) for t in terms if approvals.looks_like_person(str(t))]
