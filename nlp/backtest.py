"""What a keyword-list change would have caught, measured the way the live pipeline decides:
the same Analyzer (trained model and keyword lists blended, exclusions, decision thresholds)
runs over the posts of the last N days once with the current lists and once with the edited
one, and the posts whose category changes are reported. And what a weight does, in words; and
how precise each term has been, from the feedback people gave on the board."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from nlp.pipeline import DECISION, EXCLUSION_FACTOR, KEYWORD_WEIGHT, STRONG_KEYWORD_SHARE, Analyzer
from onrustradar.config import KeywordList
from onrustradar.core.models import Post
from onrustradar.core.nl import number


@dataclass
class Backtest:
    category: str
    days: int
    posts: int = 0
    before: int = 0
    after: int = 0
    added: list[Post] = field(default_factory=list)
    removed: list[Post] = field(default_factory=list)


def backtest(posts: list[Post], live: Analyzer, new: KeywordList, days: int) -> Backtest:
    """Run the live analysis with the current lists and with `new` in place of its category's
    list; report which posts the change puts into or takes out of that category."""
    category = new.category
    edited = Analyzer(
        {**live.keywords, category: new},
        model=live.model,
        home_gemeenten=live.home_gemeenten,
        places=live.places,
        stages=live.stages,
    )
    result = Backtest(category, days, posts=len(posts))
    for post, before, after in zip(posts, live.analyze_many(posts), edited.analyze_many(posts)):
        was, now = category in before.categories, category in after.categories
        result.before += was
        result.after += now
        if now and not was:
            result.added.append(post)
        elif was and not now:
            result.removed.append(post)
    return result


@dataclass(frozen=True, slots=True)
class WeightEffect:
    term: str
    weight: float
    keyword_score: float  # 0..1: weight / (weight + threshold)
    model_needed: float | None  # how sure the model must be for a post with only this term; None: no model
    decides_alone: bool


def weight_effect(term: str, weight: float, kl: KeywordList, with_model: bool = True) -> WeightEffect:
    """What one term does on its own in the live blend (nlp.pipeline): the keyword score it
    gives, and how sure the model must still be before a post with only this term is put in
    the category."""
    decision = DECISION[kl.category]
    kw = weight / (weight + kl.threshold) if weight > 0 else 0.0
    if not with_model:
        return WeightEffect(term, weight, kw, None, kw >= decision)
    need = (decision - KEYWORD_WEIGHT * kw) / (1 - KEYWORD_WEIGHT)
    if kw >= 0.5:  # a strong hit counts for more (nlp.pipeline: STRONG_KEYWORD_SHARE)
        need = min(need, (decision - STRONG_KEYWORD_SHARE * kw) / (1 - STRONG_KEYWORD_SHARE))
    need = max(0.0, need)
    return WeightEffect(term, weight, kw, min(need, 1.0), need <= 0.0)


def model_alone(category: str) -> float:
    """How sure the model must be for a post without any keyword of the category."""
    return DECISION[category] / (1 - KEYWORD_WEIGHT)


def explanation(kl: KeywordList, with_model: bool = True) -> str:
    """The rules, in Dutch, with this list's own numbers."""

    pct = lambda v: f"{number(v * 100)}%"  # noqa: E731
    decision = DECISION[kl.category]
    if not with_model:
        return (
            f"Zo beslist de analyse nu (zonder getraind model): de gewichten van de trefwoorden in een bericht "
            f"tellen op; vanaf de drempel ({number(kl.threshold, 1)}) komt het bericht in de categorie, tenzij "
            "een uitsluiting in het bericht staat."
        )
    return (
        "Zo beslist de analyse live, en dus ook deze backtest: de gewichten van de trefwoorden die in een bericht "
        f"staan tellen op tot een trefwoordscore (gewicht / (gewicht + drempel {number(kl.threshold, 1)})). Die "
        f"telt voor {pct(KEYWORD_WEIGHT)} mee; de andere {pct(1 - KEYWORD_WEIGHT)} komt van het getrainde model, "
        "dat het hele bericht leest. Een bericht komt in de categorie vanaf een totaal van "
        f"{pct(decision)}. Een sterk trefwoord (gewicht minstens gelijk aan de drempel) telt zwaarder, en vanaf "
        "ongeveer drie keer de drempel beslist het alleen. Daaronder beslist een woord niet alleen: één woord heeft "
        "vaak meer betekenissen ('me' is ook 'mij', 'schoten' ook een schoot), dus het model moet het eens zijn. "
        f"Een uitsluiting in het bericht houdt {pct(EXCLUSION_FACTOR)} van de score over. Zonder enig trefwoord "
        f"moet het model minstens {pct(min(model_alone(kl.category), 1.0))} zeker zijn."
        + (
            f" Noemt een bericht met een trefwoord van deze lijst een tijdstip ('14:00', '15u'), dan telt dat als "
            f"oproep mee met gewicht {number(kl.call_weight, 1)}."
            if kl.call_weight
            else ""
        )
    )


def recent_posts(store, days: int, now: datetime) -> list[Post]:
    return list(store.iter_posts(since=now - timedelta(days=days)))


@dataclass(frozen=True, slots=True)
class TermPrecision:
    term: str  # "category:term"
    right: int
    wrong: int

    @property
    def precision(self) -> float | None:
        total = self.right + self.wrong
        return self.right / total if total else None


def term_precision(feedback) -> list[TermPrecision]:
    """Per keyword that fired: how often people judged the post or signal right or wrong."""
    counts: dict[str, list[int]] = {}
    for f in feedback:
        for term in f.keywords:
            if term.startswith("!"):  # an exclusion that fired, not a term
                continue
            c = counts.setdefault(term, [0, 0])
            if f.verdict == "terecht":
                c[0] += 1
            else:
                c[1] += 1
    return sorted((TermPrecision(t, r, w) for t, (r, w) in counts.items()), key=lambda t: t.term)
