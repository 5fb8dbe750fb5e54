"""Property-based fuzzing (Hypothesis) of everything that reads outside input: the JSONL
readers of classify/detect, the config loader, the time and place code (public functions
only) and each spider's parser. The property is always the same: hostile input gives a
result or a clean, expected refusal — never a crash, never a post outside the intake window.

Kept fast (few examples, no deadline on slow first calls) so the module runs well under a
minute; the red-team module (test_redteam.py) holds the hand-written payloads."""

import json
import os
import shutil
import tempfile
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from conftest import write_config
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onrustradar.core.intake import EARLIEST, FUTURE_SLACK, Rejected, admit, clean

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NOW = datetime.now(UTC)

# JSON values, nested a little, with the characters hostile input likes.
hostile_text = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=80) | st.sampled_from(
    [
        "\ud800",
        "\udfff",
        "\x00",
        "9999-12-31T23:59:59+00:00",
        "0001-01-01T00:00:00+14:00",
        "NaN",
        "1e309",
        "@jansen",
        "<script>",
        "![x](http://e/x.png)",
        "zaterdag 14:00 Malieveld Den Haag",
        "over 99999999 weken",
        "de 99e",
    ]
)
scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | hostile_text
)
json_values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(hostile_text, inner, max_size=4), max_leaves=12
)
moments = st.datetimes(
    min_value=datetime(1, 1, 2),
    max_value=datetime(9999, 12, 30),
    timezones=st.sampled_from([UTC, timezone(timedelta(hours=14)), timezone(timedelta(hours=-12))]),
)


def _in_window(post) -> bool:
    return EARLIEST <= post.published_at <= datetime.now(UTC) + FUTURE_SLACK


def _admitted(posts) -> None:
    for post in posts:
        try:
            admit(post)
        except Rejected:
            continue
        assert _in_window(post)
        post.text.encode("utf-8")  # storable
        post.source_id.encode("utf-8")


# -- JSONL readers -------------------------------------------------------------------------------


@pytest.mark.slow
@FAST
@given(
    record=st.dictionaries(
        st.sampled_from(
            ["id", "text", "published_at", "source", "channel", "url", "views", "forwards", "forwarded_from", "x"]
        ),
        json_values | moments.map(str),
    )
)
def test_post_from_record(record):
    from onrustradar.service.jsonl import BadLine, post_from_record

    try:
        post = post_from_record(record)
    except BadLine:
        return
    assert _in_window(post)
    json.dumps({"id": post.source_id, "text": post.text}, ensure_ascii=False).encode("utf-8")


@pytest.mark.slow
@FAST
@given(lines=st.lists(st.binary(max_size=200) | json_values.map(lambda v: json.dumps(v).encode()), max_size=8))
def test_read_records(lines):
    from onrustradar.service.jsonl import read_records

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "in.jsonl"
        path.write_bytes(b"\n".join(lines))
        for _record, post, error in read_records(path):
            assert (post is None) != (error is None)
            if post is not None:
                assert _in_window(post)


# -- config loader ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def config_dir():
    directory = Path(tempfile.mkdtemp())
    write_config(directory)
    yield directory
    shutil.rmtree(directory)


yaml_text = st.text(max_size=300) | st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "gemeenten",
                    "sources",
                    "retention_days",
                    "store",
                    "schedule",
                    "crawl",
                    "detectors",
                    "calendars",
                    "name",
                    "type",
                    "interval",
                    "url",
                    "channel",
                    "process_interval",
                    "timeout",
                    "watches",
                    "board",
                    "alerts",
                ]
            ),
            inner,
            max_size=4,
        )
    ),
    max_leaves=15,
).map(lambda v: json.dumps(v))  # JSON is YAML


@pytest.mark.slow
@FAST
@given(text=yaml_text)
def test_config_loader(config_dir, text):
    from onrustradar.config import ConfigError, load_config

    path = config_dir / "onrustradar.yml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass") if False else path.write_bytes(
        text.encode("utf-8", "replace")
    )
    try:
        load_config(path)
    except ConfigError as exc:
        assert "\n" not in str(exc) and len(str(exc)) < 1000


# -- time and place code (public functions only) ------------------------------------------------

# Numbers with dots as posts write them: dates ("23.01", "24.01.2027"), clock times ("21.05 uur"),
# amounts ("12.50"), impossible ones ("99.99.99999").
dotted_text = st.from_regex(
    r"[a-z ]{0,12}\d{1,3}\.\d{1,3}(\.\d{1,5})?( uur| meter|, \d{1,2}:\d{2})?[a-z ]{0,12}", fullmatch=True
)


@FAST
@given(
    text=dotted_text,
    published=st.datetimes(
        min_value=EARLIEST.replace(tzinfo=None),
        max_value=(NOW + FUTURE_SLACK).replace(tzinfo=None),
        timezones=st.just(UTC),
    ),
)
def test_timex_dotted_numbers(text, published):
    from nlp import timex

    result = timex.resolve(text, published)  # an impossible day or month is no date, never a crash
    if result.start is not None:
        assert result.start.tzinfo is not None and abs(result.start.year - published.year) <= 3


@FAST
@given(text=hostile_text | st.text(max_size=300), lead=st.text(max_size=40))
def test_copy_keys(text, lead):
    from onrustradar.core.copykeys import MIN_BODY, copy_keys

    keys = copy_keys(text)  # any text: a few fixed-size keys, never a crash, never the text itself
    assert len(keys) <= 2 and all(len(k) == 16 and int(k, 16) >= 0 for k in keys)
    if (
        len(" ".join(text.split())) >= MIN_BODY
        and "\n" not in lead
        and "\r" not in lead
        and lead.strip()
        and len(lead) <= 60
        and text.strip()
        and not text.lstrip().lower().startswith(("fw", "forwarded", "doorgestuurd", "weitergeleitet"))
    ):
        # a forwarder's short line on top keeps the copy findable
        assert set(copy_keys(text)) & set(copy_keys(lead + "\n" + text))


@FAST
@given(
    text=hostile_text | st.text(max_size=200),
    published=st.datetimes(
        min_value=EARLIEST.replace(tzinfo=None),
        max_value=(NOW + FUTURE_SLACK).replace(tzinfo=None),
        timezones=st.just(UTC),
    ),
)
def test_timex_resolve(text, published):
    from nlp import timex

    result = timex.resolve(text, published)  # never raises, whatever the amounts in the text
    if result.start is not None:
        assert result.start.tzinfo is not None


@pytest.fixture(scope="module")
def places():
    from nlp.places import place_resolver

    return place_resolver()


@FAST
@given(
    text=hostile_text | st.text(max_size=200),
    home=st.none() | st.sampled_from(["GM0193", "GM9999", ""]),
    # (camel case is split into words: "r/DelftInternationals")
    channel=st.none() | hostile_text | st.from_regex(r"(?:r/)?(?:[A-Z][a-z]{0,12}){1,6}\d{0,3}", fullmatch=True),
)
def test_place_resolve(places, text, home, channel):
    match = places.resolve(text, home or None, channel=channel)
    if match is not None:
        assert match.gemeente_code is None or match.gemeente_code.startswith("GM")
    # a channel's name points to one known gemeente or to none
    assert places.channel_home(channel) in {None, *places.gaz.gemeenten}
    # a post whose scene is abroad is one the resolver gives no gemeente without a home
    if places.scene_abroad(text) and home in (None, ""):
        assert places.resolve(text) is None


# -- the whole analysis ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def analyzer(tmp_path_factory):
    from onrustradar.config import load_config
    from onrustradar.service.analyzer import analyzer_for

    return analyzer_for(load_config(write_config(tmp_path_factory.mktemp("analyzer"))))


# Posts as the watched groups might write them: hostile characters, the vocabulary that turns
# the stages on (times, places, calls, exclusions), absurd lengths and repeats.
analysis_words = st.sampled_from(
    [
        "zaterdag",
        "om 14.00 uur",
        "kwart over 12",
        "een uur of 2",
        "vanavond",
        "Malieveld",
        "Den Haag",
        "in Aachen",
        "demonstratie",
        "scootermeeting",
        "supporters",
        "rellen",
        "geen rellen",
        "verplaatst",
        "LIVE 14:05",
        "zo'n 2000",
        "\n",
        "🔥",
        "@jansen",
    ]
)
post_text = hostile_text | st.lists(analysis_words | hostile_text, max_size=30).map(" ".join) | st.text(max_size=400)


@pytest.mark.slow
@FAST
@given(
    texts=st.lists(post_text, min_size=1, max_size=6),
    published=st.datetimes(
        min_value=EARLIEST.replace(tzinfo=None),
        max_value=(NOW + FUTURE_SLACK).replace(tzinfo=None),
        timezones=st.just(UTC),
    ),
    channel=hostile_text,
)
def test_analyzer_stages(analyzer, texts, published, channel):
    from onrustradar.core.gazetteer import gazetteer
    from onrustradar.core.models import CATEGORIES, Post

    posts = [Post("telegram", f"c/{i}", channel, published, text) for i, text in enumerate(texts)]
    results = analyzer.analyze_many(posts)  # every stage over a hostile batch: never a crash
    assert [r.post_id for r in results] == [p.id for p in posts]
    for result in results:
        assert set(result.categories) <= set(CATEGORIES)
        assert all(0.0 <= result.scores.get(c, 0.0) <= 1.0 for c in CATEGORIES)
        if result.gemeente_code is not None:
            known = gazetteer().gemeente(result.gemeente_code)
            assert known is not None and known.name == result.gemeente
        if result.event_start is not None:
            assert result.event_start.tzinfo is not None
            assert abs((result.event_start - published).days) <= 3 * 366
        result.contract()  # the classify output can always be written


# -- spider parsers -----------------------------------------------------------------------------

tag = st.sampled_from(["div", "span", "b", "a", "time", "br", "p", "i"])
html_text = st.recursive(
    hostile_text.map(lambda t: t.replace("<", "&lt;")),
    lambda inner: st.tuples(tag, st.lists(inner, max_size=3)).map(lambda t: f"<{t[0]}>{''.join(t[1])}</{t[0]}>"),
    max_leaves=10,
)


@FAST
@given(
    body=html_text,
    stamp=moments.map(lambda m: m.isoformat()) | hostile_text,
    ref=hostile_text,
    views=hostile_text,
    fwd=hostile_text,
    nest=st.integers(min_value=0, max_value=3000),
)
def test_telegram_web_parser(body, stamp, ref, views, fwd, nest):
    from crawlers.spiders.telegram_web import parse_page

    message = (
        f'<div class="tgme_widget_message" data-post="kanaal/{ref}"><a class="tgme_widget_message_forwarded_from_name" '
        f'href="{fwd}">{fwd}</a><div class="tgme_widget_message_text">{"<div>" * nest}{body}</div>'
        f'<span class="tgme_widget_message_views">{views}</span>'
        f'<a class="tgme_widget_message_date"><time datetime="{stamp}"></time></a></div>'
    )
    good = (
        f'<div class="tgme_widget_message" data-post="kanaal/7"><div class="tgme_widget_message_text">Normaal</div>'
        f'<a class="tgme_widget_message_date"><time datetime="{NOW.isoformat()}"></time></a></div>'
    )
    posts, problems, _ = parse_page(("<html><body>" + message + good).encode("utf-8", "replace"), "kanaal", "http://x")
    assert "kanaal/7" in {p.source_id for p in posts}  # the normal message after it is never lost
    _admitted(posts)


@FAST
@given(
    title=hostile_text,
    date=hostile_text | moments.map(lambda m: m.strftime("%a, %d %b %Y %H:%M:%S +0000")),
    guid=hostile_text,
    link=hostile_text,
    raw=st.binary(max_size=300),
)
def test_rss_parser(title, date, guid, link, raw):
    from xml.sax.saxutils import escape

    from crawlers.spiders.rss import parse_feed

    item = (
        f"<item><title>{escape(title)}</title><pubDate>{escape(date)}</pubDate><guid>{escape(guid)}</guid>"
        f"<link>{escape(link)}</link><author>{escape(title)}</author></item>"
    )
    feed = f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>x</title>{item}</channel></rss>'
    for body in (feed.encode("utf-8", "replace"), raw):
        posts, _problems, _fatal = parse_feed(body, "nieuws", NOW)
        _admitted(posts)


def _json_parser(parse, body):
    try:
        result = parse(body)
    except ValueError:
        return []  # the spiders catch ValueError: the page is recorded as unreadable
    return result[0]


status = st.fixed_dictionaries(
    {
        "id": json_values,
        "created_at": json_values | moments.map(str),
        "content": json_values,
        "account": st.none() | st.fixed_dictionaries({"acct": json_values}),
        "uri": json_values,
        "url": json_values,
        "reblogs_count": json_values,
    },
    optional={"reblog": json_values, "spoiler_text": json_values},
)


@pytest.mark.slow
@FAST
@given(data=st.lists(status, max_size=3) | json_values, raw=st.binary(max_size=100))
def test_mastodon_parser(data, raw):
    from crawlers.spiders.mastodon import parse_statuses

    for body in (json.dumps(data).encode(), raw, ("[" * 50_000).encode()):
        _admitted(p for _, p in _json_parser(lambda b: parse_statuses(b, "#zwolle", "http://x"), body))


child = st.fixed_dictionaries(
    {
        "kind": st.just("t3"),
        "data": st.fixed_dictionaries(
            {"name": json_values, "title": json_values, "created_utc": json_values, "author": json_values},
            optional={
                "permalink": json_values,
                "num_comments": json_values,
                "subreddit": json_values,
                "url": json_values,
            },
        ),
    }
)


@pytest.mark.slow
@FAST
@given(children=st.lists(child | json_values, max_size=3), raw=st.binary(max_size=100))
def test_reddit_parser(children, raw):
    from crawlers.spiders.reddit import parse_listing

    body = json.dumps({"kind": "Listing", "data": {"children": children, "after": None}}).encode()
    for b in (body, raw, ('{"a":' * 50_000).encode()):
        _admitted(_json_parser(lambda x: parse_listing(x, "zwolle", "http://x"), b))


view = st.fixed_dictionaries(
    {
        "uri": json_values | st.just("at://did:plc:x/app.bsky.feed.post/1"),
        "record": st.fixed_dictionaries({"text": json_values, "createdAt": json_values | moments.map(str)}),
        "indexedAt": json_values,
        "author": json_values,
    }
)


@pytest.mark.slow
@FAST
@given(views=st.lists(view | json_values, max_size=3), raw=st.binary(max_size=100))
def test_bluesky_parser(views, raw):
    from crawlers.spiders.bluesky import parse_page

    for b in (json.dumps({"posts": views}).encode(), json.dumps({"feed": [{"post": v} for v in views]}).encode(), raw):
        _admitted(_json_parser(lambda x: parse_page(x, "zoek:zwolle"), b))


item = st.fixed_dictionaries(
    {"id": json_values, "title": json_values, "date": json_values | moments.map(str)},
    optional={"description": json_values, "stats": json_values},
)


@pytest.mark.slow
@FAST
@given(items=st.lists(item | json_values, max_size=3), raw=st.binary(max_size=100))
def test_dumpert_parser(items, raw):
    from crawlers.spiders.dumpert import parse_latest

    for b in (json.dumps({"items": items}).encode(), raw):
        _admitted(_json_parser(parse_latest, b))


def test_the_key_is_set():
    assert os.environ["ONRUSTRADAR_PSEUDONYM_KEY"]


# -- grouping and feedback (issue #14/#15 code) ---------------------------------------------


# a place adjective stands for its place ("het Scheveningse strand"): the rule on hostile words
PLACE_ADJECTIVES = st.sampled_from(["het Scheveningse strand", "de Kralingse Plas", "Groningse", "Xse", "SE", "se"])


@FAST
@given(text=hostile_text | st.text(max_size=200) | st.lists(PLACE_ADJECTIVES | hostile_text, max_size=8).map(" ".join))
def test_anchors(text):
    from detectors.anchors import anchors

    names = anchors(text)
    assert isinstance(names, frozenset) and all(isinstance(n, str) and len(n) >= 4 for n in names)


@pytest.mark.slow
@FAST
@given(
    texts=st.lists(hostile_text | st.text(max_size=120), min_size=1, max_size=6),
    handle=st.from_regex(r"[a-z][a-z0-9_]{3,12}", fullmatch=True),
)
def test_feedback_scrub_never_keeps_a_handle(texts, handle):
    from nlp.feedback import scrub

    marked = [f"{t} @{handle} {handle}@mastodon.example" for t in texts]
    for out in scrub(marked, known=set(), min_posts=5):
        assert "@" + handle not in out and handle + "@" not in out


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    posts=st.lists(
        st.tuples(
            hostile_text
            | st.sampled_from(
                [
                    "Demonstratie zaterdag 14:00 Grote Markt Zwolle",
                    "scootermeeting vanavond 22u Hessenpoort",
                    "we staan er al!!",
                    "rellen in de wijk",
                    # the day's mechanisms: called off, moved, a late night, a match, a bystander
                    "Update: zaterdag gaat NIET door",
                    "LET OP: de demonstratie wordt verplaatst naar zondag 15:00, zelfde plek",
                    "Vriedigaovend 23:00 meet op de Markt 🛵",
                    "Rellen na SC Cambuur – sc Heerenveen, ME grijpt in",
                    "station right now: hundreds of guys, flares",
                    "19.42 uur: stenen naar de ME in Zwolle",
                    # 7 December: live from the channel, an incident's aftermath, the club's business
                    "We zitten! Honderden mensen op het asfalt",
                    "Twee verdachten aangehouden voor explosie Brinkstraat Zwolle",
                    "Volgende week zaterdag weer, verzamelen voor de demonstratie op de Grote Markt",
                    "Transfer rond: PEC Zwolle haalt spits, twee dagen voor de derby",
                    "Agenten bekogeld met zwaar vuurwerk in Schalkwijk",
                    # this stop: lower-case colloquial names, back from abroad, English fans
                    "zaterdag na den bosch, 20 tegen 20 bij de schans",
                    "Terug uit Berlijn, gisteren met duizenden door de stad",
                    "the ultras are doing a march from the station to the stadium, 13:30",
                ]
            ),
            st.integers(0, 72),
            # channels as the crawlers name them (t.me names, pseudonyms; one named like the
            # upload site) and hostile ones
            st.sampled_from(["a", "b", "politie_x", "dumpert", "ps_0123456789abcdef"])
            | st.from_regex(r"[A-Za-z][A-Za-z0-9_]{3,20}", fullmatch=True)
            | hostile_text,
            st.sampled_from(["telegram", "dumpert", "rss"]),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_grouping_and_context(posts):
    """Hostile posts through analysis, grouping and context attachment: signals come out, each
    with a gemeente, and no post is in two signals."""
    from detectors.signals import build_signals
    from onrustradar.core.models import Post

    now = datetime(2026, 11, 20, 12, tzinfo=UTC)
    items = [
        # (a channel as intake stores it: lone surrogates and NUL replaced)
        Post(source, f"{n}", clean(ch), now - timedelta(hours=h), text)
        for n, (text, h, ch, source) in enumerate(posts)
    ]
    analyzer = _fuzz_analyzer()
    signals = build_signals(list(zip(items, analyzer.analyze_many(items))), now)
    ids = [i for s in signals for i in s.post_ids]
    assert len(ids) == len(set(ids))
    assert all(s.gemeente_code for s in signals)
    assert all(1 <= s.independent_sources <= len(s.post_ids) for s in signals)
    # every upload to an upload site is its own origin, and no channel passes for one (a
    # channel named "dumpert" shared the site's origin before)
    uploads = [p.origin for p in items if p.source == "dumpert"]
    assert len(set(uploads)) == len(uploads)
    assert not set(uploads) & {p.origin for p in items if p.source != "dumpert"}


_ANALYZER = []


def _fuzz_analyzer():
    if not _ANALYZER:
        from conftest import ROOT

        from onrustradar.config import load_config
        from onrustradar.service.analyzer import analyzer_for

        _ANALYZER.append(analyzer_for(load_config(ROOT / "config" / "onrustradar.yml")))
    return _ANALYZER[0]


@given(
    text=hostile_text,
    symbols=st.lists(st.text(alphabet="🛵🏁💨🔥🚜⚠️", min_size=1, max_size=3), min_size=1, max_size=4, unique=True),
)
def test_keyword_symbols(text, symbols):
    """Symbol terms (the scene's emoji) in an analyst's list: any text is matched without error,
    each symbol counts once, and only symbols that occur in the text."""
    from nlp.keywords import KeywordMatcher
    from onrustradar.config import KeywordList

    lists = {"scootermeeting": KeywordList(category="scootermeeting", terms={s: 0.4 for s in symbols})}
    hits = KeywordMatcher(lists).match(text)
    found = hits.matched.get("scootermeeting", [])
    assert len(found) == len(set(found)) and all(s in text for s in found)
    assert abs(hits.scores.get("scootermeeting", 0.0) - 0.4 * len(found)) < 1e-9


@given(
    text=hostile_text | st.text(alphabet="0123456789:.,€$ uro🛵meeting", max_size=120),
    weight=st.floats(min_value=0.0, max_value=5.0, allow_nan=False),
)
def test_keyword_call_weight(text, weight):
    """The call weight (a list's hit plus a clock time) on any text: added at most once, only
    with a hit of the list itself, and exactly when CLOCK finds a time."""
    from nlp.keywords import CALL_LABEL, CLOCK, KeywordMatcher
    from onrustradar.config import KeywordList

    kl = KeywordList(category="scootermeeting", terms={"🛵": 0.4, "meeting": 0.3}, call_weight=weight)
    hits = KeywordMatcher({"scootermeeting": kl}).match(text)
    found = hits.matched.get("scootermeeting", [])
    terms = [t for t in found if t != CALL_LABEL]
    called = bool(weight) and bool(terms) and CLOCK.search(text) is not None
    assert found.count(CALL_LABEL) == (1 if called else 0)
    expected = sum(kl.terms[t] for t in terms) + (weight if called else 0.0)
    assert abs(hits.scores.get("scootermeeting", 0.0) - expected) < 1e-9


# The phrases the rules of 8 December key on, mixed with hostile text: each rule's path is taken
# with whatever surrounds it (datelines in a town's spelling, a day before a start clock, "een"
# before a day, a deadline, origins only, a bare street name, a calm or measure exclusion).
RULE_FRAGMENTS = st.sampled_from(
    [
        "Den Helder –",
        "Alphen aan den Rijn -",
        "'s-Hertogenbosch –",
        "Vertrek vrijdagavond 22:00 vanaf de IJsselhallen in Zwolle,",
        "zaterdag 12:00 start de mars",
        "zondag om 14.00 begint",
        "op een zondagochtend",
        "na 22.00 uur niet langer wordt gedoogd",
        "Ook vanuit Emmen en Assen rijden we erheen",
        "Korenmarkt staat vol blauw",
        "het strand van Zandvoort",
        "Na het geweld op de Grote Markt",
        "Verder bleef het volgens de politie rustig.",
        "van de steekpartij van afgelopen zaterdag",
        "Donderdag speelt de club",
        "De oproep om maandagavond naar het stadhuis te komen,",
        "Rond 00.45 uur was het terrein leeg",
        "Vanaf 17.00 uur is parkeren niet toegestaan",
        "om 11.00 rijden we naar het provinciehuis, Provinciale Staten",
        "Drenthe",
        "op Heerlens bedrijventerrein",
        "het Scheveningse strand",
        "niet voor een protest",
        "geen ME nodig gehad",
        "De wedstrijd verliep op het veld zonder incidenten.",
        "is een demonstratie aangemeld",
        "the march starts at noon",
        "De blokkades begonnen rond 06.00 uur.",
        "\n",
    ]
)
rule_text = st.lists(RULE_FRAGMENTS | hostile_text, max_size=8).map(" ".join)


@FAST
@given(
    text=rule_text,
    published=st.datetimes(
        min_value=EARLIEST.replace(tzinfo=None),
        max_value=(NOW + FUTURE_SLACK).replace(tzinfo=None),
        timezones=st.just(UTC),
    ),
    channel=st.none()
    | st.sampled_from(
        ["Noorderland Nieuws", "arnhem_nachtleven", "r/Tilburg", "Boerenverzet Drenthe", "Bunnikside Berichten"]
    )
    | hostile_text,
)
def test_the_rules_of_8_december_on_hostile_text(places, text, published, channel):
    from nlp import timex

    result = timex.resolve(text, published)
    if result.start is not None:
        # a start is an aware moment within a year or so of the post, never a crash
        assert result.start.tzinfo is not None and abs((result.start - published).days) <= 400
    match = places.resolve(text, channel=channel)
    assert match is None or match.gemeente_code in places.gaz.gemeenten


@FAST
@given(
    keywords=st.lists(
        hostile_text | st.sampled_from(["!incident:zonder incidenten", "!incident:sluit woning", "!x"]), max_size=5
    ),
    text=rule_text,
    gemeente=st.none() | st.sampled_from(["GM0193"]),
    measures=st.lists(hostile_text | st.sampled_from(["sluit woning", "hardere aanpak"]), max_size=3),
)
def test_who_may_join_by_context_reads_any_keyword_labels(keywords, text, gemeente, measures):
    from detectors.attach import may_be_context
    from onrustradar.core.models import Analysis, Post

    post = Post("rss", "f/1", "x", NOW, text)
    analysis = Analysis(post.id, [], {}, gemeente_code=gemeente, keywords=keywords)
    allowed = may_be_context(post, analysis)  # any labels a stored analysis holds, never a crash
    # an analyst's measures (KeywordList.measures) only ever let more posts join, never fewer
    assert may_be_context(post, analysis, frozenset(measures)) or not allowed
    labels = [k.split(":", 1)[-1] for k in keywords if k.startswith("!")]
    if not labels or all("incidenten" in label.split() for label in labels):
        assert allowed  # no exclusion, or only "it stayed calm": a report of the event


@FAST
@given(
    exclusions=st.lists(hostile_text, max_size=3),
    measures=st.lists(hostile_text | st.sampled_from(["sluit woning", "hardere aanpak"]), max_size=3),
    text=rule_text,
)
def test_an_analysts_measures_veto_like_exclusions_on_any_text(exclusions, measures, text):
    """KeywordList.measures from a hostile editor: validated like exclusions, matched without a
    crash, and only ever reported as what the list holds."""
    from pydantic import ValidationError

    from nlp.keywords import KeywordMatcher
    from onrustradar.config import KeywordList

    try:
        kl = KeywordList(category="incident", terms={"rellen": 1.0}, exclusions=exclusions, measures=measures)
    except ValidationError:
        return  # a refused list: the config error path, tested with the config
    hits = KeywordMatcher({"incident": kl}).match(text)
    assert set(hits.excluded.get("incident", [])) <= set(kl.exclusions) | set(kl.measures)
