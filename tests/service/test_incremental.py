"""Incremental processing gives the same signals as grouping the same posts at once.

The labelled scenario sets (detectors/eval/) are fed to a real store tick by tick, in the
order the posts were published, through the same `process` that `run` calls; at the end the
stored signals are compared field by field with `build_signals` over all posts at once (what
`detect` does). On SQLite and on a real Elasticsearch node. The documented differences
(detectors/incremental.py) do not occur in these sets, except that an event whose last post is
older than the 14-day horizon is no longer recomputed (its score stays as it was then)."""

import json
import logging
import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from conftest import ROOT, write_config

from detectors.overrides import with_merged_seeds
from detectors.settings import grouping_fingerprint
from detectors.signals import build_signals
from onrustradar.config import load_config, source_kinds
from onrustradar.core.models import Analysis, Post
from onrustradar.service.analyzer import analyzer_for
from onrustradar.service.incremental import GROUPING_KEY, HORIZON, refresh_all, reprocess
from onrustradar.service.jsonl import post_from_record
from onrustradar.service.pipeline import detector_settings, process
from store import SignalQuery

SETS = {
    "own": ROOT / "detectors/eval/grouping_set.jsonl",
    "independent": ROOT / "detectors/eval/independent/posts.jsonl",
    "fresh": ROOT / "detectors/eval/fresh/posts.jsonl",
}
FIELDS = (
    "categories",
    "gemeente_code",
    "gemeente",
    "place",
    "event_start",
    "time_known",
    "announced",
    "first_seen",
    "last_seen",
    "post_ids",
    "independent_sources",
    "official_sources",
    "score",
    "reliability",
    "burst_factor",
    "explanation",
    "status",
)


@pytest.fixture(scope="module")
def config(tmp_path_factory):
    return load_config(write_config(tmp_path_factory.mktemp("inc")))


@pytest.fixture(scope="module")
def analyzer(config):
    return analyzer_for(config)


def _posts(name: str) -> list[Post]:
    records = [json.loads(line) for line in SETS[name].read_text(encoding="utf-8").splitlines() if line.strip()]
    later = datetime(2099, 1, 1, tzinfo=UTC)  # (a set may lie ahead of today)
    return sorted((post_from_record(r, now=later) for r in records), key=lambda p: (p.published_at, p.id))


def _run_ticks(store, config, analyzer, posts, step: timedelta):
    """Posts arrive as they are published; `process` runs every `step`. Returns the last `now`."""
    now, i = posts[0].published_at, 0
    while i < len(posts):
        now += step
        arrived = []
        while i < len(posts) and posts[i].published_at <= now:
            arrived.append(posts[i])
            i += 1
        if arrived:
            store.upsert_posts(arrived)
        process(store, config, now=now, analyzer=analyzer)
    return now


def _differences(stored: dict, expected: dict, now) -> list[str]:
    # grouping at once sees the horizon only: an event that ended before it is not compared
    stored = {k: v for k, v in stored.items() if v.last_seen >= now - HORIZON or k in expected}
    out = [f"only incremental: {sid}" for sid in set(stored) - set(expected)]
    out += [f"only at once: {sid}" for sid in set(expected) - set(stored)]
    for sid in set(stored) & set(expected):
        a, b = stored[sid], expected[sid]
        if b.first_seen < now - HORIZON:
            continue  # began before the horizon: the tick no longer sees all of it (documented)
        for name in FIELDS:
            x, y = getattr(a, name), getattr(b, name)
            if hasattr(x, "timestamp") and hasattr(y, "timestamp") and abs(x.timestamp() - y.timestamp()) < 0.001:
                continue
            if name == "score" and a.last_seen < now - HORIZON:
                continue  # outside the horizon: not recomputed any more (documented)
            if x != y:
                out.append(f"{sid} {name}: {x!r} != {y!r}")
    return out


def _at_once(store, config, now, previous=lambda _id: None):
    """main's batch path (build_signals) over every post at once, with and without a
    category, with the analysts' decisions."""
    pairs = store.analysed_posts(since=now - timedelta(days=400), relevant_only=False)
    decisions = store.decisions()
    return {
        s.signal_id: s
        for s in build_signals(
            pairs,
            now,
            source_kinds(config),
            previous,
            settings=detector_settings(config),
            seeds=with_merged_seeds({}, decisions),
            decisions=decisions,
        )
    }


@pytest.mark.slow
@pytest.mark.parametrize("name,hours", [("own", 1), ("independent", 3), ("fresh", 2)])
def test_ticks_give_the_signals_of_grouping_at_once(store, config, analyzer, name, hours):
    if type(store).__name__ == "ElasticStore":
        # All three sets on both stores (#16: the same behaviour on SQLite and Elasticsearch);
        # a tick every three hours on Elasticsearch keeps the three within about two minutes.
        hours = 3
    posts = _posts(name)
    now = _run_ticks(store, config, analyzer, posts, timedelta(hours=hours))
    # Untouched events are recomputed when due (at most 30 min late); bring all to `now`.
    refresh_all(store, now, source_kinds(config), detector_settings(config))
    stored = {s.signal_id: s for s in store.query_signals(SignalQuery(limit=100_000))}
    expected = _at_once(store, config, now)
    assert len(expected) >= 40
    assert _differences(stored, expected, now) == []
    # and nothing is left to do: another tick at the same moment writes nothing
    assert process(store, config, now=now, analyzer=analyzer).signals == 0


# A dense stream: four towns, ten channels, four days, events close enough in place and time
# to compete for posts: calls, reports, follow-ups without a category, notices that call an
# event off, an arrest "na onrust" days later, calls that name no town, a police feed. (Each
# text is unique: copies of one message are a documented difference, detectors/incremental.py.)
TOWNS = ("Zwolle", "Deventer", "Kampen", "Apeldoorn")
PLACES = ("de Grote Markt", "het station", "het stadhuis", "de Brink", "het Rode Torenplein")
DAYS = ("zaterdag", "zondag", "vrijdag", "morgen", "vanavond")
DENSE = (
    "{d} {t} demonstratie tegen het azc bij {p} in {g}! Iedereen komen, DELEN!!",
    "Scootermeeting {d} om {t} bij {p} in {g}, pull up met je crew",
    "Harde kern verzamelen {d} om {t} bij {p} {g}, daarna mars naar het stadion",
    "Rellen in {g}: ME grijpt in na onrust bij {p}, relschoppers bekogelen politie",
    "Politie {g}: bij {p} is een groep demonstranten rustig vertrokken, geen aanhoudingen",
    "we staan er al bij {p}, echt druk hier",
    "wat een kabaal bij {p}, tientallen scooters",
    "Update: {d} gaat NIET door, we gaan eerst met de raad praten.",
    "zaterdag was mega, 70+ scooters",
    "Mooi weer vandaag in {g}, lekker naar het park",
    "Wie gaat er mee {d}? {p} {t}",
    "Vanavond om {t} scootertoer, pull up, iedereen welkom",
    "Politie houdt tientallen relschoppers aan na onrust, ME ingezet",
    "Gisteravond demonstratie bij {p} in {g}, honderd mensen liepen mee",
)
FILLER = ("echt", "nu", "weer", "hoor", "man", "wow", "kijk")


def dense_stream(seed: int, n: int, t0: datetime, unique: bool = True) -> list[Post]:
    rng = random.Random(seed)
    channels = [f"kanaal{i}" for i in range(10)]
    posts = []
    for i in range(n):
        published = t0 + timedelta(seconds=rng.random() * 4 * 86400)
        text = rng.choice(DENSE).format(
            g=rng.choice(TOWNS),
            p=rng.choice(PLACES),
            d=rng.choice(DAYS),
            t=f"{rng.randint(12, 23)}:{rng.choice(['00', '30'])}",
        )
        if unique:
            text += " " + " ".join(rng.choice(FILLER) for _ in range(rng.randint(1, 4))) + f" ref{i}"
        police = text.startswith("Politie") and rng.random() < 0.5
        channel = "politie-nieuws" if police else rng.choice(channels)
        forwarded = rng.choice(channels) if rng.random() < 0.1 else None
        posts.append(
            Post(
                source="rss" if police else "telegram",
                source_id=f"{channel}/{i}",
                channel=channel,
                published_at=published,
                text=text,
                forwarded_from=forwarded,
                url=f"https://politie.example/{i}" if police else None,
            )
        )
    return sorted(posts, key=lambda p: (p.published_at, p.id))


# Wider: five towns, channels named after towns (a hint, never a place), Mastodon accounts,
# calls dated a week ahead, English, news from abroad, match results, six days.
WIDE_TOWNS = (*TOWNS, "Enschede")
WIDE_PLACES = (*PLACES, "het Museumplein")
WIDE_DAYS = (*DAYS, "zaterdag 19 december", "zondag 13 december", "woensdag 16 december")
WIDE = (
    *DENSE[:4],
    DENSE[4],
    "Twee aanhoudingen na de rellen bij {p} in {g}",
    "De demonstratie bij {p} in {g} is verplaatst naar {d} {t}",
    DENSE[5],
    "massive turnout at {p} in {g} today, police everywhere",
    "huge crowd at {p} right now",
    *DENSE[6:9],
    "FC {g} wint met 2-1 na een spannende wedstrijd, de supporters waren tevreden",
    "Vanuit Lissabon: duizenden mensen op straat tegen de regering",
    *DENSE[9:11],
    "IEDEREEN NAAR HET POLITIEBUREAU {d} {t} na de arrestatie van onze jongen",
    *DENSE[11:14],
    "Boerenprotest {d}: trekkers rijden om {t} naar {p} in {g}",
)
WIDE_CHANNELS = (
    *(f"kanaal{i}" for i in range(8)),
    "zwolle_zegt_nee",
    "deventer_nieuws",
    "kampen_updates",
    "apeldoorn_scooters",
    "enschede_harde_kern",
)


def wide_stream(seed: int, n: int, t0: datetime) -> list[Post]:
    rng = random.Random(seed)
    posts = []
    for i in range(n):
        published = t0 + timedelta(seconds=rng.random() * 6 * 86400)
        text = rng.choice(WIDE).format(
            g=rng.choice(WIDE_TOWNS),
            p=rng.choice(WIDE_PLACES),
            d=rng.choice(WIDE_DAYS),
            t=f"{rng.randint(12, 23)}:{rng.choice(['00', '30'])}",
        )
        text += " " + " ".join(rng.choices(FILLER[:6], k=rng.randint(1, 4))) + f" ref{i}"
        kind = rng.random()
        if text.startswith("Politie") and kind < 0.5:
            source, channel = "rss", "politie-nieuws"
        elif kind < 0.08:
            source, channel = "mastodon", f"user{rng.randrange(5)}@social.example"
        else:
            source, channel = "telegram", rng.choice(WIDE_CHANNELS)
        forwarded = rng.choice(WIDE_CHANNELS) if rng.random() < 0.1 else None
        posts.append(
            Post(
                source=source,
                source_id=f"{channel}/{i}",
                channel=channel,
                published_at=published,
                text=text,
                forwarded_from=forwarded,
                url=f"https://example.org/{i}" if source != "telegram" else None,
            )
        )
    return sorted(posts, key=lambda p: (p.published_at, p.id))


def copies_stream(seed: int, n: int, t0: datetime) -> list[Post]:
    """The dense stream with the templates' texts as they are: many posts are copies of one
    another, and their similarities tie exactly."""
    return dense_stream(seed, n, t0, unique=False)


def _each_random_tick(store, config, analyzer, posts, rng):
    """Posts arrive as published; ticks come at uneven intervals (5 minutes to an hour and a
    half). Yields each tick's `now` once it ran."""
    now, i = posts[0].published_at, 0
    while i < len(posts):
        now += timedelta(minutes=rng.choice((5, 10, 30, 60, 90)))
        arrived = []
        while i < len(posts) and posts[i].published_at <= now:
            arrived.append(posts[i])
            i += 1
        if arrived:
            store.upsert_posts(arrived)
        process(store, config, now=now, analyzer=analyzer)
        yield now


def _random_ticks(store, config, analyzer, posts, rng):
    """All of `_each_random_tick`; returns the last `now`."""
    return list(_each_random_tick(store, config, analyzer, posts, rng))[-1]


def _telegram(channel: str, n: int, at: datetime, text: str, forwarded_from: str | None = None) -> Post:
    return Post(
        source="telegram",
        source_id=f"{channel}/{n}",
        channel=channel,
        published_at=at,
        text=text,
        forwarded_from=forwarded_from,
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    "stream,seed", [(dense_stream, 9), (dense_stream, 13), (wide_stream, 3), (wide_stream, 5), (copies_stream, 5)]
)
def test_ticks_give_the_signals_of_grouping_at_once_on_random_streams(store, config, analyzer, stream, seed):
    """Dense seed 9 found that a town's report did not adopt the only call of its day that
    named no town when the call shared few words with it (its text keys missed it); dense seed
    13 that a post fitting two events equally went to another one than at once (the events
    were seeded in the order they entered their gemeente, not the order they were made); wide
    seed 5 that a post whose channel is named after a town was weighed only against the
    town's events it shared heavy words with (it needs less evidence for them); wide seed 3
    that a town's rebuild missed a post without a gemeente that an event without one takes
    (by its channel) before a post of the town brings that event into the town; copies seed 5
    that two events in different gemeenten tying exactly for a post that names no place were
    tried in a different order (now the earlier event wins, Group.rank). Other seeds,
    with copies of one message among them, found the two date-free ways in tested below."""
    if type(store).__name__ == "ElasticStore" and seed != 13:
        pytest.skip("one seed on Elasticsearch: the same code paths, a minute less")
    posts = stream(seed, 300, datetime(2026, 12, 9, 6, 0, tzinfo=UTC))
    now = _random_ticks(store, config, analyzer, posts, random.Random(seed + 1))
    refresh_all(store, now, source_kinds(config), detector_settings(config))
    stored = {s.signal_id: s for s in store.query_signals(SignalQuery(limit=100_000))}
    expected = _at_once(store, config, now)
    assert len(expected) >= 30
    assert _differences(stored, expected, now) == []


@pytest.mark.slow
def test_ticks_give_the_signals_of_grouping_at_once_after_every_tick(store, config, analyzer):
    """The board shows what a tick wrote, not only what the last tick wrote: compared after
    every tick of dense seed 0 (all signals brought to that moment first), it found an event
    without a gemeente taking posts of other towns after one gave it a gemeente, a signal
    rescored from its rounded score, and events without a gemeente placed by a stored post of
    a channel new to them. Each differed for hours of the stream and was equal at its end."""
    if type(store).__name__ == "ElasticStore":
        pytest.skip("SQLite only: the same code paths, sixty comparisons")
    posts = dense_stream(0, 300, datetime(2026, 12, 9, 6, 0, tzinfo=UTC))
    kinds, settings, ticks = source_kinds(config), detector_settings(config), 0
    for now in _each_random_tick(store, config, analyzer, posts, random.Random(1)):
        refresh_all(store, now, kinds, settings)
        stored = {s.signal_id: s for s in store.query_signals(SignalQuery(limit=100_000))}
        assert _differences(stored, _at_once(store, config, now), now) == [], now
        ticks += 1
    assert ticks >= 50 and len(stored) >= 30


def test_a_post_a_town_takes_from_another_towns_signal_leaves_it_by_the_next_tick(store, config, analyzer):
    """ "we staan er al bij het station" names no town; in its channel only Deventer's call is
    going on, so it joins Deventer's signal. Then a riot report in Kampen forwarded from that
    channel makes Kampen's event the better fit (grouping at once puts the post there). The
    tick rebuilds Kampen; Deventer's signal must not keep listing the post for longer than one
    more tick, although nothing new happens in Deventer."""
    t0 = datetime(2026, 12, 9, 7, 0, tzinfo=UTC)

    def post(n: int, channel: str, hours: float, text: str, forwarded_from: str | None = None) -> Post:
        return _telegram(channel, n, t0 + timedelta(hours=hours), text, forwarded_from)

    loose = post(1, "kanaal1", 0.3, "we staan er al bij het station, echt druk hier")
    riot = post(
        2, "kanaal5", 3.2, "Rellen in Kampen: ME grijpt in na onrust bij het stadhuis, relschoppers bekogelen politie"
    )
    call = post(
        3, "kanaal1", 3.4, "Scootermeeting morgen om 23:00 bij het Rode Torenplein in Deventer, pull up met je crew"
    )
    forward = post(
        4,
        "kanaal0",
        4.9,
        "Rellen in Kampen: ME grijpt in na onrust bij het Rode Torenplein, relschoppers bekogelen politie",
        forwarded_from="kanaal1",
    )
    now = _tick_after_tick(store, config, analyzer, loose, riot)
    store.upsert_posts([call])
    now = call.published_at + timedelta(minutes=5)
    process(store, config, now=now, analyzer=analyzer)
    holders = [s for s in store.query_signals(SignalQuery(limit=10)) if loose.id in s.post_ids]
    assert [s.gemeente_code for s in holders] == ["GM0150"]  # the premise: Deventer's first
    store.upsert_posts([forward])
    rebuilt = []
    for minutes in (5, 10, 15):  # the tick the forward arrives in, the next one, and one more
        now = forward.published_at + timedelta(minutes=minutes)
        rebuilt.append(process(store, config, now=now, analyzer=analyzer).gemeenten)
        expected = [s.gemeente_code for s in _at_once(store, config, now).values() if loose.id in s.post_ids]
        holders = [s.gemeente_code for s in store.query_signals(SignalQuery(limit=10)) if loose.id in s.post_ids]
        if minutes > 5:
            assert expected == ["GM0166"] and holders == expected, minutes
    assert rebuilt[2] == 0, rebuilt  # and then nothing is rebuilt again and again


@pytest.mark.slow
def test_no_signal_differs_from_grouping_at_once_two_ticks_in_a_row(store, config, analyzer):
    """Wide seed 3, compared after every tick as the ticks left it (scores of live signals
    within 3%; an expired one's score is recomputed every 6 hours): a post without a gemeente
    that a town's event took from another town's signal made that town rebuild in the next
    tick, alone — where the first town's event, a rival that lacks its own context posts, fit
    less well, so the post went back, and the two towns took turns (one signal differed for 7
    ticks in a row). Both towns are now rebuilt together: a signal may differ for one tick."""
    if type(store).__name__ == "ElasticStore":
        pytest.skip("SQLite only: the same code paths, 240 comparisons")
    posts = wide_stream(3, 300, datetime(2026, 12, 9, 6, 0, tzinfo=UTC))
    before: set[str] = set()
    for now in _each_random_tick(store, config, analyzer, posts, random.Random(4)):
        stored = {s.signal_id: s for s in store.query_signals(SignalQuery(limit=100_000))}
        expected = _at_once(store, config, now)
        for sid in set(stored) & set(expected):
            a, b = stored[sid], expected[sid]
            if a.status in ("verlopen", "afgehandeld") or a.score == pytest.approx(b.score, rel=0.03, abs=0.011):
                stored[sid] = replace(a, score=b.score)
        differing = {
            d.split()[-1] if d.startswith("only") else d.split()[0] for d in _differences(stored, expected, now)
        }
        assert not differing & before, (now, differing & before)
        before = differing


def test_a_tick_writes_only_what_changed(store, config, analyzer):
    posts = _posts("own")[:120]
    now = _run_ticks(store, config, analyzer, posts, timedelta(hours=6))
    before = {s.signal_id: s for s in store.query_signals(SignalQuery(limit=100_000))}
    late = replace(posts[-1], source_id="nieuw-1", published_at=now - timedelta(minutes=5))
    store.upsert_posts([late])
    report = process(store, config, now=now, analyzer=analyzer)
    after = {s.signal_id: s for s in store.query_signals(SignalQuery(limit=100_000))}
    changed = {sid for sid in after if sid not in before or after[sid] != before[sid]}
    assert report.analysed == 1 and report.signals == len(changed) >= 1
    assert all(late.id in after[sid].post_ids for sid in changed)  # only the event the new post joined


@pytest.mark.slow
def test_reprocess_after_a_keyword_change_is_resumable(store, tmp_path, analyzer):
    config = load_config(write_config(tmp_path))
    posts = _posts("own")
    now = _run_ticks(store, config, analyzer, posts, timedelta(hours=12))
    # An analist drops the word "explosie" from the incident list.
    path = config.keywords_dir / "incident.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("explosie", "ontploffingzzz"), encoding="utf-8")
    config = load_config(config.path)
    changed = analyzer_for(config)
    assert changed.name != analyzer.name
    kinds, settings = source_kinds(config), detector_settings(config)

    lines = []

    def stop_halfway(line):
        lines.append(line)
        if line.startswith("analyseren: ") and "/" in line:
            raise KeyboardInterrupt  # the operator stops it

    with pytest.raises(KeyboardInterrupt):
        reprocess(store, changed, now, kinds, settings, say=stop_halfway, batch=100)
    assert lines[0].startswith("analyseren: ") and lines[1].startswith("analyseren: 100/")
    again = []
    report = reprocess(store, changed, now, kinds, settings, say=again.append, batch=100)
    assert report.analysed == len(posts) - 100  # resumed: the first batch was not redone
    assert again[-1].startswith("groeperen: ")
    stored = {s.signal_id: s for s in store.query_signals(SignalQuery(limit=100_000))}
    expected = _at_once(store, config, now)
    # every event of the new analysis is there as grouping at once makes it; events that lost
    # all their posts keep their last signal (as before #16)
    assert _differences({k: v for k, v in stored.items() if k in expected}, expected, now) == []


def test_an_upgrade_of_the_grouping_rules_asks_for_reprocess(store, config, analyzer, caplog):
    """Stored events keep what the rules that built them made of them (anchors, places): after an
    upgrade of detectors/ a tick says so, and after `reprocess` it no longer does."""
    posts = _posts("own")[:30]
    now = posts[-1].published_at + timedelta(hours=1)
    store.upsert_posts(posts)
    kinds, settings = source_kinds(config), detector_settings(config)

    def warnings() -> list[str]:
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="onrustradar.service.incremental"):
            process(store, config, now=now, analyzer=analyzer)
        return [r.getMessage() for r in caplog.records if "reprocess" in r.getMessage()]

    assert warnings() == []  # the first tick notes the rules it groups with
    assert warnings() == []
    store.set_meta(GROUPING_KEY, "0ld0ld00")  # events built by an older version
    changed = f"grouping rules changed (0ld0ld00 -> {grouping_fingerprint()})"
    assert [m.split(":")[0] for m in warnings()] == [changed]
    reprocess(store, analyzer, now, kinds, settings, say=lambda _line: None)
    assert warnings() == []


@pytest.mark.slow
def test_rescore_matches_a_full_recomputation(store, config, analyzer):
    """A signal nothing joined is rescored from its stored base score (no post is read): the
    same score as recomputing everything at once, and the same status (it expires on time).
    The base is the unrounded score: one derived from the rounded score was off by up to
    0.005 / score (1.4% at a score of 0.36), and a tick then showed 0.37 where grouping at
    once gave 0.36."""
    from detectors.incremental import rescore

    posts = _posts("own")
    now = _run_ticks(store, config, analyzer, posts[: len(posts) * 2 // 3], timedelta(hours=2))
    kinds, settings = source_kinds(config), detector_settings(config)
    refresh_all(store, now, kinds, settings)
    store.make_due(now + timedelta(days=400))
    records = store.due_groups(now + timedelta(days=400), now - HORIZON, 10_000)
    stored = store.get_signals([r.signal_id for r in records])
    records = [r for r in records if r.signal_id in stored and stored[r.signal_id].last_seen < now]
    assert len(records) >= 30
    expired = 0
    for hours in (1, 7, 30, 80):
        later = now + timedelta(hours=hours)
        full = _at_once(store, config, later, previous=stored.get)
        for r in records:
            signal = stored[r.signal_id]
            if r.signal_id not in full or signal.last_seen < later - HORIZON:
                continue
            whole = full[r.signal_id]
            quick = rescore(signal, r, later)
            assert quick.score == whole.score, (r.signal_id, hours)
            assert (quick.status, quick.status_note) == (whole.status, whole.status_note)
            expired += quick.status == "verlopen" != signal.status
    assert expired > 0


@pytest.mark.slow
def test_decisions_and_meldingen_survive_ticks_and_reprocess(store, tmp_path, analyzer):
    """Halfway through the ticks an analyst merges two signals and splits posts off a third
    (as the board does, onrustradar.service.scoped) and records an eigen melding; the ticks after that, and
    a reprocess, give the signals of grouping everything at once with those decisions."""
    from detectors.grouping import signal_id_for
    from onrustradar.service.meldingen import Melding, record
    from onrustradar.service.scoped import ScopedStore

    config = load_config(
        write_config(
            tmp_path,
            gemeenten=[
                "Zwolle",
                "Enschede",
                "Deventer",
                "Utrecht",
                "Amsterdam",
                "Rotterdam",
                "Den Haag",
                "Arnhem",
                "Nijmegen",
            ],
        )
    )
    posts = _posts("own")
    half = len(posts) // 2
    now = _run_ticks(store, config, analyzer, posts[:half], timedelta(hours=1))
    signals = [s for s in store.query_signals(SignalQuery(limit=100_000)) if s.last_seen > now - timedelta(days=3)]
    by_gemeente: dict = {}
    for s in signals:
        by_gemeente.setdefault(s.gemeente_code, []).append(s)
    pair = next(ss for ss in by_gemeente.values() if len(ss) >= 2)
    keep, other = pair[0], pair[1]
    scoped = ScopedStore(store, {s.gemeente_code for s in signals})
    scoped.merge_signals(keep.signal_id, other.signal_id, "analist")
    big = next(s for s in signals if len(s.post_ids) >= 3 and s.signal_id not in (keep.signal_id, other.signal_id))
    scoped.split_signal(big.signal_id, big.post_ids[-1:], "analist")
    melding = record(
        store,
        config,
        Melding(
            "Wijkagent meldt: groep jongeren verzamelt vanavond bij het station, mogelijk rellen",
            "Zwolle",
            ["incident"],
            "wijkagent",
            received=now,
        ),
        None,
        now,
    )
    assert melding.official_sources == 1 and melding.signal_id == signal_id_for(melding.post_ids[0])
    i = half
    while i < len(posts):  # the rest of the posts, as before
        now += timedelta(hours=1)
        arrived = []
        while i < len(posts) and posts[i].published_at <= now:
            arrived.append(posts[i])
            i += 1
        if arrived:
            store.upsert_posts(arrived)
        process(store, config, now=now, analyzer=analyzer)
    kinds, settings = source_kinds(config), detector_settings(config)
    refresh_all(store, now, kinds, settings)

    def check():
        stored = {s.signal_id: s for s in store.query_signals(SignalQuery(limit=100_000))}
        expected = _at_once(store, config, now)
        assert _differences(stored, expected, now) == []
        # the decisions hold: the merged-away signal is gone with all its posts in the kept one,
        # the split-off post is in a signal of its own, the melding counts as official
        assert other.signal_id not in stored
        assert set(other.post_ids) | set(keep.post_ids) <= set(stored[keep.signal_id].post_ids)
        split = [s for s in stored.values() if big.post_ids[-1] in s.post_ids]
        assert len(split) == 1 and split[0].signal_id != big.signal_id
        holding = [s for s in stored.values() if melding.post_ids[0] in s.post_ids]
        assert len(holding) == 1 and holding[0].official_sources >= 1 and "eigen melding" in holding[0].explanation

    check()
    assert len(store.decisions()) == 2
    report = reprocess(store, analyzer, now, kinds, settings, say=lambda _line: None)
    assert report.analysed == 0  # the same keywords and model; the melding is never re-analysed
    check()
    assert store.get_analyses(melding.post_ids)[melding.post_ids[0]].categories == ["incident"]


def test_a_forward_completes_its_stored_copy_across_ticks(store, config, analyzer):
    """A channel in the town posts the call in words too weak for a category; a day later a
    forward with a loud first line has the category but no town. Grouping at once lets the
    copies share (detectors.copies); a tick finds the stored copy by its text keys and does
    the same: one signal in the town holding both, not an event without a gemeente."""
    body = (
        "Dinsdag 15 december half elf: allemaal naar de visafslag. Als de minister niet naar ons "
        "toe komt, varen we daarna met de kotters langs de dijk. Vlag in top."
    )
    t0 = datetime(2026, 12, 10, 19, 0, tzinfo=UTC)
    local = Post(source="telegram", source_id="vissers/1", channel="Urker Vissers Nieuws", published_at=t0, text=body)
    forward = Post(
        source="telegram",
        source_id="boos/7",
        channel="Boze Boeren en Vissers",
        published_at=t0 + timedelta(hours=12),
        text="Steun de vissers, kom allemaal demonstreren!\n" + body,
    )
    store.upsert_posts([local])
    process(store, config, now=t0 + timedelta(minutes=5), analyzer=analyzer)
    own = store.get_analyses([local.id])[local.id]
    assert own.gemeente_code and not own.categories  # the premise: town known, no category alone
    store.upsert_posts([forward])
    now = forward.published_at + timedelta(minutes=5)
    process(store, config, now=now, analyzer=analyzer)
    signals = store.query_signals(SignalQuery(limit=100))
    holding = [s for s in signals if forward.id in s.post_ids]
    assert len(holding) == 1 and local.id in holding[0].post_ids
    assert holding[0].gemeente_code == own.gemeente_code
    # and the tick's result is what grouping everything at once gives
    assert _differences({s.signal_id: s for s in signals}, _at_once(store, config, now), now) == []


def _zwolle_call(t0: datetime) -> Post:
    return Post(
        source="telegram",
        source_id="zzn/1",
        channel="zwolle_zegt_nee",
        published_at=t0,
        text="Zaterdag 12 december 14:00 demonstratie tegen het azc op de Grote Markt in Zwolle! Iedereen komen!!",
    )


def _tick_after_tick(store, config, analyzer, first: Post, second: Post) -> datetime:
    """`first` arrives and a tick runs; then `second` and another tick. Returns the last `now`."""
    store.upsert_posts([first])
    process(store, config, now=first.published_at + timedelta(minutes=5), analyzer=analyzer)
    store.upsert_posts([second])
    now = second.published_at + timedelta(minutes=5)
    process(store, config, now=now, analyzer=analyzer)
    return now


def test_a_notice_that_the_event_is_called_off_reaches_its_signal_in_the_next_tick(store, config, analyzer):
    """ "Update: zaterdag gaat NIET door" in the organiser's channel is excluded from the
    category, yet it is context of the event (detectors.attach): the tick it arrives in must
    rebuild the event's gemeente, or the board keeps showing a cancelled demonstration as on
    until something else happens in that town."""
    t0 = datetime(2026, 12, 9, 19, 0, tzinfo=UTC)
    call = _zwolle_call(t0)
    notice = Post(
        source="telegram",
        source_id="zzn/2",
        channel="zwolle_zegt_nee",
        published_at=t0 + timedelta(hours=20),
        text="Update: zaterdag gaat NIET door, we gaan eerst met de raad praten.",
    )
    now = _tick_after_tick(store, config, analyzer, call, notice)
    assert store.get_analyses([notice.id])[notice.id].excluded  # the premise: no category of its own
    (signal,) = store.query_signals(SignalQuery(limit=10))
    assert notice.id in signal.post_ids and "afgelast volgens zwolle_zegt_nee" in signal.explanation
    assert _differences({signal.signal_id: signal}, _at_once(store, config, now), now) == []


def test_news_that_an_event_is_moved_joins_it_in_a_tick(store, config, analyzer):
    """ "... is verplaatst naar zaterdag 19 december": the news names the new date, a week from
    the call's. Grouping at once moves the event (detectors.grouping.moves_the_event); a tick
    must find the call although its date is not the news's, or the board shows the old date,
    unconfirmed, next to a second signal for the new one."""
    t0 = datetime(2026, 12, 7, 19, 0, tzinfo=UTC)
    call = _zwolle_call(t0)
    moved = Post(
        source="rss",
        source_id="stentor/9",
        channel="De Stentor",
        url="https://stentor.example/9",
        published_at=t0 + timedelta(days=2),
        text="De demonstratie tegen het azc op de Grote Markt in Zwolle is verplaatst naar zaterdag 19 december "
        "14:00, meldt de organisatie.",
    )
    now = _tick_after_tick(store, config, analyzer, call, moved)
    (signal,) = store.query_signals(SignalQuery(limit=10))
    assert signal.post_ids == [call.id, moved.id] and signal.event_start.day == 19
    assert signal.reliability == "bevestigd"
    assert _differences({signal.signal_id: signal}, _at_once(store, config, now), now) == []


def test_an_arrest_days_after_the_riot_joins_it_in_a_tick(store, config, analyzer):
    """ "Drie aanhoudingen na de rellen bij het Rode Torenplein", four days on: grouping at once
    puts the aftermath with the riot whatever day the report gives itself
    (detectors.grouping.aftermath_of); a tick must find the riot among its candidates too."""
    t0 = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
    riot = Post(
        source="telegram",
        source_id="kampen/1",
        channel="kampen_updates",
        published_at=t0,
        text="Gisteravond rellen bij het Rode Torenplein in Kampen, ME grijpt in, relschoppers bekogelen politie",
    )
    arrest = Post(
        source="rss",
        source_id="stentor/12",
        channel="De Stentor",
        url="https://stentor.example/12",
        published_at=t0 + timedelta(days=4),
        text="Drie aanhoudingen na de rellen bij het Rode Torenplein in Kampen, de politie zoekt nog meer relschoppers",
    )
    now = _tick_after_tick(store, config, analyzer, riot, arrest)
    signals = {s.signal_id: s for s in store.query_signals(SignalQuery(limit=10))}
    assert [s.post_ids for s in signals.values()] == [[riot.id, arrest.id]]
    assert _differences(signals, _at_once(store, config, now), now) == []


def test_copy_keys_go_with_their_posts(store):
    """The text keys are derived from post text: when retention removes a post, a lookup by
    its keys finds nothing any more."""
    from onrustradar.core.copykeys import copy_keys

    text = "Zaterdag 14.00 uur demonstratie bij het stadhuis, neem vlaggen en spandoeken mee allemaal"
    old = Post(
        source="telegram",
        source_id="k/1",
        channel="k",
        text=text,
        published_at=datetime(2026, 11, 1, 12, 0, tzinfo=UTC),
    )
    store.upsert_posts([old])
    store.save_analyses([Analysis(post_id=old.id, categories=["demonstratie"], scores={"demonstratie": 2.0})])
    since = datetime(2026, 10, 1, tzinfo=UTC)
    assert [p.id for p, _, _ in store.copies_of(copy_keys(text), since)] == [old.id]
    assert store.purge_posts(datetime(2026, 11, 2, tzinfo=UTC)) == 1
    assert store.copies_of(copy_keys(text), since) == []


def test_the_signal_of_an_event_without_a_gemeente_of_its_own_is_rescored_and_expires(store, config, analyzer):
    """A police post naming no place makes an event without a gemeente; a bystander's post in
    the same channel naming Apeldoorn, without a category, gives its signal that gemeente
    (detectors.attach: it joins by context and the group takes its gemeente). Nothing
    more happens in Apeldoorn: the signal must still lose score as time passes and turn
    'verlopen' once over, as grouping at once says, not stay as it was on the board."""
    t0 = datetime(2026, 12, 9, 10, 0, tzinfo=UTC)
    police = _telegram("kanaal6", 1, t0, "Politie houdt tientallen relschoppers aan na onrust, ME ingezet")
    bystander = _telegram(
        "kanaal6", 2, t0 + timedelta(minutes=40), "zit vast in het verkeer in Apeldoorn, alles staat stil"
    )
    now = _tick_after_tick(store, config, analyzer, police, bystander)
    (signal,) = store.query_signals(SignalQuery(limit=10))
    assert signal.gemeente_code == "GM0200" and signal.post_ids == [police.id, bystander.id]  # the premise
    assert store.get_analyses([police.id])[police.id].gemeente_code is None
    for hours in (2, 12, 30, 80):  # ticks with nothing new
        later = now + timedelta(hours=hours)
        process(store, config, now=later, analyzer=analyzer)
        (stored,) = store.query_signals(SignalQuery(limit=10))
        (expected,) = _at_once(store, config, later).values()
        assert stored.status == expected.status, hours
        # (a time-only recomputation may be up to 30 minutes late: about 2% of the score)
        assert stored.score == pytest.approx(expected.score, rel=0.03), hours
    assert stored.status == "verlopen" and stored.score < signal.score / 2


def test_an_event_without_a_gemeente_is_placed_by_a_stored_post_of_its_new_channel(store, config, analyzer):
    """Two calls for a scooter ride that name no town make an event without a gemeente (no
    signal yet). When the second call, in another channel, joins it, a post stored hours
    earlier in that channel naming Zwolle becomes its context and gives it Zwolle — grouping
    at once does so in time order. A tick must rebuild Zwolle for it although nothing new was
    posted there; and when later a post of Apeldoorn in the first channel arrives, rebuilding
    Apeldoorn must not move the event there (Zwolle's post came first)."""
    t0 = datetime(2026, 12, 9, 7, 0, tzinfo=UTC)

    def post(n: int, channel: str, hours: float, text: str) -> Post:
        return _telegram(channel, n, t0 + timedelta(hours=hours), text)

    zwolle = post(1, "kanaal5", 0, "zit vast in het verkeer in Zwolle, alles staat stil")
    first_call = post(2, "kanaal6", 5.5, "Vanavond om 21:30 scootertoer, pull up, iedereen welkom")
    second_call = post(3, "kanaal5", 6.5, "Vanavond 21:30 scootertoer!! pull up, iedereen is welkom")
    apeldoorn = post(4, "kanaal6", 7, "zit vast in het verkeer in Apeldoorn, alles staat stil")
    now = _tick_after_tick(store, config, analyzer, zwolle, first_call)
    assert store.query_signals(SignalQuery(limit=10)) == []  # the premise: no gemeente, no signal
    for later in (second_call, apeldoorn):
        store.upsert_posts([later])
        now = later.published_at + timedelta(minutes=5)
        process(store, config, now=now, analyzer=analyzer)
        signals = {s.signal_id: s for s in store.query_signals(SignalQuery(limit=10))}
        assert [(s.gemeente_code, s.post_ids[:3]) for s in signals.values()] == [
            ("GM0193", [first_call.id, second_call.id, zwolle.id])
        ]
        assert _differences(signals, _at_once(store, config, now), now) == []
