"""Source parsers on the real captured pages and feeds (tests/fixtures, see PROVENANCE.md)."""

from datetime import UTC, datetime

from conftest import FIXTURES

from crawlers.spiders.mastodon import parse_statuses
from crawlers.spiders.rss import parse_feed
from crawlers.spiders.telegram_web import parse_count, parse_page
from crawlers.text import html_to_text

NOW = datetime(2026, 11, 22, tzinfo=UTC)


def test_telegram_preview_page():
    posts, problems, before = parse_page((FIXTURES / "telegram_tme_s_durov.html").read_bytes(), "durov", "https://t.me")
    assert problems == []
    assert before == 519
    ids = [int(p.source_id.split("/")[1]) for p in posts]
    assert ids == sorted(ids) and ids[0] == 519 and ids[-1] == 539
    first = posts[0]
    assert first.source == "telegram" and first.channel == "durov"
    assert first.published_at == datetime(2026, 5, 20, 15, 38, 10, tzinfo=UTC)
    assert first.text.startswith("🤖 Your Telegram inbox can now run itself.\n\nAssign a bot")
    assert first.views == 8_670_000
    assert first.url == "https://t.me/durov/519"
    assert first.author and first.author.startswith("ps_")  # the signature, pseudonymised
    assert all(p.published_at.tzinfo for p in posts)


def test_counts():
    assert (parse_count("8.67M"), parse_count("1.2K"), parse_count("523"), parse_count("")) == (
        8_670_000,
        1200,
        523,
        None,
    )


def test_rss_feed():
    posts, problems, fatal = parse_feed((FIXTURES / "rss_rtvnoord.xml").read_bytes(), "rtvnoord", NOW)
    assert fatal is None and problems == []
    assert len(posts) == 16
    assert all(p.source == "rss" and p.url and p.published_at.tzinfo for p in posts)
    assert any("Vinkhuizen" in p.text for p in posts)
    assert all("<" not in p.text.split("\n")[0] for p in posts)  # titles are plain text


def test_broken_feed_is_a_clear_error_not_a_crash():
    posts, _, fatal = parse_feed(b"<rss><channel><item><title>half", "x", NOW)
    assert posts == [] or fatal is None
    _, _, fatal = parse_feed(b"\x00\x01 not a feed at all", "x", NOW)
    assert fatal and "unreadable feed" in fatal


def test_mastodon_timeline():
    statuses, problems = parse_statuses((FIXTURES / "mastodon_tag_timeline.json").read_bytes(), "#mastodon")
    assert problems == [] and len(statuses) == 20
    post = statuses[0][1]
    assert post.source == "mastodon" and post.channel == "#mastodon"
    assert "<" not in post.text and post.text.strip()
    assert post.author.startswith("ps_")


def test_html_to_text_keeps_breaks_and_drops_markup():
    assert html_to_text("<p>Eerste<br>tweede</p><p>derde <a href='x'>link</a></p>") == "Eerste\ntweede\nderde link"
    assert html_to_text("<script>alert(1)</script>tekst") == "tekst"
