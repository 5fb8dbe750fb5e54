"""The one-line summary of a signal (#19): extractive, from the most reliable post, with the
numbers that matter, and never a person's name or handle — also on hostile text."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detectors.summary import MAX_CHARS, facts, scrub_names, summarize
from onrustradar.core.models import Post, Signal

NOW = datetime(2026, 11, 20, 7, tzinfo=UTC)
KINDS = {"rss": "news", "politie": "official"}


def kind(post):
    return KINDS.get(post.source_name or post.source, "social")


def _signal(posts, **kw):
    return Signal("s", kw.pop("categories", ["incident"]), "GM0193", "Zwolle", NOW, NOW, [p.id for p in posts], **kw)


def test_the_headline_of_the_confirming_news_item_wins_over_social_chatter():
    posts = [
        Post("telegram", "t/1", "k", NOW - timedelta(hours=3), "wtf knal in holtenbroek?? iemand iets gezien"),
        Post(
            "rss",
            "n/1",
            "regio",
            NOW - timedelta(hours=1),
            "Rellen na wedstrijd bij stadion in Zwolle\n\n"
            "Na afloop gingen zo'n 200 supporters met elkaar op de vuist; de ME voerde charges uit.",
        ),
    ]
    line = summarize(_signal(posts, categories=["supporters", "incident"]), posts, kind)
    assert line == "Rellen na wedstrijd bij stadion in Zwolle (ca. 200 supporters)"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("De politie hield drie mensen aan; twee agenten raakten gewond.", ["3 aanhoudingen", "2 gewonden"]),
        ("Er worden zo'n 300 demonstranten verwacht op het Malieveld.", ["verwacht: ca. 300 demonstranten"]),
        ("Zaterdag was mega, 70+ scooters op Bergweide", ["70+ scooters"]),
        ("Bij de explosie raakte vannacht één bewoner gewond.", ["1 gewonde"]),
        ("Honderden boeren met trekkers bij het provinciehuis", ["honderden boeren"]),
        ("Een man is aangehouden.", ["1 aanhouding"]),
        ("Niemand raakte gewond bij de brand.", []),
    ],
)
def test_numbers_that_matter(text, expected):
    assert [str(f) for f in facts([text])] == expected


@pytest.mark.parametrize(
    "text, gone, kept",
    [
        ("Burgemeester Peter Snijders zegt dat de demonstratie doorgaat.", ["Peter", "Snijders"], "Burgemeester zegt"),
        ("Jan de Vries (34) uit Zwolle is aangehouden na de rellen.", ["Jan", "Vries", "34"], "iemand uit Zwolle"),
        ("Volgens J. Jansen waren er honderden supporters van Go Ahead Eagles.", ["J.", "Jansen"], "Go Ahead Eagles"),
        ("Toen Mohammed werd geslagen door jongeren in Holtenbroek.", ["Mohammed"], "in Holtenbroek"),
        ("Explosie bij woning aan de Middelweg in Zwolle-Holtenbroek", [], "Middelweg in Zwolle-Holtenbroek"),
        ("DEMONSTRATIE op het Grote Kerkplein, DELEN!!", [], "Grote Kerkplein"),
    ],
)
def test_names_are_cut_out_places_and_organisations_stay(text, gone, kept):
    out = scrub_names(text)
    for word in gone:
        assert word not in out.split() and word not in out.replace(".", " ").split()
    assert kept in out


def test_handles_links_and_pseudonyms_never_reach_the_line():
    posts = [
        Post(
            "telegram",
            "t/1",
            "k",
            NOW,
            "Oproep van @ps_0123456789abcdef en @echtenaam: demonstratie "
            "zaterdag 14:00 bij het stadhuis in Zwolle https://t.me/joinchat/abc u/redditor #zwolle 📢📢",
        )
    ]
    line = summarize(_signal(posts, categories=["demonstratie"]), posts, kind)
    assert "@" not in line and "ps_" not in line and "http" not in line and "u/" not in line and "📢" not in line
    assert "demonstratie zaterdag 14:00 bij het stadhuis in Zwolle" in line


def test_without_posts_the_line_says_what_where_and_when():
    signal = Signal(
        "s",
        ["demonstratie"],
        "GM0193",
        "Zwolle",
        NOW,
        NOW,
        [],
        place="Grote Kerkplein",
        event_start=NOW + timedelta(days=1),
        time_known=True,
        announced=True,
    )
    assert summarize(signal, [], kind) == "Demonstratie in Grote Kerkplein, Zwolle, aangekondigd voor za 21 nov 08:00"


@settings(max_examples=150, deadline=None)
@given(st.text(min_size=1, max_size=400), st.sampled_from(["telegram", "rss"]))
def test_any_text_gives_one_bounded_line_without_handles(text, source):
    posts = [Post(source, "x/1", "k", NOW, f"{text} @geheimeaccount {text}")]
    line = summarize(_signal(posts), posts, kind)
    assert isinstance(line, str) and line and "\n" not in line
    assert len(line) <= MAX_CHARS and "@geheimeaccount" not in line


def test_a_huge_post_is_summarised():
    text = ("Demonstratie bij het stadhuis in Zwolle met 300 mensen. " * 400)[:20_000]
    posts = [Post("telegram", "x/1", "k", NOW, text)]
    line = summarize(_signal(posts, categories=["demonstratie"]), posts, kind)
    assert line.startswith("Demonstratie bij het stadhuis in Zwolle") and len(line) <= MAX_CHARS
