"""The analysts' keyword lists (config/keywords/*.yml) compiled into a fast matcher.

An edit on the board recompiles the matcher; nothing needs retraining.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlp.text import folded_words
from onrustradar.config import KeywordList

# "gaat niet door op het plein maar wordt verplaatst naar …": a moved event still happens, so
# an exclusion followed by these words does not hold.
MOVED = frozenset({"verplaatst", "verschoven", "verhuisd", "uitgeweken"})
# "bleef het rustig", "zonder incidenten" mark a match or a festival that passed off calmly as
# no event; a march that stayed calm is still the march ("duizenden fans liepen in een stoet naar
# het stadion, volgens de politie bleef het rustig").
CALM = frozenset({"rustig", "rustige", "incidenten"})
# "Verder bleef het volgens de politie rustig" after the arrests it reports: the rest was calm,
# the event happened
BESIDES = frozenset({"verder", "daarna", "overigens", "afgezien"})
# "De wedstrijd verliep op het veld zonder incidenten" after the riot outside: calm on the pitch only
ON_THE_PITCH = frozenset({"veld", "sportief"})
MARCH = frozenset({"mars", "stoet", "optocht", "supportersmars", "fakkeltocht"})
# A clock time, as a call names it: "14:00", "21.30", "15u", "1 uur", Frisian "1 oere" (not a
# price "€14.50", a score "2-1" or a decimal "3,5").
CLOCK = re.compile(
    r"(?<![\d.,:€$])(?:[01]?\d|2[0-3])[:.][0-5]\d(?![\d.,:]\d)|(?<![\d.,€$])\b(?:[01]?\d|2[0-3])\s*(?:uur|u|oere)\b",
    re.IGNORECASE,
)
CALL_LABEL = "(tijdstip)"  # how the clock time shows among the matched terms


@dataclass(slots=True)
class KeywordHits:
    """What the keyword lists found in one post, per category."""

    scores: dict[str, float]  # summed weights per category
    matched: dict[str, list[str]]  # category -> terms and phrases that fired
    excluded: dict[str, list[str]]  # category -> exclusions that fired

    def fired(self, category: str, threshold: float) -> bool:
        """Whether the lists alone put the post in `category`: weight at the threshold, no exclusion."""
        return not self.excluded.get(category) and self.scores.get(category, 0.0) >= threshold


def _phrase_key(phrase: str) -> tuple[str, ...]:
    return tuple(folded_words(phrase))


class KeywordMatcher:
    """All categories' terms (exact and prefix "stem*"), phrases and exclusions, indexed by their
    first word so a post is matched in one pass over its words."""

    def __init__(self, lists: dict[str, KeywordList]):
        self.lists = lists
        self._exact: dict[str, list[tuple[str, str, float]]] = {}
        self._prefix: list[tuple[str, str, str, float]] = []
        self._phrases: dict[str, list[tuple[tuple[str, ...], str, str, float]]] = {}
        self._exclusions: dict[str, list[tuple[tuple[str, ...], str, str]]] = {}
        # Terms without a word: symbols the scene uses for itself ("🛵", "🏁"), found in the text
        self._symbols: list[tuple[str, str, float]] = []
        self._calls = [(category, kl.call_weight) for category, kl in lists.items() if kl.call_weight]
        for category, kl in lists.items():
            for term, weight in kl.terms.items():
                words = _phrase_key(term.rstrip("*"))
                if not words and term.strip():
                    self._symbols.append((term.strip(), category, weight))
                elif len(words) != 1:
                    self._add_phrase(words, category, term, weight)
                elif term.endswith("*"):
                    self._prefix.append((words[0], category, term, weight))
                else:
                    self._exact.setdefault(words[0], []).append((category, term, weight))
            for phrase, weight in kl.phrases.items():
                self._add_phrase(_phrase_key(phrase), category, phrase, weight)
            for exclusion in [*kl.exclusions, *kl.measures]:
                words = _phrase_key(exclusion)
                if words:
                    self._exclusions.setdefault(words[0], []).append((words, category, exclusion))
        self._prefix.sort()
        # Prefix terms by their first three letters, so a word is checked only against terms
        # that can match it (shorter stems stay in a list checked for every word).
        self._prefix_head: dict[str, list[tuple[str, str, str, float]]] = {}
        self._prefix_short = [p for p in self._prefix if len(p[0]) < 3]
        for item in self._prefix:
            if len(item[0]) >= 3:
                self._prefix_head.setdefault(item[0][:3], []).append(item)
        self._first_words = frozenset(self._exact) | frozenset(self._phrases) | frozenset(self._exclusions)

    def _add_phrase(self, words: tuple[str, ...], category: str, label: str, weight: float) -> None:
        if words:
            self._phrases.setdefault(words[0], []).append((words, category, label, weight))

    def match(self, text: str, norms: list[str] | None = None) -> KeywordHits:
        """The terms, phrases and exclusions of every list that occur in `text`; each term counts
        once per post. `norms`: the folded words of `text` when the caller already has them."""
        words = norms if norms is not None else folded_words(text)
        scores: dict[str, float] = {}
        matched: dict[str, list[str]] = {}
        excluded: dict[str, list[str]] = {}
        seen: set[tuple[str, str]] = set()
        march = not MARCH.isdisjoint(words)

        def hit(category: str, label: str, weight: float) -> None:
            if (category, label) not in seen:  # a term counts once per post
                seen.add((category, label))
                scores[category] = scores.get(category, 0.0) + weight
                matched.setdefault(category, []).append(label)

        for symbol, category, weight in self._symbols:
            if symbol in text:
                hit(category, symbol, weight)
        relevant_words = self._first_words
        heads = self._prefix_head
        for i, word in enumerate(words):
            # Most words start no term, phrase or exclusion: one lookup rules them out.
            if word not in relevant_words and word[:3] not in heads and not self._prefix_short:
                continue
            for category, term, weight in self._exact.get(word, ()):
                hit(category, term, weight)
            for stem, category, term, weight in self._prefix_head.get(word[:3], ()):
                if word.startswith(stem):
                    hit(category, term, weight)
            for stem, category, term, weight in self._prefix_short:
                if word.startswith(stem):
                    hit(category, term, weight)
            for seq, category, label, weight in self._phrases.get(word, ()):
                if tuple(words[i : i + len(seq)]) == seq:
                    hit(category, label, weight)
            for seq, category, label in self._exclusions.get(word, ()):
                end = i + len(seq)
                if tuple(words[i:end]) == seq and not MOVED.intersection(words[end : end + 10]):
                    if CALM.intersection(seq) and (
                        march
                        or not BESIDES.isdisjoint(words[max(0, i - 8) : i])
                        or not ON_THE_PITCH.isdisjoint(words[max(0, i - 4) : i])
                    ):
                        continue
                    excluded.setdefault(category, []).append(label)
        if self._calls and any(scores.get(c) for c, _ in self._calls) and CLOCK.search(text):
            for category, weight in self._calls:
                if scores.get(category, 0.0) > 0:
                    hit(category, CALL_LABEL, weight)
        return KeywordHits(scores, matched, excluded)
